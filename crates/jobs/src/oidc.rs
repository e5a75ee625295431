//! The national identity provider's adapter (VNeID): an OpenID Connect relying party
//! (authorization code flow with PKCE S256) built on the `openidconnect` crate, configured by the
//! issuer's address alone (discovery: endpoints and signing keys).
//!
//! The provider's metadata and keys are fetched on first use and kept [`METADATA_TTL`], so that
//! the server starts when the provider is down, and keys the provider rotates are picked up.
//! The ID token is checked by the crate: signature against the provider's published keys,
//! issuer, audience (our client id), expiry and our nonce. The person's personal ID is read from
//! the claim the province configures (`id_claim`): `sub` itself, or a claim of the ID token or,
//! when the token does not carry it, of the UserInfo answer (whose subject must be the token's).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use motcua_app::sign_in::{Authorization, IdentityProvider, ProvenIdentity, ProviderError};
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreGenderClaim, CoreProviderMetadata};
use openidconnect::{
    AdditionalClaims, AuthorizationCode, ClientId, ClientSecret, CsrfToken, HttpRequest, HttpResponse, IssuerUrl,
    Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenResponse, UserInfoClaims,
};
use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;

/// How long discovered metadata (endpoints, keys) is trusted before it is fetched again.
pub const METADATA_TTL: Duration = Duration::from_secs(600);

/// How the province registered this system with the provider (`[oidc]`).
#[derive(Debug, Clone)]
pub struct OidcSettings {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    /// Our callback, as registered with the provider (`…/dang-nhap/vneid/ve`).
    pub redirect_url: String,
    pub scopes: Vec<String>,
    /// The claim holding the 12-digit personal ID (`sub` when the subject is the ID itself).
    pub id_claim: String,
}

/// Claims beyond the standard ones, kept as they come.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct OtherClaims(HashMap<String, serde_json::Value>);
impl AdditionalClaims for OtherClaims {}

/// The crate's client as discovery makes it: authorization endpoint set; token and UserInfo
/// endpoints as the provider's metadata says.
type DiscoveredClient = CoreClient<
    openidconnect::EndpointSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointMaybeSet,
    openidconnect::EndpointMaybeSet,
>;

pub struct OidcProvider {
    settings: OidcSettings,
    issuer: IssuerUrl,
    redirect: RedirectUrl,
    http: Http,
    metadata: Mutex<Option<(Instant, CoreProviderMetadata)>>,
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct HttpError(String);

/// The crate's HTTP client over reqwest; redirects are not followed (SSRF).
struct Http(reqwest::Client);

impl<'c> openidconnect::AsyncHttpClient<'c> for Http {
    type Error = HttpError;
    type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Result<HttpResponse, HttpError>> + Send + 'c>>;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        Box::pin(send(&self.0, request))
    }
}

/// One HTTP exchange.
async fn send(http: &reqwest::Client, request: HttpRequest) -> Result<HttpResponse, HttpError> {
    let request = reqwest::Request::try_from(request).map_err(|e| HttpError(e.to_string()))?;
    let answer = http.execute(request).await.map_err(|e| HttpError(e.to_string()))?;
    let mut response = openidconnect::http::Response::builder().status(answer.status());
    for (name, value) in answer.headers() {
        response = response.header(name, value);
    }
    let body = answer.bytes().await.map_err(|e| HttpError(e.to_string()))?;
    response.body(body.to_vec()).map_err(|e| HttpError(e.to_string()))
}

fn claim_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

impl OidcProvider {
    pub fn new(settings: OidcSettings) -> Result<Self, String> {
        let issuer = IssuerUrl::new(settings.issuer.clone()).map_err(|e| format!("oidc.issuer: {e}"))?;
        let redirect =
            RedirectUrl::new(settings.redirect_url.clone()).map_err(|e| format!("oidc.redirect_url: {e}"))?;
        if settings.client_id.is_empty() {
            return Err("oidc.client_id is empty".into());
        }
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| format!("HTTP client: {e}"))?;
        Ok(Self { settings, issuer, redirect, http: Http(http), metadata: Mutex::new(None) })
    }

    async fn metadata(&self) -> Result<CoreProviderMetadata, ProviderError> {
        let mut cached = self.metadata.lock().await;
        if let Some((at, m)) = cached.as_ref()
            && at.elapsed() < METADATA_TTL
        {
            return Ok(m.clone());
        }
        let http = &self.http;
        let m = CoreProviderMetadata::discover_async(self.issuer.clone(), http)
            .await
            .map_err(|e| ProviderError::Unreachable(format!("discovery at {}: {e}", self.settings.issuer)))?;
        *cached = Some((Instant::now(), m.clone()));
        Ok(m)
    }

    /// Forget the metadata (the provider may have rotated its keys).
    async fn forget_metadata(&self) {
        *self.metadata.lock().await = None;
    }

    fn client(&self, m: CoreProviderMetadata) -> DiscoveredClient {
        CoreClient::from_provider_metadata(
            m,
            ClientId::new(self.settings.client_id.clone()),
            Some(ClientSecret::new(self.settings.client_secret.clone())),
        )
        .set_redirect_uri(self.redirect.clone())
    }

    async fn finish_once(&self, code: &str, verifier: &str, nonce: &str) -> Result<ProvenIdentity, ProviderError> {
        let client = self.client(self.metadata().await?);
        let http = &self.http;
        let rejected = |what: &str, e: &dyn std::fmt::Display| ProviderError::Rejected(format!("{what}: {e}"));
        let token = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|e| ProviderError::Unreachable(format!("token endpoint: {e}")))?
            .set_pkce_verifier(PkceCodeVerifier::new(verifier.to_owned()))
            .request_async(http)
            .await
            .map_err(|e| match e {
                openidconnect::RequestTokenError::ServerResponse(r) => rejected("token refused", &r),
                e => ProviderError::Unreachable(format!("token endpoint: {e}")),
            })?;
        let id_token = token.id_token().ok_or_else(|| ProviderError::Rejected("no ID token".into()))?;
        let claims = id_token
            .claims(&client.id_token_verifier(), &Nonce::new(nonce.to_owned()))
            .map_err(|e| rejected("ID token", &e))?;
        let subject = claims.subject().clone();
        let mut name = claims.name().and_then(|n| n.get(None)).map(|n| n.as_str().to_owned());
        let by_subject = self.settings.id_claim == "sub";
        // UserInfo (its subject checked against the token's): for the personal ID claim, and for
        // the name when the token carries none (providers give profile claims there by default).
        let info = match (by_subject, name.is_some()) {
            (true, true) => None,
            _ => {
                let asked = client
                    .user_info(token.access_token().clone(), Some(subject.clone()))
                    .map_err(|e| rejected("no UserInfo endpoint", &e));
                let answer: Result<UserInfoClaims<OtherClaims, CoreGenderClaim>, ProviderError> = match asked {
                    Ok(request) => request.request_async(http).await.map_err(|e| rejected("UserInfo", &e)),
                    Err(e) => Err(e),
                };
                match answer {
                    Ok(info) => Some(info),
                    // Only the name was wanted: the sign-in goes on without it.
                    Err(_) if by_subject => None,
                    Err(e) => return Err(e),
                }
            }
        };
        if name.is_none() {
            name = info.as_ref().and_then(|i| i.name()).and_then(|n| n.get(None)).map(|n| n.as_str().to_owned());
        }
        let personal_id = match by_subject {
            true => Some(subject.as_str().to_owned()),
            false => {
                info.as_ref().and_then(|i| i.additional_claims().0.get(&self.settings.id_claim)).and_then(claim_text)
            }
        };
        let personal_id = personal_id.ok_or_else(|| {
            ProviderError::Rejected(format!("no claim {} for the personal ID", self.settings.id_claim))
        })?;
        Ok(ProvenIdentity { subject: subject.as_str().to_owned(), personal_id, name })
    }
}

#[async_trait::async_trait]
impl IdentityProvider for OidcProvider {
    async fn authorize(&self) -> Result<Authorization, ProviderError> {
        let client = self.client(self.metadata().await?);
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request =
            client.authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random);
        for scope in self.settings.scopes.iter().filter(|s| s.as_str() != "openid") {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        let (url, state, nonce) = request.set_pkce_challenge(challenge).url();
        Ok(Authorization {
            url: url.to_string(),
            state: state.secret().clone(),
            verifier: verifier.secret().clone(),
            nonce: nonce.secret().clone(),
        })
    }

    async fn finish(&self, code: &str, verifier: &str, nonce: &str) -> Result<ProvenIdentity, ProviderError> {
        let r = self.finish_once(code, verifier, nonce).await;
        if matches!(r, Err(ProviderError::Rejected(_))) {
            // Keys rotated since discovery look like a bad signature: next sign-in rediscovers.
            self.forget_metadata().await;
        }
        r
    }
}
