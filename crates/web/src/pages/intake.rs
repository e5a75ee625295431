//! Receiving a dossier: at the counter (procedure → applicant → component checklist → receipt)
//! and online (a citizen's form with a file for each component, from the procedure page).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use motcua_app::AppError;
use motcua_app::catalog::ProcedureView;
use motcua_app::dossiers::{ApplicantInput, IntakeInput};
use motcua_domain::procedure::Channel;
use motcua_domain::procedure::eform::{FieldKind, RawAnswers};
use motcua_domain::user::Role;
use serde::Deserialize;
use std::collections::BTreeMap;

use super::{Layout, page_err};
use crate::AppState;
use crate::auth::Caller;
use crate::error::PageError;
use crate::http::files::read_filing_streamed;

#[derive(Debug, Default, Deserialize)]
pub struct IntakeQuery {
    #[serde(default)]
    procedure: String,
    /// A personal identification number to look up in the population database (desk).
    #[serde(default)]
    dan_cu: String,
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
    /// What the population database answered, for the desk.
    lookup_note: Option<(bool, String)>,
    /// The declaration's refusals by field key.
    answer_errors: BTreeMap<String, String>,
    /// A draft opened or saved.
    draft_note: Option<String>,
    /// Today (`YYYY-MM-DD`), the latest date a past-only field takes.
    today: String,
    /// By component position, the citizen's vault documents that may stand for it.
    offers: BTreeMap<usize, Vec<motcua_domain::vault::VaultItem>>,
}

impl IntakePage {
    fn offers_for(&self, i: &usize) -> Option<&Vec<motcua_domain::vault::VaultItem>> {
        self.offers.get(i)
    }
    fn answer_error(&self, key: &str) -> Option<&String> {
        self.answer_errors.get(key)
    }
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
    /// A citizen's "remember these details for the next filing" (ticked by default).
    #[serde(default)]
    remember: Option<String>,
    /// The desk took the applicant from the population database.
    #[serde(default)]
    population: Option<String>,
    /// The declaration's answers (`tk.<key>` fields of the online form).
    #[serde(skip)]
    answers: RawAnswers,
    /// Components taken from the vault (`vault_<n>` = the document's id; an id that cannot be
    /// read stands as the nil id, which no document has).
    #[serde(skip)]
    vault: Vec<motcua_app::vault::VaultReuse>,
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
    let mut form = IntakeForm {
        procedure: q.procedure.trim().to_owned(),
        channel: if online { "online" } else { "counter" }.into(),
        kind: "citizen".into(),
        remember: online.then(|| "1".to_owned()),
        ..IntakeForm::default()
    };
    // A citizen's form is filled in from what the account remembers, else with its name.
    if online {
        match s.app.my_applicant(&caller.actor).await.map_err(page_err(&caller, "desk"))? {
            Some(a) => form.fill_from(&a),
            None => form.name = caller.actor.user().map(|u| u.full_name.clone()).unwrap_or_default(),
        }
    }
    // A citizen's draft of the declaration is opened where it was left.
    let mut draft_note = None;
    if online && procedure.as_ref().is_some_and(|p| p.version.content.declaration.is_some()) {
        let draft = s.app.declaration_draft(&caller.actor, &form.procedure).await.map_err(page_err(&caller, "desk"))?;
        if let Some(d) = draft {
            draft_note = Some(format!(
                "Đã mở bản nháp tờ khai lưu lúc {}; kiểm tra rồi nộp.",
                d.saved_at.format("%H:%M ngày %d/%m/%Y")
            ));
            form.answers = d.answers;
        }
    }
    // The desk fills the applicant in from the population database (never blocking: a failed
    // lookup says so and the officer types).
    let mut lookup_note = None;
    if !online && !q.dan_cu.trim().is_empty() {
        use motcua_app::population::Lookup;
        form.id = q.dan_cu.trim().to_owned();
        lookup_note = Some(match s.app.lookup_resident(&caller.actor, &form.id).await {
            Ok(Lookup::Found { resident }) => {
                form.name = resident.name;
                form.address = resident.address.unwrap_or_default();
                form.population = Some("1".into());
                (true, "Đã lấy họ tên, địa chỉ từ Cơ sở dữ liệu quốc gia về dân cư".to_owned())
            }
            Ok(Lookup::NotFound) => {
                (false, "Cơ sở dữ liệu dân cư không có số định danh này; kiểm tra lại giấy tờ".into())
            }
            Ok(Lookup::Unavailable { message }) => (false, message),
            Err(e) => (false, e.body().message),
        });
    }
    let offers = match (&procedure, online) {
        (Some(p), true) => {
            s.app.vault_offers(&caller.actor, &p.version.content).await.map_err(page_err(&caller, "desk"))?
        }
        _ => BTreeMap::new(),
    };
    Ok(IntakePage {
        offers,
        layout: Layout::of(&caller.actor, "desk"),
        code: form.procedure.clone(),
        procedure,
        form,
        error: None,
        missing: vec![],
        online,
        desks: desks(&s, online).await.map_err(page_err(&caller, "desk"))?,
        lookup_note,
        answer_errors: BTreeMap::new(),
        draft_note,
        today: s.app.today().to_string(),
    })
}

pub async fn intake_submit(
    State(s): State<AppState>,
    caller: Caller,
    Form(f): Form<IntakeForm>,
) -> Result<Response, PageError> {
    let online = require_desk(&caller)?;
    let ctx = Context::of(&s, &caller, &f, online).await?;
    // Every component must be there: otherwise the applicant is told, in one go, what to complete
    // (Mẫu 02) and no dossier is created.
    let missing = ctx.missing(|i| f.received.contains(&i));
    if !missing.is_empty() {
        return Ok(ctx.page(None, missing, StatusCode::OK));
    }
    let channel = match f.channel.as_str() {
        _ if online => Channel::Online,
        "postal" => Channel::Postal,
        "online" => Channel::Online,
        _ => Channel::Counter,
    };
    match s.app.intake(&caller.actor, f.input(channel, online)).await {
        Ok(d) => Ok(Redirect::to(&format!("/ho-so/{}", d.code)).into_response()),
        Err(e) => Ok(ctx.refused(&e)),
    }
}

/// A citizen's online filing: the form's fields and a file for each component (`file_<index>`
/// of the procedure's component list). A missing file is listed (Mẫu 02 guidance) and nothing
/// is stored; so is a file of a kind not accepted.
pub async fn file_online(State(s): State<AppState>, caller: Caller, m: Multipart) -> Result<Response, PageError> {
    if !require_desk(&caller)? {
        return Err(page_err(&caller, "desk")(AppError::Forbidden(
            "Biểu mẫu nộp trực tuyến dành cho công dân; bộ phận một cửa tiếp nhận tại quầy".into(),
        )));
    }
    let filing = read_filing_streamed(&s.app, m).await.map_err(page_err(&caller, "desk"))?;
    let save_draft = filing.fields.iter().any(|(k, _)| k == "luu_nhap");
    let f = IntakeForm::from_pairs(filing.fields);
    let spooled = filing.files;
    let discard =
        |files: Vec<(usize, motcua_app::filing::Spooled)>| s.app.drop_spooled(files.into_iter().map(|(_, f)| f));
    let ctx = match Context::of(&s, &caller, &f, true).await {
        Ok(ctx) => ctx,
        Err(e) => {
            discard(spooled).await;
            return Err(e);
        }
    };
    if let Some(e) = filing.refused {
        return Ok(ctx.refused(&e));
    }
    // "Lưu nháp": the declaration is kept as typed (the files are not), the form shown again.
    if save_draft {
        discard(spooled).await;
        return match s.app.save_declaration_draft(&caller.actor, &f.procedure, &f.answers).await {
            Ok(d) => Ok(ctx.draft_saved(&d)),
            Err(e) => Ok(ctx.refused(&e)),
        };
    }
    let components = &ctx.procedure.version.content.components;
    if spooled.iter().any(|(n, _)| components.get(*n).is_none()) {
        discard(spooled).await;
        return Ok(ctx.page(
            Some("Tệp gửi cho một thành phần không có trong thủ tục".into()),
            vec![],
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    }
    let missing = ctx.missing(|i| spooled.iter().any(|(n, _)| *n == i) || f.vault_choice(&i).is_some());
    if !missing.is_empty() {
        discard(spooled).await;
        return Ok(ctx.page(None, missing, StatusCode::OK));
    }
    let uploads = spooled.into_iter().filter_map(|(n, s)| Some((components.get(n)?.name.clone(), s))).collect();
    let input = f.input(Channel::Online, true);
    let applicant = input.applicant.clone();
    match s.app.file_online_spooled(&caller.actor, input, uploads).await {
        Ok(filed) => {
            // Remembered for the next filing when asked (checked as the dossier was).
            if f.remember.is_some() {
                s.app.remember_applicant(&caller.actor, &applicant).await.map_err(page_err(&caller, "desk"))?;
            }
            Ok(Redirect::to(&format!("/ho-so/{}?da_nop=1", filed.dossier.code)).into_response())
        }
        Err(e) => Ok(ctx.refused(&e)),
    }
}

/// `/mot-cua/ban-nhap/{procedure}/xoa`: the citizen drops the draft and starts again.
pub async fn discard_draft(
    State(s): State<AppState>,
    caller: Caller,
    axum::extract::Path(procedure): axum::extract::Path<String>,
) -> Result<Response, PageError> {
    s.app.discard_declaration_draft(&caller.actor, &procedure).await.map_err(page_err(&caller, "desk"))?;
    // The code was checked by the use case (digits and dots): safe in the address as it is.
    Ok(Redirect::to(&format!("/mot-cua/tiep-nhan?procedure={}", procedure.trim())).into_response())
}

/// What a re-shown intake form needs.
struct Context<'a> {
    caller: &'a Caller,
    form: &'a IntakeForm,
    procedure: ProcedureView,
    desks: Vec<(String, String)>,
    online: bool,
    today: String,
    offers: BTreeMap<usize, Vec<motcua_domain::vault::VaultItem>>,
}

impl<'a> Context<'a> {
    async fn of(s: &AppState, caller: &'a Caller, form: &'a IntakeForm, online: bool) -> Result<Self, PageError> {
        let procedure = s.app.procedure_on(form.procedure.trim(), None).await.map_err(page_err(caller, "desk"))?;
        let desks = desks(s, online).await.map_err(page_err(caller, "desk"))?;
        let offers = match online {
            true => {
                s.app.vault_offers(&caller.actor, &procedure.version.content).await.map_err(page_err(caller, "desk"))?
            }
            false => BTreeMap::new(),
        };
        Ok(Self { caller, form, procedure, desks, online, today: s.app.today().to_string(), offers })
    }

    /// The components still missing (those to present at the desk aside).
    fn missing(&self, given: impl Fn(usize) -> bool) -> Vec<String> {
        let content = &self.procedure.version.content;
        let needed = content.components.iter().enumerate().filter(|(i, _)| content.upload_required(*i));
        needed.filter(|(i, _)| !given(*i)).map(|(_, c)| c.name.clone()).collect()
    }

    fn page(&self, error: Option<String>, missing: Vec<String>, status: StatusCode) -> Response {
        self.page_with(error, missing, BTreeMap::new(), None, status)
    }

    fn page_with(
        &self,
        error: Option<String>,
        missing: Vec<String>,
        answer_errors: BTreeMap<String, String>,
        draft_note: Option<String>,
        status: StatusCode,
    ) -> Response {
        let p = IntakePage {
            layout: Layout::of(&self.caller.actor, "desk"),
            code: self.form.procedure.clone(),
            procedure: Some(self.procedure.clone()),
            form: self.form.clone(),
            error,
            missing,
            online: self.online,
            desks: self.desks.clone(),
            lookup_note: None,
            answer_errors,
            draft_note,
            today: self.today.clone(),
            offers: self.offers.clone(),
        };
        (status, p).into_response()
    }

    /// The form again with the use case's refusal; a declaration's refusals by their fields.
    fn refused(&self, e: &AppError) -> Response {
        let status = crate::error::status_of(e);
        let answer_errors: BTreeMap<String, String> = e
            .field_errors()
            .into_iter()
            .filter_map(|f| f.field.strip_prefix("answers.").map(|k| (k.to_owned(), f.message.clone())))
            .collect();
        let b = e.body();
        let message = match answer_errors.is_empty() {
            true => format!("{} ({})", b.message, b.field.unwrap_or(b.code.into())),
            false => "Tờ khai chưa hợp lệ: xem các trường được đánh dấu bên dưới".to_owned(),
        };
        self.page_with(Some(message), vec![], answer_errors, None, status)
    }

    /// The form again after its declaration was kept as a draft.
    fn draft_saved(&self, d: &motcua_domain::procedure::eform::Draft) -> Response {
        let note = format!(
            "Đã lưu bản nháp tờ khai lúc {}. Tệp đính kèm không được lưu trong bản nháp: chọn lại khi nộp.",
            d.saved_at.format("%H:%M ngày %d/%m/%Y")
        );
        self.page_with(None, vec![], BTreeMap::new(), Some(note), StatusCode::OK)
    }
}

impl IntakeForm {
    /// The form of a multipart body's text fields.
    fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut f = Self::default();
        for (k, v) in pairs {
            match k.as_str() {
                "procedure" => f.procedure = v,
                "channel" => f.channel = v,
                "kind" => f.kind = v,
                "id" => f.id = v,
                "name" => f.name = v,
                "phone" => f.phone = v,
                "email" => f.email = v,
                "address" => f.address = v,
                "desk" => f.desk = v,
                "remember" => f.remember = Some(v),
                k => {
                    if let Some(key) = k.strip_prefix("tk.") {
                        f.answers.insert(key.to_owned(), v);
                    } else if let Some(Ok(component)) = k.strip_prefix("vault_").map(str::parse::<usize>)
                        && !v.trim().is_empty()
                    {
                        let item = uuid::Uuid::parse_str(v.trim()).unwrap_or_default();
                        f.vault.push(motcua_app::vault::VaultReuse { component, item });
                    }
                }
            }
        }
        f
    }

    /// The vault document chosen for component `i`, if one.
    fn vault_choice(&self, i: &usize) -> Option<uuid::Uuid> {
        self.vault.iter().find(|r| r.component == *i).map(|r| r.item)
    }

    /// The answer typed in the declaration's field `key` (empty when none).
    fn answer(&self, key: &str) -> &str {
        self.answers.get(key).map(String::as_str).unwrap_or("")
    }

    /// The applicant fields from what an account remembers.
    fn fill_from(&mut self, a: &motcua_domain::dossier::record::Applicant) {
        use motcua_domain::dossier::record::ApplicantId;
        (self.kind, self.id) = match &a.id {
            ApplicantId::Citizen { citizen_id } => ("citizen".into(), citizen_id.as_str().to_owned()),
            ApplicantId::Organisation { tax_code } => ("organisation".into(), tax_code.as_str().to_owned()),
        };
        self.name = a.name.clone();
        self.phone = a.phone.as_ref().map(|p| p.as_str().to_owned()).unwrap_or_default();
        self.email = a.email.clone().unwrap_or_default();
        self.address = a.address.clone().unwrap_or_default();
    }

    fn input(&self, channel: Channel, online: bool) -> IntakeInput {
        IntakeInput {
            procedure: self.procedure.clone(),
            channel,
            applicant: ApplicantInput {
                kind: self.kind.clone(),
                id: self.id.clone(),
                name: self.name.clone(),
                phone: Some(self.phone.clone()),
                email: Some(self.email.clone()),
                address: Some(self.address.clone()),
            },
            desk: online.then(|| self.desk.clone()),
            competent_agency: None,
            population: !online && self.population.is_some(),
            answers: self.answers.clone(),
            vault: self.vault.clone(),
        }
    }
}
