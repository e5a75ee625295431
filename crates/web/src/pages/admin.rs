//! Provincial admin pages: create a procedure, edit its draft, publish it, abolish it.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use chrono::NaiveDate;
use motcua_app::AppError;
use motcua_app::calendar::parse_date;
use motcua_app::catalog::{AbolishInput, ProcedureView, PublishInput};
use motcua_domain::procedure::{Level, OnlineLevel, VersionStatus};
use serde::Deserialize;

use super::edit_form::{EditForm, channels, time_units};
use super::{Layout, page_err, vn_date};
use crate::AppState;
use crate::auth::Caller;
use crate::error::PageError;

#[derive(Template, WebTemplate)]
#[template(path = "admin/procedure_edit.html")]
pub(super) struct EditPage {
    layout: Layout,
    is_new: bool,
    form: EditForm,
    view: Option<ProcedureView>,
    error: Option<String>,
    error_field: Option<String>,
    levels: Vec<(&'static str, &'static str)>,
    online_levels: Vec<(&'static str, &'static str)>,
    time_units: Vec<(&'static str, &'static str)>,
    channels: Vec<(&'static str, &'static str)>,
    today: NaiveDate,
}

impl EditPage {
    fn new(layout: Layout, is_new: bool, form: EditForm, view: Option<ProcedureView>, today: NaiveDate) -> Self {
        Self {
            layout,
            is_new,
            form,
            view,
            error: None,
            error_field: None,
            levels: Level::ALL.iter().map(|l| (l.as_str(), l.label_vi())).collect(),
            online_levels: OnlineLevel::ALL.iter().map(|l| (l.as_str(), l.label_vi())).collect(),
            time_units: time_units(),
            channels: channels(),
            today,
        }
    }

    fn with_error(mut self, e: &AppError) -> Response {
        let body = e.body();
        self.error = Some(body.message);
        self.error_field = body.field;
        let status = crate::error::status_of(e);
        (status, self).into_response()
    }

    fn date(&self, d: &NaiveDate) -> String {
        vn_date(d)
    }

    fn has_draft(&self) -> bool {
        self.view.as_ref().is_some_and(|v| v.version.status == VersionStatus::Draft)
    }
}

fn require_admin(caller: &Caller) -> Result<(), PageError> {
    caller.actor.require_admin().map_err(page_err(caller, "admin"))
}

pub async fn new_form(State(s): State<AppState>, caller: Caller) -> Result<EditPage, PageError> {
    require_admin(&caller)?;
    let mut form = EditForm { online_level: "unknown".into(), ..EditForm::default() };
    form.time_unit = "working_days".into();
    Ok(EditPage::new(Layout::of(&caller.actor, "admin"), true, form, None, s.app.today()))
}

pub async fn create(
    State(s): State<AppState>,
    caller: Caller,
    Form(form): Form<EditForm>,
) -> Result<Response, PageError> {
    require_admin(&caller)?;
    let page = |form: EditForm| EditPage::new(Layout::of(&caller.actor, "admin"), true, form, None, s.app.today());
    let content = match form.to_content(None) {
        Ok(c) => c,
        Err(e) => return Ok(page(form).with_error(&e)),
    };
    match s.app.create_procedure(&caller.actor, &form.code, content).await {
        Ok(v) => Ok(Redirect::to(&format!("/quan-tri/thu-tuc/{}", v.code)).into_response()),
        Err(e) => Ok(page(form).with_error(&e)),
    }
}

/// The version an admin edits: the draft when there is one, otherwise the latest.
async fn editable(s: &AppState, caller: &Caller, code: &str) -> Result<ProcedureView, AppError> {
    s.app.procedure_version(&caller.actor, code, None).await
}

pub async fn edit(State(s): State<AppState>, caller: Caller, Path(code): Path<String>) -> Result<EditPage, PageError> {
    require_admin(&caller)?;
    let view = editable(&s, &caller, &code).await.map_err(page_err(&caller, "admin"))?;
    let form = EditForm::from_content(view.code.as_str(), view.revision, &view.version.content);
    Ok(EditPage::new(Layout::of(&caller.actor, "admin"), false, form, Some(view), s.app.today()))
}

pub async fn save(
    State(s): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    Form(form): Form<EditForm>,
) -> Result<Response, PageError> {
    require_admin(&caller)?;
    let view = editable(&s, &caller, &code).await.map_err(page_err(&caller, "admin"))?;
    let page = |form: EditForm, view| {
        EditPage::new(Layout::of(&caller.actor, "admin"), false, form, Some(view), s.app.today())
    };
    let content = match form.to_content(Some(&view.version.content)) {
        Ok(c) => c,
        Err(e) => return Ok(page(form, view).with_error(&e)),
    };
    match s.app.save_draft(&caller.actor, &code, form.revision, content).await {
        Ok(_) => Ok(Redirect::to(&format!("/quan-tri/thu-tuc/{code}")).into_response()),
        Err(e) => Ok(page(form, view).with_error(&e)),
    }
}

#[derive(Debug, Deserialize)]
pub struct PublishForm {
    revision: i64,
    decision_no: String,
    decision_date: String,
    effective_from: String,
}

async fn render_with_error(s: &AppState, caller: &Caller, code: &str, e: &AppError) -> Result<Response, PageError> {
    let view = editable(s, caller, code).await.map_err(page_err(caller, "admin"))?;
    let form = EditForm::from_content(view.code.as_str(), view.revision, &view.version.content);
    Ok(EditPage::new(Layout::of(&caller.actor, "admin"), false, form, Some(view), s.app.today()).with_error(e))
}

pub async fn publish(
    State(s): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    axum::Form(f): axum::Form<PublishForm>,
) -> Result<Response, PageError> {
    require_admin(&caller)?;
    let input = parse_date(&f.decision_date, "decision_date").and_then(|decision_date| {
        Ok(PublishInput {
            revision: f.revision,
            decision_no: f.decision_no.clone(),
            decision_date,
            effective_from: parse_date(&f.effective_from, "effective_from")?,
        })
    });
    let result = match input {
        Ok(input) => s.app.publish_procedure(&caller.actor, &code, input).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(v) => Ok(Redirect::to(&format!(
            "/thu-tuc/{}?at={}",
            v.code,
            v.version.publication.effective_from.unwrap_or_else(|| s.app.today())
        ))
        .into_response()),
        Err(e) => render_with_error(&s, &caller, &code, &e).await,
    }
}

#[derive(Debug, Deserialize)]
pub struct AbolishForm {
    revision: i64,
    decision_no: String,
    date: String,
}

pub async fn abolish(
    State(s): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    axum::Form(f): axum::Form<AbolishForm>,
) -> Result<Response, PageError> {
    require_admin(&caller)?;
    let result = match parse_date(&f.date, "date") {
        Ok(date) => {
            s.app
                .abolish_procedure(
                    &caller.actor,
                    &code,
                    AbolishInput { revision: f.revision, decision_no: f.decision_no, date },
                )
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/quan-tri/thu-tuc/{code}")).into_response()),
        Err(e) => render_with_error(&s, &caller, &code, &e).await,
    }
}
