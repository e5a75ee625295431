//! Signed electronic results over HTTP: a leader signs from the dossier page or the API, the
//! public verification page and endpoint, a changed copy, a forged code, the public keys.

use super::*;
use crate::journeys::post_multipart;

async fn signing_app() -> TestApp {
    let config =
        AppConfig { master_key: Some(motcua_app::signing::MasterKey::from_bytes([7; 32])), ..AppConfig::default() };
    test_app_with(Arc::new(FixedClock(instant(2026, 11, 27, 3))), config).await
}

fn multipart_post(uri: &str, (ct, body): (String, Vec<u8>)) -> Request<Body> {
    Request::post(uri).header(header::CONTENT_TYPE, ct).body(Body::from(body)).unwrap()
}

#[tokio::test]
async fn a_signed_result_is_verified_by_anyone_and_a_changed_copy_is_caught() {
    let t = signing_app().await;
    let desk = t.token("motcua").await;
    let leader = t.token("lanhdao").await;
    let code = t.transferred_dossier(&desk).await;

    // Signed from the API; the PDF is the dossier's result file.
    let r = t.send(bearer("POST", &format!("/api/v1/dossiers/{code}/signed-result"), &leader, None)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let signed = r.json();
    let id = signed["id"].as_str().unwrap().to_owned();
    let document = signed["document"].as_str().unwrap();
    let pdf = t.send(bearer("GET", &format!("/api/v1/dossiers/{code}/documents/{document}"), &leader, None)).await;
    assert_eq!(pdf.headers[header::CONTENT_TYPE], "application/pdf");
    assert_pdf_text(&pdf.raw, &["KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", &code, &id, "THỦ TRƯỞNG CƠ QUAN"]);
    if let Some(url) = pdf_qr(&pdf.raw) {
        assert_eq!(url, format!("http://127.0.0.1:8080/xac-thuc/{id}"), "the QR code opens the verification page");
    }
    let r = t.send(bearer("POST", &format!("/api/v1/dossiers/{code}/signed-result"), &leader, None)).await;
    assert_eq!((r.status, r.json()["code"].clone()), (StatusCode::CONFLICT, json!("already_signed")));

    // Public: no token, nothing personal beyond what the result prints.
    let r = t.get(&format!("/api/v1/verify/{id}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!((r.json()["verdict"].clone(), r.json()["dossier"].clone()), (json!("valid"), json!(code)));
    assert!(!r.body.contains("0912345678") && !r.body.contains("031095001234"), "{}", r.body);
    let r = t.send(multipart_post(&format!("/api/v1/verify/{id}"), multipart(&[], Some(("kq.pdf", &pdf.raw))))).await;
    assert_eq!(r.json()["verdict"], "valid", "{}", r.body);
    let mut changed = pdf.raw.clone();
    let i = changed.len() - 40;
    changed[i] ^= 0x20;
    let r = t.send(multipart_post(&format!("/api/v1/verify/{id}"), multipart(&[], Some(("kq.pdf", &changed))))).await;
    assert_eq!(r.json()["verdict"], "altered", "{}", r.body);
    let r = t.send(multipart_post(&format!("/api/v1/verify/{id}"), multipart(&[], None))).await;
    assert_eq!((r.status, r.json()["field"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("file")));

    // The page the QR code opens, and a copy checked there.
    let r = t.get(&format!("/xac-thuc/{id}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Hợp lệ: chữ ký số của cơ quan đúng") && r.body.contains("Sở Tư pháp"), "{}", r.body);
    let anonymous = String::new();
    let r = t
        .send(post_multipart(&format!("/xac-thuc/{id}"), &anonymous, multipart(&[], Some(("kq.pdf", &changed)))))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Không hợp lệ: nội dung tệp đã bị thay đổi") && r.body.contains("bản sao vừa gửi"));
    for forged in ["00000000-0000-7000-8000-000000000000", "abc"] {
        let r = t.get(&format!("/xac-thuc/{forged}")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{forged}");
        assert!(r.body.contains("<html") && r.body.contains("có thể bị làm giả"), "{}", r.body);
        assert_eq!(t.get(&format!("/api/v1/verify/{forged}")).await.json()["code"], "not_found");
    }
    let log = t.send(bearer("GET", &format!("/api/v1/verify/{id}/log"), &leader, None)).await;
    assert_eq!(log.json().as_array().unwrap().len(), 5, "every verification recorded: {}", log.body);

    // The public keys; an admin rotates.
    let keys = t.get("/api/v1/signing-keys").await.json();
    assert_eq!(keys[0]["agency"], "H24.11");
    assert!(keys[0].get("sealed").is_none(), "{keys}");
    let admin = t.token("admin").await;
    let r = t.send(bearer("POST", "/api/v1/agencies/H24.11/signing-keys", &admin, None)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = t.send(bearer("POST", "/api/v1/agencies/H24.11/signing-keys", &leader, None)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(t.get(&format!("/api/v1/verify/{id}")).await.json()["verdict"], "valid", "after rotation");
}

#[tokio::test]
async fn a_leader_signs_from_the_dossier_page() {
    let t = signing_app().await;
    let desk = t.token("motcua").await;
    let code = t.transferred_dossier(&desk).await;
    let leader = cookie_of(&t, "lanhdao").await;
    let specialist = cookie_of(&t, "chuyenvien").await;
    let page = |c: &str| Request::get(format!("/ho-so/{code}")).header(header::COOKIE, c).body(Body::empty()).unwrap();
    assert!(t.send(page(&leader)).await.body.contains("Ký số và phát hành kết quả điện tử"));
    assert!(!t.send(page(&specialist)).await.body.contains("Ký số và phát hành kết quả điện tử"), "leaders sign");
    let r = t.send(form_post(&format!("/ho-so/{code}/ky-ket-qua"), &specialist, "")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t.send(form_post(&format!("/ho-so/{code}/ky-ket-qua"), &leader, "")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = t.send(page(&leader)).await;
    assert!(r.body.contains("Kết quả điện tử có chữ ký số") && r.body.contains("href=\"/xac-thuc/"), "{}", r.body);
    assert!(!r.body.contains("Ký số và phát hành kết quả điện tử"), "signed once");
    let r = t.send(form_post(&format!("/ho-so/{code}/ky-ket-qua"), &leader, "")).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("đã được ký số"), "the page says why: {}", r.body);
}
