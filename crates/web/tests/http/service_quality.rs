//! Ratings of returned dossiers and petitions, through the API and the pages, and what the
//! Decision 766 index makes of them.

use super::*;

fn rating(satisfaction: &str, liked: bool) -> Value {
    json!({"satisfaction": satisfaction, "indicators": [1, 1, 1, 1, 1, 1, 1, 1, 1], "liked": liked, "phone_last4": "5678"})
}

fn metric(report: &Value, code: &str) -> (u64, u64) {
    let m = report["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["metrics"].as_array().unwrap())
        .find(|m| m["code"] == code)
        .unwrap();
    (m["numerator"].as_u64().unwrap(), m["denominator"].as_u64().unwrap())
}

#[tokio::test]
async fn the_applicant_rates_a_returned_dossier_once() {
    let t = test_app().await;
    let desk = t.token("motcua").await;
    let running = t.transferred_dossier(&desk).await;
    let r = t.post_json(&format!("/api/v1/dossiers/{running}/rating"), None, rating("satisfied", true)).await;
    assert_eq!((r.status, r.json()["code"].clone()), (StatusCode::CONFLICT, json!("not_returned")), "{}", r.body);

    let code = t.returned_dossier().await;
    // The notice of the returned result invites the applicant to rate.
    let notices = t
        .send(
            Request::get(format!("/api/v1/dossiers/{code}/notices"))
                .header("authorization", format!("Bearer {desk}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(notices.body.contains(&format!("/danh-gia/{code}")), "{}", notices.body);

    let mut wrong = rating("satisfied", true);
    wrong["phone_last4"] = json!("1111");
    assert_eq!(
        t.post_json(&format!("/api/v1/dossiers/{code}/rating"), None, wrong).await.status,
        StatusCode::NOT_FOUND
    );
    let mut bad = rating("satisfied", true);
    bad["indicators"] = json!([1, 1, 3, 1, 1, 1, 1, 1, 1]);
    let r = t.post_json(&format!("/api/v1/dossiers/{code}/rating"), None, bad).await;
    assert_eq!((r.status, r.json()["field"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("indicators[2]")));

    let r = t.post_json(&format!("/api/v1/dossiers/{code}/rating"), None, rating("not_satisfied", false)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["channel"], "online");
    let r = t.post_json(&format!("/api/v1/dossiers/{code}/rating"), None, rating("very_satisfied", true)).await;
    assert_eq!((r.status, r.json()["code"].clone()), (StatusCode::CONFLICT, json!("already_rated")));

    // Metric 5.4 counts the dislike: of the two dossiers received, one is left satisfied.
    let report = t.get("/api/v1/reports/index?period=2026-11").await.json();
    assert_eq!(metric(&report, "DOSSIER_RECEIVING_SATISFACTION"), (1, 2));

    // The page says it was rated and offers a petition after a dislike.
    let page = t.get(&format!("/danh-gia/{code}?so=5678")).await;
    assert!(page.body.contains("đã được đánh giá"), "{}", page.body);
    let page = t.get(&format!("/danh-gia/{code}")).await;
    assert!(page.body.contains("4 số cuối"), "a visitor is asked for the phone digits first");
}

#[tokio::test]
async fn the_kiosk_at_the_counter_takes_a_rating_with_the_desk_session() {
    let t = test_app().await;
    let code = t.returned_dossier().await;
    let desk = cookie_of(&t, "motcua").await;
    let page = t
        .send(
            Request::get(format!("/mot-cua/danh-gia?ma={code}"))
                .header(header::COOKIE, &desk)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Mức độ hài lòng") && page.body.contains("name=\"tc9\""), "{}", page.body);
    let mut form = "muc=very_satisfied&thich=co&y_kien=Nhanh".to_owned();
    let r = t.send(form_post(&format!("/mot-cua/danh-gia/{code}"), &desk, &form)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "the indicators are required");
    assert!(r.body.contains("Chấm điểm tiêu chí 1"));
    for i in 1..=9 {
        form.push_str(&format!("&tc{i}=2"));
    }
    let r = t.send(form_post(&format!("/mot-cua/danh-gia/{code}"), &desk, &form)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Cảm ơn") && r.body.contains("18/18"), "{}", r.body);
    let citizen = cookie_of(&t, "congdan").await;
    let r = t
        .send(
            Request::get(format!("/mot-cua/danh-gia?ma={code}"))
                .header(header::COOKIE, &citizen)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let report = t.get("/api/v1/reports/index?period=2026-11").await.json();
    assert_eq!(metric(&report, "DOSSIER_RECEIVING_SATISFACTION"), (1, 1));
    // The plan's measure: satisfied or very satisfied among the evaluations, all and by field.
    assert_eq!(report["satisfaction"][0]["count"], json!({"numerator": 1, "denominator": 1}));
    assert!(report["satisfaction"][0]["field"].is_null());
    assert_eq!(report["satisfaction"][1]["count"]["denominator"], 1, "{}", report["satisfaction"]);
    assert_eq!(report["months"][0]["month"], "2026-11");
    let page = t.get("/chi-so-766?ky=2026").await.body;
    assert!(page.contains("Mức độ hài lòng theo đánh giá") && page.contains("100,00\u{a0}%"), "{page}");
}

#[tokio::test]
async fn a_petition_from_intake_to_a_published_answer() {
    let t = test_app().await;
    let desk = t.token("motcua").await;
    let code = t.transferred_dossier(&desk).await;
    let body = json!({"petitioner": {"name": "Vũ Minh Anh", "phone": "0912345678"},
        "title": "Hồ sơ chậm", "content": "Hồ sơ của tôi chưa được giải quyết", "dossier": code});
    let r = t.post_json("/api/v1/petitions", None, body.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let p = r.json();
    let id = p["id"].as_str().unwrap().to_owned();
    assert_eq!(p["assigned"], "H24.11", "about a dossier: its competent agency");
    assert!(p["deadlines"]["handle_by"].as_str().unwrap() > p["received_at"].as_str().unwrap());
    let mut unknown = body.clone();
    unknown["dossier"] = json!("H24.02-261127-9999");
    let r = t.post_json("/api/v1/petitions", None, unknown).await;
    assert_eq!((r.status, r.json()["code"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("unknown_dossier")));

    // Unpublished, a visitor sees its state and deadlines only.
    let r = t.get(&format!("/api/v1/petitions/{id}")).await;
    assert_eq!((r.json()["content"].clone(), r.json()["petitioner"]["phone"].clone()), (json!(""), Value::Null));

    let (specialist, leader) = (t.token("chuyenvien").await, t.token("lanhdao").await);
    let act = |who: String, body: Value| {
        let t = &t;
        let id = id.clone();
        async move { t.post_json(&format!("/api/v1/petitions/{id}/actions"), Some(&who), body).await }
    };
    let r = act(specialist.clone(), json!({"revision": 1, "action": "classify", "kind": "regulation"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = act(specialist.clone(), json!({"revision": 2, "action": "answer", "answer": "Đã giải quyết xong"})).await;
    assert_eq!(r.json()["state"], "answered");
    assert!(r.json()["deadlines"]["publish_by"].is_string());
    let r = act(specialist.clone(), json!({"revision": 3, "action": "publish"})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "a leader publishes");
    let r = act(leader, json!({"revision": 3, "action": "publish"})).await;
    assert_eq!(r.json()["state"], "published", "{}", r.body);
    // The petitioner is told by SMS, with the page of the answer.
    let admin = t.token("admin").await;
    let outbox = t
        .send(
            Request::get("/api/v1/outbox")
                .header("authorization", format!("Bearer {admin}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(
        outbox.body.contains("Phan anh, kien nghi: da co ket qua xu ly")
            && outbox.body.contains(&format!("/phan-anh/{id}")),
        "{}",
        outbox.body
    );

    let r = t.get("/api/v1/petitions/published").await.json();
    assert_eq!(r["items"][0]["petitioner"]["name"], "V. M. Anh");
    assert_eq!(r["items"][0]["answer"], "Đã giải quyết xong");
    // Once per client address.
    let vote = || {
        let mut req = Request::post(format!("/api/v1/petitions/{id}/vote"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(r#"{"liked": false}"#))
            .unwrap();
        req.extensions_mut().insert(axum::extract::ConnectInfo(std::net::SocketAddr::from(([203, 0, 113, 7], 4000))));
        req
    };
    assert_eq!(t.send(vote()).await.json()["counted"], true);
    assert_eq!(t.send(vote()).await.json()["counted"], false);

    let report = t.get("/api/v1/reports/index?period=2026-11").await.json();
    assert_eq!(metric(&report, "PETITION_PROCESSING_ON_TIME"), (1, 1));
    assert_eq!(metric(&report, "PETITION_HANDLING_SATISFACTION"), (0, 1), "more dislikes than likes");
    assert_eq!(metric(&report, "DOSSIER_RECEIVING_SATISFACTION"), (0, 1), "the dossier was petitioned about");

    // The pages: the published answers, a petition sent from the form.
    assert!(t.get("/phan-anh").await.body.contains("Hồ sơ chậm"));
    let form = "ten=Nguy%E1%BB%85n+An&tieu_de=Gi%E1%BA%A5y+t%E1%BB%9D&noi_dung=Qu%C3%A1+nhi%E1%BB%81u";
    let r = t
        .send(
            Request::post("/phan-anh/gui")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(form))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let to = r.headers.get(header::LOCATION).unwrap().to_str().unwrap().to_owned();
    assert!(t.get(&to).await.body.contains("Đã gửi phản ánh"));
    let r = t
        .send(
            Request::post("/phan-anh/gui")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from("ten=&tieu_de=x&noi_dung=y"))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("họ tên người gửi"), "{}", r.body);
    let admin = cookie_of(&t, "admin").await;
    let r = t
        .send(Request::get(to.replace("?moi=1", "")).header(header::COOKIE, &admin).body(Body::empty()).unwrap())
        .await;
    assert!(r.body.contains("Quá trình xử lý") && r.body.contains("Việc cần làm"), "{}", r.body);
}
