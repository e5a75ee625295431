//! Throttles on passwords and the public lookup, per account, code and address.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use motcua_app::AppConfig;
use motcua_demo::DEMO_PASSWORD;
use serde_json::json;

use super::*;
use super::{Resp, test_app_with};

#[tokio::test]
async fn wrong_passwords_are_throttled_per_account_and_per_address() {
    use motcua_app::throttle::Rate;
    let t = test_app_with(
        clock(),
        limits(|l| {
            l.login_failures_per_account = Rate { burst: 3, per_hour: 60 };
            l.logins_per_address = Rate { burst: 6, per_hour: 60 };
        }),
    )
    .await;
    for _ in 0..3 {
        let r = t.send(from_address(login_request("chuyenvien", "doan-sai-mat-khau"), [10, 0, 0, 1])).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let r = t.send(from_address(login_request("chuyenvien", DEMO_PASSWORD), [10, 0, 0, 2])).await;
    assert_eq!((r.status, r.json()["code"].clone()), (StatusCode::TOO_MANY_REQUESTS, json!("too_many_requests")));
    assert_eq!(r.headers.get(header::RETRY_AFTER).unwrap(), "60", "one attempt a minute");
    let r = t.send(from_address(login_request("lanhdao", DEMO_PASSWORD), [10, 0, 0, 1])).await;
    assert_eq!(r.status, StatusCode::OK, "another account is not locked");
    // The address 10.0.0.1 has made 4 attempts; two more, then it is refused whatever the account.
    for user in ["motcua", "congdan"] {
        assert_eq!(
            t.send(from_address(login_request(user, DEMO_PASSWORD), [10, 0, 0, 1])).await.status,
            StatusCode::OK
        );
    }
    let r = t.send(from_address(login_request("admin", DEMO_PASSWORD), [10, 0, 0, 1])).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    // The login page says so too, with the status and Retry-After.
    let page = Request::post("/dang-nhap")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("username=chuyenvien&password={DEMO_PASSWORD}")))
        .unwrap();
    let r = t.send(page).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body.contains("thử lại sau"), "{}", r.body);
    assert!(r.headers.contains_key(header::RETRY_AFTER));
}

#[tokio::test]
async fn the_public_lookup_is_throttled_per_code_and_per_address() {
    use motcua_app::throttle::Rate;
    let t = test_app_with(
        clock(),
        limits(|l| {
            l.lookup_failures_per_code = Rate { burst: 3, per_hour: 6 };
            l.lookups_per_address = Rate { burst: 8, per_hour: 60 };
        }),
    )
    .await;
    let desk = t.token("motcua").await;
    let made = t.send(keyed("/api/v1/dossiers", "k", Some(&desk), &counter_intake("031095001234"))).await;
    let code = made.json()["code"].as_str().unwrap().to_owned();
    let track = |digits: &str, ip: [u8; 4]| {
        from_address(Request::get(format!("/api/v1/track/{code}?phone={digits}")).body(Body::empty()).unwrap(), ip)
    };
    for guess in ["0000", "0001", "0002"] {
        assert_eq!(t.send(track(guess, [10, 0, 0, 1])).await.status, StatusCode::NOT_FOUND);
    }
    let r = t.send(track("5678", [10, 0, 0, 2])).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "the code is locked for guessing, from any address");
    assert_eq!(r.headers.get(header::RETRY_AFTER).unwrap(), "600");
    // Per address: 8 lookups of anything, then refused.
    let other = |n: u32| {
        from_address(
            Request::get(format!("/api/v1/track/H24.02-261127-{n:04}?phone=1111")).body(Body::empty()).unwrap(),
            [10, 0, 0, 3],
        )
    };
    for n in 100..108 {
        assert_eq!(t.send(other(n)).await.status, StatusCode::NOT_FOUND);
    }
    assert_eq!(t.send(other(108)).await.status, StatusCode::TOO_MANY_REQUESTS);
    // The page answers 429 with the message.
    let page =
        from_address(Request::get(format!("/tra-cuu?ma={code}&so=5678")).body(Body::empty()).unwrap(), [10, 0, 0, 4]);
    let r = t.send(page).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body.contains("thử lại sau"));
}

#[tokio::test]
async fn password_hashing_is_capped_and_refuses_beyond_its_queue() {
    let config = AppConfig { password_workers: 1, password_queue: 0, ..AppConfig::default() };
    let t = test_app_with(clock(), config).await;
    let attempts = (0..6).map(|_| t.send(login_request("congdan", "doan-sai-mat-khau")));
    let answers = futures_util::future::join_all(attempts).await;
    let busy: Vec<&Resp> = answers.iter().filter(|r| r.status == StatusCode::SERVICE_UNAVAILABLE).collect();
    assert!(!busy.is_empty(), "one hash at a time and no queue: concurrent logins are refused");
    assert!(answers.iter().all(|r| [StatusCode::UNAUTHORIZED, StatusCode::SERVICE_UNAVAILABLE].contains(&r.status)));
    assert_eq!(busy[0].json()["code"], "busy");
    assert!(busy[0].headers.contains_key(header::RETRY_AFTER));
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_throttles_see_the_forwarded_client() {
    use motcua_app::throttle::Rate;
    let mut config = limits(|l| l.logins_per_address = Rate { burst: 1, per_hour: 1 });
    config.trusted_proxies = vec!["10.0.0.9".parse().unwrap()];
    let t = test_app_with(clock(), config).await;
    let via = |forwarded: &str, peer: [u8; 4]| {
        let mut r = from_address(login_request("motcua", DEMO_PASSWORD), peer);
        r.headers_mut().insert("x-forwarded-for", forwarded.parse().unwrap());
        r
    };
    // Two clients behind the proxy are two addresses; a client's own claim before them is ignored.
    assert_eq!(t.send(via("203.0.113.1", [10, 0, 0, 9])).await.status, StatusCode::OK);
    assert_eq!(t.send(via("203.0.113.2", [10, 0, 0, 9])).await.status, StatusCode::OK);
    assert_eq!(t.send(via("1.2.3.4, 203.0.113.1", [10, 0, 0, 9])).await.status, StatusCode::TOO_MANY_REQUESTS);
    // A peer that is not a trusted proxy cannot choose its address.
    assert_eq!(t.send(via("198.51.100.7", [10, 0, 0, 5])).await.status, StatusCode::OK);
    assert_eq!(t.send(via("198.51.100.8", [10, 0, 0, 5])).await.status, StatusCode::TOO_MANY_REQUESTS);
}
