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

mod basics;
mod certified_copy;
mod declarations;
mod dossiers_api;
mod dossiers_pages;
mod index;
mod integrations;
mod journeys;
mod monthly;
mod plan;
mod security;
mod service_quality;
mod signing;
mod vault;

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
    /// A counter dossier of 2.000908 received by the desk (`desk`'s token) and transferred to
    /// H24.11: its code, at revision 2.
    async fn transferred_dossier(&self, desk: &str) -> String {
        let body = json!({"procedure": "2.000908", "channel": "counter",
            "applicant": {"kind": "citizen", "id": "031095001234", "name": "Vũ Minh Anh", "phone": "0912345678"}});
        let code =
            self.post_json("/api/v1/dossiers", Some(desk), body).await.json()["code"].as_str().unwrap().to_owned();
        let r = self
            .post_json(
                &format!("/api/v1/dossiers/{code}/transfer"),
                Some(desk),
                json!({"revision": 1, "agency": "H24.11"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        code
    }

    /// A dossier of 2.000908 taken through its steps, resolved and returned to the applicant
    /// (phone ending 5678): its code.
    async fn returned_dossier(&self) -> String {
        let desk = self.token("motcua").await;
        let code = self.transferred_dossier(&desk).await;
        let (specialist, leader) = (self.token("chuyenvien").await, self.token("lanhdao").await);
        let steps: [(&str, &String, Value); 5] = [
            ("complete_step", &specialist, json!({"revision": 2, "note": "Xong"})),
            ("complete_step", &leader, json!({"revision": 3, "note": "Xong"})),
            ("complete_step", &specialist, json!({"revision": 4, "note": "Xong"})),
            ("resolve", &specialist, json!({"revision": 5, "outcome": "granted"})),
            ("return", &desk, json!({"revision": 6, "collected_by": "Vũ Minh Anh", "method": "counter"})),
        ];
        for (command, who, body) in steps {
            let r = self.post_json(&format!("/api/v1/dossiers/{code}/{command}"), Some(who), body).await;
            assert_eq!(r.status, StatusCode::OK, "{command}: {}", r.body);
        }
        code
    }

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

/// A request with a bearer token, and a JSON body when given.
fn bearer(method: &str, uri: &str, token: &str, body: Option<Value>) -> Request<Body> {
    let b = Request::builder().method(method).uri(uri).header(header::AUTHORIZATION, format!("Bearer {token}"));
    match body {
        Some(v) => b.header(header::CONTENT_TYPE, "application/json").body(Body::from(v.to_string())).unwrap(),
        None => b.body(Body::empty()).unwrap(),
    }
}

fn form_post(uri: &str, cookie: &str, body: &str) -> Request<Body> {
    Request::post(uri.to_owned())
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body.to_owned()))
        .unwrap()
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

/// The QR code `zbarimg` reads on the PDF's first page (poppler-utils, zbar-tools; `None`
/// when they are missing and not required).
fn pdf_qr(pdf: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.pdf");
    std::fs::write(&path, pdf).unwrap();
    let png = dir.path().join("page");
    match std::process::Command::new("pdftoppm")
        .args(["-r", "200", "-png", "-singlefile"])
        .arg(&path)
        .arg(&png)
        .status()
    {
        Ok(st) => assert!(st.success()),
        Err(e) => {
            assert!(std::env::var_os("MOTCUA_REQUIRE_PDF_TOOLS").is_none(), "pdftoppm: {e}");
            return None;
        }
    }
    let out = std::process::Command::new("zbarimg").args(["--raw", "-q"]).arg(png.with_extension("png")).output();
    match out {
        Ok(out) => Some(String::from_utf8_lossy(&out.stdout).trim().to_owned()),
        Err(e) => {
            assert!(std::env::var_os("MOTCUA_REQUIRE_PDF_TOOLS").is_none(), "zbarimg: {e}");
            None
        }
    }
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
