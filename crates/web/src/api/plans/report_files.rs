//! Documents attached to progress reports.

use axum::Json;
use axum::extract::{Path, State};
use motcua_app::error::ErrorBody;
use motcua_domain::plan::ReportFile;
use uuid::Uuid;

use super::*;
use crate::AppState;
use crate::auth::Caller;
use crate::http::files::{not_multipart, read_report_upload, stored_file_response};

#[utoipa::path(post, path = "/api/v1/plans/{id}/tasks/{task}/files", tag = "plans",
    params(("id" = Uuid, Path), ("task" = Uuid, Path)),
    request_body(content_type = "multipart/form-data", description = "Fields `month` (YYYY-MM, default this month), `name` (what the document is) and `file` (PDF, PNG or JPEG)."),
    description = "Attach a document to the caller's agency's report on a task for a month.",
    security(("bearer" = [])),
    responses((status = 200, body = ReportFile), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn attach(
    State(s): State<AppState>,
    caller: Caller,
    Path((id, task)): Path<(Uuid, Uuid)>,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<Json<ReportFile>> {
    let input = read_report_upload(multipart.map_err(not_multipart)?).await?;
    Ok(Json(s.app.attach_report_file(&caller.actor, id, task, input).await?))
}

#[utoipa::path(get, path = "/api/v1/plans/{id}/files/{file}", tag = "plans",
    params(("id" = Uuid, Path), ("file" = Uuid, Path)),
    description = "A document of a report (its SHA-256 checked against the stored one).",
    security(("bearer" = [])),
    responses((status = 200, description = "the file", content_type = "application/octet-stream"), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn download(
    State(s): State<AppState>,
    caller: Caller,
    Path((id, file)): Path<(Uuid, Uuid)>,
) -> ApiResult<axum::response::Response> {
    let (f, bytes) = s.app.report_file(&caller.actor, id, file).await?;
    Ok(stored_file_response(&f.file, bytes))
}
