//! Slow and idle connections, file names, uploads cut half way.

use std::sync::Arc;

use axum::http::StatusCode;
use motcua_app::{AppConfig, ManualClock};
use motcua_demo::DEMO_PASSWORD;
use serde_json::json;

use super::*;
use super::{test_app, test_app_with};

#[tokio::test]
async fn slow_heads_and_idle_connections_are_cut_and_peers_are_known() {
    use std::time::Duration;
    use tokio::io::AsyncWriteExt;
    let t =
        test_app_with(clock(), limits(|l| l.logins_per_address = motcua_app::throttle::Rate { burst: 2, per_hour: 1 }))
            .await;
    let opts = motcua_web::serve::ServeOptions {
        header_read: Duration::from_millis(800),
        idle: Duration::from_millis(1500),
        grace: Duration::from_secs(1),
    };
    let (addr, stop) = served(&t, opts).await;

    // Slowloris: half a request head, then nothing.
    let mut slow = tokio::net::TcpStream::connect(addr).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    let started = std::time::Instant::now();
    assert!(read_until_closed(&mut slow, Duration::from_secs(5)).await.is_some(), "a slow head is cut");
    assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());

    // A kept-alive connection left idle after its answer.
    let mut idle = tokio::net::TcpStream::connect(addr).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
    let read = read_until_closed(&mut idle, Duration::from_secs(5)).await.expect("an idle connection is closed");
    assert!(read.starts_with("HTTP/1.1 200"), "{read}");

    // The throttles see the peer's address: two logins from 127.0.0.1, then 429.
    let login = |user: &str| {
        format!(
            "POST /api/v1/auth/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: {len}\r\n\r\n{body}",
            len = json!({"username": user, "password": DEMO_PASSWORD}).to_string().len(),
            body = json!({"username": user, "password": DEMO_PASSWORD})
        )
    };
    let mut statuses = vec![];
    for user in ["motcua", "congdan", "admin"] {
        let mut c = tokio::net::TcpStream::connect(addr).await.unwrap();
        c.write_all(login(user).as_bytes()).await.unwrap();
        let answer = read_until_closed(&mut c, Duration::from_secs(10)).await.unwrap();
        statuses.push(answer.split(' ').nth(1).unwrap_or_default().to_owned());
    }
    assert_eq!(statuses, ["200", "200", "429"]);
    let _ = stop.send(());
}

#[tokio::test]
async fn names_are_capped_invisible_ones_refused_and_bidi_controls_stripped() {
    let t = test_app().await;
    let desk = t.token("motcua").await;
    let with_name = |name: &str, address: &str| {
        json!({"procedure": "2.000908", "channel": "counter", "applicant": {"kind": "citizen",
            "id": "031095001234", "name": name, "phone": "0912345678", "address": address}})
    };
    let r = t.post_json("/api/v1/dossiers", Some(&desk), with_name("\u{200B}\u{2066}\u{200D}", "Hải Phòng")).await;
    assert_eq!((r.status, r.json()["field"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("applicant.name")));
    let r = t.post_json("/api/v1/dossiers", Some(&desk), with_name(&"Nguyễn ".repeat(40), "Hải Phòng")).await;
    assert_eq!((r.status, r.json()["code"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("too_long")));
    let r = t.post_json("/api/v1/dossiers", Some(&desk), with_name("Vũ Minh Anh", &"số 1 ".repeat(50))).await;
    assert_eq!(r.json()["field"], "applicant.address");
    let r = t.post_json("/api/v1/dossiers", Some(&desk), with_name("Vũ \u{202E}hnA niM", " Lê  Chân\t")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["applicant"]["name"], "Vũ hnA niM");
    assert_eq!(r.json()["applicant"]["address"], "Lê Chân");
    let code = r.json()["code"].as_str().unwrap().to_owned();
    let r = command(&t, &desk, &code, "transfer", json!({"revision": 1, "agency": "H24.11"})).await;
    let specialist = t.token("chuyenvien").await;
    let long = "x".repeat(1001);
    let r2 =
        command(&t, &specialist, &code, "request_supplement", json!({"revision": revision(&r), "items": [long]})).await;
    assert_eq!((r2.status, r2.json()["code"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("too_long")));
}

#[tokio::test]
async fn an_upload_dropped_half_way_leaves_no_orphan_and_the_sweep_removes_old_ones() {
    use motcua_storage::DossierRepo;
    let now = chrono::Utc::now();
    let clock = Arc::new(ManualClock::at(now));
    let t = test_app_with(clock.clone(), AppConfig::default()).await;
    let desk_token = t.token("motcua").await;
    let made = t.post_json("/api/v1/dossiers", Some(&desk_token), counter_intake("031095001234")).await;
    let code = made.json()["code"].as_str().unwrap().to_owned();
    let desk = motcua_app::Actor::User {
        user: t.app.authenticate(&desk_token, motcua_storage::SessionKind::Bearer).await.unwrap().unwrap(),
        ip: None,
    };
    // The client goes away at every point of the upload: the future is polled k times, then
    // dropped (what axum does to a handler when the connection closes).
    let waker = std::task::Waker::noop();
    for k in 1..40 {
        let mut fut = Box::pin(t.app.attach_document(&desk, &code, scan(&format!("Tờ khai {k}"))));
        let mut cx = std::task::Context::from_waker(waker);
        for _ in 0..k {
            if fut.as_mut().poll(&mut cx).is_ready() {
                break;
            }
            tokio::task::yield_now().await;
        }
        drop(fut);
    }
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let code = motcua_domain::dossier::DossierCode::parse(&code).unwrap();
    let rows = t.store.documents(&code).await.unwrap();
    let objects = t.app.files.list().await.unwrap();
    assert_eq!(objects.len(), rows.len(), "every stored object has its row");
    assert!(!rows.is_empty());

    // An object a crash left without a row: young, it stays; an hour later it is swept.
    t.app.files.put("2026/orphan/1", axum::body::Bytes::from_static(b"%PDF-1.4 orphan")).await.unwrap();
    let r = t.app.sweep_files(&motcua_app::Actor::Cli, chrono::Duration::hours(1)).await.unwrap();
    assert_eq!((r.listed, r.deleted), (rows.len() as u64 + 1, 0), "an upload in flight is younger than an hour");
    clock.set(now + chrono::Duration::hours(2));
    let r = t.app.sweep_files(&motcua_app::Actor::Cli, chrono::Duration::hours(1)).await.unwrap();
    assert_eq!(r.deleted, 1);
    assert_eq!(t.app.files.list().await.unwrap().len(), rows.len(), "the documents' bytes stay");
    let denied = t.app.sweep_files(&desk, chrono::Duration::hours(1)).await;
    assert!(matches!(denied, Err(motcua_app::AppError::Forbidden(_))));
}
