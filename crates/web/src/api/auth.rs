//! `/api/v1/auth/token`: a bearer token for API clients.

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use motcua_app::AppError;
use motcua_app::error::ErrorBody;
use motcua_domain::user::User;
use motcua_storage::SessionKind;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::extract::{ApiJson, bad_json};

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
    ApiJson(b): ApiJson<TokenRequest>,
) -> Result<Json<TokenResponse>, ApiError> {
    let l = s.app.login(&b.username, &b.password, SessionKind::Bearer, caller.actor.ip()).await?;
    Ok(Json(TokenResponse { token: l.token, expires_at: l.expires_at }))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct LogoutRequest {
    /// End every session and token of the account, not only this token.
    #[serde(default)]
    everywhere: bool,
}

#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", security(("bearer" = [])),
    request_body(content = LogoutRequest, description = "Optional; without a body only this token ends."),
    responses((status = 204, description = "The token (or every session of the account) no longer works"),
        (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn logout(
    State(s): State<AppState>,
    caller: Caller,
    body: axum::body::Bytes,
) -> Result<axum::http::StatusCode, ApiError> {
    let token = caller.bearer_token.as_deref().ok_or(AppError::Unauthenticated)?;
    let req: LogoutRequest = match body.is_empty() {
        true => LogoutRequest::default(),
        false => Json::<LogoutRequest>::from_bytes(&body).map_err(bad_json)?.0,
    };
    s.app.logout(&caller.actor, token, req.everywhere).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = User), (status = 401, body = ErrorBody)))]
pub async fn me(caller: Caller) -> Result<Json<User>, ApiError> {
    caller.actor.user().cloned().map(Json).ok_or(ApiError(AppError::Unauthenticated))
}
