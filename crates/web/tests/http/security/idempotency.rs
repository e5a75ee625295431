//! Idempotency keys: never replayed to another caller, bound to the body, expiring.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use motcua_app::{AppConfig, ManualClock};
use motcua_demo::DEMO_PASSWORD;
use motcua_testkit::fixtures::instant;
use serde_json::json;

use super::*;
use super::{test_app, test_app_with};

#[tokio::test]
async fn idempotency_never_replays_a_token_to_another_caller() {
    let t = test_app().await;
    let a = t
        .send(keyed("/api/v1/auth/token", "shared", None, &json!({"username": "motcua", "password": DEMO_PASSWORD})))
        .await;
    assert_eq!(a.status, StatusCode::OK);
    let b = t
        .send(keyed("/api/v1/auth/token", "shared", None, &json!({"username": "congdan", "password": DEMO_PASSWORD})))
        .await;
    assert_eq!(b.status, StatusCode::OK, "{}", b.body);
    assert!(!replayed(&b), "the token endpoint is never kept");
    assert_ne!(a.json()["token"], b.json()["token"]);
    let who = Request::get("/api/v1/me")
        .header(header::AUTHORIZATION, format!("Bearer {}", b.json()["token"].as_str().unwrap()))
        .body(Body::empty())
        .unwrap();
    assert_eq!(t.send(who).await.json()["username"], "congdan");

    // An anonymous request is not kept either: a wrong password then the right one, same key.
    let bad = t
        .send(keyed("/api/v1/auth/token", "k", None, &json!({"username": "congdan", "password": "sai-mat-khau-1"})))
        .await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    let first = t.send(keyed("/api/v1/dossiers", "anon", None, &counter_intake("031095001234"))).await;
    let second = t.send(keyed("/api/v1/dossiers", "anon", None, &counter_intake("031095001234"))).await;
    assert_eq!(first.status, StatusCode::UNAUTHORIZED);
    assert!(!replayed(&second), "anonymous answers are not kept");
}

#[tokio::test]
async fn idempotency_binds_the_key_to_the_body() {
    let t = test_app().await;
    let desk = t.token("motcua").await;
    let first = t.send(keyed("/api/v1/dossiers", "k", Some(&desk), &counter_intake("031095001234"))).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let other = t.send(keyed("/api/v1/dossiers", "k", Some(&desk), &counter_intake("031095009999"))).await;
    assert_eq!(
        (other.status, other.json()["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("idempotency_key_reused")),
        "another body under the same key"
    );
    assert_eq!(count_dossiers(&t, &desk).await, 1);
}

#[tokio::test]
async fn idempotency_answers_expire_after_a_day_and_dead_reservations_are_taken_over() {
    let clock = Arc::new(ManualClock::at(instant(2026, 11, 27, 3)));
    let t = test_app_with(clock.clone(), AppConfig::default()).await;
    let desk = t.token("motcua").await;
    let body = counter_intake("031095001234");
    assert_eq!(t.send(keyed("/api/v1/dossiers", "k", Some(&desk), &body)).await.status, StatusCode::CREATED);
    clock.set(instant(2026, 11, 27, 3) + chrono::Duration::hours(23));
    assert!(replayed(&t.send(keyed("/api/v1/dossiers", "k", Some(&desk), &body)).await));
    clock.set(instant(2026, 11, 27, 3) + chrono::Duration::hours(25));
    let later = t.send(keyed("/api/v1/dossiers", "k", Some(&desk), &body)).await;
    assert_eq!(later.status, StatusCode::CREATED);
    assert!(!replayed(&later), "a day later the key is free again");
    assert_eq!(count_dossiers(&t, &desk).await, 2);
    assert_eq!(t.app.purge_idempotency_keys().await.unwrap(), 0, "the expired answer was replaced");
    clock.set(instant(2026, 11, 27, 3) + chrono::Duration::hours(50));
    assert_eq!(t.app.purge_idempotency_keys().await.unwrap(), 1);

    // A reservation whose request died with its process (no answer ever stored).
    let caller = motcua_app::idempotency::caller_key(Some(&format!("Bearer {desk}"))).unwrap();
    let fp = motcua_app::idempotency::request_fingerprint("POST", "/api/v1/dossiers", body.to_string().as_bytes());
    t.app.reserve_idempotency_key(&caller, "dead", &fp).await.unwrap();
    let busy = t.send(keyed("/api/v1/dossiers", "dead", Some(&desk), &body)).await;
    assert_eq!((busy.status, busy.json()["code"].clone()), (StatusCode::CONFLICT, json!("request_in_progress")));
    clock.set(instant(2026, 11, 27, 3) + chrono::Duration::hours(50) + chrono::Duration::minutes(6));
    let taken = t.send(keyed("/api/v1/dossiers", "dead", Some(&desk), &body)).await;
    assert_eq!(taken.status, StatusCode::CREATED, "{}", taken.body);
}

#[tokio::test]
async fn a_body_cut_in_transport_reserves_no_key() {
    let t = test_app().await;
    let desk = t.token("motcua").await;
    let body = counter_intake("031095001234").to_string();
    let half = body[..body.len() / 2].to_owned();
    let stream = futures_util::stream::iter(vec![
        Ok::<_, std::io::Error>(axum::body::Bytes::from(half)),
        Err(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "client went away")),
    ]);
    let cut = Request::post("/api/v1/dossiers")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::AUTHORIZATION, format!("Bearer {desk}"))
        .header("idempotency-key", "k")
        .body(Body::from_stream(stream))
        .unwrap();
    let r = t.send(cut).await;
    assert_eq!((r.status, r.json()["code"].clone()), (StatusCode::BAD_REQUEST, json!("incomplete_body")));
    let whole = t.send(keyed("/api/v1/dossiers", "k", Some(&desk), &counter_intake("031095001234"))).await;
    assert_eq!(whole.status, StatusCode::CREATED, "the retry runs: {}", whole.body);
    assert!(!replayed(&whole));
}
