//! `motcua calendar ... --json` and `/api/v1/calendar/...` give the same answers, on the same
//! database.
#![allow(clippy::unwrap_used)]

use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt;
use motcua_app::App;
use serde_json::Value;
use tower::ServiceExt;

mod common;
use common::cli;

async fn api(app: &App, uri: &str) -> (u16, Value) {
    let router = motcua_web::router(motcua_web::AppState { app: app.clone(), secure_cookies: false });
    let r = router.oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
    let status = r.status().as_u16();
    let bytes = r.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap())
}

#[tokio::test]
async fn cli_and_api_agree() {
    let dir = tempfile::tempdir().unwrap();
    // The CLI creates the database and stores the shipped schedules.
    let (ok, _, err) = cli(dir.path(), &["migrate"]);
    assert!(ok, "{err}");
    let (app, _store) = common::open_app(dir.path()).await;

    let cases: &[(&[&str], &str)] = &[
        (&["calendar", "lunar", "2025-01-29", "--json"], "/api/v1/calendar/lunar?date=2025-01-29"),
        (
            &["calendar", "solar", "--lunar", "2025-06-01", "--leap", "--json"],
            "/api/v1/calendar/solar?lunar=2025-06-01&leap=true",
        ),
        (&["calendar", "holidays", "2024", "--json"], "/api/v1/calendar/holidays/2024"),
        (&["calendar", "holidays", "2027", "--json"], "/api/v1/calendar/holidays/2027"),
        (
            &["calendar", "due", "--from", "2025-01-24T10:00:00+07:00", "--working-days", "3", "--explain", "--json"],
            "/api/v1/calendar/due?from=2025-01-24T10:00:00%2B07:00&working_days=3&explain=true",
        ),
        (
            &[
                "calendar",
                "due",
                "--from",
                "2024-04-26T10:00:00+07:00",
                "--working-days",
                "2",
                "--pause",
                "2024-05-02T08:00:00+07:00/2024-05-02T10:00:00+07:00",
                "--json",
            ],
            "/api/v1/calendar/due?from=2024-04-26T10:00:00%2B07:00&working_days=2&pause=2024-05-02T08:00:00%2B07:00/2024-05-02T10:00:00%2B07:00",
        ),
    ];
    for (args, uri) in cases {
        let (ok, out, err) = cli(dir.path(), args);
        assert!(ok, "{args:?}: {err}");
        let from_cli: Value = serde_json::from_str(&out).unwrap();
        let (status, from_api) = api(&app, uri).await;
        assert_eq!(status, 200, "{uri}: {from_api}");
        assert_eq!(from_cli, from_api, "{args:?} vs {uri}");
    }

    let (_, due) = api(&app, "/api/v1/calendar/due?from=2025-04-25T10:00:00%2B07:00&working_days=1").await;
    assert_eq!(due["due"], "2025-04-26T17:30:00+07:00");
    let (_, h) = api(&app, "/api/v1/calendar/holidays/2024").await;
    assert!(h.as_array().unwrap().iter().any(|d| d["date"] == "2024-05-04" && d["kind"] == "makeup"));

    // Bad input: clear errors with stable codes, on both faces.
    let (ok, _, err) =
        cli(dir.path(), &["calendar", "due", "--from", "2025-01-24T10:00:00+07:00", "--working-days", "-1"]);
    assert!(!ok && err.contains("invalid_limit"), "{err}");
    let (status, body) = api(&app, "/api/v1/calendar/due?from=2025-01-24T10:00:00%2B07:00&working_days=-1").await;
    assert_eq!((status, body["code"].as_str()), (422, Some("invalid_limit")));
    let (status, body) = api(&app, "/api/v1/calendar/solar?lunar=2025-12-30").await;
    assert_eq!((status, body["code"].as_str(), body["field"].as_str()), (422, Some("invalid_lunar_date"), Some("day")));
    let (status, body) = api(&app, "/api/v1/calendar/lunar?date=2200-01-01").await;
    assert_eq!((status, body["code"].as_str()), (422, Some("date_out_of_range")));
    let (ok, _, err) = cli(dir.path(), &["calendar", "solar", "--lunar", "2024-03-01", "--leap"]);
    assert!(!ok && err.contains("không có tháng 3 nhuận"), "{err}");
}
