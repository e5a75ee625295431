//! `/api/v1/auth/token`: a bearer token for API clients.

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use chrono::{DateTime, Utc};
use motcua_app::AppError;
use motcua_app::error::ErrorBody;
use motcua_domain::user::User;
use motcua_storage::SessionKind;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, bad_json};

#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenRequest {
    username: String,
    password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    /// Send as `Authorization: Bearer <token>`.
    token: String,
    expires_at: DateTime<Utc>,
}

#[utoipa::path(post, path = "/api/v1/auth/token", tag = "auth", request_body = TokenRequest,
    responses((status = 200, body = TokenResponse), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn token(
    State(s): State<AppState>,
    caller: Caller,
    body: Result<Json<TokenRequest>, JsonRejection>,
) -> Result<Json<TokenResponse>, ApiError> {
    let Json(b) = body.map_err(bad_json)?;
    let l = s.app.login(&b.username, &b.password, SessionKind::Bearer, caller.actor.ip()).await?;
    Ok(Json(TokenResponse { token: l.token, expires_at: l.expires_at }))
}

#[utoipa::path(get, path = "/api/v1/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = User), (status = 401, body = ErrorBody)))]
pub async fn me(caller: Caller) -> Result<Json<User>, ApiError> {
    caller.actor.user().cloned().map(Json).ok_or(ApiError(AppError::Unauthenticated))
}
