//! Every read a province lives on, over real HTTP at province scale: the work queues, a desk's
//! tracking book for a month, a dossier's page, the public lookup and the Decision 766 index of
//! a month, each with `MOTCUA_BENCH_CLIENTS` (16) clients for `MOTCUA_BENCH_SECONDS` (10), after
//! `GET /healthz` (the HTTP stack alone) in the same run.
//!
//! `MOTCUA_BENCH_DATABASE_URL` (default `sqlite:target/bench-reads/reads.db`) is filled once up to
//! `MOTCUA_BENCH_DOSSIERS` (1,000,000) dossiers of a province receiving a million a year (the
//! data of `common::fill`: 1,000,000 is the last 12 months) and reused by later runs; a larger
//! target adds older dossiers, so one database grows 100k → 1M → 5M as the same province after
//! more years. `MOTCUA_BENCH_SCENARIOS` picks scenarios
//! (`baseline,queue,book,page,lookup,index`, and `whole`: a month's whole book, the document
//! printed or downloaded, by one client). `MOTCUA_BENCH_POOL` (16): the database connections.
//! Prints the disk the database uses per dossier.
//! Results: docs/PERFORMANCE.md.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;

use chrono::{Datelike, Months, NaiveDate, Utc};
use common::{Http, call, env, load, stored, token};
use hyper::{Method, StatusCode};
use motcua_app::throttle::{Limits, Rate};
use motcua_app::{App, AppConfig, SystemClock};
use motcua_domain::calendar::deadline::vn_offset;
use motcua_domain::dossier::record::DossierQuery;
use motcua_storage::DossierRepo;
use motcua_storage_sql::{ConnectOptions, SqlStore, SqliteSync};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// The allocator the server binary uses (see `crates/server/src/main.rs`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The full months before this one that the data covers (`total` dossiers at
/// `common::per_day`), at most 12, oldest first.
fn last_months(total: u64) -> Vec<NaiveDate> {
    let today = Utc::now().with_timezone(&vn_offset()).date_naive();
    let oldest = today - chrono::Duration::days((total as f64 / common::per_day()) as i64);
    let first = today.with_day(1).unwrap();
    let months: Vec<NaiveDate> = (1..=12).rev().map(|m| first - Months::new(m)).filter(|m| *m >= oldest).collect();
    if months.is_empty() { vec![first - Months::new(1)] } else { months }
}

/// Codes of dossiers spread over the 12 months (a page of each month, newest and oldest).
async fn sample_codes(store: &SqlStore, months: &[NaiveDate]) -> Vec<String> {
    let mut codes = Vec::new();
    for m in months {
        let from = m.and_hms_opt(0, 0, 0).unwrap().and_local_timezone(vn_offset()).unwrap();
        let q = DossierQuery {
            received_from: Some(from),
            received_before: Some(from + Months::new(1)),
            per_page: 200,
            page: 1,
            count_limit: Some(1),
            ..DossierQuery::default()
        };
        codes.extend(store.list_dossiers(&q).await.unwrap().0.into_iter().map(|d| d.code.to_string()));
    }
    codes
}

/// `clients` loops of GET `url(rng)`, signed in with `token` or anonymous, each expecting 200
/// (anything else is counted failed and printed).
async fn reads<F>(http: &Http, clients: usize, secs: u64, token: Option<String>, url: F) -> common::Outcome
where
    F: Fn(&mut StdRng) -> String + Send + Sync + 'static,
{
    let (h, token) = (http.clone(), Arc::new(token));
    load(clients, secs, move |c, i| {
        let mut rng = StdRng::seed_from_u64((c as u64) << 32 | i);
        let (h, url, token) = (h.clone(), url(&mut rng), token.clone());
        async move {
            let (status, body) = call(&h, Method::GET, &url, token.as_deref(), None).await;
            if status != StatusCode::OK {
                eprintln!("{url}: {status} {}", String::from_utf8_lossy(&body[..body.len().min(300)]));
            }
            status == StatusCode::OK
        }
    })
    .await
}

#[tokio::main]
async fn main() {
    let clients: usize = env("MOTCUA_BENCH_CLIENTS", 16);
    let secs: u64 = env("MOTCUA_BENCH_SECONDS", 10);
    let scenarios: String = env("MOTCUA_BENCH_SCENARIOS", "baseline,queue,book,page,lookup,index,whole".to_owned());
    let url = std::env::var("MOTCUA_BENCH_DATABASE_URL").unwrap_or_else(|_| {
        std::fs::create_dir_all("target/bench-reads").unwrap();
        "sqlite:target/bench-reads/reads.db".into()
    });
    let target: u64 = env("MOTCUA_BENCH_DOSSIERS", 1_000_000);
    // Generated data: SQLite without an fsync per commit (what is measured is reads).
    let pool = env("MOTCUA_BENCH_POOL", 16);
    let opts = ConnectOptions { sqlite_sync: SqliteSync::Normal, max_connections: pool, ..ConnectOptions::default() };
    let store = SqlStore::connect(&url, &opts).await.unwrap();
    // The public lookup comes from one address here, from thousands in a province: its
    // per-address throttle is off (the per-code one stays, and every lookup gives the right digits).
    let limits = Limits { lookups_per_address: Rate { burst: 0, per_hour: 0 }, ..Limits::default() };
    let app = App::new(store.clone(), Arc::new(SystemClock), AppConfig { limits, ..AppConfig::default() });
    app.prepare().await.unwrap();
    motcua_demo::load(&app).await.unwrap();
    common::fill_up_to(&app, &store, target).await;
    let total = stored(&store).await;
    let bytes = store.database_bytes().await.unwrap();
    println!("database: {}", url.split('@').next_back().unwrap_or(&url));
    println!(
        "dossiers stored: {total}; database {:.1} MiB, {:.0} bytes per dossier",
        bytes as f64 / 1048576.0,
        bytes as f64 / total.max(1) as f64
    );

    let base = common::serve(&app).await;
    let http = common::http(clients);
    let months = Arc::new(last_months(total));
    let (desks, _) = common::desks_and_departments(&app).await;
    let desks: Arc<Vec<String>> = Arc::new(desks.iter().map(|d| d.to_string()).collect());
    let codes = Arc::new(sample_codes(&store, &months).await);
    let admin = token(&http, &base, "admin").await;
    println!(
        "{clients} clients, {secs} s per scenario, {} worker threads; {} desks, {} months, {} sampled dossiers",
        common::num_threads(),
        desks.len(),
        months.len(),
        codes.len()
    );

    if scenarios.contains("baseline") {
        common::healthz(&http, &base, clients, secs).await.print("baseline");
    }
    if scenarios.contains("queue") {
        common::queue(&app, &http, &base, clients, secs).await.print("queue");
    }
    if scenarios.contains("book") {
        let (b, desks, months) = (base.clone(), desks.clone(), months.clone());
        let mut o = reads(&http, clients, secs, Some(admin.clone()), move |rng| {
            let m = months[rng.random_range(0..months.len())];
            let last = (m + Months::new(1)).pred_opt().unwrap();
            let desk = &desks[rng.random_range(0..desks.len())];
            // A page of 100 rows, as the book is read on screen (a busy desk's month is ~23).
            let page = rng.random_range(1..=20);
            format!("{b}/api/v1/desks/{desk}/tracking-book?from={m}&to={last}&page={page}")
        })
        .await;
        o.print("book");
    }
    if scenarios.contains("whole") {
        // The whole month's book, the document printed or downloaded: one client.
        let (b, desks, months) = (base.clone(), desks.clone(), months.clone());
        let mut o = reads(&http, 1, secs, Some(admin.clone()), move |rng| {
            let m = months[rng.random_range(0..months.len())];
            let last = (m + Months::new(1)).pred_opt().unwrap();
            let desk = &desks[rng.random_range(0..desks.len())];
            format!("{b}/api/v1/desks/{desk}/tracking-book?from={m}&to={last}")
        })
        .await;
        o.print("book, whole (1 client)");
    }
    if scenarios.contains("page") {
        let (b, codes) = (base.clone(), codes.clone());
        let mut o = reads(&http, clients, secs, Some(admin.clone()), move |rng| {
            format!("{b}/ho-so/{}", codes[rng.random_range(0..codes.len())])
        })
        .await;
        o.print("page");
    }
    if scenarios.contains("lookup") {
        let (b, codes) = (base.clone(), codes.clone());
        let digits = &common::PHONE[common::PHONE.len() - 4..];
        let mut o = reads(&http, clients, secs, None, move |rng| {
            format!("{b}/api/v1/track/{}?phone={digits}", codes[rng.random_range(0..codes.len())])
        })
        .await;
        o.print("lookup");
    }
    if scenarios.contains("index") {
        let (b, months) = (base.clone(), months.clone());
        let mut o = reads(&http, clients, secs, None, move |rng| {
            let m = months[rng.random_range(0..months.len())];
            format!("{b}/api/v1/reports/index?period={:04}-{:02}", m.year(), m.month())
        })
        .await;
        o.print("index");
    }
    store.close().await;
}
