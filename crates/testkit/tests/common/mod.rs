//! What the use-case tests and the benchmarks share: the demo application on a fresh store,
//! logging in, a counter intake. Each test or bench binary uses part of it.
#![allow(dead_code)]

use std::sync::Arc;

use chrono::{DateTime, Utc};
use motcua_app::{Actor, App, AppConfig, FixedClock};
use motcua_demo::DEMO_PASSWORD;
use motcua_storage::SessionKind;
use motcua_testkit::{TestStore, test_store};

/// The demo data on a fresh store, the clock stopped at `at`.
pub async fn demo_app_at(at: DateTime<Utc>) -> (App, TestStore) {
    let ts = test_store().await;
    let app = App::new(ts.store.clone(), Arc::new(FixedClock(at)), AppConfig::default());
    motcua_demo::load(&app).await.unwrap_or_else(|e| panic!("demo data: {e:?}"));
    (app, ts)
}

/// A demo account logged in, as the use cases see it.
pub async fn login_as(app: &App, username: &str) -> Actor {
    let l = app
        .login(username, DEMO_PASSWORD, SessionKind::Bearer, None)
        .await
        .unwrap_or_else(|e| panic!("login {username}: {e:?}"));
    Actor::User { user: l.user, ip: Some("10.0.0.1".into()) }
}

/// A counter intake of `procedure` for the demo citizen (031095001234, Vũ Minh Anh).
pub fn counter_intake(procedure: &str) -> motcua_app::dossiers::IntakeInput {
    motcua_app::dossiers::IntakeInput {
        procedure: procedure.into(),
        channel: motcua_domain::procedure::Channel::Counter,
        applicant: motcua_app::dossiers::ApplicantInput {
            kind: "citizen".into(),
            id: "031095001234".into(),
            name: "Vũ Minh Anh".into(),
            phone: Some("0912345678".into()),
            email: None,
            address: None,
        },
        desk: None,
        competent_agency: None,
        population: false,
        answers: Default::default(),
        vault: vec![],
    }
}
