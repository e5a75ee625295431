//! Who is calling: a bearer token (API clients) or the session cookie (browsers).

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum_extra::extract::CookieJar;
use motcua_app::{Actor, AppError};
use motcua_storage::SessionKind;

use crate::AppState;
use crate::error::ApiError;

pub const SESSION_COOKIE: &str = "motcua_session";

/// The credential a request presents: its `Authorization` header, or else the value of its
/// session cookie. Used before the caller is resolved: to bind an idempotency key to its caller
/// and to answer an anonymous caller 401 before anything else.
pub fn presented_credential(headers: &axum::http::HeaderMap) -> Option<String> {
    if let Some(h) = headers.get(AUTHORIZATION) {
        return h.to_str().ok().map(str::to_owned);
    }
    CookieJar::from_headers(headers).get(SESSION_COOKIE).map(|c| c.value().to_owned())
}

/// The caller, resolved from the request. Never fails for anonymous callers; a presented but
/// invalid bearer token is a 401.
pub struct Caller {
    pub actor: Actor,
    /// The session token of a browser session (to log out).
    pub cookie_token: Option<String>,
    /// The bearer token of an API client (to log out).
    pub bearer_token: Option<String>,
}

/// The client's address: the peer, or behind a trusted reverse proxy the last address of
/// `X-Forwarded-For` that is not a trusted proxy (earlier entries are the client's own claims).
pub fn client_ip(parts: &Parts, trusted: &[std::net::IpAddr]) -> Option<String> {
    let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip())?;
    if !trusted.contains(&peer) {
        return Some(peer.to_string());
    }
    let forwarded: Vec<std::net::IpAddr> = parts
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    Some(forwarded.into_iter().rev().find(|a| !trusted.contains(a)).unwrap_or(peer).to_string())
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let ip = client_ip(parts, &state.app.config.trusted_proxies);
        if let Some(h) = parts.headers.get(AUTHORIZATION) {
            let token = h.to_str().ok().and_then(|v| v.strip_prefix("Bearer ")).ok_or(AppError::Unauthenticated)?;
            let user =
                state.app.authenticate(token.trim(), SessionKind::Bearer).await?.ok_or(AppError::Unauthenticated)?;
            return Ok(Self {
                actor: Actor::User { user, ip },
                cookie_token: None,
                bearer_token: Some(token.trim().to_owned()),
            });
        }
        let jar = CookieJar::from_headers(&parts.headers);
        if let Some(c) = jar.get(SESSION_COOKIE) {
            let token = c.value().to_owned();
            if let Some(user) = state.app.authenticate(&token, SessionKind::Cookie).await? {
                return Ok(Self { actor: Actor::User { user, ip }, cookie_token: Some(token), bearer_token: None });
            }
        }
        Ok(Self { actor: Actor::Anonymous { ip }, cookie_token: None, bearer_token: None })
    }
}
