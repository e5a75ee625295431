//! Who may do what: agencies of today, letters not internal records, errors, the access matrix.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use motcua_demo::DEMO_PASSWORD;
use serde_json::json;

use super::test_app;
use super::*;

#[tokio::test]
async fn commands_name_only_agencies_that_exist_today_and_act_for_the_callers_own() {
    use motcua_domain::user::Role;
    let t = test_app().await;
    let desk = t.token("motcua").await;
    let specialist = t.token("chuyenvien").await;
    let noivu = officer(&t, "cv.noivu", Role::Specialist, "H24.10").await;
    let taichinh = officer(&t, "cv.taichinh", Role::Specialist, "H24.12").await;
    let made = t.post_json("/api/v1/dossiers", Some(&desk), counter_intake("031095001234")).await;
    let code = made.json()["code"].as_str().unwrap().to_owned();
    let mut rev = made.json()["revision"].as_i64().unwrap();

    // Before the desk hands it over, the agency cannot take it.
    let r = command(&t, &specialist, &code, "transfer", json!({"revision": rev, "agency": "H24.11"})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    for (agency, why) in
        [("H24.99", "unknown_agency"), ("000.00.08.H23", "agency_not_in_force"), ("H24.02", "agency_cannot_handle")]
    {
        let r = command(&t, &desk, &code, "transfer", json!({"revision": rev, "agency": agency})).await;
        assert_eq!((r.status, r.json()["code"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!(why)), "{agency}");
        assert_eq!(r.json()["field"], "agency");
    }
    rev = revision(&command(&t, &desk, &code, "transfer", json!({"revision": rev, "agency": "H24.11"})).await);

    // The assignee is an officer of the agency holding the dossier.
    for who in ["nobody", "motcua", "cv.noivu"] {
        let r = command(&t, &specialist, &code, "assign", json!({"revision": rev, "handler": who})).await;
        assert_eq!((r.status, r.json()["code"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("unknown_officer")));
    }
    rev = revision(&command(&t, &specialist, &code, "assign", json!({"revision": rev, "handler": "lanhdao"})).await);

    let r = command(&t, &specialist, &code, "forward", json!({"revision": rev, "agency": "000.00.10.H23"})).await;
    assert_eq!(r.json()["code"], "agency_not_in_force");
    rev = revision(&command(&t, &specialist, &code, "forward", json!({"revision": rev, "agency": "H24.10"})).await);
    rev = revision(&command(&t, &specialist, &code, "forward", json!({"revision": rev, "agency": "H24.12"})).await);

    // A cooperating agency answers for itself only.
    let r = command(&t, &noivu, &code, "cooperation_answered", json!({"revision": rev, "agency": "H24.12"})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    // One supplement request per agency: naming another agency does not get round it.
    for (token, other) in [(&noivu, "H24.12"), (&specialist, "H24.13"), (&specialist, "H24.10")] {
        let r = command(
            &t,
            token,
            &code,
            "request_supplement",
            json!({"revision": rev, "items": ["Bản sao giấy khai sinh"], "agency": other}),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{other}: {}", r.body);
    }
    let r = command(&t, &taichinh, &code, "cooperation_answered", json!({"revision": rev, "agency": "H24.12"})).await;
    rev = revision(&r);
    assert_eq!(r.json()["workflow"]["cooperating_pending"], json!(["H24.10"]));
    // The refusals were audited.
    use motcua_storage::AuditRepo;
    let log = t.store.audit_log(200).await.unwrap();
    let denied = log.iter().filter(|a| a.entry.action == "access.denied" && a.entry.entity_id == code).count();
    assert_eq!(denied, 5, "every refusal is audited");
    // The real agency still has its own supplement request.
    let r = command(&t, &specialist, &code, "request_supplement", json!({"revision": rev, "items": ["Tờ khai"]})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["workflow"]["supplements"][0]["agency"], "H24.11");
}

#[tokio::test]
async fn a_citizen_gets_the_letters_of_their_dossier_not_the_internal_records() {
    let t = test_app().await;
    let citizen = t.token("congdan").await;
    let desk = t.token("motcua").await;
    let filed = json!({"procedure": "2.000908", "channel": "online", "desk": "H24.02",
        "applicant": {"kind": "citizen", "id": "031095001234", "name": "Vũ Minh Anh", "phone": "0912345678"}});
    let r = t.post_json("/api/v1/dossiers", Some(&citizen), filed).await;
    let code = r.json()["code"].as_str().unwrap().to_owned();
    assert_eq!(revision(&command(&t, &desk, &code, "accept", json!({"revision": 1})).await), 2);
    let form = |n: &str, token: &str| {
        Request::get(format!("/api/v1/dossiers/{code}/forms/{n}"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::ACCEPT, "text/html")
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(t.send(form("01", &citizen)).await.status, StatusCode::OK, "the receipt is theirs");
    for internal in ["06", "07"] {
        let r = t.send(form(internal, &citizen)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "form {internal}: {}", r.body);
        assert_eq!(t.send(form(internal, &desk)).await.status, StatusCode::OK, "the desk keeps form {internal}");
    }
    let cookie = crate::cookie_of(&t, "congdan").await;
    let page = Request::get(format!("/ho-so/{code}/mau/06")).header(header::COOKIE, cookie).body(Body::empty());
    assert_eq!(t.send(page.unwrap()).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn every_api_error_is_json_and_anonymous_callers_learn_first_that_they_must_log_in() {
    let t = test_app().await;
    let doc = t.get("/api/openapi.json").await.json();
    let mut secured = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let needs_login = op["security"].as_array().is_some_and(|reqs| {
                !reqs.is_empty() && reqs.iter().all(|r| r.as_object().is_some_and(|o| !o.is_empty()))
            });
            let responses = op["responses"].as_object().unwrap();
            for status in ["422", "500"] {
                assert!(responses.contains_key(status), "{method} {path} does not document {status}");
            }
            if !needs_login {
                continue;
            }
            secured += 1;
            assert!(responses.contains_key("401"), "{method} {path} does not document 401");
            // Nonsense everywhere: the answer is still "log in first".
            let uri = path.split('/').map(|s| if s.starts_with('{') { "%%x" } else { s }).collect::<Vec<_>>().join("/");
            let req = Request::builder()
                .method(method.to_uppercase().as_str())
                .uri(format!("{}?page=abc&year=-1", uri.replace("%%x", "khong-hop-le")))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{not json"))
                .unwrap();
            let r = t.send(req).await;
            assert_eq!(
                (r.status, r.json()["code"].clone()),
                (StatusCode::UNAUTHORIZED, json!("unauthenticated")),
                "{method} {path}"
            );
        }
    }
    assert!(secured > 30, "{secured} operations need a login");

    // What no handler answers is JSON too, with its request id.
    let cases = [
        (Request::get("/api/v1/khong-co").body(Body::empty()).unwrap(), StatusCode::NOT_FOUND, "not_found"),
        (
            Request::delete("/api/v1/procedures").body(Body::empty()).unwrap(),
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        ),
        (
            Request::get("/api/v1/calendar/holidays/hai-nghin").body(Body::empty()).unwrap(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_path",
        ),
        (
            Request::post("/api/v1/auth/token")
                .header(header::CONTENT_TYPE, "text/plain")
                .body(Body::from("admin"))
                .unwrap(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_json",
        ),
        (
            Request::post("/api/v1/auth/token")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(format!("{{\"username\":\"{}\"}}", "a".repeat(3 * 1024 * 1024))))
                .unwrap(),
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
        ),
    ];
    for (req, status, code) in cases {
        let what = format!("{} {}", req.method(), req.uri());
        let r = t.send(req).await;
        assert_eq!((r.status, r.json()["code"].clone()), (status, json!(code)), "{what}: {}", r.body);
        assert!(r.headers.contains_key("x-request-id"), "{what}");
        if status == StatusCode::METHOD_NOT_ALLOWED {
            assert!(r.headers.contains_key(header::ALLOW));
        }
    }
    // Bounds are stated and checked.
    let page = &doc["paths"]["/api/v1/dossiers"]["get"]["parameters"];
    let per_page = page.as_array().unwrap().iter().find(|p| p["name"] == "per_page").unwrap();
    assert_eq!((per_page["schema"]["minimum"].clone(), per_page["schema"]["maximum"].clone()), (json!(1), json!(100)));
    let admin = t.token("admin").await;
    let get = Request::get("/api/v1/dossiers?page=100001").header(header::AUTHORIZATION, format!("Bearer {admin}"));
    let r = t.send(get.body(Body::empty()).unwrap()).await;
    assert_eq!((r.status, r.json()["field"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("page")));
    let get = Request::get("/api/v1/outbox?limit=501").header(header::AUTHORIZATION, format!("Bearer {admin}"));
    let r = t.send(get.body(Body::empty()).unwrap()).await;
    assert_eq!((r.status, r.json()["field"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("limit")));
    let doc_text = doc.to_string();
    assert!(doc_text.contains("\"maximum\":1000000000000"), "the largest payment amount is stated");
    let desk = t.token("motcua").await;
    let code = t.post_json("/api/v1/dossiers", Some(&desk), counter_intake("031095001234")).await.json()["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let rev = revision(&command(&t, &desk, &code, "transfer", json!({"revision": 1, "agency": "H24.11"})).await);
    let r = command(&t, &admin, &code, "request_payment", json!({"revision": rev, "amount_vnd": 1_000_000_000_001u64}))
        .await;
    assert_eq!((r.status, r.json()["code"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("invalid_amount")));
}

/// Issue 12, item 19: role × the dossier's relation to the caller's agency × every command and
/// read, the expectation computed by the rule the use cases use (`access::may`, `may_read`,
/// `may_read_internal`) and checked against what the API answers. A command is sent with a
/// revision nobody holds, so an allowed one stops at `409 stale` and changes nothing.
#[tokio::test]
async fn the_access_matrix_follows_the_rule_the_use_cases_use() {
    use motcua_app::dossier_commands::CommandInput;
    use motcua_domain::dossier::access::{Action, Who, may, may_read, may_read_internal};
    use motcua_domain::user::Role;
    use motcua_storage::DossierRepo;
    let t = test_app().await;
    let desk = t.token("motcua").await;
    let specialist = t.token("chuyenvien").await;
    let mut callers = vec![];
    for (name, role, agency) in [
        ("motcua.khac", Role::DeskOfficer, Some("H24.101.01")),
        ("cv.noivu", Role::Specialist, Some("H24.10")),
        ("cv.taichinh", Role::Specialist, Some("H24.12")),
        ("congdan2", Role::Citizen, None),
    ] {
        let account = motcua_app::accounts::NewAccount {
            username: name.into(),
            full_name: "Trần Văn Cường".into(),
            role,
            agency: agency.map(Into::into),
            email: None,
            password: DEMO_PASSWORD.into(),
        };
        t.app.add_user(&motcua_app::Actor::Cli, account).await.unwrap();
    }
    for name in [
        "admin",
        "motcua",
        "chuyenvien",
        "lanhdao",
        "quantri.sotp",
        "congdan",
        "motcua.khac",
        "cv.noivu",
        "cv.taichinh",
        "congdan2",
    ] {
        let token = t.token(name).await;
        let user = t.app.authenticate(&token, motcua_storage::SessionKind::Bearer).await.unwrap().unwrap();
        callers.push((Some((token, user)), name));
    }
    callers.push((None, "anonymous"));

    // A dossier filed online and waiting for the desk, one accepted at the counter, one with
    // the Department of Justice waiting for the Department of Home Affairs' opinion.
    let citizen = t.token("congdan").await;
    let online = json!({"procedure": "2.000908", "channel": "online", "desk": "H24.02",
        "applicant": {"kind": "citizen", "id": "031095001234", "name": "Vũ Minh Anh", "phone": "0912345678"}});
    let submitted =
        t.post_json("/api/v1/dossiers", Some(&citizen), online).await.json()["code"].as_str().unwrap().to_owned();
    let accepted = t.post_json("/api/v1/dossiers", Some(&desk), counter_intake("031095001234")).await.json()["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let cooperating = t.post_json("/api/v1/dossiers", Some(&desk), counter_intake("031095009999")).await.json()["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let rev = revision(&command(&t, &desk, &cooperating, "transfer", json!({"revision": 1, "agency": "H24.11"})).await);
    revision(&command(&t, &specialist, &cooperating, "forward", json!({"revision": rev, "agency": "H24.10"})).await);

    let (mut cases, mut allowed_cases) = (0, 0);
    let mut allowed_for: std::collections::BTreeMap<&str, usize> = Default::default();
    for code in [&submitted, &accepted, &cooperating] {
        let d = t.store.dossier(&motcua_domain::dossier::DossierCode::parse(code).unwrap()).await.unwrap().unwrap();
        for (caller, name) in &callers {
            let token = caller.as_ref().map(|(tk, _)| tk.as_str());
            for (cmd, body) in every_command() {
                let mut input = body.clone();
                input["command"] = json!(cmd);
                let input: CommandInput = serde_json::from_value(input).unwrap();
                let mut sent = body;
                sent["revision"] = json!(-1);
                let r = t.post_json(&format!("/api/v1/dossiers/{code}/{cmd}"), token, sent).await;
                let want = match caller {
                    None => StatusCode::UNAUTHORIZED,
                    Some((_, user)) if may(Who::User(user), &d, Action::Command(input.kind())) => StatusCode::CONFLICT,
                    Some(_) => StatusCode::FORBIDDEN,
                };
                assert_eq!(r.status, want, "{name} {cmd} on {code} ({:?}): {}", d.workflow.state, r.body);
                cases += 1;
                allowed_cases += usize::from(want == StatusCode::CONFLICT);
                *allowed_for.entry(name).or_default() += usize::from(want == StatusCode::CONFLICT);
            }
            for (read, internal) in
                [("", false), ("/events", false), ("/notices", false), ("/documents", false), ("/forms/06", true)]
            {
                let mut req = Request::get(format!("/api/v1/dossiers/{code}{read}"))
                    .header(header::ACCEPT, "text/html, application/json");
                if let Some(tk) = token {
                    req = req.header(header::AUTHORIZATION, format!("Bearer {tk}"));
                }
                let r = t.send(req.body(Body::empty()).unwrap()).await;
                let want = match caller {
                    None => StatusCode::UNAUTHORIZED,
                    Some((_, user)) if internal && may_read_internal(user, &d) => StatusCode::OK,
                    Some((_, user)) if !internal && may_read(user, &d) => StatusCode::OK,
                    Some(_) => StatusCode::FORBIDDEN,
                };
                assert_eq!(r.status, want, "{name} reads {code}{read}: {}", r.body);
                cases += 1;
                allowed_cases += usize::from(want == StatusCode::OK);
                *allowed_for.entry(name).or_default() += usize::from(want == StatusCode::OK);
            }
        }
    }
    eprintln!("access matrix: {cases} cases, {allowed_cases} allowed: {allowed_for:?}");
    // What the rule must say whatever it is: outsiders get nothing, the admin everything.
    for outsider in ["motcua.khac", "cv.taichinh", "congdan2", "anonymous"] {
        assert_eq!(allowed_for[outsider], 0, "{outsider} may do nothing with these dossiers");
    }
    assert_eq!(allowed_for["admin"], 3 * (17 + 5));
    assert!(allowed_for["cv.noivu"] > 0, "the cooperating agency may read and answer");
    assert!(allowed_cases > 40 && cases - allowed_cases > 300, "{cases} cases, {allowed_cases} allowed");
}

#[tokio::test]
async fn the_applicant_reads_the_dossier_without_the_agencies_working_state() {
    let t = test_app().await;
    let citizen = t.token("congdan").await;
    let desk = t.token("motcua").await;
    let specialist = t.token("chuyenvien").await;
    let filed = json!({"procedure": "2.000908", "channel": "online", "desk": "H24.02",
        "applicant": {"kind": "citizen", "id": "031095001234", "name": "Vũ Minh Anh", "phone": "0912345678"}});
    let r = t.post_json("/api/v1/dossiers", Some(&citizen), filed).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let internal = ["handler", "steps_done", "cooperating_pending"];
    let hidden =
        |d: &Value| internal.iter().all(|k| d["workflow"].get(k).is_none()) && d.get("calendar_stamp").is_none();
    assert!(hidden(&r.json()), "the answer to the citizen's filing: {}", r.body);
    let code = r.json()["code"].as_str().unwrap().to_owned();
    let mut rev = revision(&command(&t, &desk, &code, "accept", json!({"revision": 1})).await);
    rev = revision(&command(&t, &desk, &code, "transfer", json!({"revision": rev, "agency": "H24.11"})).await);
    let r = command(&t, &specialist, &code, "assign", json!({"revision": rev, "handler": "chuyenvien"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // The agencies see who handles it, the steps done, the agencies asked, the calendar used.
    let staff = r.json();
    assert_eq!(
        (staff["workflow"]["handler"].as_str(), staff["workflow"]["steps_done"].as_u64()),
        (Some("chuyenvien"), Some(0))
    );
    assert!(staff["workflow"]["cooperating_pending"].is_array() && staff["calendar_stamp"].is_string(), "{staff}");
    let read = |token: &str| {
        Request::get(format!("/api/v1/dossiers/{code}"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap()
    };
    let r = t.send(read(&citizen)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let mine = r.json();
    assert!(hidden(&mine), "{mine}");
    assert_eq!(
        (mine["workflow"]["state"].as_str(), mine["national_status"].as_u64()),
        (Some("in_processing"), Some(4))
    );
    assert!(mine["workflow"]["due_original"].is_string(), "the appointment is the applicant's");
    let r = t.send(read(&specialist)).await;
    assert_eq!(r.json()["workflow"]["handler"], "chuyenvien");
}
