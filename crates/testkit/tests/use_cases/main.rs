//! Use cases on a real store (SQLite by default, PostgreSQL with MOTCUA_TEST_DATABASE_URL).

#![allow(clippy::unwrap_used)] // a failed expectation panics: that is how a test fails

use std::sync::Arc;

use motcua_app::accounts::NewAccount;
use motcua_app::catalog::{AbolishInput, PublishInput, SearchParams};
use motcua_app::{Actor, App, AppConfig, AppError, FixedClock};
use motcua_demo::{DEMO_PASSWORD, DEMO_USERS};
use motcua_domain::procedure::TimeUnit;
use motcua_domain::user::Role;
use motcua_storage::{AuditRepo, SessionKind};
use motcua_testkit::fixtures::{date, instant};
use motcua_testkit::{TestStore, test_store};

mod catalog;
mod certified_copy;
#[path = "../common/mod.rs"]
mod common;
mod declaration;
mod dossiers;
mod sign_in;
mod signing;
mod vault;

use common::login_as;

async fn demo_app() -> (App, TestStore) {
    common::demo_app_at(instant(2026, 11, 27, 3)).await
}

/// A counter intake of `procedure` for the demo citizen (031095001234, Vũ Minh Anh).
fn counter_intake(procedure: &str) -> motcua_app::dossiers::IntakeInput {
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
