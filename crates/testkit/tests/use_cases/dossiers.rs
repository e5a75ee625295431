//! Dossiers through the use cases: intake, commands, generated dossiers, the control sheet, files.

use super::*;

#[tokio::test]
async fn desk_intake_binds_the_version_computes_the_appointment_and_allocates_the_code() {
    use motcua_app::dossiers::{ApplicantInput, IntakeInput};
    use motcua_domain::procedure::Channel;

    let (app, _ts) = demo_app().await;
    let desk = login_as(&app, "motcua").await;
    let input = |procedure: &str, id: &str| IntakeInput {
        procedure: procedure.into(),
        channel: Channel::Counter,
        applicant: ApplicantInput {
            kind: "citizen".into(),
            id: id.into(),
            name: "Vũ Minh Anh".into(),
            phone: Some("0912 345 678".into()),
            email: None,
            address: Some("Xã Kẻ Sặt".into()),
        },
        desk: None,
        competent_agency: None,
        population: false,
        answers: Default::default(),
        vault: vec![],
    };
    // Friday 2026-11-27 10:00 (+07:00), 1 working day → Monday 30/11 17:30.
    let d = app.intake(&desk, input("2.000908", "031095001234")).await.unwrap();
    assert_eq!(d.code.as_str(), "H24.02-261127-0001");
    assert_eq!(d.competent_agency.as_str(), "H24.11");
    assert_eq!(d.procedure_number, 1);
    assert_eq!(d.workflow.due_original.unwrap().to_rfc3339(), "2026-11-30T17:30:00+07:00");
    let d2 = app.intake(&desk, input("2.000908", "031095001234")).await.unwrap();
    assert_eq!(d2.code.as_str(), "H24.02-261127-0002");

    // Bad input: clear errors, nothing stored.
    let e = app.intake(&desk, input("9.999999", "031095001234")).await.unwrap_err();
    assert!(matches!(e, AppError::Invalid(ref f) if f.code == "unknown_procedure"), "{e:?}");
    let e = app.intake(&desk, input("2.000908", "031095")).await.unwrap_err();
    assert!(matches!(e, AppError::Invalid(ref f) if f.field == "applicant.citizen_id"), "{e:?}");
    let e = app.intake(&desk, input("1.001193", "031095001234")).await.unwrap_err();
    assert!(
        matches!(e, AppError::NotAllowed { code: "time_limit_unusable", .. }),
        "a time limit without a unit blocks intake: {e:?}"
    );
    let specialist = login_as(&app, "chuyenvien").await;
    assert!(matches!(app.intake(&specialist, input("2.000908", "031095001234")).await, Err(AppError::Forbidden(_))));
    let other_desk = IntakeInput { desk: Some("H24.101.01".into()), ..input("2.000908", "031095001234") };
    assert!(matches!(app.intake(&desk, other_desk).await, Err(AppError::Forbidden(_))));

    // Who may read it; the event log; the public lookup.
    assert_eq!(app.dossier(&specialist, d.code.as_str()).await.unwrap().code, d.code);
    let citizen = login_as(&app, "congdan").await;
    assert!(matches!(app.dossier(&citizen, d.code.as_str()).await, Err(AppError::Forbidden(_))));
    let events = app.dossier_events(&desk, d.code.as_str()).await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!((events[0].command.as_str(), events[0].actor.as_str()), ("accept", "motcua"));
    let t = app.track(d.code.as_str(), "5678", None).await.unwrap();
    assert_eq!((t.national_status, t.status), (2, "Được tiếp nhận"));
    assert!(matches!(app.track(d.code.as_str(), "0000", None).await, Err(AppError::NotFound(_))));
}

/// A notary office's dossier (1.013834) received at the demo desk's counter.
async fn notary_dossier(
    app: &App,
    desk: &Actor,
    phone: Option<&str>,
    email: Option<&str>,
) -> motcua_domain::dossier::record::DossierRecord {
    use motcua_app::dossiers::{ApplicantInput, IntakeInput};
    app.intake(
        desk,
        IntakeInput {
            procedure: "1.013834".into(),
            channel: motcua_domain::procedure::Channel::Counter,
            applicant: ApplicantInput {
                kind: "organisation".into(),
                id: "0100109106".into(),
                name: "Văn phòng công chứng Kẻ Sặt".into(),
                phone: phone.map(str::to_owned),
                email: email.map(str::to_owned),
                address: None,
            },
            desk: None,
            competent_agency: None,
            population: false,
            answers: Default::default(),
            vault: vec![],
        },
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn a_dossier_from_intake_to_return_with_a_supplement_and_an_apology() {
    use motcua_app::dossier_commands::{CommandInput, CommandRequest};
    use motcua_domain::dossier::{Outcome, ReturnMethod, State};

    let (app, ts) = demo_app().await;
    let desk = login_as(&app, "motcua").await;
    let specialist = login_as(&app, "chuyenvien").await;
    let leader = login_as(&app, "lanhdao").await;
    let d = notary_dossier(&app, &desk, Some("0912345678"), Some("vpcc.kesat@example.vn")).await;
    let code = d.code.to_string();
    let rev = std::cell::Cell::new(d.revision);
    let step = |input: CommandInput| CommandRequest { revision: rev.replace(rev.get() + 1), input };
    let run = |actor: &Actor, req: CommandRequest| {
        let app = app.clone();
        let actor = actor.clone();
        let code = code.clone();
        async move { app.command(&actor, &code, req).await }
    };

    // A desk officer may not resolve: 403, and the refusal is audited.
    let e =
        run(&desk, CommandRequest { revision: rev.get(), input: CommandInput::Resolve { outcome: Outcome::Granted } })
            .await
            .unwrap_err();
    assert!(matches!(e, AppError::Forbidden(_)));
    let log = ts.audit_log(5).await.unwrap();
    assert_eq!((log[0].entry.action.as_str(), log[0].entry.actor.as_str()), ("access.denied", "motcua"));

    run(&desk, step(CommandInput::Transfer { agency: "H24.11".into() })).await.unwrap();
    run(&specialist, step(CommandInput::Assign { handler: "chuyenvien".into() })).await.unwrap();
    let s = run(
        &specialist,
        step(CommandInput::RequestSupplement {
            items: vec!["Bản sao Quyết định thành lập".into()], agency: None
        }),
    )
    .await
    .unwrap();
    assert_eq!(s.workflow.state, State::Supplementing);
    let stale = run(&desk, CommandRequest { revision: 1, input: CommandInput::SupplementProvided }).await.unwrap_err();
    assert!(matches!(stale, AppError::Stale));
    run(&desk, step(CommandInput::SupplementProvided)).await.unwrap();
    let again = run(
        &specialist,
        CommandRequest {
            revision: rev.get(),
            input: CommandInput::RequestSupplement { items: vec!["x".into()], agency: None },
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(again, AppError::NotAllowed { code: "supplement_limit", .. }), "{again:?}");
    let a = run(
        &specialist,
        step(CommandInput::Apologise {
            new_due: "2027-01-29T17:30:00+07:00".into(),
            reason: "Chờ ý kiến Sở Nội vụ".into(),
        }),
    )
    .await
    .unwrap();
    assert_ne!(a.workflow.due_current, a.workflow.due_original, "the original appointment is kept beside the new one");
    run(&specialist, step(CommandInput::CompleteStep { note: "Thẩm định xong".into() })).await.unwrap();
    // The leader's step is the leader's: the specialist cannot complete it (issue 14).
    let not_theirs = run(
        &specialist,
        CommandRequest { revision: rev.get(), input: CommandInput::CompleteStep { note: "Ký".into() } },
    )
    .await
    .unwrap_err();
    assert!(matches!(not_theirs, AppError::Forbidden(_)), "{not_theirs:?}");
    let early = run(
        &leader,
        CommandRequest { revision: rev.get(), input: CommandInput::Resolve { outcome: Outcome::Granted } },
    )
    .await
    .unwrap_err();
    assert!(matches!(early, AppError::NotAllowed { code: "steps_pending", .. }), "{early:?}");
    run(&leader, step(CommandInput::CompleteStep { note: "Đã ký duyệt".into() })).await.unwrap();
    run(&specialist, step(CommandInput::CompleteStep { note: "Vào số, phát hành".into() })).await.unwrap();
    run(&leader, step(CommandInput::Resolve { outcome: Outcome::Granted })).await.unwrap();
    let done = run(
        &desk,
        step(CommandInput::Return {
            collected_by: "Nguyễn Văn B (giấy ủy quyền)".into(),
            method: ReturnMethod::Counter,
        }),
    )
    .await
    .unwrap();
    assert_eq!((done.workflow.state, done.workflow.state.national_code()), (State::Returned, 10));
    let events = app.dossier_events(&leader, &code).await.unwrap();
    assert_eq!(
        events.iter().map(|e| e.command.as_str()).collect::<Vec<_>>(),
        vec![
            "accept",
            "transfer",
            "assign",
            "request_supplement",
            "supplement_provided",
            "apologise",
            "complete_step",
            "complete_step",
            "complete_step",
            "resolve",
            "return"
        ]
    );
    assert_eq!(events[1].agency.as_str(), "H24.02");
    assert_eq!(events[2].agency.as_str(), "H24.11");
    every_change_was_notified(&app, &leader, &code).await;
}

/// Every change of national status, and the apology, was notified by e-mail and SMS in the
/// transaction of the change; internal hand-offs (assign, a workflow step) were not.
async fn every_change_was_notified(app: &App, leader: &Actor, code: &str) {
    let notices = app.dossier_notices(leader, code).await.unwrap();
    let mails: Vec<&str> = notices
        .iter()
        .rev()
        .filter(|m| m.notice.channel == motcua_domain::notice::NoticeChannel::Email)
        .map(|m| m.notice.subject.as_str())
        .collect();
    assert_eq!(
        mails.iter().map(|s| s.split(": ").nth(1).unwrap()).collect::<Vec<_>>(),
        vec![
            "Được tiếp nhận",
            "Đang xử lý",
            "Yêu cầu bổ sung giấy tờ",
            "Đang xử lý",
            "Đang xử lý",
            "Đã xử lý xong",
            "Đã trả kết quả"
        ]
    );
    assert_eq!(notices.len(), 14);
    let apology = notices.iter().find(|m| m.notice.body.contains("xin lỗi")).unwrap();
    assert_eq!(apology.notice.recipient, "vpcc.kesat@example.vn");
    assert!(apology.notice.body.contains("Ngày hẹn mới: 17:30 ngày 29/01/2027"), "{}", apology.notice.body);
    assert!(apology.notice.body.contains(&format!("tra-cuu?ma={code}")));
    let supplement_sms = notices.iter().find(|m| m.notice.body.contains("Yeu cau bo sung")).unwrap();
    assert_eq!(supplement_sms.notice.recipient, "0912345678");
    assert!(notices.iter().all(|m| m.agency.as_str() == "H24.02" && m.state == motcua_storage::OutboxState::Pending));
}

#[tokio::test]
async fn generated_dossiers_go_through_the_use_cases() {
    use motcua_demo::generate::GenerateOptions;
    let opts = |workers| GenerateOptions { count: 80, months: 2, seed: 7, workers };
    let (app, ts) = demo_app().await;
    let desk = login_as(&app, "motcua").await;
    let nothing = Arc::new(|_| {});
    assert!(matches!(
        motcua_demo::generate::generate_dossiers(&app, &desk, &opts(1), nothing.clone()).await,
        Err(AppError::Forbidden(_))
    ));
    let r = motcua_demo::generate::generate_dossiers(&app, &Actor::Cli, &opts(4), nothing.clone()).await.unwrap();
    assert_eq!((r.created, r.failed), (80, 0), "{:?}", r.first_error);
    assert_eq!(r.by_channel.len(), 3, "counter, online and post: {:?}", r.by_channel);
    assert!(r.by_state["returned"] > 30 && r.by_state.len() >= 3, "{:?}", r.by_state);
    // Every dossier left a consistent record: events from its intake on, audit rows.
    let all = app
        .list_dossiers(
            &Actor::Cli,
            &motcua_app::dossiers::ListParams { finished: true, per_page: Some(100), ..Default::default() },
        )
        .await
        .unwrap();
    assert_eq!((all.total, all.total_capped), (80, false));
    // Work queues count up to a limit: beyond it, "more than".
    let mut capped = app.clone();
    Arc::make_mut(&mut capped.config).queue_count_limit = 50;
    let p = motcua_app::dossiers::ListParams { finished: true, per_page: Some(10), ..Default::default() };
    let some = capped.list_dossiers(&Actor::Cli, &p).await.unwrap();
    assert_eq!((some.total, some.total_capped, some.items.len()), (50, true, 10));
    for line in &all.items {
        let events = app.dossier_events(&Actor::Cli, line.code.as_str()).await.unwrap();
        assert!(matches!(events[0].command.as_str(), "accept" | "submit"), "{}", events[0].command);
        assert!(events.windows(2).all(|w| w[0].at <= w[1].at), "events in time order");
        assert_eq!(events.last().unwrap().to, line.state);
    }
    // Nothing is sent to the made-up applicants.
    let counts = motcua_storage::OutboxRepo::outbox_counts(&ts.store).await.unwrap();
    assert!(counts.is_empty(), "{counts:?}");
    // The same seed gives the same dossiers, however many workers make them.
    let (again, _ts2) = demo_app().await;
    let r1 = motcua_demo::generate::generate_dossiers(&again, &Actor::Cli, &opts(1), nothing).await.unwrap();
    assert_eq!((r1.by_state, r1.by_channel), (r.by_state, r.by_channel));
}

#[tokio::test]
async fn the_control_sheet_records_step_budgets_and_cooperation_shares() {
    use motcua_app::dossier_commands::{CommandInput, CommandRequest};
    use motcua_domain::procedure::{CooperatingAgency, InterAgency};

    let (app, _ts) = demo_app().await;
    // An inter-agency variant of a demo procedure: Agriculture gives its opinion with 30 % of
    // the time.
    let mut p =
        app.export_procedures(&Actor::Cli).await.unwrap().into_iter().find(|p| p.code.as_str() == "2.000908").unwrap();
    p.code = motcua_domain::ids::ProcedureCode::parse("2.999908").unwrap();
    let w = p.versions[0].content.workflow.as_mut().unwrap();
    w.inter_agency = Some(InterAgency {
        lead: motcua_domain::ids::AgencyCode::parse("H24.11").unwrap(),
        cooperating: vec![CooperatingAgency {
            agency: motcua_domain::ids::AgencyCode::parse("H24.13").unwrap(),
            share_percent: 30.0,
        }],
    });
    // The desk's step is done by the transfer; the specialist's is the first completed.
    let specialist_step = w.steps[1].budget_hours;
    app.import_procedures(&Actor::Cli, &[p], &|_| {}).await.unwrap();
    let mut input = counter_intake("2.999908");
    input.applicant.phone = None;
    let d = app.intake(&login_as(&app, "motcua").await, input).await.unwrap();
    let code = d.code.to_string();
    let mut rev = d.revision;
    for input in [
        CommandInput::Transfer { agency: "H24.11".into() },
        CommandInput::CompleteStep { note: "Kiểm tra xong".into() },
        CommandInput::Forward { agency: "H24.13".into() },
        CommandInput::CooperationAnswered { agency: "H24.13".into() },
    ] {
        rev = app.command(&Actor::System, &code, CommandRequest { revision: rev, input }).await.unwrap().revision;
    }
    let events = app.dossier_events(&Actor::Cli, &code).await.unwrap();
    // The details as the API shows them.
    let events: Vec<serde_json::Value> = events.iter().map(|e| serde_json::to_value(e).unwrap()).collect();
    let step = &events[2]["detail"]["step"];
    assert_eq!((step["index"].as_u64(), step["budget_hours"].as_f64()), (Some(2), Some(specialist_step)));
    assert_eq!(step["within_budget"], true, "done at once: {step}");
    let share = &events[3]["detail"]["share"];
    assert_eq!(share["share_percent"].as_f64(), Some(30.0));
    assert!(share["budget_hours"].as_f64().unwrap() > 0.0 && share["due"].is_string(), "{share}");
    let answered = &events[4]["detail"]["share"];
    assert_eq!((answered["within_budget"].as_bool(), answered["used_hours"].as_f64()), (Some(true), Some(0.0)));
}

#[tokio::test]
async fn files_of_a_dossier_and_the_766_facts_they_move() {
    use bytes::Bytes;
    use motcua_app::documents::UploadInput;
    use motcua_app::dossier_commands::{CommandInput, CommandRequest};
    use motcua_domain::dossier::record::{DocumentKind, DocumentSource};

    let (app, ts) = demo_app().await;
    let desk = login_as(&app, "motcua").await;
    let specialist = login_as(&app, "chuyenvien").await;
    let citizen = login_as(&app, "congdan").await;
    let d = notary_dossier(&app, &desk, None, None).await;
    let code = d.code.to_string();
    let pdf = Bytes::from_static(b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n");
    let upload = |kind, name: &str, source, bytes: &Bytes| UploadInput {
        kind,
        name: name.into(),
        file_name: format!("{name}.pdf"),
        source,
        bytes: bytes.clone(),
    };

    // The desk digitises the papers handed in.
    let scan =
        app.attach_document(&desk, &code, upload(DocumentKind::Component, "Tờ trình", None, &pdf)).await.unwrap();
    assert_eq!(
        (scan.source, scan.file.content_type.as_str(), scan.file.file_name.as_str()),
        (DocumentSource::Scan, "application/pdf", "Tờ trình.pdf")
    );
    let (meta, bytes) = app.document_file(&specialist, &code, &scan.id.to_string()).await.unwrap();
    assert_eq!((meta.id, bytes), (scan.id, pdf.clone()));
    // Bad files are refused with stable codes, and nothing is stored.
    let e = app
        .attach_document(&desk, &code, upload(DocumentKind::Component, "x", None, &Bytes::from_static(b"MZ\x90\x00")))
        .await
        .unwrap_err();
    assert!(matches!(&e, AppError::Invalid(f) if f.code == "unsupported_file_type"), "{e:?}");
    let e =
        app.attach_document(&desk, &code, upload(DocumentKind::Component, "x", None, &Bytes::new())).await.unwrap_err();
    assert!(matches!(&e, AppError::Invalid(f) if f.code == "empty_file"), "{e:?}");
    let e = app
        .attach_document(&desk, &code, upload(DocumentKind::Component, "x", Some(DocumentSource::Issued), &pdf))
        .await
        .unwrap_err();
    assert!(matches!(&e, AppError::Invalid(f) if f.code == "invalid_source"), "{e:?}");
    let mut small = app.clone();
    Arc::make_mut(&mut small.config).max_file_bytes = 16;
    let e = small.attach_document(&desk, &code, upload(DocumentKind::Component, "x", None, &pdf)).await.unwrap_err();
    assert!(matches!(e, AppError::TooLarge(_)), "{e:?}"); // 413 on the wire (motcua_web::error::status_of)
    assert_eq!(e.body().code, "file_too_large");
    // Someone else's dossier, and a result before processing.
    assert!(matches!(
        app.attach_document(&citizen, &code, upload(DocumentKind::Component, "x", None, &pdf)).await,
        Err(AppError::Forbidden(_))
    ));
    // Every refused access is audited, reads included.
    let log = ts.audit_log(1).await.unwrap();
    assert_eq!((log[0].entry.action.as_str(), log[0].entry.actor.as_str()), ("access.denied", "congdan"));
    assert_eq!(log[0].entry.detail["action"], "read");
    assert!(matches!(
        app.attach_document(&desk, &code, upload(DocumentKind::Result, "Quyết định", None, &pdf)).await,
        Err(AppError::Forbidden(_))
    ));
    assert_eq!(app.documents(&desk, &code).await.unwrap().len(), 1);

    let mut rev = d.revision;
    let mut run = async |actor: &Actor, input: CommandInput| {
        let r = app.command(actor, &code, CommandRequest { revision: rev, input }).await.unwrap();
        rev = r.revision;
        r
    };
    run(&desk, CommandInput::Transfer { agency: "H24.11".into() }).await;
    run(&specialist, CommandInput::RequestPayment { amount_vnd: Some(500_000), exempt: vec![] }).await;
    let paid = run(&desk, CommandInput::PaymentReceived { online: true }).await;
    assert!(paid.workflow.paid_online);
    let result = app
        .attach_document(&specialist, &code, upload(DocumentKind::Result, "Quyết định thành lập", None, &pdf))
        .await
        .unwrap();
    assert_eq!(result.source, DocumentSource::Issued);
    let facts = app.dossier(&desk, &code).await.unwrap().facts;
    assert_eq!((facts.component_files, facts.e_result, facts.paid_online, facts.reused_data), (1, true, true, false));
    assert!(facts.digitised(true));
}
