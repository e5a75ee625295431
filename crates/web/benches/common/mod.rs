//! What the HTTP benchmarks share: the client, the load loop and its figures, and the province
//! data they fill a database with once.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Method, Request, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use motcua_app::{Actor, App};
use motcua_demo::DEMO_PASSWORD;
use motcua_domain::admin::AgencyKind;
use motcua_domain::calendar::deadline::vn_offset;
use motcua_domain::dossier::record::DossierQuery;
use motcua_domain::dossier::{Command, Dossier, Policy, State, transition};
use motcua_domain::ids::{AgencyCode, ProcedureCode};
use motcua_domain::procedure::Channel;
use motcua_storage::{AgencyQuery, DossierRepo, no_notices};
use motcua_storage_sql::SqlStore;
use motcua_testkit::fixtures::{audit, intake_event, new_dossier};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

pub type Http = Client<HttpConnector, Full<Bytes>>;

pub fn env<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// A client keeping up to `clients * 2` idle connections.
pub fn http(clients: usize) -> Http {
    Client::builder(TokioExecutor::new()).pool_max_idle_per_host(clients * 2).build_http()
}

/// Serve the full router on a loopback port; the base URL.
pub async fn serve(app: &App) -> String {
    let router = motcua_web::router(motcua_web::AppState { app: app.clone(), secure_cookies: false });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        axum::serve(listener, router.into_make_service_with_connect_info::<std::net::SocketAddr>()).await.unwrap()
    });
    base
}

pub async fn call(
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

pub async fn token(http: &Http, base: &str, user: &str) -> String {
    let body = serde_json::json!({"username": user, "password": DEMO_PASSWORD}).to_string();
    let (s, b) = call(http, Method::POST, &format!("{base}/api/v1/auth/token"), None, Some(body)).await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&b));
    serde_json::from_slice::<serde_json::Value>(&b).unwrap()["token"].as_str().unwrap().to_owned()
}

pub struct Outcome {
    pub ok: u64,
    pub failed: u64,
    pub latencies: Vec<Duration>,
    pub elapsed: Duration,
}

impl Outcome {
    pub fn percentile_ms(&self, p: f64) -> f64 {
        let v = &self.latencies;
        if v.is_empty() { 0.0 } else { v[((v.len() - 1) as f64 * p).round() as usize].as_secs_f64() * 1e3 }
    }

    pub fn rate(&self) -> f64 {
        self.ok as f64 / self.elapsed.as_secs_f64()
    }

    pub fn print(&mut self, name: &str) {
        self.latencies.sort();
        println!(
            "{name:>9}: {:>8.1} ok/s  ok {:>7}  failed {:>4}  p50 {:>6.2} ms  p95 {:>6.2} ms  p99 {:>6.2} ms",
            self.rate(),
            self.ok,
            self.failed,
            self.percentile_ms(0.50),
            self.percentile_ms(0.95),
            self.percentile_ms(0.99)
        );
    }
}

/// Run `clients` loops of `one` for `secs`; each call returns whether it succeeded.
pub async fn load<F, Fut>(clients: usize, secs: u64, one: F) -> Outcome
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

pub fn num_threads() -> usize {
    tokio::runtime::Handle::current().metrics().num_workers()
}

/// Every stored dossier, counted exactly (work queues only count up to a limit).
pub async fn stored(store: &SqlStore) -> u64 {
    let q = DossierQuery { page: 1, per_page: 1, ..DossierQuery::default() };
    store.list_dossiers(&q).await.unwrap().1
}

/// The phone every generated applicant gives (the public lookup asks its last four digits).
pub const PHONE: &str = "0912345678";

/// The map's desks in force today (where dossiers are received) and its departments.
pub async fn desks_and_departments(app: &App) -> (Vec<AgencyCode>, Vec<AgencyCode>) {
    let today = Utc::now().with_timezone(&vn_offset()).date_naive();
    let agencies = app.agencies(&AgencyQuery { on: Some(today), ..AgencyQuery::default() }).await.unwrap();
    let of = |keep: fn(AgencyKind) -> bool| agencies.iter().filter(|a| keep(a.kind)).map(|a| a.code.clone()).collect();
    (of(AgencyKind::receives_dossiers), of(|k| k == AgencyKind::Department))
}

/// Dossiers a day the generated province receives (`MOTCUA_BENCH_PER_DAY`, default 2,740: a
/// million a year).
pub fn per_day() -> f64 {
    env("MOTCUA_BENCH_PER_DAY", 2740.0)
}

/// Add `missing` dossiers, older than those stored: at [`per_day`], a database of N dossiers
/// holds the last N / per_day days, so that a larger one is the same province after more years
/// (its open dossiers and its months the same size). At the map's desks, the demo catalog's
/// procedures each with a competent department, the three channels; every dossier whose end has
/// passed is finished (three in four by their appointment), fees paid online for a third of
/// those with a fee. Through the store's intake (group commit), 64 at once.
pub async fn fill(app: &App, store: &SqlStore, missing: u64) {
    let procedures = app.export_procedures(&Actor::Cli).await.unwrap();
    let kinds: Vec<(ProcedureCode, motcua_domain::dossier::record::ProcedureTraits)> = procedures
        .iter()
        .filter_map(|p| p.versions.last().map(|v| (p.code.clone(), v.content.index_traits())))
        .collect();
    let (desks, departments) = desks_and_departments(app).await;
    let now = Utc::now().with_timezone(&vn_offset());
    let started = Instant::now();
    let workers = 64u64;
    let per = missing.div_ceil(workers);
    let seed = stored(store).await;
    // The days this fill covers: before the `seed` dossiers already there.
    let (newest, oldest) = (seed as f64 / per_day(), (seed + missing) as f64 / per_day());
    let minutes = ((newest * 1440.0) as i64).max(60)..((oldest * 1440.0) as i64).max(61);
    let mut tasks = Vec::new();
    for w in 0..workers {
        let (store, kinds, desks, departments) = (store.clone(), kinds.clone(), desks.clone(), departments.clone());
        let minutes = minutes.clone();
        tasks.push(tokio::spawn(async move {
            let mut rng = StdRng::seed_from_u64(seed + w);
            for _ in 0..per {
                let (code, traits) = kinds[rng.random_range(0..kinds.len())].clone();
                let received = now - chrono::Duration::minutes(rng.random_range(minutes.clone()));
                let channel = [Channel::Counter, Channel::Online, Channel::Postal][rng.random_range(0..3)];
                let mut new = new_dossier(channel, received, Some(PHONE), None);
                new.agency = desks[rng.random_range(0..desks.len())].clone();
                let dept = code.as_str().bytes().map(usize::from).sum::<usize>() % departments.len();
                new.competent_agency = departments[dept].clone();
                new.procedure = code;
                new.traits = traits;
                let due = received + chrono::Duration::days(rng.random_range(3..20));
                let (mut wf, _) =
                    transition(&Dossier::submitted(), &Command::Accept { due }, received, &Policy::default()).unwrap();
                let end = if rng.random_bool(0.75) {
                    due - chrono::Duration::hours(30)
                } else {
                    due + chrono::Duration::days(2)
                };
                if end < now {
                    wf = Dossier { state: State::Returned, resolved_at: Some(end), ended_at: Some(end), ..wf };
                }
                wf.paid_online = traits.fee_bearing && rng.random_bool(0.33);
                new.workflow = wf;
                store.create_dossier(&new, &intake_event(&new), &audit("dossier.intake"), no_notices()).await.unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let secs = started.elapsed().as_secs_f64();
    println!("filled {} dossiers in {secs:.0} s ({:.0}/s)", per * workers, (per * workers) as f64 / secs);
}

/// Fill the database up to `target` dossiers (nothing when it holds that many already), then
/// let it settle (PostgreSQL's statistics and visibility map, as autovacuum would).
pub async fn fill_up_to(app: &App, store: &SqlStore, target: u64) {
    let have = stored(store).await;
    if have < target {
        println!("{have} dossiers stored; generating {} more", target - have);
        fill(app, store, target - have).await;
    }
    store.settle().await.unwrap();
}

/// `GET /healthz`: the HTTP stack alone, the baseline of every figure.
pub async fn healthz(http: &Http, base: &str, clients: usize, secs: u64) -> Outcome {
    let (h, b) = (http.clone(), base.to_owned());
    load(clients, secs, move |_, _| {
        let (h, url) = (h.clone(), format!("{b}/healthz"));
        async move { call(&h, Method::GET, &url, None, None).await.0 == StatusCode::OK }
    })
    .await
}

/// Work-queue pages with mixed filters (agency, state, procedure, overdue, due before, page 1–3)
/// as the provincial admin, a desk and a department, for `secs`.
pub async fn queue(app: &App, http: &Http, base: &str, clients: usize, secs: u64) -> Outcome {
    let tokens = Arc::new([
        token(http, base, "admin").await,
        token(http, base, "motcua").await,
        token(http, base, "chuyenvien").await,
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
    let (h, b) = (http.clone(), base.to_owned());
    load(clients, secs, move |c, i| {
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
    .await
}
