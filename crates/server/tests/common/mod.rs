//! Running the `motcua` binary of this build on a data folder.

use std::process::Command;

/// Run `motcua --data-dir DATA ARGS` with extra environment: (success, stdout, stderr).
pub fn cli_env(data: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_motcua"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env("MOTCUA_LOG", "warn")
        .envs(env.iter().copied())
        .output()
        .unwrap_or_else(|e| panic!("running motcua: {e}"));
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Run `motcua --data-dir DATA ARGS`.
#[allow(dead_code)] // not every test file uses both
pub fn cli(data: &std::path::Path, args: &[&str]) -> (bool, String, String) {
    cli_env(data, args, &[])
}

/// The use cases over the SQLite database of a data folder the binary made, and the store to
/// close when done.
#[allow(dead_code)] // not every test file opens the database
pub async fn open_app(data: &std::path::Path) -> (motcua_app::App, motcua_storage_sql::SqlStore) {
    let url = format!("sqlite:{}", data.join("motcua.db").display());
    let store = motcua_storage_sql::SqlStore::connect(&url, &Default::default())
        .await
        .unwrap_or_else(|e| panic!("open {url}: {e}"));
    let app = motcua_app::App::new(
        store.clone(),
        std::sync::Arc::new(motcua_app::SystemClock),
        motcua_app::AppConfig::default(),
    );
    app.prepare().await.unwrap_or_else(|e| panic!("prepare {url}: {e:?}"));
    (app, store)
}
