//! `motcua import plan FILE` and `motcua plan show --json` on the seed plan, from a fresh data
//! folder: every task of sections I to IV with its agencies and deadline, and the appendix.
#![allow(clippy::unwrap_used)]

mod common;
use common::cli;

#[test]
fn import_then_show_the_seed_plan() {
    let dir = tempfile::tempdir().unwrap();
    let seed = concat!(env!("CARGO_MANIFEST_DIR"), "/../../demo/plan-2024.txt");
    // Without the map the province of the plan is unknown: a clear error, nothing stored.
    let (ok, _, err) = cli(dir.path(), &["import", "plan", seed]);
    assert!(!ok && err.contains("plan_province_unknown"), "{err}");
    let (ok, _, err) = cli(dir.path(), &["import", "map", concat!(env!("CARGO_MANIFEST_DIR"), "/../../demo/map.json")]);
    assert!(ok, "{err}");
    let (ok, out, err) = cli(dir.path(), &["import", "plan", seed]);
    assert!(ok, "{err}");
    assert!(out.contains("đã tạo") && out.contains("32 nhiệm vụ, 8 nội dung con"), "{out}");
    assert!(out.contains("II.3.3: Công an tỉnh"), "unmatched names are listed: {out}");
    let (ok, out, _) = cli(dir.path(), &["import", "plan", seed, "--json"]);
    assert!(ok);
    assert_eq!(serde_json::from_str::<serde_json::Value>(&out).unwrap()["outcome"], "unchanged");

    let (ok, out, err) = cli(dir.path(), &["plan", "show", "--json"]);
    assert!(ok, "{err}");
    let p: serde_json::Value = serde_json::from_str(&out).unwrap();
    let sections = p["sections"].as_array().unwrap();
    let numerals: Vec<&str> = sections.iter().map(|s| s["number"].as_str().unwrap()).collect();
    assert_eq!(numerals, ["I", "II", "III", "IV"]);
    let counts: Vec<usize> = sections.iter().map(|s| s["tasks"].as_array().unwrap().len()).collect();
    assert_eq!(counts, [3, 15, 16, 6]);
    let ii = sections[1]["tasks"].as_array().unwrap();
    let numbers: Vec<&str> = ii.iter().map(|t| t["number"].as_str().unwrap()).collect();
    assert_eq!(&numbers[..8], ["1", "2", "2.1", "2.2", "2.3", "2.4", "2.5", "3"]);
    let t24 = &ii[5];
    assert_eq!(
        t24["deadline"],
        serde_json::json!({"kind": "date", "due": "2024-09-15", "from": null, "to": null, "text": "Chậm nhất ngày 15/9/2024"})
    );
    assert_eq!(t24["cooperating"][0]["agency"], "000.00.01.H23");
    assert!(t24["product"].as_str().unwrap().starts_with("Văn bản, báo cáo"));
    assert_eq!(p["inspections"].as_array().unwrap().len(), 17);
    let (ok, out, _) = cli(dir.path(), &["plan", "overview", "--month", "2024-03"]);
    assert!(ok && out.contains("Nhiệm vụ quá hạn"), "{out}");
}
