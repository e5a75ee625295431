//! Dossiers on the pages: the counter, printed forms, letters, online filing, files.

use super::*;

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
    // Each step by its owner: the specialist's, the leader's, the clerk's (issue 14).
    let leader = cookie_of(&t, "lanhdao").await;
    let r = t.send(page(&location, &leader)).await;
    assert!(
        r.body.contains("Đang chờ: Chuyên viên chuyenvien") && r.body.contains("Làm thay: hoàn thành bước"),
        "{}",
        r.body
    );
    assert_eq!(
        t.send(step(&specialist, "complete_step", 3, "&text=Th%E1%BA%A9m+%C4%91%E1%BB%8Bnh")).await.status,
        StatusCode::SEE_OTHER
    );
    let r = t.send(page(&location, &leader)).await;
    assert!(r.body.contains("Đến lượt bạn") && r.body.contains("Hoàn thành bước"), "{}", r.body);
    assert_eq!(t.send(step(&specialist, "complete_step", 4, "&text=x")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(t.send(step(&leader, "complete_step", 4, "&text=K%C3%BD")).await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        t.send(step(&specialist, "complete_step", 5, "&text=Ph%C3%A1t+h%C3%A0nh")).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(t.send(step(&specialist, "resolve", 6, "&outcome=granted")).await.status, StatusCode::SEE_OTHER);
    assert_eq!(t.send(step(&desk, "return", 7, "&text=V%C5%A9+Minh+Anh")).await.status, StatusCode::SEE_OTHER);
    let r = t.send(page(&location, &specialist)).await;
    assert!(r.body.contains("Đã trả kết quả"), "{}", r.body);
    assert_eq!(r.body.matches("<li><strong>").count(), 8, "eight events on the timeline");
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

#[tokio::test]
async fn supplement_and_apology_letters() {
    let t = test_app().await;
    let desk = t.token("motcua").await;
    let specialist = t.token("chuyenvien").await;
    let code = t.transferred_dossier(&desk).await;
    let url = |c: &str| format!("/api/v1/dossiers/{code}/{c}");
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
async fn a_citizen_files_online_and_the_desk_checks_it_on_the_pages() {
    let t = test_app().await;
    let citizen = cookie_of(&t, "congdan").await;
    let desk = cookie_of(&t, "motcua").await;
    let page = |uri: &str, c: &str| Request::get(uri.to_owned()).header(header::COOKIE, c).body(Body::empty()).unwrap();
    let r = t.send(page("/mot-cua/tiep-nhan?procedure=2.000908", &citizen)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Nộp hồ sơ trực tuyến") && r.body.contains("value=\"H24.02\""), "{}", r.body);
    // The citizen's form carries a file for each component (issue 14).
    use crate::journeys::{APPLICANT, PDF, PNG, multipart_files, post_multipart};
    let files = [("file_0", "cccd.png", PNG), ("file_1", "ban-sao.pdf", PDF)];
    let r = t.send(post_multipart("/mot-cua/nop-truc-tuyen", &citizen, multipart_files(&APPLICANT, &files))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let location = r.headers[header::LOCATION].to_str().unwrap().trim_end_matches("?da_nop=1").to_owned();
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
async fn an_upload_cut_off_midway_is_refused_and_nothing_is_kept() {
    let t = test_app().await;
    let desk = t.token("motcua").await;
    let body = json!({"procedure": "2.000908", "channel": "counter",
        "applicant": {"kind": "citizen", "id": "031095001234", "name": "Vũ Minh Anh"}});
    let code = t.post_json("/api/v1/dossiers", Some(&desk), body).await.json()["code"].as_str().unwrap().to_owned();
    let mut file = b"%PDF-1.7\n".to_vec();
    file.extend([b'x'; 300_000]);
    let (ct, whole) = multipart(&[("kind", "component"), ("name", "Bản sao")], Some(("a.pdf", &file)));
    // The first part of the body, then the connection fails.
    let head = axum::body::Bytes::copy_from_slice(&whole[..whole.len() / 2 + 100]);
    let parts: Vec<Result<axum::body::Bytes, std::io::Error>> = vec![Ok(head), Err(std::io::Error::other("reset"))];
    let req = Request::post(format!("/api/v1/dossiers/{code}/documents"))
        .header(header::AUTHORIZATION, format!("Bearer {desk}"))
        .header(header::CONTENT_TYPE, ct)
        .body(Body::from_stream(futures_util::stream::iter(parts)))
        .unwrap();
    let r = t.send(req).await;
    assert!(r.status.is_client_error(), "{} {}", r.status, r.body);
    let list = Request::get(format!("/api/v1/dossiers/{code}/documents"))
        .header(header::AUTHORIZATION, format!("Bearer {desk}"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(t.send(list).await.json(), json!([]), "no row for a file cut off");
}
