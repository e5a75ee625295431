//! The seed plan (demo/plan-2024.txt, Hải Dương 2024) read against the demo map.

use super::import::document;
use super::parties::Matcher;
use super::*;
use crate::admin::Agency;

fn seed() -> (Plan, ImportReport) {
    let draft = document::read(include_str!("../../../../demo/plan-2024.txt")).unwrap_or_else(|e| panic!("{e}"));
    let map: serde_json::Value =
        serde_json::from_str(include_str!("../../../../demo/map.json")).unwrap_or_else(|e| panic!("{e}"));
    let agencies: Vec<Agency> = serde_json::from_value(map["agencies"].clone()).unwrap_or_else(|e| panic!("{e}"));
    let on: Vec<Agency> = agencies.into_iter().filter(|a| a.validity.contains(draft.effective())).collect();
    let owner = on.iter().find(|a| a.name == "Ủy ban nhân dân tỉnh Hải Dương").map(|a| a.code.clone());
    let owner = owner.unwrap_or_else(|| panic!("no provincial committee"));
    draft.resolve(&Matcher::new(&on, "Tỉnh Hải Dương"), owner)
}

#[test]
fn every_task_of_sections_i_to_iv() {
    let (plan, report) = seed();
    assert_eq!(plan.year, 2024);
    assert!(plan.title.starts_with("Kiểm soát thủ tục hành chính và thực hiện cơ chế một cửa"), "{}", plan.title);
    let shape: Vec<(String, Vec<String>)> =
        plan.sections.iter().map(|s| (s.number.clone(), s.tasks.iter().map(|t| t.number.clone()).collect())).collect();
    let n = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    assert_eq!(
        shape,
        vec![
            ("I".to_owned(), n(&["1", "2", "3"])),
            (
                "II".to_owned(),
                n(&["1", "2", "2.1", "2.2", "2.3", "2.4", "2.5", "3", "3.1", "3.2", "3.3", "4", "5", "6", "7"])
            ),
            (
                "III".to_owned(),
                n(&["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16"])
            ),
            ("IV".to_owned(), n(&["1", "2", "3", "4", "5", "6"])),
        ]
    );
    assert_eq!((report.sections, report.tasks, report.sub_items), (4, 32, 8));
    assert!(report.deadlines_not_understood.is_empty(), "{:?}", report.deadlines_not_understood);
    assert_eq!(plan.inspections.len(), 17);
    assert_eq!(plan.inspections[0].group_title, "KHỐI CÁC SỞ, BAN, NGÀNH");
    assert_eq!(plan.inspections[16].note, "Kiểm tra việc thực hiện Kết luận kiểm tra năm 2023");
}

#[test]
fn rows_cut_by_page_breaks_are_joined() {
    let (plan, _) = seed();
    let task = |s: &str, n: &str| {
        plan.tasks()
            .find(|(sec, t)| sec.number == s && t.number == n)
            .map(|(_, t)| t.clone())
            .unwrap_or_else(|| panic!("{s}.{n}"))
    };
    let i2 = task("I", "2");
    assert!(
        i2.title.ends_with("sang Văn phòng UBND tính theo chức năng, nhiệm vụ, quyền hạn được UBND giao."),
        "{}",
        i2.title
    );
    assert_eq!(i2.product, "Văn bản chỉ đạo của Chủ tịch UBND tỉnh; báo cáo kèm Biên bản bàn giao...");
    let ii23 = task("II", "2.3");
    assert_eq!(ii23.lead.len(), 1);
    assert_eq!(ii23.lead[0].group, Some(PartyGroup::AllAgencies), "{:?}", ii23.lead);
    assert_eq!(ii23.deadline.text, "Thường xuyên trong năm 2024");
    let metrics: Vec<_> = ii23.targets.iter().map(|t| t.metric).collect();
    assert_eq!(metrics, [None, Some(Metric::PublicUpdateOnTime)]);
    let ii33 = task("II", "3.3");
    assert_eq!(ii33.deadline.kind, DeadlineKind::Date);
    assert_eq!(ii33.deadline.due, chrono::NaiveDate::from_ymd_opt(2024, 9, 30));
}

#[test]
fn agencies_and_targets() {
    let (plan, report) = seed();
    let task =
        |s: &str, n: &str| plan.tasks().find(|(sec, t)| sec.number == s && t.number == n).map(|(_, t)| t.clone());
    let i2 = task("I", "2").unwrap_or_else(|| panic!("I.2"));
    assert_eq!(i2.lead[0].name.as_deref(), Some("Sở Thông tin và Truyền thông tỉnh Hải Dương"));
    assert_eq!(i2.deadline.kind, DeadlineKind::Period);
    let unmatched: Vec<&str> = report.unmatched_agencies.iter().map(|f| f.text.as_str()).collect();
    for expected in ["Sở Y tế", "Công an tỉnh", "Cổng thông tin điện tử tỉnh"] {
        assert!(unmatched.contains(&expected), "{expected} in {unmatched:?}");
    }
    let all: Vec<(String, f64, Option<Metric>)> =
        plan.tasks().flat_map(|(s, t)| t.targets.iter().map(move |g| (t.key(&s.number), g.value, g.metric))).collect();
    for (key, value, metric) in [
        ("III.2", 80.0, Metric::OnlineServiceProvision),
        ("III.5", 50.0, Metric::OnlineDossierRate),
        ("III.6", 45.0, Metric::OnlinePaymentRate),
        ("III.8", 100.0, Metric::DossierSync),
        ("III.16", 50.0, Metric::ReusedDigitizedData),
        ("II.6", 90.0, Metric::DossierReceivingSatisfaction),
        ("II.4", 100.0, Metric::PetitionProcessingOnTime),
        ("II.2.4", 20.0, Metric::PlanComplianceCostReduction),
    ] {
        assert!(
            all.iter().any(|(k, v, m)| k == key && *v == value && *m == Some(metric)),
            "{key} {value} {metric:?} in {all:?}"
        );
    }
    let inspected = &plan.inspections[0];
    assert_eq!(inspected.agencies.len(), 2, "{:?}", inspected.agencies);
    assert!(inspected.agencies[0].agency.is_some());
    assert!(
        plan.inspections[5..].iter().all(|i| i.agencies.iter().all(|p| p.agency.is_some())),
        "{:?}",
        plan.inspections
    );
}
