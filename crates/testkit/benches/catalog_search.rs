//! Catalog search latency on a generated catalog of 5,000 procedures.
//!
//! Three figures: searches served by the in-memory index (the normal case); searches when the
//! index must first ask the store whether the catalog changed (`catalog_refresh = 0`, the worst
//! case per request for a multi-process deployment); and a full rebuild of the index.
//!
//! `cargo bench -p motcua-testkit --bench catalog_search` (SQLite in a temporary file; set
//! `MOTCUA_BENCH_DATABASE_URL=postgres://...` for PostgreSQL, a fresh schema is used).
//! Prints p50/p95/p99 per query kind and, as the baseline measured in the same run, the latency of
//! reading one procedure by code; ratios go to docs/PERFORMANCE.md.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use motcua_app::catalog::SearchParams;
use motcua_app::{Actor, App, AppConfig, FixedClock};
use motcua_demo::{assignment, demo_map, national_records};
use motcua_domain::ids::ProcedureCode;
use motcua_domain::procedure::{Level, OnlineLevel, Procedure};
use motcua_storage::AgencyQuery;

const CATALOG: usize = 5_000;
const ROUNDS: usize = 400;

/// 5,000 procedures made from the 112 real ones: same shapes and texts, varied names, fields,
/// levels and online levels, unique codes.
fn generate(base: &[Procedure]) -> Vec<Procedure> {
    let variants =
        ["", " (trường hợp cấp lại)", " có yếu tố nước ngoài", " cho tổ chức", " tại khu kinh tế", " (cấp đổi)"];
    let levels = [Level::Commune, Level::Province, Level::Commune, Level::District];
    let online = [OnlineLevel::Full, OnlineLevel::Partial, OnlineLevel::None, OnlineLevel::Unknown];
    (0..CATALOG)
        .map(|i| {
            let mut p = base[i % base.len()].clone();
            p.code = ProcedureCode::parse(&format!("{}.{:06}", 3 + i % 6, 100_000 + i)).unwrap();
            let v = &mut p.versions[0].content;
            v.name = format!("{}{}", v.name, variants[(i / base.len()) % variants.len()]);
            if i >= base.len() {
                v.name = format!("{} - mẫu {i}", v.name);
            }
            v.levels = vec![levels[i % levels.len()]];
            v.online_level = online[i % online.len()];
            p
        })
        .collect()
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx]
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let (ts, label) = motcua_testkit::bench_store().await;
    let store = ts.store.clone();
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-27T03:00:00Z").unwrap().to_utc();
    let app = App::new(store.clone(), Arc::new(FixedClock(now)), AppConfig::default());
    let checking = App::new(
        store,
        Arc::new(FixedClock(now)),
        AppConfig { catalog_refresh: Duration::ZERO, ..AppConfig::default() },
    );
    app.import_map(&Actor::Cli, &demo_map().unwrap()).await.unwrap();
    let a = assignment().unwrap();
    let agencies = app.agencies(&AgencyQuery { on: Some(a.effective_from), ..Default::default() }).await.unwrap();
    let base = motcua_demo::national::convert(&national_records().unwrap(), &a, &agencies).unwrap();
    let catalog = generate(&base);
    let t = Instant::now();
    app.import_procedures(&Actor::Cli, &catalog, &|_| {}).await.unwrap();
    println!("{label}: imported {} procedures in {:.1} s", catalog.len(), t.elapsed().as_secs_f64());

    let q = |text: &str| SearchParams { q: Some(text.into()), ..SearchParams::default() };
    let kinds: Vec<(&str, SearchParams)> = vec![
        ("words, many hits (\"dang ky\")", q("dang ky")),
        ("phrase (\"dang ky khai sinh\")", q("đăng ký khai sinh")),
        ("rare words (\"khoang san\")", q("khoáng sản")),
        ("code (\"3.100006\")", q("3.100006")),
        ("no match (\"xyzzy\")", q("xyzzy")),
        (
            "filters only (field + level)",
            SearchParams { field: Some("Hộ tịch".into()), level: Some(Level::Commune), ..SearchParams::default() },
        ),
        (
            "words + online level + page 3",
            SearchParams {
                q: Some("cap".into()),
                online_level: Some(OnlineLevel::Full),
                page: Some(3),
                ..SearchParams::default()
            },
        ),
        (
            "agency filter + words",
            SearchParams { q: Some("chung thuc".into()), agency: Some("H24.101".into()), ..SearchParams::default() },
        ),
    ];
    // Warm up caches and prepared statements.
    for (_, p) in &kinds {
        app.search_procedures(p).await.unwrap();
    }
    let mut all = Vec::new();
    println!("{:<40} {:>6} {:>9} {:>9} {:>9}", "query", "hits", "p50 µs", "p95 µs", "p99 µs");
    for (name, p) in &kinds {
        let mut times = Vec::with_capacity(ROUNDS);
        let mut hits = 0;
        for _ in 0..ROUNDS {
            let t = Instant::now();
            let r = app.search_procedures(p).await.unwrap();
            times.push(t.elapsed());
            hits = r.total;
        }
        times.sort();
        println!(
            "{name:<40} {hits:>6} {:>9.0} {:>9.0} {:>9.0}",
            us(pct(&times, 0.5)),
            us(pct(&times, 0.95)),
            us(pct(&times, 0.99))
        );
        all.extend(times);
    }
    all.sort();
    let mut base_times = Vec::with_capacity(ROUNDS);
    for i in 0..ROUNDS {
        let code = catalog[(i * 37) % catalog.len()].code.to_string();
        let t = Instant::now();
        app.procedure_on(&code, None).await.unwrap();
        base_times.push(t.elapsed());
    }
    base_times.sort();
    let mut check_times = Vec::with_capacity(ROUNDS);
    for i in 0..ROUNDS {
        let t = Instant::now();
        checking.search_procedures(&kinds[i % kinds.len()].1).await.unwrap();
        check_times.push(t.elapsed());
    }
    check_times.sort();
    let mut rebuild = Vec::new();
    for _ in 0..10 {
        let t = Instant::now();
        let entries = app.catalog_entries().await.unwrap();
        let index = motcua_domain::procedure::search::CatalogIndex::new(entries);
        assert_eq!(index.len(), CATALOG);
        rebuild.push(t.elapsed());
    }
    rebuild.sort();
    println!(
        "searches with a store check each time (catalog_refresh = 0): p50 {:.0} µs, p99 {:.0} µs",
        us(pct(&check_times, 0.5)),
        us(pct(&check_times, 0.99))
    );
    println!("index rebuild from the store (5,000 versions): median {:.1} ms", rebuild[5].as_secs_f64() * 1e3);
    let (p50, p99, b50) = (pct(&all, 0.5), pct(&all, 0.99), pct(&base_times, 0.5));
    println!("all searches: p50 {:.0} µs, p99 {:.0} µs ({} queries)", us(p50), us(p99), all.len());
    println!("baseline, read one procedure by code: p50 {:.0} µs, p99 {:.0} µs", us(b50), us(pct(&base_times, 0.99)));
    println!("ratio search p99 / baseline p50: {:.1}", us(p99) / us(b50));
    println!("target p99 < 5000 µs: {}", if p99 < Duration::from_millis(5) { "met" } else { "NOT met" });
}
