//! The Decision 766 index of a month at province scale: the live figure (`App::index_report`:
//! the sums kept with each write, the catalog, the publishing decisions, the petitions) against
//! the naive computation (`App::index_check`'s scan of every dossier row of the month), measured
//! in the same run on the same database; the bench also checks that both give the same counts.
//!
//! `MOTCUA_BENCH_DATABASE_URL` (default `sqlite:target/bench-index/index.db`) is filled once up
//! to `MOTCUA_BENCH_DOSSIERS` (1,000,000) dossiers received over the 12 months before now, through
//! the store's intake (group commit, each dossier with its share of the sums), and reused by
//! later runs. `MOTCUA_BENCH_ITERATIONS` (50) live figures, 3 scans. Results: docs/PERFORMANCE.md.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{Datelike, Utc};
use motcua_app::{Actor, App, AppConfig, SystemClock};
use motcua_domain::calendar::deadline::vn_offset;
use motcua_domain::dossier::record::DossierQuery;
use motcua_domain::dossier::{Command, Dossier, Policy, State, transition};
use motcua_domain::ids::{AgencyCode, ProcedureCode};
use motcua_domain::procedure::Channel;
use motcua_storage::{DossierRepo, no_notices};
use motcua_storage_sql::{ConnectOptions, SqlStore, SqliteSync};
use motcua_testkit::fixtures::{audit, intake_event, new_dossier};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

fn env<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

async fn stored(store: &SqlStore) -> u64 {
    let q = DossierQuery { page: 1, per_page: 1, ..DossierQuery::default() };
    store.list_dossiers(&q).await.unwrap().1
}

/// Add `missing` dossiers: 20 desks, the demo catalog's procedures each with its competent
/// department, the three channels, received over the last 12 months, 90 % finished (three in
/// four by their appointment), fees paid online for a third of those with a fee.
async fn fill(app: &App, store: &SqlStore, missing: u64) {
    let procedures = app.export_procedures(&Actor::Cli).await.unwrap();
    let kinds: Vec<(ProcedureCode, motcua_domain::dossier::record::ProcedureTraits)> = procedures
        .iter()
        .filter_map(|p| p.versions.last().map(|v| (p.code.clone(), v.content.index_traits())))
        .collect();
    let now = Utc::now().with_timezone(&vn_offset());
    let started = Instant::now();
    let workers = 64u64;
    let per = missing.div_ceil(workers);
    let mut tasks = Vec::new();
    for w in 0..workers {
        let (store, kinds) = (store.clone(), kinds.clone());
        tasks.push(tokio::spawn(async move {
            let mut rng = StdRng::seed_from_u64(w);
            for _ in 0..per {
                let (code, traits) = kinds[rng.random_range(0..kinds.len())].clone();
                let received = now - chrono::Duration::minutes(rng.random_range(60..365 * 24 * 60));
                let channel = [Channel::Counter, Channel::Online, Channel::Postal][rng.random_range(0..3)];
                let mut new = new_dossier(channel, received, Some("0912345678"), None);
                new.agency = AgencyCode::parse(&format!("H24.{}", 31 + rng.random_range(0..20))).unwrap();
                let dept = 10 + (code.as_str().bytes().map(u32::from).sum::<u32>() % 12);
                new.competent_agency = AgencyCode::parse(&format!("H24.{dept}")).unwrap();
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
                if rng.random_bool(0.9) && end < now {
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
    let app = App::new(store.clone(), Arc::new(SystemClock), AppConfig::default());
    app.prepare().await.unwrap();
    motcua_demo::load(&app).await.unwrap();
    let have = stored(&store).await;
    if have < target {
        println!("{have} dossiers stored; generating {} more", target - have);
        fill(&app, &store, target - have).await;
    }
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
