//! Impact assessments of draft procedure versions, and the year's report of them.

use axum::Json;
use axum::extract::{Path, State};
use motcua_app::error::ErrorBody;
use motcua_app::plan::assessment::{AssessmentInput, AssessmentReport};
use motcua_domain::plan::assessment::ImpactAssessment;

use super::YearQuery;
use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::extract::{ApiJson, ApiQuery};
use crate::http::files::{not_multipart, read_report_upload, stored_file_response};

type ApiResult<T> = Result<T, ApiError>;

#[utoipa::path(put, path = "/api/v1/procedures/{code}/versions/{version}/impact-assessment", tag = "plans",
    params(("code" = String, Path), ("version" = u32, Path)), request_body = AssessmentInput,
    description = "Enter or correct the impact assessment of a draft version (provincial office): necessity, reasonableness, legality, the estimated compliance cost a year, the conclusion. A document attached before stays. A published version is refused (409 `not_draft`).",
    security(("bearer" = [])),
    responses((status = 200, body = ImpactAssessment), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put(
    State(s): State<AppState>,
    caller: Caller,
    Path((code, version)): Path<(String, u32)>,
    ApiJson(input): ApiJson<AssessmentInput>,
) -> ApiResult<Json<ImpactAssessment>> {
    Ok(Json(s.app.put_impact_assessment(&caller.actor, &code, version, input).await?))
}

#[utoipa::path(post, path = "/api/v1/procedures/{code}/versions/{version}/impact-assessment/document", tag = "plans",
    params(("code" = String, Path), ("version" = u32, Path)),
    request_body(content_type = "multipart/form-data", description = "Field `file`: the signed assessment form (PDF, PNG or JPEG)."),
    description = "Attach the assessment form to the assessment of a draft version (it replaces the one attached before).",
    security(("bearer" = [])),
    responses((status = 200, body = ImpactAssessment), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn attach(
    State(s): State<AppState>,
    caller: Caller,
    Path((code, version)): Path<(String, u32)>,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<Json<ImpactAssessment>> {
    let u = read_report_upload(multipart.map_err(not_multipart)?).await?;
    Ok(Json(s.app.attach_assessment_document(&caller.actor, &code, version, &u.file_name, u.bytes).await?))
}

#[utoipa::path(get, path = "/api/v1/procedures/{code}/versions/{version}/impact-assessment/document", tag = "plans",
    params(("code" = String, Path), ("version" = u32, Path)),
    description = "The assessment form (its SHA-256 checked against the stored one).",
    security(("bearer" = [])),
    responses((status = 200, description = "the file", content_type = "application/octet-stream"), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn document(
    State(s): State<AppState>,
    caller: Caller,
    Path((code, version)): Path<(String, u32)>,
) -> ApiResult<axum::response::Response> {
    let (f, bytes) = s.app.assessment_document(&caller.actor, &code, version).await?;
    Ok(stored_file_response(&f, bytes))
}

#[utoipa::path(get, path = "/api/v1/impact-assessments", tag = "plans", params(YearQuery),
    description = "The versions to assess in the year (drafts today, versions whose publishing decision is dated in the year, versions assessed in the year), each with its assessment, and the share assessed (the plan's target: 100%).",
    security(("bearer" = [])),
    responses((status = 200, body = AssessmentReport), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn report(
    State(s): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> ApiResult<Json<AssessmentReport>> {
    Ok(Json(s.app.impact_assessment_report(&caller.actor, q.year).await?))
}
