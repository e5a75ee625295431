//! The monthly public report: the same figures on the page, in the API and in the downloads;
//! published once by the job on the first working day of the next month.

use super::*;

#[tokio::test]
async fn a_month_is_published_once_with_the_same_figures_everywhere() {
    let clock = Arc::new(motcua_app::ManualClock::at(instant(2026, 11, 27, 3)));
    let t = test_app_with(clock.clone(), AppConfig::default()).await;
    let desk = t.token("motcua").await;
    for _ in 0..3 {
        let body = json!({"procedure": "2.000908", "channel": "counter",
            "applicant": {"kind": "citizen", "id": "031095001234", "name": "Vũ Minh Anh", "phone": "0912345678"}});
        assert_eq!(t.post_json("/api/v1/dossiers", Some(&desk), body).await.status, StatusCode::CREATED);
    }
    let admin = t.token("admin").await;
    let r = t.post_json("/api/v1/reports/monthly/2026-11/publish", Some(&admin), json!({})).await;
    assert_eq!((r.status, r.json()["code"].clone()), (StatusCode::CONFLICT, json!("period_not_over")));
    assert!(t.get("/api/v1/reports/monthly/2026-11").await.json()["published_at"].is_null(), "live until published");

    // Sunday 29/11: October's report is due (never published here), November's not yet;
    // Tuesday 1/12 is the first working day of December.
    clock.set(instant(2026, 11, 29, 3));
    assert_eq!(t.app.publish_due_report().await.unwrap(), Some("2026-10".to_owned()));
    assert_eq!(t.app.publish_due_report().await.unwrap(), None);
    clock.set(instant(2026, 12, 1, 2));
    assert_eq!(t.app.publish_due_report().await.unwrap(), Some("2026-11".to_owned()));
    assert_eq!(t.app.publish_due_report().await.unwrap(), None, "once");
    let r = t.post_json("/api/v1/reports/monthly/2026-11/publish", Some(&admin), json!({})).await;
    assert_eq!(r.json()["published"], false, "the first publication stands");

    let report = t.get("/api/v1/reports/monthly/2026-11").await.json();
    assert!(report["published_at"].as_str().unwrap().starts_with("2026-12-01"));
    let on_time = report["index"]["groups"][1]["metrics"][0].clone();
    assert_eq!((on_time["code"].clone(), on_time["denominator"].clone()), (json!("DOSSIER_ON_TIME"), json!(3)));
    assert!(!report["targets"].as_array().unwrap().is_empty(), "the seed plan's targets the index measures");

    // The page, the spreadsheet, the CSV and the PDF say the same.
    let page = t.get("/bao-cao/2026-11").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Công bố") && page.body.contains("Tổng điểm"), "{}", page.body);
    let total = report["index"]["total"].as_f64().unwrap();
    assert!(page.body.contains(&format!("{total:.2}").replace('.', ",")));
    assert!(t.get("/bao-cao").await.body.contains("/bao-cao/2026-11"));
    let (strings, sheet) = xlsx_parts(&t.get("/bao-cao/2026-11/xlsx").await.raw);
    assert!(strings.contains("2 Hồ sơ giải quyết đúng hạn"), "{strings}");
    assert!(sheet.contains("<v>3</v>"), "the denominator as a number");
    // Published on 1/12 at 09:00: the three dossiers due on 30/11 were running, so late.
    assert_eq!(on_time["numerator"], 0);
    let csv = t.get("/bao-cao/2026-11/csv").await.body;
    assert!(csv.contains("\"2 Hồ sơ giải quyết đúng hạn\";0;3;0.00;0.00;20.00"), "{csv}");
    let pdf = t.get("/bao-cao/2026-11/pdf").await;
    assert_pdf_text(&pdf.raw, &["BÁO CÁO CHỈ SỐ PHỤC VỤ", "Hồ sơ giải quyết đúng hạn"]);
    assert_eq!(t.get("/bao-cao/2026-11/doc").await.status, StatusCode::NOT_FOUND);
    assert_eq!(t.get("/bao-cao/2026-Q4").await.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_plans_targets_with_their_trend_by_month_agency_and_field() {
    let t = test_app().await;
    let desk = t.token("motcua").await;
    for channel in ["counter", "online"] {
        let body = json!({"procedure": "2.000908", "channel": channel, "desk": "H24.02",
            "applicant": {"kind": "citizen", "id": "031095001234", "name": "Vũ Minh Anh", "phone": "0912345678"}});
        let r = t.post_json("/api/v1/dossiers", Some(&desk), body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    let admin = t.token("admin").await;
    let get = |uri: &str, token: &str| {
        Request::get(uri).header("authorization", format!("Bearer {token}")).body(Body::empty()).unwrap()
    };
    let d = t.send(get("/api/v1/reports/targets?year=2026", &admin)).await.json();
    let online = d["targets"].as_array().unwrap().iter().find(|x| x["metric"] == "ONLINE_DOSSIER_RATE").unwrap();
    assert_eq!(online["value"], 50.0, "the seed plan's threshold");
    assert_eq!(online["months"], json!([["2026-11", 50.0]]), "one of the two filed online");
    assert_eq!(online["agencies"][0][1], 50.0);
    assert_eq!(online["met"], true);
    assert!(d["satisfaction"][0]["field"].is_null());
    assert_eq!(t.get("/api/v1/reports/targets?year=2026").await.status, StatusCode::UNAUTHORIZED);
    let citizen = t.token("congdan").await;
    assert_eq!(t.send(get("/api/v1/reports/targets?year=2026", &citizen)).await.status, StatusCode::FORBIDDEN);
    let r = t.send(get("/api/v1/reports/targets?year=2026-11", &admin)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let cookie = cookie_of(&t, "admin").await;
    let page =
        t.send(Request::get("/ke-hoach/chi-tieu").header(header::COOKIE, cookie).body(Body::empty()).unwrap()).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Chỉ tiêu kế hoạch năm 2026") && page.body.contains("Theo cơ quan giải quyết"),
        "{}",
        page.body
    );
}
