//! Issue 16: the outside world — dead letters of the outbox.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use motcua_domain::notice::NoticeChannel;
use motcua_storage::{AuditRepo, OutboxQuery, OutboxRepo, OutboxState};
use serde_json::json;

use super::{cookie_of, form_post, test_app};

/// Give up the pending message `id` as a worker would after a permanent error.
async fn give_up(t: &super::TestApp, channel: NoticeChannel, error: &str) -> uuid::Uuid {
    let worker = uuid::Uuid::now_v7();
    let now = t.app.now();
    let claimed =
        t.store.store.claim_outbox(channel, worker, now, now + chrono::Duration::minutes(2), 10).await.unwrap();
    assert_eq!(claimed.len(), 1);
    assert!(t.store.store.outbox_failed(claimed[0].id, worker, error, None).await.unwrap());
    claimed[0].id
}

#[tokio::test]
async fn dead_letters_are_replayed_or_cancelled_by_an_administrator_and_audited() {
    let t = test_app().await;
    let desk = t.token("motcua").await;
    let body = json!({"procedure": "2.000908", "channel": "counter",
        "applicant": {"kind": "citizen", "id": "031095001234", "name": "Vũ Minh Anh", "phone": "0912345678",
            "email": "anh@example.vn"}});
    assert_eq!(t.post_json("/api/v1/dossiers", Some(&desk), body).await.status, StatusCode::CREATED);
    let sms = give_up(&t, NoticeChannel::Sms, "số thuê bao không tồn tại").await;

    // Listed with its last error; the administrator's page offers both actions.
    let admin_cookie = cookie_of(&t, "admin").await;
    let page = t
        .send(
            Request::get("/quan-tri/thong-bao?state=failed")
                .header(header::COOKIE, &admin_cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(page.body.contains("số thuê bao không tồn tại"), "{}", page.body);
    assert!(page.body.contains(&format!("/quan-tri/thong-bao/{sms}/gui-lai")), "{}", page.body);
    assert!(page.body.contains(&format!("/quan-tri/thong-bao/{sms}/huy")));

    // Only an administrator may act; only on a dead letter; an unknown id or action is refused.
    let replay = format!("/api/v1/outbox/{sms}/replay");
    assert_eq!(t.post_json(&replay, Some(&desk), json!({})).await.status, StatusCode::FORBIDDEN);
    let admin = t.token("admin").await;
    let r = t.post_json(&replay, Some(&admin), json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!((r.json()["state"].as_str(), r.json()["attempts"].as_u64()), (Some("pending"), Some(0)));
    let r = t.post_json(&replay, Some(&admin), json!({})).await;
    assert_eq!((r.status, r.json()["code"].as_str()), (StatusCode::CONFLICT, Some("not_dead_letter")));
    let unknown = format!("/api/v1/outbox/{}/replay", uuid::Uuid::now_v7());
    assert_eq!(t.post_json(&unknown, Some(&admin), json!({})).await.status, StatusCode::NOT_FOUND);
    let wrong = format!("/api/v1/outbox/{sms}/resend");
    assert_eq!(t.post_json(&wrong, Some(&admin), json!({})).await.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Replayed, it is claimed again; given up again, the page cancels it (kept, never sent).
    assert_eq!(give_up(&t, NoticeChannel::Sms, "số thuê bao không tồn tại").await, sms);
    let desk_cookie = cookie_of(&t, "motcua").await;
    let cancel = format!("/quan-tri/thong-bao/{sms}/huy");
    assert_eq!(t.send(form_post(&cancel, &desk_cookie, "")).await.status, StatusCode::FORBIDDEN);
    let r = t.send(form_post(&cancel, &admin_cookie, "")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let m = t.store.store.outbox_message(sms).await.unwrap().unwrap();
    assert_eq!(m.state, OutboxState::Cancelled);
    let now = t.app.now();
    let later = now + chrono::Duration::hours(1);
    let claimed = t.store.store.claim_outbox(NoticeChannel::Sms, uuid::Uuid::now_v7(), later, later, 10).await.unwrap();
    assert!(claimed.is_empty(), "a cancelled message is never sent");
    let r = t.send(form_post(&cancel, &admin_cookie, "")).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("Đã huỷ"), "{}", r.body);

    // Each action is in the audit log with the message it touched; the e-mail was not touched.
    let log = t.store.store.audit_log(50).await.unwrap();
    let actions: Vec<&str> =
        log.iter().filter(|a| a.entry.entity_id == sms.to_string()).map(|a| a.entry.action.as_str()).collect();
    assert_eq!(actions, vec!["outbox.cancel", "outbox.replay"]);
    let pending = OutboxQuery { state: Some(OutboxState::Pending), limit: 10, ..OutboxQuery::default() };
    assert_eq!(t.store.store.outbox(&pending).await.unwrap().len(), 1);
}

/// The e-mails of the outbox about dossier `code` written by the watch (subject `[Cảnh báo]`).
async fn alarm_mails(t: &super::TestApp, code: &str) -> Vec<(String, String)> {
    let q = OutboxQuery {
        dossier: Some(motcua_domain::dossier::DossierCode::parse(code).unwrap()),
        limit: 200,
        ..OutboxQuery::default()
    };
    let mut m: Vec<(String, String)> = t
        .store
        .store
        .outbox(&q)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.notice.subject.starts_with("[Cảnh báo]"))
        .map(|m| (m.notice.recipient, m.notice.subject))
        .collect();
    m.sort();
    m
}

#[tokio::test]
async fn the_deadline_watch_raises_each_alarm_once_to_the_handler_and_leaders_and_escalates() {
    let clock = std::sync::Arc::new(motcua_app::ManualClock::at(motcua_testkit::fixtures::instant(2026, 11, 27, 3)));
    let t = super::test_app_with(clock.clone(), motcua_app::AppConfig::default()).await;
    let desk = t.token("motcua").await;
    let code = t.transferred_dossier(&desk).await;
    let specialist = t.token("chuyenvien").await;
    let r = t
        .post_json(
            &format!("/api/v1/dossiers/{code}/assign"),
            Some(&specialist),
            json!({"revision": 2, "handler": "chuyenvien"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let due = r.json()["workflow"]["due_current"].as_str().unwrap().to_owned();
    assert!(due.starts_with("2026-11-30T17:30"), "received Friday 10:00, due Monday: {due}");

    // Friday 10:00: the latest day to apologise (a working day before Monday) is today.
    let me = uuid::Uuid::now_v7();
    let lease = std::time::Duration::from_secs(300);
    let r = t.app.watch_deadlines(me, lease).await.unwrap().unwrap();
    assert_eq!((r.looked, r.raised), (1, 1), "{r:?}");
    let subject = format!("[Cảnh báo] Hồ sơ {code}: Cần gửi phiếu xin lỗi và hẹn lại");
    let to = |who: &str| (format!("{who}@motcua.haiphong.example"), subject.clone());
    assert_eq!(alarm_mails(&t, &code).await, vec![to("chuyenvien"), to("lanhdao")]);

    // Once: the same pass again raises nothing and does not even read the dossier; another
    // process holding no lease does not run.
    let r = t.app.watch_deadlines(me, lease).await.unwrap().unwrap();
    assert_eq!((r.looked, r.raised), (0, 0));
    assert_eq!(t.app.watch_deadlines(uuid::Uuid::now_v7(), lease).await.unwrap(), None, "the lease is held");

    // Tuesday 9:00, the appointment passed: the step and the dossier are late (and were nearly
    // due); Wednesday: escalated to the competent agency's leaders.
    clock.set(motcua_testkit::fixtures::instant(2026, 12, 1, 2));
    let r = t.app.watch_deadlines(me, lease).await.unwrap().unwrap();
    assert!(r.raised >= 3, "{r:?}");
    clock.set(motcua_testkit::fixtures::instant(2026, 12, 2, 2));
    let r = t.app.watch_deadlines(me, lease).await.unwrap().unwrap();
    assert_eq!(r.raised, 1, "{r:?}");
    let mails = alarm_mails(&t, &code).await;
    let escalated = format!("[Cảnh báo] Hồ sơ {code}: Hồ sơ quá hạn, báo cáo lãnh đạo và Văn phòng");
    assert!(mails.contains(&("lanhdao@motcua.haiphong.example".into(), escalated.clone())), "{mails:?}");
    assert!(!mails.contains(&("chuyenvien@motcua.haiphong.example".into(), escalated)), "{mails:?}");

    // The in-app list: the agency's officers and the administrator; not a citizen.
    let get = |uri: &str, token: &str| {
        Request::get(uri).header("authorization", format!("Bearer {token}")).body(Body::empty()).unwrap()
    };
    let r = t.send(get("/api/v1/alarms", &specialist)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let list = r.json();
    let kinds: Vec<&str> = list.as_array().unwrap().iter().map(|a| a["kind"].as_str().unwrap()).collect();
    for k in ["apology_due", "nearly_due", "step_overdue", "overdue", "escalated"] {
        assert_eq!(kinds.iter().filter(|x| **x == k).count(), 1, "{k}: {kinds:?}");
    }
    let admin = t.token("admin").await;
    let r = t.send(get("/api/v1/alarms?escalated=true", &admin)).await;
    assert_eq!(r.json().as_array().unwrap().len(), 1, "{}", r.body);
    let citizen = t.token("congdan").await;
    assert_eq!(t.send(get("/api/v1/alarms", &citizen)).await.status, StatusCode::FORBIDDEN);
    let cookie = cookie_of(&t, "chuyenvien").await;
    let page = t.send(Request::get("/canh-bao-han").header(header::COOKIE, &cookie).body(Body::empty()).unwrap()).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Cần gửi phiếu xin lỗi và hẹn lại") && page.body.contains(&code), "{}", page.body);

    // Every alarm has fired: the dossier is not read again until it changes.
    clock.set(motcua_testkit::fixtures::instant(2026, 12, 9, 2));
    let r = t.app.watch_deadlines(me, lease).await.unwrap().unwrap();
    assert_eq!((r.looked, r.raised), (0, 0));
}

#[tokio::test]
async fn the_portal_sync_is_shown_to_the_office_and_the_agencies_not_to_the_applicant() {
    let clock = std::sync::Arc::new(motcua_app::FixedClock(motcua_testkit::fixtures::instant(2026, 11, 27, 3)));
    let config = motcua_app::AppConfig { portal_sync: true, ..motcua_app::AppConfig::default() };
    let t = super::test_app_with(clock, config).await;
    let token = t.token("congdan").await;
    let online = json!({"procedure": "2.000908", "channel": "online", "desk": "H24.02",
        "applicant": {"kind": "citizen", "id": "031095001234", "name": "Vũ Minh Anh", "phone": "0912345678"}});
    let r = t.post_json("/api/v1/dossiers", Some(&token), online).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let code = r.json()["code"].as_str().unwrap().to_owned();
    let get = |uri: String, token: &str| {
        Request::get(uri).header("authorization", format!("Bearer {token}")).body(Body::empty()).unwrap()
    };

    // The push of the new dossier (national status 1) waits in the outbox, in the portal's shape.
    let admin = t.token("admin").await;
    let r = t.send(get("/api/v1/outbox?channel=portal".into(), &admin)).await;
    let messages = r.json()["messages"].as_array().unwrap().clone();
    assert_eq!(messages.len(), 1, "{}", r.body);
    let push: serde_json::Value = serde_json::from_str(messages[0]["body"].as_str().unwrap()).unwrap();
    assert_eq!((push["service"].as_str(), push["isUpdating"].as_bool()), (Some("DongBoHoSoMC"), Some(false)));
    let record = &push["data"][0];
    assert_eq!((record["MaHoSo"].as_str(), record["TrangThaiHoSo"].as_u64()), (Some(code.as_str()), Some(1)));
    assert_eq!((record["KenhThucHien"].as_u64(), record["NgayTiepNhan"].as_str()), (Some(2), Some("20261127100000")));

    // The applicant's notices leave it out; the desk sees it, and whether the dossier is synced.
    let r = t.send(get(format!("/api/v1/dossiers/{code}/notices"), &token)).await;
    assert!(r.json().as_array().unwrap().iter().all(|m| m["channel"] != "portal"), "{}", r.body);
    let desk = t.token("motcua").await;
    let r = t.send(get(format!("/api/v1/dossiers/{code}/notices"), &desk)).await;
    assert!(r.json().as_array().unwrap().iter().any(|m| m["channel"] == "portal"), "{}", r.body);
    let desk_cookie = cookie_of(&t, "motcua").await;
    let dossier_page = |cookie: String| {
        Request::get(format!("/ho-so/{code}")).header(header::COOKIE, cookie).body(Body::empty()).unwrap()
    };
    let page = t.send(dossier_page(desk_cookie.clone())).await;
    assert!(page.body.contains("Chưa đồng bộ"), "{}", page.body);

    // Taken by the portal: synced, for the page and for the index (metric 1.4).
    let worker = uuid::Uuid::now_v7();
    let now = t.app.now();
    let claimed = t.store.store.claim_outbox(NoticeChannel::Portal, worker, now, now, 10).await.unwrap();
    assert!(t.store.store.outbox_sent(claimed[0].id, worker, now).await.unwrap());
    let page = t.send(dossier_page(desk_cookie)).await;
    assert!(page.body.contains("Đã đồng bộ, lần gần nhất 10:00 27/11/2026"), "{}", page.body);
    let citizen_page = t.send(dossier_page(cookie_of(&t, "congdan").await)).await;
    assert!(!citizen_page.body.contains("DongBoHoSoMC") && !citizen_page.body.contains("Cổng DVC quốc gia"));
    let admin_cookie = cookie_of(&t, "admin").await;
    let outbox = t
        .send(
            Request::get("/quan-tri/thong-bao?channel=portal")
                .header(header::COOKIE, admin_cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(outbox.body.contains("Đồng bộ Cổng DVC quốc gia") && outbox.body.contains("Đã gửi"), "{}", outbox.body);
}
