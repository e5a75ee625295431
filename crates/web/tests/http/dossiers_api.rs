//! Dossiers through the API: intake, commands, idempotency, online filing, notices.

use super::*;

#[tokio::test]
async fn dossier_intake_read_and_track_through_the_api() {
    let t = test_app().await;
    let desk = t.token("motcua").await;
    let body = json!({
        "procedure": "2.000908",
        "channel": "counter",
        "applicant": {"kind": "citizen", "id": "031095001234", "name": "Vũ Minh Anh", "phone": "0912345678"}
    });
    let r = t.post_json("/api/v1/dossiers", Some(&desk), body.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let d = r.json();
    let code = d["code"].as_str().unwrap().to_owned();
    assert_eq!(code, "H24.02-261127-0001");
    assert_eq!(d["workflow"]["state"], "accepted");
    assert_eq!(d["workflow"]["due_original"], "2026-11-30T17:30:00+07:00");

    let r = t.post_json("/api/v1/dossiers", None, body.clone()).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let mut bad = body.clone();
    bad["applicant"]["id"] = json!("12345");
    let r = t.post_json("/api/v1/dossiers", Some(&desk), bad).await;
    assert_eq!(
        (r.status, r.json()["field"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("applicant.citizen_id"))
    );

    let specialist = t.token("chuyenvien").await;
    let get = |uri: String, token: &str| {
        Request::get(uri).header("authorization", format!("Bearer {token}")).body(Body::empty()).unwrap()
    };
    let r = t.send(get(format!("/api/v1/dossiers/{code}"), &specialist)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!((r.json()["national_status"].clone(), r.json()["timeliness"].clone()), (json!(2), json!("on_time")));
    let r = t.send(get(format!("/api/v1/dossiers/{code}/events"), &specialist)).await;
    assert_eq!(r.json()[0]["command"], "accept");
    let citizen = t.token("congdan").await;
    assert_eq!(t.send(get(format!("/api/v1/dossiers/{code}"), &citizen)).await.status, StatusCode::FORBIDDEN);

    let r = t.get(&format!("/api/v1/track/{code}?phone=5678")).await;
    assert_eq!((r.status, r.json()["national_status"].clone()), (StatusCode::OK, json!(2)));
    assert!(r.json().get("applicant").is_none(), "the public lookup shows status and appointment only");
    assert_eq!(t.get(&format!("/api/v1/track/{code}?phone=1111")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(t.get("/api/v1/track/not-a-code?phone=1111").await.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn dossier_commands_through_the_api() {
    let t = test_app().await;
    let desk = t.token("motcua").await;
    let specialist = t.token("chuyenvien").await;
    let body = json!({"procedure": "2.000908", "channel": "counter",
        "applicant": {"kind": "citizen", "id": "031095001234", "name": "Vũ Minh Anh", "phone": "0912345678"}});
    let d = t.post_json("/api/v1/dossiers", Some(&desk), body).await.json();
    let code = d["code"].as_str().unwrap().to_owned();
    let r = t
        .post_json(
            &format!("/api/v1/dossiers/{code}/transfer"),
            Some(&desk),
            json!({"revision": 1, "agency": "H24.11"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = t
        .post_json(
            &format!("/api/v1/dossiers/{code}/assign"),
            Some(&specialist),
            json!({"revision": 1, "handler": "cv"}),
        )
        .await;
    assert_eq!((r.status, r.json()["code"].clone()), (StatusCode::CONFLICT, json!("stale")));
    let r = t
        .post_json(
            &format!("/api/v1/dossiers/{code}/resolve"),
            Some(&desk),
            json!({"revision": 2, "outcome": "granted"}),
        )
        .await;
    assert_eq!((r.status, r.json()["code"].clone()), (StatusCode::FORBIDDEN, json!("forbidden")));
    let r = t.post_json(&format!("/api/v1/dossiers/{code}/fly"), Some(&specialist), json!({"revision": 2})).await;
    assert_eq!((r.status, r.json()["code"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("invalid_command")));
    let r = t
        .post_json(
            &format!("/api/v1/dossiers/{code}/return"),
            Some(&desk),
            json!({"revision": 2, "collected_by": "A", "method": "counter"}),
        )
        .await;
    assert_eq!(
        (r.status, r.json()["code"].clone()),
        (StatusCode::CONFLICT, json!("command_not_allowed")),
        "not resolved yet"
    );
    // Resolved after the last step of the internal workflow (issue 14): the specialist's
    // appraisal, the leader's signature, the clerk's issue.
    let resolve = |rev: i64| json!({"revision": rev, "outcome": "granted"});
    let r = t.post_json(&format!("/api/v1/dossiers/{code}/resolve"), Some(&specialist), resolve(2)).await;
    assert_eq!((r.status, r.json()["code"].clone()), (StatusCode::CONFLICT, json!("steps_pending")), "{}", r.body);
    let leader = t.token("lanhdao").await;
    for (rev, who) in [(2, &specialist), (3, &leader), (4, &specialist)] {
        let r = t
            .post_json(
                &format!("/api/v1/dossiers/{code}/complete_step"),
                Some(who),
                json!({"revision": rev, "note": "Xong"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let r = t.post_json(&format!("/api/v1/dossiers/{code}/resolve"), Some(&specialist), resolve(5)).await;
    assert_eq!((r.status, r.json()["workflow"]["state"].clone()), (StatusCode::OK, json!("resolved")));
}

#[tokio::test]
async fn a_repeated_post_with_an_idempotency_key_returns_the_first_answer() {
    let t = test_app().await;
    let desk = t.token("motcua").await;
    let body = json!({"procedure": "2.000908", "channel": "counter",
        "applicant": {"kind": "citizen", "id": "031095001234", "name": "Vũ Minh Anh", "phone": "0912345678"}});
    let post = |uri: &str, key: &str, body: &Value| {
        Request::post(uri.to_owned())
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::AUTHORIZATION, format!("Bearer {desk}"))
            .header("idempotency-key", key)
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let first = t.send(post("/api/v1/dossiers", "k-1", &body)).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let again = t.send(post("/api/v1/dossiers", "k-1", &body)).await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(again.headers.get("idempotency-replayed").map(|v| v.to_str().unwrap()), Some("true"));
    assert_eq!(again.json()["code"], first.json()["code"]);
    let get = Request::get("/api/v1/dossiers")
        .header(header::AUTHORIZATION, format!("Bearer {desk}"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(t.send(get).await.json()["total"], 1, "the intake ran once");
    let other = t
        .send(post(
            &format!("/api/v1/dossiers/{}/transfer", first.json()["code"].as_str().unwrap()),
            "k-1",
            &json!({"revision": 1, "agency": "H24.11"}),
        ))
        .await;
    assert_eq!(
        (other.status, other.json()["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("idempotency_key_reused"))
    );
    let second = t.send(post("/api/v1/dossiers", "k-2", &body)).await;
    assert_ne!(second.json()["code"], first.json()["code"], "a new key is a new request");
}

#[tokio::test]
async fn online_dossier_from_submission_to_the_desk_check() {
    let t = test_app().await;
    let citizen = t.token("congdan").await;
    let desk = t.token("motcua").await;
    let online = |channel: &str| {
        json!({"procedure": "2.000908", "channel": channel, "desk": "H24.02",
            "applicant": {"kind": "citizen", "id": "031095001234", "name": "Vũ Minh Anh", "phone": "0912345678"}})
    };
    // A citizen files online only.
    let r = t.post_json("/api/v1/dossiers", Some(&citizen), online("counter")).await;
    assert_eq!((r.status, r.json()["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("channel_not_allowed")));
    let r = t.post_json("/api/v1/dossiers", Some(&citizen), online("online")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let d = r.json();
    let code = d["code"].as_str().unwrap().to_owned();
    assert_eq!(d["workflow"]["state"], "submitted");
    assert!(d["workflow"]["due_original"].is_null(), "no appointment before the desk's check");
    let get = |uri: String, token: &str| {
        Request::get(uri).header("authorization", format!("Bearer {token}")).body(Body::empty()).unwrap()
    };
    // The citizen reads and lists their own dossier; its national status is 1.
    let r = t.send(get(format!("/api/v1/dossiers/{code}"), &citizen)).await;
    assert_eq!((r.status, r.json()["national_status"].as_u64()), (StatusCode::OK, Some(1)));
    let r = t.send(get("/api/v1/dossiers".into(), &citizen)).await;
    assert_eq!(r.json()["total"], 1);
    // The desk's check is the desk's: a citizen cannot accept their own dossier.
    let url = |c: &str| format!("/api/v1/dossiers/{code}/{c}");
    let r = t.post_json(&url("accept"), Some(&citizen), json!({"revision": 1})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t.post_json(&url("request_completion"), Some(&desk), json!({"revision": 1, "items": [" "]})).await;
    assert_eq!((r.status, r.json()["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("items")));
    let r = t
        .post_json(
            &url("request_completion"),
            Some(&desk),
            json!({"revision": 1, "items": ["Thiếu bản sao giấy khai sinh"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = t.send(get(format!("/api/v1/dossiers/{code}/forms/02"), &desk)).await;
    assert!(r.body.contains("PHIẾU YÊU CẦU BỔ SUNG") && r.body.contains("Thiếu bản sao giấy khai sinh"));
    // Accepted at the desk's check: the appointment counts from now, as at the counter (Fri
    // 27/11 10:00 → Mon 30/11 17:30).
    let r = t.post_json(&url("accept"), Some(&desk), json!({"revision": 2})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["workflow"]["due_original"], "2026-11-30T17:30:00+07:00");
    // A second online dossier is refused; Mẫu 03 prints the reasons.
    let code2 = t.post_json("/api/v1/dossiers", Some(&citizen), online("online")).await.json()["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = t
        .post_json(
            &format!("/api/v1/dossiers/{code2}/refuse"),
            Some(&desk),
            json!({"revision": 1, "reasons": ["Không thuộc thẩm quyền giải quyết"]}),
        )
        .await;
    assert_eq!(r.json()["workflow"]["state"], "refused");
    let r = t.send(get(format!("/api/v1/dossiers/{code2}/forms/03"), &desk)).await;
    assert!(r.body.contains("PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ") && r.body.contains("Không thuộc thẩm quyền"));
    // Another account's dossier stays closed to this citizen.
    let counter = t
        .post_json(
            "/api/v1/dossiers",
            Some(&desk),
            json!({"procedure": "2.000908", "channel": "counter",
                "applicant": {"kind": "citizen", "id": "031095001234", "name": "Vũ Minh Anh"}}),
        )
        .await
        .json();
    let r = t.send(get(format!("/api/v1/dossiers/{}", counter["code"].as_str().unwrap()), &citizen)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(t.send(get("/api/v1/dossiers?finished=true".into(), &citizen)).await.json()["total"], 2);
    assert_eq!(
        t.send(get("/api/v1/dossiers".into(), &citizen)).await.json()["total"],
        1,
        "the refused one is finished"
    );
}

#[tokio::test]
async fn notices_to_the_applicant_are_listed_per_dossier_and_in_the_outbox() {
    let t = test_app().await;
    let desk = t.token("motcua").await;
    let body = json!({
        "procedure": "2.000908",
        "channel": "counter",
        "applicant": {"kind": "citizen", "id": "031095001234", "name": "Vũ Minh Anh", "phone": "0912345678",
            "email": "anh@example.vn"}
    });
    let r = t.post_json("/api/v1/dossiers", Some(&desk), body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let code = r.json()["code"].as_str().unwrap().to_owned();
    let get = |uri: String, token: &str| {
        Request::get(uri).header("authorization", format!("Bearer {token}")).body(Body::empty()).unwrap()
    };

    // Written with the intake: an e-mail and an SMS, waiting for the worker.
    let r = t.send(get(format!("/api/v1/dossiers/{code}/notices"), &desk)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let n = r.json();
    let mut channels: Vec<&str> = n.as_array().unwrap().iter().map(|m| m["channel"].as_str().unwrap()).collect();
    channels.sort();
    assert_eq!(channels, vec!["email", "sms"]);
    assert!(n.as_array().unwrap().iter().all(|m| m["state"] == "pending" && m["dossier"] == json!(code)));
    let mail = n.as_array().unwrap().iter().find(|m| m["channel"] == "email").unwrap();
    assert_eq!(mail["subject"], format!("Hồ sơ {code}: Được tiếp nhận"));
    assert!(mail["body"].as_str().unwrap().contains("Hẹn trả kết quả: 17:30 ngày 30/11/2026"), "{}", mail["body"]);
    // Another citizen may not read them.
    let citizen = t.token("congdan").await;
    assert_eq!(t.send(get(format!("/api/v1/dossiers/{code}/notices"), &citizen)).await.status, StatusCode::FORBIDDEN);

    // The office's view: administrators only.
    assert_eq!(t.send(get("/api/v1/outbox".into(), &desk)).await.status, StatusCode::FORBIDDEN);
    let admin = t.token("admin").await;
    let r = t.send(get("/api/v1/outbox?state=pending".into(), &admin)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["messages"].as_array().unwrap().len(), 2);
    assert!(r.json()["counts"].as_array().unwrap().iter().any(|c| c["channel"] == "sms" && c["count"] == 1));
    assert_eq!(t.send(get("/api/v1/outbox?state=lost".into(), &admin)).await.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The pages.
    let cookie = cookie_of(&t, "motcua").await;
    let page = t
        .send(Request::get(format!("/ho-so/{code}")).header(header::COOKIE, &cookie).body(Body::empty()).unwrap())
        .await;
    assert!(page.body.contains("Thông báo cho người nộp") && page.body.contains("anh@example.vn"), "{}", page.body);
    assert!(page.body.contains("Chờ gửi"));
    let admin_cookie = cookie_of(&t, "admin").await;
    let page = t
        .send(Request::get("/quan-tri/thong-bao").header(header::COOKIE, &admin_cookie).body(Body::empty()).unwrap())
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&format!("/ho-so/{code}")) && page.body.contains("Tin nhắn SMS"), "{}", page.body);
    let page =
        t.send(Request::get("/quan-tri/thong-bao").header(header::COOKIE, &cookie).body(Body::empty()).unwrap()).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
}
