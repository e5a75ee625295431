//! `/api/v1/plans`: the province's plan — import, read, an agency's tasks, progress reports,
//! the provincial office's overview.

use axum::Json;
use axum::extract::{Path, State};
use motcua_app::AppError;
use motcua_app::error::ErrorBody;
use motcua_app::plan::{
    AgencyTasks, CostReport, CostingInput, CostingLine, InspectionLine, InspectionSchedule, PlanImportAnswer,
    PlanOverview, ProgressInput, PublicationReport,
};
use motcua_domain::plan::inspection::InspectionRecord;
use motcua_domain::plan::{ProgressReport, ReportFile};
use motcua_storage::{PlanSummary, StoredPlan};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::extract::{ApiJson, ApiQuery};
use crate::http::files::{not_multipart, read_report_upload, stored_file_response};

type ApiResult<T> = Result<T, ApiError>;

/// `latest` or a plan id.
pub(crate) fn plan_id(s: &str) -> Result<Option<Uuid>, AppError> {
    if s == "latest" {
        return Ok(None);
    }
    Uuid::parse_str(s)
        .map(Some)
        .map_err(|_| AppError::invalid("invalid_id", "id", format!("Mã kế hoạch «{s}» không hợp lệ")))
}

#[utoipa::path(post, path = "/api/v1/plans", tag = "plans",
    request_body(content = String, content_type = "text/plain", description = "The plan document as published (UTF-8 text: tab-separated tables, HTML fragments in cells)."),
    description = "Import the province's plan (provincial office). The same content again changes nothing (`outcome: unchanged`). The report lists agency names not on the map and deadline phrases not understood; both are kept as written.",
    security(("bearer" = [])),
    responses((status = 200, body = PlanImportAnswer), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "`plan_shape`: not a plan of this shape; `plan_province_unknown`; `plan_task_reported`")))]
pub async fn import(State(s): State<AppState>, caller: Caller, body: String) -> ApiResult<Json<PlanImportAnswer>> {
    Ok(Json(s.app.import_plan(&caller.actor, &body).await?))
}

#[utoipa::path(get, path = "/api/v1/plans", tag = "plans", security(("bearer" = [])),
    responses((status = 200, body = Vec<PlanSummary>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list(State(s): State<AppState>, caller: Caller) -> ApiResult<Json<Vec<PlanSummary>>> {
    Ok(Json(s.app.plans(&caller.actor).await?))
}

#[utoipa::path(get, path = "/api/v1/plans/{id}", tag = "plans",
    params(("id" = String, Path, description = "Plan id, or `latest`")),
    description = "The plan: `sections` (number, title) with their `tasks` (number — sub-items `2.1`, `2.2` follow their task —, title, lead, cooperating, product, deadline {kind, due, from, to, text}, targets), and the appendix's `inspections`.",
    security(("bearer" = [])),
    responses((status = 200, body = StoredPlan), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn get_one(State(s): State<AppState>, caller: Caller, Path(id): Path<String>) -> ApiResult<Json<StoredPlan>> {
    Ok(Json(s.app.plan(&caller.actor, plan_id(&id)?).await?))
}

#[utoipa::path(get, path = "/api/v1/plans/{id}/my-tasks", tag = "plans",
    params(("id" = String, Path, description = "Plan id, or `latest`")),
    description = "The tasks the caller's agency leads or cooperates on (directly or through a group the plan names), with its latest report on each. Staff of today's map act for the plan's agency theirs continues.",
    security(("bearer" = [])),
    responses((status = 200, body = AgencyTasks), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn my_tasks(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<AgencyTasks>> {
    Ok(Json(s.app.my_plan_tasks(&caller.actor, plan_id(&id)?).await?))
}

#[utoipa::path(post, path = "/api/v1/plans/{id}/tasks/{task}/reports", tag = "plans",
    params(("id" = String, Path), ("task" = Uuid, Path)),
    request_body = ProgressInput,
    description = "File (or correct) the caller's agency's report on a task for a month. A task not given to the agency is 403 (audited).",
    security(("bearer" = [])),
    responses((status = 200, body = ProgressReport), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn report(
    State(s): State<AppState>,
    caller: Caller,
    Path((id, task)): Path<(Uuid, Uuid)>,
    ApiJson(b): ApiJson<ProgressInput>,
) -> ApiResult<Json<ProgressReport>> {
    Ok(Json(s.app.report_progress(&caller.actor, id, task, &b).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OverviewQuery {
    /// `YYYY-MM` (default: the current month, or the plan's last month once its year is over).
    month: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/plans/{id}/overview", tag = "plans",
    params(("id" = String, Path, description = "Plan id, or `latest`"), OverviewQuery),
    description = "Overdue tasks (past their last day, not reported done by every lead agency) and, per agency, the tasks without a report for the month.",
    security(("bearer" = [])),
    responses((status = 200, body = PlanOverview), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn overview(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<OverviewQuery>,
) -> ApiResult<Json<PlanOverview>> {
    Ok(Json(s.app.plan_overview(&caller.actor, plan_id(&id)?, q.month.as_deref()).await?))
}

#[utoipa::path(get, path = "/api/v1/plans/{id}/costings", tag = "plans",
    params(("id" = String, Path, description = "Plan id, or `latest`")),
    description = "Compliance cost per procedure of the plan, before and after simplification (VND per dossier and per year), the reduction of each, and the totals (Σ savings / Σ baseline) against the plan's targets.",
    security(("bearer" = [])),
    responses((status = 200, body = CostReport), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn costings(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<CostReport>> {
    Ok(Json(s.app.cost_report(&caller.actor, plan_id(&id)?).await?))
}

#[utoipa::path(put, path = "/api/v1/plans/{id}/costings/{procedure}", tag = "plans",
    params(("id" = Uuid, Path), ("procedure" = String, Path, description = "National procedure code")),
    request_body = CostingInput,
    description = "Enter or replace a procedure's costing sheet (before, and after once a simplification is proposed). The hourly income and its year are part of each sheet.",
    security(("bearer" = [])),
    responses((status = 200, body = CostingLine), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_costing(
    State(s): State<AppState>,
    caller: Caller,
    Path((id, procedure)): Path<(Uuid, String)>,
    ApiJson(b): ApiJson<CostingInput>,
) -> ApiResult<Json<CostingLine>> {
    Ok(Json(s.app.put_costing(&caller.actor, id, &procedure, b).await?))
}

#[utoipa::path(get, path = "/api/v1/plans/{id}/inspections", tag = "plans",
    params(("id" = String, Path, description = "Plan id, or `latest`")),
    description = "The appendix's inspections with what the office recorded: dates, team, status, findings, conclusion, follow-up actions (open ones past due counted).",
    security(("bearer" = [])),
    responses((status = 200, body = InspectionSchedule), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn inspections(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<InspectionSchedule>> {
    Ok(Json(s.app.inspections(&caller.actor, plan_id(&id)?).await?))
}

#[utoipa::path(put, path = "/api/v1/plans/{id}/inspections/{inspection}", tag = "plans",
    params(("id" = Uuid, Path), ("inspection" = Uuid, Path)),
    request_body = InspectionRecord,
    description = "Record one inspection (provincial office). Dates within the plan's year; a finished inspection needs its date and conclusion.",
    security(("bearer" = [])),
    responses((status = 200, body = InspectionLine), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_inspection(
    State(s): State<AppState>,
    caller: Caller,
    Path((id, inspection)): Path<(Uuid, Uuid)>,
    ApiJson(b): ApiJson<InspectionRecord>,
) -> ApiResult<Json<InspectionLine>> {
    Ok(Json(s.app.put_inspection_record(&caller.actor, id, inspection, b).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    pub(crate) year: i32,
}

#[utoipa::path(get, path = "/api/v1/publication-timeliness", tag = "plans", params(YearQuery),
    description = "Decision 766 metric 1.1 from the catalog: procedures whose publishing decisions dated in the year are dated at least the configured number of working days (5 for a province) before the version takes effect, on the province's legal calendar. A procedure counts once; any late decision makes it late.",
    security(("bearer" = [])),
    responses((status = 200, body = PublicationReport), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn publication(
    State(s): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> ApiResult<Json<PublicationReport>> {
    Ok(Json(s.app.publication_timeliness(&caller.actor, q.year).await?))
}

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
