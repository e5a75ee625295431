//! Extractors of the API whose rejections are stable errors (`{"code", "message", "field"}`),
//! not axum's plain-text answers: [`ApiJson`] for bodies, [`ApiQuery`] for query strings,
//! [`ApiQueryList`] for query strings with repeated keys.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use motcua_app::AppError;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// A JSON body the API could not read, as a stable error (not axum's plain-text rejection).
pub fn bad_json(e: JsonRejection) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return ApiError(AppError::BodyTooLarge);
    }
    ApiError(AppError::invalid("invalid_json", "body", format!("Nội dung JSON không hợp lệ: {}", e.body_text())))
}

/// A query string that cannot be read, as a stable error.
pub fn bad_query(e: QueryRejection) -> ApiError {
    ApiError(AppError::invalid("invalid_query", "query", format!("Tham số truy vấn không hợp lệ: {}", e.body_text())))
}

/// A query string that cannot be read by axum-extra's extractor (repeated keys).
pub fn bad_query_list(e: axum_extra::extract::QueryRejection) -> ApiError {
    ApiError(AppError::invalid("invalid_query", "query", format!("Tham số truy vấn không hợp lệ: {e}")))
}

/// A JSON body; unreadable: `422 invalid_json` (`413 body_too_large` beyond the limit); a NUL
/// character in any text or key: `422 invalid_text` naming where (no database keeps it).
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let axum::Json(value) = axum::Json::<serde_json::Value>::from_request(req, state).await.map_err(bad_json)?;
        if let Some(at) = nul_at(&value, "body") {
            return Err(ApiError(AppError::invalid("invalid_text", at, "Văn bản không được chứa ký tự NUL (U+0000)")));
        }
        serde_json::from_value(value).map(Self).map_err(|e| {
            ApiError(AppError::invalid("invalid_json", "body", format!("Nội dung JSON không hợp lệ: {e}")))
        })
    }
}

/// Where the first NUL character is in a JSON value (a key or a text), if any.
fn nul_at(v: &serde_json::Value, at: &str) -> Option<String> {
    use serde_json::Value;
    match v {
        Value::String(s) => s.contains('\0').then(|| at.to_owned()),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, x)| nul_at(x, &format!("{at}[{i}]"))),
        Value::Object(map) => map.iter().find_map(|(k, x)| {
            if k.contains('\0') {
                return Some(at.to_owned());
            }
            nul_at(x, &format!("{at}.{k}"))
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nul_anywhere_is_found_with_its_place() {
        let v = serde_json::json!({"content": {"name": "a\u{0}b", "ok": ["x"]}});
        assert_eq!(nul_at(&v, "body").as_deref(), Some("body.content.name"));
        let v = serde_json::json!({"list": ["x", "y\u{0}"]});
        assert_eq!(nul_at(&v, "body").as_deref(), Some("body.list[1]"));
        let v = serde_json::json!({"k\u{0}": 1});
        assert_eq!(nul_at(&v, "body").as_deref(), Some("body"));
        assert_eq!(nul_at(&serde_json::json!({"a": "Vũ Minh Anh", "n": 1}), "body"), None);
    }
}

/// A query string; unreadable: `422 invalid_query`.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state).await.map(|q| Self(q.0)).map_err(bad_query)
    }
}

/// A query string whose keys may repeat (`?pause=a&pause=b`); unreadable: `422 invalid_query`.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiQueryList<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQueryList<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum_extra::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| Self(q.0))
            .map_err(bad_query_list)
    }
}
