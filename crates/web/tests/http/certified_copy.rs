//! Certified electronic copies over HTTP: the commune's officer issues one from the dossier page
//! (the fee on the page), the API issues and lists them, refusals are clear.

use super::*;
use crate::journeys::post_multipart;

async fn copy_app() -> TestApp {
    let config =
        AppConfig { master_key: Some(motcua_app::signing::MasterKey::from_bytes([3; 32])), ..AppConfig::default() };
    test_app_with(Arc::new(FixedClock(instant(2026, 11, 27, 3))), config).await
}

const SCAN: &[u8] = b"%PDF-1.4\n% ban chup\n%%EOF\n";

#[tokio::test]
async fn a_commune_certifies_a_copy_from_the_dossier_page_and_the_api() {
    let t = copy_app().await;
    let desk = t.token("motcua.xa").await;
    let body = json!({"procedure": "2.000815", "channel": "counter",
        "applicant": {"kind": "citizen", "id": "031095001234", "name": "Vũ Minh Anh"}});
    let r = t.post_json("/api/v1/dossiers", Some(&desk), body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let code = r.json()["code"].as_str().unwrap().to_owned();
    assert_eq!(r.json()["workflow"]["due_original"], "2026-11-27T17:30:00+07:00", "the same day");
    let r = t
        .post_json(
            &format!("/api/v1/dossiers/{code}/transfer"),
            Some(&desk),
            json!({"revision": 1, "agency": "H24.101"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // The page: the form with the province's fee schedule; a copy not compared is refused there.
    let officer = cookie_of(&t, "tuphap.xa").await;
    let page = Request::get(format!("/ho-so/{code}")).header(header::COOKIE, &officer).body(Body::empty()).unwrap();
    let r = t.send(page).await;
    assert!(
        r.body.contains("Chứng thực và ký số bản sao") && r.body.contains("2.000 đồng/trang cho 2 trang đầu"),
        "{}",
        r.body
    );
    let fields = [("original", "Giấy khai sinh"), ("pages", "3")];
    let r = t
        .send(post_multipart(
            &format!("/ho-so/{code}/chung-thuc"),
            &officer,
            multipart(&fields, Some(("scan.pdf", SCAN))),
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("Cần đối chiếu bản chụp với bản chính"), "{}", r.body);
    let fields = [("original", "Giấy khai sinh"), ("pages", "3"), ("compared", "1"), ("valid_until", "")];
    let r = t
        .send(post_multipart(
            &format!("/ho-so/{code}/chung-thuc"),
            &officer,
            multipart(&fields, Some(("scan.pdf", SCAN))),
        ))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = Request::get(format!("/ho-so/{code}")).header(header::COOKIE, &officer).body(Body::empty()).unwrap();
    assert!(t.send(page).await.body.contains("Giấy khai sinh — 3 trang, lệ phí 5.000 đồng"));

    // The API: issue, list, refusals by field.
    let leader = t.token("tuphap.xa").await;
    let post = |fields: &[(&str, &str)], file: Option<(&str, &[u8])>| {
        let (ct, body) = multipart(fields, file);
        Request::post(format!("/api/v1/dossiers/{code}/certified-copies"))
            .header(header::AUTHORIZATION, format!("Bearer {leader}"))
            .header(header::CONTENT_TYPE, ct)
            .body(Body::from(body))
            .unwrap()
    };
    let ok = [("original", "Bằng tốt nghiệp"), ("pages", "10"), ("compared", "true"), ("valid_until", "2031-01-01")];
    let r = t.send(post(&ok, Some(("bang.pdf", SCAN)))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!((r.json()["fee_vnd"].clone(), r.json()["valid_until"].clone()), (json!(12_000), json!("2031-01-01")));
    let result = r.json()["result"].as_str().unwrap().to_owned();
    assert_eq!(t.get(&format!("/api/v1/verify/{result}")).await.json()["verdict"], "valid");
    for (fields, file, field) in [
        (vec![("original", "x"), ("pages", "ba"), ("compared", "1")], Some(("a.pdf", SCAN)), "pages"),
        (
            vec![("original", "x"), ("pages", "1"), ("compared", "1"), ("valid_until", "1/1/2031")],
            Some(("a.pdf", SCAN)),
            "valid_until",
        ),
        (vec![("original", "x"), ("pages", "1"), ("compared", "1")], None, "file"),
    ] {
        let r = t.send(post(&fields, file)).await;
        assert_eq!(
            (r.status, r.json()["field"].clone()),
            (StatusCode::UNPROCESSABLE_ENTITY, json!(field)),
            "{}",
            r.body
        );
    }
    let list = Request::get(format!("/api/v1/dossiers/{code}/certified-copies"))
        .header(header::AUTHORIZATION, format!("Bearer {leader}"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(t.send(list).await.json().as_array().unwrap().len(), 2);
}
