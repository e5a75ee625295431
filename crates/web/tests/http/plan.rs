//! The plan and impact assessments through the API and the pages.

use super::*;

/// What the steps of the plan's story share: the application, who acts, the plan as read.
struct PlanStory {
    t: TestApp,
    admin: String,
    admin_cookie: String,
    /// An officer of today's Sở Tư pháp, which continues the plan's Sở Tư pháp tỉnh Hải Dương.
    sotp: String,
    sotp_cookie: String,
    plan: Value,
    plan_id: String,
    /// The officer's tasks, as `my-tasks` lists them.
    tasks: Vec<Value>,
    /// The review task (II.2.4) the officer reports on.
    review: String,
}

impl PlanStory {
    fn task(&self, key: &str) -> Option<String> {
        self.tasks.iter().find(|x| x["key"] == key).map(|x| x["id"].as_str().unwrap().to_owned())
    }
}

const REPORT_PDF: &[u8; 33] = b"%PDF-1.4\n% bao cao ra soat\n%%EOF\n";

fn auth_get(uri: &str, token: &str) -> Request<Body> {
    Request::get(uri.to_owned()).header(header::AUTHORIZATION, format!("Bearer {token}")).body(Body::empty()).unwrap()
}

fn page(uri: &str, cookie: &str) -> Request<Body> {
    Request::get(uri.to_owned()).header(header::COOKIE, cookie).body(Body::empty()).unwrap()
}

#[tokio::test]
async fn the_plan_through_the_api_and_the_pages() {
    let s = plan_imported_and_read().await;
    progress_reported(&s).await;
    let file_id = documents_attached(&s).await;
    plan_pages(&s, &file_id).await;
    compliance_costs(&s).await;
    inspections_and_publication(&s).await;
}

/// The demo plan is read, imported again unchanged, refused when it is not a plan or the
/// caller a citizen.
async fn plan_imported_and_read() -> PlanStory {
    let t = test_app().await;
    let admin = t.token("admin").await;
    let r = t.send(auth_get("/api/v1/plans/latest", &admin)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let plan = r.json();
    assert_eq!(plan["sections"].as_array().unwrap().len(), 4);
    let plan_id = plan["id"].as_str().unwrap().to_owned();
    let post_text = |token: &str, text: &str| {
        Request::post("/api/v1/plans")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
            .body(Body::from(text.to_owned()))
            .unwrap()
    };
    let r = t.send(post_text(&admin, motcua_demo::DEMO_PLAN)).await;
    assert_eq!((r.status, r.json()["outcome"].as_str()), (StatusCode::OK, Some("unchanged")), "{}", r.body);
    assert_eq!(r.json()["report"]["tasks"], 32);
    let r = t.send(post_text(&admin, "Một văn bản khác, không phải kế hoạch")).await;
    assert_eq!((r.status, r.json()["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("plan_shape")));
    let citizen = t.token("congdan").await;
    assert_eq!(t.send(auth_get("/api/v1/plans/latest", &citizen)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(t.send(post_text(&citizen, motcua_demo::DEMO_PLAN)).await.status, StatusCode::FORBIDDEN);

    let sotp = t.token("chuyenvien").await;
    let r = t.send(auth_get("/api/v1/plans/latest/my-tasks", &sotp)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let tasks = r.json()["tasks"].as_array().unwrap().clone();
    let (admin_cookie, sotp_cookie) = (cookie_of(&t, "admin").await, cookie_of(&t, "chuyenvien").await);
    let mut s = PlanStory { t, admin, admin_cookie, sotp, sotp_cookie, plan, plan_id, tasks, review: String::new() };
    s.review = s.task("II.2.4").unwrap();
    s
}

async fn progress_reported(s: &PlanStory) {
    let PlanStory { t, admin, sotp, plan, plan_id, review, .. } = s;
    // Sở Tư pháp (today's) reports on its task of the 2024 plan.
    assert!(s.task("I.2").is_none());
    let r = t
        .post_json(
            &format!("/api/v1/plans/{plan_id}/tasks/{review}/reports"),
            Some(sotp),
            json!({"month": "2024-10", "status": "done", "percent": 100, "note": "Đã rà soát xong"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let other = plan["sections"][0]["tasks"][1]["id"].as_str().unwrap();
    let r = t
        .post_json(
            &format!("/api/v1/plans/{plan_id}/tasks/{other}/reports"),
            Some(sotp),
            json!({"month": "2024-10", "status": "in_progress", "percent": 10}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = t
        .post_json(
            &format!("/api/v1/plans/{plan_id}/tasks/{review}/reports"),
            Some(sotp),
            json!({"month": "2024-10", "status": "done", "percent": 90}),
        )
        .await;
    assert_eq!((r.status, r.json()["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_percent")));
    let r = t.send(auth_get("/api/v1/plans/latest/overview?month=2024-10", admin)).await;
    assert_eq!(r.json()["reported"]["done"], 1, "{}", r.body);
}

async fn documents_attached(s: &PlanStory) -> String {
    let PlanStory { t, admin, sotp, plan, plan_id, review, .. } = s;
    let other = plan["sections"][0]["tasks"][1]["id"].as_str().unwrap();
    // A document attached to the report, listed with the task, downloaded intact.
    let pdf = REPORT_PDF;
    let (ct, body) =
        multipart(&[("month", "2024-10"), ("name", "Báo cáo kết quả rà soát")], Some(("bao-cao.pdf", pdf)));
    let attach = |token: &str, task: &str, ct: String, body: Vec<u8>| {
        Request::post(format!("/api/v1/plans/{plan_id}/tasks/{task}/files"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, ct)
            .body(Body::from(body))
            .unwrap()
    };
    let r = t.send(attach(sotp, review, ct.clone(), body.clone())).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let file_id = r.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(r.json()["file_name"], "bao-cao.pdf");
    let r = t.send(auth_get(&format!("/api/v1/plans/{plan_id}/files/{file_id}"), admin)).await;
    assert_eq!((r.status, r.raw.as_slice()), (StatusCode::OK, pdf.as_slice()));
    assert_eq!(r.headers[header::CONTENT_TYPE], "application/pdf");
    // Another agency's officer who knows the id does not get it (issue 12, item 11).
    let noivu = security::officer(t, "cv.noivu", motcua_domain::user::Role::Specialist, "H24.10").await;
    let r = t.send(auth_get(&format!("/api/v1/plans/{plan_id}/files/{file_id}"), &noivu)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = t.send(attach(sotp, other, ct.clone(), body.clone())).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "not a task of this agency");
    let (ct2, body2) = multipart(&[("name", "Ghi chú")], Some(("ghi-chu.txt", b"van ban thuong")));
    let r = t.send(attach(sotp, review, ct2, body2)).await;
    assert_eq!(
        (r.status, r.json()["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("unsupported_file_type"))
    );
    let r = t.send(auth_get("/api/v1/plans/latest/my-tasks", sotp)).await;
    let files = r.json()["tasks"].as_array().unwrap().iter().find(|x| x["key"] == "II.2.4").unwrap()["files"].clone();
    assert_eq!(files.as_array().map(Vec::len), Some(1), "only the refused ones are missing");
    file_id
}

async fn plan_pages(s: &PlanStory, file_id: &str) {
    let PlanStory { t, admin_cookie, sotp_cookie, plan_id, review, .. } = s;
    // Pages.
    let r = t.send(page("/ke-hoach", admin_cookie)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Kế hoạch kiểm soát thủ tục hành chính") && r.body.contains("Chậm nhất ngày 15/9/2024"));
    let (ct, body) = multipart(&[], Some(("ke-hoach.txt", motcua_demo::DEMO_PLAN.as_bytes())));
    let r = t
        .send(
            Request::post("/ke-hoach/nhap")
                .header(header::COOKIE, admin_cookie.as_str())
                .header(header::CONTENT_TYPE, ct)
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("đã được nhập trước đây") && r.body.contains("Công an tỉnh"), "{}", r.body);
    let r = t.send(page("/ke-hoach/nhiem-vu", sotp_cookie)).await;
    assert!(
        r.body.contains("Nhiệm vụ của Sở Tư pháp tỉnh Hải Dương") && r.body.contains("Hoàn thành, 100%"),
        "{}",
        r.body
    );
    assert!(r.body.contains(&format!("/ke-hoach/tep/{plan_id}/{file_id}")), "the document is listed with its task");
    let (ct, body) =
        multipart(&[("month", "2024-10"), ("name", "Biên bản")], Some(("bien-ban.png", b"\x89PNG\r\n\x1a\n0000")));
    let r = t
        .send(
            Request::post(format!("/ke-hoach/nhiem-vu/{review}/tep?plan={plan_id}"))
                .header(header::COOKIE, sotp_cookie.as_str())
                .header(header::CONTENT_TYPE, ct)
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = t.send(page(&format!("/ke-hoach/tep/{plan_id}/{file_id}"), sotp_cookie)).await;
    assert_eq!(r.raw.as_slice(), REPORT_PDF.as_slice());
    let ria = s.task("II.2.1").unwrap();
    let r = t
        .send(form_post(
            &format!("/ke-hoach/nhiem-vu/{ria}/bao-cao"),
            sotp_cookie,
            &format!("plan={plan_id}&month=2024-10&status=in_progress&percent=abc&note="),
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Tỷ lệ hoàn thành từ 0 đến 100"));
    let r = t
        .send(form_post(
            &format!("/ke-hoach/nhiem-vu/{ria}/bao-cao"),
            sotp_cookie,
            &format!(
                "plan={plan_id}&month=2024-10&status=in_progress&percent=70&note=B%E1%BA%A3y+d%E1%BB%B1+th%E1%BA%A3o"
            ),
        ))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = t.send(page("/ke-hoach/tong-hop?month=2024-10", admin_cookie)).await;
    assert!(r.body.contains("Nhiệm vụ quá hạn") && r.body.contains("Cơ quan chưa báo cáo tháng 2024-10"), "{}", r.body);
    assert!(r.body.contains("Đang thực hiện: 1"), "{}", r.body);
    let r = t.send(page("/ke-hoach/tong-hop.pdf?month=2024-10", admin_cookie)).await;
    assert_eq!(r.headers[header::CONTENT_TYPE], "application/pdf");
    assert_pdf_text(
        &r.raw,
        &[
            "BÁO CÁO TÌNH HÌNH THỰC HIỆN KẾ HOẠCH",
            "Tháng 10/2024",
            "Nhiệm vụ quá hạn",
            "Sở Tư pháp tỉnh Hải Dương",
            "Chỉ tiêu của kế hoạch",
        ],
    );
    let r = t.send(page("/ke-hoach/tong-hop.xlsx?month=2024-10", admin_cookie)).await;
    let (strings, _) = xlsx_parts(&r.raw);
    assert!(strings.contains("Chưa báo cáo 2024-10") && strings.contains("Chỉ tiêu"), "{strings}");
    let r = t.send(page("/ke-hoach/tong-hop.csv?month=2024-10", admin_cookie)).await;
    assert!(
        r.body.starts_with("\u{feff}\"Loại\";")
            && r.body.contains("\"Chưa báo cáo 2024-10\";\"Sở Tư pháp tỉnh Hải Dương\""),
        "{}",
        r.body
    );
}

async fn compliance_costs(s: &PlanStory) {
    let PlanStory { t, admin, admin_cookie, sotp, sotp_cookie, plan_id, .. } = s;
    // Compliance cost: a sheet through the API, another through the page; the table and its CSV.
    let sheet = |hours: f64| json!({"activities": [{"name": "Chuẩn bị, nộp hồ sơ", "hours": hours}], "hourly_income_vnd": 40000, "income_year": 2024, "subjects_per_year": 10});
    let put = Request::put(format!("/api/v1/plans/{plan_id}/costings/1.001193"))
        .header(header::AUTHORIZATION, format!("Bearer {admin}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({"name": "Đăng ký khai sinh", "before": sheet(80.0), "after": sheet(72.0), "note": "Rút ngắn thời hạn"})
                .to_string(),
        ))
        .unwrap();
    let r = t.send(put).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        (r.json()["after_year_vnd"].as_f64(), r.json()["status"].as_str()),
        (Some(28_800_000.0), Some("proposed"))
    );
    let r = t.send(auth_get("/api/v1/plans/latest/costings", sotp)).await;
    assert_eq!(
        (r.json()["totals"]["reduction_pct"].as_f64(), r.json()["cost_target_pct"].as_f64()),
        (Some(10.0), Some(20.0))
    );
    let form = format!(
        "plan={plan_id}&procedure=2.000908&name=Ch%E1%BB%A9ng+th%E1%BB%B1c&hourly_income_vnd=40.000&income_year=2024&subjects_per_year=100&times_per_year=1&before_activities=N%E1%BB%99p+h%E1%BB%93+s%C6%A1"
    );
    let r = t.send(form_post("/ke-hoach/chi-phi", admin_cookie, &form)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("ghi «tên hoạt động; số giờ»"), "{}", r.body);
    // What was typed is kept for the correction (issue 14).
    assert!(r.body.contains("value=\"2.000908\"") && r.body.contains(">Nộp hồ sơ</textarea>"), "{}", r.body);
    let r = t
        .send(form_post(
            "/ke-hoach/chi-phi",
            admin_cookie,
            &format!("{form}%3B+4&after_activities=N%E1%BB%99p+tr%E1%BB%B1c+tuy%E1%BA%BFn%3B+1&status=approved"),
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a proposal says what it changes");
    assert!(r.body.contains("Nêu nội dung phương án đơn giản hóa"), "{}", r.body);
    let approved = format!(
        "{form}%3B+4&after_activities=N%E1%BB%99p+tr%E1%BB%B1c+tuy%E1%BA%BFn%3B+1&note=N%E1%BB%99p+tr%E1%BB%B1c+tuy%E1%BA%BFn&status=approved"
    );
    let r = t.send(form_post("/ke-hoach/chi-phi", admin_cookie, &approved)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "approved without its decision");
    assert!(r.body.contains("Nêu số và ngày quyết định phê duyệt phương án"), "{}", r.body);
    let r = t
        .send(form_post(
            "/ke-hoach/chi-phi",
            admin_cookie,
            &format!("{approved}&decision_number=12%2FQ%C4%90-UBND&decision_date=2024-09-10"),
        ))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = t.send(page("/ke-hoach/chi-phi", admin_cookie)).await;
    // 32,000,000 + 16,000,000 → 28,800,000 + 4,000,000: 31.67 %
    assert!(r.body.contains("cắt giảm 31,67\u{a0}%") && r.body.contains("<svg class=\"cost-chart\""), "{}", r.body);
    assert!(
        r.body.contains("Phương án đã được phê duyệt<br><span class=\"meta\">QĐ 12/QĐ-UBND ngày 10/09/2024"),
        "{}",
        r.body
    );
    let r = t.send(page("/ke-hoach/chi-phi.csv", sotp_cookie)).await;
    assert!(
        r.body.starts_with("\u{feff}\"Mã thủ tục\";")
            && r.body
                .contains("\"1.001193\";\"Đăng ký khai sinh\";\"Đã đề xuất phương án đơn giản hóa\";3200000;32000000")
            && r.body.contains("\"12/QĐ-UBND ngày 10/09/2024\""),
        "{}",
        r.body
    );
    // The same table as an Excel workbook: text as shared strings, numbers as numbers.
    let r = t.send(page("/ke-hoach/chi-phi.xlsx", sotp_cookie)).await;
    assert_eq!(r.status, StatusCode::OK);
    let (strings, sheet) = xlsx_parts(&r.raw);
    assert!(strings.contains("<t>1.001193</t>") && strings.contains("12/QĐ-UBND ngày 10/09/2024"), "{strings}");
    assert!(sheet.contains("<v>32000000</v>"), "{sheet}");
    // The plan's targets with today's values on the overview.
    let r = t.send(page("/ke-hoach/tong-hop?month=2024-10", admin_cookie)).await;
    assert!(
        r.body.contains("<table id=\"chi-tieu\">")
            && r.body.contains("<strong>31,67\u{a0}%</strong> <span class=\"ok\">đạt</span>"),
        "{}",
        r.body
    );
}

async fn inspections_and_publication(s: &PlanStory) {
    let PlanStory { t, admin, admin_cookie, sotp, sotp_cookie, plan, plan_id, .. } = s;
    // Inspections of the appendix: schedule one through the API, finish another on the page.
    let chi_linh = plan["inspections"][16]["id"].as_str().unwrap();
    let put = |body: Value| {
        Request::put(format!("/api/v1/plans/{plan_id}/inspections/{chi_linh}"))
            .header(header::AUTHORIZATION, format!("Bearer {admin}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let record = json!({"status": "planned", "planned_from": "2024-10-07", "planned_to": "2024-10-08",
        "team": ["Văn phòng UBND tỉnh", "Sở Nội vụ"],
        "follow_ups": [{"action": "Khắc phục tồn tại theo Kết luận kiểm tra năm 2023", "due": "2024-06-30", "done_on": null, "from_conclusion": "Kết luận kiểm tra năm 2023"}]});
    let r = t.send(put(record.clone())).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["overdue_follow_ups"], 1, "due 30/6/2024, today is 27/11/2026");
    let r = t.send(put(json!({"status": "done", "planned_from": "2024-10-07", "team": ["Văn phòng UBND tỉnh"]}))).await;
    assert_eq!((r.status, r.json()["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("conclusion_required")));
    let r = t.send(auth_get("/api/v1/plans/latest/inspections", sotp)).await;
    assert_eq!(r.json()["items"][16]["record"]["team"][1], "Sở Nội vụ", "{}", r.body);
    let binh_giang = plan["inspections"][5]["id"].as_str().unwrap();
    let form = format!(
        "plan={plan_id}&inspection={binh_giang}&status=done&planned_from=2024-04-02&planned_to=2024-04-03&team=V%C4%83n+ph%C3%B2ng+UBND+t%E1%BB%89nh&findings=&conclusion=Th%E1%BB%B1c+hi%E1%BB%87n+t%E1%BB%91t&follow_ups="
    );
    // Without its conclusion a finished inspection is refused, and what was typed stays.
    let no_conclusion = form.replace("Th%E1%BB%B1c+hi%E1%BB%87n+t%E1%BB%91t", "");
    let r = t.send(form_post("/ke-hoach/kiem-tra", admin_cookie, &no_conclusion)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains(">Văn phòng UBND tỉnh</textarea>") && r.body.contains("value=\"2024-04-02\""),
        "{}",
        r.body
    );
    let r = t.send(form_post("/ke-hoach/kiem-tra", admin_cookie, &form)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = t.send(page("/ke-hoach/kiem-tra", sotp_cookie)).await;
    assert!(
        r.body.contains("Đã kiểm tra")
            && r.body.contains("Thực hiện tốt")
            && r.body.contains("1 việc khắc phục quá hạn"),
        "{}",
        r.body
    );
    let r = t.send(form_post("/ke-hoach/kiem-tra", sotp_cookie, &form)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "only the provincial office records inspections");

    // Published on time (766 metric 1.1) over the demo catalog: decisions dated 2025.
    let r = t.send(auth_get("/api/v1/publication-timeliness?year=2025", sotp)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let total = r.json()["procedures"].as_u64().unwrap();
    assert_eq!(r.json()["lead_working_days"], 5);
    let r = t.send(auth_get("/api/v1/publication-timeliness?year=abc", sotp)).await;
    assert_eq!((r.status, r.json()["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_query")));
    let r = t.send(page("/ke-hoach/cong-bo?year=2025", sotp_cookie)).await;
    assert!(r.body.contains(&format!("/{total} thủ tục công bố đúng hạn")), "{}", r.body);
}

#[tokio::test]
async fn a_draft_is_assessed_through_the_api_and_the_page() {
    let t = test_app().await;
    let admin = t.token("admin").await;
    let admin_cookie = cookie_of(&t, "admin").await;
    // A new version of 2.000908 as a draft (version 2).
    let current = t.get("/api/v1/procedures/2.000908").await.json();
    let mut content = current["version"].clone();
    for k in ["number", "status", "decision_no", "decision_date", "effective_from", "effective_to"] {
        content.as_object_mut().unwrap().remove(k);
    }
    let body = json!({"revision": current["revision"], "content": content});
    let r = t.post_json("/api/v1/procedures/2.000908/versions", Some(&admin), body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    let put = |uri: &str, body: Value| {
        Request::put(uri.to_owned())
            .header(header::AUTHORIZATION, format!("Bearer {admin}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let input = json!({"agency": "000.00.03.H23", "assessed_on": "2026-11-20", "necessity": "Cần thiết",
        "reasonableness": "Hợp lý", "legality": "Hợp pháp", "cost_year_vnd": 5000000, "conclusion": "adequate"});
    let r = t.send(put("/api/v1/procedures/2.000908/versions/1/impact-assessment", input.clone())).await;
    assert_eq!((r.status, r.json()["code"].as_str()), (StatusCode::CONFLICT, Some("not_draft")), "{}", r.body);
    let r =
        t.send(put("/api/v1/procedures/2.000908/versions/2/impact-assessment", json!({"conclusion": "maybe"}))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = t.send(put("/api/v1/procedures/2.000908/versions/2/impact-assessment", input)).await;
    assert_eq!((r.status, r.json()["conclusion"].as_str()), (StatusCode::OK, Some("adequate")), "{}", r.body);
    let (ct, body) = multipart(&[], Some(("phieu.pdf", b"%PDF-1.4\n%%EOF\n")));
    let r = t
        .send(
            Request::post("/api/v1/procedures/2.000908/versions/2/impact-assessment/document")
                .header(header::AUTHORIZATION, format!("Bearer {admin}"))
                .header(header::CONTENT_TYPE, ct)
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(
        (r.status, r.json()["document"]["file_name"].as_str()),
        (StatusCode::OK, Some("phieu.pdf")),
        "{}",
        r.body
    );
    let r = t
        .send(
            Request::get("/api/v1/procedures/2.000908/versions/2/impact-assessment/document")
                .header(header::AUTHORIZATION, format!("Bearer {admin}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!((r.status, r.raw.as_slice()), (StatusCode::OK, b"%PDF-1.4\n%%EOF\n".as_slice()));
    let r = t
        .send(
            Request::get("/api/v1/impact-assessments?year=2026")
                .header(header::AUTHORIZATION, format!("Bearer {admin}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.json()["assessed"].as_u64().unwrap() >= 1, "{}", r.body);

    // The page: a form with its document (multipart), then the table with the link.
    let send_form = |fields: &[(&str, &str)], file: Option<(&str, &[u8])>| {
        let (ct, body) = multipart(fields, file);
        Request::post("/ke-hoach/danh-gia-tac-dong")
            .header(header::COOKIE, admin_cookie.as_str())
            .header(header::CONTENT_TYPE, ct)
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(body))
            .unwrap()
    };
    let fields = [
        ("procedure", "2.000908"),
        ("version", "2"),
        ("agency", "000.00.03.H23"),
        ("assessed_on", "2026-11-21"),
        ("necessity", "Cần thiết"),
        ("reasonableness", "Hợp lý"),
        ("legality", ""),
        ("conclusion", "revise"),
    ];
    let r = t.send(send_form(&fields, None)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Nêu kết quả đánh giá tính hợp pháp của thủ tục"), "{}", r.body);
    let mut fields = fields;
    fields[6] = ("legality", "Hợp pháp");
    let r = t.send(send_form(&fields, Some(("phieu-moi.pdf", b"%PDF-1.7\n%%EOF\n")))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = |uri: &str, c: &str| Request::get(uri.to_owned()).header(header::COOKIE, c).body(Body::empty()).unwrap();
    let r = t.send(page("/ke-hoach/danh-gia-tac-dong?year=2026", &admin_cookie)).await;
    assert!(
        r.body.contains("Cần chỉnh sửa trước khi ban hành")
            && r.body.contains("<a href=\"/ke-hoach/danh-gia-tac-dong/2.000908/2/phieu\">phieu-moi.pdf</a>"),
        "{}",
        r.body
    );
    let r = t.send(page("/ke-hoach/danh-gia-tac-dong/2.000908/2/phieu", &admin_cookie)).await;
    assert_eq!((r.status, r.raw.as_slice()), (StatusCode::OK, b"%PDF-1.7\n%%EOF\n".as_slice()));
}
