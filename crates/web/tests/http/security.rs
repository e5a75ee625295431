//! Issue 12: what a probe of the running server found, each with the test that failed before
//! its fix.

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

#[tokio::test]
async fn idempotency_never_replays_a_token_to_another_caller() {
    let t = test_app().await;
    let a = t
        .send(keyed("/api/v1/auth/token", "shared", None, &json!({"username": "motcua", "password": DEMO_PASSWORD})))
        .await;
    assert_eq!(a.status, StatusCode::OK);
    let b = t
        .send(keyed("/api/v1/auth/token", "shared", None, &json!({"username": "congdan", "password": DEMO_PASSWORD})))
        .await;
    assert_eq!(b.status, StatusCode::OK, "{}", b.body);
    assert!(!replayed(&b), "the token endpoint is never kept");
    assert_ne!(a.json()["token"], b.json()["token"]);
    let who = Request::get("/api/v1/me")
        .header(header::AUTHORIZATION, format!("Bearer {}", b.json()["token"].as_str().unwrap()))
        .body(Body::empty())
        .unwrap();
    assert_eq!(t.send(who).await.json()["username"], "congdan");

    // An anonymous request is not kept either: a wrong password then the right one, same key.
    let bad = t
        .send(keyed("/api/v1/auth/token", "k", None, &json!({"username": "congdan", "password": "sai-mat-khau-1"})))
        .await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    let first = t.send(keyed("/api/v1/dossiers", "anon", None, &counter_intake("031095001234"))).await;
    let second = t.send(keyed("/api/v1/dossiers", "anon", None, &counter_intake("031095001234"))).await;
    assert_eq!(first.status, StatusCode::UNAUTHORIZED);
    assert!(!replayed(&second), "anonymous answers are not kept");
}

#[tokio::test]
async fn idempotency_binds_the_key_to_the_body() {
    let t = test_app().await;
    let desk = t.token("motcua").await;
    let first = t.send(keyed("/api/v1/dossiers", "k", Some(&desk), &counter_intake("031095001234"))).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let other = t.send(keyed("/api/v1/dossiers", "k", Some(&desk), &counter_intake("031095009999"))).await;
    assert_eq!(
        (other.status, other.json()["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("idempotency_key_reused")),
        "another body under the same key"
    );
    assert_eq!(count_dossiers(&t, &desk).await, 1);
}

#[tokio::test]
async fn idempotency_answers_expire_after_a_day_and_dead_reservations_are_taken_over() {
    let clock = Arc::new(ManualClock::at(instant(2026, 11, 27, 3)));
    let t = test_app_with(clock.clone(), AppConfig::default()).await;
    let desk = t.token("motcua").await;
    let body = counter_intake("031095001234");
    assert_eq!(t.send(keyed("/api/v1/dossiers", "k", Some(&desk), &body)).await.status, StatusCode::CREATED);
    clock.set(instant(2026, 11, 27, 3) + chrono::Duration::hours(23));
    assert!(replayed(&t.send(keyed("/api/v1/dossiers", "k", Some(&desk), &body)).await));
    clock.set(instant(2026, 11, 27, 3) + chrono::Duration::hours(25));
    let later = t.send(keyed("/api/v1/dossiers", "k", Some(&desk), &body)).await;
    assert_eq!(later.status, StatusCode::CREATED);
    assert!(!replayed(&later), "a day later the key is free again");
    assert_eq!(count_dossiers(&t, &desk).await, 2);
    assert_eq!(t.app.purge_idempotency_keys().await.unwrap(), 0, "the expired answer was replaced");
    clock.set(instant(2026, 11, 27, 3) + chrono::Duration::hours(50));
    assert_eq!(t.app.purge_idempotency_keys().await.unwrap(), 1);

    // A reservation whose request died with its process (no answer ever stored).
    let caller = motcua_app::idempotency::caller_key(Some(&format!("Bearer {desk}"))).unwrap();
    let fp = motcua_app::idempotency::request_fingerprint("POST", "/api/v1/dossiers", body.to_string().as_bytes());
    t.app.reserve_idempotency_key(&caller, "dead", &fp).await.unwrap();
    let busy = t.send(keyed("/api/v1/dossiers", "dead", Some(&desk), &body)).await;
    assert_eq!((busy.status, busy.json()["code"].clone()), (StatusCode::CONFLICT, json!("request_in_progress")));
    clock.set(instant(2026, 11, 27, 3) + chrono::Duration::hours(50) + chrono::Duration::minutes(6));
    let taken = t.send(keyed("/api/v1/dossiers", "dead", Some(&desk), &body)).await;
    assert_eq!(taken.status, StatusCode::CREATED, "{}", taken.body);
}

#[tokio::test]
async fn a_body_cut_in_transport_reserves_no_key() {
    let t = test_app().await;
    let desk = t.token("motcua").await;
    let body = counter_intake("031095001234").to_string();
    let half = body[..body.len() / 2].to_owned();
    let stream = futures_util::stream::iter(vec![
        Ok::<_, std::io::Error>(axum::body::Bytes::from(half)),
        Err(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "client went away")),
    ]);
    let cut = Request::post("/api/v1/dossiers")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::AUTHORIZATION, format!("Bearer {desk}"))
        .header("idempotency-key", "k")
        .body(Body::from_stream(stream))
        .unwrap();
    let r = t.send(cut).await;
    assert_eq!((r.status, r.json()["code"].clone()), (StatusCode::BAD_REQUEST, json!("incomplete_body")));
    let whole = t.send(keyed("/api/v1/dossiers", "k", Some(&desk), &counter_intake("031095001234"))).await;
    assert_eq!(whole.status, StatusCode::CREATED, "the retry runs: {}", whole.body);
    assert!(!replayed(&whole));
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

#[tokio::test]
async fn wrong_passwords_are_throttled_per_account_and_per_address() {
    use motcua_app::throttle::Rate;
    let t = test_app_with(
        clock(),
        limits(|l| {
            l.login_failures_per_account = Rate { burst: 3, per_hour: 60 };
            l.logins_per_address = Rate { burst: 6, per_hour: 60 };
        }),
    )
    .await;
    for _ in 0..3 {
        let r = t.send(from_address(login_request("chuyenvien", "doan-sai-mat-khau"), [10, 0, 0, 1])).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let r = t.send(from_address(login_request("chuyenvien", DEMO_PASSWORD), [10, 0, 0, 2])).await;
    assert_eq!((r.status, r.json()["code"].clone()), (StatusCode::TOO_MANY_REQUESTS, json!("too_many_requests")));
    assert_eq!(r.headers.get(header::RETRY_AFTER).unwrap(), "60", "one attempt a minute");
    let r = t.send(from_address(login_request("lanhdao", DEMO_PASSWORD), [10, 0, 0, 1])).await;
    assert_eq!(r.status, StatusCode::OK, "another account is not locked");
    // The address 10.0.0.1 has made 4 attempts; two more, then it is refused whatever the account.
    for user in ["motcua", "congdan"] {
        assert_eq!(
            t.send(from_address(login_request(user, DEMO_PASSWORD), [10, 0, 0, 1])).await.status,
            StatusCode::OK
        );
    }
    let r = t.send(from_address(login_request("admin", DEMO_PASSWORD), [10, 0, 0, 1])).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    // The login page says so too, with the status and Retry-After.
    let page = Request::post("/dang-nhap")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("username=chuyenvien&password={DEMO_PASSWORD}")))
        .unwrap();
    let r = t.send(page).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body.contains("thử lại sau"), "{}", r.body);
    assert!(r.headers.contains_key(header::RETRY_AFTER));
}

#[tokio::test]
async fn the_public_lookup_is_throttled_per_code_and_per_address() {
    use motcua_app::throttle::Rate;
    let t = test_app_with(
        clock(),
        limits(|l| {
            l.lookup_failures_per_code = Rate { burst: 3, per_hour: 6 };
            l.lookups_per_address = Rate { burst: 8, per_hour: 60 };
        }),
    )
    .await;
    let desk = t.token("motcua").await;
    let made = t.send(keyed("/api/v1/dossiers", "k", Some(&desk), &counter_intake("031095001234"))).await;
    let code = made.json()["code"].as_str().unwrap().to_owned();
    let track = |digits: &str, ip: [u8; 4]| {
        from_address(Request::get(format!("/api/v1/track/{code}?phone={digits}")).body(Body::empty()).unwrap(), ip)
    };
    for guess in ["0000", "0001", "0002"] {
        assert_eq!(t.send(track(guess, [10, 0, 0, 1])).await.status, StatusCode::NOT_FOUND);
    }
    let r = t.send(track("5678", [10, 0, 0, 2])).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "the code is locked for guessing, from any address");
    assert_eq!(r.headers.get(header::RETRY_AFTER).unwrap(), "600");
    // Per address: 8 lookups of anything, then refused.
    let other = |n: u32| {
        from_address(
            Request::get(format!("/api/v1/track/H24.02-261127-{n:04}?phone=1111")).body(Body::empty()).unwrap(),
            [10, 0, 0, 3],
        )
    };
    for n in 100..108 {
        assert_eq!(t.send(other(n)).await.status, StatusCode::NOT_FOUND);
    }
    assert_eq!(t.send(other(108)).await.status, StatusCode::TOO_MANY_REQUESTS);
    // The page answers 429 with the message.
    let page =
        from_address(Request::get(format!("/tra-cuu?ma={code}&so=5678")).body(Body::empty()).unwrap(), [10, 0, 0, 4]);
    let r = t.send(page).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body.contains("thử lại sau"));
}

#[tokio::test]
async fn password_hashing_is_capped_and_refuses_beyond_its_queue() {
    let config = AppConfig { password_workers: 1, password_queue: 0, ..AppConfig::default() };
    let t = test_app_with(clock(), config).await;
    let attempts = (0..6).map(|_| t.send(login_request("congdan", "doan-sai-mat-khau")));
    let answers = futures_util::future::join_all(attempts).await;
    let busy: Vec<&Resp> = answers.iter().filter(|r| r.status == StatusCode::SERVICE_UNAVAILABLE).collect();
    assert!(!busy.is_empty(), "one hash at a time and no queue: concurrent logins are refused");
    assert!(answers.iter().all(|r| [StatusCode::UNAUTHORIZED, StatusCode::SERVICE_UNAVAILABLE].contains(&r.status)));
    assert_eq!(busy[0].json()["code"], "busy");
    assert!(busy[0].headers.contains_key(header::RETRY_AFTER));
}

#[tokio::test]
async fn logout_revokes_the_token_or_every_session() {
    let t = test_app().await;
    let me = |token: &str| {
        Request::get("/api/v1/me").header(header::AUTHORIZATION, format!("Bearer {token}")).body(Body::empty()).unwrap()
    };
    let logout = |token: &str, body: &str| {
        Request::post("/api/v1/auth/logout")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_owned()))
            .unwrap()
    };
    let (a, b) = (t.token("chuyenvien").await, t.token("chuyenvien").await);
    assert_eq!(t.send(logout(&a, "")).await.status, StatusCode::NO_CONTENT);
    assert_eq!(t.send(me(&a)).await.status, StatusCode::UNAUTHORIZED, "this token ended");
    assert_eq!(t.send(me(&b)).await.status, StatusCode::OK, "the other one did not");
    let cookie = super::cookie_of(&t, "chuyenvien").await;
    let page = |c: &str| Request::get("/ho-so").header(header::COOKIE, c).body(Body::empty()).unwrap();
    assert_eq!(t.send(page(&cookie)).await.status, StatusCode::OK);
    assert_eq!(t.send(logout(&b, r#"{"everywhere": true}"#)).await.status, StatusCode::NO_CONTENT);
    assert_eq!(t.send(me(&b)).await.status, StatusCode::UNAUTHORIZED);
    assert_ne!(t.send(page(&cookie)).await.status, StatusCode::OK, "the browser session ended too");
    assert_eq!(t.send(logout("not-a-token", "")).await.status, StatusCode::UNAUTHORIZED);

    // Logging out everywhere from the page ends the API tokens as well.
    let c = t.token("lanhdao").await;
    let cookie = super::cookie_of(&t, "lanhdao").await;
    let out = Request::post("/dang-xuat")
        .header(header::COOKIE, &cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("everywhere=1"))
        .unwrap();
    assert_eq!(t.send(out).await.status, StatusCode::SEE_OTHER);
    assert_eq!(t.send(me(&c)).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn login_follows_only_local_paths_and_keeps_where_it_came_from() {
    let t = test_app().await;
    let login = |next: &str| {
        let body =
            serde_urlencoded::to_string([("username", "chuyenvien"), ("password", DEMO_PASSWORD), ("next", next)])
                .unwrap();
        Request::post("/dang-nhap")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap()
    };
    for (next, want) in [
        ("/\t/evil.example", "/"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("/a\r\nSet-Cookie: x=1", "/"),
        ("/ho-so?state=accepted", "/ho-so?state=accepted"),
    ] {
        let r = t.send(login(next)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{next:?}: {}", r.body);
        assert_eq!(r.headers.get(header::LOCATION).unwrap(), want, "{next:?}");
    }
    // A dossier link opened without a session comes back to the dossier after login.
    let r = t.get("/ho-so/H24.02-261127-0001").await;
    assert!(r.status.is_redirection());
    assert_eq!(r.headers.get(header::LOCATION).unwrap(), "/dang-nhap?next=%2Fho-so%2FH24.02-261127-0001");
    let r = t.get("/dang-nhap?next=%2Fho-so%2FH24.02-261127-0001").await;
    assert!(r.body.contains(r#"name="next" value="/ho-so/H24.02-261127-0001""#), "{}", r.body);
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let t = test_app().await;
    let cookie = super::cookie_of(&t, "motcua").await;
    let with_cookie = |uri: &str| Request::get(uri).header(header::COOKIE, &cookie).body(Body::empty()).unwrap();
    for r in [
        t.send(with_cookie("/ho-so")).await,
        t.send(with_cookie("/mot-cua/tiep-nhan")).await,
        t.get("/thu-tuc").await,
        t.get("/api/v1/procedures?q=khai+sinh").await,
        t.get("/api/v1/me").await,
        t.get("/khong-co-trang-nay").await,
    ] {
        let csp = r.headers.get(header::CONTENT_SECURITY_POLICY).expect("CSP").to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"), "{csp}");
        assert_eq!(r.headers.get(header::X_FRAME_OPTIONS).unwrap(), "DENY");
        assert_eq!(r.headers.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(), "nosniff");
        assert_eq!(r.headers.get(header::REFERRER_POLICY).unwrap(), "no-referrer");
        assert_eq!(r.headers.get(header::CACHE_CONTROL).unwrap(), "no-store", "personal data is never cached");
    }
    let css = t.get("/static/app.css").await;
    assert!(css.headers.get(header::CACHE_CONTROL).unwrap().to_str().unwrap().starts_with("public"));
    // The pages pass their own policy: no inline script or handler left.
    let page = t.get("/thu-tuc/1.001193").await;
    assert!(!page.body.contains("onclick=") && !page.body.contains("<script>"), "inline script on a page");
    assert!(page.body.contains(r#"<script src="/static/app.js" defer></script>"#));
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
        password: DEMO_PASSWORD.into(),
    };
    t.app.add_user(&motcua_app::Actor::Cli, account).await.unwrap();
    t.token(username).await
}

#[tokio::test]
async fn commands_name_only_agencies_that_exist_today_and_act_for_the_callers_own() {
    use motcua_domain::user::Role;
    let t = test_app().await;
    let desk = t.token("motcua").await;
    let specialist = t.token("chuyenvien").await;
    let noivu = officer(&t, "cv.noivu", Role::Specialist, "H24.10").await;
    let taichinh = officer(&t, "cv.taichinh", Role::Specialist, "H24.12").await;
    let made = t.post_json("/api/v1/dossiers", Some(&desk), counter_intake("031095001234")).await;
    let code = made.json()["code"].as_str().unwrap().to_owned();
    let mut rev = made.json()["revision"].as_i64().unwrap();

    // Before the desk hands it over, the agency cannot take it.
    let r = command(&t, &specialist, &code, "transfer", json!({"revision": rev, "agency": "H24.11"})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    for (agency, why) in
        [("H24.99", "unknown_agency"), ("000.00.08.H23", "agency_not_in_force"), ("H24.02", "agency_cannot_handle")]
    {
        let r = command(&t, &desk, &code, "transfer", json!({"revision": rev, "agency": agency})).await;
        assert_eq!((r.status, r.json()["code"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!(why)), "{agency}");
        assert_eq!(r.json()["field"], "agency");
    }
    rev = revision(&command(&t, &desk, &code, "transfer", json!({"revision": rev, "agency": "H24.11"})).await);

    // The assignee is an officer of the agency holding the dossier.
    for who in ["nobody", "motcua", "cv.noivu"] {
        let r = command(&t, &specialist, &code, "assign", json!({"revision": rev, "handler": who})).await;
        assert_eq!((r.status, r.json()["code"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("unknown_officer")));
    }
    rev = revision(&command(&t, &specialist, &code, "assign", json!({"revision": rev, "handler": "lanhdao"})).await);

    let r = command(&t, &specialist, &code, "forward", json!({"revision": rev, "agency": "000.00.10.H23"})).await;
    assert_eq!(r.json()["code"], "agency_not_in_force");
    rev = revision(&command(&t, &specialist, &code, "forward", json!({"revision": rev, "agency": "H24.10"})).await);
    rev = revision(&command(&t, &specialist, &code, "forward", json!({"revision": rev, "agency": "H24.12"})).await);

    // A cooperating agency answers for itself only.
    let r = command(&t, &noivu, &code, "cooperation_answered", json!({"revision": rev, "agency": "H24.12"})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    // One supplement request per agency: naming another agency does not get round it.
    for (token, other) in [(&noivu, "H24.12"), (&specialist, "H24.13"), (&specialist, "H24.10")] {
        let r = command(
            &t,
            token,
            &code,
            "request_supplement",
            json!({"revision": rev, "items": ["Bản sao giấy khai sinh"], "agency": other}),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{other}: {}", r.body);
    }
    let r = command(&t, &taichinh, &code, "cooperation_answered", json!({"revision": rev, "agency": "H24.12"})).await;
    rev = revision(&r);
    assert_eq!(r.json()["workflow"]["cooperating_pending"], json!(["H24.10"]));
    // The refusals were audited.
    use motcua_storage::AuditRepo;
    let log = t.store.audit_log(200).await.unwrap();
    let denied = log.iter().filter(|a| a.entry.action == "access.denied" && a.entry.entity_id == code).count();
    assert_eq!(denied, 5, "every refusal is audited");
    // The real agency still has its own supplement request.
    let r = command(&t, &specialist, &code, "request_supplement", json!({"revision": rev, "items": ["Tờ khai"]})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["workflow"]["supplements"][0]["agency"], "H24.11");
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
async fn a_citizen_gets_the_letters_of_their_dossier_not_the_internal_records() {
    let t = test_app().await;
    let citizen = t.token("congdan").await;
    let desk = t.token("motcua").await;
    let filed = json!({"procedure": "2.000908", "channel": "online", "desk": "H24.02",
        "applicant": {"kind": "citizen", "id": "031095001234", "name": "Vũ Minh Anh", "phone": "0912345678"}});
    let r = t.post_json("/api/v1/dossiers", Some(&citizen), filed).await;
    let code = r.json()["code"].as_str().unwrap().to_owned();
    assert_eq!(revision(&command(&t, &desk, &code, "accept", json!({"revision": 1})).await), 2);
    let form = |n: &str, token: &str| {
        Request::get(format!("/api/v1/dossiers/{code}/forms/{n}"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::ACCEPT, "text/html")
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(t.send(form("01", &citizen)).await.status, StatusCode::OK, "the receipt is theirs");
    for internal in ["06", "07"] {
        let r = t.send(form(internal, &citizen)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "form {internal}: {}", r.body);
        assert_eq!(t.send(form(internal, &desk)).await.status, StatusCode::OK, "the desk keeps form {internal}");
    }
    let cookie = super::cookie_of(&t, "congdan").await;
    let page = Request::get(format!("/ho-so/{code}/mau/06")).header(header::COOKIE, cookie).body(Body::empty());
    assert_eq!(t.send(page.unwrap()).await.status, StatusCode::FORBIDDEN);
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

fn scan(name: &str) -> motcua_app::documents::UploadInput {
    motcua_app::documents::UploadInput {
        kind: motcua_domain::dossier::record::DocumentKind::Component,
        name: name.into(),
        file_name: "to-khai.pdf".into(),
        source: None,
        bytes: axum::body::Bytes::from_static(b"%PDF-1.4\n% to khai\n%%EOF\n"),
    }
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

#[tokio::test]
async fn every_api_error_is_json_and_anonymous_callers_learn_first_that_they_must_log_in() {
    let t = test_app().await;
    let doc = t.get("/api/openapi.json").await.json();
    let mut secured = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let needs_login = op["security"].as_array().is_some_and(|reqs| {
                !reqs.is_empty() && reqs.iter().all(|r| r.as_object().is_some_and(|o| !o.is_empty()))
            });
            let responses = op["responses"].as_object().unwrap();
            for status in ["422", "500"] {
                assert!(responses.contains_key(status), "{method} {path} does not document {status}");
            }
            if !needs_login {
                continue;
            }
            secured += 1;
            assert!(responses.contains_key("401"), "{method} {path} does not document 401");
            // Nonsense everywhere: the answer is still "log in first".
            let uri = path.split('/').map(|s| if s.starts_with('{') { "%%x" } else { s }).collect::<Vec<_>>().join("/");
            let req = Request::builder()
                .method(method.to_uppercase().as_str())
                .uri(format!("{}?page=abc&year=-1", uri.replace("%%x", "khong-hop-le")))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{not json"))
                .unwrap();
            let r = t.send(req).await;
            assert_eq!(
                (r.status, r.json()["code"].clone()),
                (StatusCode::UNAUTHORIZED, json!("unauthenticated")),
                "{method} {path}"
            );
        }
    }
    assert!(secured > 30, "{secured} operations need a login");

    // What no handler answers is JSON too, with its request id.
    let cases = [
        (Request::get("/api/v1/khong-co").body(Body::empty()).unwrap(), StatusCode::NOT_FOUND, "not_found"),
        (
            Request::delete("/api/v1/procedures").body(Body::empty()).unwrap(),
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        ),
        (
            Request::get("/api/v1/calendar/holidays/hai-nghin").body(Body::empty()).unwrap(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_path",
        ),
        (
            Request::post("/api/v1/auth/token")
                .header(header::CONTENT_TYPE, "text/plain")
                .body(Body::from("admin"))
                .unwrap(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_json",
        ),
        (
            Request::post("/api/v1/auth/token")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(format!("{{\"username\":\"{}\"}}", "a".repeat(3 * 1024 * 1024))))
                .unwrap(),
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
        ),
    ];
    for (req, status, code) in cases {
        let what = format!("{} {}", req.method(), req.uri());
        let r = t.send(req).await;
        assert_eq!((r.status, r.json()["code"].clone()), (status, json!(code)), "{what}: {}", r.body);
        assert!(r.headers.contains_key("x-request-id"), "{what}");
        if status == StatusCode::METHOD_NOT_ALLOWED {
            assert!(r.headers.contains_key(header::ALLOW));
        }
    }
    // Bounds are stated and checked.
    let page = &doc["paths"]["/api/v1/dossiers"]["get"]["parameters"];
    let per_page = page.as_array().unwrap().iter().find(|p| p["name"] == "per_page").unwrap();
    assert_eq!((per_page["schema"]["minimum"].clone(), per_page["schema"]["maximum"].clone()), (json!(1), json!(100)));
    let admin = t.token("admin").await;
    let get = Request::get("/api/v1/dossiers?page=100001").header(header::AUTHORIZATION, format!("Bearer {admin}"));
    let r = t.send(get.body(Body::empty()).unwrap()).await;
    assert_eq!((r.status, r.json()["field"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("page")));
    let get = Request::get("/api/v1/outbox?limit=501").header(header::AUTHORIZATION, format!("Bearer {admin}"));
    let r = t.send(get.body(Body::empty()).unwrap()).await;
    assert_eq!((r.status, r.json()["field"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("limit")));
    let doc_text = doc.to_string();
    assert!(doc_text.contains("\"maximum\":1000000000000"), "the largest payment amount is stated");
    let desk = t.token("motcua").await;
    let code = t.post_json("/api/v1/dossiers", Some(&desk), counter_intake("031095001234")).await.json()["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let rev = revision(&command(&t, &desk, &code, "transfer", json!({"revision": 1, "agency": "H24.11"})).await);
    let r = command(&t, &admin, &code, "request_payment", json!({"revision": rev, "amount_vnd": 1_000_000_000_001u64}))
        .await;
    assert_eq!((r.status, r.json()["code"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("invalid_amount")));
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

/// Issue 12, item 19: role × the dossier's relation to the caller's agency × every command and
/// read, the expectation computed by the rule the use cases use (`access::may`, `may_read`,
/// `may_read_internal`) and checked against what the API answers. A command is sent with a
/// revision nobody holds, so an allowed one stops at `409 stale` and changes nothing.
#[tokio::test]
async fn the_access_matrix_follows_the_rule_the_use_cases_use() {
    use motcua_app::dossier_commands::CommandInput;
    use motcua_domain::dossier::access::{Action, Who, may, may_read, may_read_internal};
    use motcua_domain::user::Role;
    use motcua_storage::DossierRepo;
    let t = test_app().await;
    let desk = t.token("motcua").await;
    let specialist = t.token("chuyenvien").await;
    let mut callers = vec![];
    for (name, role, agency) in [
        ("motcua.khac", Role::DeskOfficer, Some("H24.101.01")),
        ("cv.noivu", Role::Specialist, Some("H24.10")),
        ("cv.taichinh", Role::Specialist, Some("H24.12")),
        ("congdan2", Role::Citizen, None),
    ] {
        let account = motcua_app::accounts::NewAccount {
            username: name.into(),
            full_name: "Trần Văn Cường".into(),
            role,
            agency: agency.map(Into::into),
            password: DEMO_PASSWORD.into(),
        };
        t.app.add_user(&motcua_app::Actor::Cli, account).await.unwrap();
    }
    for name in [
        "admin",
        "motcua",
        "chuyenvien",
        "lanhdao",
        "quantri.sotp",
        "congdan",
        "motcua.khac",
        "cv.noivu",
        "cv.taichinh",
        "congdan2",
    ] {
        let token = t.token(name).await;
        let user = t.app.authenticate(&token, motcua_storage::SessionKind::Bearer).await.unwrap().unwrap();
        callers.push((Some((token, user)), name));
    }
    callers.push((None, "anonymous"));

    // A dossier filed online and waiting for the desk, one accepted at the counter, one with
    // the Department of Justice waiting for the Department of Home Affairs' opinion.
    let citizen = t.token("congdan").await;
    let online = json!({"procedure": "2.000908", "channel": "online", "desk": "H24.02",
        "applicant": {"kind": "citizen", "id": "031095001234", "name": "Vũ Minh Anh", "phone": "0912345678"}});
    let submitted =
        t.post_json("/api/v1/dossiers", Some(&citizen), online).await.json()["code"].as_str().unwrap().to_owned();
    let accepted = t.post_json("/api/v1/dossiers", Some(&desk), counter_intake("031095001234")).await.json()["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let cooperating = t.post_json("/api/v1/dossiers", Some(&desk), counter_intake("031095009999")).await.json()["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let rev = revision(&command(&t, &desk, &cooperating, "transfer", json!({"revision": 1, "agency": "H24.11"})).await);
    revision(&command(&t, &specialist, &cooperating, "forward", json!({"revision": rev, "agency": "H24.10"})).await);

    let (mut cases, mut allowed_cases) = (0, 0);
    let mut allowed_for: std::collections::BTreeMap<&str, usize> = Default::default();
    for code in [&submitted, &accepted, &cooperating] {
        let d = t.store.dossier(&motcua_domain::dossier::DossierCode::parse(code).unwrap()).await.unwrap().unwrap();
        for (caller, name) in &callers {
            let token = caller.as_ref().map(|(tk, _)| tk.as_str());
            for (cmd, body) in every_command() {
                let mut input = body.clone();
                input["command"] = json!(cmd);
                let input: CommandInput = serde_json::from_value(input).unwrap();
                let mut sent = body;
                sent["revision"] = json!(-1);
                let r = t.post_json(&format!("/api/v1/dossiers/{code}/{cmd}"), token, sent).await;
                let want = match caller {
                    None => StatusCode::UNAUTHORIZED,
                    Some((_, user)) if may(Who::User(user), &d, Action::Command(input.kind())) => StatusCode::CONFLICT,
                    Some(_) => StatusCode::FORBIDDEN,
                };
                assert_eq!(r.status, want, "{name} {cmd} on {code} ({:?}): {}", d.workflow.state, r.body);
                cases += 1;
                allowed_cases += usize::from(want == StatusCode::CONFLICT);
                *allowed_for.entry(name).or_default() += usize::from(want == StatusCode::CONFLICT);
            }
            for (read, internal) in
                [("", false), ("/events", false), ("/notices", false), ("/documents", false), ("/forms/06", true)]
            {
                let mut req = Request::get(format!("/api/v1/dossiers/{code}{read}"))
                    .header(header::ACCEPT, "text/html, application/json");
                if let Some(tk) = token {
                    req = req.header(header::AUTHORIZATION, format!("Bearer {tk}"));
                }
                let r = t.send(req.body(Body::empty()).unwrap()).await;
                let want = match caller {
                    None => StatusCode::UNAUTHORIZED,
                    Some((_, user)) if internal && may_read_internal(user, &d) => StatusCode::OK,
                    Some((_, user)) if !internal && may_read(user, &d) => StatusCode::OK,
                    Some(_) => StatusCode::FORBIDDEN,
                };
                assert_eq!(r.status, want, "{name} reads {code}{read}: {}", r.body);
                cases += 1;
                allowed_cases += usize::from(want == StatusCode::OK);
                *allowed_for.entry(name).or_default() += usize::from(want == StatusCode::OK);
            }
        }
    }
    eprintln!("access matrix: {cases} cases, {allowed_cases} allowed: {allowed_for:?}");
    // What the rule must say whatever it is: outsiders get nothing, the admin everything.
    for outsider in ["motcua.khac", "cv.taichinh", "congdan2", "anonymous"] {
        assert_eq!(allowed_for[outsider], 0, "{outsider} may do nothing with these dossiers");
    }
    assert_eq!(allowed_for["admin"], 3 * (17 + 5));
    assert!(allowed_for["cv.noivu"] > 0, "the cooperating agency may read and answer");
    assert!(allowed_cases > 40 && cases - allowed_cases > 300, "{cases} cases, {allowed_cases} allowed");
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_throttles_see_the_forwarded_client() {
    use motcua_app::throttle::Rate;
    let mut config = limits(|l| l.logins_per_address = Rate { burst: 1, per_hour: 1 });
    config.trusted_proxies = vec!["10.0.0.9".parse().unwrap()];
    let t = test_app_with(clock(), config).await;
    let via = |forwarded: &str, peer: [u8; 4]| {
        let mut r = from_address(login_request("motcua", DEMO_PASSWORD), peer);
        r.headers_mut().insert("x-forwarded-for", forwarded.parse().unwrap());
        r
    };
    // Two clients behind the proxy are two addresses; a client's own claim before them is ignored.
    assert_eq!(t.send(via("203.0.113.1", [10, 0, 0, 9])).await.status, StatusCode::OK);
    assert_eq!(t.send(via("203.0.113.2", [10, 0, 0, 9])).await.status, StatusCode::OK);
    assert_eq!(t.send(via("1.2.3.4, 203.0.113.1", [10, 0, 0, 9])).await.status, StatusCode::TOO_MANY_REQUESTS);
    // A peer that is not a trusted proxy cannot choose its address.
    assert_eq!(t.send(via("198.51.100.7", [10, 0, 0, 5])).await.status, StatusCode::OK);
    assert_eq!(t.send(via("198.51.100.8", [10, 0, 0, 5])).await.status, StatusCode::TOO_MANY_REQUESTS);
}
