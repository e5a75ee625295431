//! `/ke-hoach`: the province's plan — the plan itself (and its import, for the provincial
//! office), an agency's tasks with the monthly report form, and the office's overview of
//! overdue tasks and missing reports.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Query;
use motcua_app::AppError;
use motcua_app::plan::{AgencyTasks, PlanImportAnswer, PlanOverview, ProgressInput};
use motcua_domain::plan::ProgressStatus;
use motcua_storage::StoredPlan;
use serde::Deserialize;
use uuid::Uuid;

use super::{Layout, page_err};
use crate::AppState;
use crate::auth::Caller;
use crate::error::PageError;

#[derive(Template, WebTemplate)]
#[template(path = "plan/show.html")]
pub(super) struct PlanPage {
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

/// `POST /ke-hoach/nhap`: the plan document as a file (multipart field `file`).
pub async fn import(
    State(s): State<AppState>,
    caller: Caller,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    let text = match multipart {
        Ok(mut m) => {
            let mut text = None;
            while let Ok(Some(field)) = m.next_field().await {
                if field.name() == Some("file") {
                    text = Some(
                        field.bytes().await.map_err(|e| AppError::invalid("invalid_multipart", "file", e.body_text())),
                    );
                }
            }
            match text {
                Some(Ok(bytes)) => String::from_utf8(bytes.to_vec())
                    .map_err(|_| AppError::invalid("plan_shape", "file", "Tệp kế hoạch phải là văn bản UTF-8")),
                Some(Err(e)) => Err(e),
                None => Err(AppError::invalid("required", "file", "Chọn tệp kế hoạch")),
            }
        }
        Err(e) => Err(AppError::invalid("invalid_multipart", "body", e.body_text())),
    };
    match text {
        Ok(t) => match s.app.import_plan(&caller.actor, &t).await {
            Ok(a) => Ok(plan_page(&s, &caller, Some(a), None).await?.into_response()),
            Err(e @ AppError::Invalid(_)) => {
                let page = plan_page(&s, &caller, None, Some(e.body().message)).await?;
                Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
            }
            Err(e) => Err(page_err(&caller, "plan")(e)),
        },
        Err(e) => {
            let page = plan_page(&s, &caller, None, Some(e.body().message)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "plan/tasks.html")]
pub(super) struct TasksPage {
    layout: Layout,
    tasks: AgencyTasks,
    month: String,
    error: Option<String>,
    saved: bool,
}

impl TasksPage {
    fn statuses(&self) -> [ProgressStatus; 4] {
        ProgressStatus::ALL
    }
}

async fn tasks_page(s: &AppState, caller: &Caller, error: Option<String>, saved: bool) -> Result<TasksPage, PageError> {
    let tasks = s.app.my_plan_tasks(&caller.actor, None).await.map_err(page_err(caller, "plan"))?;
    let month = motcua_domain::plan::month_of(s.app.today());
    Ok(TasksPage { layout: Layout::of(&caller.actor, "plan"), tasks, month, error, saved })
}

#[derive(Debug, Deserialize)]
pub struct SavedParams {
    #[serde(default)]
    da_luu: Option<String>,
}

pub async fn tasks(
    State(s): State<AppState>,
    caller: Caller,
    q: Result<Query<SavedParams>, axum_extra::extract::QueryRejection>,
) -> Result<TasksPage, PageError> {
    let saved = q.ok().is_some_and(|Query(p)| p.da_luu.is_some());
    tasks_page(&s, &caller, None, saved).await
}

#[derive(Debug, Deserialize)]
pub struct ReportForm {
    plan: Uuid,
    month: String,
    status: String,
    percent: String,
    #[serde(default)]
    note: String,
}

/// `POST /ke-hoach/nhiem-vu/{task}/bao-cao`
pub async fn report(
    State(s): State<AppState>,
    caller: Caller,
    Path(task): Path<Uuid>,
    axum::Form(f): axum::Form<ReportForm>,
) -> Result<Response, PageError> {
    let percent = f.percent.trim().trim_end_matches('%').parse::<u8>();
    let result = match percent {
        Ok(percent) => {
            let input = ProgressInput { month: Some(f.month), status: f.status, percent, note: f.note };
            s.app.report_progress(&caller.actor, f.plan, task, &input).await.map(|_| ())
        }
        Err(_) => Err(AppError::invalid("invalid_percent", "percent", "Tỷ lệ hoàn thành từ 0 đến 100")),
    };
    match result {
        Ok(()) => Ok(Redirect::to("/ke-hoach/nhiem-vu?da_luu=1").into_response()),
        Err(e @ AppError::Invalid(_)) => {
            let page = tasks_page(&s, &caller, Some(e.body().message), false).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(page_err(&caller, "plan")(e)),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "plan/overview.html")]
pub(super) struct OverviewPage {
    layout: Layout,
    overview: PlanOverview,
}

impl OverviewPage {
    /// Reports of the month by status, in Vietnamese.
    fn reported_vi(&self) -> Vec<(&'static str, usize)> {
        ProgressStatus::ALL
            .into_iter()
            .filter_map(|st| self.overview.reported.get(st.as_str()).map(|n| (st.label_vi(), *n)))
            .collect()
    }
}

#[derive(Debug, Deserialize)]
pub struct MonthParams {
    month: Option<String>,
}

pub async fn overview(
    State(s): State<AppState>,
    caller: Caller,
    q: Result<Query<MonthParams>, axum_extra::extract::QueryRejection>,
) -> Result<OverviewPage, PageError> {
    let month = q.ok().and_then(|Query(p)| p.month);
    let overview =
        s.app.plan_overview(&caller.actor, None, month.as_deref()).await.map_err(page_err(&caller, "plan"))?;
    Ok(OverviewPage { layout: Layout::of(&caller.actor, "plan"), overview })
}
