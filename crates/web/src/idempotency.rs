//! The `Idempotency-Key` layer of POST requests: the first answer (2xx or 4xx) is stored and a
//! repeated request with the same key gets it back (`Idempotency-Replayed: true`) without running
//! again; a key still in flight is `409 request_in_progress`; a key reused for another request
//! (another path or another body) is `422 idempotency_key_reused`. Server errors are not kept,
//! so the request can be retried.
//!
//! What is never kept: anonymous requests (no caller to bind the answer to: someone else reusing
//! the key would get it) and the token endpoint (its answer is a credential). The body is read
//! whole before the key is reserved, so a body cut in transport reserves nothing; the request
//! then runs in its own task, so a client that hangs up cannot leave the key "in progress" with
//! a change made and no answer stored.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use motcua_app::AppError;
use motcua_app::idempotency::{caller_key, request_fingerprint};
use motcua_storage::Reservation as KeyState;

use crate::AppState;
use crate::error::ApiError;

/// Largest answer kept.
const MAX_ANSWER: usize = 16 * 1024 * 1024;

/// Paths whose answers are never kept.
const NEVER_KEPT: &str = "/api/v1/auth/";

pub async fn layer(State(s): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() != Method::POST || req.uri().path().starts_with(NEVER_KEPT) {
        return next.run(req).await;
    }
    let Some(key) = req.headers().get("idempotency-key").map(|v| v.to_str().unwrap_or("\u{0}").to_owned()) else {
        return next.run(req).await;
    };
    let credential = crate::auth::presented_credential(req.headers());
    let Some(caller) = caller_key(credential.as_deref()) else {
        return next.run(req).await;
    };
    let (parts, body) = req.into_parts();
    let body = match to_bytes(body, crate::http::files::MAX_UPLOAD_BODY).await {
        Ok(b) => b,
        Err(e) => return ApiError(unreadable_body(&e)).into_response(),
    };
    let path = parts.uri.path_and_query().map_or_else(|| parts.uri.path().to_owned(), |p| p.as_str().to_owned());
    let request = request_fingerprint(parts.method.as_str(), &path, &body);
    match s.app.reserve_idempotency_key(&caller, &key, &request).await {
        Err(e) => ApiError(e).into_response(),
        Ok(KeyState::InProgress) => ApiError(AppError::NotAllowed {
            code: "request_in_progress",
            message: "Yêu cầu với khóa này đang được xử lý".into(),
        })
        .into_response(),
        Ok(KeyState::Done { request: first, status, body }) if first == request => {
            let mut r = Response::new(Body::from(body));
            *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            r.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            r.headers_mut().insert("idempotency-replayed", HeaderValue::from_static("true"));
            r
        }
        Ok(KeyState::Done { .. }) => ApiError(AppError::invalid(
            "idempotency_key_reused",
            "Idempotency-Key",
            "Khóa này đã dùng cho một yêu cầu khác",
        ))
        .into_response(),
        Ok(KeyState::New) => {
            let req = Request::from_parts(parts, Body::from(body));
            let app = s.app.clone();
            let (caller2, key2) = (caller.clone(), key.clone());
            let task = tokio::spawn(async move { run_and_keep(&app, &caller2, &key2, next, req).await });
            match task.await {
                Ok(r) => r,
                Err(e) => {
                    // The handler panicked: nothing worth repeating was answered.
                    tracing::error!(error = %e, "idempotent request failed");
                    if let Err(e) = s.app.release_idempotency_key(&caller, &key).await {
                        tracing::error!(error = %e, "cannot release an idempotency key");
                    }
                    ApiError(AppError::Internal("request task failed".into())).into_response()
                }
            }
        }
    }
}

/// Run the request and keep its answer (or release the key when there is none worth repeating).
async fn run_and_keep(app: &motcua_app::App, caller: &str, key: &str, next: Next, req: Request) -> Response {
    let response = next.run(req).await;
    let (parts, body) = response.into_parts();
    let bytes = match to_bytes(body, MAX_ANSWER).await {
        Ok(b) => b,
        Err(e) => {
            tracing::error!(error = %e, "cannot buffer the answer of an idempotent request");
            let _ = app.release_idempotency_key(caller, key).await;
            return ApiError(AppError::Internal("answer too large to keep".into())).into_response();
        }
    };
    let stored = if parts.status.is_server_error() {
        app.release_idempotency_key(caller, key).await
    } else {
        app.complete_idempotency_key(caller, key, parts.status.as_u16(), &bytes).await
    };
    if let Err(e) = stored {
        tracing::error!(error = %e, "cannot store the answer of an idempotent request");
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// A request body that could not be read whole: too large (413), or cut in transport (400).
pub(crate) fn unreadable_body(e: &axum::Error) -> AppError {
    let too_large =
        std::error::Error::source(e).and_then(|s| s.downcast_ref::<http_body_util::LengthLimitError>()).is_some()
            || e.to_string().contains("length limit");
    if too_large {
        AppError::BodyTooLarge
    } else {
        AppError::BadRequest {
            code: "incomplete_body",
            message: "Nội dung yêu cầu bị ngắt giữa chừng; vui lòng gửi lại".into(),
        }
    }
}
