//! The province's plan through the use cases: import the seed, tasks of an agency, progress
//! reports, the office's overview, bad input.
#![allow(clippy::unwrap_used)]

use motcua_app::plan::{CostingInput, ProgressInput};
use motcua_app::{Actor, App, AppError};
use motcua_demo::DEMO_PLAN;
use motcua_domain::plan::cost::CostSheet;
use motcua_storage::{AuditRepo, PlanOutcome};
use motcua_testkit::TestStore;
use motcua_testkit::fixtures::instant;

mod common;
use common::login_as;

async fn demo_app() -> (App, TestStore) {
    common::demo_app_at(instant(2024, 10, 20, 3)).await
}

fn report(month: &str, status: &str, percent: u8, note: &str) -> ProgressInput {
    ProgressInput { month: Some(month.into()), status: status.into(), percent, note: note.into() }
}

#[tokio::test]
async fn the_seed_plan_imports_once_with_every_task() {
    let (app, _ts) = demo_app().await;
    let again = app.import_plan(&Actor::Cli, DEMO_PLAN).await.unwrap();
    assert_eq!(again.imported.outcome, PlanOutcome::Unchanged, "the demo imported it already");
    let r = &again.report;
    assert_eq!((r.sections, r.tasks, r.sub_items, r.inspections), (4, 32, 8, 17));
    assert!(r.deadlines_not_understood.is_empty());
    let plan = app.plan(&Actor::Cli, None).await.unwrap();
    assert_eq!(plan.id, again.imported.id);
    let json = serde_json::to_value(&plan).unwrap();
    let t = &json["sections"][1]["tasks"][2];
    assert_eq!((t["number"].as_str(), t["parent"].as_str()), (Some("2.1"), Some("2")));
    assert_eq!(json["sections"][0]["tasks"][1]["deadline"]["kind"], "period");
    assert_eq!(json["sections"][0]["tasks"][1]["deadline"]["due"], "2024-01-31");
    assert_eq!(json["inspections"].as_array().map(Vec::len), Some(17));

    // Only the provincial office imports; citizens never see the plan.
    let citizen = login_as(&app, "congdan").await;
    assert!(matches!(app.import_plan(&citizen, DEMO_PLAN).await, Err(AppError::Forbidden(_))));
    assert!(matches!(app.plan(&citizen, None).await, Err(AppError::Forbidden(_))));
    let other = app.import_plan(&Actor::Cli, "Một văn bản khác").await;
    assert!(matches!(&other, Err(AppError::Invalid(e)) if e.code == "plan_shape"), "{other:?}");
}

#[tokio::test]
async fn an_agency_reports_on_its_tasks_and_the_office_sees_what_is_missing() {
    let (app, ts) = demo_app().await;
    // Sở Tư pháp of Hải Phòng continues Sở Tư pháp of Hải Dương, which the 2024 plan names.
    let sotp = login_as(&app, "chuyenvien").await;
    let mine = app.my_plan_tasks(&sotp, None).await.unwrap();
    assert_eq!(mine.agency.code.as_str(), "000.00.08.H23");
    let keys: Vec<&str> = mine.tasks.iter().map(|t| t.key.as_str()).collect();
    assert!(keys.contains(&"II.2.1") && keys.contains(&"II.3.3") && keys.contains(&"III.11"), "{keys:?}");
    assert!(!keys.contains(&"I.2"), "a task of another agency is not listed");
    let review = mine.tasks.iter().find(|t| t.key == "II.2.4").unwrap();
    assert!(review.overdue, "due 15/9/2024, today is 20/10/2024");

    let plan = app.plan(&sotp, None).await.unwrap();
    let sotp_name = "Sở Tư pháp tỉnh Hải Dương";
    let missing_of = |o: &motcua_app::plan::PlanOverview| {
        o.missing.iter().find(|m| m.agency.as_str() == "000.00.08.H23").map(|m| m.tasks.clone()).unwrap_or_default()
    };
    let not_done_of = |o: &motcua_app::plan::PlanOverview, key: &str| {
        o.overdue.iter().find(|t| t.key == key).map(|t| t.not_done.clone()).unwrap_or_default()
    };
    let before = app.plan_overview(&Actor::Cli, None, Some("2024-10")).await.unwrap();
    assert!(missing_of(&before).contains(&"II.2.1".to_owned()), "a standing duty expects a report every month");
    assert!(!missing_of(&before).contains(&"II.2.4".to_owned()), "no report expected after the due month");
    assert!(not_done_of(&before, "II.2.4").iter().any(|n| n == sotp_name));

    let filed = app
        .report_progress(&sotp, plan.id, review.id, &report("2024-10", "done", 100, "Đã rà soát xong"))
        .await
        .unwrap();
    assert_eq!(filed.agency.as_str(), "000.00.08.H23");
    let ria = mine.tasks.iter().find(|t| t.key == "II.2.1").unwrap();
    app.report_progress(&sotp, plan.id, ria.id, &report("2024-10", "in_progress", 70, "Đã đánh giá 7/10 dự thảo"))
        .await
        .unwrap();
    let mine = app.my_plan_tasks(&sotp, None).await.unwrap();
    let review = mine.tasks.iter().find(|t| t.key == "II.2.4").unwrap();
    assert!(!review.overdue && review.latest.as_ref().map(|r| r.percent) == Some(100));
    let after = app.plan_overview(&Actor::Cli, None, Some("2024-10")).await.unwrap();
    assert!(!missing_of(&after).contains(&"II.2.1".to_owned()));
    assert!(!not_done_of(&after, "II.2.4").iter().any(|n| n == sotp_name));
    assert_eq!((after.reported.get("done"), after.reported.get("in_progress")), (Some(&1), Some(&1)));

    // Bad input, and a task of another agency: nothing written; the refusal is audited.
    let other = plan.plan.tasks().find(|(s, t)| s.number == "I" && t.number == "2").and_then(|(_, t)| t.id).unwrap();
    let audits = ts.store.audit_log(1000).await.unwrap().len();
    let denied = app.report_progress(&sotp, plan.id, other, &report("2024-10", "in_progress", 50, "")).await;
    assert!(matches!(denied, Err(AppError::Forbidden(_))), "{denied:?}");
    assert_eq!(ts.store.audit_log(1000).await.unwrap().len(), audits + 1);
    for (input, code) in [
        (report("2024-10", "done", 80, ""), "invalid_percent"),
        (report("2024-10", "blocked", 10, " "), "note_required"),
        (report("2024-13", "in_progress", 10, ""), "invalid_month"),
        (report("2024-11", "in_progress", 10, ""), "month_in_future"),
        (report("2024-10", "finished", 10, ""), "invalid_progress_status"),
    ] {
        let r = app.report_progress(&sotp, plan.id, review.id, &input).await;
        assert!(matches!(&r, Err(AppError::Invalid(e)) if e.code == code), "{code}: {r:?}");
    }
    assert_eq!(
        app.plan_overview(&Actor::Cli, None, Some("2024-10")).await.unwrap().reported.values().sum::<usize>(),
        2
    );
    // The one-stop centre of today continues the province's centre, which cooperates on IV.1.
    let desk = login_as(&app, "motcua").await;
    let desk_tasks = app.my_plan_tasks(&desk, None).await.unwrap();
    assert_eq!(desk_tasks.agency.code.as_str(), "000.00.02.H23");
    assert!(desk_tasks.tasks.iter().any(|t| t.key == "IV.1"));
    // An account without an agency has no tasks to report on.
    let admin = login_as(&app, "admin").await;
    assert!(matches!(app.my_plan_tasks(&admin, None).await, Err(AppError::Forbidden(_))));
}

#[tokio::test]
async fn compliance_costs_before_and_after_against_the_plans_targets() {
    use motcua_domain::plan::cost::{Decision, ReviewStatus};
    use motcua_testkit::fixtures::date;
    let (app, _ts) = demo_app().await;
    let plan = app.plan(&Actor::Cli, None).await.unwrap();
    let sheet = cost_sheet;
    let empty = app.cost_report(&Actor::Cli, None).await.unwrap();
    assert_eq!((empty.totals.procedures, empty.totals.reduction_pct, empty.cost_target_met), (0, None, None));
    assert_eq!(
        (empty.cost_target_pct, empty.procedures_target_pct),
        (Some(20.0), Some(20.0)),
        "the seed plan's targets"
    );
    // Đồng Nai's worked example (docs/RULES.md §R8): 80 h → 72 h at 40,000 VND, 10 a year: 10 %.
    let line = app
        .put_costing(
            &Actor::Cli,
            plan.id,
            "1.001193",
            CostingInput {
                name: "Đăng ký khai sinh".into(),
                status: None,
                before: sheet(&[80.0], 0),
                after: Some(sheet(&[72.0], 0)),
                note: "Rút ngắn thời hạn 10 → 9 ngày".into(),
                decision: None,
            },
        )
        .await
        .unwrap();
    assert_eq!((line.before_year_vnd, line.after_year_vnd), (32_000_000.0, Some(28_800_000.0)));
    let r = app.cost_report(&Actor::Cli, None).await.unwrap();
    assert!((r.totals.reduction_pct.unwrap() - 10.0).abs() < 1e-9);
    assert_eq!((r.cost_target_met, r.procedures_target_met), (Some(false), Some(true)));
    // A second procedure cut by half: the aggregate is weighed by cost.
    app.put_costing(
        &Actor::Cli,
        plan.id,
        "2.000908",
        CostingInput {
            name: "Chứng thực bản sao".into(),
            status: Some(ReviewStatus::Approved),
            before: sheet(&[2.0, 2.0], 50_000),
            after: Some(sheet(&[1.0], 10_000)),
            note: "Giảm lệ phí, bỏ một lần đi lại".into(),
            decision: Some(Decision { number: "2345/QĐ-UBND".into(), date: date("2024-09-10") }),
        },
    )
    .await
    .unwrap();
    let r = app.cost_report(&Actor::Cli, None).await.unwrap();
    let (before, after) = (32_000_000.0 + 10.0 * (160_000.0 + 50_000.0), 28_800_000.0 + 10.0 * (40_000.0 + 10_000.0));
    assert!((r.totals.reduction_pct.unwrap() - (before - after) / before * 100.0).abs() < 1e-9);
    costings_refused_reviewed_and_targets(&app, plan.id).await;
}

/// Activities of the given hours at 40,000 VND an hour, 10 subjects a year.
fn cost_sheet(hours: &[f64], fees: u64) -> CostSheet {
    CostSheet {
        activities: hours
            .iter()
            .enumerate()
            .map(|(i, h)| motcua_domain::plan::cost::Activity { name: format!("Hoạt động {}", i + 1), hours: *h })
            .collect(),
        hourly_income_vnd: 40_000,
        income_year: 2024,
        fees_vnd: fees,
        outsourced_vnd: 0,
        other_vnd: 0,
        subjects_per_year: 10,
        times_per_year: 1.0,
    }
}

/// Bad input stores nothing and only the office enters sheets; the review's statuses agree with
/// the sheets; the share reviewed and the plan's targets on the overview.
async fn costings_refused_reviewed_and_targets(app: &App, plan_id: uuid::Uuid) {
    use motcua_domain::plan::cost::ReviewStatus;
    use motcua_domain::plan::targets::Metric;
    let sheet = cost_sheet;
    let bad = app
        .put_costing(
            &Actor::Cli,
            plan_id,
            "1.001193",
            CostingInput {
                name: "Đăng ký khai sinh".into(),
                status: None,
                before: CostSheet { hourly_income_vnd: 0, ..sheet(&[1.0], 0) },
                after: None,
                note: String::new(),
                decision: None,
            },
        )
        .await;
    assert!(matches!(&bad, Err(AppError::Invalid(e)) if e.field == "before.hourly_income_vnd"), "{bad:?}");
    let bad = app.put_costing(&Actor::Cli, plan_id, "khong-phai-ma", kept("x")).await;
    assert!(matches!(bad, Err(AppError::Invalid(_))));
    let sotp = login_as(app, "chuyenvien").await;
    let denied = app.put_costing(&sotp, plan_id, "1.001193", kept("x")).await;
    assert!(matches!(denied, Err(AppError::Forbidden(_))));
    assert_eq!(app.cost_report(&sotp, None).await.unwrap().lines.len(), 2, "agencies read the table");

    // The review: a status that does not agree with the sheets is refused, nothing changes.
    let r = app.cost_report(&Actor::Cli, None).await.unwrap();
    assert_eq!((r.totals.procedures, r.totals.simplified, r.totals.approved), (2, 2, 1));
    let unapproved = CostingInput { status: Some(ReviewStatus::Approved), decision: None, ..proposal() };
    let bad = app.put_costing(&Actor::Cli, plan_id, "1.001193", unapproved).await;
    assert!(matches!(&bad, Err(AppError::Invalid(e)) if e.field == "decision"), "{bad:?}");
    let kept_with_after = CostingInput { status: Some(ReviewStatus::Reviewed), ..proposal() };
    let bad = app.put_costing(&Actor::Cli, plan_id, "1.001193", kept_with_after).await;
    assert!(matches!(&bad, Err(AppError::Invalid(e)) if e.field == "status"), "{bad:?}");
    assert_eq!(app.cost_report(&Actor::Cli, None).await.unwrap().lines[0].costing.status, ReviewStatus::Proposed);
    // A third procedure reviewed and kept: reviewed 3, simplified 2 of 3.
    let kept = app.put_costing(&Actor::Cli, plan_id, "1.000001", kept("Thủ tục giữ nguyên")).await.unwrap();
    assert_eq!(kept.costing.status, ReviewStatus::Reviewed);
    let r = app.cost_report(&Actor::Cli, None).await.unwrap();
    assert_eq!((r.totals.procedures, r.totals.simplified, r.totals.approved), (3, 2, 1));
    // The share reviewed is taken of the procedures in force today (20/10/2024): none of the
    // demo catalog's yet; eight published in 2024.
    assert_eq!((r.catalog_procedures, r.reviewed_pct, r.reviewed_target_met), (0, None, None));
    let in_force: Vec<_> = (1..=8)
        .map(|i| {
            use motcua_domain::procedure::Level;
            motcua_testkit::fixtures::published(
                &format!("9.00000{i}"),
                "Thủ tục",
                "Hộ tịch",
                Level::Province,
                "2024-01-02",
            )
        })
        .collect();
    app.import_procedures(&Actor::Cli, &in_force, &|_| {}).await.unwrap();
    let r = app.cost_report(&Actor::Cli, None).await.unwrap();
    let reviewed = 3.0 * 100.0 / 8.0;
    assert_eq!((r.catalog_procedures, r.reviewed_pct), (8, Some(reviewed)));
    assert_eq!((r.reviewed_target_pct, r.reviewed_target_met), (Some(50.0), Some(false)));

    // The plan's targets with their values today on the overview.
    let o = app.plan_overview(&Actor::Cli, None, Some("2024-09")).await.unwrap();
    let live = |m: Metric| o.targets.iter().find(|t| t.target.metric == Some(m)).unwrap();
    assert_eq!(live(Metric::PlanProceduresReviewed).live_pct, Some(reviewed));
    assert_eq!(live(Metric::PlanProceduresReviewed).met, Some(false));
    assert_eq!(live(Metric::PlanComplianceCostReduction).live_pct, r.totals.reduction_pct);
    assert_eq!(live(Metric::PlanProceduresSimplified).live_pct, Some(200.0 / 3.0));
    assert_eq!(live(Metric::PlanProceduresSimplified).met, Some(true));
    let online = live(Metric::OnlineDossierRate);
    // Measured by the Decision 766 index of the plan's year: no dossier received in 2024 here.
    assert_eq!(
        (online.live_pct, online.basis.as_deref(), online.met),
        (None, Some("Chỉ số 766 (3 C) Hồ sơ nộp trực tuyến: 0 / 0, năm 2024"), None)
    );
    assert_eq!(o.targets.len(), 21, "every target of the seed plan");
}

fn kept(name: &str) -> CostingInput {
    CostingInput {
        name: name.into(),
        status: None,
        before: CostSheet {
            activities: vec![motcua_domain::plan::cost::Activity { name: "Chuẩn bị hồ sơ".into(), hours: 1.0 }],
            hourly_income_vnd: 40_000,
            income_year: 2024,
            fees_vnd: 0,
            outsourced_vnd: 0,
            other_vnd: 0,
            subjects_per_year: 10,
            times_per_year: 1.0,
        },
        after: None,
        note: String::new(),
        decision: None,
    }
}

fn proposal() -> CostingInput {
    let k = kept("Đăng ký khai sinh");
    CostingInput { after: Some(k.before.clone()), note: "Bỏ bản sao".into(), ..k }
}

#[tokio::test]
async fn procedures_published_on_time_are_measured_on_the_legal_calendar() {
    use motcua_domain::procedure::Level;
    use motcua_testkit::fixtures::{date, published};
    let (app, _ts) = demo_app().await;
    // Effective Monday 1/7/2024: five working days before is Monday 24/6/2024.
    let mut on_time = published("9.000001", "Thủ tục A", "Hộ tịch", Level::Province, "2024-07-01");
    on_time.versions[0].publication.decision_date = Some(date("2024-06-24"));
    let mut late = published("9.000002", "Thủ tục B", "Hộ tịch", Level::Province, "2024-07-01");
    late.versions[0].publication.decision_date = Some(date("2024-06-25"));
    let mut elsewhere = published("9.000003", "Thủ tục C", "Hộ tịch", Level::Province, "2023-07-03");
    elsewhere.versions[0].publication.decision_date = Some(date("2023-06-01"));
    app.import_procedures(&Actor::Cli, &[on_time, late, elsewhere], &|_| {}).await.unwrap();
    let r = app.publication_timeliness(&Actor::Cli, 2024).await.unwrap();
    let mine: Vec<(&str, bool)> = r
        .lines
        .iter()
        .filter(|l| l.procedure.as_str().starts_with("9."))
        .map(|l| (l.procedure.as_str(), l.on_time))
        .collect();
    assert_eq!(mine, [("9.000001", true), ("9.000002", false)]);
    assert_eq!(r.lines.iter().find(|l| l.procedure.as_str() == "9.000002").unwrap().latest_on_time, date("2024-06-24"));
    assert_eq!((r.procedures, r.on_time), (2, 1), "only decisions dated in the year count");
    assert_eq!(r.ratio_pct, Some(50.0));
    assert_eq!(r.publicised_on_time, 0, "nothing publicised yet, and 20/10/2024 is past every time limit");

    // Metric 1.2: publicised within 5 working days of the decision (24/6 → by 1/7/2024).
    use motcua_app::catalog::PublicisedInput;
    let rev = |code: &'static str| {
        let app = app.clone();
        async move { app.procedure_on(code, None).await.unwrap().revision }
    };
    let input = |revision, date: &str| PublicisedInput { revision, version: 1, date: date_of(date) };
    fn date_of(s: &str) -> chrono::NaiveDate {
        motcua_testkit::fixtures::date(s)
    }
    let early = app.mark_publicised(&Actor::Cli, "9.000001", input(rev("9.000001").await, "2024-06-20")).await;
    assert!(matches!(&early, Err(AppError::Invalid(e)) if e.code == "invalid_date"), "before the decision: {early:?}");
    app.mark_publicised(&Actor::Cli, "9.000001", input(rev("9.000001").await, "2024-07-01")).await.unwrap();
    app.mark_publicised(&Actor::Cli, "9.000002", input(rev("9.000002").await, "2024-07-03")).await.unwrap();
    let stale = app.mark_publicised(&Actor::Cli, "9.000002", input(1, "2024-07-03")).await;
    assert!(matches!(stale, Err(AppError::Stale)));
    let r = app.publication_timeliness(&Actor::Cli, 2024).await.unwrap();
    let got: Vec<(&str, Option<bool>)> = r
        .lines
        .iter()
        .filter(|l| l.procedure.as_str().starts_with("9."))
        .map(|l| (l.procedure.as_str(), l.publicised_on_time))
        .collect();
    assert_eq!(got, [("9.000001", Some(true)), ("9.000002", Some(false))], "9.000002's decision of 25/6 had until 2/7");
    assert_eq!((r.publicised_on_time, r.publicised_ratio_pct), (1, Some(50.0)));
    let citizen = login_as(&app, "congdan").await;
    assert!(matches!(app.publication_timeliness(&citizen, 2024).await, Err(AppError::Forbidden(_))));
}

#[tokio::test]
async fn draft_procedures_are_assessed_with_their_form_attached() {
    use motcua_app::plan::assessment::AssessmentInput;
    use motcua_domain::plan::assessment::Conclusion;
    use motcua_domain::plan::targets::Metric;
    use motcua_domain::procedure::Level;
    use motcua_testkit::fixtures::{date, published};
    let (app, _ts) = demo_app().await;
    let content = published("9.000009", "Cấp phép thử nghiệm", "Hộ tịch", Level::Province, "2024-01-02").versions[0]
        .content
        .clone();
    app.create_procedure(&Actor::Cli, "9.000009", content).await.unwrap();
    let before = app.impact_assessment_report(&Actor::Cli, 2024).await.unwrap();
    let line = before.lines.iter().find(|l| l.procedure.as_str() == "9.000009").unwrap();
    assert_eq!((line.version, line.assessment.is_none()), (1, true), "a draft is to assess");

    let input = || AssessmentInput {
        agency: "000.00.03.H23".into(),
        assessed_on: date("2024-05-02"),
        necessity: "Cần thiết để quản lý".into(),
        reasonableness: "Thành phần hồ sơ tối giản".into(),
        legality: "Phù hợp luật chuyên ngành".into(),
        cost_year_vnd: Some(12_000_000),
        conclusion: Conclusion::Adequate,
        opinion: String::new(),
    };
    // Bad input: nothing stored.
    let pdf = bytes::Bytes::from_static(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");
    let e = app.attach_assessment_document(&Actor::Cli, "9.000009", 1, "phieu.pdf", pdf.clone()).await;
    assert!(matches!(e, Err(AppError::NotAllowed { code: "no_assessment", .. })), "{e:?}");
    let e = app
        .put_impact_assessment(
            &Actor::Cli,
            "9.000009",
            1,
            AssessmentInput { agency: "000.00.99.H23".into(), ..input() },
        )
        .await;
    assert!(matches!(&e, Err(AppError::Invalid(f)) if f.field == "agency"), "{e:?}");
    let e = app
        .put_impact_assessment(&Actor::Cli, "9.000009", 1, AssessmentInput { legality: " ".into(), ..input() })
        .await;
    assert!(matches!(&e, Err(AppError::Invalid(f)) if f.field == "legality"), "{e:?}");
    let e = app.put_impact_assessment(&Actor::Cli, "9.000009", 2, input()).await;
    assert!(matches!(e, Err(AppError::NotFound(_))), "{e:?}");
    app.import_procedures(
        &Actor::Cli,
        &[published("9.000001", "Thủ tục", "Hộ tịch", Level::Province, "2024-01-02")],
        &|_| {},
    )
    .await
    .unwrap();
    let e = app.put_impact_assessment(&Actor::Cli, "9.000001", 1, input()).await;
    assert!(matches!(e, Err(AppError::NotAllowed { code: "not_draft", .. })), "{e:?}");
    let sotp = login_as(&app, "chuyenvien").await;
    assert!(matches!(app.put_impact_assessment(&sotp, "9.000009", 1, input()).await, Err(AppError::Forbidden(_))));
    assert!(
        app.impact_assessment_report(&Actor::Cli, 2024).await.unwrap().lines.iter().all(|l| l.assessment.is_none())
    );

    // Entered, then its signed form attached; a correction keeps the form.
    app.put_impact_assessment(
        &Actor::Cli,
        "9.000009",
        1,
        AssessmentInput { conclusion: Conclusion::Revise, ..input() },
    )
    .await
    .unwrap();
    let a = app
        .attach_assessment_document(&Actor::Cli, "9.000009", 1, "C:\\phieu danh gia.pdf", pdf.clone())
        .await
        .unwrap();
    assert_eq!(a.document.as_ref().map(|d| d.file_name.as_str()), Some("phieu danh gia.pdf"));
    let a = app.put_impact_assessment(&Actor::Cli, "9.000009", 1, input()).await.unwrap();
    assert_eq!((a.conclusion, a.document.is_some()), (Conclusion::Adequate, true));
    let (doc, got) = app.assessment_document(&sotp, "9.000009", 1).await.unwrap();
    assert_eq!((doc.content_type.as_str(), got), ("application/pdf", pdf));

    let r = app.impact_assessment_report(&Actor::Cli, 2024).await.unwrap();
    assert_eq!(r.assessed, 1);
    assert_eq!(r.assessed_pct, Some(100.0 / r.to_assess as f64));
    let o = app.plan_overview(&Actor::Cli, None, Some("2024-09")).await.unwrap();
    let t = o.targets.iter().find(|t| t.target.metric == Some(Metric::PlanImpactAssessed)).unwrap();
    assert_eq!((t.target.value, t.live_pct), (100.0, r.assessed_pct));
    assert_eq!(t.met, Some(r.to_assess == 1));
}
