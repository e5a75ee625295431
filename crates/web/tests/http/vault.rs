//! The document vault over HTTP: the filing page offers the holder's documents, the vault page
//! lists them with every access, the API and its refusals.

use super::*;
use crate::journeys::{APPLICANT, PDF, PNG, multipart_files, post_multipart};

fn page(uri: &str, cookie: &str) -> Request<Body> {
    Request::get(uri.to_owned()).header(header::COOKIE, cookie).body(Body::empty()).unwrap()
}

#[tokio::test]
async fn the_filing_page_offers_the_vault_and_the_vault_page_shows_every_access() {
    let t = test_app().await;
    let citizen = cookie_of(&t, "congdan").await;
    let r = t.send(page("/kho-giay-to", &citizen)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Kho chưa có giấy tờ nào"), "{}", r.body);
    let good = [("file_0", "cccd.png", PNG), ("file_1", "ban-sao.pdf", PDF)];
    let r = t.send(post_multipart("/mot-cua/nop-truc-tuyen", &citizen, multipart_files(&APPLICANT, &good))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // The next filing offers both; one is taken from the vault, one uploaded.
    let r = t.send(page("/mot-cua/tiep-nhan?procedure=2.000908", &citizen)).await;
    assert!(r.body.contains("name=\"vault_0\"") && r.body.contains("name=\"vault_1\""), "{}", r.body);
    let id = r
        .body
        .split("name=\"vault_0\"")
        .nth(1)
        .unwrap()
        .split("<option value=\"")
        .nth(2)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let mut fields = APPLICANT.to_vec();
    fields.push(("vault_0", &id));
    let r = t
        .send(post_multipart(
            "/mot-cua/nop-truc-tuyen",
            &citizen,
            multipart_files(&fields, &[("file_1", "ban-sao.pdf", PDF)]),
        ))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "one uploaded and one from the vault is complete: {}", r.body);
    let location = r.headers[header::LOCATION].to_str().unwrap().trim_end_matches("?da_nop=1").to_owned();
    let code = location.trim_start_matches("/ho-so/");
    let r = t.send(page(&location, &citizen)).await;
    assert!(r.body.contains("Lấy từ kho dữ liệu của người nộp"), "the file says where it came from: {}", r.body);

    // The vault page: the documents and the access, with the dossier.
    let r = t.send(page("/kho-giay-to", &citizen)).await;
    assert!(r.body.contains("Dùng cho hồ sơ") && r.body.contains(code), "{}", r.body);
    let r = t.send(page(&format!("/kho-giay-to/{id}"), &citizen)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.raw, PNG);

    // A forged choice: refused on the page, nothing filed.
    let mut forged = APPLICANT.to_vec();
    forged.push(("vault_0", "00000000-0000-7000-8000-000000000000"));
    let r = t
        .send(post_multipart(
            "/mot-cua/nop-truc-tuyen",
            &citizen,
            multipart_files(&forged, &[("file_1", "b.pdf", PDF)]),
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("Không có giấy tờ này trong kho"), "{}", r.body);

    // The API: the holder's vault; an admin links accounts; others are refused.
    let token = t.token("congdan").await;
    let get = |uri: &str, token: &str| {
        Request::get(uri.to_owned())
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap()
    };
    let v = t.send(get("/api/v1/vault", &token)).await.json();
    assert_eq!(v["holder"], "citizen:031095001234");
    assert_eq!(v["items"].as_array().unwrap().len(), 3, "two uploads of the first filing, one of the second");
    assert_eq!(v["log"][0]["action"], "vault.download");
    let desk = t.token("motcua").await;
    assert_eq!(t.send(get("/api/v1/vault", &desk)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(t.send(get(&format!("/api/v1/vault/{id}/file"), &desk)).await.status, StatusCode::FORBIDDEN);
    let admin = t.token("admin").await;
    let link = |token: &str, body: Value| {
        Request::put("/api/v1/users/congdan/identity")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let r = t.send(link(&admin, json!({"kind": "citizen", "id": "031095001234"}))).await;
    assert_eq!((r.status, r.json()), (StatusCode::OK, json!("citizen:031095001234")));
    assert_eq!(
        t.send(link(&token, json!({"kind": "citizen", "id": "031095001234"}))).await.status,
        StatusCode::FORBIDDEN
    );
    let r = t.send(link(&admin, json!({"kind": "citizen", "id": "12"}))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
}
