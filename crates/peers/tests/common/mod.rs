//! What the peers' end-to-end tests share: logging in a demo account, a counter intake.

use motcua_app::dossiers::{ApplicantInput, IntakeInput};
use motcua_app::{Actor, App};
use motcua_domain::dossier::record::DossierRecord;
use motcua_domain::procedure::Channel;

pub async fn login(app: &App, who: &str) -> Actor {
    let l = app
        .login(who, motcua_demo::DEMO_PASSWORD, motcua_storage::SessionKind::Bearer, None)
        .await
        .unwrap_or_else(|e| panic!("login {who}: {e:?}"));
    Actor::User { user: l.user, ip: None }
}

/// A dossier of 2.000908 received at the counter by `desk` (phone `phone`, if any).
pub async fn counter_intake(app: &App, desk: &Actor, phone: Option<&str>) -> DossierRecord {
    let input = IntakeInput {
        procedure: "2.000908".into(),
        channel: Channel::Counter,
        applicant: ApplicantInput {
            kind: "citizen".into(),
            id: "031095001234".into(),
            name: "Vũ Minh Anh".into(),
            phone: phone.map(str::to_owned),
            email: None,
            address: None,
        },
        desk: None,
        competent_agency: None,
    };
    app.intake(desk, input).await.unwrap_or_else(|e| panic!("intake: {e:?}"))
}
