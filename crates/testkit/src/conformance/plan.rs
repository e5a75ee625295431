//! The plan: import and re-import, reports, costings, inspections, files, assessments.

use motcua_storage::{Store, StoreError};

use super::*;
use crate::fixtures::*;

/// The plan: import keyed by (owner, year, title) and content hash; ids kept by key; reports
/// per task, agency and month; a reported task is never dropped by a re-import.
pub async fn plan_story(s: &impl Store) {
    use motcua_domain::plan::{ProgressReport, ProgressStatus};
    use motcua_storage::PlanOutcome;
    let ok = |e: StoreError| -> ! { panic!("{e}") };
    let plan = small_plan();
    let now = instant(2026, 11, 27, 3);
    let before = audit_count(s).await;
    let first = s.import_plan(&plan, "hash-1", now, &audit("plan.import")).await.unwrap_or_else(|e| ok(e));
    assert_eq!(first.outcome, PlanOutcome::Created);
    assert_eq!(audit_count(s).await, before + 1);
    let stored = s.plan(first.id).await.unwrap_or_else(|e| ok(e)).unwrap_or_else(|| panic!("plan missing"));
    let mut without_ids = stored.plan.clone();
    for t in without_ids.sections.iter_mut().flat_map(|s| s.tasks.iter_mut()) {
        assert!(t.id.is_some());
        t.id = None;
    }
    for i in &mut without_ids.inspections {
        assert!(i.id.is_some());
        i.id = None;
    }
    assert_eq!(without_ids, plan, "what is stored reads back the same");
    let list = s.plans().await.unwrap_or_else(|e| ok(e));
    assert_eq!((list.len(), list[0].tasks, list[0].year), (1, 3, 2024));

    // The same content again: nothing written.
    let again = s.import_plan(&plan, "hash-1", now, &audit("plan.import")).await.unwrap_or_else(|e| ok(e));
    assert_eq!((again.id, again.outcome), (first.id, PlanOutcome::Unchanged));
    assert_eq!(audit_count(s).await, before + 1);

    // A report on task 2, filed then corrected: one row.
    let task = |p: &motcua_storage::StoredPlan, n: &str| {
        p.plan.sections[0].tasks.iter().find(|t| t.number == n).and_then(|t| t.id).unwrap_or_else(|| panic!("{n}"))
    };
    let t2 = task(&stored, "2");
    let mut report = ProgressReport {
        id: uuid::Uuid::now_v7(),
        plan_id: first.id,
        task_id: t2,
        agency: agency_code("000.00.01.H23"),
        month: "2024-03".into(),
        status: ProgressStatus::InProgress,
        percent: 40,
        note: "Đã rà soát 40% thủ tục".into(),
        created_at: now,
        created_by: "vp".into(),
    };
    s.put_progress_report(&report, &audit("plan.report")).await.unwrap_or_else(|e| ok(e));
    report.id = uuid::Uuid::now_v7();
    report.percent = 60;
    s.put_progress_report(&report, &audit("plan.report")).await.unwrap_or_else(|e| ok(e));
    let reports = s.progress_reports(first.id).await.unwrap_or_else(|e| ok(e));
    assert_eq!(reports.len(), 1);
    assert_eq!((reports[0].percent, reports[0].task_id), (60, t2));
    let unknown = ProgressReport { id: uuid::Uuid::now_v7(), task_id: uuid::Uuid::now_v7(), ..report.clone() };
    assert!(matches!(s.put_progress_report(&unknown, &audit("plan.report")).await, Err(StoreError::Conflict { .. })));

    // New content: task 1 renamed (same id), the sub-item dropped.
    let mut changed = plan.clone();
    changed.sections[0].tasks[0].title = "Xây dựng văn bản chỉ đạo, điều hành".into();
    changed.sections[0].tasks.remove(1);
    let second = s.import_plan(&changed, "hash-2", now, &audit("plan.import")).await.unwrap_or_else(|e| ok(e));
    assert_eq!(
        (second.id, second.outcome, second.removed.clone()),
        (first.id, PlanOutcome::Updated, vec!["I.1.1".to_owned()])
    );
    let stored2 = s.plan(first.id).await.unwrap_or_else(|e| ok(e)).unwrap_or_else(|| panic!("plan missing"));
    assert_eq!(task(&stored2, "1"), task(&stored, "1"));
    assert_eq!(stored2.plan.sections[0].tasks[0].title, "Xây dựng văn bản chỉ đạo, điều hành");
    assert_eq!(stored2.revision, stored.revision + 1);

    // Dropping the reported task is refused and changes nothing.
    let mut dropped = changed.clone();
    dropped.sections[0].tasks.retain(|t| t.number != "2");
    dropped.sections[0].tasks[0].title = "Tiêu đề khác".into();
    let refused = s.import_plan(&dropped, "hash-3", now, &audit("plan.import")).await;
    assert!(matches!(refused, Err(StoreError::Invalid { code: "plan_task_reported", .. })), "{refused:?}");
    let stored3 = s.plan(first.id).await.unwrap_or_else(|e| ok(e)).unwrap_or_else(|| panic!("plan missing"));
    assert_eq!(stored3, stored2);
    costings_replaced(s, first.id, now).await;
    inspections_files_and_assessments(s, &stored3, &changed, now).await;
}

/// Costings: one per procedure of the plan, replaced when entered again.
async fn costings_replaced(s: &impl Store, plan_id: uuid::Uuid, now: chrono::DateTime<chrono::Utc>) {
    let ok = |e: StoreError| -> ! { panic!("{e}") };
    use motcua_domain::plan::cost::{Activity, CostSheet, Costing};
    let sheet = |hours: f64| CostSheet {
        activities: vec![Activity { name: "Chuẩn bị hồ sơ".into(), hours }],
        hourly_income_vnd: 40_000,
        income_year: 2024,
        fees_vnd: 50_000,
        outsourced_vnd: 0,
        other_vnd: 20_000,
        subjects_per_year: 300,
        times_per_year: 1.0,
    };
    let mut costing = Costing {
        plan_id,
        procedure: procedure_code("1.001193"),
        name: "Đăng ký khai sinh".into(),
        status: motcua_domain::plan::cost::ReviewStatus::Reviewed,
        before: sheet(8.0),
        after: None,
        note: String::new(),
        decision: None,
        updated_at: now,
        updated_by: "vp".into(),
    };
    s.put_costing(&costing, &audit("plan.costing")).await.unwrap_or_else(|e| ok(e));
    assert_eq!(s.costings(plan_id).await.unwrap_or_else(|e| ok(e)), vec![costing.clone()]);
    costing.status = motcua_domain::plan::cost::ReviewStatus::Approved;
    costing.after = Some(sheet(3.0));
    costing.note = "Bỏ yêu cầu bản sao chứng thực".into();
    costing.decision =
        Some(motcua_domain::plan::cost::Decision { number: "2345/QĐ-UBND".into(), date: date("2024-09-10") });
    s.put_costing(&costing, &audit("plan.costing")).await.unwrap_or_else(|e| ok(e));
    assert_eq!(s.costings(plan_id).await.unwrap_or_else(|e| ok(e)), vec![costing.clone()]);
    let nowhere = Costing { plan_id: uuid::Uuid::now_v7(), ..costing };
    assert!(matches!(s.put_costing(&nowhere, &audit("plan.costing")).await, Err(StoreError::NotFound(_))));
}

/// An inspection's record (an inspection with a record is never dropped by a re-import); the
/// documents of a report; impact assessments.
async fn inspections_files_and_assessments(
    s: &impl Store,
    stored3: &motcua_storage::StoredPlan,
    changed: &motcua_domain::plan::Plan,
    now: chrono::DateTime<chrono::Utc>,
) {
    let ok = |e: StoreError| -> ! { panic!("{e}") };
    let first = stored3;
    let t2 = stored3.plan.sections[0]
        .tasks
        .iter()
        .find(|t| t.number == "2")
        .and_then(|t| t.id)
        .unwrap_or_else(|| panic!("2"));
    use motcua_domain::plan::inspection::{InspectionRecord, InspectionStatus};
    let ins = stored3.plan.inspections[0].id.unwrap_or_else(|| panic!("inspection id"));
    let record = InspectionRecord {
        status: InspectionStatus::Planned,
        planned_from: Some(date("2024-05-06")),
        planned_to: Some(date("2024-05-07")),
        team: vec!["Văn phòng UBND tỉnh".into()],
        findings: String::new(),
        conclusion: String::new(),
        follow_ups: Vec::new(),
    };
    s.put_inspection_record(first.id, ins, &record, &audit("plan.inspection")).await.unwrap_or_else(|e| ok(e));
    let records = s.inspection_records(first.id).await.unwrap_or_else(|e| ok(e));
    assert_eq!((records.len(), records[0].id, &records[0].record), (1, ins, &record));
    let wrong = s.put_inspection_record(first.id, uuid::Uuid::now_v7(), &record, &audit("plan.inspection")).await;
    assert!(matches!(wrong, Err(StoreError::NotFound(_))));
    let mut no_inspections = changed.clone();
    no_inspections.inspections.clear();
    let refused = s.import_plan(&no_inspections, "hash-4", now, &audit("plan.import")).await;
    assert!(matches!(refused, Err(StoreError::Invalid { code: "plan_inspection_recorded", .. })), "{refused:?}");
    let again = s.import_plan(changed, "hash-5", now, &audit("plan.import")).await.unwrap_or_else(|e| ok(e));
    assert!(again.removed.is_empty());
    assert_eq!(
        s.inspection_records(first.id).await.unwrap_or_else(|e| ok(e)).len(),
        1,
        "a re-import keeps the records"
    );

    // A document of a report; one on a task that does not exist is refused.
    let file = motcua_domain::plan::ReportFile {
        id: uuid::Uuid::now_v7(),
        plan_id: first.id,
        task_id: t2,
        agency: agency_code("000.00.01.H23"),
        month: "2024-03".into(),
        name: "Báo cáo".into(),
        file: pdf_file("bao-cao.pdf", "plans/x/y/z"),
        created_at: now,
        created_by: "vp".into(),
    };
    s.add_report_file(&file, &audit("plan.report.file")).await.unwrap_or_else(|e| ok(e));
    let mut stored = s.report_files(first.id).await.unwrap_or_else(|e| ok(e));
    assert_eq!(stored.len(), 1);
    assert_eq!(stored.remove(0), file, "the storage key is kept with the row");
    let orphan = motcua_domain::plan::ReportFile { id: uuid::Uuid::now_v7(), task_id: uuid::Uuid::now_v7(), ..file };
    assert!(matches!(s.add_report_file(&orphan, &audit("plan.report.file")).await, Err(StoreError::Conflict { .. })));

    // Impact assessments: one per procedure version, replaced as a whole, its document with it.
    use motcua_domain::plan::assessment::{Conclusion, ImpactAssessment};
    let mut a = ImpactAssessment {
        procedure: procedure_code("1.001193"),
        version: 2,
        agency: agency_code("H23.15"),
        assessed_on: date("2024-05-02"),
        necessity: "Cần thiết".into(),
        reasonableness: "Hợp lý".into(),
        legality: "Hợp pháp".into(),
        cost_year_vnd: Some(12_000_000),
        conclusion: Conclusion::Revise,
        opinion: String::new(),
        document: None,
        updated_at: now,
        updated_by: "vp".into(),
    };
    s.put_impact_assessment(&a, &audit("procedure.assessment")).await.unwrap_or_else(|e| ok(e));
    assert_eq!(s.impact_assessments().await.unwrap_or_else(|e| ok(e)), vec![a.clone()]);
    a.conclusion = Conclusion::Adequate;
    a.document = Some(pdf_file("danh-gia.pdf", "assessments/1.001193/2/x"));
    s.put_impact_assessment(&a, &audit("procedure.assessment")).await.unwrap_or_else(|e| ok(e));
    let other = ImpactAssessment { version: 3, cost_year_vnd: None, document: None, ..a.clone() };
    s.put_impact_assessment(&other, &audit("procedure.assessment")).await.unwrap_or_else(|e| ok(e));
    assert_eq!(s.impact_assessments().await.unwrap_or_else(|e| ok(e)), vec![a, other]);
}
