//! The deadline watch's storage and dead letters: one lease holder among concurrent takers,
//! alarms recorded once with their notices, `watch_at` moved only when no change came between.

use motcua_domain::dossier::watch::AlarmKind;
use motcua_domain::notice::NoticeChannel;
use motcua_domain::procedure::Channel;
use motcua_storage::{AlarmQuery, AlarmRecord, DeadLetterAction, OutboxQuery, OutboxState, Store, WatchOutcome};

use crate::fixtures::*;

pub async fn watch_story<S: Store + Clone + 'static>(s: &S) {
    let t = |m: i64| instant(2026, 11, 27, 3) + chrono::Duration::minutes(m);
    let office = agency_code("H24.01");

    // Four processes take the lease at once: one holds it; it renews; after it runs out another
    // takes it.
    let mut tasks = Vec::new();
    for _ in 0..4 {
        let (s, office) = (s.clone(), office.clone());
        tasks.push(tokio::spawn(async move {
            let me = uuid::Uuid::now_v7();
            (me, s.take_lease(&office, "watch", me, t(0), t(5)).await.unwrap_or_else(|e| panic!("{e}")))
        }));
    }
    let mut holders = Vec::new();
    for task in tasks {
        let (me, held) = task.await.unwrap_or_else(|e| panic!("{e}"));
        if held {
            holders.push(me);
        }
    }
    assert_eq!(holders.len(), 1, "one holder of the lease");
    let (a, b) = (holders[0], uuid::Uuid::now_v7());
    let take = |who, at, until| {
        let (s, office) = (s.clone(), office.clone());
        async move { s.take_lease(&office, "watch", who, at, until).await.unwrap_or_else(|e| panic!("{e}")) }
    };
    assert!(take(a, t(3), t(8)).await, "the holder renews");
    assert!(!take(b, t(6), t(11)).await, "still held until 8");
    assert!(take(b, t(8), t(13)).await, "run out: another process takes it");
    assert!(take(b, t(8), t(13)).await && !take(a, t(9), t(14)).await);
    assert!(s.take_lease(&agency_code("H24.02"), "watch", a, t(9), t(14)).await.unwrap_or_else(|e| panic!("{e}")));

    // A running dossier is due a look from its receipt.
    let received = t(0).with_timezone(&motcua_domain::calendar::deadline::vn_offset());
    let new = new_dossier(Channel::Counter, received, None, None);
    let d = s
        .create_dossier(&new, &intake_event(&new), &audit("dossier.intake"), motcua_storage::no_notices())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let due = s.watch_due(t(1), 10).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(due.iter().map(|(r, _)| r.code.clone()).collect::<Vec<_>>(), vec![d.code.clone()]);
    assert!(s.watch_due(t(-1), 10).await.unwrap_or_else(|e| panic!("{e}")).is_empty(), "not before its receipt");
    let seen = due[0].1;

    // Two passes record the same alarm at once: it is stored once, its notice written once.
    let alarm = |id| AlarmRecord {
        id,
        dossier: d.code.clone(),
        holder: agency_code("H24.11"),
        competent: agency_code("H24.11"),
        handler: Some("chuyenvien".into()),
        kind: AlarmKind::ApologyDue,
        step: None,
        due_at: t(600),
        raised_at: t(1),
    };
    let outcome = |next| WatchOutcome {
        dossier: d.code.clone(),
        seen,
        alarms: vec![(alarm(uuid::Uuid::now_v7()), vec![notice(NoticeChannel::Email, "Cảnh báo")])],
        next,
    };
    let (o1, o2) = (outcome(Some(t(300))), outcome(Some(t(300))));
    let (s1, s2) = (s.clone(), s.clone());
    let (r1, r2) = tokio::join!(
        tokio::spawn(async move { s1.record_watch(&o1, t(1)).await }),
        tokio::spawn(async move { s2.record_watch(&o2, t(1)).await })
    );
    let new_alarms = |r: Result<motcua_storage::StoreResult<Vec<AlarmRecord>>, _>| {
        r.unwrap_or_else(|e| panic!("{e}")).unwrap_or_else(|e| panic!("{e}")).len()
    };
    assert_eq!(new_alarms(r1) + new_alarms(r2), 1);
    let mails = |q: OutboxQuery| async move { s.outbox(&q).await.unwrap_or_else(|e| panic!("{e}")) };
    let q = OutboxQuery { dossier: Some(d.code.clone()), limit: 10, ..OutboxQuery::default() };
    assert_eq!(mails(q.clone()).await.len(), 1);
    let mine = AlarmQuery { agencies: vec![agency_code("H24.11")], limit: 10, ..AlarmQuery::default() };
    assert_eq!(s.alarms(&mine).await.unwrap_or_else(|e| panic!("{e}")).len(), 1);
    let elsewhere = AlarmQuery { agencies: vec![agency_code("H24.12")], limit: 10, ..AlarmQuery::default() };
    assert!(s.alarms(&elsewhere).await.unwrap_or_else(|e| panic!("{e}")).is_empty());
    let escalated = AlarmQuery { escalated_only: true, limit: 10, ..AlarmQuery::default() };
    assert!(s.alarms(&escalated).await.unwrap_or_else(|e| panic!("{e}")).is_empty());

    // The next look moved to 300; a decision read before a change is not applied over it.
    assert!(s.watch_due(t(299), 10).await.unwrap_or_else(|e| panic!("{e}")).is_empty());
    let again = s.watch_due(t(300), 10).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again.len(), 1);
    let stale = WatchOutcome { dossier: d.code.clone(), seen, alarms: vec![], next: None };
    s.record_watch(&stale, t(301)).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.watch_due(t(301), 10).await.unwrap_or_else(|e| panic!("{e}")).len(), 1, "kept: seen was older");
    let done = WatchOutcome { seen: again[0].1, ..stale };
    s.record_watch(&done, t(301)).await.unwrap_or_else(|e| panic!("{e}"));
    assert!(s.watch_due(t(10_000), 10).await.unwrap_or_else(|e| panic!("{e}")).is_empty(), "every alarm fired");

    // The alarm's e-mail given up, then replayed and cancelled: only a dead letter is settled.
    let m = mails(q).await.remove(0);
    let w = uuid::Uuid::now_v7();
    let claimed = s.claim_outbox(NoticeChannel::Email, w, t(400), t(402), 10).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(claimed.len(), 1);
    let settle = |action| {
        let s = s.clone();
        async move { s.settle_dead_letter(m.id, action, t(410), &audit("outbox")).await.unwrap_or_else(|e| panic!("{e}")) }
    };
    assert!(!settle(DeadLetterAction::Replay).await, "pending, not a dead letter");
    assert!(s.outbox_failed(m.id, w, "550 no such user", None).await.unwrap_or_else(|e| panic!("{e}")));
    assert!(settle(DeadLetterAction::Replay).await);
    let back = s.outbox_message(m.id).await.unwrap_or_else(|e| panic!("{e}")).unwrap_or_else(|| panic!("message"));
    assert_eq!(
        (back.state, back.attempts, back.last_error.as_deref()),
        (OutboxState::Pending, 0, Some("550 no such user"))
    );
    let claimed = s.claim_outbox(NoticeChannel::Email, w, t(411), t(412), 10).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(claimed.len(), 1, "claimed again at once");
    assert!(s.outbox_failed(m.id, w, "550 no such user", None).await.unwrap_or_else(|e| panic!("{e}")));
    assert!(settle(DeadLetterAction::Cancel).await);
    assert!(!settle(DeadLetterAction::Replay).await, "cancelled is final");
    let gone = s.outbox_message(m.id).await.unwrap_or_else(|e| panic!("{e}")).map(|m| m.state);
    assert_eq!(gone, Some(OutboxState::Cancelled));
}
