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

/// A counter intake of 2.000908 for citizen `id` named `name`.
pub fn counter_input(id: &str, name: &str, phone: Option<&str>, population: bool) -> IntakeInput {
    IntakeInput {
        procedure: "2.000908".into(),
        channel: Channel::Counter,
        applicant: ApplicantInput {
            kind: "citizen".into(),
            id: id.into(),
            name: name.into(),
            phone: phone.map(str::to_owned),
            email: None,
            address: None,
        },
        desk: None,
        competent_agency: None,
        population,
        answers: Default::default(),
        vault: vec![],
    }
}

/// A dossier of 2.000908 received at the counter by `desk` (phone `phone`, if any).
#[allow(dead_code)] // not every test binary receives at the counter this way
pub async fn counter_intake(app: &App, desk: &Actor, phone: Option<&str>) -> DossierRecord {
    let input = counter_input("031095001234", "Vũ Minh Anh", phone, false);
    app.intake(desk, input).await.unwrap_or_else(|e| panic!("intake: {e:?}"))
}
