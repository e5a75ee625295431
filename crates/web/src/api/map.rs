//! `/api/v1/units` and `/api/v1/agencies`: the administrative map.

use axum::Json;
use axum::extract::{Path, State};
use chrono::NaiveDate;
use motcua_app::error::ErrorBody;
use motcua_app::map::UnitOnDate;
use motcua_domain::admin::{AdminUnit, Agency, AgencyKind, UnitLevel};
use motcua_domain::ids::UnitCode;
use motcua_storage::{AgencyQuery, UnitQuery};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::AppState;
use crate::error::ApiError;
use crate::http::extract::ApiQuery;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UnitsQuery {
    level: Option<UnitLevel>,
    /// Code of the parent unit.
    #[param(pattern = r"^[A-Za-z0-9-]{1,16}$")]
    parent: Option<String>,
    /// Only units valid on this date.
    at: Option<NaiveDate>,
}

#[utoipa::path(get, path = "/api/v1/units", tag = "map", params(UnitsQuery),
    responses((status = 200, body = Vec<AdminUnit>), (status = 422, body = ErrorBody)))]
pub async fn units(
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<UnitsQuery>,
) -> Result<Json<Vec<AdminUnit>>, ApiError> {
    let parent = q.parent.as_deref().map(UnitCode::parse).transpose()?;
    Ok(Json(s.app.units(&UnitQuery { level: q.level, parent, on: q.at }).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OnQuery {
    /// The date to resolve to (default: today in Vietnam).
    at: Option<NaiveDate>,
}

#[utoipa::path(get, path = "/api/v1/units/{code}", tag = "map", params(("code" = String, Path, pattern = r"^[A-Za-z0-9-]{1,16}$"), OnQuery),
    description = "A unit and what it is on a date: itself while valid, otherwise the units it became (successor links followed).",
    responses((status = 200, body = UnitOnDate), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn unit(
    State(s): State<AppState>,
    Path(code): Path<String>,
    ApiQuery(q): ApiQuery<OnQuery>,
) -> Result<Json<UnitOnDate>, ApiError> {
    Ok(Json(s.app.unit_on(&code, q.at).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AgenciesQuery {
    kind: Option<AgencyKind>,
    /// Code of the unit the agency serves.
    #[param(pattern = r"^[A-Za-z0-9-]{1,16}$")]
    unit: Option<String>,
    /// Only agencies valid on this date.
    at: Option<NaiveDate>,
}

#[utoipa::path(get, path = "/api/v1/agencies", tag = "map", params(AgenciesQuery),
    responses((status = 200, body = Vec<Agency>), (status = 422, body = ErrorBody)))]
pub async fn agencies(
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<AgenciesQuery>,
) -> Result<Json<Vec<Agency>>, ApiError> {
    let unit = q.unit.as_deref().map(UnitCode::parse).transpose()?;
    Ok(Json(s.app.agencies(&AgencyQuery { kind: q.kind, unit, on: q.at }).await?))
}
