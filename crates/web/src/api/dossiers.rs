//! `/api/v1/dossiers` and `/api/v1/track`: intake, reading, the event log, public tracking.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum_extra::extract::Query;
use motcua_app::dossiers::{IntakeInput, TrackView};
use motcua_app::error::ErrorBody;
use motcua_domain::dossier::record::EventRecord;

use super::wire::{DossierJson, DossierViewJson};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::documents::{BookParams, Format, form_title, respond};
use crate::http::extract::{ApiJson, ApiQueryList};

type ApiResult<T> = Result<T, ApiError>;

#[utoipa::path(post, path = "/api/v1/dossiers", tag = "dossiers", request_body = IntakeInput,
    description = "Receive a dossier. Channel `counter` (desk officers): checked on the spot and accepted — bound to the procedure version in force, appointment computed with the competent agency's working calendar, code allocated (`<agency>-YYMMDD-NNNN`). Channels `online` (citizens, with `desk`; or registered by the desk) and `postal`: stored as submitted (national status 1) with its code and no appointment, until the desk's check (`accept`, `request_completion`, `refuse`).",
    security(("bearer" = [])),
    responses((status = 201, body = DossierJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn intake(
    State(s): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<IntakeInput>,
) -> ApiResult<(StatusCode, Json<DossierJson>)> {
    Ok((StatusCode::CREATED, Json(DossierJson::of(s.app.intake(&caller.actor, input).await?, &caller.actor))))
}

#[utoipa::path(get, path = "/api/v1/dossiers/{code}", tag = "dossiers", params(("code" = String, Path)),
    description = "The dossier, its national status code and its timeliness (early / on time / late against the original appointment; while it runs, judged now).",
    security(("bearer" = [])),
    responses((status = 200, body = DossierViewJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn get_one(
    State(s): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
) -> ApiResult<Json<DossierViewJson>> {
    Ok(Json(DossierViewJson::of(s.app.dossier_view(&caller.actor, &code).await?, &caller.actor)))
}

#[utoipa::path(get, path = "/api/v1/dossiers/{code}/events", tag = "dossiers", params(("code" = String, Path)),
    description = "Every hand-off of the dossier (the processing control sheet).",
    security(("bearer" = [])),
    responses((status = 200, body = Vec<EventRecord>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn events(
    State(s): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
) -> ApiResult<Json<Vec<EventRecord>>> {
    Ok(Json(s.app.dossier_events(&caller.actor, &code).await?))
}

#[utoipa::path(get, path = "/api/v1/dossiers/{code}/notices", tag = "notices", params(("code" = String, Path)),
    description = "The notices sent (or waiting to be sent) to the applicant about this dossier, newest first: one per channel for every change of national status and every apology (Decree 224/2026 Art. 15(1)(g)), with the delivery state. Whoever may read the dossier may read them.",
    security(("bearer" = [])),
    responses((status = 200, body = Vec<motcua_storage::OutboxMessage>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn notices(
    State(s): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
) -> ApiResult<Json<Vec<motcua_storage::OutboxMessage>>> {
    Ok(Json(s.app.dossier_notices(&caller.actor, &code).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TrackQuery {
    /// The last four digits of the applicant's phone number.
    #[param(pattern = r"^[0-9]{4}$")]
    phone: String,
}

#[utoipa::path(get, path = "/api/v1/track/{code}", tag = "dossiers",
    params(("code" = String, Path, pattern = r"^[0-9A-Za-z.]{1,35}-[0-9]{6}-[0-9]{4,}$"), TrackQuery),
    description = "Public lookup: status and appointment only. A code and phone digits that do not match answer 404.",
    responses((status = 200, body = TrackView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 429, description = "Too many lookups from this address or wrong digits for this code; see Retry-After", body = ErrorBody)))]
pub async fn track(
    State(s): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    q: Result<Query<TrackQuery>, axum_extra::extract::QueryRejection>,
) -> ApiResult<Json<TrackView>> {
    let Query(q) = q.map_err(|e| {
        ApiError(motcua_app::AppError::invalid("invalid_query", "phone", format!("Cần 4 số cuối điện thoại: {e}")))
    })?;
    Ok(Json(s.app.track(&code, &q.phone, caller.actor.ip().as_deref()).await?))
}

#[utoipa::path(post, path = "/api/v1/dossiers/{code}/{command}", tag = "dossiers",
    params(("code" = String, Path), ("command" = String, Path,
        description = "accept, request_completion, refuse (the desk's check of a submitted dossier), transfer, assign, complete_step, forward, cooperation_answered, request_supplement, supplement_provided, request_payment, payment_received, apologise, resolve, return, request_withdrawal, stop")),
    request_body(content = serde_json::Value, description = "`{\"revision\": N, ...}` with the fields of the command (see CommandInput)"),
    description = "Apply a command. The revision is the one the client read; a stale one is 409 and changes nothing. A command the role or the state does not allow is 403 (audited) or 409.",
    security(("bearer" = [])),
    responses((status = 200, body = DossierJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn command(
    State(s): State<AppState>,
    caller: Caller,
    Path((code, command)): Path<(String, String)>,
    ApiJson(mut body): ApiJson<serde_json::Value>,
) -> ApiResult<Json<DossierJson>> {
    let Some(obj) = body.as_object_mut() else {
        return Err(ApiError(motcua_app::AppError::invalid(
            "invalid_json",
            "body",
            "Nội dung phải là một đối tượng JSON",
        )));
    };
    obj.insert("command".into(), serde_json::Value::String(command));
    let req: motcua_app::dossier_commands::CommandRequest = serde_json::from_value(body).map_err(|e| {
        ApiError(motcua_app::AppError::invalid(
            "invalid_command",
            "body",
            format!("Lệnh hoặc tham số không hợp lệ: {e}"),
        ))
    })?;
    Ok(Json(DossierJson::of(s.app.command(&caller.actor, &code, req).await?, &caller.actor)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    state: Option<motcua_domain::dossier::State>,
    /// National procedure code.
    procedure: Option<String>,
    channel: Option<motcua_domain::procedure::Channel>,
    /// Appointment before this instant (RFC 3339).
    due_before: Option<String>,
    /// Only dossiers past their appointment and not finished.
    #[serde(default)]
    overdue: bool,
    /// Also list finished dossiers (returned, refused, stopped, withdrawn); by default the
    /// queue holds the open ones.
    #[serde(default)]
    finished: bool,
    /// Handling agency (provincial admin only).
    agency: Option<String>,
    /// The dossiers behind a count of the Decision 766 index (`GET /api/v1/reports/index`): a
    /// metric counted over dossiers, with `period`; finished dossiers included.
    metric: Option<motcua_domain::index::Code>,
    /// `YYYY-MM`, `YYYY-Qn` or `YYYY` (with `metric`).
    #[param(pattern = r"^[0-9]{4}(-(0[1-9]|1[0-2]|Q[1-4]))?$")]
    period: Option<String>,
    /// The part of the metric's count: its base (default), the dossiers that meet it, the others.
    part: Option<motcua_domain::index::share::Part>,
    /// With `metric`: the unit of the index (an agency code or an administrative unit code).
    #[param(pattern = r"^[A-Za-z0-9.-]{1,32}$")]
    unit: Option<String>,
    #[param(minimum = 1, maximum = 100000)]
    page: Option<u32>,
    #[param(minimum = 1, maximum = 100)]
    per_page: Option<u32>,
}

#[utoipa::path(get, path = "/api/v1/dossiers", tag = "dossiers", params(ListQuery),
    description = "The work queue of the caller: a desk officer sees the dossiers of the desk, specialists and leaders those of their agency, a citizen the dossiers their account filed; open dossiers only unless `finished=true`; soonest appointment first.",
    security(("bearer" = [])),
    responses((status = 200, body = motcua_domain::procedure::search::Page<motcua_domain::dossier::record::DossierLine>),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(s): State<AppState>,
    caller: Caller,
    ApiQueryList(q): ApiQueryList<ListQuery>,
) -> ApiResult<Json<motcua_domain::procedure::search::Page<motcua_domain::dossier::record::DossierLine>>> {
    super::check_paging(q.page, q.per_page)?;
    let p = motcua_app::dossiers::ListParams {
        state: q.state,
        procedure: q.procedure,
        channel: q.channel,
        due_before: q.due_before,
        overdue: q.overdue,
        finished: q.finished,
        agency: q.agency,
        metric: q.metric,
        period: q.period,
        part: q.part,
        unit: q.unit,
        page: q.page,
        per_page: q.per_page,
    };
    Ok(Json(s.app.list_dossiers(&caller.actor, &p).await?))
}

#[utoipa::path(get, path = "/api/v1/dossiers/{code}/forms/{form}", tag = "dossiers",
    params(("code" = String, Path), ("form" = String, Path, description = "Form number in the dossier's form set. Thông tư 01/2018: 01 receipt and appointment, 02 request to complete, 03 refusal, 04 apology and new appointment, 05 control sheet, 06 tracking-book entry. Thông tư 03/2025: 01–04 as before (04 apology and extension), 05 stop notice, 06 control sheet, 07 tracking-book entry. `to-khai`: the declaration filed online (e-form), when the dossier has one.")),
    description = "A printed form of the dossier: printable HTML (A5 or A4 by `@page`) or, with `Accept: application/pdf`, a PDF with the embedded font and a QR code to the public lookup. 404 when the dossier has no event the form records (e.g. 03 without a refusal).",
    security(("bearer" = [])),
    responses((status = 200, content_type = "text/html", body = String), (status = 200, content_type = "application/pdf", body = Vec<u8>),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 406, body = ErrorBody, description = "Neither HTML nor PDF accepted")))]
pub async fn form(
    State(s): State<AppState>,
    caller: Caller,
    headers: axum::http::HeaderMap,
    Path((code, number)): Path<(String, String)>,
) -> Result<axum::response::Response, ApiError> {
    let format = Format::negotiate(&headers)?;
    let doc = s.app.dossier_form(&caller.actor, &code, &number).await?;
    respond(doc, form_title(&code, &number), format).await
}

#[utoipa::path(get, path = "/api/v1/desks/{desk}/tracking-book", tag = "dossiers",
    params(("desk" = String, Path, description = "Agency identifier of the one-stop desk"), BookParams),
    description = "The desk's tracking book (sổ theo dõi hồ sơ: Mẫu 06 of Thông tư 01/2018, Mẫu 07 of Thông tư 03/2025) for a period of at most 63 days, one row per dossier received, as HTML or PDF (`Accept` or `format=pdf`). Desk officers of that desk and the provincial admin.",
    security(("bearer" = [])),
    responses((status = 200, content_type = "text/html", body = String), (status = 200, content_type = "application/pdf", body = Vec<u8>),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn tracking_book(
    State(s): State<AppState>,
    caller: Caller,
    headers: axum::http::HeaderMap,
    Path(desk): Path<String>,
    ApiQueryList(p): ApiQueryList<BookParams>,
) -> Result<axum::response::Response, ApiError> {
    let format = p.format_or(|| Format::negotiate(&headers))?;
    let book = s.app.desk_book_form(&caller.actor, &desk, p.from.as_deref(), p.to.as_deref(), p.page).await?;
    respond(book.doc, book.title, format).await
}
