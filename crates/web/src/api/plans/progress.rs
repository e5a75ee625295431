//! Monthly progress reports and the provincial office's overview.

use axum::Json;
use axum::extract::{Path, State};
use motcua_app::error::ErrorBody;
use motcua_app::plan::{PlanOverview, ProgressInput};
use motcua_domain::plan::ProgressReport;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use super::*;
use crate::AppState;
use crate::auth::Caller;
use crate::http::extract::{ApiJson, ApiQuery};

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
