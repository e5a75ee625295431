//! One-stop pages: counter intake (procedure → applicant → component checklist → receipt),
//! the work queue with due-soon and overdue highlighted, and the dossier page with its timeline
//! and the actions the user may take.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use motcua_app::AppError;
use motcua_app::catalog::ProcedureView;
use motcua_app::dossier_commands::{CommandInput, CommandRequest};
use motcua_app::dossiers::{ApplicantInput, IntakeInput, ListParams};
use motcua_domain::calendar::deadline::Instant;
use motcua_domain::dossier::record::{DocumentKind, DossierLine, DossierRecord, EventRecord};
use motcua_domain::dossier::{CommandKind, Outcome, ReturnMethod, State as DState};
use motcua_domain::procedure::Channel;
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

#[derive(Debug, Default, Deserialize)]
pub struct IntakeQuery {
    #[serde(default)]
    procedure: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "dossiers/intake.html")]
pub(super) struct IntakePage {
    layout: Layout,
    procedure: Option<ProcedureView>,
    code: String,
    form: IntakeForm,
    error: Option<String>,
    missing: Vec<String>,
    /// A citizen filing online: the desk to file with is chosen, the channel is online.
    online: bool,
    /// One-stop desks in force today (code, name), for citizens.
    desks: Vec<(String, String)>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct IntakeForm {
    #[serde(default)]
    procedure: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    address: String,
    /// Indexes of the components received.
    #[serde(default)]
    received: Vec<usize>,
    /// The desk a citizen files with.
    #[serde(default)]
    desk: String,
}

/// Desk officers receive at the counter; citizens file online (true).
fn require_desk(caller: &Caller) -> Result<bool, PageError> {
    match caller.actor.user() {
        Some(u) if matches!(u.role, Role::DeskOfficer | Role::Admin) => Ok(false),
        Some(u) if u.role == Role::Citizen => Ok(true),
        Some(_) => Err(page_err(caller, "desk")(AppError::Forbidden(
            "Chỉ công chức bộ phận một cửa tiếp nhận hồ sơ; công dân nộp trực tuyến".into(),
        ))),
        None => Err(page_err(caller, "desk")(AppError::Unauthenticated)),
    }
}

/// The one-stop desks in force today, for a citizen to choose where to file.
async fn desks(s: &AppState, online: bool) -> Result<Vec<(String, String)>, AppError> {
    if !online {
        return Ok(vec![]);
    }
    let q = motcua_storage::AgencyQuery { on: Some(s.app.today()), ..Default::default() };
    Ok(s.app
        .agencies(&q)
        .await?
        .into_iter()
        .filter(|a| a.kind.receives_dossiers())
        .map(|a| (a.code.to_string(), a.name))
        .collect())
}

pub async fn intake_form(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<IntakeQuery>,
) -> Result<IntakePage, PageError> {
    let online = require_desk(&caller)?;
    let procedure = if q.procedure.trim().is_empty() {
        None
    } else {
        Some(s.app.procedure_on(q.procedure.trim(), None).await.map_err(page_err(&caller, "desk"))?)
    };
    let form = IntakeForm {
        procedure: q.procedure.trim().to_owned(),
        channel: if online { "online" } else { "counter" }.into(),
        kind: "citizen".into(),
        ..IntakeForm::default()
    };
    Ok(IntakePage {
        layout: Layout::of(&caller.actor, "desk"),
        code: form.procedure.clone(),
        procedure,
        form,
        error: None,
        missing: vec![],
        online,
        desks: desks(&s, online).await.map_err(page_err(&caller, "desk"))?,
    })
}

pub async fn intake_submit(
    State(s): State<AppState>,
    caller: Caller,
    Form(f): Form<IntakeForm>,
) -> Result<Response, PageError> {
    let online = require_desk(&caller)?;
    let procedure = s.app.procedure_on(f.procedure.trim(), None).await.map_err(page_err(&caller, "desk"))?;
    let desk_list = desks(&s, online).await.map_err(page_err(&caller, "desk"))?;
    let page = |error: Option<String>, missing: Vec<String>, status: StatusCode| {
        let p = IntakePage {
            layout: Layout::of(&caller.actor, "desk"),
            code: f.procedure.clone(),
            procedure: Some(procedure.clone()),
            form: f.clone(),
            error,
            missing,
            online,
            desks: desk_list.clone(),
        };
        (status, p).into_response()
    };
    // Every component must be there: otherwise the applicant is told, in one go, what to complete
    // (Mẫu 02) and no dossier is created.
    let missing: Vec<String> = procedure
        .version
        .content
        .components
        .iter()
        .enumerate()
        .filter(|(i, c)| c.kind != motcua_domain::procedure::ComponentKind::Present && !f.received.contains(i))
        .map(|(_, c)| c.name.clone())
        .collect();
    if !missing.is_empty() {
        return Ok(page(None, missing, StatusCode::OK));
    }
    let channel = match f.channel.as_str() {
        _ if online => Channel::Online,
        "postal" => Channel::Postal,
        "online" => Channel::Online,
        _ => Channel::Counter,
    };
    let input = IntakeInput {
        procedure: f.procedure.clone(),
        channel,
        applicant: ApplicantInput {
            kind: f.kind.clone(),
            id: f.id.clone(),
            name: f.name.clone(),
            phone: Some(f.phone.clone()),
            email: Some(f.email.clone()),
            address: Some(f.address.clone()),
        },
        desk: online.then(|| f.desk.clone()),
        competent_agency: None,
    };
    match s.app.intake(&caller.actor, input).await {
        Ok(d) => Ok(Redirect::to(&format!("/ho-so/{}", d.code)).into_response()),
        Err(e) => {
            let status = crate::error::status_of(&e);
            let b = e.body();
            Ok(page(Some(format!("{} ({})", b.message, b.field.unwrap_or(b.code.into()))), vec![], status))
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "dossiers/queue.html")]
pub(super) struct QueuePage {
    layout: Layout,
    page: Page<DossierLine>,
    now: Instant,
    soon: Instant,
    overdue_only: bool,
}

impl QueuePage {
    fn when(&self, t: &Instant) -> String {
        when(t)
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
}

pub async fn queue(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<QueueQuery>,
) -> Result<QueuePage, PageError> {
    let overdue_only = q.overdue.is_some();
    // Citizens see all their dossiers; staff the open ones unless they ask for the finished too.
    let citizen = caller.actor.user().is_some_and(|u| u.role == Role::Citizen);
    let finished = citizen || q.finished.is_some();
    let p = ListParams { overdue: overdue_only, finished, page: q.page, per_page: Some(50), ..ListParams::default() };
    let page = s.app.list_dossiers(&caller.actor, &p).await.map_err(page_err(&caller, "queue"))?;
    let now = s.app.now().with_timezone(&motcua_domain::calendar::deadline::vn_offset());
    Ok(QueuePage {
        layout: Layout::of(&caller.actor, "queue"),
        page,
        now,
        soon: now + chrono::Duration::hours(24),
        overdue_only,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "dossiers/show.html")]
pub(super) struct DossierPage {
    layout: Layout,
    d: DossierRecord,
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
    Ok(DossierPage {
        layout: Layout::of(&caller.actor, "queue"),
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
    })
}

pub async fn show(
    State(s): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
) -> Result<DossierPage, PageError> {
    show_page(&s, &caller, &code, None).await
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
}

pub async fn act(
    State(s): State<AppState>,
    caller: Caller,
    Path((code, action)): Path<(String, String)>,
    axum::Form(f): axum::Form<ActionForm>,
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
        "request_payment" => CommandInput::RequestPayment {
            amount_vnd: f.amount.trim().replace(['.', ' '], "").parse().map_err(|_| {
                page_err(&caller, "queue")(AppError::invalid(
                    "invalid_amount",
                    "amount",
                    "Số tiền phải là số đồng, ví dụ 50.000",
                ))
            })?,
        },
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
        Ok(m) => match crate::http::files::read_upload(m).await {
            Ok(input) => s.app.attach_document(&caller.actor, &code, input).await.map(|_| ()),
            Err(e) => Err(e),
        },
        Err(e) => Err(crate::http::files::not_multipart(e)),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/ho-so/{code}")).into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::NotAllowed { .. } | AppError::TooLarge(_))) => {
            let status = crate::error::status_of(&e);
            let page = show_page(&s, &caller, &code, Some(e.body().message)).await?;
            Ok((status, page).into_response())
        }
        Err(e) => Err(page_err(&caller, "queue")(e)),
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
