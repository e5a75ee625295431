//! Catalog, map, accounts, pages, health and the calendar through HTTP.

use super::*;

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

/// Every `$ref` of the OpenAPI document names a schema it defines (a dangling one made the
/// contract fuzzer skip the operation).
#[tokio::test]
async fn every_reference_of_the_openapi_document_resolves() {
    fn refs(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                if let Some(serde_json::Value::String(r)) = m.get("$ref") {
                    out.push(r.clone());
                }
                m.values().for_each(|x| refs(x, out));
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
            _ => {}
        }
    }
    let t = test_app().await;
    let doc = t.get("/api/openapi.json").await.json();
    let mut all = Vec::new();
    refs(&doc, &mut all);
    let schemas = &doc["components"]["schemas"];
    let missing: std::collections::BTreeSet<&str> = all
        .iter()
        .filter_map(|r| r.strip_prefix("#/components/schemas/"))
        .filter(|name| schemas.get(*name).is_none())
        .collect();
    assert!(missing.is_empty(), "schemas referenced but not defined: {missing:?}");
}

#[tokio::test]
async fn a_nul_character_in_a_json_body_is_refused_not_a_server_error() {
    // Found by schemathesis on PostgreSQL (which cannot keep U+0000 in text): a 500 before.
    let t = test_app().await;
    let admin = t.token("admin").await;
    let body = json!({"code": "9.000001", "content": {"name": "Tên\u{0}thủ tục", "levels": ["commune"], "online_level": "partial"}});
    let r = t.post_json("/api/v1/procedures", Some(&admin), body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(
        (r.json()["code"].clone(), r.json()["field"].clone()),
        (json!("invalid_text"), json!("body.content.name"))
    );
    let r = t
        .post_json(
            "/api/v1/dossiers",
            Some(&admin),
            json!({"procedure": "2.000908", "channel": "counter",
        "applicant": {"kind": "citizen", "id": "031095001234", "name": "A\u{0}"}}),
        )
        .await;
    assert_eq!(r.json()["code"], "invalid_text", "{}", r.body);
}
