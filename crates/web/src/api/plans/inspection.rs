//! The appendix's inspections and their records.

use axum::Json;
use axum::extract::{Path, State};
use motcua_app::error::ErrorBody;
use motcua_app::plan::{InspectionLine, InspectionSchedule};
use motcua_domain::plan::inspection::InspectionRecord;
use uuid::Uuid;

use super::*;
use crate::AppState;
use crate::auth::Caller;
use crate::http::extract::ApiJson;

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
