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

use common::{counter_intake, login_as};

async fn demo_app() -> (App, TestStore) {
    common::demo_app_at(instant(2026, 11, 27, 3)).await
}
