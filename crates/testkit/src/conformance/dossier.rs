//! Dossiers: intake codes, updates with their notices, files, work queues, concurrent intakes.

use motcua_storage::{BookWindow, OutboxQuery, OutboxState, Store, StoreError};

use crate::fixtures::*;
use chrono::{DateTime, FixedOffset};
use motcua_domain::dossier::record::{BookLine, EventRecord, NewDossier};
use motcua_domain::dossier::{Command, CommandKind, Dossier, DossierCode, Policy, State, transition};
use motcua_domain::procedure::Channel;

pub(super) fn sms(body: &str) -> motcua_domain::notice::Notice {
    notice(motcua_domain::notice::NoticeChannel::Sms, body)
}

/// An event of the H24.02 desk at `at`, with the counter intake's detail.
pub(super) fn desk_event(command: &str, from: Option<State>, to: State, at: DateTime<FixedOffset>) -> EventRecord {
    EventRecord {
        at,
        actor: "motcua".into(),
        agency: agency_code("H24.02"),
        command: CommandKind::parse(command).unwrap_or_else(|e| panic!("{e}")),
        from,
        to,
        detail: intake_detail(Channel::Counter),
    }
}

pub async fn dossier_story<S: Store + Clone + 'static>(s: &S) {
    let received = chrono::DateTime::parse_from_rfc3339("2026-11-26T09:00:00+07:00").unwrap_or_else(|e| panic!("{e}"));
    let due = chrono::DateTime::parse_from_rfc3339("2026-12-01T17:30:00+07:00").unwrap_or_else(|e| panic!("{e}"));
    let (accepted, _) = transition(&Dossier::submitted(), &Command::Accept { due }, received, &Policy::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let new = NewDossier {
        workflow: accepted.clone(),
        ..new_dossier(Channel::Counter, received, Some("0912 345 678"), None)
    };
    let event = |command: &str, from: Option<State>, to: State| desk_event(command, from, to, received);
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
            let notices = std::sync::Arc::new(|code: &DossierCode| vec![sms(&format!("Ho so {code}"))]);
            s.create_dossier(&new, &ev, &audit("dossier.intake"), notices).await
        }));
    }
    let mut codes = Vec::new();
    for t in tasks {
        codes.push(t.await.unwrap_or_else(|e| panic!("{e}")).unwrap_or_else(|e| panic!("{e}")).code.to_string());
    }
    codes.sort();
    let expected: Vec<String> = (2..=13).map(|n| format!("H24.02-261126-{n:04}")).collect();
    assert_eq!(codes, expected);
    // Each intake of those batches wrote its first event, its audit row and its notice (a batch
    // writes each table's rows for all its intakes in one statement).
    let audit_log = s.audit_log(500).await.unwrap_or_else(|e| panic!("{e}"));
    for c in &codes {
        let code = DossierCode::parse(c).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.dossier_events(&code).await.unwrap_or_else(|e| panic!("{e}")).len(), 1, "{c}");
        let q = OutboxQuery { dossier: Some(code.clone()), limit: 10, ..OutboxQuery::default() };
        let notices = s.outbox(&q).await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(notices.iter().map(|m| m.notice.body.as_str()).collect::<Vec<_>>(), vec![format!("Ho so {c}")]);
        assert_eq!(audit_log.iter().filter(|a| a.entry.entity_id == *c).count(), 1, "{c}");
    }
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
    desk_book_of_the_day(s, &d.code, received).await;
    files_of_the_dossier(s, &d.code, received).await;
    work_queues(s, &d.code, &new, due).await;
}

/// The desk's book of a day: every dossier received there that day, in order, each row what
/// its record and the events `dossier_events` gives make of it; none of the next day.
async fn desk_book_of_the_day(s: &impl Store, code: &DossierCode, received: DateTime<FixedOffset>) {
    let from = motcua_domain::calendar::deadline::day_start(received.date_naive()).unwrap_or_else(|| panic!("day"));
    let desk = agency_code("H24.02");
    let day = |window| s.desk_book(&desk, from, from + chrono::Duration::days(1), window);
    let (book, total) = day(BookWindow::default()).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(total, book.len() as u64);
    let q = motcua_domain::dossier::record::DossierQuery {
        desk: Some(agency_code("H24.02")),
        received_from: Some(from),
        received_before: Some(from + chrono::Duration::days(1)),
        per_page: 100,
        page: 1,
        ..Default::default()
    };
    let (lines, total) = s.list_dossiers(&q).await.unwrap_or_else(|e| panic!("{e}"));
    assert!(total > 1, "the story receives several dossiers that day");
    let mut listed: Vec<String> = lines.iter().map(|l| l.code.to_string()).collect();
    listed.sort();
    let booked: Vec<String> = book.iter().map(|l| l.code.to_string()).collect();
    let mut sorted = booked.clone();
    sorted.sort();
    assert_eq!(sorted, listed, "the book holds the day's dossiers of the desk");
    assert!(book.windows(2).all(|w| w[0].received_at <= w[1].received_at), "in the order received");
    assert_eq!(booked.first(), Some(&code.to_string()));
    for line in &book {
        let d = s.dossier(&line.code).await.unwrap_or_else(|e| panic!("{e}")).unwrap_or_else(|| panic!("stored"));
        let events = s.dossier_events(&line.code).await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(line, &BookLine::of(&d, &events), "{}", line.code);
    }
    assert!(book[0].transferred_at.is_some(), "the story's first dossier was transferred");
    // A window: the same rows, the whole book's count.
    let (page, of) = day(BookWindow { offset: 1, limit: Some(2) }).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(of, total);
    assert_eq!(page, book[1..3.min(book.len())].to_vec());
    let (past, _) = day(BookWindow { offset: total, limit: Some(2) }).await.unwrap_or_else(|e| panic!("{e}"));
    assert!(past.is_empty());
}

/// Files of the dossier move its 766 facts in their transaction.
async fn files_of_the_dossier(s: &impl Store, code: &DossierCode, received: DateTime<FixedOffset>) {
    let now = s.dossier(code).await.unwrap_or_else(|e| panic!("{e}")).unwrap_or_else(|| panic!("stored"));
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
    let scan = doc(code, DocumentKind::Component, DocumentSource::Scan, "Tờ khai đăng ký");
    s.add_document(&scan, None, &audit("dossier.document")).await.unwrap_or_else(|e| panic!("{e}"));
    let f = s.dossier(code).await.unwrap_or_else(|e| panic!("{e}")).unwrap_or_else(|| panic!("stored")).facts;
    assert_eq!((f.component_files, f.reused_data, f.e_result), (1, false, false));
    for (kind, source, name) in [
        (DocumentKind::Component, DocumentSource::Vault, "Giấy khai sinh"),
        (DocumentKind::Result, DocumentSource::Issued, "Quyết định"),
    ] {
        s.add_document(&doc(code, kind, source, name), None, &audit("dossier.document"))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let after = s.dossier(code).await.unwrap_or_else(|e| panic!("{e}")).unwrap_or_else(|| panic!("stored"));
    assert_eq!((after.facts.component_files, after.facts.reused_data, after.facts.e_result), (2, true, true));
    assert!(after.facts.digitised(true));
    assert_eq!(after.revision, 2, "a file does not move the revision: the officer's next command still applies");
    let docs = s.documents(code).await.unwrap_or_else(|e| panic!("{e}"));
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
    assert!(matches!(s.add_document(&orphan, None, &audit("dossier.document")).await, Err(StoreError::NotFound(_))));
}

/// Work queues: filters, paging, overdue; the tracking book; a citizen's own dossiers.
async fn work_queues(s: &impl Store, code: &DossierCode, new: &NewDossier, due: DateTime<FixedOffset>) {
    let event = |command: &str, from: Option<State>, to: State| desk_event(command, from, to, new.received_at);
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
    assert_eq!((one.len(), total, one[0].code.clone()), (1, 1, code.clone()));
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
