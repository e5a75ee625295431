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

/// A `motcua serve` process of this build, killed when dropped.
#[allow(dead_code)] // only the tests that start servers
pub struct Server {
    pub child: std::process::Child,
    pub url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[allow(dead_code)]
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap_or_else(|e| panic!("{e}"))
        .local_addr()
        .map(|a| a.port())
        .unwrap_or(0)
}

#[allow(dead_code)]
impl Server {
    /// Spawn `cmd` (a `serve` listening on `port`) and wait until it is ready; `log` is shown
    /// when it does not become ready.
    pub async fn spawn(mut cmd: Command, port: u16, log: Option<&std::path::Path>) -> Server {
        let child = cmd.spawn().unwrap_or_else(|e| panic!("starting motcua: {e}"));
        let server = Server { child, url: format!("http://127.0.0.1:{port}") };
        let client = reqwest::Client::new();
        let started = std::time::Instant::now();
        while started.elapsed() < std::time::Duration::from_secs(60) {
            if client.get(format!("{}/readyz", server.url)).send().await.is_ok_and(|r| r.status().is_success()) {
                return server;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        let log = log.map(|l| std::fs::read_to_string(l).unwrap_or_default()).unwrap_or_default();
        panic!("motcua did not become ready: {log}");
    }
}
