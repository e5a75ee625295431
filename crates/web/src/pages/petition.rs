//! Feedback and petitions on pages: `/phan-anh` (published answers, public, with like and
//! dislike), `/phan-anh/gui` (send one, from a dossier or not), `/phan-anh/{id}` (its state and
//! deadlines; the officers' actions for those who handle it), `/phan-anh/xu-ly` (the officers'
//! list).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use motcua_app::AppError;
use motcua_app::petition::{PetitionListParams, PetitionPage};
use motcua_domain::calendar::deadline::{Instant, at_vi};
use motcua_domain::ids::AgencyCode;
use motcua_domain::petition::{Petition, PetitionAction, PetitionInput, PetitionKind, PetitionState, Petitioner};
use serde::Deserialize;

use super::{Layout, page_err};
use crate::AppState;
use crate::auth::Caller;
use crate::error::PageError;

#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    page: Option<u32>,
}

#[derive(Template, WebTemplate)]
#[template(path = "petition/list.html")]
pub(super) struct ListPage {
    layout: Layout,
    page: PetitionPage,
    /// The officers' list (else the public answers).
    handling: bool,
    now: Instant,
}

impl ListPage {
    fn when(&self, t: &Instant) -> String {
        at_vi(*t)
    }
    fn more(&self) -> bool {
        self.page.total > u64::from(self.page.page) * u64::from(self.page.per_page)
    }
    /// Still open past its handling limit.
    fn late(&self, p: &Petition) -> bool {
        !matches!(p.state, PetitionState::Published | PetitionState::Refused | PetitionState::Answered)
            && p.deadlines.handle_by < self.now
    }
}

fn now(s: &AppState) -> Instant {
    s.app.now().with_timezone(&motcua_domain::calendar::deadline::vn_offset())
}

pub async fn published(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<PageQuery>,
) -> Result<Response, PageError> {
    let page = s
        .app
        .published_petitions(&PetitionListParams { page: q.page, ..Default::default() })
        .await
        .map_err(page_err(&caller, "petitions"))?;
    Ok(ListPage { layout: Layout::of(&caller.actor, "petitions"), page, handling: false, now: now(&s) }.into_response())
}

pub async fn to_handle(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<PageQuery>,
) -> Result<Response, PageError> {
    let page = s
        .app
        .petitions_to_handle(&caller.actor, &PetitionListParams { page: q.page, ..Default::default() })
        .await
        .map_err(page_err(&caller, "petitions"))?;
    Ok(ListPage { layout: Layout::of(&caller.actor, "petitions"), page, handling: true, now: now(&s) }.into_response())
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct SendForm {
    #[serde(default, rename = "ho-so")]
    ho_so: String,
    #[serde(default)]
    ten: String,
    #[serde(default)]
    dien_thoai: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    tieu_de: String,
    #[serde(default)]
    noi_dung: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "petition/form.html")]
pub(super) struct SendPage {
    layout: Layout,
    form: SendForm,
    error: Option<String>,
}

pub async fn send_form(State(s): State<AppState>, caller: Caller, Query(mut form): Query<SendForm>) -> Response {
    // A signed-in citizen's details fill the form.
    if let Ok(Some(a)) = s.app.my_applicant(&caller.actor).await {
        form.ten = a.name;
        form.dien_thoai = a.phone.map(|p| p.as_str().to_owned()).unwrap_or_default();
        form.email = a.email.unwrap_or_default();
    }
    SendPage { layout: Layout::of(&caller.actor, "petitions"), form, error: None }.into_response()
}

pub async fn send(State(s): State<AppState>, caller: Caller, Form(form): Form<SendForm>) -> Response {
    let some = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
    let input = PetitionInput {
        petitioner: Petitioner {
            name: form.ten.clone(),
            phone: some(&form.dien_thoai),
            email: some(&form.email),
            address: None,
        },
        title: form.tieu_de.clone(),
        content: form.noi_dung.clone(),
        dossier: some(&form.ho_so),
    };
    match s.app.file_petition(&caller.actor, &input).await {
        Ok(p) => Redirect::to(&format!("/phan-anh/{}?moi=1", p.id)).into_response(),
        Err(e) => {
            let status = crate::error::status_of(&e);
            let page = SendPage { layout: Layout::of(&caller.actor, "petitions"), form, error: Some(e.body().message) };
            (status, page).into_response()
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ShowQuery {
    /// Just sent.
    moi: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "petition/show.html")]
pub(super) struct ShowPage {
    layout: Layout,
    p: Petition,
    just_sent: bool,
    /// The viewer handles it: the action forms.
    handles: bool,
    kinds: [PetitionKind; 2],
    error: Option<String>,
    voted: Option<bool>,
}

impl ShowPage {
    fn when(&self, t: &Instant) -> String {
        at_vi(*t)
    }
    fn is(&self, state: &str) -> bool {
        self.p.state.as_str() == state
    }
}

async fn show_page(s: &AppState, caller: &Caller, id: &str) -> Result<ShowPage, PageError> {
    let p = s.app.petition_for(&caller.actor, id).await.map_err(page_err(caller, "petitions"))?;
    let handles = s.app.may_handle_petition(&caller.actor, &p);
    Ok(ShowPage {
        layout: Layout::of(&caller.actor, "petitions"),
        p,
        just_sent: false,
        handles,
        kinds: [PetitionKind::Regulation, PetitionKind::Conduct],
        error: None,
        voted: None,
    })
}

pub async fn show(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, PageError> {
    let mut page = show_page(&s, &caller, &id).await?;
    page.just_sent = q.moi.is_some();
    Ok(page.into_response())
}

/// An officer's action as posted: `hanh_dong` names it, the other fields carry what it needs.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    revision: i64,
    #[serde(default)]
    hanh_dong: String,
    #[serde(default)]
    loai: String,
    #[serde(default)]
    co_quan: String,
    #[serde(default)]
    noi_dung: String,
}

fn action_of(f: &ActionForm) -> Result<PetitionAction, AppError> {
    let text = f.noi_dung.clone();
    Ok(match f.hanh_dong.as_str() {
        "phan-loai" => PetitionAction::Classify {
            kind: if f.loai == "conduct" { PetitionKind::Conduct } else { PetitionKind::Regulation },
        },
        "chuyen" => PetitionAction::Assign { agency: AgencyCode::parse(&f.co_quan)? },
        "yeu-cau-bo-sung" => PetitionAction::RequestSupplement { items: text },
        "da-bo-sung" => PetitionAction::Supplemented { note: text },
        "tu-choi" => PetitionAction::Refuse { reason: text },
        "tra-loi" => PetitionAction::Answer { answer: text },
        "cong-khai" => PetitionAction::Publish,
        _ => return Err(AppError::invalid("invalid_action", "hanh_dong", "Chọn việc cần làm")),
    })
}

pub async fn act(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form<ActionForm>,
) -> Result<Response, PageError> {
    let done = match action_of(&f) {
        Ok(a) => s.app.act_on_petition(&caller.actor, &id, f.revision, &a).await,
        Err(e) => Err(e),
    };
    match done {
        Ok(p) => Ok(Redirect::to(&format!("/phan-anh/{}", p.id)).into_response()),
        Err(e @ (AppError::Forbidden(_) | AppError::Unauthenticated | AppError::NotFound(_))) => {
            Err(page_err(&caller, "petitions")(e))
        }
        Err(e) => {
            let mut page = show_page(&s, &caller, &id).await?;
            page.error = Some(e.body().message);
            Ok((crate::error::status_of(&e), page).into_response())
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct VoteForm {
    #[serde(default)]
    thich: String,
}

pub async fn vote(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form<VoteForm>,
) -> Result<Response, PageError> {
    let counted =
        s.app.vote_petition(&caller.actor, &id, f.thich == "co").await.map_err(page_err(&caller, "petitions"))?;
    let mut page = show_page(&s, &caller, &id).await?;
    page.voted = Some(counted);
    Ok((StatusCode::OK, page).into_response())
}
