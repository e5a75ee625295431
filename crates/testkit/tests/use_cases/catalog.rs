//! The catalog, the map, accounts, the calendar and office hours through the use cases.

use super::*;

#[tokio::test]
async fn demo_loads_once_and_is_searchable() {
    let (app, _ts) = demo_app().await;
    let again = motcua_demo::load(&app).await.unwrap();
    assert_eq!((again.map.created, again.map.updated), (0, 0));
    assert_eq!(again.procedures.unchanged, 112);
    assert_eq!(again.users_created, 0);

    let r = app
        .search_procedures(&SearchParams { q: Some("dang ky khai sinh".into()), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(r.items[0].code.as_str(), "1.001193", "{:?}", r.items.iter().map(|i| &i.name).collect::<Vec<_>>());
    let r = app.search_procedures(&SearchParams { q: Some("khai sinh".into()), ..Default::default() }).await.unwrap();
    assert_eq!(r.items[0].code.as_str(), "1.001193", "the shortest name with the phrase comes first");
    let all = app.search_procedures(&SearchParams::default()).await.unwrap();
    assert_eq!(all.total, 112);

    let v = app.procedure_on("1.001193", None).await.unwrap();
    assert_eq!(v.version.content.time_limit.as_ref().map(|t| t.unit), Some(TimeUnit::Unspecified));
    assert!(v.flags.iter().any(|f| f.code == "time_limit_without_unit"));
    assert!(matches!(app.procedure_on("1.001193", Some(date("2024-01-01"))).await, Err(AppError::NotFound(_))));
    assert!(matches!(app.procedure_on("abc", None).await, Err(AppError::Invalid(_))));
}

#[tokio::test]
async fn what_is_an_old_commune_today() {
    let (app, _ts) = demo_app().await;
    let r = app.unit_on("HD-296-01", None).await.unwrap();
    assert_eq!(r.unit.name, "Thị trấn Kẻ Sặt");
    assert_eq!(r.current.iter().map(|c| c.unit.name.as_str()).collect::<Vec<_>>(), vec!["Xã Kẻ Sặt"]);
    let district = app.unit_on("296", None).await.unwrap();
    assert_eq!(district.current.len(), 3, "Bình Giang's territory went to three new communes");
    assert!(district.current.iter().all(|c| c.partial));
    let in_2024 = app.unit_on("HD-296-01", Some(date("2024-05-01"))).await.unwrap();
    assert_eq!(in_2024.current[0].unit.name, "Thị trấn Kẻ Sặt");
    let province = app.unit_on("30", None).await.unwrap();
    assert_eq!(province.current[0].unit.name, "Thành phố Hải Phòng");
}

#[tokio::test]
async fn admin_publishes_a_new_version_others_may_not() {
    let (app, ts) = demo_app().await;
    let admin = login_as(&app, "admin").await;
    let specialist = login_as(&app, "chuyenvien").await;
    let current = app.procedure_on("2.000908", None).await.unwrap();
    let mut content = current.version.content.clone();
    content.name = format!("{} (sửa đổi)", content.name);

    let e = app.save_draft(&specialist, "2.000908", current.revision, content.clone()).await.unwrap_err();
    assert!(matches!(e, AppError::Forbidden(_)));
    let e = app
        .save_draft(&Actor::Anonymous { ip: None }, "2.000908", current.revision, content.clone())
        .await
        .unwrap_err();
    assert!(matches!(e, AppError::Unauthenticated));

    let draft = app.save_draft(&admin, "2.000908", current.revision, content.clone()).await.unwrap();
    assert_eq!(draft.version.number, 2);
    let stale = app.save_draft(&admin, "2.000908", current.revision, content.clone()).await.unwrap_err();
    assert!(matches!(stale, AppError::Stale));
    let publish = PublishInput {
        revision: draft.revision,
        decision_no: "15/QĐ-UBND".into(),
        decision_date: date("2026-11-20"),
        effective_from: date("2026-11-27"),
    };
    let published = app.publish_procedure(&admin, "2.000908", publish).await.unwrap();
    assert_eq!(published.history.len(), 2);
    let now = app.procedure_on("2.000908", None).await.unwrap();
    assert_eq!(now.version.number, 2);
    assert!(now.version.content.name.ends_with("(sửa đổi)"));
    let before = app.procedure_on("2.000908", Some(date("2026-11-26"))).await.unwrap();
    assert_eq!(before.version.number, 1, "the old version stays readable");

    let abolished = app
        .abolish_procedure(
            &admin,
            "2.000908",
            AbolishInput { revision: published.revision, decision_no: "16/QĐ-UBND".into(), date: date("2027-01-01") },
        )
        .await
        .unwrap();
    assert_eq!(abolished.version.publication.effective_to, Some(date("2027-01-01")));

    let log = ts.audit_log(50).await.unwrap();
    let mine: Vec<_> = log.iter().filter(|r| r.entry.actor == "admin").map(|r| r.entry.action.as_str()).collect();
    assert_eq!(mine, vec!["procedure.abolish", "procedure.publish", "procedure.draft", "token.create"]);
    assert!(
        log.iter()
            .filter(|r| r.entry.actor == "admin")
            .all(|r| r.entry.ip.as_deref() == Some("10.0.0.1") || r.entry.action == "token.create")
    );
}

#[tokio::test]
async fn accounts_and_logins() {
    let (app, _ts) = demo_app().await;
    assert_eq!(DEMO_USERS.len(), 8);
    let bad = app.login("admin", "sai-mat-khau", SessionKind::Cookie, None).await.unwrap_err();
    assert!(matches!(bad, AppError::Unauthenticated));
    let none = app.login("khong.ton.tai", "x", SessionKind::Cookie, None).await.unwrap_err();
    assert!(matches!(none, AppError::Unauthenticated));
    let l = app.login("ADMIN", DEMO_PASSWORD, SessionKind::Cookie, None).await.unwrap();
    assert_eq!(app.authenticate(&l.token, SessionKind::Cookie).await.unwrap().map(|u| u.role), Some(Role::Admin));
    assert!(app.authenticate(&l.token, SessionKind::Bearer).await.unwrap().is_none());
    assert!(app.authenticate("forged", SessionKind::Cookie).await.unwrap().is_none());

    let acc = |role, agency: Option<&str>| NewAccount {
        username: "canbo.moi".into(),
        full_name: "Cán bộ mới".into(),
        role,
        agency: agency.map(str::to_owned),
        email: None,
        password: "mot-mat-khau-dai".into(),
    };
    let e = app.add_user(&Actor::Cli, acc(Role::Specialist, None)).await.unwrap_err();
    assert!(matches!(e, AppError::Invalid(ref f) if f.code == "agency_required"));
    let e = app.add_user(&Actor::Cli, acc(Role::Specialist, Some("H99.01"))).await.unwrap_err();
    assert!(matches!(e, AppError::Invalid(ref f) if f.code == "unknown_agency"));
    app.add_user(&Actor::Cli, acc(Role::Specialist, Some("H24.13"))).await.unwrap();
    let e = app.add_user(&Actor::Cli, acc(Role::Specialist, Some("H24.13"))).await.unwrap_err();
    assert!(matches!(e, AppError::NotAllowed { code: "username_taken", .. }));
    app.logout(&Actor::Cli, &l.token, false).await.unwrap();
    assert!(app.authenticate(&l.token, SessionKind::Cookie).await.unwrap().is_none());
}

#[tokio::test]
async fn demo_catalog_round_trips_through_export() {
    let (app, _ts) = demo_app().await;
    let exported = app.export_procedures(&Actor::Cli).await.unwrap();
    assert_eq!(exported.len(), 112);
    let other = test_store().await;
    let app2 = App::new(other.store.clone(), Arc::new(FixedClock(instant(2026, 11, 27, 3))), AppConfig::default());
    app2.import_map(&Actor::Cli, &motcua_demo::demo_map().unwrap()).await.unwrap();
    let s = app2.import_procedures(&Actor::Cli, &exported, &|_| {}).await.unwrap();
    assert_eq!(s.created, 112);
    assert_eq!(app2.export_procedures(&Actor::Cli).await.unwrap(), exported);
    let json = serde_json::to_string(&exported).unwrap();
    let back: Vec<motcua_domain::procedure::Procedure> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, exported);
}

#[tokio::test]
async fn another_process_changes_are_seen_after_the_refresh_delay() {
    let (app, ts) = demo_app().await;
    let clock = Arc::new(FixedClock(instant(2026, 11, 27, 3)));
    let eager = App::new(
        ts.store.clone(),
        clock.clone(),
        AppConfig { catalog_refresh: std::time::Duration::ZERO, ..AppConfig::default() },
    );
    let lazy = App::new(
        ts.store.clone(),
        clock,
        AppConfig { catalog_refresh: std::time::Duration::from_secs(3600), ..AppConfig::default() },
    );
    let q = SearchParams { q: Some("cấp bản sao từ sổ gốc".into()), ..Default::default() };
    assert_eq!(eager.search_procedures(&q).await.unwrap().items[0].version, 1);
    assert_eq!(lazy.search_procedures(&q).await.unwrap().items[0].version, 1);

    // The change is made by `app`, as if by another server process.
    let admin = login_as(&app, "admin").await;
    let cur = app.procedure_on("2.000908", None).await.unwrap();
    let draft = app.save_draft(&admin, "2.000908", cur.revision, cur.version.content.clone()).await.unwrap();
    let input = PublishInput {
        revision: draft.revision,
        decision_no: "1/QĐ".into(),
        decision_date: date("2026-11-01"),
        effective_from: date("2026-11-02"),
    };
    app.publish_procedure(&admin, "2.000908", input).await.unwrap();

    assert_eq!(app.search_procedures(&q).await.unwrap().items[0].version, 2, "the writer sees its change at once");
    assert_eq!(eager.search_procedures(&q).await.unwrap().items[0].version, 2, "the stamp moved: index rebuilt");
    assert_eq!(
        lazy.search_procedures(&q).await.unwrap().items[0].version,
        1,
        "within its refresh delay the old index serves"
    );
}

#[tokio::test]
async fn deadlines_use_the_stored_calendar_and_admins_change_it() {
    use motcua_app::calendar::DueQuestion;
    use motcua_domain::calendar::deadline::Limit;
    use motcua_domain::calendar::holidays::{CalendarDay, DayKind, YearSchedule};

    let (app, _ts) = demo_app().await;
    let received = chrono::DateTime::parse_from_rfc3339("2025-04-25T10:00:00+07:00").unwrap();
    let q = DueQuestion { agency: None, received, limit: Limit::WorkingDays(1), pauses: vec![], explain: true };
    let a = app.due(&q).await.unwrap();
    assert_eq!(a.due.due.to_rfc3339(), "2025-04-26T17:30:00+07:00", "make-up Saturday of the 2025 notice");
    assert!(a.due.explanation.iter().any(|s| s.text.contains("6150/TB-BLĐTBXH")));
    assert_eq!(app.holidays(2025).await.unwrap().basis, "official");
    assert_eq!(app.holidays(2027).await.unwrap().basis, "default");

    // An admin announces 2027; a specialist may not.
    let day = |d: &str| CalendarDay {
        date: date(d),
        kind: DayKind::Holiday,
        name: "Tết Nguyên đán".into(),
        source: Some("Thông báo 1/TB-BNV".into()),
    };
    let y27 = YearSchedule { year: 2027, days: vec![day("2027-02-05"), day("2027-02-08")] };
    let specialist = login_as(&app, "chuyenvien").await;
    assert!(matches!(app.put_calendar_year(&specialist, y27.clone()).await, Err(AppError::Forbidden(_))));
    let admin = login_as(&app, "admin").await;
    let tet_2027 = DueQuestion {
        agency: None,
        received: chrono::DateTime::parse_from_rfc3339("2027-02-04T10:00:00+07:00").unwrap(),
        limit: Limit::WorkingDays(1),
        pauses: vec![],
        explain: false,
    };
    let before = app.due(&tet_2027).await.unwrap();
    assert_eq!(before.due.due.date_naive().to_string(), "2027-02-12", "statutory default: Tết 5–11/2");
    let view = app.put_calendar_year(&admin, y27).await.unwrap();
    assert_eq!(view.basis, "official");
    let after = app.due(&tet_2027).await.unwrap();
    assert_eq!(after.due.due.date_naive().to_string(), "2027-02-09", "the announced schedule replaces the default");
    assert_ne!(before.calendar, after.calendar, "answers carry the calendar they were computed with");
    let back = app.delete_calendar_year(&admin, 2027).await.unwrap();
    assert_eq!(back.basis, "default");
}

#[tokio::test]
async fn office_hours_per_agency() {
    use motcua_app::calendar::DueInput;
    use motcua_domain::calendar::deadline::WorkingTime;

    let (app, _ts) = demo_app().await;
    let q = |agency: Option<&str>| DueInput {
        from: "2026-11-26T10:00:00+07:00".into(),
        working_hours: Some(4),
        agency: agency.map(str::to_owned),
        ..DueInput::default()
    };
    let province = app.due(&q(None).parse().unwrap()).await.unwrap();
    assert_eq!(province.due.due.to_rfc3339(), "2026-11-26T16:00:00+07:00");
    // The Department of Justice works 08:00–12:00 and 13:00–17:00.
    let hm = |h, m| chrono::NaiveTime::from_hms_opt(h, m, 0).unwrap();
    let time = WorkingTime { sessions: vec![(hm(8, 0), hm(12, 0)), (hm(13, 0), hm(17, 0))], ..WorkingTime::default() };
    let unit_admin = login_as(&app, "quantri.sotp").await;
    assert!(
        matches!(app.set_working_time(&unit_admin, None, time.clone()).await, Err(AppError::Forbidden(_))),
        "only the province sets the province's"
    );
    assert!(matches!(
        app.set_working_time(&unit_admin, Some("H24.12"), time.clone()).await,
        Err(AppError::Forbidden(_))
    ));
    app.set_working_time(&unit_admin, Some("H24.11"), time).await.unwrap();
    let own = app.due(&q(Some("H24.11")).parse().unwrap()).await.unwrap();
    assert_eq!(own.due.due.to_rfc3339(), "2026-11-26T15:00:00+07:00");
    let other = app.due(&q(Some("H24.12")).parse().unwrap()).await.unwrap();
    assert_eq!(
        other.due.due.to_rfc3339(),
        "2026-11-26T16:00:00+07:00",
        "agencies without their own hours use the province's"
    );
}
