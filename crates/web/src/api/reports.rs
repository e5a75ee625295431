//! `/api/v1/reports/index`: the Decision 766 index of a period, for the province or a unit.

use axum::Json;
use axum::extract::State;
use motcua_app::error::ErrorBody;
use motcua_app::index::IndexReport;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::AppState;
use crate::error::ApiError;
use crate::http::extract::ApiQuery;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IndexQuery {
    /// `YYYY-MM`, `YYYY-Qn` or `YYYY`; not after the current period.
    #[param(pattern = r"^[0-9]{4}(-(0[1-9]|1[0-2]|Q[1-4]))?$")]
    period: String,
    /// An agency code (the agency and those under it) or an administrative unit code (the
    /// agencies serving it); the whole province when absent.
    #[param(pattern = r"^[A-Za-z0-9.-]{1,32}$")]
    unit: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/reports/index", tag = "reports", params(IndexQuery),
    description = "The Decision 766 index (six groups, 100 points) computed live from the system's records: each metric with its numerator, denominator, ratio (null when the denominator is zero) and points; by competent agency and by procedure.",
    responses((status = 200, body = IndexReport), (status = 422, body = ErrorBody)))]
pub async fn index(
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<IndexQuery>,
) -> Result<Json<IndexReport>, ApiError> {
    Ok(Json(s.app.index_report(&q.period, q.unit.as_deref()).await?))
}
