//! `/api/v1/vault`: the signed-in holder's document vault; an admin links an account to the
//! holder it stands for.

use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use motcua_app::error::ErrorBody;
use motcua_app::vault::VaultView;
use motcua_domain::vault::Holder;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::extract::ApiJson;

type ApiResult<T> = Result<T, ApiError>;

#[utoipa::path(get, path = "/api/v1/vault", tag = "vault",
    description = "The signed-in citizen's vault: documents newest first (type, validity, source) and every access to it (who, when, for which dossier). Needs an account linked to its holder (`identity_not_linked` otherwise).",
    security(("bearer" = [])),
    responses((status = 200, body = VaultView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn mine(State(s): State<AppState>, caller: Caller) -> ApiResult<Json<VaultView>> {
    Ok(Json(s.app.my_vault(&caller.actor).await?))
}

#[utoipa::path(get, path = "/api/v1/vault/{id}/file", tag = "vault", params(("id" = String, Path)),
    description = "One of the holder's vault documents (recorded in the vault's log).",
    security(("bearer" = [])),
    responses((status = 200, description = "the file", content_type = "application/octet-stream"), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "another holder's document"), (status = 404, body = ErrorBody)))]
pub async fn file(State(s): State<AppState>, caller: Caller, Path(id): Path<String>) -> ApiResult<Response> {
    let (item, bytes) = s.app.vault_file(&caller.actor, &id).await?;
    Ok(crate::http::files::stored_file_response(&item.file, bytes))
}

/// The identity an account stands for.
#[derive(Debug, Deserialize, ToSchema)]
pub struct IdentityInput {
    /// `citizen` (personal id) or `organisation` (tax code).
    pub kind: String,
    pub id: String,
}

#[utoipa::path(put, path = "/api/v1/users/{username}/identity", tag = "vault", params(("username" = String, Path)),
    request_body = IdentityInput,
    description = "Link a citizen account to the holder it stands for, its identity checked (the provincial admin). One account per holder.",
    security(("bearer" = [])),
    responses((status = 200, body = String, description = "the holder (`citizen:<id>`)"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "`identity_taken`"), (status = 422, body = ErrorBody)))]
pub async fn link(
    State(s): State<AppState>,
    caller: Caller,
    Path(username): Path<String>,
    ApiJson(input): ApiJson<IdentityInput>,
) -> ApiResult<Json<Holder>> {
    Ok(Json(s.app.link_identity(&caller.actor, &username, &input.kind, &input.id).await?))
}
