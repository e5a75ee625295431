//! `/api/v1/calendar`: lunar conversions, holiday calendars, due dates — the same answers as
//! `motcua calendar ... --json`.

use axum::Json;
use axum::extract::{Path, State};
use motcua_app::calendar::{DueAnswer, DueInput, LunarInfo, SolarInfo, YearView, lunar_of, parse_date, solar_of};
use motcua_app::error::ErrorBody;
use motcua_domain::calendar::deadline::WorkingTime;
use motcua_domain::calendar::holidays::{CalendarDay, YearSchedule};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::extract::{ApiJson, ApiQueryList};

type ApiResult<T> = Result<T, ApiError>;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LunarQuery {
    /// Solar date, YYYY-MM-DD (1900-01-01 to 2199-12-31).
    #[param(pattern = r"^(19|20|21)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]
    date: String,
}

#[utoipa::path(get, path = "/api/v1/calendar/lunar", tag = "calendar", params(LunarQuery),
    responses((status = 200, body = LunarInfo), (status = 422, body = ErrorBody)))]
pub async fn lunar(ApiQueryList(q): ApiQueryList<LunarQuery>) -> ApiResult<Json<LunarInfo>> {
    Ok(Json(lunar_of(parse_date(&q.date, "date")?)?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SolarQuery {
    /// Lunar date, YYYY-MM-DD (months 1–12, days 1–30).
    #[param(pattern = r"^(19|20|21)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|30)$")]
    lunar: String,
    /// The month is the leap month of that number.
    #[serde(default)]
    leap: bool,
}

#[utoipa::path(get, path = "/api/v1/calendar/solar", tag = "calendar", params(SolarQuery),
    responses((status = 200, body = SolarInfo), (status = 422, body = ErrorBody)))]
pub async fn solar(ApiQueryList(q): ApiQueryList<SolarQuery>) -> ApiResult<Json<SolarInfo>> {
    Ok(Json(solar_of(&q.lunar, q.leap)?))
}

#[utoipa::path(get, path = "/api/v1/calendar/holidays/{year}", tag = "calendar",
    params(("year" = i32, Path, minimum = 1901, maximum = 2199)),
    description = "Holidays, compensatory days, swaps and make-up days: the announced schedule of the year, or the statutory default.",
    responses((status = 200, body = Vec<CalendarDay>), (status = 422, body = ErrorBody)))]
pub async fn holidays(State(s): State<AppState>, Path(year): Path<i32>) -> ApiResult<Json<Vec<CalendarDay>>> {
    Ok(Json(s.app.holidays(year).await?.days))
}

#[utoipa::path(put, path = "/api/v1/calendar/holidays/{year}", tag = "calendar", request_body = Vec<CalendarDay>,
    params(("year" = i32, Path, minimum = 1901, maximum = 2199)),
    description = "Announce the schedule of a year (replaces the statutory default). Deadlines already given keep their instants.",
    security(("bearer" = [])),
    responses((status = 200, body = YearView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_holidays(
    State(s): State<AppState>,
    caller: Caller,
    Path(year): Path<i32>,
    ApiJson(days): ApiJson<Vec<CalendarDay>>,
) -> ApiResult<Json<YearView>> {
    Ok(Json(s.app.put_calendar_year(&caller.actor, YearSchedule { year, days }).await?))
}

#[utoipa::path(delete, path = "/api/v1/calendar/holidays/{year}", tag = "calendar",
    params(("year" = i32, Path)),
    description = "Withdraw the announced schedule of a year: the statutory default applies again.",
    security(("bearer" = [])),
    responses((status = 200, body = YearView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_holidays(
    State(s): State<AppState>,
    caller: Caller,
    Path(year): Path<i32>,
) -> ApiResult<Json<YearView>> {
    Ok(Json(s.app.delete_calendar_year(&caller.actor, year).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DueQuery {
    /// Receipt instant, RFC 3339.
    #[param(
        pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2})$"
    )]
    from: String,
    /// Exactly one of `working_days`, `working_hours`, `days`.
    #[param(minimum = 0, maximum = 3650)]
    working_days: Option<i64>,
    #[param(minimum = 0, maximum = 3650)]
    working_hours: Option<i64>,
    #[param(minimum = 0, maximum = 3650)]
    days: Option<i64>,
    /// Suspension `FROM/TO` (RFC 3339), repeatable.
    #[serde(default)]
    pause: Vec<String>,
    #[serde(default)]
    explain: bool,
    /// Electronic identifier of the agency whose office hours apply (default: the province's).
    agency: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/calendar/due", tag = "calendar", params(DueQuery),
    description = "The due instant (+07:00) of a dossier received at `from` with exactly one limit; `explain` lists the days skipped and counted, and why.",
    responses((status = 200, body = DueAnswer), (status = 422, body = ErrorBody)))]
pub async fn due(State(s): State<AppState>, ApiQueryList(q): ApiQueryList<DueQuery>) -> ApiResult<Json<DueAnswer>> {
    let input = DueInput {
        from: q.from,
        working_days: q.working_days,
        working_hours: q.working_hours,
        days: q.days,
        pauses: q.pause,
        explain: q.explain,
        agency: q.agency,
    };
    Ok(Json(s.app.due(&input.parse()?).await?))
}

#[utoipa::path(get, path = "/api/v1/calendar/working-time", tag = "calendar",
    params(("agency" = Option<String>, Query, description = "Agency identifier (default: the province)",
        pattern = r"^([0-9A-Za-z]{3}\.[0-9A-Za-z]{2}\.[0-9A-Za-z]{2}\.[A-Ya-y][0-9]{2}|[A-Ya-y][0-9]{2}(\.[0-9A-Za-z]+)*)$", max_length = 35)),
    responses((status = 200, body = WorkingTime), (status = 422, body = ErrorBody)))]
pub async fn get_working_time(
    State(s): State<AppState>,
    ApiQueryList(q): ApiQueryList<AgencyQuery>,
) -> ApiResult<Json<WorkingTime>> {
    let agency = q.agency.as_deref().map(motcua_domain::ids::AgencyCode::parse).transpose()?;
    Ok(Json(s.app.working_time(agency.as_ref()).await?))
}

#[derive(Debug, Deserialize)]
pub struct AgencyQuery {
    agency: Option<String>,
}

#[utoipa::path(put, path = "/api/v1/calendar/working-time", tag = "calendar", request_body = WorkingTime,
    params(("agency" = Option<String>, Query, description = "Agency identifier (default: the province)")),
    description = "Set office hours, the daily cut-off and whether Saturdays count: the province's (provincial admin) or an agency's (its unit admin).",
    security(("bearer" = [])),
    responses((status = 200, body = WorkingTime), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_working_time(
    State(s): State<AppState>,
    caller: Caller,
    ApiQueryList(q): ApiQueryList<AgencyQuery>,
    ApiJson(time): ApiJson<WorkingTime>,
) -> ApiResult<Json<WorkingTime>> {
    Ok(Json(s.app.set_working_time(&caller.actor, q.agency.as_deref(), time).await?))
}
