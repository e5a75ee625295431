//! The HTTP application in process (`oneshot`), on a demo store.
#![allow(clippy::unwrap_used)] // a failed expectation panics: that is how a test fails

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use motcua_app::{App, AppConfig, FixedClock};
use motcua_demo::DEMO_PASSWORD;
use motcua_testkit::fixtures::instant;
use motcua_testkit::{TestStore, test_store};
use serde_json::{Value, json};
use tower::ServiceExt;

mod security;

struct TestApp {
    router: Router,
    app: App,
    store: TestStore,
}

async fn test_app() -> TestApp {
    test_app_with(Arc::new(FixedClock(instant(2026, 11, 27, 3))), AppConfig::default()).await
}

/// A demo application on a fresh store, with its clock and settings.
async fn test_app_with(clock: Arc<dyn motcua_app::Clock>, config: AppConfig) -> TestApp {
    let ts = test_store().await;
    let app = App::new(ts.store.clone(), clock, config);
    motcua_demo::load(&app).await.unwrap();
    let router = motcua_web::router(motcua_web::AppState { app: app.clone(), secure_cookies: false });
    TestApp { router, app, store: ts }
}

struct Resp {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
    raw: Vec<u8>,
}

impl Resp {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

impl TestApp {
    async fn send(&self, req: Request<Body>) -> Resp {
        let r = self.router.clone().oneshot(req).await.unwrap();
        let status = r.status();
        let headers = r.headers().clone();
        let bytes = r.into_body().collect().await.unwrap().to_bytes();
        Resp { status, headers, body: String::from_utf8_lossy(&bytes).into_owned(), raw: bytes.to_vec() }
    }
    async fn get(&self, uri: &str) -> Resp {
        self.send(Request::get(uri).body(Body::empty()).unwrap()).await
    }
    async fn post_json(&self, uri: &str, token: Option<&str>, body: Value) -> Resp {
        let mut b = Request::post(uri).header(header::CONTENT_TYPE, "application/json");
        if let Some(t) = token {
            b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        self.send(b.body(Body::from(body.to_string())).unwrap()).await
    }
    async fn token(&self, user: &str) -> String {
        let r = self.post_json("/api/v1/auth/token", None, json!({"username": user, "password": DEMO_PASSWORD})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json()["token"].as_str().unwrap().to_owned()
    }
}

#[tokio::test]
async fn catalog_api_search_and_read() {
    let t = test_app().await;
    let r = t.get("/api/v1/procedures?q=dang%20ky%20khai%20sinh&per_page=5").await;
    assert_eq!(r.status, StatusCode::OK);
    let j = r.json();
    assert_eq!(j["items"][0]["code"], "1.001193");
    assert!(j["total"].as_u64().unwrap() >= 3);
    assert!(r.headers.contains_key("x-request-id"));

    let r = t.get("/api/v1/procedures?field=H%E1%BB%99%20t%E1%BB%8Bch&level=commune&per_page=100").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.json()["items"].as_array().unwrap().iter().all(|i| i["field"] == "Hộ tịch"));

    let r = t.get("/api/v1/procedures/1.001193").await;
    assert_eq!(r.status, StatusCode::OK);
    let j = r.json();
    assert_eq!(j["version"]["name"], "Thủ tục đăng ký khai sinh");
    assert_eq!(j["version"]["time_limit"]["unit"], "unspecified");

    let r = t.get("/api/v1/procedures/1.001193?at=2024-01-01").await;
    assert_eq!((r.status, r.json()["code"].clone()), (StatusCode::NOT_FOUND, json!("not_found")));
    let r = t.get("/api/v1/procedures/khai-sinh").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["code"], "invalid_procedure_code");
    assert_eq!(r.json()["field"], "code");
    let r = t.get("/api/v1/procedures?per_page=500").await;
    assert_eq!((r.status, r.json()["field"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("per_page")));
    let r = t.get("/api/v1/procedures/1.001193/versions/abc").await;
    assert_eq!((r.status, r.json()["code"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("invalid_path")));
    let r = t.get("/api/v1/procedures?level=galaxy").await;
    assert_eq!((r.status, r.json()["code"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("invalid_query")));
}

#[tokio::test]
async fn map_api() {
    let t = test_app().await;
    let r = t.get("/api/v1/units/HD-296-01").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["current"][0]["unit"]["name"], "Xã Kẻ Sặt");
    let r = t.get("/api/v1/units?level=district").await;
    assert_eq!(r.json().as_array().unwrap().len(), 12, "the twelve district-level units of 2024");
    let r = t.get("/api/v1/units?level=district&at=2026-01-01").await;
    assert_eq!(r.json().as_array().unwrap().len(), 0, "no district level after 1 July 2025");
    let r = t.get("/api/v1/agencies?kind=department&at=2024-06-01").await;
    let names: Vec<String> =
        r.json().as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap().to_owned()).collect();
    assert!(names.iter().any(|n| n == "Sở Kế hoạch và Đầu tư tỉnh Hải Dương"));
    assert!(names.iter().all(|n| !n.contains("Hải Phòng")));
}

#[tokio::test]
async fn auth_and_admin_changes_through_the_api() {
    let t = test_app().await;
    let r = t.post_json("/api/v1/auth/token", None, json!({"username": "admin", "password": "sai"})).await;
    assert_eq!((r.status, r.json()["code"].clone()), (StatusCode::UNAUTHORIZED, json!("unauthenticated")));
    let r = t.post_json("/api/v1/auth/token", None, json!({"user": "admin"})).await;
    assert_eq!((r.status, r.json()["code"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("invalid_json")));

    let admin = t.token("admin").await;
    let specialist = t.token("chuyenvien").await;
    let me = t
        .send(
            Request::get("/api/v1/me").header("authorization", format!("Bearer {admin}")).body(Body::empty()).unwrap(),
        )
        .await;
    assert_eq!(me.json()["role"], "admin");

    let current = t.get("/api/v1/procedures/2.000908").await.json();
    let mut content = current["version"].clone();
    for k in ["number", "status", "decision_no", "decision_date", "effective_from", "effective_to"] {
        content.as_object_mut().unwrap().remove(k);
    }
    content["name"] = json!("Cấp bản sao từ sổ gốc (sửa đổi 2026)");
    let body = json!({"revision": current["revision"], "content": content});

    let r = t.post_json("/api/v1/procedures/2.000908/versions", None, body.clone()).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = t.post_json("/api/v1/procedures/2.000908/versions", Some(&specialist), body.clone()).await;
    assert_eq!((r.status, r.json()["code"].clone()), (StatusCode::FORBIDDEN, json!("forbidden")));
    let r = t.post_json("/api/v1/procedures/2.000908/versions", Some(&admin), body.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let draft = r.json();
    assert_eq!(draft["version"]["status"], "draft");
    let r = t.post_json("/api/v1/procedures/2.000908/versions", Some(&admin), body).await;
    assert_eq!((r.status, r.json()["code"].clone()), (StatusCode::CONFLICT, json!("stale")));

    let r = t.get("/api/v1/procedures/2.000908/versions/2").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "drafts are not public");

    let publish = json!({"revision": draft["revision"], "decision_no": "20/QĐ-UBND", "decision_date": "2026-11-25", "effective_from": "2026-11-27"});
    let r = t.post_json("/api/v1/procedures/2.000908/publish", Some(&admin), publish).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let now = t.get("/api/v1/procedures/2.000908").await.json();
    assert_eq!(now["version"]["number"], 2);
    assert_eq!(now["version"]["name"], "Cấp bản sao từ sổ gốc (sửa đổi 2026)");
    let before = t.get("/api/v1/procedures/2.000908?at=2026-11-26").await.json();
    assert_eq!(before["version"]["number"], 1);

    // Import fails whole and names the record; export is admin-only and re-imports unchanged.
    let r = t.post_json("/api/v1/procedures/import", Some(&admin), json!([{"code": "1.1", "versions": []}])).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = t.get("/api/v1/procedures/export").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let exported = t
        .send(
            Request::get("/api/v1/procedures/export")
                .header("authorization", format!("Bearer {admin}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .json();
    assert_eq!(exported.as_array().unwrap().len(), 112);
    let r = t.post_json("/api/v1/procedures/import", Some(&admin), exported).await;
    assert_eq!(r.json()["unchanged"], 112, "{}", r.body);
}

#[tokio::test]
async fn pages_render_in_vietnamese_and_refuse_cross_site_posts() {
    let t = test_app().await;
    let r = t.get("/thu-tuc?q=khai+sinh").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Thủ tục đăng ký khai sinh"));
    assert!(r.body.contains("<html lang=\"vi\">"));
    let r = t.get("/thu-tuc/1.001193").await;
    assert!(r.body.contains("Thành phần hồ sơ") && r.body.contains("Giấy khai sinh"));
    let r = t.get("/thu-tuc/9.999999").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("Không tìm thấy"));
    let r = t.get("/khong-co-trang-nay").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    let form = format!("username=admin&password={DEMO_PASSWORD}&next=%2Fthu-tuc");
    let login = |site: &'static str| {
        Request::post("/dang-nhap")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("sec-fetch-site", site)
            .body(Body::from(form.clone()))
            .unwrap()
    };
    let r = t.send(login("cross-site")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "cross-site form posts are refused");
    let r = t.send(login("same-origin")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let cookie = r.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
    let session = cookie.split(';').next().unwrap().to_owned();
    let r = t
        .send(Request::get("/quan-tri/thu-tuc/1.001193").header(header::COOKIE, &session).body(Body::empty()).unwrap())
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Cần rà soát"), "the unit-less time limit is flagged for the admin");
    let r = t.get("/quan-tri/thu-tuc/1.001193").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "anonymous users are sent to the login page");
}

#[tokio::test]
async fn health_and_openapi_document() {
    let t = test_app().await;
    assert_eq!(t.get("/healthz").await.status, StatusCode::OK);
    assert_eq!(t.get("/readyz").await.body, "ready");
    let doc = t.get("/api/openapi.json").await.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths: Vec<&str> = doc["paths"].as_object().unwrap().keys().map(String::as_str).collect();
    for p in [
        "/api/v1/procedures",
        "/api/v1/procedures/{code}",
        "/api/v1/units",
        "/api/v1/agencies",
        "/api/v1/auth/token",
        "/api/v1/dossiers/{code}/documents",
        "/api/v1/dossiers/{code}/documents/{id}",
        "/api/v1/dossiers/{code}/notices",
        "/api/v1/outbox",
    ] {
        assert!(paths.contains(&p), "{p} missing from {paths:?}");
    }
    // Every documented GET without path parameters answers JSON.
    for p in paths.iter().filter(|p| !p.contains('{')) {
        if doc["paths"][*p].get("get").is_some() {
            let r = t.get(p).await;
            assert!(r.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("application/json"), "{p}");
        }
    }
}

#[tokio::test]
async fn calendar_page_shows_and_edits_a_year() {
    let t = test_app().await;
    let r = t.get("/lich-lam-viec/2025").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Lịch nghỉ đã công bố") && r.body.contains("6150/TB-BLĐTBXH"));
    let r = t.get("/lich-lam-viec/2027").await;
    assert!(r.body.contains("Mặc định theo Bộ luật Lao động"));
    assert!(!r.body.contains("Sửa lịch nghỉ"), "only admins see the editor");

    let session = cookie_of(&t, "admin").await;
    let post = |body: &str| {
        Request::post("/lich-lam-viec/2027")
            .header(header::COOKIE, &session)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!(
                "days={}",
                body.replace(' ', "+").replace('|', "%7C").replace('/', "%2F").replace('\n', "%0A")
            )))
            .unwrap()
    };
    let r = t.send(post("05/02/2027 | nghi le | Tet")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "unknown kind");
    assert!(r.body.contains("Dòng 1"));
    let r = t.send(post("05/02/2027 | làm bù | Tết")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a make-up day must be a weekend day");
    let r = t.send(post("05/02/2027 | nghỉ lễ | Tết Nguyên đán | TB 1/TB-BNV")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let days = t.get("/api/v1/calendar/holidays/2027").await.json();
    assert_eq!(days.as_array().unwrap().len(), 1);
    assert_eq!(days[0]["source"], "TB 1/TB-BNV");
}

#[tokio::test]
async fn dossier_intake_read_and_track_through_the_api() {
    let t = test_app().await;
    let desk = t.token("motcua").await;
    let body = json!({
        "procedure": "2.000908",
        "channel": "counter",
        "applicant": {"kind": "citizen", "id": "031095001234", "name": "Vũ Minh Anh", "phone": "0912345678"}
    });
    let r = t.post_json("/api/v1/dossiers", Some(&desk), body.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let d = r.json();
    let code = d["code"].as_str().unwrap().to_owned();
    assert_eq!(code, "H24.02-261127-0001");
    assert_eq!(d["workflow"]["state"], "accepted");
    assert_eq!(d["workflow"]["due_original"], "2026-11-30T17:30:00+07:00");

    let r = t.post_json("/api/v1/dossiers", None, body.clone()).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let mut bad = body.clone();
    bad["applicant"]["id"] = json!("12345");
    let r = t.post_json("/api/v1/dossiers", Some(&desk), bad).await;
    assert_eq!(
        (r.status, r.json()["field"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("applicant.citizen_id"))
    );

    let specialist = t.token("chuyenvien").await;
    let get = |uri: String, token: &str| {
        Request::get(uri).header("authorization", format!("Bearer {token}")).body(Body::empty()).unwrap()
    };
    let r = t.send(get(format!("/api/v1/dossiers/{code}"), &specialist)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!((r.json()["national_status"].clone(), r.json()["timeliness"].clone()), (json!(2), json!("on_time")));
    let r = t.send(get(format!("/api/v1/dossiers/{code}/events"), &specialist)).await;
    assert_eq!(r.json()[0]["command"], "accept");
    let citizen = t.token("congdan").await;
    assert_eq!(t.send(get(format!("/api/v1/dossiers/{code}"), &citizen)).await.status, StatusCode::FORBIDDEN);

    let r = t.get(&format!("/api/v1/track/{code}?phone=5678")).await;
    assert_eq!((r.status, r.json()["national_status"].clone()), (StatusCode::OK, json!(2)));
    assert!(r.json().get("applicant").is_none(), "the public lookup shows status and appointment only");
    assert_eq!(t.get(&format!("/api/v1/track/{code}?phone=1111")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(t.get("/api/v1/track/not-a-code?phone=1111").await.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn dossier_commands_through_the_api() {
    let t = test_app().await;
    let desk = t.token("motcua").await;
    let specialist = t.token("chuyenvien").await;
    let body = json!({"procedure": "2.000908", "channel": "counter",
        "applicant": {"kind": "citizen", "id": "031095001234", "name": "Vũ Minh Anh", "phone": "0912345678"}});
    let d = t.post_json("/api/v1/dossiers", Some(&desk), body).await.json();
    let code = d["code"].as_str().unwrap().to_owned();
    let r = t
        .post_json(
            &format!("/api/v1/dossiers/{code}/transfer"),
            Some(&desk),
            json!({"revision": 1, "agency": "H24.11"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = t
        .post_json(
            &format!("/api/v1/dossiers/{code}/assign"),
            Some(&specialist),
            json!({"revision": 1, "handler": "cv"}),
        )
        .await;
    assert_eq!((r.status, r.json()["code"].clone()), (StatusCode::CONFLICT, json!("stale")));
    let r = t
        .post_json(
            &format!("/api/v1/dossiers/{code}/resolve"),
            Some(&desk),
            json!({"revision": 2, "outcome": "granted"}),
        )
        .await;
    assert_eq!((r.status, r.json()["code"].clone()), (StatusCode::FORBIDDEN, json!("forbidden")));
    let r = t.post_json(&format!("/api/v1/dossiers/{code}/fly"), Some(&specialist), json!({"revision": 2})).await;
    assert_eq!((r.status, r.json()["code"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("invalid_command")));
    let r = t
        .post_json(
            &format!("/api/v1/dossiers/{code}/return"),
            Some(&desk),
            json!({"revision": 2, "collected_by": "A", "method": "counter"}),
        )
        .await;
    assert_eq!(
        (r.status, r.json()["code"].clone()),
        (StatusCode::CONFLICT, json!("command_not_allowed")),
        "not resolved yet"
    );
    let r = t
        .post_json(
            &format!("/api/v1/dossiers/{code}/resolve"),
            Some(&specialist),
            json!({"revision": 2, "outcome": "granted"}),
        )
        .await;
    assert_eq!((r.status, r.json()["workflow"]["state"].clone()), (StatusCode::OK, json!("resolved")));
}

#[tokio::test]
async fn a_repeated_post_with_an_idempotency_key_returns_the_first_answer() {
    let t = test_app().await;
    let desk = t.token("motcua").await;
    let body = json!({"procedure": "2.000908", "channel": "counter",
        "applicant": {"kind": "citizen", "id": "031095001234", "name": "Vũ Minh Anh", "phone": "0912345678"}});
    let post = |uri: &str, key: &str, body: &Value| {
        Request::post(uri.to_owned())
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::AUTHORIZATION, format!("Bearer {desk}"))
            .header("idempotency-key", key)
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let first = t.send(post("/api/v1/dossiers", "k-1", &body)).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let again = t.send(post("/api/v1/dossiers", "k-1", &body)).await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(again.headers.get("idempotency-replayed").map(|v| v.to_str().unwrap()), Some("true"));
    assert_eq!(again.json()["code"], first.json()["code"]);
    let get = Request::get("/api/v1/dossiers")
        .header(header::AUTHORIZATION, format!("Bearer {desk}"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(t.send(get).await.json()["total"], 1, "the intake ran once");
    let other = t
        .send(post(
            &format!("/api/v1/dossiers/{}/transfer", first.json()["code"].as_str().unwrap()),
            "k-1",
            &json!({"revision": 1, "agency": "H24.11"}),
        ))
        .await;
    assert_eq!(
        (other.status, other.json()["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("idempotency_key_reused"))
    );
    let second = t.send(post("/api/v1/dossiers", "k-2", &body)).await;
    assert_ne!(second.json()["code"], first.json()["code"], "a new key is a new request");
}

async fn cookie_of(t: &TestApp, user: &str) -> String {
    let form = format!("username={user}&password={DEMO_PASSWORD}");
    let r = t
        .send(
            Request::post("/dang-nhap")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(form))
                .unwrap(),
        )
        .await;
    r.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().split(';').next().unwrap().to_owned()
}

fn form_post(uri: &str, cookie: &str, body: &str) -> Request<Body> {
    Request::post(uri.to_owned())
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body.to_owned()))
        .unwrap()
}

#[tokio::test]
async fn counter_pages_from_intake_to_return() {
    let t = test_app().await;
    let desk = cookie_of(&t, "motcua").await;
    let specialist = cookie_of(&t, "chuyenvien").await;
    let page = |uri: &str, c: &str| Request::get(uri.to_owned()).header(header::COOKIE, c).body(Body::empty()).unwrap();
    let r = t.send(page("/mot-cua/tiep-nhan?procedure=2.000908", &desk)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Kiểm tra thành phần hồ sơ"));
    let n = r.body.matches("name=\"received\"").count();
    assert!(n > 0);
    let applicant =
        "procedure=2.000908&kind=citizen&id=031095001234&name=V%C5%A9+Minh+Anh&phone=0912345678&channel=counter";
    // A component missing: guidance to complete, no dossier.
    let r = t.send(form_post("/mot-cua/tiep-nhan", &desk, applicant)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("hướng dẫn hoàn thiện một lần"));
    let all: String = (0..n).map(|i| format!("&received={i}")).collect();
    let r = t.send(form_post("/mot-cua/tiep-nhan", &desk, &format!("{applicant}{all}"))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let location = r.headers[header::LOCATION].to_str().unwrap().to_owned();
    assert_eq!(location, "/ho-so/H24.02-261127-0001");
    let r = t.send(page(&location, &desk)).await;
    assert!(r.body.contains("Chuyển cơ quan giải quyết") && r.body.contains("Được tiếp nhận"));
    let q = t.send(page("/ho-so", &desk)).await;
    assert!(q.body.contains("H24.02-261127-0001"));
    let step = |c: &str, action: &str, rev: u32, extra: &str| {
        form_post(&format!("{location}/{action}"), c, &format!("revision={rev}{extra}"))
    };
    assert_eq!(t.send(step(&desk, "transfer", 1, "&agency=H24.11")).await.status, StatusCode::SEE_OTHER);
    assert_eq!(t.send(step(&specialist, "assign", 2, "&text=chuyenvien")).await.status, StatusCode::SEE_OTHER);
    let stale = t.send(step(&specialist, "complete_step", 2, "&text=x")).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains("tải lại trang"));
    assert_eq!(t.send(step(&specialist, "resolve", 3, "&outcome=granted")).await.status, StatusCode::SEE_OTHER);
    assert_eq!(t.send(step(&desk, "return", 4, "&text=V%C5%A9+Minh+Anh")).await.status, StatusCode::SEE_OTHER);
    let r = t.send(page(&location, &specialist)).await;
    assert!(r.body.contains("Đã trả kết quả"), "{}", r.body);
    assert_eq!(r.body.matches("<li><strong>").count(), 5, "five hand-offs on the timeline");
}

#[tokio::test]
async fn printed_forms_follow_the_dossier_form_set() {
    let t = test_app().await;
    let desk = t.token("motcua").await;
    let body = json!({"procedure": "2.000908", "channel": "counter",
        "applicant": {"kind": "citizen", "id": "031095001234", "name": "Vũ Minh Anh", "phone": "0912345678", "address": "Xã Kẻ Sặt"}});
    let d = t.post_json("/api/v1/dossiers", Some(&desk), body).await.json();
    assert_eq!(d["form_set"], "tt03_2025", "received in 2026: the 2025 form set");
    let code = d["code"].as_str().unwrap();
    let get = |uri: String, accept: &str| {
        Request::get(uri)
            .header("authorization", format!("Bearer {desk}"))
            .header(header::ACCEPT, accept)
            .body(Body::empty())
            .unwrap()
    };
    let r = t.send(get(format!("/api/v1/dossiers/{code}/forms/01"), "text/html")).await;
    assert_eq!(r.status, StatusCode::OK);
    for expected in [
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "<b>Mã hồ sơ: H24.02-261127-0001</b>",
        "Vũ Minh Anh",
        "Xã Kẻ Sặt",
        "Thông tư 03/2025/TT-VPCP",
        "4. Thời gian nhận hồ sơ: 10 giờ 00 phút, ngày 27 tháng 11 năm 2026",
        "5. Thời gian trả kết quả giải quyết hồ sơ: <b>17 giờ 30 phút, ngày 30 tháng 11 năm 2026</b>",
        "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG THÀNH PHỐ HẢI PHÒNG",
        "size: A5",
    ] {
        assert!(r.body.contains(expected), "missing {expected:?}");
    }
    let r = t.send(get(format!("/api/v1/dossiers/{code}/forms/06"), "text/html")).await;
    assert!(r.body.contains("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"));
    assert!(r.body.contains("Trước hạn"), "the intake happened before the appointment day");
    assert!(r.body.contains("size: A4"));
    let r = t.send(get(format!("/api/v1/dossiers/{code}/forms/05"), "text/html")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "05 is the control sheet of the 2018 set only");
    let r = t.send(get(format!("/api/v1/dossiers/{code}/forms/01"), "application/pdf")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers[header::CONTENT_TYPE], "application/pdf");
    assert!(r.raw.starts_with(b"%PDF-"));
    assert_pdf_text(&r.raw, &["GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "Vũ Minh Anh", "H24.02-261127-0001"]);
    let r = t.send(get(format!("/api/v1/dossiers/{code}/forms/01"), "image/png")).await;
    assert_eq!(r.status, StatusCode::NOT_ACCEPTABLE);
    assert_eq!(r.json()["code"], "not_acceptable");
    // The document model of each form against its golden file.
    for form in ["01", "06", "07"] {
        let r = t.send(get(format!("/api/v1/dossiers/{code}/forms/{form}"), "application/json")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        golden(&format!("tt03-{form}.json"), &r.json());
    }
    // The desk's tracking book over a period, and who may read it.
    let book = |token: &str, query: &str| {
        Request::get(format!("/api/v1/desks/H24.02/tracking-book?{query}"))
            .header("authorization", format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap()
    };
    let r = t.send(book(&desk, "from=2026-11-01&to=2026-11-30")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("SỔ THEO DÕI HỒ SƠ") && r.body.contains(code) && r.body.contains("Mẫu số 07"));
    let r = t.send(book(&desk, "from=2026-10-01&to=2026-10-31")).await;
    assert!(!r.body.contains(code), "received in November, not in October's book");
    let r = t.send(book(&desk, "from=2026-11-30&to=2026-11-01")).await;
    assert_eq!((r.status, r.json()["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_period")));
    let r = t.send(book(&desk, "format=pdf")).await;
    assert_eq!(r.headers[header::CONTENT_TYPE], "application/pdf");
    assert_pdf_text(&r.raw, &["SỔ THEO DÕI HỒ SƠ", code]);
    let specialist = t.token("chuyenvien").await;
    assert_eq!(t.send(book(&specialist, "")).await.status, StatusCode::FORBIDDEN);
    // The public lookup the QR code leads to.
    let r = t.get(&format!("/tra-cuu?ma={code}&so=5678")).await;
    assert!(r.body.contains("Được tiếp nhận") && r.body.contains("17:30 ngày 30/11/2026"), "{}", r.body);
    let r = t.get(&format!("/tra-cuu?ma={code}&so=0000")).await;
    assert!(r.body.contains("Không tìm thấy") && !r.body.contains("Được tiếp nhận"));
}

/// Compare with `tests/golden/NAME` (rewrite it with `MOTCUA_UPDATE_GOLDEN=1`).
fn golden(name: &str, got: &Value) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(name);
    let text = serde_json::to_string_pretty(got).unwrap() + "\n";
    if std::env::var_os("MOTCUA_UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &text).unwrap();
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(text, want, "{name} differs from its golden file");
}

/// The text `pdftotext` reads back holds each expected string (poppler-utils; `.ci/run` sets
/// `MOTCUA_REQUIRE_PDF_TOOLS` so that a missing tool fails).
fn assert_pdf_text(pdf: &[u8], expected: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.pdf");
    std::fs::write(&path, pdf).unwrap();
    match std::process::Command::new("pdftotext").arg(&path).arg("-").output() {
        Ok(out) => {
            let text = String::from_utf8(out.stdout).unwrap();
            for e in expected {
                assert!(text.contains(e), "{e:?} not in the PDF text:\n{text}");
            }
        }
        Err(e) => assert!(std::env::var_os("MOTCUA_REQUIRE_PDF_TOOLS").is_none(), "pdftotext: {e}"),
    }
}

#[tokio::test]
async fn supplement_and_apology_letters() {
    let t = test_app().await;
    let desk = t.token("motcua").await;
    let specialist = t.token("chuyenvien").await;
    let body = json!({"procedure": "2.000908", "channel": "counter",
        "applicant": {"kind": "citizen", "id": "031095001234", "name": "Vũ Minh Anh", "phone": "0912345678"}});
    let code = t.post_json("/api/v1/dossiers", Some(&desk), body).await.json()["code"].as_str().unwrap().to_owned();
    let url = |c: &str| format!("/api/v1/dossiers/{code}/{c}");
    t.post_json(&url("transfer"), Some(&desk), json!({"revision": 1, "agency": "H24.11"})).await;
    let r = t
        .post_json(
            &url("request_supplement"),
            Some(&specialist),
            json!({"revision": 2, "items": ["Bản sao sổ hộ khẩu"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    t.post_json(&url("supplement_provided"), Some(&desk), json!({"revision": 3})).await;
    let r = t
        .post_json(
            &url("apologise"),
            Some(&specialist),
            json!({"revision": 4, "new_due": "2026-12-10T17:30:00+07:00", "reason": "Chờ xác minh"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let get = |uri: String| {
        Request::get(uri).header("authorization", format!("Bearer {specialist}")).body(Body::empty()).unwrap()
    };
    let f02 = t.send(get(url("forms/02"))).await;
    assert!(
        f02.body.contains("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ") && f02.body.contains("Bản sao sổ hộ khẩu"),
        "{}",
        f02.body
    );
    let f04 = t.send(get(url("forms/04"))).await;
    for expected in [
        "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN",
        "Chờ xác minh",
        "17 giờ 30 phút, ngày 10 tháng 12 năm 2026",
        "17 giờ 30 phút, ngày 30 tháng 11 năm 2026",
        "SỞ TƯ PHÁP THÀNH PHỐ HẢI PHÒNG",
    ] {
        assert!(f04.body.contains(expected), "missing {expected:?}");
    }
    assert_eq!(t.send(get(url("forms/05"))).await.status, StatusCode::NOT_FOUND, "not stopped: no stop notice");
}

#[tokio::test]
async fn online_dossier_from_submission_to_the_desk_check() {
    let t = test_app().await;
    let citizen = t.token("congdan").await;
    let desk = t.token("motcua").await;
    let online = |channel: &str| {
        json!({"procedure": "2.000908", "channel": channel, "desk": "H24.02",
            "applicant": {"kind": "citizen", "id": "031095001234", "name": "Vũ Minh Anh", "phone": "0912345678"}})
    };
    // A citizen files online only.
    let r = t.post_json("/api/v1/dossiers", Some(&citizen), online("counter")).await;
    assert_eq!((r.status, r.json()["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("channel_not_allowed")));
    let r = t.post_json("/api/v1/dossiers", Some(&citizen), online("online")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let d = r.json();
    let code = d["code"].as_str().unwrap().to_owned();
    assert_eq!(d["workflow"]["state"], "submitted");
    assert!(d["workflow"]["due_original"].is_null(), "no appointment before the desk's check");
    let get = |uri: String, token: &str| {
        Request::get(uri).header("authorization", format!("Bearer {token}")).body(Body::empty()).unwrap()
    };
    // The citizen reads and lists their own dossier; its national status is 1.
    let r = t.send(get(format!("/api/v1/dossiers/{code}"), &citizen)).await;
    assert_eq!((r.status, r.json()["national_status"].as_u64()), (StatusCode::OK, Some(1)));
    let r = t.send(get("/api/v1/dossiers".into(), &citizen)).await;
    assert_eq!(r.json()["total"], 1);
    // The desk's check is the desk's: a citizen cannot accept their own dossier.
    let url = |c: &str| format!("/api/v1/dossiers/{code}/{c}");
    let r = t.post_json(&url("accept"), Some(&citizen), json!({"revision": 1})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t.post_json(&url("request_completion"), Some(&desk), json!({"revision": 1, "items": [" "]})).await;
    assert_eq!((r.status, r.json()["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("items")));
    let r = t
        .post_json(
            &url("request_completion"),
            Some(&desk),
            json!({"revision": 1, "items": ["Thiếu bản sao giấy khai sinh"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = t.send(get(format!("/api/v1/dossiers/{code}/forms/02"), &desk)).await;
    assert!(r.body.contains("PHIẾU YÊU CẦU BỔ SUNG") && r.body.contains("Thiếu bản sao giấy khai sinh"));
    // Accepted at the desk's check: the appointment counts from now, as at the counter (Fri
    // 27/11 10:00 → Mon 30/11 17:30).
    let r = t.post_json(&url("accept"), Some(&desk), json!({"revision": 2})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["workflow"]["due_original"], "2026-11-30T17:30:00+07:00");
    // A second online dossier is refused; Mẫu 03 prints the reasons.
    let code2 = t.post_json("/api/v1/dossiers", Some(&citizen), online("online")).await.json()["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = t
        .post_json(
            &format!("/api/v1/dossiers/{code2}/refuse"),
            Some(&desk),
            json!({"revision": 1, "reasons": ["Không thuộc thẩm quyền giải quyết"]}),
        )
        .await;
    assert_eq!(r.json()["workflow"]["state"], "refused");
    let r = t.send(get(format!("/api/v1/dossiers/{code2}/forms/03"), &desk)).await;
    assert!(r.body.contains("PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ") && r.body.contains("Không thuộc thẩm quyền"));
    // Another account's dossier stays closed to this citizen.
    let counter = t
        .post_json(
            "/api/v1/dossiers",
            Some(&desk),
            json!({"procedure": "2.000908", "channel": "counter",
                "applicant": {"kind": "citizen", "id": "031095001234", "name": "Vũ Minh Anh"}}),
        )
        .await
        .json();
    let r = t.send(get(format!("/api/v1/dossiers/{}", counter["code"].as_str().unwrap()), &citizen)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(t.send(get("/api/v1/dossiers?finished=true".into(), &citizen)).await.json()["total"], 2);
    assert_eq!(
        t.send(get("/api/v1/dossiers".into(), &citizen)).await.json()["total"],
        1,
        "the refused one is finished"
    );
}

#[tokio::test]
async fn a_citizen_files_online_and_the_desk_checks_it_on_the_pages() {
    let t = test_app().await;
    let citizen = cookie_of(&t, "congdan").await;
    let desk = cookie_of(&t, "motcua").await;
    let page = |uri: &str, c: &str| Request::get(uri.to_owned()).header(header::COOKIE, c).body(Body::empty()).unwrap();
    let r = t.send(page("/mot-cua/tiep-nhan?procedure=2.000908", &citizen)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Nộp hồ sơ trực tuyến") && r.body.contains("value=\"H24.02\""), "{}", r.body);
    let n = r.body.matches("name=\"received\"").count();
    let all: String = (0..n).map(|i| format!("&received={i}")).collect();
    let body = format!(
        "procedure=2.000908&kind=citizen&id=031095001234&name=V%C5%A9+Minh+Anh&phone=0912345678&desk=H24.02&channel=counter{all}"
    );
    let r = t.send(form_post("/mot-cua/tiep-nhan", &citizen, &body)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let location = r.headers[header::LOCATION].to_str().unwrap().to_owned();
    let r = t.send(page(&location, &citizen)).await;
    assert!(r.body.contains("Mới đăng ký") && r.body.contains("Rút hồ sơ"), "{}", r.body);
    assert!(t.send(page("/ho-so", &citizen)).await.body.contains(&location["/ho-so/".len()..]));
    let r = t.send(page(&location, &desk)).await;
    assert!(r.body.contains("Từ chối tiếp nhận (Mẫu 03)") && r.body.contains("Yêu cầu hoàn thiện (Mẫu 02)"));
    let r = t.send(form_post(&format!("{location}/accept"), &desk, "revision=1")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = t.send(page(&location, &citizen)).await;
    assert!(r.body.contains("Được tiếp nhận") && r.body.contains("17:30 30/11/2026"), "{}", r.body);
    // Printed-form pages fail as Vietnamese pages, not JSON.
    let r = t.send(page("/mot-cua/so-theo-doi/H24.02", &citizen)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("<html") && r.body.contains("Sổ theo dõi hồ sơ chỉ dành cho bộ phận một cửa"));
    let r = t.send(page(&format!("{location}/mau/09"), &desk)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("<html") && r.body.contains("Không tìm thấy mẫu 09"), "{}", r.body);
    let r = t.send(page(&format!("{location}/mau/01/pdf"), &citizen)).await;
    assert_eq!(r.headers[header::CONTENT_TYPE], "application/pdf", "the citizen prints their own receipt");
}

#[tokio::test]
async fn notices_to_the_applicant_are_listed_per_dossier_and_in_the_outbox() {
    let t = test_app().await;
    let desk = t.token("motcua").await;
    let body = json!({
        "procedure": "2.000908",
        "channel": "counter",
        "applicant": {"kind": "citizen", "id": "031095001234", "name": "Vũ Minh Anh", "phone": "0912345678",
            "email": "anh@example.vn"}
    });
    let r = t.post_json("/api/v1/dossiers", Some(&desk), body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let code = r.json()["code"].as_str().unwrap().to_owned();
    let get = |uri: String, token: &str| {
        Request::get(uri).header("authorization", format!("Bearer {token}")).body(Body::empty()).unwrap()
    };

    // Written with the intake: an e-mail and an SMS, waiting for the worker.
    let r = t.send(get(format!("/api/v1/dossiers/{code}/notices"), &desk)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let n = r.json();
    let mut channels: Vec<&str> = n.as_array().unwrap().iter().map(|m| m["channel"].as_str().unwrap()).collect();
    channels.sort();
    assert_eq!(channels, vec!["email", "sms"]);
    assert!(n.as_array().unwrap().iter().all(|m| m["state"] == "pending" && m["dossier"] == json!(code)));
    let mail = n.as_array().unwrap().iter().find(|m| m["channel"] == "email").unwrap();
    assert_eq!(mail["subject"], format!("Hồ sơ {code}: Được tiếp nhận"));
    assert!(mail["body"].as_str().unwrap().contains("Hẹn trả kết quả: 17:30 ngày 30/11/2026"), "{}", mail["body"]);
    // Another citizen may not read them.
    let citizen = t.token("congdan").await;
    assert_eq!(t.send(get(format!("/api/v1/dossiers/{code}/notices"), &citizen)).await.status, StatusCode::FORBIDDEN);

    // The office's view: administrators only.
    assert_eq!(t.send(get("/api/v1/outbox".into(), &desk)).await.status, StatusCode::FORBIDDEN);
    let admin = t.token("admin").await;
    let r = t.send(get("/api/v1/outbox?state=pending".into(), &admin)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["messages"].as_array().unwrap().len(), 2);
    assert!(r.json()["counts"].as_array().unwrap().iter().any(|c| c["channel"] == "sms" && c["count"] == 1));
    assert_eq!(t.send(get("/api/v1/outbox?state=lost".into(), &admin)).await.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The pages.
    let cookie = cookie_of(&t, "motcua").await;
    let page = t
        .send(Request::get(format!("/ho-so/{code}")).header(header::COOKIE, &cookie).body(Body::empty()).unwrap())
        .await;
    assert!(page.body.contains("Thông báo cho người nộp") && page.body.contains("anh@example.vn"), "{}", page.body);
    assert!(page.body.contains("Chờ gửi"));
    let admin_cookie = cookie_of(&t, "admin").await;
    let page = t
        .send(Request::get("/quan-tri/thong-bao").header(header::COOKIE, &admin_cookie).body(Body::empty()).unwrap())
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&format!("/ho-so/{code}")) && page.body.contains("Tin nhắn SMS"), "{}", page.body);
    let page =
        t.send(Request::get("/quan-tri/thong-bao").header(header::COOKIE, &cookie).body(Body::empty()).unwrap()).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
}

fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> (String, Vec<u8>) {
    let boundary = "----motcua-test-boundary";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes());
    }
    if let Some((name, bytes)) = file {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .as_bytes(),
        );
        body.extend(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn files_are_attached_listed_and_downloaded() {
    let t = test_app().await;
    let desk = t.token("motcua").await;
    let body = json!({"procedure": "2.000908", "channel": "counter",
        "applicant": {"kind": "citizen", "id": "031095001234", "name": "Vũ Minh Anh"}});
    let code = t.post_json("/api/v1/dossiers", Some(&desk), body).await.json()["code"].as_str().unwrap().to_owned();
    let pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << >> endobj\n%%EOF\n";
    let post = |token: &str, fields: &[(&str, &str)], file: Option<(&str, &[u8])>| {
        let (ct, body) = multipart(fields, file);
        Request::post(format!("/api/v1/dossiers/{code}/documents"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, ct)
            .body(Body::from(body))
            .unwrap()
    };
    let r = t
        .send(post(&desk, &[("kind", "component"), ("name", "Tờ khai đăng ký khai sinh")], Some(("Tờ khai.pdf", pdf))))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let doc = r.json();
    assert_eq!((doc["source"].clone(), doc["file_name"].clone()), (json!("scan"), json!("Tờ khai.pdf")));
    assert!(doc.get("storage_key").is_none(), "where the bytes live is not shown");
    // Refused: not a PDF/PNG/JPEG, no file, an unknown kind.
    let r = t.send(post(&desk, &[("kind", "component"), ("name", "x")], Some(("a.exe", b"MZ\x90\x00")))).await;
    assert_eq!(
        (r.status, r.json()["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("unsupported_file_type"))
    );
    let r = t.send(post(&desk, &[("kind", "component"), ("name", "x")], None)).await;
    assert_eq!((r.status, r.json()["field"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("file")));
    let r = t.send(post(&desk, &[("kind", "photo"), ("name", "x")], Some(("a.pdf", pdf)))).await;
    assert_eq!((r.status, r.json()["code"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("invalid_field")));

    let get = |uri: String| {
        Request::get(uri).header(header::AUTHORIZATION, format!("Bearer {desk}")).body(Body::empty()).unwrap()
    };
    let r = t.send(get(format!("/api/v1/dossiers/{code}/documents"))).await;
    assert_eq!(r.json().as_array().unwrap().len(), 1);
    let r = t.send(get(format!("/api/v1/dossiers/{code}/documents/{}", doc["id"].as_str().unwrap()))).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.raw, pdf);
    assert_eq!(r.headers[header::CONTENT_TYPE], "application/pdf");
    assert!(
        r.headers[header::CONTENT_DISPOSITION].to_str().unwrap().contains("filename*=UTF-8''T%E1%BB%9D%20khai.pdf")
    );
    let r = t.send(get(format!("/api/v1/dossiers/{code}/documents/not-an-id"))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = t.send(get(format!("/api/v1/dossiers/{code}"))).await;
    assert_eq!(r.json()["facts"]["component_files"], 1);

    // The page: the file is listed with its download link, and the desk can attach more.
    let cookie = cookie_of(&t, "motcua").await;
    let page = t
        .send(Request::get(format!("/ho-so/{code}")).header(header::COOKIE, &cookie).body(Body::empty()).unwrap())
        .await;
    assert!(page.body.contains("Tờ khai đăng ký khai sinh") && page.body.contains(&format!("/ho-so/{code}/tep/")));
    assert!(page.body.contains("enctype=\"multipart/form-data\""));
    let page_post = |fields: &[(&str, &str)], file: (&str, &[u8])| {
        let (ct, body) = multipart(fields, Some(file));
        Request::post(format!("/ho-so/{code}/tep"))
            .header(header::COOKIE, &cookie)
            .header(header::CONTENT_TYPE, ct)
            .body(Body::from(body))
            .unwrap()
    };
    let r = t
        .send(page_post(&[("kind", "component"), ("name", "Giấy chứng sinh"), ("source", "scan")], ("cs.pdf", pdf)))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = t.send(page_post(&[("kind", "component"), ("name", "x")], ("x.txt", b"hello"))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Chỉ nhận tệp PDF, PNG hoặc JPEG"), "the page shows why");
    let r = t.send(get(format!("/api/v1/dossiers/{code}/documents"))).await;
    assert_eq!(r.json().as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn the_plan_through_the_api_and_the_pages() {
    let t = test_app().await;
    let admin = t.token("admin").await;
    let auth_get = |uri: &str, token: &str| {
        Request::get(uri.to_owned())
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap()
    };
    let r = t.send(auth_get("/api/v1/plans/latest", &admin)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let plan = r.json();
    assert_eq!(plan["sections"].as_array().unwrap().len(), 4);
    let plan_id = plan["id"].as_str().unwrap().to_owned();
    let post_text = |token: &str, text: &str| {
        Request::post("/api/v1/plans")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
            .body(Body::from(text.to_owned()))
            .unwrap()
    };
    let r = t.send(post_text(&admin, motcua_demo::DEMO_PLAN)).await;
    assert_eq!((r.status, r.json()["outcome"].as_str()), (StatusCode::OK, Some("unchanged")), "{}", r.body);
    assert_eq!(r.json()["report"]["tasks"], 32);
    let r = t.send(post_text(&admin, "Một văn bản khác, không phải kế hoạch")).await;
    assert_eq!((r.status, r.json()["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("plan_shape")));
    let citizen = t.token("congdan").await;
    assert_eq!(t.send(auth_get("/api/v1/plans/latest", &citizen)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(t.send(post_text(&citizen, motcua_demo::DEMO_PLAN)).await.status, StatusCode::FORBIDDEN);

    // Sở Tư pháp (today's) reports on its task of the 2024 plan.
    let sotp = t.token("chuyenvien").await;
    let r = t.send(auth_get("/api/v1/plans/latest/my-tasks", &sotp)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let tasks = r.json()["tasks"].as_array().unwrap().clone();
    let id_of = |key: &str| tasks.iter().find(|x| x["key"] == key).map(|x| x["id"].as_str().unwrap().to_owned());
    let review = id_of("II.2.4").unwrap();
    assert!(id_of("I.2").is_none());
    let r = t
        .post_json(
            &format!("/api/v1/plans/{plan_id}/tasks/{review}/reports"),
            Some(&sotp),
            json!({"month": "2024-10", "status": "done", "percent": 100, "note": "Đã rà soát xong"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let other = plan["sections"][0]["tasks"][1]["id"].as_str().unwrap();
    let r = t
        .post_json(
            &format!("/api/v1/plans/{plan_id}/tasks/{other}/reports"),
            Some(&sotp),
            json!({"month": "2024-10", "status": "in_progress", "percent": 10}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = t
        .post_json(
            &format!("/api/v1/plans/{plan_id}/tasks/{review}/reports"),
            Some(&sotp),
            json!({"month": "2024-10", "status": "done", "percent": 90}),
        )
        .await;
    assert_eq!((r.status, r.json()["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_percent")));
    let r = t.send(auth_get("/api/v1/plans/latest/overview?month=2024-10", &admin)).await;
    assert_eq!(r.json()["reported"]["done"], 1, "{}", r.body);

    // A document attached to the report, listed with the task, downloaded intact.
    let pdf = b"%PDF-1.4\n% bao cao ra soat\n%%EOF\n";
    let (ct, body) =
        multipart(&[("month", "2024-10"), ("name", "Báo cáo kết quả rà soát")], Some(("bao-cao.pdf", pdf)));
    let attach = |token: &str, task: &str, ct: String, body: Vec<u8>| {
        Request::post(format!("/api/v1/plans/{plan_id}/tasks/{task}/files"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, ct)
            .body(Body::from(body))
            .unwrap()
    };
    let r = t.send(attach(&sotp, &review, ct.clone(), body.clone())).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let file_id = r.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(r.json()["file_name"], "bao-cao.pdf");
    let r = t.send(auth_get(&format!("/api/v1/plans/{plan_id}/files/{file_id}"), &admin)).await;
    assert_eq!((r.status, r.raw.as_slice()), (StatusCode::OK, pdf.as_slice()));
    assert_eq!(r.headers[header::CONTENT_TYPE], "application/pdf");
    // Another agency's officer who knows the id does not get it (issue 12, item 11).
    let noivu = security::officer(&t, "cv.noivu", motcua_domain::user::Role::Specialist, "H24.10").await;
    let r = t.send(auth_get(&format!("/api/v1/plans/{plan_id}/files/{file_id}"), &noivu)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = t.send(attach(&sotp, other, ct.clone(), body.clone())).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "not a task of this agency");
    let (ct2, body2) = multipart(&[("name", "Ghi chú")], Some(("ghi-chu.txt", b"van ban thuong")));
    let r = t.send(attach(&sotp, &review, ct2, body2)).await;
    assert_eq!(
        (r.status, r.json()["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("unsupported_file_type"))
    );
    let r = t.send(auth_get("/api/v1/plans/latest/my-tasks", &sotp)).await;
    let files = r.json()["tasks"].as_array().unwrap().iter().find(|x| x["key"] == "II.2.4").unwrap()["files"].clone();
    assert_eq!(files.as_array().map(Vec::len), Some(1), "only the refused ones are missing");

    // Pages.
    let admin_cookie = cookie_of(&t, "admin").await;
    let page = |uri: &str, cookie: &str| {
        Request::get(uri.to_owned()).header(header::COOKIE, cookie).body(Body::empty()).unwrap()
    };
    let r = t.send(page("/ke-hoach", &admin_cookie)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Kế hoạch kiểm soát thủ tục hành chính") && r.body.contains("Chậm nhất ngày 15/9/2024"));
    let (ct, body) = multipart(&[], Some(("ke-hoach.txt", motcua_demo::DEMO_PLAN.as_bytes())));
    let r = t
        .send(
            Request::post("/ke-hoach/nhap")
                .header(header::COOKIE, &admin_cookie)
                .header(header::CONTENT_TYPE, ct)
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("đã được nhập trước đây") && r.body.contains("Công an tỉnh"), "{}", r.body);
    let sotp_cookie = cookie_of(&t, "chuyenvien").await;
    let r = t.send(page("/ke-hoach/nhiem-vu", &sotp_cookie)).await;
    assert!(
        r.body.contains("Nhiệm vụ của Sở Tư pháp tỉnh Hải Dương") && r.body.contains("Hoàn thành, 100%"),
        "{}",
        r.body
    );
    assert!(r.body.contains(&format!("/ke-hoach/tep/{plan_id}/{file_id}")), "the document is listed with its task");
    let (ct, body) =
        multipart(&[("month", "2024-10"), ("name", "Biên bản")], Some(("bien-ban.png", b"\x89PNG\r\n\x1a\n0000")));
    let r = t
        .send(
            Request::post(format!("/ke-hoach/nhiem-vu/{review}/tep?plan={plan_id}"))
                .header(header::COOKIE, &sotp_cookie)
                .header(header::CONTENT_TYPE, ct)
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = t.send(page(&format!("/ke-hoach/tep/{plan_id}/{file_id}"), &sotp_cookie)).await;
    assert_eq!(r.raw.as_slice(), pdf.as_slice());
    let ria = id_of("II.2.1").unwrap();
    let r = t
        .send(form_post(
            &format!("/ke-hoach/nhiem-vu/{ria}/bao-cao"),
            &sotp_cookie,
            &format!("plan={plan_id}&month=2024-10&status=in_progress&percent=abc&note="),
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Tỷ lệ hoàn thành từ 0 đến 100"));
    let r = t
        .send(form_post(
            &format!("/ke-hoach/nhiem-vu/{ria}/bao-cao"),
            &sotp_cookie,
            &format!(
                "plan={plan_id}&month=2024-10&status=in_progress&percent=70&note=B%E1%BA%A3y+d%E1%BB%B1+th%E1%BA%A3o"
            ),
        ))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = t.send(page("/ke-hoach/tong-hop?month=2024-10", &admin_cookie)).await;
    assert!(r.body.contains("Nhiệm vụ quá hạn") && r.body.contains("Cơ quan chưa báo cáo tháng 2024-10"), "{}", r.body);
    assert!(r.body.contains("Đang thực hiện: 1"), "{}", r.body);
    let r = t.send(page("/ke-hoach/tong-hop.pdf?month=2024-10", &admin_cookie)).await;
    assert_eq!(r.headers[header::CONTENT_TYPE], "application/pdf");
    assert_pdf_text(
        &r.raw,
        &[
            "BÁO CÁO TÌNH HÌNH THỰC HIỆN KẾ HOẠCH",
            "Tháng 10/2024",
            "Nhiệm vụ quá hạn",
            "Sở Tư pháp tỉnh Hải Dương",
            "Chỉ tiêu của kế hoạch",
        ],
    );
    let r = t.send(page("/ke-hoach/tong-hop.xlsx?month=2024-10", &admin_cookie)).await;
    let (strings, _) = xlsx_parts(&r.raw);
    assert!(strings.contains("Chưa báo cáo 2024-10") && strings.contains("Chỉ tiêu"), "{strings}");
    let r = t.send(page("/ke-hoach/tong-hop.csv?month=2024-10", &admin_cookie)).await;
    assert!(
        r.body.starts_with("\u{feff}\"Loại\";")
            && r.body.contains("\"Chưa báo cáo 2024-10\";\"Sở Tư pháp tỉnh Hải Dương\""),
        "{}",
        r.body
    );

    // Compliance cost: a sheet through the API, another through the page; the table and its CSV.
    let sheet = |hours: f64| json!({"activities": [{"name": "Chuẩn bị, nộp hồ sơ", "hours": hours}], "hourly_income_vnd": 40000, "income_year": 2024, "subjects_per_year": 10});
    let put = Request::put(format!("/api/v1/plans/{plan_id}/costings/1.001193"))
        .header(header::AUTHORIZATION, format!("Bearer {admin}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({"name": "Đăng ký khai sinh", "before": sheet(80.0), "after": sheet(72.0), "note": "Rút ngắn thời hạn"})
                .to_string(),
        ))
        .unwrap();
    let r = t.send(put).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        (r.json()["after_year_vnd"].as_f64(), r.json()["status"].as_str()),
        (Some(28_800_000.0), Some("proposed"))
    );
    let r = t.send(auth_get("/api/v1/plans/latest/costings", &sotp)).await;
    assert_eq!(
        (r.json()["totals"]["reduction_pct"].as_f64(), r.json()["cost_target_pct"].as_f64()),
        (Some(10.0), Some(20.0))
    );
    let form = format!(
        "plan={plan_id}&procedure=2.000908&name=Ch%E1%BB%A9ng+th%E1%BB%B1c&hourly_income_vnd=40.000&income_year=2024&subjects_per_year=100&times_per_year=1&before_activities=N%E1%BB%99p+h%E1%BB%93+s%C6%A1"
    );
    let r = t.send(form_post("/ke-hoach/chi-phi", &admin_cookie, &form)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("ghi «tên hoạt động; số giờ»"), "{}", r.body);
    let r = t
        .send(form_post(
            "/ke-hoach/chi-phi",
            &admin_cookie,
            &format!("{form}%3B+4&after_activities=N%E1%BB%99p+tr%E1%BB%B1c+tuy%E1%BA%BFn%3B+1&status=approved"),
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a proposal says what it changes");
    assert!(r.body.contains("Nêu nội dung phương án đơn giản hóa"), "{}", r.body);
    let approved = format!(
        "{form}%3B+4&after_activities=N%E1%BB%99p+tr%E1%BB%B1c+tuy%E1%BA%BFn%3B+1&note=N%E1%BB%99p+tr%E1%BB%B1c+tuy%E1%BA%BFn&status=approved"
    );
    let r = t.send(form_post("/ke-hoach/chi-phi", &admin_cookie, &approved)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "approved without its decision");
    assert!(r.body.contains("Nêu số và ngày quyết định phê duyệt phương án"), "{}", r.body);
    let r = t
        .send(form_post(
            "/ke-hoach/chi-phi",
            &admin_cookie,
            &format!("{approved}&decision_number=12%2FQ%C4%90-UBND&decision_date=2024-09-10"),
        ))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = t.send(page("/ke-hoach/chi-phi", &admin_cookie)).await;
    // 32,000,000 + 16,000,000 → 28,800,000 + 4,000,000: 31.67 %
    assert!(r.body.contains("cắt giảm 31.67%") && r.body.contains("<svg class=\"cost-chart\""), "{}", r.body);
    assert!(
        r.body.contains("Phương án đã được phê duyệt<br><span class=\"meta\">QĐ 12/QĐ-UBND ngày 10/09/2024"),
        "{}",
        r.body
    );
    let r = t.send(page("/ke-hoach/chi-phi.csv", &sotp_cookie)).await;
    assert!(
        r.body.starts_with("\u{feff}\"Mã thủ tục\";")
            && r.body
                .contains("\"1.001193\";\"Đăng ký khai sinh\";\"Đã đề xuất phương án đơn giản hóa\";3200000;32000000")
            && r.body.contains("\"12/QĐ-UBND ngày 10/09/2024\""),
        "{}",
        r.body
    );
    // The same table as an Excel workbook: text as shared strings, numbers as numbers.
    let r = t.send(page("/ke-hoach/chi-phi.xlsx", &sotp_cookie)).await;
    assert_eq!(r.status, StatusCode::OK);
    let (strings, sheet) = xlsx_parts(&r.raw);
    assert!(strings.contains("<t>1.001193</t>") && strings.contains("12/QĐ-UBND ngày 10/09/2024"), "{strings}");
    assert!(sheet.contains("<v>32000000</v>"), "{sheet}");
    // The plan's targets with today's values on the overview.
    let r = t.send(page("/ke-hoach/tong-hop?month=2024-10", &admin_cookie)).await;
    assert!(
        r.body.contains("<table id=\"chi-tieu\">")
            && r.body.contains("<strong>31.67%</strong> <span class=\"ok\">đạt</span>"),
        "{}",
        r.body
    );

    // Inspections of the appendix: schedule one through the API, finish another on the page.
    let chi_linh = plan["inspections"][16]["id"].as_str().unwrap();
    let put = |body: Value| {
        Request::put(format!("/api/v1/plans/{plan_id}/inspections/{chi_linh}"))
            .header(header::AUTHORIZATION, format!("Bearer {admin}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let record = json!({"status": "planned", "planned_from": "2024-10-07", "planned_to": "2024-10-08",
        "team": ["Văn phòng UBND tỉnh", "Sở Nội vụ"],
        "follow_ups": [{"action": "Khắc phục tồn tại theo Kết luận kiểm tra năm 2023", "due": "2024-06-30", "done_on": null, "from_conclusion": "Kết luận kiểm tra năm 2023"}]});
    let r = t.send(put(record.clone())).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["overdue_follow_ups"], 1, "due 30/6/2024, today is 27/11/2026");
    let r = t.send(put(json!({"status": "done", "planned_from": "2024-10-07", "team": ["Văn phòng UBND tỉnh"]}))).await;
    assert_eq!((r.status, r.json()["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("conclusion_required")));
    let r = t.send(auth_get("/api/v1/plans/latest/inspections", &sotp)).await;
    assert_eq!(r.json()["items"][16]["record"]["team"][1], "Sở Nội vụ", "{}", r.body);
    let binh_giang = plan["inspections"][5]["id"].as_str().unwrap();
    let form = format!(
        "plan={plan_id}&inspection={binh_giang}&status=done&planned_from=2024-04-02&planned_to=2024-04-03&team=V%C4%83n+ph%C3%B2ng+UBND+t%E1%BB%89nh&findings=&conclusion=Th%E1%BB%B1c+hi%E1%BB%87n+t%E1%BB%91t&follow_ups="
    );
    let r = t.send(form_post("/ke-hoach/kiem-tra", &admin_cookie, &form)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = t.send(page("/ke-hoach/kiem-tra", &sotp_cookie)).await;
    assert!(
        r.body.contains("Đã kiểm tra")
            && r.body.contains("Thực hiện tốt")
            && r.body.contains("1 việc khắc phục quá hạn"),
        "{}",
        r.body
    );
    let r = t.send(form_post("/ke-hoach/kiem-tra", &sotp_cookie, &form)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "only the provincial office records inspections");

    // Published on time (766 metric 1.1) over the demo catalog: decisions dated 2025.
    let r = t.send(auth_get("/api/v1/publication-timeliness?year=2025", &sotp)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let total = r.json()["procedures"].as_u64().unwrap();
    assert_eq!(r.json()["lead_working_days"], 5);
    let r = t.send(auth_get("/api/v1/publication-timeliness?year=abc", &sotp)).await;
    assert_eq!((r.status, r.json()["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_query")));
    let r = t.send(page("/ke-hoach/cong-bo?year=2025", &sotp_cookie)).await;
    assert!(r.body.contains(&format!("/{total} thủ tục công bố đúng hạn")), "{}", r.body);
}

#[tokio::test]
async fn a_draft_is_assessed_through_the_api_and_the_page() {
    let t = test_app().await;
    let admin = t.token("admin").await;
    let admin_cookie = cookie_of(&t, "admin").await;
    // A new version of 2.000908 as a draft (version 2).
    let current = t.get("/api/v1/procedures/2.000908").await.json();
    let mut content = current["version"].clone();
    for k in ["number", "status", "decision_no", "decision_date", "effective_from", "effective_to"] {
        content.as_object_mut().unwrap().remove(k);
    }
    let body = json!({"revision": current["revision"], "content": content});
    let r = t.post_json("/api/v1/procedures/2.000908/versions", Some(&admin), body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    let put = |uri: &str, body: Value| {
        Request::put(uri.to_owned())
            .header(header::AUTHORIZATION, format!("Bearer {admin}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let input = json!({"agency": "000.00.03.H23", "assessed_on": "2026-11-20", "necessity": "Cần thiết",
        "reasonableness": "Hợp lý", "legality": "Hợp pháp", "cost_year_vnd": 5000000, "conclusion": "adequate"});
    let r = t.send(put("/api/v1/procedures/2.000908/versions/1/impact-assessment", input.clone())).await;
    assert_eq!((r.status, r.json()["code"].as_str()), (StatusCode::CONFLICT, Some("not_draft")), "{}", r.body);
    let r =
        t.send(put("/api/v1/procedures/2.000908/versions/2/impact-assessment", json!({"conclusion": "maybe"}))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = t.send(put("/api/v1/procedures/2.000908/versions/2/impact-assessment", input)).await;
    assert_eq!((r.status, r.json()["conclusion"].as_str()), (StatusCode::OK, Some("adequate")), "{}", r.body);
    let (ct, body) = multipart(&[], Some(("phieu.pdf", b"%PDF-1.4\n%%EOF\n")));
    let r = t
        .send(
            Request::post("/api/v1/procedures/2.000908/versions/2/impact-assessment/document")
                .header(header::AUTHORIZATION, format!("Bearer {admin}"))
                .header(header::CONTENT_TYPE, ct)
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(
        (r.status, r.json()["document"]["file_name"].as_str()),
        (StatusCode::OK, Some("phieu.pdf")),
        "{}",
        r.body
    );
    let r = t
        .send(
            Request::get("/api/v1/procedures/2.000908/versions/2/impact-assessment/document")
                .header(header::AUTHORIZATION, format!("Bearer {admin}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!((r.status, r.raw.as_slice()), (StatusCode::OK, b"%PDF-1.4\n%%EOF\n".as_slice()));
    let r = t
        .send(
            Request::get("/api/v1/impact-assessments?year=2026")
                .header(header::AUTHORIZATION, format!("Bearer {admin}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.json()["assessed"].as_u64().unwrap() >= 1, "{}", r.body);

    // The page: a form with its document (multipart), then the table with the link.
    let send_form = |fields: &[(&str, &str)], file: Option<(&str, &[u8])>| {
        let (ct, body) = multipart(fields, file);
        Request::post("/ke-hoach/danh-gia-tac-dong")
            .header(header::COOKIE, &admin_cookie)
            .header(header::CONTENT_TYPE, ct)
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(body))
            .unwrap()
    };
    let fields = [
        ("procedure", "2.000908"),
        ("version", "2"),
        ("agency", "000.00.03.H23"),
        ("assessed_on", "2026-11-21"),
        ("necessity", "Cần thiết"),
        ("reasonableness", "Hợp lý"),
        ("legality", ""),
        ("conclusion", "revise"),
    ];
    let r = t.send(send_form(&fields, None)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Nêu kết quả đánh giá tính hợp pháp của thủ tục"), "{}", r.body);
    let mut fields = fields;
    fields[6] = ("legality", "Hợp pháp");
    let r = t.send(send_form(&fields, Some(("phieu-moi.pdf", b"%PDF-1.7\n%%EOF\n")))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = |uri: &str, c: &str| Request::get(uri.to_owned()).header(header::COOKIE, c).body(Body::empty()).unwrap();
    let r = t.send(page("/ke-hoach/danh-gia-tac-dong?year=2026", &admin_cookie)).await;
    assert!(
        r.body.contains("Cần chỉnh sửa trước khi ban hành")
            && r.body.contains("<a href=\"/ke-hoach/danh-gia-tac-dong/2.000908/2/phieu\">phieu-moi.pdf</a>"),
        "{}",
        r.body
    );
    let r = t.send(page("/ke-hoach/danh-gia-tac-dong/2.000908/2/phieu", &admin_cookie)).await;
    assert_eq!((r.status, r.raw.as_slice()), (StatusCode::OK, b"%PDF-1.7\n%%EOF\n".as_slice()));
}

/// The shared strings and the first sheet of an .xlsx file.
fn xlsx_parts(bytes: &[u8]) -> (String, String) {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut read = |name: &str| {
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    (read("xl/sharedStrings.xml"), read("xl/worksheets/sheet1.xml"))
}
