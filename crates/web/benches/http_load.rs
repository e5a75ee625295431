//! Load over real HTTP (loopback TCP, the full router with its middleware) on one machine.
//!
//! Scenarios, each with `MOTCUA_BENCH_CLIENTS` (16) clients for `MOTCUA_BENCH_SECONDS` (10):
//! * `baseline`: `GET /healthz` — the cost of the HTTP stack alone, measured in the same run;
//! * `intake`: `POST /api/v1/dossiers` at the counter as a desk officer — each answer 201 is a
//!   committed transaction (dossier, event, audit row, code sequence); the count is checked
//!   against the database afterwards;
//! * `intake_direct`: the same intakes through the use case (`App::intake`) in this process, no
//!   HTTP: the ceiling that intakes over HTTP can approach on the same cores;
//! * `queue`: `GET /api/v1/dossiers` work-queue pages with mixed filters (agency, state,
//!   procedure, overdue, due before, page 1–3) as the provincial admin, a desk and a department.
//!
//! `MOTCUA_BENCH_DATABASE_URL` names the database (default: a fresh SQLite file); fill one first
//! with `motcua generate dossiers --count 1000000` for the 1M-dossier queue figure.
//! `MOTCUA_BENCH_SCENARIOS=baseline,queue` picks scenarios; `MOTCUA_BENCH_SQLITE_SYNC=normal`
//! measures SQLite without an fsync per commit. Results: docs/PERFORMANCE.md.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;

use common::{call, env, load, num_threads, stored, token};
use hyper::{Method, StatusCode};
use motcua_app::{App, AppConfig, SystemClock};
use motcua_storage_sql::{ConnectOptions, SqlStore, SqliteSync};

/// The allocator the server binary uses (see `crates/server/src/main.rs`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() {
    let clients: usize = env("MOTCUA_BENCH_CLIENTS", 16);
    let secs: u64 = env("MOTCUA_BENCH_SECONDS", 10);
    let scenarios: String = env("MOTCUA_BENCH_SCENARIOS", "baseline,intake,queue".to_owned());
    let wants = |name: &str| scenarios.split(',').any(|s| s.trim() == name);
    let dir = tempfile::tempdir().unwrap();
    let url = std::env::var("MOTCUA_BENCH_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| format!("sqlite:{}", dir.path().join("bench.db").display()));
    let sync = match std::env::var("MOTCUA_BENCH_SQLITE_SYNC").as_deref() {
        Ok("normal") => SqliteSync::Normal,
        _ => SqliteSync::Full,
    };
    let opts = ConnectOptions {
        max_connections: env("MOTCUA_BENCH_POOL", 16),
        sqlite_sync: sync,
        ..ConnectOptions::default()
    };
    let store = SqlStore::connect(&url, &opts).await.unwrap();
    let app = App::new(store.clone(), Arc::new(SystemClock), AppConfig::default());
    app.prepare().await.unwrap();
    motcua_demo::load(&app).await.unwrap();
    let backend =
        if url.starts_with("sqlite") { format!("SQLite (synchronous {sync:?})") } else { "PostgreSQL".into() };
    let base = common::serve(&app).await;
    let http = common::http(clients);
    println!("{backend}, {clients} clients, {secs} s per scenario, {} worker threads", num_threads());

    if wants("baseline") {
        common::healthz(&http, &base, clients, secs).await.print("baseline");
    }
    if wants("intake_direct") {
        let token = token(&http, &base, "motcua").await;
        let user = app.authenticate(&token, motcua_storage::SessionKind::Bearer).await.unwrap().unwrap();
        let actor = Arc::new(motcua_app::Actor::User { user, ip: None });
        let before = stored(&store).await;
        let app2 = app.clone();
        let mut o = load(clients, secs, move |c, i| {
            let (app, actor) = (app2.clone(), actor.clone());
            let input = serde_json::from_value(intake_body(c, i)).unwrap();
            async move { app.intake(&actor, input).await.is_ok() }
        })
        .await;
        o.print("intake (no HTTP)");
        let stored = stored(&store).await - before;
        assert_eq!(stored, o.ok, "every intake that answered is a stored dossier");
    }
    if wants("intake") {
        let desk = Arc::new(token(&http, &base, "motcua").await);
        let before = stored(&store).await;
        let (h, b) = (http.clone(), base.clone());
        let mut o = load(clients, secs, move |c, i| {
            let (h, url, desk) = (h.clone(), format!("{b}/api/v1/dossiers"), desk.clone());
            let body = intake_body(c, i).to_string();
            async move { call(&h, Method::POST, &url, Some(&desk), Some(body)).await.0 == StatusCode::CREATED }
        })
        .await;
        o.print("intake");
        let stored = stored(&store).await - before;
        println!("           {stored} dossiers stored for {} answers 201", o.ok);
        assert_eq!(stored, o.ok, "every 201 is a stored dossier");
    }
    if wants("queue") {
        println!("           work queues over {} dossiers", stored(&store).await);
        let mut o = common::queue(&app, &http, &base, clients, secs).await;
        o.print("queue");
    }
}

/// The intake of client `c`'s `i`-th request: a counter intake of a one-day procedure.
fn intake_body(c: usize, i: u64) -> serde_json::Value {
    serde_json::json!({"procedure": "2.000908", "channel": "counter",
        "applicant": {"kind": "citizen", "id": format!("0310950{:05}", (c * 7919 + i as usize) % 100_000),
            "name": "Nguyễn Văn Thử", "phone": "0912345678"}})
}
