//! Sessions, redirects after login and the security headers.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use motcua_demo::DEMO_PASSWORD;

use super::test_app;

#[tokio::test]
async fn logout_revokes_the_token_or_every_session() {
    let t = test_app().await;
    let me = |token: &str| {
        Request::get("/api/v1/me").header(header::AUTHORIZATION, format!("Bearer {token}")).body(Body::empty()).unwrap()
    };
    let logout = |token: &str, body: &str| {
        Request::post("/api/v1/auth/logout")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_owned()))
            .unwrap()
    };
    let (a, b) = (t.token("chuyenvien").await, t.token("chuyenvien").await);
    assert_eq!(t.send(logout(&a, "")).await.status, StatusCode::NO_CONTENT);
    assert_eq!(t.send(me(&a)).await.status, StatusCode::UNAUTHORIZED, "this token ended");
    assert_eq!(t.send(me(&b)).await.status, StatusCode::OK, "the other one did not");
    let cookie = crate::cookie_of(&t, "chuyenvien").await;
    let page = |c: &str| Request::get("/ho-so").header(header::COOKIE, c).body(Body::empty()).unwrap();
    assert_eq!(t.send(page(&cookie)).await.status, StatusCode::OK);
    assert_eq!(t.send(logout(&b, r#"{"everywhere": true}"#)).await.status, StatusCode::NO_CONTENT);
    assert_eq!(t.send(me(&b)).await.status, StatusCode::UNAUTHORIZED);
    assert_ne!(t.send(page(&cookie)).await.status, StatusCode::OK, "the browser session ended too");
    assert_eq!(t.send(logout("not-a-token", "")).await.status, StatusCode::UNAUTHORIZED);

    // Logging out everywhere from the page ends the API tokens as well.
    let c = t.token("lanhdao").await;
    let cookie = crate::cookie_of(&t, "lanhdao").await;
    let out = Request::post("/dang-xuat")
        .header(header::COOKIE, &cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("everywhere=1"))
        .unwrap();
    assert_eq!(t.send(out).await.status, StatusCode::SEE_OTHER);
    assert_eq!(t.send(me(&c)).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn login_follows_only_local_paths_and_keeps_where_it_came_from() {
    let t = test_app().await;
    let login = |next: &str| {
        let body =
            serde_urlencoded::to_string([("username", "chuyenvien"), ("password", DEMO_PASSWORD), ("next", next)])
                .unwrap();
        Request::post("/dang-nhap")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap()
    };
    for (next, want) in [
        ("/\t/evil.example", "/"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("/a\r\nSet-Cookie: x=1", "/"),
        ("/ho-so?state=accepted", "/ho-so?state=accepted"),
    ] {
        let r = t.send(login(next)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{next:?}: {}", r.body);
        assert_eq!(r.headers.get(header::LOCATION).unwrap(), want, "{next:?}");
    }
    // A dossier link opened without a session comes back to the dossier after login.
    let r = t.get("/ho-so/H24.02-261127-0001").await;
    assert!(r.status.is_redirection());
    assert_eq!(r.headers.get(header::LOCATION).unwrap(), "/dang-nhap?next=%2Fho-so%2FH24.02-261127-0001");
    let r = t.get("/dang-nhap?next=%2Fho-so%2FH24.02-261127-0001").await;
    assert!(r.body.contains(r#"name="next" value="/ho-so/H24.02-261127-0001""#), "{}", r.body);
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let t = test_app().await;
    let cookie = crate::cookie_of(&t, "motcua").await;
    let with_cookie = |uri: &str| Request::get(uri).header(header::COOKIE, &cookie).body(Body::empty()).unwrap();
    for r in [
        t.send(with_cookie("/ho-so")).await,
        t.send(with_cookie("/mot-cua/tiep-nhan")).await,
        t.get("/thu-tuc").await,
        t.get("/api/v1/procedures?q=khai+sinh").await,
        t.get("/api/v1/me").await,
        t.get("/khong-co-trang-nay").await,
    ] {
        let csp = r.headers.get(header::CONTENT_SECURITY_POLICY).expect("CSP").to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"), "{csp}");
        assert_eq!(r.headers.get(header::X_FRAME_OPTIONS).unwrap(), "DENY");
        assert_eq!(r.headers.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(), "nosniff");
        assert_eq!(r.headers.get(header::REFERRER_POLICY).unwrap(), "no-referrer");
        assert_eq!(r.headers.get(header::CACHE_CONTROL).unwrap(), "no-store", "personal data is never cached");
    }
    let css = t.get("/static/app.css").await;
    assert!(css.headers.get(header::CACHE_CONTROL).unwrap().to_str().unwrap().starts_with("public"));
    // The pages pass their own policy: no inline script or handler left.
    let page = t.get("/thu-tuc/1.001193").await;
    assert!(!page.body.contains("onclick=") && !page.body.contains("<script>"), "inline script on a page");
    assert!(page.body.contains(r#"<script src="/static/app.js" defer></script>"#));
}
