//! The Decision 766 index of a month at province scale: the live figure (`App::index_report`:
//! the sums kept with each write, the catalog, the publishing decisions, the petitions) against
//! the naive computation (`App::index_check`'s scan of every dossier row of the month), measured
//! in the same run on the same database; the bench also checks that both give the same counts.
//!
//! `MOTCUA_BENCH_DATABASE_URL` (default `sqlite:target/bench-index/index.db`) is filled once up
//! to `MOTCUA_BENCH_DOSSIERS` (1,000,000) dossiers received over the 12 months before now (a
//! million a year, see `common::fill`), through
//! the store's intake (group commit, each dossier with its share of the sums), and reused by
//! later runs. `MOTCUA_BENCH_ITERATIONS` (50) live figures (computed each time: the report kept
//! in memory, `index_refresh`, is off), 3 scans. Results: docs/PERFORMANCE.md.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{Datelike, Utc};
use common::{env, fill_up_to, stored};
use motcua_app::{Actor, App, AppConfig, SystemClock};
use motcua_domain::calendar::deadline::vn_offset;
use motcua_storage_sql::{ConnectOptions, SqlStore, SqliteSync};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main]
async fn main() {
    let url = std::env::var("MOTCUA_BENCH_DATABASE_URL").unwrap_or_else(|_| {
        std::fs::create_dir_all("target/bench-index").unwrap();
        "sqlite:target/bench-index/index.db".into()
    });
    let target: u64 = env("MOTCUA_BENCH_DOSSIERS", 1_000_000);
    let iterations: usize = env("MOTCUA_BENCH_ITERATIONS", 50);
    // Generated data: SQLite without an fsync per commit (the figure measured is a read).
    let opts = ConnectOptions { sqlite_sync: SqliteSync::Normal, max_connections: 16, ..ConnectOptions::default() };
    let store = SqlStore::connect(&url, &opts).await.unwrap();
    // The computation is measured, not the copy kept in memory between writes.
    let config = AppConfig { index_refresh: Duration::ZERO, ..AppConfig::default() };
    let app = App::new(store.clone(), Arc::new(SystemClock), config);
    app.prepare().await.unwrap();
    motcua_demo::load(&app).await.unwrap();
    fill_up_to(&app, &store, target).await;
    let total = stored(&store).await;
    // The last full month.
    let today = Utc::now().with_timezone(&vn_offset()).date_naive();
    let last = today.with_day(1).unwrap().pred_opt().unwrap();
    let period = format!("{:04}-{:02}", last.year(), last.month());

    let started = Instant::now();
    let check = app.index_check(&Actor::Cli, &period).await.unwrap();
    let first_scan = started.elapsed();
    assert!(check.differences.is_empty(), "live and scanned counts differ: {check:?}");
    let mut scans = vec![first_scan];
    for _ in 0..2 {
        let t = Instant::now();
        app.index_check(&Actor::Cli, &period).await.unwrap();
        scans.push(t.elapsed());
    }
    let mut live = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let t = Instant::now();
        let r = app.index_report(&period, None).await.unwrap();
        live.push(t.elapsed());
        assert!(r.score.total >= 0.0);
    }
    live.sort();
    scans.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let mean = |v: &[Duration]| v.iter().map(|d| ms(*d)).sum::<f64>() / v.len() as f64;
    println!("database: {}", url.split('@').next_back().unwrap_or(&url));
    println!("dossiers stored: {total}; month {period}: {} dossiers", check.dossiers);
    println!(
        "live index (sums): p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms, mean {:.2} ms ({iterations} runs)",
        ms(percentile(&live, 0.5)),
        ms(percentile(&live, 0.95)),
        ms(*live.last().unwrap()),
        mean(&live)
    );
    println!(
        "naive scan of the month's dossiers: median {:.0} ms, best {:.0} ms (3 runs)",
        ms(percentile(&scans, 0.5)),
        ms(scans[0])
    );
    println!("ratio scan / live (medians): {:.0}x", ms(percentile(&scans, 0.5)) / ms(percentile(&live, 0.5)));
    store.close().await;
}
