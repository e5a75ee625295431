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
}

#[derive(Debug, Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// Only local paths are followed after login (no open redirect).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/".into(),
    }
}

pub async fn form(caller: Caller, Query(q): Query<NextQuery>) -> impl IntoResponse {
    LoginPage {
        layout: Layout::of(&caller.actor, "login"),
        next: safe_next(q.next.as_deref()),
        username: String::new(),
        error: None,
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
        Ok(l) => {
            let cookie = Cookie::build((SESSION_COOKIE, l.token))
                .path("/")
                .http_only(true)
                .same_site(SameSite::Lax)
                .secure(s.secure_cookies)
                // A browser-session cookie; the server ends the session after `session_hours`.
                .build();
            (jar.add(cookie), Redirect::to(&next)).into_response()
        }
        Err(e) => {
            let status = if matches!(e, AppError::Unauthenticated) {
                axum::http::StatusCode::UNAUTHORIZED
            } else {
                tracing::error!(error = %e, "login failed");
                axum::http::StatusCode::INTERNAL_SERVER_ERROR
            };
            let page = LoginPage {
                layout: Layout::of(&caller.actor, "login"),
                next,
                username: f.username,
                error: Some(e.body().message),
            };
            (status, page).into_response()
        }
    }
}

pub async fn logout(State(s): State<AppState>, caller: Caller, jar: CookieJar) -> Response {
    if let Some(token) = &caller.cookie_token
        && let Err(e) = s.app.logout(&caller.actor, token).await
    {
        tracing::error!(error = %e, "logout failed");
    }
    (jar.remove(Cookie::build(SESSION_COOKIE).path("/")), Redirect::to("/")).into_response()
}
