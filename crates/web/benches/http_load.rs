//! Load over real HTTP (loopback TCP, the full router with its middleware) on one machine.
//!
//! Scenarios, each with `MOTCUA_BENCH_CLIENTS` (16) clients for `MOTCUA_BENCH_SECONDS` (10):
//! * `baseline`: `GET /healthz` — the cost of the HTTP stack alone, measured in the same run;
//! * `intake`: `POST /api/v1/dossiers` at the counter as a desk officer — each answer 201 is a
//!   committed transaction (dossier, event, audit row, code sequence); the count is checked
//!   against the database afterwards;
//! * `queue`: `GET /api/v1/dossiers` work-queue pages with mixed filters (agency, state,
//!   procedure, overdue, due before, page 1–3) as the provincial admin, a desk and a department.
//!
//! `MOTCUA_BENCH_DATABASE_URL` names the database (default: a fresh SQLite file); fill one first
//! with `motcua generate dossiers --count 1000000` for the 1M-dossier queue figure.
//! `MOTCUA_BENCH_SCENARIOS=baseline,queue` picks scenarios; `MOTCUA_BENCH_SQLITE_SYNC=normal`
//! measures SQLite without an fsync per commit. Results: docs/PERFORMANCE.md.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Method, Request, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use motcua_app::{App, AppConfig, SystemClock};
use motcua_demo::DEMO_PASSWORD;
use motcua_domain::admin::AgencyKind;
use motcua_storage::AgencyQuery;
use motcua_storage_sql::{ConnectOptions, SqlStore, SqliteSync};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// The allocator the server binary uses (see `crates/server/src/main.rs`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

type Http = Client<HttpConnector, Full<Bytes>>;

fn env<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

async fn call(
    http: &Http,
    method: Method,
    url: &str,
    token: Option<&str>,
    body: Option<String>,
) -> (StatusCode, Bytes) {
    let mut b = Request::builder().method(method).uri(url).header("content-type", "application/json");
    if let Some(t) = token {
        b = b.header("authorization", format!("Bearer {t}"));
    }
    let req = b.body(Full::new(Bytes::from(body.unwrap_or_default()))).unwrap();
    let res = http.request(req).await.expect("request");
    let status = res.status();
    (status, res.into_body().collect().await.unwrap().to_bytes())
}

async fn token(http: &Http, base: &str, user: &str) -> String {
    let body = serde_json::json!({"username": user, "password": DEMO_PASSWORD}).to_string();
    let (s, b) = call(http, Method::POST, &format!("{base}/api/v1/auth/token"), None, Some(body)).await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&b));
    serde_json::from_slice::<serde_json::Value>(&b).unwrap()["token"].as_str().unwrap().to_owned()
}

struct Outcome {
    ok: u64,
    failed: u64,
    latencies: Vec<Duration>,
    elapsed: Duration,
}

impl Outcome {
    fn print(&mut self, name: &str) {
        self.latencies.sort();
        let pct = |p: f64| {
            let v = &self.latencies;
            if v.is_empty() { 0.0 } else { v[((v.len() - 1) as f64 * p).round() as usize].as_secs_f64() * 1e3 }
        };
        println!(
            "{name:>9}: {:>8.0} ok/s  ok {:>7}  failed {:>4}  p50 {:>6.2} ms  p95 {:>6.2} ms  p99 {:>6.2} ms",
            self.ok as f64 / self.elapsed.as_secs_f64(),
            self.ok,
            self.failed,
            pct(0.50),
            pct(0.95),
            pct(0.99)
        );
    }
}

/// Run `clients` loops of `one` for `secs`; each call returns whether it succeeded.
async fn load<F, Fut>(clients: usize, secs: u64, one: F) -> Outcome
where
    F: Fn(usize, u64) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let one = Arc::new(one);
    let start = Instant::now();
    let deadline = start + Duration::from_secs(secs);
    let mut tasks = tokio::task::JoinSet::new();
    for c in 0..clients {
        let one = one.clone();
        tasks.spawn(async move {
            let (mut ok, mut failed, mut lat, mut i) = (0u64, 0u64, Vec::new(), 0u64);
            while Instant::now() < deadline {
                let t = Instant::now();
                if one(c, i).await {
                    ok += 1
                } else {
                    failed += 1
                }
                lat.push(t.elapsed());
                i += 1;
            }
            (ok, failed, lat)
        });
    }
    let mut out = Outcome { ok: 0, failed: 0, latencies: vec![], elapsed: Duration::ZERO };
    while let Some(r) = tasks.join_next().await {
        let (ok, failed, lat) = r.unwrap();
        out.ok += ok;
        out.failed += failed;
        out.latencies.extend(lat);
    }
    out.elapsed = start.elapsed();
    out
}

#[tokio::main]
async fn main() {
    let clients: usize = env("MOTCUA_BENCH_CLIENTS", 16);
    let secs: u64 = env("MOTCUA_BENCH_SECONDS", 10);
    let scenarios: String = env("MOTCUA_BENCH_SCENARIOS", "baseline,intake,queue".to_owned());
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
    let router = motcua_web::router(motcua_web::AppState { app: app.clone(), secure_cookies: false });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        axum::serve(listener, router.into_make_service_with_connect_info::<std::net::SocketAddr>()).await.unwrap()
    });
    let http: Http = Client::builder(TokioExecutor::new()).pool_max_idle_per_host(clients * 2).build_http();
    println!("{backend}, {clients} clients, {secs} s per scenario, {} worker threads", num_threads());

    if scenarios.contains("baseline") {
        let (h, b) = (http.clone(), base.clone());
        let mut o = load(clients, secs, move |_, _| {
            let (h, url) = (h.clone(), format!("{b}/healthz"));
            async move { call(&h, Method::GET, &url, None, None).await.0 == StatusCode::OK }
        })
        .await;
        o.print("baseline");
    }
    if scenarios.contains("intake") {
        let desk = Arc::new(token(&http, &base, "motcua").await);
        let before = count(&store).await;
        let (h, b) = (http.clone(), base.clone());
        let mut o = load(clients, secs, move |c, i| {
            let (h, url, desk) = (h.clone(), format!("{b}/api/v1/dossiers"), desk.clone());
            let body = serde_json::json!({"procedure": "2.000908", "channel": "counter",
                "applicant": {"kind": "citizen", "id": format!("0310950{:05}", (c * 7919 + i as usize) % 100_000),
                    "name": "Nguyễn Văn Thử", "phone": "0912345678"}})
            .to_string();
            async move { call(&h, Method::POST, &url, Some(&desk), Some(body)).await.0 == StatusCode::CREATED }
        })
        .await;
        o.print("intake");
        let stored = count(&store).await - before;
        println!("           {stored} dossiers stored for {} answers 201", o.ok);
        assert_eq!(stored, o.ok, "every 201 is a stored dossier");
    }
    if scenarios.contains("queue") {
        let tokens = Arc::new([
            token(&http, &base, "admin").await,
            token(&http, &base, "motcua").await,
            token(&http, &base, "chuyenvien").await,
        ]);
        let agencies: Arc<Vec<String>> = Arc::new(
            app.agencies(&AgencyQuery::default())
                .await
                .unwrap()
                .into_iter()
                .filter(|a| matches!(a.kind, AgencyKind::Department | AgencyKind::LocalCommittee))
                .map(|a| a.code.to_string())
                .collect(),
        );
        let procedures: Arc<Vec<String>> = Arc::new(
            app.search_procedures(&motcua_app::catalog::SearchParams { per_page: Some(100), ..Default::default() })
                .await
                .unwrap()
                .items
                .into_iter()
                .map(|p| p.code.to_string())
                .collect(),
        );
        let total = count(&store).await;
        println!("           work queues over {total} dossiers");
        let (h, b) = (http.clone(), base.clone());
        let mut o = load(clients, secs, move |c, i| {
            let mut rng = StdRng::seed_from_u64((c as u64) << 32 | i);
            let who = rng.random_range(0..3);
            let mut q = format!("page={}&per_page=20", rng.random_range(1..=3));
            if who == 0 {
                q.push_str(&format!("&agency={}", agencies[rng.random_range(0..agencies.len())]));
            }
            match rng.random_range(0..5) {
                0 => q.push_str("&state=in_processing"),
                1 => q.push_str("&overdue=true"),
                2 => q.push_str(&format!("&procedure={}", procedures[rng.random_range(0..procedures.len())])),
                3 => q.push_str("&due_before=2026-12-15T00:00:00%2B07:00"),
                _ => {}
            }
            let (h, url, token) = (h.clone(), format!("{b}/api/v1/dossiers?{q}"), tokens[who].clone());
            async move { call(&h, Method::GET, &url, Some(&token), None).await.0 == StatusCode::OK }
        })
        .await;
        o.print("queue");
    }
}

fn num_threads() -> usize {
    tokio::runtime::Handle::current().metrics().num_workers()
}

/// Every stored dossier, counted exactly (work queues only count up to a limit).
async fn count(store: &SqlStore) -> u64 {
    use motcua_storage::DossierRepo;
    let q = motcua_domain::dossier::record::DossierQuery { page: 1, per_page: 1, ..Default::default() };
    store.list_dossiers(&q).await.unwrap().1
}
