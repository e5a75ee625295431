//! `/ke-hoach`: the province's plan — the plan itself (and its import, for the provincial
//! office), an agency's tasks with the monthly report form, and the office's overview of
//! overdue tasks and missing reports.

mod assessment;
mod cost;
mod import;
mod inspection;
mod progress;
mod publication;
mod report_files;

pub use assessment::*;
pub use cost::*;
pub use import::*;
pub use inspection::*;
pub use progress::*;
pub use publication::*;
pub use report_files::*;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use motcua_app::AppError;
use motcua_app::plan::PlanImportAnswer;
use motcua_domain::plan::cost::Decision;
use motcua_storage::StoredPlan;
use serde::Deserialize;

use crate::AppState;
use crate::auth::Caller;
use crate::error::PageError;
use crate::pages::{Layout, page_err};

/// The answer to a form of these pages: back to `to` when it was stored; the same page with the
/// message (422) when the input was refused; the error page otherwise.
async fn settle<P, Fut>(
    caller: &Caller,
    result: Result<(), AppError>,
    to: &str,
    page: impl FnOnce(String) -> Fut,
) -> Result<Response, PageError>
where
    P: IntoResponse,
    Fut: Future<Output = Result<P, PageError>>,
{
    match result {
        Ok(()) => Ok(Redirect::to(to).into_response()),
        Err(e @ AppError::Invalid(_)) => {
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page(e.body().message).await?).into_response())
        }
        Err(e) => Err(page_err(caller, "plan")(e)),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "plan/show.html")]
pub struct PlanPage {
    layout: Layout,
    plan: Option<StoredPlan>,
    imported: Option<PlanImportAnswer>,
    error: Option<String>,
}

async fn plan_page(
    s: &AppState,
    caller: &Caller,
    imported: Option<PlanImportAnswer>,
    error: Option<String>,
) -> Result<PlanPage, PageError> {
    let plan = match s.app.plan(&caller.actor, None).await {
        Ok(p) => Some(p),
        Err(AppError::NotFound(_)) => None,
        Err(e) => return Err(page_err(caller, "plan")(e)),
    };
    Ok(PlanPage { layout: Layout::of(&caller.actor, "plan"), plan, imported, error })
}

pub async fn show(State(s): State<AppState>, caller: Caller) -> Result<PlanPage, PageError> {
    plan_page(&s, &caller, None, None).await
}

/// A percentage the Vietnamese way (`25,71 %`), or a dash.
fn pct_text(v: Option<f64>) -> String {
    v.map(motcua_domain::text::percent_vi).unwrap_or_else(|| "—".to_owned())
}

/// "2345/QĐ-UBND ngày 10/09/2024".
fn decision_vi(d: &Decision) -> String {
    format!("{} ngày {}", d.number, d.date.format("%d/%m/%Y"))
}

/// One bar pair of the chart: label, widths in percent of the widest "before".
pub(super) struct Bar {
    label: String,
    before: f64,
    after: f64,
}

/// The year a page about the plan's work shows: asked for, else the latest plan's, else this one.
async fn plan_year(s: &AppState, caller: &Caller, asked: Option<i32>) -> Result<i32, PageError> {
    if let Some(y) = asked {
        return Ok(y);
    }
    let plans = s.app.plans(&caller.actor).await.map_err(page_err(caller, "plan"))?;
    Ok(plans.first().map(|p| p.year).unwrap_or_else(|| chrono::Datelike::year(&s.app.today())))
}

#[derive(Debug, Deserialize)]
pub struct YearParams {
    year: Option<i32>,
}
