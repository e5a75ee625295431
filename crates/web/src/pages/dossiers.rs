//! One-stop pages: the work queue with due-soon and overdue highlighted, and the dossier page with its timeline
//! and the actions the user may take.

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use motcua_app::AppError;
use motcua_app::dossier_commands::{CommandInput, CommandRequest};
use motcua_app::dossiers::ListParams;
use motcua_domain::calendar::deadline::Instant;
use motcua_domain::dossier::record::{DocumentKind, DossierLine, DossierRecord, EventRecord};
use motcua_domain::dossier::{CommandKind, Outcome, ReturnMethod, State as DState};
use motcua_domain::ids::{AgencyCode, ProcedureCode};
use motcua_domain::procedure::search::Page;
use motcua_domain::user::Role;
use serde::Deserialize;

use super::{Layout, page_err};
use crate::AppState;
use crate::auth::Caller;
use crate::error::PageError;

pub(super) fn when(t: &Instant) -> String {
    t.format("%H:%M %d/%m/%Y").to_string()
}

#[derive(Template, WebTemplate)]
#[template(path = "dossiers/queue.html")]
pub(super) struct QueuePage {
    layout: Layout,
    page: Page<DossierLine>,
    names: BTreeMap<ProcedureCode, String>,
    now: Instant,
    soon: Instant,
    overdue_only: bool,
    finished: bool,
    /// The count of the index the list stands behind.
    metric: Option<MetricList>,
}

impl QueuePage {
    fn when(&self, t: &Instant) -> String {
        when(t)
    }
    fn name<'a>(&'a self, l: &'a DossierLine) -> &'a str {
        self.names.get(&l.procedure).map_or(l.procedure.as_str(), String::as_str)
    }
    /// More dossiers than this page shows.
    fn more(&self) -> bool {
        self.page.total_capped || self.page.total > u64::from(self.page.page) * u64::from(self.page.per_page)
    }
    /// The same queue, page `n`.
    fn page_href(&self, n: u32) -> String {
        if let Some(m) = &self.metric {
            return format!("/ho-so?{}&page={n}", m.query);
        }
        let filter = if self.overdue_only {
            "overdue=1&"
        } else if self.finished {
            "finished=1&"
        } else {
            ""
        };
        format!("/ho-so?{filter}page={n}")
    }
    fn row_class(&self, l: &DossierLine) -> &'static str {
        let finished = matches!(
            l.state,
            DState::Resolved | DState::Returned | DState::Refused | DState::Stopped | DState::Withdrawn
        );
        match l.due_current {
            Some(d) if !finished && d < self.now => "overdue",
            Some(d) if !finished && d < self.soon => "due-soon",
            _ => "",
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct QueueQuery {
    #[serde(default)]
    overdue: Option<String>,
    finished: Option<String>,
    page: Option<u32>,
    /// The dossiers behind a count of the index (`/chi-so-766`): the metric, the period, the
    /// part (`base`, `meets`, `misses`) and the unit of the index.
    #[serde(rename = "chi-so")]
    metric: Option<motcua_domain::index::Code>,
    ky: Option<String>,
    phan: Option<motcua_domain::index::share::Part>,
    #[serde(rename = "don-vi")]
    unit: Option<String>,
}

/// A list of the dossiers behind a count of the index.
pub(super) struct MetricList {
    /// "Hồ sơ đạt chỉ tiêu 2 «Hồ sơ giải quyết đúng hạn», kỳ 2026-11".
    title: String,
    /// The list's query, for the pager.
    query: String,
    /// The index it came from.
    back: String,
}

fn metric_filter(q: &QueueQuery) -> Option<MetricList> {
    use motcua_domain::index::share::Part;
    let metric = q.metric?;
    let (number, name) = metric.label_vi();
    let part = q.phan.unwrap_or_default();
    let which = match part {
        Part::Base => "thuộc",
        Part::Meets => "đạt",
        Part::Misses => "chưa đạt",
    };
    let ky = q.ky.clone().unwrap_or_default();
    let code = serde_json::to_value(metric).ok()?.as_str()?.to_owned();
    let part = serde_json::to_value(part).ok()?.as_str()?.to_owned();
    let mut query = format!("chi-so={code}&ky={ky}&phan={part}");
    let mut back = format!("/chi-so-766?ky={ky}");
    if let Some(u) = &q.unit {
        query.push_str(&format!("&don-vi={u}"));
        back.push_str(&format!("&don-vi={u}"));
    }
    Some(MetricList { title: format!("Hồ sơ {which} chỉ tiêu {number} «{name}», kỳ {ky}"), query, back })
}

pub async fn queue(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<QueueQuery>,
) -> Result<Response, PageError> {
    let overdue_only = q.overdue.is_some();
    // Citizens see all their dossiers; staff the open ones unless they ask for the finished too.
    let citizen = caller.actor.user().is_some_and(|u| u.role == Role::Citizen);
    let finished = citizen || q.finished.is_some();
    let p = ListParams {
        overdue: overdue_only,
        finished,
        metric: q.metric,
        period: q.ky.clone(),
        part: q.phan,
        unit: q.unit.clone(),
        page: q.page,
        per_page: Some(50),
        ..ListParams::default()
    };
    let page = s.app.list_dossiers(&caller.actor, &p).await.map_err(page_err(&caller, "queue"))?;
    let codes: Vec<ProcedureCode> = page.items.iter().map(|l| l.procedure.clone()).collect();
    let names = s.app.procedure_names(&codes).await.map_err(page_err(&caller, "queue"))?;
    let now = s.app.now().with_timezone(&motcua_domain::calendar::deadline::vn_offset());
    if citizen {
        let (running, ended) = page.items.iter().cloned().partition(|l| !l.state.is_terminal());
        return Ok(MinePage {
            layout: Layout::of(&caller.actor, "queue"),
            running,
            ended,
            names,
            page: page.page,
            more: page.total > u64::from(page.page * page.per_page),
        }
        .into_response());
    }
    Ok(QueuePage {
        layout: Layout::of(&caller.actor, "queue"),
        page,
        names,
        now,
        soon: now + chrono::Duration::hours(24),
        overdue_only,
        finished,
        metric: metric_filter(&q),
    }
    .into_response())
}

/// "Hồ sơ của tôi": a citizen's dossiers, running ones first, withdrawn and finished ones apart.
#[derive(Template, WebTemplate)]
#[template(path = "dossiers/mine.html")]
pub(super) struct MinePage {
    layout: Layout,
    running: Vec<DossierLine>,
    ended: Vec<DossierLine>,
    names: BTreeMap<ProcedureCode, String>,
    page: u32,
    more: bool,
}

impl MinePage {
    fn when(&self, t: &Instant) -> String {
        when(t)
    }
    fn name<'a>(&'a self, l: &'a DossierLine) -> &'a str {
        self.names.get(&l.procedure).map_or(l.procedure.as_str(), String::as_str)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "dossiers/show.html")]
pub(super) struct DossierPage {
    layout: Layout,
    d: DossierRecord,
    procedure_name: String,
    agency_names: BTreeMap<AgencyCode, String>,
    /// Just filed online: the confirmation is shown.
    filed: bool,
    /// What the applicant is asked to bring or upload (the last request to complete or
    /// supplement), while they can answer it.
    asked: Vec<String>,
    choices: motcua_app::dossier_page::Choices,
    events: Vec<EventRecord>,
    notices: Vec<motcua_storage::OutboxMessage>,
    documents: Vec<motcua_domain::dossier::record::DocumentRecord>,
    /// The actions offered: path segment and button label.
    actions: Vec<(&'static str, &'static str)>,
    /// The kinds of file the user may attach now: `(kind, label)`.
    uploads: Vec<(DocumentKind, &'static str)>,
    forms: Vec<(&'static str, &'static str)>,
    current_step: Option<motcua_app::dossier_page::CurrentStep>,
    /// The user's agency (a cooperating agency answers for itself).
    own_agency: String,
    error: Option<String>,
    payments: Vec<motcua_storage::PaymentRecord>,
    can_pay: bool,
    declaration: Option<motcua_app::declaration::DeclarationView>,
    signed_results: Vec<motcua_domain::signature::SignedResult>,
    can_sign: bool,
    copies: Vec<motcua_domain::certified_copy::CertifiedCopy>,
    can_certify: bool,
    copy_fees: motcua_domain::certified_copy::CopyFees,
}

impl DossierPage {
    fn when(&self, t: &Instant) -> String {
        when(t)
    }
    fn size(&self, bytes: &u64) -> String {
        if *bytes >= 1024 * 1024 {
            format!("{:.1} MB", *bytes as f64 / (1024.0 * 1024.0))
        } else {
            format!("{} KB", bytes.div_ceil(1024))
        }
    }
    fn is_citizen(&self) -> bool {
        self.layout.user.as_ref().is_some_and(|u| u.role == Role::Citizen)
    }
    fn agency(&self, code: &AgencyCode) -> String {
        self.agency_names.get(code).cloned().unwrap_or_else(|| code.to_string())
    }
    /// The explanation of the appointment: the receipt and the time limit applied at intake.
    fn due_href(&self) -> Option<String> {
        use motcua_domain::calendar::deadline::Limit;
        use motcua_domain::dossier::event::EventDetail;
        let limit = self.events.iter().find_map(|e| match &e.detail {
            EventDetail::Intake { limit: Some(l), .. } => Some(*l),
            _ => None,
        })?;
        let (n, unit) = match limit {
            Limit::WorkingDays(n) => (n, "ngay-lam-viec"),
            Limit::WorkingHours(n) => (n, "gio-lam-viec"),
            Limit::Days(n) => (n, "ngay"),
        };
        let from = self.d.received_at.format("%Y-%m-%dT%H:%M");
        Some(format!("/lich-lam-viec/tinh-han?tu={from}&so={n}&don_vi={unit}"))
    }
    /// A leader completing the step pending for its owner.
    fn taking_over(&self) -> bool {
        self.current_step.as_ref().is_some_and(|c| c.may_take_over())
    }
    /// The question an irreversible action asks before it is sent.
    fn confirm_question(&self, key: &str) -> Option<String> {
        let what = match key {
            "request_withdrawal" => "rút hồ sơ này",
            "refuse" => "từ chối tiếp nhận hồ sơ này",
            "stop" => "dừng giải quyết hồ sơ này",
            "accept" => "tiếp nhận hồ sơ và ghi ngày hẹn",
            "transfer" => "chuyển hồ sơ đến cơ quan giải quyết",
            "resolve" => "ghi hồ sơ đã xử lý xong",
            "return" => "ghi đã trả kết quả",
            "apologise" => "gửi văn bản xin lỗi và hẹn lại (chỉ được hẹn lại một lần)",
            "supplement_provided" => "báo đã nộp đủ giấy tờ bổ sung",
            _ => return None,
        };
        Some(format!("Ông/Bà chắc chắn muốn {what}? Thao tác này không hoàn tác được."))
    }
    /// What was typed with an event, line by line.
    fn event_lines(&self, e: &EventRecord) -> Vec<String> {
        e.detail.lines_vi(|a| self.agency(a))
    }
}

/// The items of the last request to complete (at the desk's check) or to supplement, while the
/// dossier waits for them.
fn asked_items(d: &DossierRecord, events: &[EventRecord]) -> Vec<String> {
    use motcua_domain::dossier::Command;
    if !matches!(d.workflow.state, DState::Submitted | DState::Supplementing) {
        return vec![];
    }
    let last = events.iter().rev().find_map(|e| match e.detail.command() {
        Some(Command::RequestCompletion { items } | Command::RequestSupplement { items, .. }) => Some(items.clone()),
        Some(Command::Accept { .. } | Command::SupplementProvided) => Some(vec![]),
        _ => None,
    });
    last.unwrap_or_default()
}

/// The button of a command on the dossier page; the applicant and the desk word the same
/// supplement differently.
fn action_label(kind: CommandKind, citizen: bool) -> &'static str {
    use CommandKind::*;
    match kind {
        Submit => "Nộp hồ sơ",
        Accept => "Tiếp nhận, hẹn trả kết quả",
        RequestCompletion => "Yêu cầu hoàn thiện (Mẫu 02)",
        Refuse => "Từ chối tiếp nhận (Mẫu 03)",
        Transfer => "Chuyển cơ quan giải quyết",
        Assign => "Phân công xử lý",
        CompleteStep => "Hoàn thành bước",
        Forward => "Chuyển xin ý kiến cơ quan phối hợp",
        CooperationAnswered => "Gửi ý kiến của cơ quan phối hợp",
        RequestSupplement => "Yêu cầu bổ sung",
        SupplementProvided if citizen => "Đã nộp bổ sung",
        SupplementProvided => "Đã nhận hồ sơ bổ sung",
        RequestPayment => "Yêu cầu nộp phí, lệ phí",
        PaymentReceived => "Đã nộp phí",
        Apologise => "Xin lỗi, hẹn lại",
        Resolve => "Đã xử lý xong",
        Return => "Trả kết quả",
        RequestWithdrawal => "Rút hồ sơ",
        Stop => "Dừng xử lý",
    }
}

async fn show_page(s: &AppState, caller: &Caller, code: &str, error: Option<String>) -> Result<DossierPage, PageError> {
    show_page_of(s, caller, code, error, false).await
}

async fn show_page_of(
    s: &AppState,
    caller: &Caller,
    code: &str,
    error: Option<String>,
    filed: bool,
) -> Result<DossierPage, PageError> {
    let v = s.app.dossier_page(&caller.actor, code).await.map_err(page_err(caller, "queue"))?;
    let citizen = caller.actor.user().is_some_and(|u| u.role == Role::Citizen);
    let actions = v.allowed.commands.iter().map(|k| (k.as_str(), action_label(*k, citizen))).collect();
    let mut uploads = vec![];
    if v.allowed.attach_component {
        uploads.push((DocumentKind::Component, "Giấy tờ trong hồ sơ"));
    }
    if v.allowed.attach_result {
        uploads.push((DocumentKind::Result, "Kết quả điện tử"));
    }
    let asked = asked_items(&v.dossier, &v.events);
    Ok(DossierPage {
        layout: Layout::of(&caller.actor, "queue"),
        procedure_name: v.procedure_name,
        choices: v.choices,
        agency_names: v.agency_names,
        filed,
        asked,
        d: v.dossier,
        events: v.events,
        notices: v.notices,
        documents: v.documents,
        actions,
        uploads,
        forms: v.forms,
        current_step: v.current_step,
        own_agency: caller.actor.user().and_then(|u| u.agency.as_ref()).map(|a| a.to_string()).unwrap_or_default(),
        error,
        payments: v.payments,
        can_pay: v.can_pay,
        declaration: v.declaration,
        signed_results: v.signed_results,
        can_sign: v.can_sign,
        copies: v.copies,
        can_certify: v.can_certify,
        copy_fees: v.copy_fees,
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct ShowQuery {
    /// Present right after an online filing.
    da_nop: Option<String>,
}

pub async fn show(
    State(s): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    Query(q): Query<ShowQuery>,
) -> Result<DossierPage, PageError> {
    show_page_of(&s, &caller, &code, None, q.da_nop.is_some()).await
}

#[derive(Debug, Default, Deserialize)]
pub struct ActionForm {
    revision: i64,
    #[serde(default)]
    text: String,
    #[serde(default)]
    agency: String,
    #[serde(default)]
    new_due: String,
    #[serde(default)]
    outcome: String,
    /// A checkbox: present when ticked.
    #[serde(default)]
    online: Option<String>,
    #[serde(default)]
    amount: String,
    /// Positions of the procedure's fees the officer exempts (checkboxes, repeated).
    #[serde(default)]
    exempt: Vec<u32>,
}

pub async fn act(
    State(s): State<AppState>,
    caller: Caller,
    Path((code, action)): Path<(String, String)>,
    axum_extra::extract::Form(f): axum_extra::extract::Form<ActionForm>,
) -> Result<Response, PageError> {
    let lines = |t: &str| t.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect::<Vec<_>>();
    let input = match action.as_str() {
        "accept" => CommandInput::Accept,
        "request_completion" => CommandInput::RequestCompletion { items: lines(&f.text) },
        "refuse" => CommandInput::Refuse { reasons: lines(&f.text) },
        "request_withdrawal" => CommandInput::RequestWithdrawal,
        "transfer" => CommandInput::Transfer { agency: f.agency.clone() },
        "forward" => CommandInput::Forward { agency: f.agency.clone() },
        "cooperation_answered" => CommandInput::CooperationAnswered { agency: f.agency.clone() },
        "assign" => CommandInput::Assign { handler: f.text.clone() },
        "complete_step" => CommandInput::CompleteStep { note: f.text.clone() },
        "request_supplement" => CommandInput::RequestSupplement { items: lines(&f.text), agency: None },
        "supplement_provided" => CommandInput::SupplementProvided,
        "payment_received" => CommandInput::PaymentReceived { online: f.online.is_some() },
        "request_payment" => {
            let amount = f.amount.trim().replace(['.', ' '], "");
            let amount_vnd = match amount.is_empty() {
                true => None,
                false => Some(amount.parse().map_err(|_| {
                    page_err(&caller, "queue")(AppError::invalid(
                        "invalid_amount",
                        "amount",
                        "Số tiền phải là số đồng, ví dụ 50.000",
                    ))
                })?),
            };
            CommandInput::RequestPayment { amount_vnd, exempt: f.exempt.clone() }
        }
        "apologise" => {
            CommandInput::Apologise { new_due: format!("{}:00+07:00", f.new_due.trim()), reason: f.text.clone() }
        }
        "resolve" => CommandInput::Resolve {
            outcome: if f.outcome == "rejected" { Outcome::Rejected } else { Outcome::Granted },
        },
        "return" => CommandInput::Return { collected_by: f.text.clone(), method: ReturnMethod::Counter },
        "stop" => CommandInput::Stop { reason: f.text.clone() },
        _ => return Err(page_err(&caller, "queue")(AppError::NotFound(format!("thao tác «{action}»")))),
    };
    match s.app.command(&caller.actor, &code, CommandRequest { revision: f.revision, input }).await {
        Ok(_) => Ok(Redirect::to(&format!("/ho-so/{code}")).into_response()),
        Err(e @ (AppError::Forbidden(_) | AppError::Unauthenticated | AppError::NotFound(_))) => {
            Err(page_err(&caller, "queue")(e))
        }
        Err(e) => {
            let status = crate::error::status_of(&e);
            Ok((status, show_page(&s, &caller, &code, Some(e.body().message)).await?).into_response())
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct TrackParams {
    #[serde(default)]
    ma: String,
    #[serde(default)]
    so: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "dossiers/track.html")]
pub(super) struct TrackPage {
    layout: Layout,
    code: String,
    phone: String,
    view: Option<motcua_app::dossiers::TrackView>,
    error: Option<String>,
}

/// `/tra-cuu?ma=CODE&so=NNNN`: the public lookup the QR codes of the printed forms lead to.
/// Status and appointment only, and only with the last four digits of the applicant's phone.
pub async fn track(State(s): State<AppState>, caller: Caller, Query(p): Query<TrackParams>) -> Response {
    let mut page = TrackPage {
        layout: Layout::of(&caller.actor, "track"),
        code: p.ma.trim().to_owned(),
        phone: p.so.trim().to_owned(),
        view: None,
        error: None,
    };
    let mut throttled = None;
    if !page.code.is_empty() && !page.phone.is_empty() {
        match s.app.track(&page.code, &page.phone, caller.actor.ip().as_deref()).await {
            Ok(v) => page.view = Some(v),
            Err(e) => {
                page.error = Some(e.body().message);
                throttled = e.retry_after().is_some().then_some(e);
            }
        }
    }
    // Throttled: the page says when to try again, and so do the status and Retry-After.
    match throttled {
        Some(e) => {
            let mut r = (StatusCode::TOO_MANY_REQUESTS, page).into_response();
            crate::error::retry_after(&e, &mut r);
            r
        }
        None => page.into_response(),
    }
}

/// `POST /ho-so/{code}/tep`: attach a file from the dossier page (multipart form); back to the
/// page, with the error shown on it when the file is refused.
pub async fn upload(
    State(s): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    let result = match multipart {
        Ok(m) => crate::http::files::attach_streamed(&s.app, &caller.actor, &code, m).await.map(|_| ()),
        Err(e) => Err(crate::http::files::not_multipart(e)),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/ho-so/{code}")).into_response()),
        Err(e) => refused_on_page(&s, &caller, &code, e).await,
    }
}

/// A refusal of something done from the dossier page: the page again with the reason (a
/// refusal of the request itself), or the error page (no access, no such dossier).
pub(super) async fn refused_on_page(
    s: &AppState,
    caller: &Caller,
    code: &str,
    e: AppError,
) -> Result<Response, PageError> {
    match e {
        AppError::Invalid(_) | AppError::NotAllowed { .. } | AppError::TooLarge(_) => {
            let status = crate::error::status_of(&e);
            let page = show_page(s, caller, code, Some(e.body().message)).await?;
            Ok((status, page).into_response())
        }
        e => Err(page_err(caller, "queue")(e)),
    }
}

/// `GET /ho-so/{code}/tep/{id}`: download a file of the dossier.
pub async fn download(
    State(s): State<AppState>,
    caller: Caller,
    Path((code, id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let (doc, bytes) = s.app.document_file(&caller.actor, &code, &id).await.map_err(page_err(&caller, "queue"))?;
    Ok(crate::http::files::file_response(&doc, bytes))
}
