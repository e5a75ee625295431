//! The outbox: claims, leases, retries.

use motcua_storage::{OutboxQuery, OutboxState, Store};

use crate::fixtures::*;

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
