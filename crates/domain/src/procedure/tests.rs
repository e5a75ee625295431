use super::*;
use chrono::NaiveDate;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
}

fn content(name: &str) -> VersionContent {
    VersionContent {
        name: name.into(),
        field: Some("Hộ tịch".into()),
        levels: vec![Level::Commune],
        online_level: OnlineLevel::Full,
        full_process_eligible: true,
        steps: vec!["Nộp hồ sơ".into()],
        channels: vec![Channel::Counter, Channel::Online],
        components: vec![Component {
            code: None,
            name: "Tờ khai".into(),
            quantity: 1,
            kind: ComponentKind::Original,
            group: None,
            form: None,
            conditional: false,
        }],
        time_limit: Some(TimeLimit { value: 3.0, unit: TimeUnit::WorkingDays, text: None }),
        subjects: vec!["Công dân Việt Nam".into()],
        implementing_agency: Some("UBND cấp xã".into()),
        deciding_agency: None,
        agencies: vec![],
        results: vec![ResultDoc { name: "Giấy khai sinh".into(), paper: Some(true) }],
        fees: vec![Fee { name: "Lệ phí".into(), amount_vnd: Some(8000), text: None }],
        eform: None,
        declaration: None,
        conditions: vec![],
        legal_basis: vec![],
        workflow: None,
        provenance: Provenance::default(),
    }
}

fn code() -> ProcedureCode {
    ProcedureCode::parse("1.001193").unwrap_or_else(|e| panic!("{e}"))
}

fn published() -> Procedure {
    let mut p = Procedure { code: code(), versions: vec![] };
    let v = p.new_draft(content("Đăng ký khai sinh")).unwrap_or_else(|e| panic!("{e}"));
    p.versions.push(v);
    p.publish("163/QĐ-BTP".into(), d("2025-01-10"), d("2025-02-01")).unwrap_or_else(|e| panic!("{e}"));
    p
}

#[test]
fn publishing_a_new_version_supersedes_the_old_one() {
    let mut p = published();
    assert!(p.validate().is_ok());
    let v2 = p.new_draft(content("Thủ tục đăng ký khai sinh")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v2.number, 2);
    p.versions.push(v2);
    assert!(p.new_draft(content("x")).is_err(), "only one draft");
    let changed = p.publish("99/QĐ-UBND".into(), d("2025-06-20"), d("2025-07-01")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(changed.len(), 2);
    assert!(p.validate().is_ok(), "{:?}", p.validate());
    assert_eq!(p.versions[0].status, VersionStatus::Amended);
    assert_eq!(p.version_on(d("2025-06-30")).map(|v| v.number), Some(1));
    assert_eq!(p.version_on(d("2025-07-01")).map(|v| v.number), Some(2));
    assert_eq!(p.version_on(d("2025-01-31")).map(|v| v.number), None);
}

#[test]
fn publish_refuses_bad_dates_and_missing_draft() {
    let mut p = published();
    assert!(matches!(
        p.publish("1/QĐ".into(), d("2025-01-01"), d("2025-01-02")),
        Err(crate::DomainError::NotAllowed { code: "no_draft", .. })
    ));
    let v2 = p.new_draft(content("v2")).unwrap_or_else(|e| panic!("{e}"));
    p.versions.push(v2);
    let before = p.clone();
    assert!(p.publish("2/QĐ".into(), d("2025-01-01"), d("2025-02-01")).is_err(), "same start as v1");
    assert!(p.publish("2/QĐ".into(), d("2025-03-01"), d("2025-02-15")).is_err(), "before decision");
    assert!(p.publish(" ".into(), d("2025-03-01"), d("2025-03-15")).is_err(), "no decision number");
    assert_eq!(p, before, "a refused publication changes nothing");
}

#[test]
fn abolish_ends_the_version_in_force() {
    let mut p = published();
    p.abolish("5/QĐ".into(), d("2026-01-01")).unwrap_or_else(|e| panic!("{e}"));
    assert!(p.version_on(d("2026-01-01")).is_none());
    assert!(p.version_on(d("2025-12-31")).is_some());
    assert!(p.new_draft(content("x")).is_err());
    assert!(p.validate().is_ok());
}

#[test]
fn review_flags_keep_quirks_visible() {
    let mut c = content("Đăng ký khai sinh");
    assert!(c.review_flags().is_empty());
    c.time_limit = Some(TimeLimit { value: 1.0, unit: TimeUnit::Unspecified, text: Some("1".into()) });
    c.online_level = OnlineLevel::Unknown;
    let codes: Vec<_> = c.review_flags().iter().map(|f| f.code).collect();
    assert_eq!(codes, vec!["time_limit_without_unit", "online_level_unknown"]);
}

#[test]
fn validation_names_the_field() {
    let mut p = published();
    p.versions[0].content.components[0].name = " ".into();
    let e = p.validate().unwrap_err();
    assert_eq!(e.field, "versions[0].components[0].name");
    let mut c = content("x");
    c.workflow = Some(Workflow {
        steps: vec![WorkflowStep {
            name: "Tiếp nhận".into(),
            role: StepRole::DeskOfficer,
            agency: None,
            unit: None,
            budget_hours: 0.0,
        }],
        inter_agency: None,
    });
    assert_eq!(c.validate().unwrap_err().field, "workflow.steps[0].budget_hours");
}

#[test]
fn workflow_over_budget_is_flagged() {
    let mut c = content("x");
    c.workflow = Some(Workflow {
        steps: vec![WorkflowStep {
            name: "Thẩm định".into(),
            role: StepRole::Specialist,
            agency: None,
            unit: None,
            budget_hours: 30.0,
        }],
        inter_agency: None,
    });
    assert!(c.review_flags().iter().any(|f| f.code == "workflow_exceeds_time_limit"));
}

#[test]
fn json_round_trip() {
    let p = published();
    let s = serde_json::to_string(&p).unwrap_or_default();
    let back: Procedure = serde_json::from_str(&s).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back, p);
}

#[test]
fn inter_agency_shares_and_order() {
    let agency = |s: &str| crate::ids::AgencyCode::parse(s).unwrap_or_else(|e| panic!("{e}"));
    let step = WorkflowStep {
        name: "Thẩm định".into(),
        role: StepRole::Specialist,
        agency: None,
        unit: None,
        budget_hours: 8.0,
    };
    let mut w = Workflow {
        steps: vec![step],
        inter_agency: Some(InterAgency {
            lead: agency("H24.11"),
            cooperating: vec![
                CooperatingAgency { agency: agency("H24.21"), share_percent: 40.0 },
                CooperatingAgency { agency: agency("H24.22"), share_percent: 20.0 },
            ],
        }),
    };
    assert!(w.validate().is_ok());
    assert_eq!(w.inter_agency.as_ref().map(InterAgency::lead_share_percent), Some(40.0));
    if let Some(ia) = w.inter_agency.as_mut() {
        ia.cooperating[1].share_percent = 60.0;
    }
    assert_eq!(w.validate().unwrap_err().field, "inter_agency.cooperating");
    if let Some(ia) = w.inter_agency.as_mut() {
        ia.cooperating[1] = CooperatingAgency { agency: agency("H24.11"), share_percent: 10.0 };
    }
    assert_eq!(w.validate().unwrap_err().code, "duplicate_agency");
}

#[test]
fn an_import_appends_replaces_the_draft_or_closes_the_version_in_force_never_rewrites() {
    let stored = published();
    let same = |p: &Procedure| p.import_over(&stored.versions);
    assert_eq!(same(&stored), Ok(HistoryChange::Same));

    // A new draft appended, then that draft replaced by another, then dropped by the file.
    let mut with_draft = stored.clone();
    with_draft.versions.push(with_draft.new_draft(content("v2")).unwrap_or_else(|e| panic!("{e}")));
    assert_eq!(same(&with_draft), Ok(HistoryChange::From(1)));
    let mut other_draft = stored.clone();
    other_draft.versions.push(other_draft.new_draft(content("v2 khác")).unwrap_or_else(|e| panic!("{e}")));
    assert_eq!(other_draft.import_over(&with_draft.versions), Ok(HistoryChange::From(1)));
    assert_eq!(stored.import_over(&with_draft.versions), Ok(HistoryChange::Same));

    // A later publication closing the version in force is taken from the version on.
    let mut amended = with_draft.clone();
    amended.publish("99/QĐ-UBND".into(), d("2025-06-20"), d("2025-07-01")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(same(&amended), Ok(HistoryChange::From(0)));

    // Rewriting a published version or losing one is refused, naming the version.
    let mut rewritten = stored.clone();
    rewritten.versions[0].content.name = "Đã sửa".into();
    let e = same(&rewritten).err().unwrap_or_else(|| panic!("a rewrite passed"));
    assert_eq!((e.code, e.field.as_str()), ("version_differs", "1.001193.versions[0]"));
    let empty = Procedure { code: code(), versions: vec![] };
    let e = same(&empty).err().unwrap_or_else(|| panic!("a loss passed"));
    assert_eq!((e.code, e.field.as_str()), ("versions_missing", "1.001193.versions"));
}

#[test]
fn a_limit_without_a_unit_reads_as_the_rules_say_with_a_note() {
    let bare = TimeLimit { value: 1.0, unit: TimeUnit::Unspecified, text: Some("1".into()) };
    assert_eq!(bare.public_vi(), "Theo quy định");
    assert!(bare.public_note_vi().is_some_and(|n| n.contains("«1»")), "{:?}", bare.public_note_vi());
    assert!(!bare.public_vi().contains("chưa rõ"));
    let days = TimeLimit { value: 5.0, unit: TimeUnit::WorkingDays, text: None };
    assert_eq!((days.public_vi(), days.public_note_vi()), ("5 ngày làm việc".to_owned(), None));
}

#[test]
fn online_filing_follows_the_published_channels_and_level() {
    let mut c = content("x");
    assert!(c.accepts_online(), "published with the online channel");
    c.channels = vec![Channel::Counter];
    c.online_level = OnlineLevel::Unknown;
    assert!(!c.accepts_online());
    c.online_level = OnlineLevel::Partial;
    assert!(c.accepts_online());
    c.channels = vec![Channel::Online];
    c.online_level = OnlineLevel::None;
    assert!(!c.accepts_online(), "a level of none wins");
}

#[test]
fn the_catalog_counts_of_the_index() {
    use crate::index::{Code, Count, catalog::catalog_counts};
    let full = published();
    let mut partial = published();
    partial.code = ProcedureCode::parse("2.000908").unwrap_or_else(|e| panic!("{e}"));
    partial.versions[0].content.subjects.clear();
    partial.versions[0].content.online_level = OnlineLevel::None;
    let c = catalog_counts([&full, &partial], d("2026-11-27"));
    assert_eq!(c[&Code::PublicContentFull], Count { numerator: 1, denominator: 2 }, "one lacks its subjects");
    assert_eq!(c[&Code::OnlineServiceProvision], Count { numerator: 1, denominator: 2 });
    assert!(catalog_counts([&full], d("2025-01-31")).is_empty(), "nothing in force before 1/2/2025");
}

#[test]
fn the_usage_counts_of_the_index() {
    use crate::index::share::{Fact, Sums};
    use crate::index::{Code, Count, catalog::usage_counts};
    let used = published();
    let mut unused = published();
    unused.code = ProcedureCode::parse("2.000908").unwrap_or_else(|e| panic!("{e}"));
    unused.versions[0].content.subjects = vec!["Doanh nghiệp".into()];
    unused.versions[0].content.fees = vec![Fee { name: "Lệ phí".into(), amount_vnd: Some(0), text: None }];
    let mut sums = Sums::default();
    sums.add(Fact::Online, 3);
    sums.add(Fact::PaidOnline, 1);
    sums.add(Fact::PopulationData, 2);
    let by_procedure = std::collections::BTreeMap::from([(used.code.clone(), sums)]);
    let c = usage_counts([&used, &unused], d("2026-11-27"), &by_procedure);
    assert_eq!(c[&Code::OnlineServiceUsed], Count { numerator: 1, denominator: 2 });
    assert_eq!(c[&Code::FeeProceduresPaidOnline], Count { numerator: 1, denominator: 1 }, "a zero fee is no fee");
    assert_eq!(c[&Code::FeeDataSynced], Count { numerator: 0, denominator: 1 });
    assert_eq!(c[&Code::CitizenDataConnectedFormality], Count { numerator: 1, denominator: 1 }, "businesses only");
    assert_eq!(
        used.versions[0].content.index_traits(),
        crate::dossier::record::ProcedureTraits { paper_result: true, fee_bearing: true }
    );
}

#[test]
fn a_declaration_form_travels_with_the_version_and_is_checked_with_it() {
    let mut c = content("Đăng ký khai sinh");
    let json = serde_json::json!({"title": "Tờ khai", "fields": [
        {"key": "ho_ten", "label": "Họ tên", "type": "text", "max": 100, "required": true}]});
    c.declaration = Some(serde_json::from_value(json).unwrap_or_else(|e| panic!("{e}")));
    assert!(c.validate().is_ok());
    let back: VersionContent =
        serde_json::from_value(serde_json::to_value(&c).unwrap_or_default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back.declaration, c.declaration, "export and import keep it");
    if let Some(d) = c.declaration.as_mut() {
        d.fields[0].key = "Họ tên".into();
    }
    assert_eq!(c.validate().map_err(|e| e.code), Err("invalid_eform"));
}

#[test]
fn an_online_declaration_stands_for_the_paper_one_it_replaces() {
    let mut c = content("Đăng ký khai sinh");
    assert!(c.upload_online(0), "the paper declaration is uploaded without an e-form");
    let json = serde_json::json!({"title": "Tờ khai", "replaces": [0], "fields": [
        {"key": "ho_ten", "label": "Họ tên", "type": "text", "max": 100, "required": true}]});
    c.declaration = Some(serde_json::from_value(json).unwrap_or_else(|e| panic!("{e}")));
    assert!(c.validate().is_ok());
    assert!(!c.upload_online(0), "filled online instead");
    assert!(!c.upload_online(1), "no such component");
    if let Some(d) = c.declaration.as_mut() {
        d.replaces = vec![1];
    }
    let e = c.validate().unwrap_err();
    assert_eq!((e.code, e.field.as_str()), ("invalid_eform", "eform.replaces"));
}
