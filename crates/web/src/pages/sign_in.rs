//! Sign-in through the national identity provider (VNeID): `/dang-nhap/vneid` sends the browser
//! to the provider, `/dang-nhap/vneid/ve` is where the provider sends it back
//! (`motcua_app::sign_in`). The state is also kept in a short-lived cookie of this browser, so a
//! callback address carried to another browser signs nobody in there (login CSRF).

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use motcua_app::AppError;
use motcua_app::sign_in::Callback;
use serde::Deserialize;

use super::login::{self, NextQuery, safe_next};
use crate::AppState;
use crate::auth::Caller;

/// The cookie holding the state of this browser's sign-in under way.
const STATE_COOKIE: &str = "motcua_vneid_state";
const CALLBACK_PATH: &str = "/dang-nhap/vneid/ve";

/// The login page again, with what went wrong and its code.
fn refused(s: &AppState, caller: &Caller, next: String, e: &AppError) -> Response {
    let body = e.body();
    login::refused(s, caller, next, String::new(), format!("{} (mã lỗi {})", body.message, body.code), e)
}

/// A browser-session cookie, sent back only to the callback; the server forgets the sign-in
/// after `SIGN_IN_MINUTES` whatever the browser keeps.
fn state_cookie(s: &AppState, value: String) -> Cookie<'static> {
    Cookie::build((STATE_COOKIE, value))
        .path(CALLBACK_PATH)
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(s.secure_cookies)
        .build()
}

pub async fn start(State(s): State<AppState>, caller: Caller, jar: CookieJar, Query(q): Query<NextQuery>) -> Response {
    let next = safe_next(q.next.as_deref());
    match s.app.start_national_sign_in(Some(&next), caller.actor.ip()).await {
        Ok(started) => {
            let jar = jar.add(state_cookie(&s, started.state));
            (jar, Redirect::to(&started.url)).into_response()
        }
        Err(e) => refused(&s, &caller, next, &e),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

pub async fn finish(
    State(s): State<AppState>,
    caller: Caller,
    jar: CookieJar,
    Query(q): Query<CallbackQuery>,
) -> Response {
    let callback = Callback {
        state: q.state,
        browser_state: jar.get(STATE_COOKIE).map(|c| c.value().to_owned()),
        code: q.code,
        error: q.error,
    };
    // The state cookie is spent whatever happens.
    let jar = jar.remove(Cookie::build(STATE_COOKIE).path(CALLBACK_PATH));
    match s.app.finish_national_sign_in(callback, caller.actor.ip()).await {
        Ok(done) => {
            let to = safe_next(done.return_to.as_deref());
            (jar.add(login::session_cookie(&s, done.login.token)), Redirect::to(&to)).into_response()
        }
        Err(e) => (jar, refused(&s, &caller, "/".into(), &e)).into_response(),
    }
}
