//! Issue 14: the citizen's journey on the pages — from the procedure page to the filing form with
//! its files, the confirmation, "Hồ sơ của tôi", a request to complete, and the timeline.

use super::*;

pub(crate) const PNG: &[u8] = b"\x89PNG\r\n\x1a\n0000";
pub(crate) const PDF: &[u8] = b"%PDF-1.4\n% giay to\n%%EOF\n";

fn page(uri: &str, cookie: &str) -> Request<Body> {
    Request::get(uri.to_owned()).header(header::COOKIE, cookie).body(Body::empty()).unwrap()
}

/// A multipart body with text fields and named files (`(field, file name, bytes)`).
pub(crate) fn multipart_files(fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----motcua-journey-boundary";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes());
    }
    for (field, name, bytes) in files {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .as_bytes(),
        );
        body.extend(*bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

pub(crate) fn post_multipart(uri: &str, cookie: &str, (ct, body): (String, Vec<u8>)) -> Request<Body> {
    Request::post(uri)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, ct)
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(body))
        .unwrap()
}

pub(crate) const APPLICANT: [(&str, &str); 7] = [
    ("procedure", "2.000908"),
    ("kind", "citizen"),
    ("id", "031095001234"),
    ("name", "Vũ Minh Anh"),
    ("phone", "0912345678"),
    ("desk", "H24.02"),
    ("channel", "online"),
];

async fn dossier_count(t: &TestApp, token: &str) -> u64 {
    let r = t
        .send(
            Request::get("/api/v1/dossiers?finished=true")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    r.json()["total"].as_u64().unwrap()
}

#[tokio::test]
async fn the_procedure_page_leads_to_the_filing_form_and_reads_plainly() {
    let t = test_app().await;
    // A visitor is sent through the login page and comes back to the form.
    let r = t.get("/thu-tuc/2.000908").await;
    assert!(r.body.contains("Nộp hồ sơ trực tuyến"), "{}", r.body);
    assert!(r.body.contains("/dang-nhap?next=%2Fmot-cua%2Ftiep-nhan%3Fprocedure%3D2.000908"), "{}", r.body);
    let citizen = cookie_of(&t, "congdan").await;
    let r = t.send(page("/thu-tuc/2.000908", &citizen)).await;
    assert!(r.body.contains("href=\"/mot-cua/tiep-nhan?procedure=2.000908\""), "{}", r.body);
    // A procedure filed only at the counter offers no online filing, and refuses one.
    let r = t.get("/thu-tuc/2.000986").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.body.contains("Nộp hồ sơ trực tuyến"));
    let token = t.token("congdan").await;
    let online = json!({"procedure": "2.000986", "channel": "online", "desk": "H24.02",
        "applicant": {"kind": "citizen", "id": "031095001234", "name": "Vũ Minh Anh"}});
    let r = t.post_json("/api/v1/dossiers", Some(&token), online).await;
    assert_eq!((r.status, r.json()["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("online_not_offered")));
    // A time limit published as a bare number reads "Theo quy định" with what was published.
    let r = t.get("/thu-tuc/1.001193").await;
    assert!(!r.body.contains("chưa rõ đơn vị"), "never shown to citizens");
    assert!(r.body.contains("Theo quy định") && r.body.contains("văn bản công bố ghi «1»"), "{}", r.body);
    let r = t.get("/thu-tuc?q=khai+sinh").await;
    assert!(!r.body.contains("chưa rõ đơn vị"), "{}", r.body);
}

#[tokio::test]
async fn a_citizen_files_with_the_files_in_the_form_and_sees_what_happens_next() {
    let t = test_app().await;
    let citizen = cookie_of(&t, "congdan").await;
    let token = t.token("congdan").await;
    let r = t.send(page("/mot-cua/tiep-nhan?procedure=2.000908", &citizen)).await;
    assert_eq!(r.body.matches("type=\"file\" name=\"file_").count(), 2, "a file for each component");
    assert!(r.body.contains("action=\"/mot-cua/nop-truc-tuyen\"") && r.body.contains("multipart/form-data"));
    // One file missing: the one-go guidance, nothing stored.
    let r = t
        .send(post_multipart(
            "/mot-cua/nop-truc-tuyen",
            &citizen,
            multipart_files(&APPLICANT, &[("file_0", "cccd.png", PNG)]),
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("hướng dẫn hoàn thiện một lần"), "{}", r.body);
    // A file that is not a PDF, PNG or JPEG: refused whole, nothing stored.
    let bad = [("file_0", "cccd.png", PNG), ("file_1", "ghi-chu.txt", b"van ban".as_slice())];
    let r = t.send(post_multipart("/mot-cua/nop-truc-tuyen", &citizen, multipart_files(&APPLICANT, &bad))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("Chỉ nhận tệp PDF, PNG hoặc JPEG"), "{}", r.body);
    assert_eq!(dossier_count(&t, &token).await, 0, "nothing stored");
    // Both files: filed, and the confirmation says what comes next.
    let good = [("file_0", "cccd.png", PNG), ("file_1", "ban-sao.pdf", PDF)];
    let r = t.send(post_multipart("/mot-cua/nop-truc-tuyen", &citizen, multipart_files(&APPLICANT, &good))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let location = r.headers[header::LOCATION].to_str().unwrap().to_owned();
    assert!(location.ends_with("?da_nop=1"), "{location}");
    let r = t.send(page(&location, &citizen)).await;
    assert!(r.body.contains("Đã nộp hồ sơ. Mã hồ sơ: H24.02-"), "{}", r.body);
    assert!(r.body.contains("ngày hẹn trả kết quả được ghi tại đây"), "{}", r.body);
    assert!(r.body.contains("cccd.png") && r.body.contains("ban-sao.pdf"), "both files are on the dossier");
    assert!(r.body.contains("Thủ tục cấp bản sao từ sổ gốc"), "the procedure by its name");
    assert!(r.body.contains("data-confirm=\""), "withdrawal asks for confirmation");
    // "Hồ sơ của tôi": by procedure name, running apart from finished.
    let r = t.send(page("/ho-so", &citizen)).await;
    assert!(
        r.body.contains("Hồ sơ của tôi")
            && r.body.contains("Đang giải quyết")
            && r.body.contains("Đã kết thúc, đã rút")
    );
    assert!(r.body.contains("Thủ tục cấp bản sao từ sổ gốc") && r.body.contains("Mới đăng ký"), "{}", r.body);
}

#[tokio::test]
async fn a_request_to_complete_is_notified_and_listed_with_its_uploads() {
    let t = test_app().await;
    let citizen = cookie_of(&t, "congdan").await;
    let desk = cookie_of(&t, "motcua").await;
    let good = [("file_0", "cccd.png", PNG), ("file_1", "ban-sao.pdf", PDF)];
    let r = t.send(post_multipart("/mot-cua/nop-truc-tuyen", &citizen, multipart_files(&APPLICANT, &good))).await;
    let location = r.headers[header::LOCATION].to_str().unwrap().trim_end_matches("?da_nop=1").to_owned();
    let code = location.trim_start_matches("/ho-so/").to_owned();
    let body = "revision=1&text=B%E1%BA%A3n+sao+gi%E1%BA%A5y+khai+sinh";
    let r = t.send(form_post(&format!("{location}/request_completion"), &desk, body)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // The applicant is told (SMS, as for every change).
    let token = t.token("congdan").await;
    let r = t
        .send(
            Request::get(format!("/api/v1/dossiers/{code}/notices"))
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(r.body.contains("Yeu cau hoan thien ho so. Can bo sung: Ban sao giay khai sinh."), "{}", r.body);
    // The citizen's page lists what to bring, each with its upload.
    let r = t.send(page(&location, &citizen)).await;
    assert!(r.body.contains("Cần bổ sung, hoàn thiện") && r.body.contains("Bản sao giấy khai sinh"), "{}", r.body);
    assert!(r.body.contains("name=\"name\" value=\"Bản sao giấy khai sinh\""), "{}", r.body);
    let (ct, bytes) = multipart(
        &[("kind", "component"), ("name", "Bản sao giấy khai sinh"), ("source", "upload")],
        Some(("khai-sinh.pdf", PDF)),
    );
    let r = t.send(post_multipart(&format!("{location}/tep"), &citizen, (ct, bytes))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // The desk accepts; the timeline speaks Vietnamese and shows what was typed.
    let r = t.send(form_post(&format!("{location}/accept"), &desk, "revision=2")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = t.send(page(&location, &desk)).await;
    for text in [
        "Nộp hồ sơ trực tuyến",
        "Yêu cầu hoàn thiện hồ sơ",
        "Giấy tờ cần hoàn thiện: Bản sao giấy khai sinh",
        "Tiếp nhận hồ sơ",
        "Hẹn trả kết quả: 17:30 ngày 30/11/2026",
    ] {
        assert!(r.body.contains(text), "timeline lacks «{text}»: {}", r.body);
    }
    assert!(!r.body.contains("request_completion:"), "no command names in the timeline");
}

#[tokio::test]
async fn an_apology_on_a_day_off_is_refused_with_the_next_working_time() {
    let t = test_app().await;
    let desk = t.token("motcua").await;
    let specialist = t.token("chuyenvien").await;
    let code = t.transferred_dossier(&desk).await;
    let url = |c: &str| format!("/api/v1/dossiers/{code}/{c}");
    let apology = |rev: i64, when: &str| json!({"revision": rev, "new_due": when, "reason": "Chờ xác minh"});
    // Saturday 5/12/2026: refused, the next working time suggested; nothing changes.
    let r = t.post_json(&url("apologise"), Some(&specialist), apology(2, "2026-12-05T10:00:00+07:00")).await;
    assert_eq!(
        (r.status, r.json()["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("not_working_time")),
        "{}",
        r.body
    );
    assert!(r.json()["message"].as_str().unwrap().contains("sớm nhất là 07:30 ngày 07/12/2026"), "{}", r.body);
    // At night on a working day: refused too; in office hours: accepted.
    let r = t.post_json(&url("apologise"), Some(&specialist), apology(2, "2026-12-07T20:00:00+07:00")).await;
    assert_eq!(r.json()["code"], "not_working_time");
    let r = t.post_json(&url("apologise"), Some(&specialist), apology(2, "2026-12-07T17:30:00+07:00")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["workflow"]["due_current"], "2026-12-07T17:30:00+07:00");
    // The dossier page links to how its appointment was counted.
    let cookie = cookie_of(&t, "motcua").await;
    let r = t.send(page(&format!("/ho-so/{code}"), &cookie)).await;
    assert!(
        r.body.contains("/lich-lam-viec/tinh-han?tu=2026-11-27T10:00&#38;so=1&#38;don_vi=ngay-lam-viec"),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn the_login_page_returns_where_it_was_opened_from_and_pdf_names_stay_vietnamese() {
    let t = test_app().await;
    let r = t
        .send(
            Request::get("/dang-nhap")
                .header(header::HOST, "motcua.example")
                .header(header::REFERER, "http://motcua.example/thu-tuc/2.000908?at=2026-11-27")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(r.body.contains("value=\"/thu-tuc/2.000908?at=2026-11-27\""), "{}", r.body);
    let r = t
        .send(
            Request::get("/dang-nhap")
                .header(header::HOST, "motcua.example")
                .header(header::REFERER, "http://evil.example/thu-tuc")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(r.body.contains("name=\"next\" value=\"/\""), "another site's page is not followed: {}", r.body);
    let desk = t.token("motcua").await;
    let code = t.transferred_dossier(&desk).await;
    let r = t
        .send(
            Request::get(format!("/api/v1/dossiers/{code}/forms/01"))
                .header(header::AUTHORIZATION, format!("Bearer {desk}"))
                .header(header::ACCEPT, "application/pdf")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    let disposition = r.headers[header::CONTENT_DISPOSITION].to_str().unwrap().to_owned();
    assert!(
        disposition.starts_with("inline; filename=\"") && disposition.contains("filename*=UTF-8''"),
        "{disposition}"
    );
    assert!(disposition.contains("%E1%BA%"), "the Vietnamese name is kept, percent-encoded: {disposition}");
}

#[tokio::test]
async fn a_saturday_receipt_is_explained_with_the_rule_it_follows() {
    let t = test_app().await;
    let r = t.get("/lich-lam-viec/tinh-han").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains("được tính từ <strong>ngày làm việc tiếp theo</strong>")
            && r.body.contains("Thứ Bảy không được tính"),
        "{}",
        r.body
    );
    // Saturday 28/11/2026 at 09:00, one working day: counted from Monday 30/11, the first
    // working day after it is Tuesday 1/12.
    let r = t.get("/lich-lam-viec/tinh-han?tu=2026-11-28T09%3A00&so=1&don_vi=ngay-lam-viec").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Hẹn trả kết quả: 17:30 ngày 01/12/2026"), "{}", r.body);
    assert!(r.body.contains("hồ sơ tiếp nhận vào ngày nghỉ được tính từ ngày làm việc tiếp theo"), "{}", r.body);
    let r = t.get("/lich-lam-viec/tinh-han?tu=hom-qua&so=1").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Nhập ngày giờ tiếp nhận"));
}

#[tokio::test]
async fn the_tracking_book_is_a_page_of_the_site_with_its_period_and_pdf() {
    let t = test_app().await;
    let desk = t.token("motcua").await;
    let code = t.transferred_dossier(&desk).await;
    let cookie = cookie_of(&t, "motcua").await;
    let r = t.send(page("/mot-cua/so-theo-doi/H24.02?from=2026-11-01&to=2026-11-30", &cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Điều hướng chính"), "in the site's layout");
    assert!(
        r.body.contains("name=\"from\" value=\"2026-11-01\"") && r.body.contains("name=\"to\" value=\"2026-11-30\"")
    );
    assert!(r.body.contains(&code), "the dossier of the period is listed");
    assert!(r.body.contains("format=pdf") && r.body.contains("Tải PDF"), "{}", r.body);
    let r = t.send(page("/mot-cua/so-theo-doi/H24.02?from=2026-11-01&to=2026-11-30&format=pdf", &cookie)).await;
    assert_eq!(r.headers[header::CONTENT_TYPE], "application/pdf");
    let r = t.send(page("/mot-cua/so-theo-doi/H24.02?from=2026-10-01&to=2026-10-31", &cookie)).await;
    assert!(r.body.contains("Không có hồ sơ tiếp nhận trong kỳ"), "{}", r.body);
}

/// A busy desk's book is read a page of 100 rows at a time on screen, numbered as in the whole
/// book; printed or downloaded, it is whole.
#[tokio::test]
async fn the_tracking_book_of_a_busy_desk_is_paged_on_screen_and_whole_in_pdf() {
    let t = test_app().await;
    let desk = t.token("motcua").await;
    let body = json!({"procedure": "2.000908", "channel": "counter",
        "applicant": {"kind": "citizen", "id": "031095001234", "name": "Vũ Minh Anh", "phone": "0912345678"}});
    for _ in 0..101 {
        let r = t.post_json("/api/v1/dossiers", Some(&desk), body.clone()).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    let cookie = cookie_of(&t, "motcua").await;
    let url = "/mot-cua/so-theo-doi/H24.02?from=2026-11-01&to=2026-11-30";
    let r = t.send(page(url, &cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("H24.02-261127-0100") && !r.body.contains("H24.02-261127-0101"), "100 rows");
    assert!(r.body.contains("Trang 1/2") && r.body.contains("page=2\">Trang sau"), "{}", r.body);
    assert!(r.body.contains("101 hồ sơ."), "the count is the whole book's");
    let r = t.send(page(&format!("{url}&page=2"), &cookie)).await;
    assert!(r.body.contains("<td>101</td><td>H24.02-261127-0101</td>"), "numbered as in the whole book: {}", r.body);
    assert!(r.body.contains("Trang trước") && !r.body.contains("H24.02-261127-0001"));
    let r = t.send(page(&format!("{url}&format=pdf"), &cookie)).await;
    assert_pdf_text(&r.raw, &["H24.02-261127-0001", "H24.02-261127-0101"]);
    let r = t
        .send(bearer("GET", "/api/v1/desks/H24.02/tracking-book?from=2026-11-01&to=2026-11-30&page=0", &desk, None))
        .await;
    assert_eq!((r.status, r.json()["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_page")));
}

#[tokio::test]
async fn the_filing_form_is_filled_in_from_the_account_and_remembers_when_asked() {
    let t = test_app().await;
    let citizen = cookie_of(&t, "congdan").await;
    let r = t.send(page("/mot-cua/tiep-nhan?procedure=2.000908", &citizen)).await;
    for filled in [
        "name=\"id\" value=\"031095001234\"",
        "name=\"name\" value=\"Vũ Minh Anh\"",
        "name=\"phone\" value=\"0912345678\"",
    ] {
        assert!(r.body.contains(filled), "{filled}: {}", r.body);
    }
    assert!(r.body.contains("name=\"remember\" value=\"1\" checked"), "{}", r.body);
    // Filed with a new phone and "remember" ticked: the next form has it.
    let mut fields: Vec<(&str, &str)> = APPLICANT.iter().filter(|(k, _)| *k != "phone").copied().collect();
    fields.extend([("phone", "0987654321"), ("remember", "1")]);
    let good = [("file_0", "cccd.png", PNG), ("file_1", "ban-sao.pdf", PDF)];
    let r = t.send(post_multipart("/mot-cua/nop-truc-tuyen", &citizen, multipart_files(&fields, &good))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = t.send(page("/mot-cua/tiep-nhan?procedure=2.000908", &citizen)).await;
    assert!(r.body.contains("name=\"phone\" value=\"0987654321\""), "{}", r.body);
    // The desk's counter form is not filled in from its own account.
    let desk = cookie_of(&t, "motcua").await;
    let r = t.send(page("/mot-cua/tiep-nhan?procedure=2.000908", &desk)).await;
    assert!(r.body.contains("name=\"id\" value=\"\""), "{}", r.body);
}

#[tokio::test]
async fn without_an_identity_provider_the_login_page_offers_no_vneid_and_its_routes_say_so() {
    let t = test_app().await;
    let page = t.get("/dang-nhap").await;
    assert!(!page.body.contains("/dang-nhap/vneid"), "no button without a provider");
    for uri in ["/dang-nhap/vneid?next=/ho-so", "/dang-nhap/vneid/ve?state=abc&code=def"] {
        let r = t.get(uri).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(r.body.contains("đăng nhập bằng VNeID (chưa được cấu hình)"), "{}", r.body);
        assert!(r.headers.get(header::SET_COOKIE).is_none_or(|c| !c.to_str().unwrap().starts_with("motcua_session")));
    }
}

/// A multipart body of parts in the order given: `(name, Some(file name), bytes)` for a file.
fn parts_in_order(parts: &[(&str, Option<&str>, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----motcua-order-boundary";
    let mut body = Vec::new();
    for (name, file, bytes) in parts {
        let disposition = match file {
            Some(f) => {
                format!("form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: application/octet-stream")
            }
            None => format!("form-data; name=\"{name}\""),
        };
        body.extend(format!("--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n").as_bytes());
        body.extend(*bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn the_filing_page_streams_its_files_and_keeps_none_when_the_filing_does_not_go_ahead() {
    let t = test_app().await;
    let citizen = cookie_of(&t, "congdan").await;
    let stored = async || t.app.files.list().await.unwrap().len();
    let before = stored().await;
    // As a browser sends it: files between the fields, the last fields after the files.
    let head: Vec<(&str, Option<&str>, &[u8])> =
        APPLICANT.iter().filter(|(k, _)| *k != "desk").map(|(k, v)| (*k, None, v.as_bytes())).collect();
    let form = |files: &[(&'static str, Option<&'static str>, &'static [u8])],
                tail: &[(&'static str, &'static str)]| {
        let mut parts = head.clone();
        parts.extend_from_slice(files);
        parts.extend(tail.iter().map(|(k, v)| (*k, None, v.as_bytes())));
        parts_in_order(&parts)
    };
    let post = |body| post_multipart("/mot-cua/nop-truc-tuyen", &citizen, body);
    let files: [(&str, Option<&str>, &[u8]); 2] =
        [("file_0", Some("cccd.png"), PNG), ("file_1", Some("ban-sao.pdf"), PDF)];

    // A bad second file: refused with the form as typed; the first file, already written, is gone.
    let bad: [(&str, Option<&str>, &[u8]); 2] = [files[0], ("file_1", Some("ghi-chu.txt"), b"van ban")];
    let r = t.send(post(form(&bad, &[("desk", "H24.02")]))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("Chỉ nhận tệp PDF, PNG hoặc JPEG") && r.body.contains("value=\"Vũ Minh Anh\""),
        "{}",
        r.body
    );
    assert!(r.body.contains("value=\"H24.02\" selected"), "a field sent after the files is kept: {}", r.body);
    assert_eq!(stored().await, before, "nothing kept of a refused filing");

    // A component missing, or a draft saved: the files sent are not kept either.
    let r = t.send(post(form(&files[..1], &[("desk", "H24.02")]))).await;
    assert!(r.body.contains("hướng dẫn hoàn thiện một lần"), "{}", r.body);
    // (2.000908 has no declaration to keep: the page says so.)
    let r = t.send(post(form(&files, &[("desk", "H24.02"), ("luu_nhap", "1")]))).await;
    assert!(r.body.contains("no_eform"), "{}", r.body);
    assert_eq!(stored().await, before);

    // Filed: both files stored once, on the dossier, readable with their checksum.
    let r = t.send(post(form(&files, &[("desk", "H24.02")]))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(stored().await, before + 2);
    let code =
        r.headers[header::LOCATION].to_str().unwrap().trim_start_matches("/ho-so/").trim_end_matches("?da_nop=1");
    let token = t.token("congdan").await;
    let docs = t.send(bearer("GET", &format!("/api/v1/dossiers/{code}/documents"), &token, None)).await.json();
    let docs = docs.as_array().unwrap().clone();
    assert_eq!(docs.len(), 2, "{docs:?}");
    for d in &docs {
        let id = d["id"].as_str().unwrap();
        let r = t.send(bearer("GET", &format!("/api/v1/dossiers/{code}/documents/{id}"), &token, None)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.raw == PNG || r.raw == PDF);
    }
}
