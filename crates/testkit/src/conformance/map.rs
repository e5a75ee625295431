//! The administrative map.

use motcua_domain::admin::UnitLevel;
use motcua_storage::{AgencyQuery, ImportSummary, Store, StoreError, UnitQuery};

use super::*;
use crate::fixtures::*;

pub async fn map_story(s: &impl Store) {
    let map = small_map();
    let sum = s.import_map(&map, &audit("map.import")).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sum, ImportSummary { created: 9, updated: 0, unchanged: 0 });
    let again = s.import_map(&map, &audit("map.import")).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again, ImportSummary { created: 0, updated: 0, unchanged: 9 }, "re-import is idempotent");

    let communes_2024 = s
        .units(&UnitQuery { level: Some(UnitLevel::Commune), parent: None, on: Some(date("2024-06-01")) })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(communes_2024.iter().map(|u| u.code.as_str()).collect::<Vec<_>>(), vec!["10981", "10984"]);
    let today = s
        .units(&UnitQuery { level: Some(UnitLevel::Commune), parent: None, on: Some(date("2026-11-27")) })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(today.len(), 1);
    assert_eq!(today[0].name, "Xã Bình Giang");
    let children = s
        .units(&UnitQuery { level: None, parent: Some(unit_code("293")), on: None })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(children.len(), 2);
    let unit = s.unit(&unit_code("10984")).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(unit.map(|u| u.validity.valid_to), Some(Some(date("2025-07-01"))));
    let links = s.successor_links().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(links.len(), 3);
    assert!(links.iter().any(|l| l.from.as_str() == "10984" && l.share.as_deref() == Some("một phần")));

    let agencies_2026 = s
        .agencies(&AgencyQuery { kind: None, unit: None, on: Some(date("2026-01-01")) })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(agencies_2026.iter().map(|a| a.code.as_str()).collect::<Vec<_>>(), vec!["H24.12"]);
    let ag = s.agency(&agency_code("000.00.12.H23")).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ag.and_then(|a| a.parent).map(|p| p.to_string()), Some("000.00.00.H23".into()));

    // A bad map writes nothing: an agency pointing at a unit that does not exist.
    let before = audit_count(s).await;
    let mut bad = small_map();
    bad.units[0].name = "Đổi tên".into();
    bad.agencies[0].unit = unit_code("99999");
    let e = s.import_map(&bad, &audit("map.import")).await.unwrap_err();
    assert!(matches!(&e, StoreError::Invalid { field, .. } if field == "agencies[0].unit"), "{e:?}");
    let p = s.unit(&unit_code("30")).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(p.map(|u| u.name), Some("Tỉnh Hải Dương".into()), "nothing half-written");
    assert_eq!(audit_count(s).await, before);
}
