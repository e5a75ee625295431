//! Login and logout pages (cookie session, SameSite=Lax, HttpOnly).

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use motcua_app::AppError;
use motcua_storage::SessionKind;
use serde::Deserialize;

use super::Layout;
use crate::AppState;
use crate::auth::{Caller, SESSION_COOKIE};

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
pub(super) struct LoginPage {
    layout: Layout,
    next: String,
    username: String,
    error: Option<String>,
    /// Offer sign-in through VNeID (an identity provider is configured).
    vneid: bool,
}

#[derive(Debug, Deserialize)]
pub struct NextQuery {
    pub(super) next: Option<String>,
}

/// Only local paths are followed after login (no open redirect; `motcua_app::sign_in::local_path`).
pub(crate) fn safe_next(next: Option<&str>) -> String {
    next.and_then(motcua_app::sign_in::local_path).unwrap_or_else(|| "/".into())
}

/// The page that sent the browser to the login page, from the `Referer` of this server (its
/// path and query), when the link did not say where to come back to.
fn came_from(headers: &axum::http::HeaderMap) -> Option<String> {
    let referer = headers.get(axum::http::header::REFERER)?.to_str().ok()?;
    let host = headers.get(axum::http::header::HOST)?.to_str().ok()?;
    let rest = referer.strip_prefix("https://").or_else(|| referer.strip_prefix("http://"))?;
    let path = rest.strip_prefix(host)?;
    (path.starts_with('/') && !path.starts_with("/dang-nhap")).then(|| path.to_owned())
}

pub async fn form(
    State(s): State<AppState>,
    caller: Caller,
    headers: axum::http::HeaderMap,
    Query(q): Query<NextQuery>,
) -> impl IntoResponse {
    let next = q.next.or_else(|| came_from(&headers));
    LoginPage {
        layout: Layout::of(&caller.actor, "login"),
        next: safe_next(next.as_deref()),
        username: String::new(),
        error: None,
        vneid: s.app.national_sign_in_enabled(),
    }
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

pub async fn submit(State(s): State<AppState>, caller: Caller, jar: CookieJar, Form(f): Form<LoginForm>) -> Response {
    let next = safe_next(f.next.as_deref());
    match s.app.login(&f.username, &f.password, SessionKind::Cookie, caller.actor.ip()).await {
        Ok(l) => (jar.add(session_cookie(&s, l.token)), Redirect::to(&next)).into_response(),
        Err(e) => {
            let message = e.body().message;
            refused(&s, &caller, next, f.username, message, &e)
        }
    }
}

/// The session cookie of a login: a browser-session cookie (the server ends the session after
/// `session_hours`), HttpOnly, SameSite=Lax.
pub(super) fn session_cookie(s: &AppState, token: String) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, token))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(s.secure_cookies)
        .build()
}

/// The login page again with what went wrong (`message`), under the error's status.
pub(super) fn refused(
    s: &AppState,
    caller: &Caller,
    next: String,
    username: String,
    message: String,
    e: &AppError,
) -> Response {
    if let AppError::Internal(cause) = e {
        tracing::error!(%cause, "login failed");
    }
    let page = LoginPage {
        layout: Layout::of(&caller.actor, "login"),
        next,
        username,
        error: Some(message),
        vneid: s.app.national_sign_in_enabled(),
    };
    let mut r = (crate::error::status_of(e), page).into_response();
    crate::error::retry_after(e, &mut r);
    r
}

#[derive(Debug, Default, Deserialize)]
pub struct LogoutForm {
    /// "1": end every session and token of the account.
    #[serde(default)]
    everywhere: Option<String>,
}

pub async fn logout(
    State(s): State<AppState>,
    caller: Caller,
    jar: CookieJar,
    form: Result<Form<LogoutForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let everywhere = form.is_ok_and(|Form(f)| f.everywhere.as_deref() == Some("1"));
    if let Some(token) = &caller.cookie_token
        && let Err(e) = s.app.logout(&caller.actor, token, everywhere).await
    {
        tracing::error!(error = %e, "logout failed");
    }
    (jar.remove(Cookie::build(SESSION_COOKIE).path("/")), Redirect::to("/")).into_response()
}

/// A page that needs a login sends the browser to the login page with `next` set to where it was
/// going (a dossier link opened from an SMS or a QR code comes back to the dossier).
pub async fn keep_next(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let target = (req.method() == axum::http::Method::GET)
        .then(|| req.uri().path_and_query().map(|p| p.as_str().to_owned()))
        .flatten();
    let mut r = next.run(req).await;
    if let Some(target) = target
        && r.status().is_redirection()
        && r.headers().get(axum::http::header::LOCATION).is_some_and(|l| l == "/dang-nhap")
        && safe_next(Some(&target)) == target
        && let Ok(q) = serde_urlencoded::to_string([("next", target.as_str())])
        && let Ok(v) = axum::http::HeaderValue::from_str(&format!("/dang-nhap?{q}"))
    {
        r.headers_mut().insert(axum::http::header::LOCATION, v);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed() {
        for bad in [
            "//evil.example",
            "/\t/evil.example",
            "/\\evil.example",
            "https://evil.example",
            "/a\r\nSet-Cookie: x",
            "/%09",
            "",
        ] {
            let want = if bad == "/%09" { "/%09" } else { "/" };
            assert_eq!(safe_next(Some(bad)), want, "{bad:?}");
        }
        assert_eq!(safe_next(Some("/ho-so/H24.02-261127-0001")), "/ho-so/H24.02-261127-0001");
        assert_eq!(safe_next(None), "/");
    }
}
