//! Issue 16, item 2: dossiers and their status changes pushed to the reference portal through
//! the outbox, in order, once each; the portal's 500s, garbage and expired sessions retried; its
//! refusals kept as dead letters that hold the dossier's later pushes until an administrator
//! replays or cancels them; the dossier synced for the Decision 766 index. On the store the
//! environment selects (SQLite, or PostgreSQL with MOTCUA_TEST_DATABASE_URL).
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use motcua_app::dossier_commands::CommandRequest;
use motcua_app::{Actor, App, AppConfig, ManualClock};
use motcua_domain::dossier::record::DossierRecord;
use motcua_domain::notice::NoticeChannel;
use motcua_jobs::{PortalSender, Report, RetryPolicy, Sender, Worker, WorkerOptions};
use motcua_peers::portal::{Fault, Portal, codes};
use motcua_storage::{DeadLetterAction, DossierRepo, OutboxQuery, OutboxRepo, OutboxState};
use motcua_testkit::fixtures::instant;
use motcua_testkit::{TestStore, test_store};
use serde_json::json;

mod common;
use common::{counter_intake, login};

struct Setup {
    app: App,
    ts: TestStore,
    clock: Arc<ManualClock>,
    portal: Portal,
    worker: Worker<motcua_storage_sql::SqlStore>,
}

async fn setup() -> Setup {
    let portal = Portal::new("haiphong", "mat-khau-cong");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let router = portal.router();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });

    let ts = test_store().await;
    let clock = Arc::new(ManualClock::at(instant(2026, 11, 27, 3)));
    let app = App::new(ts.store.clone(), clock.clone(), AppConfig { portal_sync: true, ..AppConfig::default() });
    motcua_demo::load(&app).await.unwrap();
    let sender = Sender::Portal(PortalSender::new(&url, "haiphong", "mat-khau-cong").unwrap());
    let options = WorkerOptions {
        retry: RetryPolicy {
            max_attempts: 5,
            first_delay: Duration::from_secs(30),
            max_delay: Duration::from_secs(60),
        },
        ..WorkerOptions::default()
    };
    let worker = Worker::new(ts.store.clone(), None, None, options).with_portal(Some(sender));
    Setup { app, ts, clock, portal, worker }
}

impl Setup {
    async fn intake(&self, desk: &Actor) -> DossierRecord {
        counter_intake(&self.app, desk, Some("0912345678")).await
    }

    async fn command(&self, who: &Actor, d: &DossierRecord, body: serde_json::Value) -> DossierRecord {
        let mut body = body;
        body["revision"] = json!(d.revision);
        let req: CommandRequest = serde_json::from_value(body).unwrap();
        self.app.command(who, d.code.as_str(), req).await.unwrap()
    }

    /// One pass of the worker at the clock's time plus `minutes`.
    async fn deliver(&self, minutes: i64) -> Report {
        let at: DateTime<Utc> = self.app.now() + chrono::Duration::minutes(minutes);
        self.clock.set(at);
        self.worker.run_once(|| at).await.unwrap()
    }

    fn statuses(&self, code: &str) -> Vec<u8> {
        self.portal.dossiers().get(code).map(|v| v.iter().map(|t| t.status).collect()).unwrap_or_default()
    }

    async fn portal_messages(&self, state: OutboxState) -> Vec<motcua_storage::OutboxMessage> {
        let q = OutboxQuery {
            state: Some(state),
            channel: Some(NoticeChannel::Portal),
            limit: 100,
            ..OutboxQuery::default()
        };
        self.ts.store.outbox(&q).await.unwrap()
    }
}

#[tokio::test]
async fn every_dossier_and_status_change_reaches_the_portal_in_order_once() {
    let s = setup().await;
    let (desk, specialist, leader) =
        (login(&s.app, "motcua").await, login(&s.app, "chuyenvien").await, login(&s.app, "lanhdao").await);
    let d = s.intake(&desk).await;
    let code = d.code.to_string();
    assert!(s.ts.store.dossier(&d.code).await.unwrap().unwrap().facts.synced_at.is_none());

    // Received (2), in processing (4) after the transfer: two pushes; the portal's first answer
    // is an HTTP 500 and the next garbage, so the first push is retried and the second waits.
    let d = s.command(&desk, &d, json!({"command": "transfer", "agency": "H24.11"})).await;
    s.portal.inject(&[Fault::Http500]);
    let r = s.deliver(0).await;
    assert_eq!((r.sent, r.retried), (0, 1), "{r:?}");
    let r = s.deliver(0).await;
    assert_eq!(r, Report::default(), "not due before its back-off");
    s.portal.inject(&[Fault::Garbage]);
    let r = s.deliver(1).await;
    assert_eq!((r.sent, r.retried), (0, 1), "garbage is retried: {r:?}");
    assert!(s.statuses(&code).is_empty());
    let r = s.deliver(2).await;
    assert_eq!(r.sent, 1, "the intake first: {r:?}");
    assert_eq!(s.statuses(&code), vec![2]);
    let r = s.deliver(0).await;
    assert_eq!(r.sent, 1, "then the transfer: {r:?}");
    assert_eq!(s.statuses(&code), vec![2, 4]);
    let synced = s.ts.store.dossier(&d.code).await.unwrap().unwrap().facts.synced_at;
    assert!(synced.is_some(), "synced for metric 1.4");

    // The portal forgot its sessions: the sender logs in again and the push goes through.
    let mut d = d;
    for (who, body) in [
        (&specialist, json!({"command": "complete_step", "note": "Đã kiểm tra"})),
        (&leader, json!({"command": "complete_step", "note": "Đồng ý"})),
        (&specialist, json!({"command": "complete_step", "note": "Xong"})),
        (&specialist, json!({"command": "resolve", "outcome": "granted"})),
    ] {
        d = s.command(who, &d, body).await;
    }
    s.portal.inject(&[Fault::ExpireSessions]);
    let r = s.deliver(0).await;
    assert_eq!(r.sent, 1, "steps keep the national status: only the resolution is pushed: {r:?}");
    let d =
        s.command(&desk, &d, json!({"command": "return", "collected_by": "Vũ Minh Anh", "method": "counter"})).await;
    s.deliver(0).await;
    assert_eq!(s.statuses(&code), vec![2, 4, 9, 10]);
    assert!(s.portal.refused().is_empty(), "{:?}", s.portal.refused());
    let last = &s.portal.dossiers()[&code][3].record;
    assert_eq!((last["NgayTra"].as_str().map(str::len), last["TrangThaiHoSo"].as_u64()), (Some(14), Some(10)));
    assert_eq!(d.workflow.state.national_code(), 10);

    // Nothing sent twice: every push is sent once, nothing pending or failed.
    assert_eq!(s.portal_messages(OutboxState::Sent).await.len(), 4);
    assert!(s.portal_messages(OutboxState::Pending).await.is_empty());
}

#[tokio::test]
async fn a_refused_push_is_a_dead_letter_that_holds_the_later_ones_until_replayed() {
    let s = setup().await;
    let desk = login(&s.app, "motcua").await;
    let d = s.intake(&desk).await;
    let code = d.code.to_string();
    s.command(&desk, &d, json!({"command": "transfer", "agency": "H24.11"})).await;

    // The intake's push is garbled on the way (as a faulty relay would): the portal refuses it,
    // for good; the transfer's push waits behind it.
    let first = s
        .portal_messages(OutboxState::Pending)
        .await
        .into_iter()
        .find(|m| m.notice.body.contains("\"isUpdating\":false"))
        .unwrap();
    let forged = first.notice.body.replace("\"MaTTHC\":\"2.000908\"", "\"MaTTHC\":\"ABC\"");
    let intake_push = format!("channel = 'portal' AND dossier_code = '{code}' AND body LIKE '%\"isUpdating\":false%'");
    s.ts.execute_behind(&format!("UPDATE outbox SET body = '{}' WHERE {intake_push}", forged.replace('\'', "''")))
        .await;
    let r = s.deliver(0).await;
    assert_eq!((r.sent, r.failed), (0, 1), "{r:?}");
    let refused = s.portal.refused();
    assert_eq!(refused.len(), 1);
    assert_eq!((refused[0].0.as_str(), refused[0].1), (code.as_str(), codes::INVALID));
    let r = s.deliver(5).await;
    assert_eq!(r, Report::default(), "the later push waits behind the dead letter");
    let dead = s.portal_messages(OutboxState::Failed).await;
    assert!(dead[0].last_error.as_deref().unwrap().contains("MaTTHC"), "{:?}", dead[0].last_error);

    // Put right and replayed, both go, in order.
    s.ts.execute_behind(&format!(
        "UPDATE outbox SET body = '{}' WHERE {intake_push}",
        first.notice.body.replace('\'', "''")
    ))
    .await;
    let admin = login(&s.app, "admin").await;
    s.app.settle_dead_letter(&admin, first.id, DeadLetterAction::Replay).await.unwrap();
    assert_eq!(s.deliver(0).await.sent, 1);
    assert_eq!(s.deliver(0).await.sent, 1);
    assert_eq!(s.statuses(&code), vec![2, 4]);
}
