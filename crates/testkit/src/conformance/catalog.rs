//! The procedure catalog: import, search, versions with optimistic locking, export.

use motcua_domain::procedure::search::{CatalogIndex, CatalogQuery, Page, ProcedureSummary};
use motcua_domain::procedure::{Level, OnlineLevel, TimeUnit, VersionStatus};
use motcua_domain::text::query_words;
use motcua_storage::{ImportSummary, Store, StoreError};

use super::*;
use crate::fixtures::*;

pub async fn catalog_story(s: &impl Store) {
    s.import_map(&small_map(), &audit("map.import")).await.unwrap_or_else(|e| panic!("{e}"));
    let mut birth = published("1.001193", "Thủ tục đăng ký khai sinh", "Hộ tịch", Level::Commune, "2025-07-01");
    birth.versions[0].content.online_level = OnlineLevel::Full;
    let procs = vec![
        birth,
        published("1.000656", "Thủ tục đăng ký khai tử", "Hộ tịch", Level::Commune, "2025-07-01"),
        published("2.000908", "Cấp bản sao từ sổ gốc", "Chứng thực", Level::Commune, "2025-07-01"),
        published(
            "1.001612",
            "Đăng ký thành lập hộ kinh doanh",
            "Thành lập và hoạt động của hộ kinh doanh",
            Level::Commune,
            "2025-07-01",
        ),
        published(
            "1.009994",
            "Cấp giấy phép xây dựng mới đối với công trình",
            "Hoạt động xây dựng",
            Level::Province,
            "2025-07-01",
        ),
        published("1.000001", "Khai sinh cho trẻ em: đăng ký kết hợp", "Hộ tịch", Level::Commune, "2030-01-01"),
    ];
    let sum =
        s.import_procedures(&procs, &audit("catalog.import"), &no_progress).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sum.created, 6);
    let again =
        s.import_procedures(&procs, &audit("catalog.import"), &no_progress).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again, ImportSummary { created: 0, updated: 0, unchanged: 6 });

    let q = catalog_query;
    // Search runs on the index built from what the store returns.
    let entries = s.catalog_entries().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(entries.len(), 6);
    let index = CatalogIndex::new(entries);
    let search = |q: &CatalogQuery| -> Page<ProcedureSummary> { index.search(q) };
    // Diacritics, case and đ/d are ignored; best match first.
    let r = search(&q("dang ky khai sinh"));
    assert_eq!(r.total, 1, "not yet in force procedures are not found");
    assert_eq!(r.items[0].code.as_str(), "1.001193");
    assert_eq!(r.items[0].online_level, OnlineLevel::Full);
    assert_eq!(r.items[0].time_limit.as_ref().map(|t| t.unit), Some(TimeUnit::WorkingDays));
    let r = search(&q("ĐĂNG KÝ"));
    assert_eq!(r.total, 3);
    let codes: Vec<_> = r.items.iter().map(|i| i.code.as_str()).collect();
    assert_eq!(codes, vec!["1.000656", "1.001193", "1.001612"], "names starting with the phrase, shortest first");
    let r = search(&q("khai"));
    assert_eq!(r.items.iter().map(|i| i.code.as_str()).collect::<Vec<_>>(), vec!["1.000656", "1.001193"]);
    let r = search(&q("2.000908"));
    assert_eq!(r.items.first().map(|i| i.code.as_str()), Some("2.000908"));
    let r = search(&CatalogQuery { on: date("2030-02-01"), ..q("khai sinh") });
    assert_eq!(r.total, 2, "the date selects the versions in force");

    // Filters and paging.
    let r = search(&CatalogQuery { field: Some("Hộ tịch".into()), ..q("") });
    assert_eq!(r.total, 2);
    let r = search(&CatalogQuery { level: Some(Level::Province), ..q("") });
    assert_eq!(r.items.iter().map(|i| i.code.as_str()).collect::<Vec<_>>(), vec!["1.009994"]);
    let r = search(&CatalogQuery { online_level: Some(OnlineLevel::Full), ..q("") });
    assert_eq!(r.total, 1);
    let r = search(&CatalogQuery { agency: Some(agency_code("H24.12")), ..q("") });
    assert_eq!(r.total, 5);
    let r = search(&CatalogQuery { agency: Some(agency_code("000.00.12.H23")), ..q("") });
    assert_eq!(r.total, 0);
    let p2 = search(&CatalogQuery { page: 2, per_page: 2, ..q("") });
    assert_eq!((p2.total, p2.items.len(), p2.page), (5, 2, 2));
    assert_eq!(index.fields(date("2026-11-27")).len(), 4);
    let stamp = s.catalog_stamp().await.unwrap_or_else(|e| panic!("{e}"));
    let proc_ = new_version_with_locking(s, stamp).await;
    export_round_trip(s, &proc_).await;
}

/// A query of the catalog on 27/11/2026, first page of 20.
pub(super) fn catalog_query(text: &str) -> CatalogQuery {
    CatalogQuery { words: query_words(text), on: date("2026-11-27"), page: 1, per_page: 20, ..CatalogQuery::default() }
}

/// A new version saved with optimistic locking, then published; the stamp moves.
pub(super) async fn new_version_with_locking(s: &impl Store, stamp: i64) -> motcua_domain::procedure::Procedure {
    let q = catalog_query;
    let stored = s
        .procedure(&procedure_code("1.001193"))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("stored"));
    let mut proc_ = stored.procedure.clone();
    let mut c = proc_.versions[0].content.clone();
    c.time_limit = Some(motcua_domain::procedure::TimeLimit { value: 1.0, unit: TimeUnit::WorkingDays, text: None });
    let draft = proc_.new_draft(c).unwrap_or_else(|e| panic!("{e}"));
    proc_.versions.push(draft.clone());
    let rev = s
        .save_versions(&proc_.code, stored.revision, std::slice::from_ref(&draft), &audit("procedure.draft"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rev, stored.revision + 1);
    let stale = s.save_versions(&proc_.code, stored.revision, &[draft], &audit("procedure.draft")).await;
    assert!(matches!(stale, Err(StoreError::Stale)), "{stale:?}");
    let changed =
        proc_.publish("5/QĐ-UBND".into(), date("2026-11-20"), date("2026-12-01")).unwrap_or_else(|e| panic!("{e}"));
    let rev2 = s
        .save_versions(&proc_.code, rev, &changed, &audit("procedure.publish"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rev2, rev + 1);
    let now = s.procedure(&proc_.code).await.unwrap_or_else(|e| panic!("{e}")).unwrap_or_else(|| panic!("stored"));
    assert_eq!(now.procedure, proc_);
    assert_eq!(now.procedure.version_on(date("2026-11-27")).map(|v| v.number), Some(1));
    assert_eq!(now.procedure.version_on(date("2026-12-01")).map(|v| v.number), Some(2));
    assert_ne!(s.catalog_stamp().await.unwrap_or_else(|e| panic!("{e}")), stamp, "a change moves the stamp");
    let index = CatalogIndex::new(s.catalog_entries().await.unwrap_or_else(|e| panic!("{e}")));
    let r = index.search(&CatalogQuery { on: date("2026-12-02"), ..q("khai sinh") });
    assert_eq!((r.items[0].version, r.items[0].status), (2, VersionStatus::Published));
    proc_
}

/// Export → import round trip, and the export re-imports as unchanged; an import that would
/// rewrite a published version fails whole, naming the record.
pub(super) async fn export_round_trip(s: &impl Store, proc_: &motcua_domain::procedure::Procedure) {
    let exported = s.export_procedures().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(exported.len(), 6);
    assert_eq!(exported.iter().find(|p| p.code == proc_.code), Some(proc_));
    let again =
        s.import_procedures(&exported, &audit("catalog.import"), &no_progress).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again.unchanged, 6);

    // An import that would rewrite a published version fails whole, naming the record.
    let before = audit_count(s).await;
    let mut bad = exported.clone();
    bad.insert(0, published("1.999999", "Thủ tục mới", "Hộ tịch", Level::Commune, "2025-07-01"));
    if let Some(p) = bad.iter_mut().find(|p| p.code.as_str() == "2.000908") {
        p.versions[0].content.name = "Đã sửa".into();
    }
    let e = s.import_procedures(&bad, &audit("catalog.import"), &no_progress).await.unwrap_err();
    match &e {
        StoreError::Invalid { code, field, .. } => {
            assert_eq!(*code, "version_differs");
            assert!(field.contains("2.000908.versions[0]"), "{field}");
        }
        other => panic!("{other:?}"),
    }
    assert!(
        s.procedure(&procedure_code("1.999999")).await.unwrap_or_else(|e| panic!("{e}")).is_none(),
        "all or nothing"
    );
    assert_eq!(audit_count(s).await, before);
}
