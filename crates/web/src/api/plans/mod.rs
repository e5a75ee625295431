//! `/api/v1/plans`: the province's plan — import, read, an agency's tasks, progress reports,
//! the provincial office's overview.

pub mod assessment;
mod cost;
mod inspection;
mod progress;
mod publication;
mod report_files;

pub use cost::*;
pub use inspection::*;
pub use progress::*;
pub use publication::*;
pub use report_files::*;

use axum::Json;
use axum::extract::{Path, State};
use motcua_app::AppError;
use motcua_app::error::ErrorBody;
use motcua_app::plan::{AgencyTasks, PlanImportAnswer};
use motcua_storage::{PlanSummary, StoredPlan};
use uuid::Uuid;

use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;

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
