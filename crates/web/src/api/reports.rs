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

#[utoipa::path(get, path = "/api/v1/reports/monthly/{period}", tag = "reports",
    params(("period" = String, Path, pattern = r"^[0-9]{4}-(0[1-9]|1[0-2])$")),
    description = "The monthly public report: the index of the month and the plan's targets it measures; as published (with `published_at`), or live before the publishing job runs on the first working day of the next month.",
    responses((status = 200, body = motcua_app::report::MonthlyReport), (status = 422, body = ErrorBody)))]
pub async fn monthly(
    State(s): State<AppState>,
    axum::extract::Path(period): axum::extract::Path<String>,
) -> Result<Json<motcua_app::report::MonthlyReport>, ApiError> {
    Ok(Json(s.app.monthly_report(&period).await?))
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Published {
    /// `false` when the month had been published already (the first publication stands).
    pub published: bool,
}

#[utoipa::path(post, path = "/api/v1/reports/monthly/{period}/publish", tag = "reports",
    params(("period" = String, Path, pattern = r"^[0-9]{4}-(0[1-9]|1[0-2])$")),
    description = "Publish a finished month's report now (the provincial administrators; the job does it on the first working day of the next month).",
    security(("bearer" = [])),
    responses((status = 200, body = Published), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn publish(
    State(s): State<AppState>,
    caller: crate::auth::Caller,
    axum::extract::Path(period): axum::extract::Path<String>,
) -> Result<Json<Published>, ApiError> {
    Ok(Json(Published { published: s.app.publish_monthly_report(&caller.actor, &period).await? }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    /// `YYYY`, not after the current year.
    #[param(pattern = r"^[0-9]{4}$")]
    year: String,
}

#[utoipa::path(get, path = "/api/v1/reports/targets", tag = "reports", params(YearQuery),
    description = "The targets of the latest plan that the Decision 766 index measures: each with its threshold, its value over the year so far, and its trend by month and by competent agency; satisfaction by field. Staff.",
    security(("bearer" = [])),
    responses((status = 200, body = motcua_app::report::TargetDashboard), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn targets(
    State(s): State<AppState>,
    caller: crate::auth::Caller,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> Result<Json<motcua_app::report::TargetDashboard>, ApiError> {
    Ok(Json(s.app.target_dashboard(&caller.actor, &q.year).await?))
}
