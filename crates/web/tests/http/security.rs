//! Issue 12: what a probe of the running server found, each with the test that failed before
//! its fix.

mod access;
mod idempotency;
mod sessions;
mod throttles;
mod transport;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use motcua_app::{AppConfig, ManualClock};
use motcua_demo::DEMO_PASSWORD;
use motcua_testkit::fixtures::instant;
use serde_json::{Value, json};

use super::{Resp, TestApp, test_app, test_app_with};

fn keyed(uri: &str, key: &str, token: Option<&str>, body: &Value) -> Request<Body> {
    let mut b =
        Request::post(uri.to_owned()).header(header::CONTENT_TYPE, "application/json").header("idempotency-key", key);
    if let Some(t) = token {
        b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    b.body(Body::from(body.to_string())).unwrap()
}

fn counter_intake(id: &str) -> Value {
    json!({"procedure": "2.000908", "channel": "counter",
        "applicant": {"kind": "citizen", "id": id, "name": "Vũ Minh Anh", "phone": "0912345678"}})
}

async fn count_dossiers(t: &TestApp, token: &str) -> u64 {
    let get =
        Request::get("/api/v1/dossiers").header(header::AUTHORIZATION, format!("Bearer {token}")).body(Body::empty());
    t.send(get.unwrap()).await.json()["total"].as_u64().unwrap()
}

fn replayed(r: &Resp) -> bool {
    r.headers.contains_key("idempotency-replayed")
}

fn from_address(mut req: Request<Body>, ip: [u8; 4]) -> Request<Body> {
    let addr = std::net::SocketAddr::from((ip, 40000));
    req.extensions_mut().insert(axum::extract::ConnectInfo(addr));
    req
}

fn login_request(user: &str, password: &str) -> Request<Body> {
    Request::post("/api/v1/auth/token")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(json!({"username": user, "password": password}).to_string()))
        .unwrap()
}

fn limits(f: impl FnOnce(&mut motcua_app::throttle::Limits)) -> AppConfig {
    let mut c = AppConfig::default();
    f(&mut c.limits);
    c
}

fn clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::at(instant(2026, 11, 27, 3)))
}

/// A command on a dossier; the answer.
async fn command(t: &TestApp, token: &str, code: &str, name: &str, body: Value) -> Resp {
    t.post_json(&format!("/api/v1/dossiers/{code}/{name}"), Some(token), body).await
}

fn revision(r: &Resp) -> i64 {
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()["revision"].as_i64().unwrap()
}

pub(super) async fn officer(t: &TestApp, username: &str, role: motcua_domain::user::Role, agency: &str) -> String {
    let account = motcua_app::accounts::NewAccount {
        username: username.into(),
        full_name: "Nguyễn Thị Bình".into(),
        role,
        agency: Some(agency.into()),
        email: None,
        password: DEMO_PASSWORD.into(),
    };
    t.app.add_user(&motcua_app::Actor::Cli, account).await.unwrap();
    t.token(username).await
}

/// Serve `t` on a free port with short timeouts; the address and the stop switch.
async fn served(
    t: &TestApp,
    opts: motcua_web::serve::ServeOptions,
) -> (std::net::SocketAddr, tokio::sync::oneshot::Sender<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let router = t.router.clone();
    tokio::spawn(async move {
        motcua_web::serve::serve(listener, router, opts, async {
            let _ = stopped.await;
        })
        .await
        .unwrap();
    });
    (addr, stop)
}

/// Read until the server closes the connection; what was read, or `None` if it stayed open
/// past `wait`.
async fn read_until_closed(s: &mut tokio::net::TcpStream, wait: std::time::Duration) -> Option<String> {
    use tokio::io::AsyncReadExt;
    let mut all = Vec::new();
    let mut buf = [0u8; 4096];
    let end = tokio::time::Instant::now() + wait;
    loop {
        match tokio::time::timeout_at(end, s.read(&mut buf)).await {
            Err(_) => return None,
            Ok(Ok(0) | Err(_)) => return Some(String::from_utf8_lossy(&all).into_owned()),
            Ok(Ok(n)) => all.extend_from_slice(&buf[..n]),
        }
    }
}

fn scan(name: &str) -> motcua_app::documents::UploadInput {
    motcua_app::documents::UploadInput {
        kind: motcua_domain::dossier::record::DocumentKind::Component,
        name: name.into(),
        file_name: "to-khai.pdf".into(),
        source: None,
        bytes: axum::body::Bytes::from_static(b"%PDF-1.4\n% to khai\n%%EOF\n"),
    }
}

/// The commands with a minimal body of each.
fn every_command() -> Vec<(&'static str, Value)> {
    vec![
        ("accept", json!({})),
        ("request_completion", json!({"items": ["Bản sao giấy khai sinh"]})),
        ("refuse", json!({"reasons": ["Không thuộc thẩm quyền"]})),
        ("transfer", json!({"agency": "H24.11"})),
        ("assign", json!({"handler": "lanhdao"})),
        ("complete_step", json!({"note": "Thẩm định"})),
        ("forward", json!({"agency": "H24.12"})),
        ("cooperation_answered", json!({"agency": "H24.10"})),
        ("request_supplement", json!({"items": ["Tờ khai"]})),
        ("supplement_provided", json!({})),
        ("request_payment", json!({"amount_vnd": 50000})),
        ("payment_received", json!({"online": false})),
        ("apologise", json!({"new_due": "2026-12-30T17:00:00+07:00", "reason": "Chờ xác minh"})),
        ("resolve", json!({"outcome": "granted"})),
        ("return", json!({"collected_by": "Vũ Minh Anh", "method": "counter"})),
        ("request_withdrawal", json!({})),
        ("stop", json!({"reason": "Người nộp rút hồ sơ"})),
    ]
}
