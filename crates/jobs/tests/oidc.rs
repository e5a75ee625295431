//! The OpenID Connect adapter against a real provider: panva's `oidc-provider` (npm), started
//! from `test-support/oidc` (`npm ci` there first). `MOTCUA_REQUIRE_OIDC=1` (as `.ci/run` sets)
//! makes its absence an error; otherwise the test says so and is not run.
//!
//! The person goes through the provider's own login and consent pages (driven over HTTP here,
//! in Chromium in the browser tests); the adapter then exchanges the code and checks the ID
//! token. A code used twice, a wrong nonce (the token of another sign-in) and a wrong PKCE
//! verifier are each refused; a provider that does not answer is "unreachable".

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use motcua_app::sign_in::{Authorization, IdentityProvider, ProviderError};
use motcua_jobs::oidc::{OidcProvider, OidcSettings};

const REDIRECT: &str = "http://127.0.0.1:9/dang-nhap/vneid/ve";

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

struct TestProvider {
    child: Child,
    issuer: String,
}

impl Drop for TestProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl TestProvider {
    fn start() -> Option<Self> {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../test-support/oidc");
        let ready = dir.join("node_modules/oidc-provider").is_dir()
            && Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success());
        if !ready {
            if std::env::var_os("MOTCUA_REQUIRE_OIDC").is_some() {
                panic!(
                    "node and test-support/oidc/node_modules are required (MOTCUA_REQUIRE_OIDC is set): npm ci there"
                );
            }
            eprintln!("no OpenID Connect test provider (node + `npm ci` in test-support/oidc): not run here");
            return None;
        }
        let port = free_port();
        let child = Command::new("node")
            .arg("provider.mjs")
            .current_dir(&dir)
            .env("OIDC_PORT", port.to_string())
            .env("OIDC_REDIRECT_URIS", REDIRECT)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let p = Self { child, issuer: format!("http://127.0.0.1:{port}") };
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Some(p);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("oidc-provider did not start on port {port}");
    }

    fn adapter(&self, id_claim: &str) -> OidcProvider {
        OidcProvider::new(settings(&self.issuer, id_claim)).unwrap()
    }
}

fn settings(issuer: &str, id_claim: &str) -> OidcSettings {
    OidcSettings {
        issuer: issuer.into(),
        client_id: "motcua".into(),
        client_secret: "motcua-test-secret".into(),
        redirect_url: REDIRECT.into(),
        scopes: vec!["profile".into(), "cccd".into()],
        id_claim: id_claim.into(),
    }
}

/// A browser of one person at the provider: follows redirects by hand, keeps cookies, and
/// answers the login and consent pages; returns the query of the redirect to our callback.
async fn sign_in_at_provider(auth: &Authorization, login: &str) -> BTreeMap<String, String> {
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let mut cookies: BTreeMap<String, String> = BTreeMap::new();
    let mut next = (reqwest::Method::GET, auth.url.clone(), None::<String>);
    let base = auth.url.split("/auth").next().unwrap().to_owned();
    for _ in 0..20 {
        let (method, url, body) = next.clone();
        let cookie = cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
        let mut req = http.request(method, &url).header("cookie", cookie);
        if let Some(b) = body {
            req = req.header("content-type", "application/x-www-form-urlencoded").body(b);
        }
        let resp = req.send().await.unwrap();
        for c in resp.headers().get_all("set-cookie") {
            let pair = c.to_str().unwrap().split(';').next().unwrap();
            let (k, v) = pair.split_once('=').unwrap();
            cookies.insert(k.into(), v.into());
        }
        if resp.status().is_redirection() {
            let to = resp.headers()["location"].to_str().unwrap().to_owned();
            if let Some(query) = to.strip_prefix(&format!("{REDIRECT}?")) {
                return openidconnect::url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
            }
            let to = if to.starts_with('/') { format!("{base}{to}") } else { to };
            next = (reqwest::Method::GET, to, None);
            continue;
        }
        let page = resp.text().await.unwrap();
        let action = page.split("action=\"").nth(1).and_then(|r| r.split('"').next()).expect(&page).to_owned();
        let action = if action.starts_with('/') { format!("{base}{action}") } else { action };
        let form = if page.contains("value=\"login\"") {
            format!("prompt=login&login={login}&password=any")
        } else {
            "prompt=consent".to_owned()
        };
        next = (reqwest::Method::POST, action, Some(form));
    }
    panic!("the provider never sent the person back");
}

#[tokio::test]
async fn signs_a_person_in_and_refuses_replays() {
    let Some(provider) = TestProvider::start() else { return };
    let adapter = provider.adapter("so_dinh_danh");

    // A sign-in as it should go: the personal ID from UserInfo, the name from the ID token.
    let auth = adapter.authorize().await.unwrap();
    assert!(auth.url.contains("code_challenge_method=S256"), "PKCE: {}", auth.url);
    assert!(auth.url.contains(&format!("nonce={}", auth.nonce)), "{}", auth.url);
    let back = sign_in_at_provider(&auth, "001090000123").await;
    assert_eq!(back["state"], auth.state, "the provider returns our state");
    let code = &back["code"];
    let who = adapter.finish(code, &auth.verifier, &auth.nonce).await.unwrap();
    assert_eq!(who.personal_id, "001090000123");
    assert_eq!(who.name.as_deref(), Some("Nguyễn Văn An"));
    assert!(who.subject.starts_with("vneid-") && who.subject != who.personal_id, "{who:?}");

    // The same code again (a replayed callback): the provider refuses it.
    let again = adapter.finish(code, &auth.verifier, &auth.nonce).await;
    assert!(matches!(again, Err(ProviderError::Rejected(_))), "{again:?}");

    // Another sign-in's nonce: the ID token is not for this sign-in.
    let auth = adapter.authorize().await.unwrap();
    let back = sign_in_at_provider(&auth, "001090000123").await;
    let wrong_nonce = adapter.finish(&back["code"], &auth.verifier, "nonce-of-another-sign-in").await;
    match wrong_nonce {
        Err(ProviderError::Rejected(why)) => assert!(why.to_lowercase().contains("nonce"), "{why}"),
        other => panic!("{other:?}"),
    }

    // A verifier that is not the one whose challenge was sent (a stolen code): refused.
    let auth = adapter.authorize().await.unwrap();
    let back = sign_in_at_provider(&auth, "031095001234").await;
    let stolen = adapter.finish(&back["code"], "a-verifier-of-forty-three-characters-or-more-xx", &auth.nonce).await;
    assert!(matches!(stolen, Err(ProviderError::Rejected(_))), "{stolen:?}");

    // `sub` as the personal ID claim: the subject here is opaque, so it is taken as it is.
    let by_sub = provider.adapter("sub");
    let auth = by_sub.authorize().await.unwrap();
    let back = sign_in_at_provider(&auth, "031095001234").await;
    let who = by_sub.finish(&back["code"], &auth.verifier, &auth.nonce).await.unwrap();
    assert_eq!(who.personal_id, who.subject);
}

#[tokio::test]
async fn a_provider_that_does_not_answer_is_unreachable() {
    let adapter = OidcProvider::new(settings(&format!("http://127.0.0.1:{}", free_port()), "sub")).unwrap();
    let r = adapter.authorize().await;
    assert!(matches!(r, Err(ProviderError::Unreachable(_))), "{r:?}");
    let r = adapter.finish("code", "verifier", "nonce").await;
    assert!(matches!(r, Err(ProviderError::Unreachable(_))), "{r:?}");
}
