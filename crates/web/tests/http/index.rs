//! The Decision 766 index through the API and its page.

use super::*;

fn metric<'a>(report: &'a Value, code: &str) -> &'a Value {
    report["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["metrics"].as_array().unwrap())
        .find(|m| m["code"] == code)
        .unwrap_or_else(|| panic!("no metric {code} in {report}"))
}

/// A counter intake of 2.000908 (accepted at once, due on the 30th).
fn counter_intake() -> Value {
    json!({"procedure": "2.000908", "channel": "counter",
        "applicant": {"kind": "citizen", "id": "031095001234", "name": "Vũ Minh Anh", "phone": "0912345678"}})
}

#[tokio::test]
async fn the_index_of_a_month_through_the_api() {
    let t = test_app().await;
    let desk = t.token("motcua").await;
    let body = counter_intake();
    let mut competent = String::new();
    for _ in 0..2 {
        let r = t.post_json("/api/v1/dossiers", Some(&desk), body.clone()).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        competent = r.json()["competent_agency"].as_str().unwrap().to_owned();
    }
    let r = t.get("/api/v1/reports/index?period=2026-11").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let report = r.json();
    let groups = report["groups"].as_array().unwrap();
    assert_eq!(groups.iter().map(|g| g["max"].as_f64().unwrap()).sum::<f64>(), 100.0);
    let sum: f64 = groups.iter().map(|g| g["points"].as_f64().unwrap()).sum();
    assert!((report["total"].as_f64().unwrap() - sum).abs() < 1e-9);
    let on_time = metric(&report, "DOSSIER_ON_TIME");
    assert_eq!(
        (&on_time["numerator"], &on_time["denominator"], &on_time["ratio"], &on_time["points"]),
        (&json!(2), &json!(2), &json!(1.0), &json!(20.0)),
        "two dossiers accepted today, due on the 30th"
    );
    assert_eq!(metric(&report, "SO_HOA_GIAY_TO_GIAI_QUYET")["denominator"], 2);
    assert_eq!(metric(&report, "ONLINE_DOSSIER_RATE")["numerator"], 0, "both at the counter");
    assert_eq!(report["agencies"][0]["code"], competent.as_str());
    assert_eq!(report["agencies"][0]["received"], 2);
    assert_eq!(report["procedures"][0]["code"], "2.000908");

    // The competent agency alone says the same of its dossiers; a unit with none has none.
    let r = t.get(&format!("/api/v1/reports/index?period=2026-11&unit={competent}")).await;
    assert_eq!(metric(&r.json(), "DOSSIER_ON_TIME")["denominator"], 2, "{}", r.body);
    // An empty month: no ratio, no points, never a division error; petitions score full.
    let r = t.get("/api/v1/reports/index?period=2026-10").await;
    assert_eq!(r.status, StatusCode::OK);
    let empty = r.json();
    let m = metric(&empty, "DOSSIER_ON_TIME");
    assert_eq!((&m["denominator"], &m["ratio"], &m["points"]), (&json!(0), &Value::Null, &json!(0.0)));
    assert_eq!(metric(&empty, "PETITION_PROCESSING_ON_TIME")["points"], 6.0);
    // Quarter and year hold the month.
    for period in ["2026-Q4", "2026"] {
        let r = t.get(&format!("/api/v1/reports/index?period={period}")).await;
        assert_eq!(metric(&r.json(), "DOSSIER_ON_TIME")["denominator"], 2, "{period}");
    }

    // The dossiers behind a count.
    let admin = t.token("admin").await;
    let list = |q: &str| {
        Request::get(format!("/api/v1/dossiers?{q}"))
            .header("authorization", format!("Bearer {admin}"))
            .body(Body::empty())
            .unwrap()
    };
    for (part, total) in [("base", 2), ("meets", 2), ("misses", 0)] {
        let r = t.send(list(&format!("metric=DOSSIER_ON_TIME&period=2026-11&part={part}"))).await;
        assert_eq!((r.status, r.json()["total"].clone()), (StatusCode::OK, json!(total)), "{part}: {}", r.body);
    }
    let r = t.send(list("metric=SO_HOA_GIAY_TO_GIAI_QUYET&period=2026-11&part=misses")).await;
    assert_eq!(r.json()["total"], 2, "nothing digitised yet");
    let r = t.send(list("metric=DOSSIER_ON_TIME&period=2026-10")).await;
    assert_eq!(r.json()["total"], 0);
    for (q, code) in [
        ("metric=PUBLISH_ON_TIME&period=2026-11", "not_a_dossier_metric"),
        ("metric=DOSSIER_ON_TIME", "invalid_period"),
    ] {
        let r = t.send(list(q)).await;
        assert_eq!((r.status, r.json()["code"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!(code)), "{q}");
    }

    for (uri, code) in [
        ("/api/v1/reports/index?period=2027-01", "period_in_future"),
        ("/api/v1/reports/index?period=2026-13", "invalid_period"),
        ("/api/v1/reports/index?period=2026-11&unit=XX99", "unknown_unit"),
        ("/api/v1/reports/index", "invalid_query"),
    ] {
        let r = t.get(uri).await;
        assert_eq!((r.status, r.json()["code"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!(code)), "{uri}");
    }
}

/// The report is kept in memory between writes (`index_refresh`), and a write of this process
/// is seen by the next request.
#[tokio::test]
async fn a_kept_index_report_gives_way_to_the_next_write() {
    let t = test_app().await;
    let desk = t.token("motcua").await;
    let received = |r: &Value| metric(r, "DOSSIER_ON_TIME")["denominator"].clone();
    t.post_json("/api/v1/dossiers", Some(&desk), counter_intake()).await;
    let first = t.get("/api/v1/reports/index?period=2026-11").await.json();
    assert_eq!(received(&first), 1);
    assert_eq!(t.get("/api/v1/reports/index?period=2026-11").await.json(), first, "asked again, nothing written");
    let r = t.post_json("/api/v1/dossiers", Some(&desk), counter_intake()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(received(&t.get("/api/v1/reports/index?period=2026-11").await.json()), 2, "the intake is counted");
}

#[tokio::test]
async fn the_index_page_and_the_dossiers_behind_a_count() {
    let t = test_app().await;
    let desk = t.token("motcua").await;
    let body = counter_intake();
    let code = t.post_json("/api/v1/dossiers", Some(&desk), body).await.json()["code"].as_str().unwrap().to_owned();

    // Public: the scores, the rules in force, no link to dossiers.
    let r = t.get("/chi-so-766?ky=2026-11").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    for text in ["Tổng điểm", "tháng 11/2026", "Hồ sơ giải quyết đúng hạn", "đủ điểm từ 80", "Theo cơ quan giải quyết"]
    {
        assert!(r.body.contains(text), "{text} missing");
    }
    assert!(!r.body.contains("/ho-so?chi-so="), "visitors do not see dossiers");
    // The current month by default.
    assert!(t.get("/chi-so-766").await.body.contains("tháng 11/2026"));

    // Staff follow a count to its dossiers.
    let cookie = cookie_of(&t, "admin").await;
    let get = |uri: &str| Request::get(uri).header(header::COOKIE, cookie.as_str()).body(Body::empty()).unwrap();
    let r = t.send(get("/chi-so-766?ky=2026-11")).await;
    let href = "/ho-so?chi-so=DOSSIER_ON_TIME&#38;ky=2026-11&#38;phan=meets";
    assert!(r.body.contains(href), "{}", r.body);
    let r = t.send(get(&href.replace("&#38;", "&"))).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Hồ sơ đạt chỉ tiêu 2 «Hồ sơ giải quyết đúng hạn», kỳ 2026-11"), "{}", r.body);
    assert!(r.body.contains(&code));
    let r = t.send(get("/ho-so?chi-so=DOSSIER_ON_TIME&ky=2026-11&phan=misses")).await;
    assert!(!r.body.contains(&code), "on time, not in the misses");

    // Bad input is told in Vietnamese.
    let r = t.get("/chi-so-766?ky=2027-01").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("chưa bắt đầu"), "{}", r.body);
    let r = t.get("/chi-so-766?ky=2026-11&don-vi=XX99").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("XX99"));
}
