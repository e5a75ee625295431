//! An agency's tasks with the monthly report form, and the office's overview of overdue
//! tasks and missing reports (page, PDF, CSV, XLSX).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::Query;
use motcua_app::AppError;
use motcua_app::plan::{AgencyTasks, PlanOverview, ProgressInput, TargetLine};
use motcua_domain::plan::ProgressStatus;
use serde::Deserialize;
use uuid::Uuid;

use super::*;
use crate::AppState;
use crate::auth::Caller;
use crate::error::PageError;
use crate::pages::table::{Cell, Sheet, Table};
use crate::pages::{Layout, page_err};

#[derive(Template, WebTemplate)]
#[template(path = "plan/tasks.html")]
pub struct TasksPage {
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

pub(super) async fn tasks_page(
    s: &AppState,
    caller: &Caller,
    error: Option<String>,
    saved: bool,
) -> Result<TasksPage, PageError> {
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
    settle(&caller, result, "/ke-hoach/nhiem-vu?da_luu=1", |m| tasks_page(&s, &caller, Some(m), false)).await
}

#[derive(Template, WebTemplate)]
#[template(path = "plan/overview.html")]
pub struct OverviewPage {
    layout: Layout,
    overview: PlanOverview,
}

impl OverviewPage {
    fn reported_vi(&self) -> Vec<(&'static str, usize)> {
        reported_vi(&self.overview)
    }

    fn pct(&self, v: &f64) -> String {
        pct_text(Some(*v))
    }
}

/// Reports of the month by status, in Vietnamese (page and PDF).
pub(super) fn reported_vi(o: &PlanOverview) -> Vec<(&'static str, usize)> {
    ProgressStatus::ALL.into_iter().filter_map(|st| o.reported.get(st.as_str()).map(|n| (st.label_vi(), *n))).collect()
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

/// The month's summary as a printable document: overdue tasks, agencies without a report.
/// "ít nhất 20% — Cắt giảm chi phí tuân thủ (đất đai)".
pub(crate) fn target_vi(t: &TargetLine) -> String {
    let metric = t.target.metric.map(|m| format!(" — {}", m.label_vi())).unwrap_or_default();
    let scope = t.target.scope.as_ref().map(|s| format!(" ({s})")).unwrap_or_default();
    format!("ít nhất {}%{metric}{scope}", t.target.value)
}

/// Whether a target is met today and from what, in Vietnamese (spreadsheet and PDF).
pub(crate) fn target_status_vi(t: &TargetLine) -> String {
    match (t.basis.as_deref(), t.met, t.live_pct) {
        (None, _, _) => "Tính khi có chỉ số Quyết định 766".to_owned(),
        (Some(b), Some(true), Some(v)) => format!("{} đạt — {b}", pct_text(Some(v))),
        (Some(b), Some(false), Some(v)) => format!("{} chưa đạt — {b}", pct_text(Some(v))),
        (Some(b), _, _) => format!("chưa có số liệu — {b}"),
    }
}

pub(super) fn overview_doc(o: &PlanOverview, owner: &str, today: chrono::NaiveDate) -> motcua_print::Doc {
    use motcua_print::{Block, Column, Doc, Paper, Span};
    let month = o.month.split_once('-').map(|(y, m)| format!("{m}/{y}")).unwrap_or_else(|| o.month.clone());
    let reported: Vec<String> = reported_vi(o).into_iter().map(|(label, n)| format!("{label}: {n}")).collect();
    let col = |title: &str, share: f32| Column { title: title.to_owned(), share };
    Doc {
        paper: Paper::A4,
        number: String::new(),
        set_label: String::new(),
        issuer: vec![owner.to_uppercase()],
        title: "BÁO CÁO TÌNH HÌNH THỰC HIỆN KẾ HOẠCH KIỂM SOÁT THỦ TỤC HÀNH CHÍNH".to_owned(),
        subtitle: Some(format!("Tháng {month}")),
        blocks: vec![
            Block::Para(vec![
                Span::bold("Báo cáo trong tháng: "),
                Span::plain(if reported.is_empty() { "chưa có".to_owned() } else { reported.join("; ") }),
            ]),
            Block::Para(vec![Span::bold(format!("1. Nhiệm vụ quá hạn ({})", o.overdue.len()))]),
            Block::Table {
                columns: vec![col("Nhiệm vụ", 0.55), col("Thời hạn", 0.25), col("Chưa hoàn thành", 0.2)],
                rows: o
                    .overdue
                    .iter()
                    .map(|t| {
                        vec![
                            format!("{} {}", t.key, t.title.lines().next().unwrap_or("")),
                            t.deadline.text.clone(),
                            format!("{}/{}", t.not_done.len(), t.leads),
                        ]
                    })
                    .collect(),
            },
            Block::Para(vec![Span::bold(format!("2. Cơ quan chưa báo cáo tháng {month} ({})", o.missing.len()))]),
            Block::Table {
                columns: vec![col("Cơ quan", 0.4), col("Nhiệm vụ chưa báo cáo", 0.6)],
                rows: o.missing.iter().map(|m| vec![m.name.clone(), m.tasks.join(", ")]).collect(),
            },
            Block::Para(vec![Span::bold(format!("3. Chỉ tiêu của kế hoạch ({})", o.targets.len()))]),
            Block::Table {
                columns: vec![col("Nhiệm vụ", 0.1), col("Chỉ tiêu", 0.45), col("Hiện nay", 0.45)],
                rows: o.targets.iter().map(|t| vec![t.task.clone(), target_vi(t), target_status_vi(t)]).collect(),
            },
        ],
        signatures: Vec::new(),
        qr: None,
        footnote: Some(format!("Lập ngày {} trên hệ thống một cửa.", today.format("%d/%m/%Y"))),
    }
}

/// `GET /ke-hoach/tong-hop.pdf?month=`: the month's summary as PDF.
pub async fn overview_pdf(
    State(s): State<AppState>,
    caller: Caller,
    q: Result<Query<MonthParams>, axum_extra::extract::QueryRejection>,
) -> Result<Response, PageError> {
    let month = q.ok().and_then(|Query(p)| p.month);
    let o = s.app.plan_overview(&caller.actor, None, month.as_deref()).await.map_err(page_err(&caller, "plan"))?;
    let plan = s.app.plan(&caller.actor, Some(o.plan_id)).await.map_err(page_err(&caller, "plan"))?;
    let owner = s.app.agency_name(&plan.plan.owner).await.map_err(page_err(&caller, "plan"))?;
    let doc = overview_doc(&o, &owner, s.app.today());
    let title = format!("Báo cáo kế hoạch tháng {}", o.month);
    let bytes = tokio::task::spawn_blocking(move || motcua_print::pdf::render(&doc, &title))
        .await
        .map_err(|e| page_err(&caller, "plan")(AppError::Internal(e.to_string())))?
        .map_err(|e| page_err(&caller, "plan")(AppError::Internal(e.to_string())))?;
    let name = format!("attachment; filename=\"bao-cao-ke-hoach-{}.pdf\"", o.month);
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "application/pdf".to_owned()),
            (axum::http::header::CONTENT_DISPOSITION, name),
        ],
        bytes,
    )
        .into_response())
}

/// The month's summary for a spreadsheet: overdue tasks, missing reports, the plan's targets.
pub(super) fn overview_table(o: &PlanOverview) -> Table {
    let mut rows = Vec::new();
    for t in &o.overdue {
        rows.push(vec![
            Cell::text("Quá hạn"),
            Cell::text(format!("{} {}", t.key, t.title.lines().next().unwrap_or(""))),
            Cell::text(t.deadline.text.as_str()),
            Cell::text(format!("chưa hoàn thành {}/{}: {}", t.not_done.len(), t.leads, t.not_done.join("; "))),
            Cell::Empty,
        ]);
    }
    for m in &o.missing {
        rows.push(vec![
            Cell::text(format!("Chưa báo cáo {}", o.month)),
            Cell::text(m.name.as_str()),
            Cell::Empty,
            Cell::text(m.tasks.join(", ")),
            Cell::Empty,
        ]);
    }
    for t in &o.targets {
        rows.push(vec![
            Cell::text("Chỉ tiêu"),
            Cell::text(format!("{} {}", t.task, target_vi(t))),
            Cell::Empty,
            Cell::text(target_status_vi(t)),
            Cell::pct(t.live_pct),
        ]);
    }
    Table {
        sheet: "Tổng hợp",
        file_stem: format!("bao-cao-ke-hoach-{}", o.month),
        headers: vec!["Loại", "Nhiệm vụ / cơ quan", "Thời hạn", "Chi tiết", "Hiện nay (%)"],
        rows,
    }
}

pub(super) async fn overview_sheet(
    s: &AppState,
    caller: &Caller,
    q: Result<Query<MonthParams>, axum_extra::extract::QueryRejection>,
    as_: Sheet,
) -> Result<Response, PageError> {
    let month = q.ok().and_then(|Query(p)| p.month);
    let o = s.app.plan_overview(&caller.actor, None, month.as_deref()).await.map_err(page_err(caller, "plan"))?;
    overview_table(&o).response(as_).map_err(page_err(caller, "plan"))
}

/// `GET /ke-hoach/tong-hop.csv?month=`
pub async fn overview_csv(
    State(s): State<AppState>,
    caller: Caller,
    q: Result<Query<MonthParams>, axum_extra::extract::QueryRejection>,
) -> Result<Response, PageError> {
    overview_sheet(&s, &caller, q, Sheet::Csv).await
}

/// `GET /ke-hoach/tong-hop.xlsx?month=`
pub async fn overview_xlsx(
    State(s): State<AppState>,
    caller: Caller,
    q: Result<Query<MonthParams>, axum_extra::extract::QueryRejection>,
) -> Result<Response, PageError> {
    overview_sheet(&s, &caller, q, Sheet::Xlsx).await
}
