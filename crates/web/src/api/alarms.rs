//! `/api/v1/alarms`: the deadline watch's alarms.

use axum::Json;
use axum::extract::State;
use motcua_app::error::ErrorBody;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;

type ApiResult<T> = Result<T, ApiError>;
use crate::http::extract::ApiQueryList;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AlarmParams {
    /// Only the escalated alarms.
    escalated: Option<bool>,
    /// At most this many alarms (1–500, default 100).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<u32>,
}

#[utoipa::path(get, path = "/api/v1/alarms", tag = "notices", params(AlarmParams),
    description = "The deadline watch's alarms (a step or the whole dossier nearly due or late, an apology due, an escalation), newest first: an officer sees those of dossiers their agency holds or is competent for; the provincial administrator all.",
    security(("bearer" = [])),
    responses((status = 200, body = Vec<motcua_storage::AlarmRecord>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn alarms(
    State(s): State<AppState>,
    caller: Caller,
    ApiQueryList(q): ApiQueryList<AlarmParams>,
) -> ApiResult<Json<Vec<motcua_storage::AlarmRecord>>> {
    Ok(Json(s.app.alarms_for(&caller.actor, q.escalated.unwrap_or(false), q.limit.unwrap_or(100)).await?))
}
