//! `/api/v1/procedures`: catalog search, read, and the provincial admin's changes.

use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use motcua_app::AppError;
use motcua_app::catalog::{AbolishInput, ProcedureView, PublicisedInput, PublishInput, SearchParams};
use motcua_app::error::ErrorBody;
use motcua_domain::procedure::search::{Page, ProcedureSummary};
use motcua_domain::procedure::{Level, OnlineLevel, Procedure, VersionContent};
use motcua_storage::ImportSummary;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::check_paging;
use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::extract::{ApiJson, ApiQuery};

type ApiResult<T> = Result<T, ApiError>;

/// Search parameters (all optional).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Words to look for, in any case, with or without diacritics; or a procedure code.
    q: Option<String>,
    /// Field (lĩnh vực), exactly as listed.
    field: Option<String>,
    level: Option<Level>,
    online_level: Option<OnlineLevel>,
    /// Electronic identifier of an implementing agency.
    #[param(
        pattern = r"^([0-9A-Za-z]{3}\.[0-9A-Za-z]{2}\.[0-9A-Za-z]{2}\.[A-Ya-y][0-9]{2}|[A-Ya-y][0-9]{2}(\.[0-9A-Za-z]+)*)$",
        max_length = 35
    )]
    agency: Option<String>,
    /// Versions in force on this date (default: today in Vietnam).
    at: Option<NaiveDate>,
    #[param(minimum = 1, maximum = 100000)]
    page: Option<u32>,
    #[param(minimum = 1, maximum = 100)]
    per_page: Option<u32>,
}

#[utoipa::path(get, path = "/api/v1/procedures", tag = "procedures", params(SearchQuery),
    responses((status = 200, body = Page<ProcedureSummary>), (status = 422, body = ErrorBody)))]
pub async fn search(
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> ApiResult<Json<Page<ProcedureSummary>>> {
    check_paging(q.page, q.per_page)?;
    let params = SearchParams {
        q: q.q,
        field: q.field,
        level: q.level,
        online_level: q.online_level,
        agency: q.agency,
        at: q.at,
        page: q.page,
        per_page: q.per_page,
    };
    Ok(Json(s.app.search_procedures(&params).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AtQuery {
    /// The version in force on this date (default: today in Vietnam).
    at: Option<NaiveDate>,
}

#[utoipa::path(get, path = "/api/v1/procedures/{code}", tag = "procedures",
    params(("code" = String, Path, description = "National code, e.g. 1.001193", pattern = r"^[0-9]\.[0-9]{6}$"), AtQuery),
    responses((status = 200, body = ProcedureView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn get_one(
    State(s): State<AppState>,
    Path(code): Path<String>,
    ApiQuery(q): ApiQuery<AtQuery>,
) -> ApiResult<Json<ProcedureView>> {
    Ok(Json(s.app.procedure_on(&code, q.at).await?))
}

#[utoipa::path(get, path = "/api/v1/procedures/{code}/versions/{number}", tag = "procedures",
    params(("code" = String, Path, pattern = r"^[0-9]\.[0-9]{6}$"), ("number" = u32, Path, minimum = 1)),
    description = "Any version by number; drafts only for the provincial admin.",
    security((), ("bearer" = [])),
    responses((status = 200, body = ProcedureView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn get_version(
    State(s): State<AppState>,
    caller: Caller,
    path: Result<Path<(String, u32)>, PathRejection>,
) -> ApiResult<Json<ProcedureView>> {
    let Path((code, number)) = path.map_err(|e| {
        ApiError(AppError::invalid("invalid_path", "number", format!("Đường dẫn không hợp lệ: {}", e.body_text())))
    })?;
    Ok(Json(s.app.procedure_version(&caller.actor, &code, Some(number)).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateProcedure {
    /// National code.
    #[schema(pattern = r"^[0-9]\.[0-9]{6}$")]
    code: String,
    content: VersionContent,
}

#[utoipa::path(post, path = "/api/v1/procedures", tag = "procedures", request_body = CreateProcedure,
    description = "Create a procedure; its first version is a draft.",
    security(("bearer" = [])),
    responses((status = 201, body = ProcedureView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(s): State<AppState>,
    caller: Caller,
    ApiJson(b): ApiJson<CreateProcedure>,
) -> ApiResult<(StatusCode, Json<ProcedureView>)> {
    Ok((StatusCode::CREATED, Json(s.app.create_procedure(&caller.actor, &b.code, b.content).await?)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SaveDraft {
    /// The revision the client read.
    revision: i64,
    content: VersionContent,
}

#[utoipa::path(post, path = "/api/v1/procedures/{code}/versions", tag = "procedures", request_body = SaveDraft,
    params(("code" = String, Path, pattern = r"^[0-9]\.[0-9]{6}$")),
    description = "Start a new version (a draft) or replace the content of the current draft. A stale revision is 409.",
    security(("bearer" = [])),
    responses((status = 200, body = ProcedureView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn save_draft(
    State(s): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    ApiJson(b): ApiJson<SaveDraft>,
) -> ApiResult<Json<ProcedureView>> {
    Ok(Json(s.app.save_draft(&caller.actor, &code, b.revision, b.content).await?))
}

#[utoipa::path(post, path = "/api/v1/procedures/{code}/publish", tag = "procedures", request_body = PublishInput,
    params(("code" = String, Path, pattern = r"^[0-9]\.[0-9]{6}$")),
    description = "Publish the draft; the version in force becomes amended and ends on the new effective date.",
    security(("bearer" = [])),
    responses((status = 200, body = ProcedureView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn publish(
    State(s): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    ApiJson(b): ApiJson<PublishInput>,
) -> ApiResult<Json<ProcedureView>> {
    Ok(Json(s.app.publish_procedure(&caller.actor, &code, b).await?))
}

#[utoipa::path(post, path = "/api/v1/procedures/{code}/publicised", tag = "procedures", request_body = PublicisedInput,
    params(("code" = String, Path, pattern = r"^[0-9]\.[0-9]{6}$")),
    description = "Record the day a published version went onto the national procedure database (Decision 766 metric 1.2: within 5 working days of its publishing decision).",
    security(("bearer" = [])),
    responses((status = 200, body = ProcedureView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn publicised(
    State(s): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    ApiJson(b): ApiJson<PublicisedInput>,
) -> ApiResult<Json<ProcedureView>> {
    Ok(Json(s.app.mark_publicised(&caller.actor, &code, b).await?))
}

#[utoipa::path(post, path = "/api/v1/procedures/{code}/abolish", tag = "procedures", request_body = AbolishInput,
    params(("code" = String, Path, pattern = r"^[0-9]\.[0-9]{6}$")),
    security(("bearer" = [])),
    responses((status = 200, body = ProcedureView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn abolish(
    State(s): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    ApiJson(b): ApiJson<AbolishInput>,
) -> ApiResult<Json<ProcedureView>> {
    Ok(Json(s.app.abolish_procedure(&caller.actor, &code, b).await?))
}

#[utoipa::path(post, path = "/api/v1/procedures/import", tag = "procedures", request_body = Vec<Procedure>,
    description = "Import procedures with their versions (docs/IMPORT.md), all or nothing; an error names the record and the field.",
    security(("bearer" = [])),
    responses((status = 200, body = ImportSummary), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn import(
    State(s): State<AppState>,
    caller: Caller,
    ApiJson(b): ApiJson<Vec<Procedure>>,
) -> ApiResult<Json<ImportSummary>> {
    Ok(Json(s.app.import_procedures(&caller.actor, &b, &|_| {}).await?))
}

#[utoipa::path(get, path = "/api/v1/procedures/export", tag = "procedures",
    description = "Every procedure with all its versions, in the import format.",
    security(("bearer" = [])),
    responses((status = 200, body = Vec<Procedure>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn export(State(s): State<AppState>, caller: Caller) -> ApiResult<Json<Vec<Procedure>>> {
    Ok(Json(s.app.export_procedures(&caller.actor).await?))
}
