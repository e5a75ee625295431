//! Test support shared by the unit, conformance and HTTP tests.
//!
//! * [`TestStore`]: a fresh database per test. SQLite by default (a file in a temporary folder,
//!   so WAL and several connections are exercised); PostgreSQL when
//!   `MOTCUA_TEST_DATABASE_URL` names one, with a schema per test. A PostgreSQL that cannot be
//!   reached fails the test: it is never skipped.
//! * [`fixtures`]: small domain values to build tests from.
//! * [`conformance`]: the storage story every backend must pass.

// Test support: a failed expectation panics, which is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod conformance;
pub mod fixtures;

use motcua_storage::Store;
use motcua_storage_sql::{ConnectOptions, SqlStore};

/// The environment variable that selects PostgreSQL for the storage tests.
pub const PG_ENV: &str = "MOTCUA_TEST_DATABASE_URL";

pub struct TestStore {
    pub store: SqlStore,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

impl std::ops::Deref for TestStore {
    type Target = SqlStore;
    fn deref(&self) -> &SqlStore {
        &self.store
    }
}

impl TestStore {
    /// Run `sql` on the test database behind the store's back, to set up a state the storage
    /// contract cannot reach (a damaged table, say).
    pub async fn execute_behind(&self, sql: &str) {
        use sqlx::Connection;
        let sql = sqlx::AssertSqlSafe(sql.to_owned());
        if self.url.starts_with("sqlite:") {
            let mut c = sqlx::SqliteConnection::connect(&self.url).await.unwrap();
            sqlx::query(sql).execute(&mut c).await.unwrap();
        } else {
            let mut c = sqlx::PgConnection::connect(&self.url).await.unwrap();
            sqlx::query(sql).execute(&mut c).await.unwrap();
        }
    }
}

/// A migrated, empty store on the backend the environment selects.
pub async fn test_store() -> TestStore {
    match std::env::var(PG_ENV) {
        Ok(url) if !url.is_empty() => pg_store(&url).await,
        _ => sqlite_store().await,
    }
}

/// The store a benchmark runs on: PostgreSQL when `MOTCUA_BENCH_DATABASE_URL` names one (a
/// fresh schema), else SQLite in a temporary file; with its label.
pub async fn bench_store() -> (TestStore, &'static str) {
    match std::env::var("MOTCUA_BENCH_DATABASE_URL") {
        Ok(url) if !url.is_empty() => (pg_store(&url).await, "PostgreSQL"),
        _ => (sqlite_store().await, "SQLite"),
    }
}

pub async fn sqlite_store() -> TestStore {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    let url = format!("sqlite:{}", dir.path().join("test.db").display());
    let store = SqlStore::connect(&url, &ConnectOptions::default()).await.unwrap_or_else(|e| panic!("open {url}: {e}"));
    store.migrate().await.unwrap_or_else(|e| panic!("migrate: {e}"));
    TestStore { store, url, _dir: Some(dir) }
}

/// A fresh schema in the database at `base`; the schema is left behind for inspection (CI
/// creates a new database per run).
pub async fn pg_store(base: &str) -> TestStore {
    use sqlx::Connection;
    let schema = format!("t_{}", uuid::Uuid::new_v4().simple());
    let mut conn = sqlx::PgConnection::connect(base)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at {base} is required by {PG_ENV} and unreachable: {e}"));
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("create schema: {e}"));
    let sep = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{sep}options=-c%20search_path%3D{schema}");
    let opts = ConnectOptions { max_connections: 4, ..ConnectOptions::default() };
    let store = SqlStore::connect(&url, &opts).await.unwrap_or_else(|e| panic!("open {url}: {e}"));
    store.migrate().await.unwrap_or_else(|e| panic!("migrate: {e}"));
    TestStore { store, url, _dir: None }
}
