//! The API's error contract, whatever produced the error: every 4xx and 5xx under `/api/` is
//! `{"code", "message", "field"}` JSON, and an anonymous caller of an operation that needs a
//! login learns that first (401), before anything about its input.
//!
//! Handlers answer their own errors through `ApiError`. What reaches a client without passing
//! a handler — axum's rejections of a path or query it cannot read, a method the path does not
//! have, an unknown path, a body over the limit, the request timeout — is rewritten here. Which
//! operations need a login is read from the OpenAPI document (their `security`), so the
//! document and the behaviour cannot drift apart (a test checks every operation).

use std::sync::Arc;

use axum::body::to_bytes;
use axum::extract::{Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use motcua_app::AppError;
use utoipa::openapi::OpenApi;

use crate::error::ApiError;

/// A path template split at `/`; `None` stands for a `{parameter}`.
type Template = Vec<Option<String>>;

/// The operations of the API, and whether each needs a login.
#[derive(Debug, Default)]
pub struct Secured(Vec<(Method, Template, bool)>);

impl Secured {
    pub fn of(doc: &OpenApi) -> Self {
        let mut ops = vec![];
        for (path, item) in &doc.paths.paths {
            let template: Template = path
                .split('/')
                .map(|seg| (!(seg.starts_with('{') && seg.ends_with('}'))).then(|| seg.to_owned()))
                .collect();
            let methods = [
                (Method::GET, &item.get),
                (Method::POST, &item.post),
                (Method::PUT, &item.put),
                (Method::DELETE, &item.delete),
                (Method::PATCH, &item.patch),
            ];
            for (method, op) in methods {
                // An empty requirement (`security((), ...)`) makes the login optional.
                let required = op.as_ref().and_then(|o| o.security.as_ref()).is_some_and(|reqs| {
                    !reqs.is_empty()
                        && reqs.iter().all(|r| {
                            serde_json::to_value(r).is_ok_and(|v| v.as_object().is_some_and(|o| !o.is_empty()))
                        })
                });
                if op.is_some() {
                    ops.push((method, template.clone(), required));
                }
            }
        }
        Self(ops)
    }

    /// Does `method path` name an operation that needs a login? A literal segment wins over a
    /// parameter (`/dossiers/track` is not `/dossiers/{code}`), as in the router.
    pub fn needs_login(&self, method: &Method, path: &str) -> bool {
        let segs: Vec<&str> = path.split('/').collect();
        let fits = |t: &Template| {
            t.len() == segs.len() && t.iter().zip(&segs).all(|(t, s)| t.as_deref().is_none_or(|t| t == *s))
        };
        // The router's choice: from the left, a literal segment before a parameter.
        let rank = |t: &Template| t.iter().map(|s| s.is_some()).collect::<Vec<bool>>();
        self.0
            .iter()
            .filter(|(m, t, _)| m == method && fits(t))
            .max_by(|a, b| rank(&a.1).cmp(&rank(&b.1)))
            .is_some_and(|(_, _, required)| *required)
    }
}

pub async fn layer(State(secured): State<Arc<Secured>>, req: Request, next: Next) -> Response {
    if !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    if crate::auth::presented_credential(req.headers()).is_none() && secured.needs_login(req.method(), req.uri().path())
    {
        return ApiError(AppError::Unauthenticated).into_response();
    }
    let response = next.run(req).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if status.as_u16() < 400 || is_json {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = to_bytes(body, 64 * 1024).await.map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default();
    let error = match status {
        StatusCode::BAD_REQUEST if text.contains("query string") => {
            AppError::invalid("invalid_query", "query", format!("Tham số truy vấn không hợp lệ: {text}"))
        }
        StatusCode::BAD_REQUEST if text.starts_with("Invalid URL") || text.contains("path") => {
            AppError::invalid("invalid_path", "path", format!("Đường dẫn không hợp lệ: {text}"))
        }
        StatusCode::UNPROCESSABLE_ENTITY => {
            AppError::invalid("invalid_json", "body", format!("Nội dung JSON không hợp lệ: {text}"))
        }
        StatusCode::BAD_REQUEST => {
            AppError::BadRequest { code: "bad_request", message: format!("Yêu cầu không hợp lệ: {text}") }
        }
        StatusCode::NOT_FOUND => AppError::NotFound("đường dẫn này trong API".into()),
        StatusCode::METHOD_NOT_ALLOWED => AppError::MethodNotAllowed,
        StatusCode::PAYLOAD_TOO_LARGE => AppError::BodyTooLarge,
        StatusCode::UNSUPPORTED_MEDIA_TYPE => AppError::UnsupportedMediaType(text),
        StatusCode::REQUEST_TIMEOUT => AppError::TimedOut,
        StatusCode::UNAUTHORIZED => AppError::Unauthenticated,
        StatusCode::FORBIDDEN => AppError::Forbidden(format!("Yêu cầu bị từ chối: {text}")),
        s if s.is_server_error() => AppError::Internal(format!("{s}: {text}")),
        _ => AppError::BadRequest { code: "bad_request", message: text },
    };
    // A status with no error of its own (a 406 from an extractor, say) keeps its status.
    let keep =
        !matches!(status.as_u16(), 400 | 401 | 403 | 404 | 405 | 408 | 413 | 415 | 422) && !status.is_server_error();
    let mut r = ApiError(error).into_response();
    // Keep what the original answer said (Allow, Retry-After, the request id), not its body's
    // description.
    for (name, value) in &parts.headers {
        if ![CONTENT_TYPE, axum::http::header::CONTENT_LENGTH, axum::http::header::CONTENT_ENCODING].contains(name) {
            r.headers_mut().insert(name.clone(), value.clone());
        }
    }
    if keep {
        *r.status_mut() = status;
    }
    r
}

/// Document in every operation the errors it can answer besides its own: validation (422), a
/// body cut in transport (400), too large (413) or of the wrong type (415), login needed (401)
/// and refused (403), not found (404), the request timeout (408), the throttles (429), the
/// password gate (503) and the opaque 500.
pub fn document_errors(doc: &mut OpenApi) {
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
    let error = |what: &str| -> RefOr<utoipa::openapi::Response> {
        ResponseBuilder::new()
            .description(what)
            .content("application/json", ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build())
            .build()
            .into()
    };
    for (path, item) in doc.paths.paths.iter_mut() {
        let throttled = path == "/api/v1/auth/token" || path.starts_with("/api/v1/track/");
        for op in
            [&mut item.get, &mut item.post, &mut item.put, &mut item.delete, &mut item.patch].into_iter().flatten()
        {
            let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
            let mut add = vec![
                ("404", "Not found"),
                ("408", "The request took longer than the server allows"),
                ("422", "Invalid path, query or body (`field` names it)"),
                ("500", "Internal error (the cause is logged with the request id)"),
            ];
            if op.request_body.is_some() {
                add.extend([
                    ("400", "The body was cut in transport (`incomplete_body`)"),
                    ("413", "The body is larger than allowed"),
                    ("415", "The body is not of a type this operation reads"),
                ]);
            }
            if secured {
                add.extend([("401", "Login needed"), ("403", "Not allowed for this account")]);
            }
            if throttled {
                add.extend([
                    ("429", "Too many attempts; see Retry-After"),
                    ("503", "Busy checking passwords; see Retry-After"),
                ]);
            }
            for (status, what) in add {
                op.responses.responses.entry(status.to_owned()).or_insert_with(|| error(what));
            }
        }
    }
}
