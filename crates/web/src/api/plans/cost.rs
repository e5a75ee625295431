//! Costings of the plan's procedures.

use axum::Json;
use axum::extract::{Path, State};
use motcua_app::error::ErrorBody;
use motcua_app::plan::{CostReport, CostingInput, CostingLine};
use uuid::Uuid;

use super::*;
use crate::AppState;
use crate::auth::Caller;
use crate::http::extract::ApiJson;

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
