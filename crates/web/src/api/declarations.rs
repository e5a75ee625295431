//! The declaration form (tờ khai): a citizen's draft of a procedure's e-form
//! (`/api/v1/procedures/{code}/declaration-draft`) and the declaration filed with a dossier
//! (`/api/v1/dossiers/{code}/declaration`).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use motcua_app::AppError;
use motcua_app::declaration::DeclarationView;
use motcua_app::error::ErrorBody;
use motcua_domain::procedure::eform::{Draft, RawAnswers};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::extract::ApiJson;

/// The answers to keep, as typed, by field key.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DraftInput {
    pub answers: RawAnswers,
}

#[utoipa::path(get, path = "/api/v1/procedures/{code}/declaration-draft", tag = "procedures",
    params(("code" = String, Path, description = "Procedure code")),
    description = "The signed-in citizen's unfinished declaration of the procedure, as last saved.",
    responses((status = 200, body = Draft), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "no draft kept"), (status = 422, body = ErrorBody)))]
pub async fn get_draft(
    State(s): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
) -> Result<Json<Draft>, ApiError> {
    let draft = s.app.declaration_draft(&caller.actor, &code).await?;
    Ok(Json(draft.ok_or_else(|| AppError::NotFound(format!("bản nháp tờ khai của thủ tục {code}")))?))
}

#[utoipa::path(put, path = "/api/v1/procedures/{code}/declaration-draft", tag = "procedures",
    request_body = DraftInput, params(("code" = String, Path, description = "Procedure code")),
    description = "Keep the signed-in citizen's unfinished declaration of the procedure in force today (only the form's fields, unchecked; at most 100,000 characters), replacing the one kept before. Deleted when the dossier is filed.",
    responses((status = 200, body = Draft), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "`no_eform`: the procedure has no declaration form"),
        (status = 422, body = ErrorBody, description = "`draft_too_large`")))]
pub async fn put_draft(
    State(s): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    ApiJson(input): ApiJson<DraftInput>,
) -> Result<Json<Draft>, ApiError> {
    Ok(Json(s.app.save_declaration_draft(&caller.actor, &code, &input.answers).await?))
}

#[utoipa::path(delete, path = "/api/v1/procedures/{code}/declaration-draft", tag = "procedures",
    params(("code" = String, Path, description = "Procedure code")),
    description = "Drop the signed-in citizen's draft of the procedure's declaration.",
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "no draft kept"), (status = 422, body = ErrorBody)))]
pub async fn delete_draft(
    State(s): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
) -> Result<StatusCode, ApiError> {
    match s.app.discard_declaration_draft(&caller.actor, &code).await? {
        true => Ok(StatusCode::NO_CONTENT),
        false => Err(AppError::NotFound(format!("bản nháp tờ khai của thủ tục {code}")).into()),
    }
}

#[utoipa::path(get, path = "/api/v1/dossiers/{code}/declaration", tag = "dossiers",
    params(("code" = String, Path, pattern = r"^[0-9A-Za-z.]{1,35}-[0-9]{6}-[0-9]{4,}$")),
    description = "The declaration filed with the dossier, line by line in the form's order (labels and answers in words), for whoever may read the dossier. Printed as the form `to-khai` (`/api/v1/dossiers/{code}/forms/to-khai`).",
    responses((status = 200, body = DeclarationView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "no such dossier, or it has no declaration"), (status = 422, body = ErrorBody)))]
pub async fn declaration(
    State(s): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
) -> Result<Json<DeclarationView>, ApiError> {
    let view = s.app.dossier_declaration(&caller.actor, &code).await?;
    Ok(Json(view.ok_or_else(|| AppError::NotFound(format!("tờ khai điện tử của hồ sơ {code}")))?))
}
