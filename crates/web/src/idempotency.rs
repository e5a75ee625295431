//! The `Idempotency-Key` layer of POST requests: the first answer (2xx or 4xx) is stored and a
//! repeated request with the same key gets it back (`Idempotency-Replayed: true`) without running
//! again; a key still in flight is `409 request_in_progress`; a key reused for another request is
//! `422 idempotency_key_reused`. Server errors are not kept, so the request can be retried.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, COOKIE};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use motcua_app::AppError;
use motcua_app::idempotency::caller_key;
use motcua_storage::Reservation as KeyState;

use crate::AppState;
use crate::error::ApiError;

const MAX_BODY: usize = 16 * 1024 * 1024;

pub async fn layer(State(s): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() != Method::POST {
        return next.run(req).await;
    }
    let Some(key) = req.headers().get("idempotency-key").map(|v| v.to_str().unwrap_or("\u{0}").to_owned()) else {
        return next.run(req).await;
    };
    let credential = req
        .headers()
        .get(AUTHORIZATION)
        .or_else(|| req.headers().get(COOKIE))
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let caller = caller_key(credential.as_deref());
    let request = format!("{} {}", req.method(), req.uri().path());
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
            let response = next.run(req).await;
            let (parts, body) = response.into_parts();
            let bytes = match to_bytes(body, MAX_BODY).await {
                Ok(b) => b,
                Err(e) => {
                    tracing::error!(error = %e, "cannot buffer the answer of an idempotent request");
                    let _ = s.app.release_idempotency_key(&caller, &key).await;
                    return StatusCode::INTERNAL_SERVER_ERROR.into_response();
                }
            };
            let stored = if parts.status.is_server_error() {
                s.app.release_idempotency_key(&caller, &key).await
            } else {
                s.app.complete_idempotency_key(&caller, &key, parts.status.as_u16(), &bytes).await
            };
            if let Err(e) = stored {
                tracing::error!(error = %e, "cannot store the answer of an idempotent request");
            }
            Response::from_parts(parts, Body::from(bytes))
        }
    }
}
