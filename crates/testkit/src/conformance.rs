//! The storage story: what every backend of the contract must do. Run on SQLite by
//! `cargo test` and on PostgreSQL by `.ci/run` (see `tests/conformance.rs`).

use motcua_domain::admin::UnitLevel;
use motcua_domain::ids::Username;
use motcua_domain::procedure::search::{CatalogIndex, CatalogQuery, Page, ProcedureSummary};
use motcua_domain::procedure::{Level, OnlineLevel, TimeUnit, VersionStatus};
use motcua_domain::text::query_words;
use motcua_domain::user::Role;
use motcua_storage::{
    AgencyQuery, ImportSummary, NewUser, OutboxQuery, OutboxState, SessionKind, Store, StoreError, UnitQuery,
};

use crate::fixtures::*;

fn no_progress(_: usize) {}

async fn audit_count(s: &impl Store) -> usize {
    s.audit_log(10_000).await.unwrap_or_else(|e| panic!("{e}")).len()
}

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

    let q = |text: &str| CatalogQuery {
        words: query_words(text),
        on: date("2026-11-27"),
        page: 1,
        per_page: 20,
        ..CatalogQuery::default()
    };
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

    // New version with optimistic locking.
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

    // Export → import round trip, and the export re-imports as unchanged.
    let exported = s.export_procedures().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(exported.len(), 6);
    assert_eq!(exported.iter().find(|p| p.code == proc_.code), Some(&proc_));
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

pub async fn user_story(s: &impl Store) {
    let new = NewUser {
        username: Username::parse("canbo.motcua").unwrap_or_else(|e| panic!("{e}")),
        full_name: "Nguyễn Thị Hoa".into(),
        role: Role::DeskOfficer,
        agency: Some(agency_code("H24.12")),
        password_hash: "$argon2id$fake".into(),
    };
    let u =
        s.create_user(&new, instant(2026, 11, 27, 1), &audit("user.create")).await.unwrap_or_else(|e| panic!("{e}"));
    let dup = s.create_user(&new, instant(2026, 11, 27, 1), &audit("user.create")).await;
    assert!(matches!(dup, Err(StoreError::Conflict { .. })), "{dup:?}");
    let (found, hash) =
        s.user_credentials(&new.username).await.unwrap_or_else(|e| panic!("{e}")).unwrap_or_else(|| panic!("user"));
    assert_eq!(found, u);
    assert_eq!(hash, "$argon2id$fake");

    let t0 = instant(2026, 11, 27, 2);
    s.create_session("h1", u.id, SessionKind::Cookie, t0, instant(2026, 11, 27, 10), &audit("login"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    s.create_session("h2", u.id, SessionKind::Bearer, t0, instant(2026, 11, 28, 2), &audit("token"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let live =
        s.session_user("h1", SessionKind::Cookie, instant(2026, 11, 27, 9)).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(live.map(|u| u.username), Some(new.username.clone()));
    assert!(
        s.session_user("h1", SessionKind::Bearer, t0).await.unwrap_or_else(|e| panic!("{e}")).is_none(),
        "kinds do not mix"
    );
    assert!(
        s.session_user("h1", SessionKind::Cookie, instant(2026, 11, 27, 10))
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .is_none(),
        "expired"
    );
    s.delete_session("h2", &audit("logout")).await.unwrap_or_else(|e| panic!("{e}"));
    assert!(s.session_user("h2", SessionKind::Bearer, t0).await.unwrap_or_else(|e| panic!("{e}")).is_none());
    s.set_password(&new.username, "$argon2id$new", &audit("password")).await.unwrap_or_else(|e| panic!("{e}"));
    assert!(
        s.session_user("h1", SessionKind::Cookie, t0).await.unwrap_or_else(|e| panic!("{e}")).is_none(),
        "password change ends sessions"
    );
    let missing = Username::parse("khong.co").unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(s.set_password(&missing, "x", &audit("password")).await, Err(StoreError::NotFound(_))));

    // Every write left its audit row, newest first, with who and from where.
    let log = s.audit_log(100).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(log.len(), 5, "failed writes leave no audit row");
    assert_eq!(log[0].entry.action, "password");
    assert_eq!(log[0].entry.ip.as_deref(), Some("127.0.0.1"));
}

pub async fn calendar_story(s: &impl Store) {
    use motcua_domain::calendar::deadline::WorkingTime;
    use motcua_domain::calendar::holidays::{CalendarDay, DayKind, YearSchedule};
    let day = |d: &str, kind, name: &str| CalendarDay {
        date: date(d),
        kind,
        name: name.into(),
        source: Some("TB 1/TB".into()),
    };
    let y24 = YearSchedule {
        year: 2024,
        days: vec![day("2024-04-29", DayKind::Swap, "Nghỉ hoán đổi"), day("2024-05-04", DayKind::Makeup, "Làm bù")],
    };
    let y25 = YearSchedule { year: 2025, days: vec![day("2025-01-01", DayKind::Holiday, "Tết Dương lịch")] };
    let stamp0 = s.calendar_stamp().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        s.seed_calendar_years(&[y24.clone(), y25.clone()], &audit("calendar.seed"))
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        2
    );
    assert_eq!(
        s.seed_calendar_years(std::slice::from_ref(&y24), &audit("calendar.seed"))
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        0,
        "seeding happens once"
    );
    let all = s.calendar_schedules().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(all, vec![y24.clone(), y25.clone()]);
    let stamp1 = s.calendar_stamp().await.unwrap_or_else(|e| panic!("{e}"));
    assert_ne!(stamp0, stamp1);

    // Replacing a year is whole; an empty announced year is kept (no holiday that year).
    let new24 = YearSchedule { year: 2024, days: vec![day("2024-01-01", DayKind::Holiday, "Tết Dương lịch")] };
    s.put_calendar_year(&new24, &audit("calendar.put")).await.unwrap_or_else(|e| panic!("{e}"));
    s.put_calendar_year(&YearSchedule { year: 2030, days: vec![] }, &audit("calendar.put"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let all = s.calendar_schedules().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(all.iter().map(|y| (y.year, y.days.len())).collect::<Vec<_>>(), vec![(2024, 1), (2025, 1), (2030, 0)]);
    // Two days on one date break a rule of the store, and nothing is written.
    let dup = YearSchedule {
        year: 2025,
        days: vec![day("2025-01-01", DayKind::Holiday, "a"), day("2025-01-01", DayKind::Holiday, "b")],
    };
    assert!(s.put_calendar_year(&dup, &audit("calendar.put")).await.is_err());
    assert_eq!(s.calendar_schedules().await.unwrap_or_else(|e| panic!("{e}"))[1], y25);
    assert!(s.delete_calendar_year(2030, &audit("calendar.delete")).await.unwrap_or_else(|e| panic!("{e}")));
    assert!(!s.delete_calendar_year(2030, &audit("calendar.delete")).await.unwrap_or_else(|e| panic!("{e}")));

    assert!(s.working_time("*").await.unwrap_or_else(|e| panic!("{e}")).is_none());
    let wt = WorkingTime { saturdays_count: true, ..WorkingTime::default() };
    s.set_working_time("*", &wt, &audit("working_time.set")).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.working_time("*").await.unwrap_or_else(|e| panic!("{e}")), Some(wt.clone()));
    s.set_working_time("H24.11", &WorkingTime::default(), &audit("working_time.set"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let all = s.working_times().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(all, vec![("*".to_owned(), wt), ("H24.11".to_owned(), WorkingTime::default())]);
    assert_ne!(s.calendar_stamp().await.unwrap_or_else(|e| panic!("{e}")), stamp1);
}

fn sms(body: &str) -> motcua_domain::notice::Notice {
    notice(motcua_domain::notice::NoticeChannel::Sms, body)
}

pub async fn dossier_story<S: Store + Clone + 'static>(s: &S) {
    use motcua_domain::dossier::record::{EventRecord, NewDossier};
    use motcua_domain::dossier::{Command, CommandKind, Dossier, DossierCode, Policy, State, transition};
    use motcua_domain::procedure::Channel;

    let received = chrono::DateTime::parse_from_rfc3339("2026-11-26T09:00:00+07:00").unwrap_or_else(|e| panic!("{e}"));
    let due = chrono::DateTime::parse_from_rfc3339("2026-12-01T17:30:00+07:00").unwrap_or_else(|e| panic!("{e}"));
    let (accepted, _) = transition(&Dossier::submitted(), &Command::Accept { due }, received, &Policy::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let new = NewDossier {
        workflow: accepted.clone(),
        ..new_dossier(Channel::Counter, received, Some("0912 345 678"), None)
    };
    let event = |command: &str, from: Option<State>, to: State| EventRecord {
        at: received,
        actor: "motcua".into(),
        agency: agency_code("H24.02"),
        command: CommandKind::parse(command).unwrap_or_else(|e| panic!("{e}")),
        from,
        to,
        detail: intake_detail(Channel::Counter),
    };
    let d = s
        .create_dossier(
            &new,
            &event("accept", Some(State::Submitted), State::Accepted),
            &audit("dossier.intake"),
            std::sync::Arc::new(|code: &DossierCode| vec![sms(&format!("Ho so {code}: Duoc tiep nhan."))]),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(d.code.as_str(), "H24.02-261126-0001");
    assert_eq!(d.workflow, accepted);
    assert_eq!(d.applicant, new.applicant);
    assert_eq!(d.received_at, received);
    assert_eq!(d.revision, 1);
    assert_eq!(d.form_set, motcua_domain::dossier::record::FormSet::Tt01_2018);

    // Concurrent intakes at one desk on one day get consecutive codes without gaps.
    let mut tasks = Vec::new();
    for _ in 0..12 {
        let (s, new, ev) = (s.clone(), new.clone(), event("accept", Some(State::Submitted), State::Accepted));
        tasks.push(tokio::spawn(async move {
            s.create_dossier(&new, &ev, &audit("dossier.intake"), motcua_storage::no_notices()).await
        }));
    }
    let mut codes = Vec::new();
    for t in tasks {
        codes.push(t.await.unwrap_or_else(|e| panic!("{e}")).unwrap_or_else(|e| panic!("{e}")).code.to_string());
    }
    codes.sort();
    let expected: Vec<String> = (2..=13).map(|n| format!("H24.02-261126-{n:04}")).collect();
    assert_eq!(codes, expected);
    // Another day starts again at 1.
    let next_day = NewDossier { received_at: received + chrono::Duration::days(1), ..new.clone() };
    let d2 = s
        .create_dossier(
            &next_day,
            &event("accept", None, State::Accepted),
            &audit("dossier.intake"),
            motcua_storage::no_notices(),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(d2.code.as_str(), "H24.02-261127-0001");

    // Updates carry the revision read; a stale one changes nothing.
    let (moved, _) =
        transition(&accepted, &Command::Transfer { agency: agency_code("H24.11") }, received, &Policy::default())
            .unwrap_or_else(|e| panic!("{e}"));
    let ev = event("transfer", Some(State::Accepted), State::InProcessing);
    let rev = s
        .update_dossier(&d.code, 1, &moved, &ev, &audit("dossier.transfer"), &[sms("chuyen xu ly")])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rev, 2);
    assert!(matches!(
        s.update_dossier(&d.code, 1, &moved, &ev, &audit("dossier.transfer"), &[sms("lan hai")]).await,
        Err(StoreError::Stale)
    ));
    // The notices were written with their changes, under the receiving desk; the stale update
    // wrote none.
    let notices = s
        .outbox(&OutboxQuery { dossier: Some(d.code.clone()), limit: 10, ..OutboxQuery::default() })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        notices.iter().map(|m| m.notice.body.as_str()).collect::<Vec<_>>(),
        vec!["chuyen xu ly", "Ho so H24.02-261126-0001: Duoc tiep nhan."]
    );
    assert!(notices.iter().all(|m| m.agency.as_str() == "H24.02" && m.state == OutboxState::Pending));
    let now = s.dossier(&d.code).await.unwrap_or_else(|e| panic!("{e}")).unwrap_or_else(|| panic!("stored"));
    assert_eq!((now.workflow.state, now.revision), (State::InProcessing, 2));
    let events = s.dossier_events(&d.code).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(events.iter().map(|e| e.command.as_str()).collect::<Vec<_>>(), vec!["accept", "transfer"]);
    assert_eq!(events[0].detail, intake_detail(Channel::Counter), "the typed detail round-trips");

    // Files of the dossier move its 766 facts in their transaction.
    use motcua_domain::dossier::record::{DocumentKind, DocumentRecord, DocumentSource};
    let doc = |code: &DossierCode, kind, source, name: &str| DocumentRecord {
        id: uuid::Uuid::now_v7(),
        dossier: code.clone(),
        kind,
        name: name.into(),
        file: pdf_file(&format!("{name}.pdf"), &format!("2026/{}", uuid::Uuid::now_v7())),
        source,
        at: received,
        by: "motcua".into(),
    };
    assert_eq!(now.facts, motcua_domain::dossier::record::DossierFacts::default());
    let scan = doc(&d.code, DocumentKind::Component, DocumentSource::Scan, "Tờ khai đăng ký");
    s.add_document(&scan, &audit("dossier.document")).await.unwrap_or_else(|e| panic!("{e}"));
    let f = s.dossier(&d.code).await.unwrap_or_else(|e| panic!("{e}")).unwrap_or_else(|| panic!("stored")).facts;
    assert_eq!((f.component_files, f.reused_data, f.e_result), (1, false, false));
    for (kind, source, name) in [
        (DocumentKind::Component, DocumentSource::Vault, "Giấy khai sinh"),
        (DocumentKind::Result, DocumentSource::Issued, "Quyết định"),
    ] {
        s.add_document(&doc(&d.code, kind, source, name), &audit("dossier.document"))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let after = s.dossier(&d.code).await.unwrap_or_else(|e| panic!("{e}")).unwrap_or_else(|| panic!("stored"));
    assert_eq!((after.facts.component_files, after.facts.reused_data, after.facts.e_result), (2, true, true));
    assert!(after.facts.digitised(true));
    assert_eq!(after.revision, 2, "a file does not move the revision: the officer's next command still applies");
    let docs = s.documents(&d.code).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        docs.iter().map(|x| (x.name.as_str(), x.source)).collect::<Vec<_>>(),
        vec![
            ("Tờ khai đăng ký", DocumentSource::Scan),
            ("Giấy khai sinh", DocumentSource::Vault),
            ("Quyết định", DocumentSource::Issued)
        ]
    );
    assert_eq!(docs[0], scan, "read back as written, storage key included");
    let missing = DossierCode::parse("H24.02-261126-9999").unwrap_or_else(|e| panic!("{e}"));
    let orphan = doc(&missing, DocumentKind::Component, DocumentSource::Scan, "x");
    assert!(matches!(s.add_document(&orphan, &audit("dossier.document")).await, Err(StoreError::NotFound(_))));

    // Work queues: filters, paging, overdue.
    use motcua_domain::dossier::record::DossierQuery;
    let q = |f: &dyn Fn(&mut DossierQuery)| {
        let mut q = DossierQuery { page: 1, per_page: 5, ..DossierQuery::default() };
        f(&mut q);
        q
    };
    let (page, total) = s.list_dossiers(&q(&|_| {})).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((page.len(), total), (5, 14));
    let (one, total) =
        s.list_dossiers(&q(&|q| q.state = Some(State::InProcessing))).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((one.len(), total, one[0].code.clone()), (1, 1, d.code.clone()));
    assert_eq!(one[0].applicant_name, "Vũ Minh Anh");
    let (_, total) =
        s.list_dossiers(&q(&|q| q.handler = Some(agency_code("H24.13")))).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(total, 0);
    let (_, total) = s
        .list_dossiers(&q(&|q| q.overdue_at = Some(due + chrono::Duration::hours(1))))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(total, 14, "all past their appointment an hour after it");
    let (_, total) = s
        .list_dossiers(&q(&|q| q.overdue_at = Some(due - chrono::Duration::hours(1))))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(total, 0);
    let (last, total) = s.list_dossiers(&q(&|q| q.page = 3)).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((last.len(), total), (4, 14));
    // A capped count stops one past its limit; the page is the same.
    let (capped, total) = s.list_dossiers(&q(&|q| q.count_limit = Some(10))).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((capped.len(), total), (5, 11));
    let (_, total) = s.list_dossiers(&q(&|q| q.count_limit = Some(100))).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(total, 14);

    // The tracking book: by receipt period, in order of receipt.
    let day = |d: u32| {
        chrono::DateTime::parse_from_rfc3339(&format!("2026-11-{d}T00:00:00+07:00")).unwrap_or_else(|e| panic!("{e}"))
    };
    let (book, total) = s
        .list_dossiers(&q(&|q| {
            q.received_from = Some(day(27));
            q.received_before = Some(day(28));
            q.sort = motcua_domain::dossier::record::DossierSort::Received;
        }))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((total, book[0].code.as_str()), (1, "H24.02-261127-0001"));

    // A dossier filed online by a citizen's account is listed for that account only.
    let owner = uuid::Uuid::now_v7();
    let online = NewDossier { submitted_by: Some(owner), channel: Channel::Online, ..new.clone() };
    let o = s
        .create_dossier(
            &online,
            &event("submit", None, State::Submitted),
            &audit("dossier.intake"),
            motcua_storage::no_notices(),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(o.submitted_by, Some(owner));
    let (mine, total) = s.list_dossiers(&q(&|q| q.submitted_by = Some(owner))).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((total, mine[0].code.clone()), (1, o.code.clone()));
    let (_, total) =
        s.list_dossiers(&q(&|q| q.submitted_by = Some(uuid::Uuid::now_v7()))).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(total, 0);
}

/// Intakes that arrive together at two desks (written in shared transactions by the SQL store):
/// each desk's codes are consecutive from 1 in arrival order at that desk, and every dossier has
/// its own event, audit row and notice, composed with its own code.
pub async fn concurrent_intake_story<S: Store + Clone + 'static>(s: &S) {
    use motcua_domain::dossier::DossierCode;
    use motcua_domain::procedure::Channel;

    let received = chrono::DateTime::parse_from_rfc3339("2026-11-26T09:00:00+07:00").unwrap_or_else(|e| panic!("{e}"));
    let desks = ["H24.02", "H24.05"];
    let mut tasks = Vec::new();
    // More than one batch can hold (64): some callers lead several batches.
    for i in 0..200 {
        let mut new = new_dossier(Channel::Counter, received, Some("0912 345 678"), None);
        new.agency = agency_code(desks[i % 2]);
        new.applicant.name = format!("Người nộp {i}");
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            let ev = intake_event(&new);
            let notices = std::sync::Arc::new(|code: &DossierCode| vec![sms(&format!("Ho so {code}"))]);
            s.create_dossier(&new, &ev, &audit("dossier.intake"), notices).await
        }));
    }
    let mut stored = Vec::new();
    for t in tasks {
        stored.push(t.await.unwrap_or_else(|e| panic!("{e}")).unwrap_or_else(|e| panic!("{e}")));
    }
    for desk in desks {
        let mut codes: Vec<String> =
            stored.iter().filter(|d| d.agency.as_str() == desk).map(|d| d.code.to_string()).collect();
        codes.sort();
        let expected: Vec<String> = (1..=100).map(|n| format!("{desk}-261126-{n:04}")).collect();
        assert_eq!(codes, expected);
    }
    let audits = s.audit_log(1000).await.unwrap_or_else(|e| panic!("{e}"));
    for d in &stored {
        // What the store answered is what it stored, under that code.
        let back = s.dossier(&d.code).await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back.as_ref().map(|b| &b.applicant.name), Some(&d.applicant.name));
        let events = s.dossier_events(&d.code).await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(events.len(), 1, "{}", d.code);
        assert_eq!(audits.iter().filter(|a| a.entry.entity_id == d.code.as_str()).count(), 1, "{}", d.code);
        let q = OutboxQuery { dossier: Some(d.code.clone()), limit: 10, ..OutboxQuery::default() };
        let msgs = s.outbox(&q).await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(msgs.len(), 1, "{}", d.code);
        assert_eq!(msgs[0].notice.body, format!("Ho so {}", d.code));
        assert_eq!(msgs[0].agency, d.agency);
    }
}

/// The outbox as workers use it: claims with a lease, settled only by the lease holder, retried
/// from a later instant or given up; concurrent claims never hand one message to two workers.
pub async fn outbox_story<S: Store + Clone + 'static>(s: &S) {
    use motcua_domain::notice::NoticeChannel;
    use motcua_domain::procedure::Channel;

    let t = |m: i64| {
        chrono::DateTime::parse_from_rfc3339("2026-11-26T09:00:00+07:00").unwrap_or_else(|e| panic!("{e}")).to_utc()
            + chrono::Duration::minutes(m)
    };
    let received = t(0).with_timezone(&motcua_domain::calendar::deadline::vn_offset());
    let new = new_dossier(Channel::Online, received, None, Some("anh@example.vn"));
    let ev = intake_event(&new);
    // 40 dossiers, each with an e-mail and an SMS.
    for i in 0..40 {
        let mut a = audit("dossier.intake");
        a.at = t(i);
        s.create_dossier(
            &new,
            &ev,
            &a,
            std::sync::Arc::new(|code: &motcua_domain::dossier::DossierCode| {
                vec![
                    notice(NoticeChannel::Email, &format!("{code}")),
                    notice(NoticeChannel::Sms, &format!("Ho so {code}")),
                ]
            }),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    }
    let all = |state| OutboxQuery { state, limit: 500, ..OutboxQuery::default() };
    assert_eq!(s.outbox(&all(Some(OutboxState::Pending))).await.unwrap_or_else(|e| panic!("{e}")).len(), 80);

    // Four workers claim SMS at once: every message goes to exactly one of them.
    let now = t(60);
    let mut tasks = Vec::new();
    for _ in 0..4 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            let w = uuid::Uuid::now_v7();
            let mut got = Vec::new();
            loop {
                let batch = s
                    .claim_outbox(NoticeChannel::Sms, w, now, now + chrono::Duration::minutes(5), 3)
                    .await
                    .unwrap_or_else(|e| panic!("{e}"));
                if batch.is_empty() {
                    break;
                }
                got.extend(batch.into_iter().map(|m| (w, m)));
            }
            got
        }));
    }
    let mut claimed = Vec::new();
    for task in tasks {
        claimed.extend(task.await.unwrap_or_else(|e| panic!("{e}")));
    }
    let mut ids: Vec<uuid::Uuid> = claimed.iter().map(|(_, m)| m.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!((claimed.len(), ids.len()), (40, 40), "each SMS claimed once");
    assert!(claimed.iter().all(|(_, m)| m.notice.channel == NoticeChannel::Sms && m.attempts == 1));

    // Only the holder settles; a second settlement does nothing.
    let (w0, m0) = &claimed[0];
    assert!(!s.outbox_sent(m0.id, uuid::Uuid::now_v7(), now).await.unwrap_or_else(|e| panic!("{e}")));
    assert!(s.outbox_sent(m0.id, *w0, now).await.unwrap_or_else(|e| panic!("{e}")));
    assert!(!s.outbox_sent(m0.id, *w0, now).await.unwrap_or_else(|e| panic!("{e}")));
    // A failed attempt comes back at its retry instant, not before.
    let (w1, m1) = &claimed[1];
    assert!(s.outbox_failed(m1.id, *w1, "gateway 503", Some(t(90))).await.unwrap_or_else(|e| panic!("{e}")));
    // A permanent failure is given up.
    let (w2, m2) = &claimed[2];
    assert!(s.outbox_failed(m2.id, *w2, "số không tồn tại", None).await.unwrap_or_else(|e| panic!("{e}")));

    let w = uuid::Uuid::now_v7();
    let lease = |at: chrono::DateTime<chrono::Utc>| at + chrono::Duration::minutes(5);
    let early = s.claim_outbox(NoticeChannel::Sms, w, t(62), lease(t(62)), 100).await.unwrap_or_else(|e| panic!("{e}"));
    assert!(early.is_empty(), "all SMS are settled, waiting for a retry or under a live lease");
    // After the leases ran out (t(65)) the unsettled messages are claimable again, the retried
    // one only from t(90).
    let again = s.claim_outbox(NoticeChannel::Sms, w, t(66), lease(t(66)), 100).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again.len(), 37);
    assert!(again.iter().all(|m| m.attempts == 2 && m.id != m1.id));
    // The worker that lost its lease cannot settle what the new holder now holds.
    let (w3, m3) = &claimed[3];
    assert!(!s.outbox_sent(m3.id, *w3, t(66)).await.unwrap_or_else(|e| panic!("{e}")));
    for m in &again {
        assert!(s.outbox_sent(m.id, w, t(67)).await.unwrap_or_else(|e| panic!("{e}")));
    }
    let retried =
        s.claim_outbox(NoticeChannel::Sms, w, t(91), lease(t(91)), 100).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(retried.iter().map(|m| (m.id, m.attempts)).collect::<Vec<_>>(), vec![(m1.id, 2)]);
    assert_eq!(retried[0].last_error.as_deref(), Some("gateway 503"));
    assert!(s.outbox_sent(m1.id, w, t(92)).await.unwrap_or_else(|e| panic!("{e}")));

    let failed = s.outbox(&all(Some(OutboxState::Failed))).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        failed.iter().map(|m| (m.id, m.last_error.as_deref())).collect::<Vec<_>>(),
        vec![(m2.id, Some("số không tồn tại"))]
    );
    let sent = s.outbox(&all(Some(OutboxState::Sent))).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sent.len(), 39);
    assert!(sent.iter().all(|m| m.sent_at.is_some() && m.last_error.is_none()));
    let mut counts = s.outbox_counts().await.unwrap_or_else(|e| panic!("{e}"));
    counts.sort_by_key(|(c, st, _)| (c.as_str(), st.as_str()));
    assert_eq!(
        counts,
        vec![
            (NoticeChannel::Email, OutboxState::Pending, 40),
            (NoticeChannel::Sms, OutboxState::Failed, 1),
            (NoticeChannel::Sms, OutboxState::Sent, 39),
        ]
    );
    // E-mails are untouched by SMS workers, oldest first.
    let mails = s.claim_outbox(NoticeChannel::Email, w, t(92), lease(t(92)), 2).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(mails.len(), 2);
    assert!(mails[0].created_at <= mails[1].created_at && mails[0].notice.subject.starts_with("Hồ sơ: H24.02-261126-"));
}

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

    // Costings: one per procedure of the plan, replaced when entered again.
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
        plan_id: first.id,
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
    assert_eq!(s.costings(first.id).await.unwrap_or_else(|e| ok(e)), vec![costing.clone()]);
    costing.status = motcua_domain::plan::cost::ReviewStatus::Approved;
    costing.after = Some(sheet(3.0));
    costing.note = "Bỏ yêu cầu bản sao chứng thực".into();
    costing.decision =
        Some(motcua_domain::plan::cost::Decision { number: "2345/QĐ-UBND".into(), date: date("2024-09-10") });
    s.put_costing(&costing, &audit("plan.costing")).await.unwrap_or_else(|e| ok(e));
    assert_eq!(s.costings(first.id).await.unwrap_or_else(|e| ok(e)), vec![costing.clone()]);
    let nowhere = Costing { plan_id: uuid::Uuid::now_v7(), ..costing };
    assert!(matches!(s.put_costing(&nowhere, &audit("plan.costing")).await, Err(StoreError::NotFound(_))));

    // An inspection's record; an inspection with a record is never dropped by a re-import.
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
    let again = s.import_plan(&changed, "hash-5", now, &audit("plan.import")).await.unwrap_or_else(|e| ok(e));
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
