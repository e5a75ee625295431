//! The storage conformance story on the backend the environment selects (SQLite by default;
//! PostgreSQL with MOTCUA_TEST_DATABASE_URL, as `.ci/run` does).

use motcua_testkit::{conformance, test_store};

#[tokio::test]
async fn map() {
    conformance::map_story(&*test_store().await).await;
}

#[tokio::test]
async fn catalog() {
    conformance::catalog_story(&*test_store().await).await;
}

#[tokio::test]
async fn users_sessions_and_audit() {
    conformance::user_story(&*test_store().await).await;
}

#[tokio::test]
async fn calendar() {
    conformance::calendar_story(&*test_store().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn dossiers() {
    let ts = test_store().await;
    conformance::dossier_story(&ts.store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn outbox() {
    let ts = test_store().await;
    conformance::outbox_story(&ts.store).await;
}

#[tokio::test]
async fn plan() {
    conformance::plan_story(&*test_store().await).await;
}
