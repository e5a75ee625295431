//! The declaration form (tờ khai) over HTTP: the citizen fills it on the filing page, keeps a
//! draft and resumes it, sees each refusal by its field, files; the API's draft and declaration
//! endpoints.

use super::*;
use crate::journeys::{PNG, multipart_files, post_multipart};

const LLTP: &str = "3.000333";

fn page(uri: &str, cookie: &str) -> Request<Body> {
    Request::get(uri.to_owned()).header(header::COOKIE, cookie).body(Body::empty()).unwrap()
}

/// The filing of 3.000333 with the declaration `answers` (`tk.<key>`) and the one file it
/// requires: the copy of the identity card (position 2; 0, 1, 4 and 5 are needed only in some
/// cases, 3 and 6 are the paper declaration the e-form stands for).
fn filing(answers: &[(&str, &str)], extra: &[(&str, &str)]) -> (String, Vec<u8>) {
    let mut fields: Vec<(String, String)> = [
        ("procedure", LLTP),
        ("kind", "citizen"),
        ("id", "031195001234"),
        ("name", "Vũ Minh Anh"),
        ("phone", "0912345678"),
        ("desk", "H24.02"),
        ("channel", "online"),
    ]
    .iter()
    .chain(extra)
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    fields.extend(answers.iter().map(|(k, v)| (format!("tk.{k}"), v.to_string())));
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let files = [("file_2", "cccd.png", PNG)];
    multipart_files(&fields, &files)
}

const ANSWERS: [(&str, &str); 11] = [
    ("ho_ten", "VŨ MINH ANH"),
    ("gioi_tinh", "Nữ"),
    ("ngay_sinh", "1995-03-14"),
    ("noi_sinh", "Hải Dương"),
    ("quoc_tich", "Việt Nam"),
    ("so_dinh_danh", "031195001234"),
    ("noi_thuong_tru", "Xã Kẻ Sặt, thành phố Hải Phòng"),
    ("qua_trinh_cu_tru", "2013–nay: Hải Phòng, kế toán"),
    ("loai_phieu", "Phiếu lý lịch tư pháp số 1"),
    ("so_luong", "2"),
    ("muc_dich", "Bổ sung hồ sơ xin việc"),
];

#[tokio::test]
async fn a_citizen_fills_the_declaration_keeps_a_draft_and_files_it_on_the_pages() {
    let t = test_app().await;
    let citizen = cookie_of(&t, "congdan").await;
    let r = t.send(page(&format!("/mot-cua/tiep-nhan?procedure={LLTP}"), &citizen)).await;
    assert_eq!(r.status, StatusCode::OK);
    for s in [
        "3. Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp",
        "name=\"tk.ho_ten\"",
        "Lưu nháp tờ khai",
        "4. Thành phần hồ sơ",
    ] {
        assert!(r.body.contains(s), "{s:?} on the filing page");
    }
    assert!(r.body.contains("kê khai trực tuyến ở bước 3"), "the paper declaration is not uploaded");
    assert!(!r.body.contains("name=\"file_3\""), "no file asked for the declaration it stands for");
    assert!(r.body.contains("(Bản chính, 1; nếu có)"), "the components needed only in some cases say so");

    // A draft: kept as typed, files aside; the form comes back with it, and again later.
    let draft = [("ho_ten", "VŨ MINH ANH"), ("noi_sinh", "Hải Dương")];
    let r = t.send(post_multipart("/mot-cua/nop-truc-tuyen", &citizen, filing(&draft, &[("luu_nhap", "1")]))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Đã lưu bản nháp tờ khai lúc 10:00 ngày 27/11/2026"), "{}", r.body);
    let r = t.send(page(&format!("/mot-cua/tiep-nhan?procedure={LLTP}"), &citizen)).await;
    assert!(r.body.contains("Đã mở bản nháp tờ khai"), "{}", r.body);
    assert!(r.body.contains("value=\"VŨ MINH ANH\"") && r.body.contains("value=\"Hải Dương\""), "resumed");
    assert!(r.body.contains("Bỏ bản nháp"));

    // Refused field by field, what was typed kept, nothing filed.
    let mut wrong = ANSWERS.to_vec();
    wrong[2] = ("ngay_sinh", "2027-01-01");
    wrong[9] = ("so_luong", "0");
    let r = t.send(post_multipart("/mot-cua/nop-truc-tuyen", &citizen, filing(&wrong, &[]))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("«Ngày, tháng, năm sinh»: không được sau ngày nộp"), "{}", r.body);
    assert!(r.body.contains("«Số lượng Phiếu yêu cầu cấp»: trong khoảng 1–10"), "{}", r.body);
    assert_eq!(r.body.matches("class=\"field-error\"").count(), 2, "each refusal under its field");
    assert!(r.body.contains("value=\"Xã Kẻ Sặt, thành phố Hải Phòng\""), "what was typed stays");
    let token = t.token("congdan").await;
    let r = t.send(bearer("GET", "/api/v1/dossiers?finished=true", &token, None)).await;
    assert_eq!(r.json()["total"], json!(0), "nothing filed");

    // Filed: the dossier shows the declaration and prints it; the draft is gone.
    let r = t.send(post_multipart("/mot-cua/nop-truc-tuyen", &citizen, filing(&ANSWERS, &[]))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let location = r.headers[header::LOCATION].to_str().unwrap().trim_end_matches("?da_nop=1").to_owned();
    let r = t.send(page(&location, &citizen)).await;
    assert!(r.body.contains("<h2 id=\"declaration-title\">Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp</h2>"));
    assert!(r.body.contains("<dd>14/03/1995</dd>") && r.body.contains("<dd>Không</dd>"), "{}", r.body);
    let r = t.send(page(&format!("{location}/mau/to-khai/pdf"), &citizen)).await;
    assert_eq!(r.headers[header::CONTENT_TYPE], "application/pdf");
    assert_pdf_text(&r.raw, &["TỜ KHAI YÊU CẦU CẤP PHIẾU LÝ LỊCH TƯ PHÁP", "VŨ MINH ANH", "14/03/1995"]);
    let r = t.send(page(&format!("/mot-cua/tiep-nhan?procedure={LLTP}"), &citizen)).await;
    assert!(!r.body.contains("Đã mở bản nháp tờ khai"), "the draft went with the filing");
}

#[tokio::test]
async fn the_api_keeps_drafts_refuses_answers_by_field_and_serves_the_declaration() {
    let t = test_app().await;
    let citizen = t.token("congdan").await;
    let desk = t.token("motcua").await;
    let draft_uri = format!("/api/v1/procedures/{LLTP}/declaration-draft");
    let r = t.send(bearer("GET", &draft_uri, &citizen, None)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = t
        .send(bearer("PUT", &draft_uri, &citizen, Some(json!({"answers": {"ho_ten": "VŨ MINH ANH", "x": "y"}}))))
        .await;
    assert_eq!(
        (r.status, r.json()["answers"].clone()),
        (StatusCode::OK, json!({"ho_ten": "VŨ MINH ANH"})),
        "{}",
        r.body
    );
    assert_eq!(t.send(bearer("GET", &draft_uri, &citizen, None)).await.json()["answers"]["ho_ten"], "VŨ MINH ANH");
    let r = t.send(bearer("PUT", &draft_uri, &desk, Some(json!({"answers": {}})))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "drafts are the applicant's");
    let r = t
        .send(bearer("PUT", "/api/v1/procedures/2.000908/declaration-draft", &citizen, Some(json!({"answers": {}}))))
        .await;
    assert_eq!((r.status, r.json()["code"].clone()), (StatusCode::CONFLICT, json!("no_eform")));
    let r = t.send(bearer("PUT", &draft_uri, &citizen, Some(json!({"answers": "ho_ten"})))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(t.send(bearer("DELETE", &draft_uri, &citizen, None)).await.status, StatusCode::NO_CONTENT);
    assert_eq!(t.send(bearer("DELETE", &draft_uri, &citizen, None)).await.status, StatusCode::NOT_FOUND);

    // Filing with answers: each refusal named in `errors`.
    let mut answers: serde_json::Map<String, Value> = ANSWERS.iter().map(|(k, v)| (k.to_string(), json!(v))).collect();
    answers.insert("so_dinh_danh".into(), json!("12"));
    answers.remove("muc_dich");
    let body = |answers: &serde_json::Map<String, Value>| {
        json!({"procedure": LLTP, "channel": "online", "desk": "H24.02", "answers": answers,
            "applicant": {"kind": "citizen", "id": "031195001234", "name": "Vũ Minh Anh", "phone": "0912345678"}})
    };
    let r = t.post_json("/api/v1/dossiers", Some(&citizen), body(&answers)).await;
    assert_eq!((r.status, r.json()["code"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("invalid_answers")));
    let mut fields: Vec<String> =
        r.json()["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap().to_owned()).collect();
    fields.sort();
    assert_eq!(fields, ["answers.muc_dich", "answers.so_dinh_danh"]);
    answers.insert("so_dinh_danh".into(), json!("031195001234"));
    answers.insert("muc_dich".into(), json!("Xin việc"));
    let r = t.post_json("/api/v1/dossiers", Some(&citizen), body(&answers)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let code = r.json()["code"].as_str().unwrap().to_owned();
    let r = t.send(bearer("GET", &format!("/api/v1/dossiers/{code}/declaration"), &desk, None)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = r.json();
    assert_eq!(v["title"], "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp");
    assert_eq!(v["lines"][0], json!({"key": "ho_ten", "label": "Họ và tên", "value": "VŨ MINH ANH"}));
    let r = t.send(bearer("GET", &format!("/api/v1/dossiers/{code}/forms/to-khai"), &desk, None)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}
