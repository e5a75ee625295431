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
use motcua_app::assessments::{AssessmentInput, AssessmentReport};
use motcua_app::plan::{
    AgencyTasks, CostReport, CostingInput, InspectionSchedule, PlanImportAnswer, PlanOverview, ProgressInput,
    TargetLine,
};
use motcua_domain::plan::ProgressStatus;
use motcua_domain::plan::assessment::Conclusion;
use motcua_domain::plan::cost::{CostSheet, Decision, ReviewStatus};
use motcua_domain::plan::inspection::InspectionRecord;
use motcua_storage::StoredPlan;
use serde::Deserialize;
use uuid::Uuid;

use super::table::{Cell, Sheet, Table};
use super::{Layout, page_err};
use crate::AppState;
use crate::auth::Caller;
use crate::error::PageError;

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
                    text = Some(field.bytes().await.map_err(crate::http::files::bad_multipart));
                }
            }
            match text {
                Some(Ok(bytes)) => String::from_utf8(bytes.to_vec())
                    .map_err(|_| AppError::invalid("plan_shape", "file", "Tệp kế hoạch phải là văn bản UTF-8")),
                Some(Err(e)) => Err(e),
                None => Err(AppError::invalid("required", "file", "Chọn tệp kế hoạch")),
            }
        }
        Err(e) => Err(crate::http::files::not_multipart(e)),
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
    settle(&caller, result, "/ke-hoach/nhiem-vu?da_luu=1", |m| tasks_page(&s, &caller, Some(m), false)).await
}

#[derive(Template, WebTemplate)]
#[template(path = "plan/overview.html")]
pub(super) struct OverviewPage {
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

/// A percentage with two decimals, or a dash.
fn pct_text(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.2}%")).unwrap_or_else(|| "—".to_owned())
}

/// Reports of the month by status, in Vietnamese (page and PDF).
fn reported_vi(o: &PlanOverview) -> Vec<(&'static str, usize)> {
    ProgressStatus::ALL.into_iter().filter_map(|st| o.reported.get(st.as_str()).map(|n| (st.label_vi(), *n))).collect()
}

/// "2345/QĐ-UBND ngày 10/09/2024".
fn decision_vi(d: &Decision) -> String {
    format!("{} ngày {}", d.number, d.date.format("%d/%m/%Y"))
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

#[derive(Template, WebTemplate)]
#[template(path = "plan/costs.html")]
pub(super) struct CostsPage {
    layout: Layout,
    report: CostReport,
    error: Option<String>,
}

/// One bar pair of the chart: label, widths in percent of the widest "before".
pub(super) struct Bar {
    label: String,
    before: f64,
    after: f64,
}

impl CostsPage {
    fn decision_vi(&self, d: &Decision) -> String {
        decision_vi(d)
    }

    fn statuses(&self) -> [ReviewStatus; 3] {
        ReviewStatus::ALL
    }

    fn money(&self, v: &f64) -> String {
        motcua_domain::text::vnd(v.max(0.0).round() as u64)
    }

    fn pct(&self, v: &Option<f64>) -> String {
        pct_text(*v)
    }

    fn bars(&self) -> Vec<Bar> {
        let max = self.report.lines.iter().map(|l| l.before_year_vnd).fold(0.0_f64, f64::max);
        self.report
            .lines
            .iter()
            .map(|l| Bar {
                label: format!("{} {}", l.costing.procedure, l.costing.name),
                before: if max > 0.0 { l.before_year_vnd / max * 100.0 } else { 0.0 },
                after: if max > 0.0 { l.after_year_vnd.unwrap_or(l.before_year_vnd) / max * 100.0 } else { 0.0 },
            })
            .collect()
    }
}

async fn costs_page(s: &AppState, caller: &Caller, error: Option<String>) -> Result<CostsPage, PageError> {
    let report = s.app.cost_report(&caller.actor, None).await.map_err(page_err(caller, "plan"))?;
    Ok(CostsPage { layout: Layout::of(&caller.actor, "plan"), report, error })
}

pub async fn costs(State(s): State<AppState>, caller: Caller) -> Result<CostsPage, PageError> {
    costs_page(&s, &caller, None).await
}

#[derive(Debug, Deserialize)]
pub struct CostForm {
    plan: Uuid,
    procedure: String,
    name: String,
    hourly_income_vnd: String,
    income_year: String,
    subjects_per_year: String,
    #[serde(default)]
    times_per_year: String,
    before_activities: String,
    #[serde(default)]
    before_fees_vnd: String,
    #[serde(default)]
    before_other_vnd: String,
    #[serde(default)]
    after_activities: String,
    #[serde(default)]
    after_fees_vnd: String,
    #[serde(default)]
    after_other_vnd: String,
    #[serde(default)]
    note: String,
    /// `reviewed` / `proposed` / `approved`; empty: from whether an "after" sheet is given.
    #[serde(default)]
    status: String,
    #[serde(default)]
    decision_number: String,
    /// `YYYY-MM-DD` (a date input).
    #[serde(default)]
    decision_date: String,
}

/// "Chuẩn bị tờ khai; 2" per line → activities.
fn activities(text: &str, field: &str) -> Result<Vec<motcua_domain::plan::cost::Activity>, AppError> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (name, hours) = l.rsplit_once([';', '\t']).ok_or_else(|| {
                AppError::invalid("invalid_cost_sheet", field, format!("Dòng «{l}»: ghi «tên hoạt động; số giờ»"))
            })?;
            let hours = hours.trim().replace(',', ".").parse::<f64>().map_err(|_| {
                AppError::invalid("invalid_cost_sheet", field, format!("Dòng «{l}»: số giờ không hợp lệ"))
            })?;
            Ok(motcua_domain::plan::cost::Activity { name: name.trim().to_owned(), hours })
        })
        .collect()
}

fn number<T: std::str::FromStr>(s: &str, field: &str, default: Option<T>) -> Result<T, AppError> {
    let t = s.trim().replace(['.', ' '], "");
    if t.is_empty()
        && let Some(d) = default
    {
        return Ok(d);
    }
    t.parse().map_err(|_| AppError::invalid("invalid_number", field, format!("«{s}» không phải là số")))
}

impl CostForm {
    fn input(&self) -> Result<CostingInput, AppError> {
        let rate = number(&self.hourly_income_vnd, "hourly_income_vnd", None)?;
        let year = number(&self.income_year, "income_year", None)?;
        let subjects = number(&self.subjects_per_year, "subjects_per_year", None)?;
        let times: f64 = number(&self.times_per_year.replace(',', "."), "times_per_year", Some(1.0))?;
        let sheet = |acts: Vec<motcua_domain::plan::cost::Activity>, fees: &str, other: &str, f: &str| {
            Ok::<_, AppError>(CostSheet {
                activities: acts,
                hourly_income_vnd: rate,
                income_year: year,
                fees_vnd: number(fees, &format!("{f}_fees_vnd"), Some(0))?,
                outsourced_vnd: 0,
                other_vnd: number(other, &format!("{f}_other_vnd"), Some(0))?,
                subjects_per_year: subjects,
                times_per_year: times,
            })
        };
        let before = sheet(
            activities(&self.before_activities, "before_activities")?,
            &self.before_fees_vnd,
            &self.before_other_vnd,
            "before",
        )?;
        let after_acts = activities(&self.after_activities, "after_activities")?;
        let after = match after_acts.is_empty() {
            true => None,
            false => Some(sheet(after_acts, &self.after_fees_vnd, &self.after_other_vnd, "after")?),
        };
        let status = match self.status.trim() {
            "" => None,
            st => Some(ReviewStatus::parse(st).ok_or_else(|| {
                AppError::invalid("invalid_review", "status", format!("Không có tình trạng rà soát «{st}»"))
            })?),
        };
        let decision = match (self.decision_number.trim(), date_field(&self.decision_date, "decision.date")?) {
            ("", None) => None,
            (number, Some(date)) => Some(Decision { number: number.to_owned(), date }),
            (_, None) => {
                return Err(AppError::invalid("required", "decision.date", "Nêu ngày quyết định phê duyệt"));
            }
        };
        Ok(CostingInput { name: self.name.clone(), status, before, after, note: self.note.clone(), decision })
    }
}

/// `POST /ke-hoach/chi-phi`
pub async fn save_cost(
    State(s): State<AppState>,
    caller: Caller,
    axum::Form(f): axum::Form<CostForm>,
) -> Result<Response, PageError> {
    let result = match f.input() {
        Ok(input) => s.app.put_costing(&caller.actor, f.plan, &f.procedure, input).await.map(|_| ()),
        Err(e) => Err(e),
    };
    settle(&caller, result, "/ke-hoach/chi-phi", |m| costs_page(&s, &caller, Some(m))).await
}

/// The compliance-cost table for a spreadsheet.
fn costs_table(r: &CostReport) -> Table {
    let mut rows: Vec<Vec<Cell>> = r
        .lines
        .iter()
        .map(|l| {
            vec![
                Cell::text(l.costing.procedure.as_str()),
                Cell::text(l.costing.name.as_str()),
                Cell::text(l.costing.status.label_vi()),
                Cell::vnd(Some(l.before_once_vnd)),
                Cell::vnd(Some(l.before_year_vnd)),
                Cell::vnd(l.after_once_vnd),
                Cell::vnd(l.after_year_vnd),
                Cell::pct(l.reduction_pct),
                Cell::text(l.costing.note.as_str()),
                l.costing.decision.as_ref().map_or(Cell::Empty, |d| Cell::text(decision_vi(d))),
            ]
        })
        .collect();
    rows.push(vec![
        Cell::Empty,
        Cell::text("Tổng cộng"),
        Cell::Empty,
        Cell::Empty,
        Cell::vnd(Some(r.totals.before_year_vnd)),
        Cell::Empty,
        Cell::vnd(Some(r.totals.after_year_vnd)),
        Cell::pct(r.totals.reduction_pct),
        Cell::Empty,
        Cell::Empty,
    ]);
    Table {
        sheet: "Chi phí tuân thủ",
        file_stem: "chi-phi-tuan-thu".into(),
        headers: vec![
            "Mã thủ tục",
            "Tên thủ tục",
            "Tình trạng rà soát",
            "Chi phí/hồ sơ trước",
            "Chi phí/năm trước",
            "Chi phí/hồ sơ sau",
            "Chi phí/năm sau",
            "Tỷ lệ cắt giảm (%)",
            "Phương án",
            "Quyết định phê duyệt",
        ],
        rows,
    }
}

/// `GET /ke-hoach/chi-phi.csv` and `.xlsx`: the table for a spreadsheet.
async fn costs_sheet(s: &AppState, caller: &Caller, as_: Sheet) -> Result<Response, PageError> {
    let r = s.app.cost_report(&caller.actor, None).await.map_err(page_err(caller, "plan"))?;
    costs_table(&r).response(as_).map_err(page_err(caller, "plan"))
}

pub async fn costs_csv(State(s): State<AppState>, caller: Caller) -> Result<Response, PageError> {
    costs_sheet(&s, &caller, Sheet::Csv).await
}

pub async fn costs_xlsx(State(s): State<AppState>, caller: Caller) -> Result<Response, PageError> {
    costs_sheet(&s, &caller, Sheet::Xlsx).await
}

#[derive(Template, WebTemplate)]
#[template(path = "plan/inspections.html")]
pub(super) struct InspectionsPage {
    layout: Layout,
    schedule: InspectionSchedule,
    error: Option<String>,
}

async fn inspections_page(s: &AppState, caller: &Caller, error: Option<String>) -> Result<InspectionsPage, PageError> {
    let schedule = s.app.inspections(&caller.actor, None).await.map_err(page_err(caller, "plan"))?;
    Ok(InspectionsPage { layout: Layout::of(&caller.actor, "plan"), schedule, error })
}

pub async fn inspections(State(s): State<AppState>, caller: Caller) -> Result<InspectionsPage, PageError> {
    inspections_page(&s, &caller, None).await
}

#[derive(Debug, Deserialize)]
pub struct InspectionForm {
    plan: Uuid,
    inspection: Uuid,
    status: String,
    #[serde(default)]
    planned_from: String,
    #[serde(default)]
    planned_to: String,
    #[serde(default)]
    team: String,
    #[serde(default)]
    findings: String,
    #[serde(default)]
    conclusion: String,
    /// One per line: "action; due YYYY-MM-DD; done YYYY-MM-DD" (due and done optional).
    #[serde(default)]
    follow_ups: String,
}

fn date_field(s: &str, field: &str) -> Result<Option<chrono::NaiveDate>, AppError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| AppError::invalid("invalid_date", field, format!("Ngày «{s}» không hợp lệ (YYYY-MM-DD)")))
}

impl InspectionForm {
    fn record(&self) -> Result<InspectionRecord, AppError> {
        use motcua_domain::plan::inspection::{FollowUp, InspectionStatus};
        let status = match self.status.as_str() {
            "planned" => InspectionStatus::Planned,
            "done" => InspectionStatus::Done,
            "cancelled" => InspectionStatus::Cancelled,
            other => {
                return Err(AppError::invalid(
                    "invalid_status",
                    "status",
                    format!("Tình trạng «{other}» không hợp lệ"),
                ));
            }
        };
        let mut follow_ups = Vec::new();
        for line in self.follow_ups.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let mut parts = line.split(';').map(str::trim);
            let action = parts.next().unwrap_or_default().to_owned();
            let due = date_field(parts.next().unwrap_or(""), "follow_ups")?;
            let done_on = date_field(parts.next().unwrap_or(""), "follow_ups")?;
            follow_ups.push(FollowUp { action, due, done_on, from_conclusion: None });
        }
        Ok(InspectionRecord {
            status,
            planned_from: date_field(&self.planned_from, "planned_from")?,
            planned_to: date_field(&self.planned_to, "planned_to")?,
            team: self.team.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect(),
            findings: self.findings.trim().to_owned(),
            conclusion: self.conclusion.trim().to_owned(),
            follow_ups,
        })
    }
}

/// `POST /ke-hoach/kiem-tra`
pub async fn save_inspection(
    State(s): State<AppState>,
    caller: Caller,
    axum::Form(f): axum::Form<InspectionForm>,
) -> Result<Response, PageError> {
    let result = match f.record() {
        Ok(r) => s.app.put_inspection_record(&caller.actor, f.plan, f.inspection, r).await.map(|_| ()),
        Err(e) => Err(e),
    };
    settle(&caller, result, "/ke-hoach/kiem-tra", |m| inspections_page(&s, &caller, Some(m))).await
}

/// The month's summary as a printable document: overdue tasks, agencies without a report.
/// "ít nhất 20% — Cắt giảm chi phí tuân thủ (đất đai)".
fn target_vi(t: &TargetLine) -> String {
    let metric = t.target.metric.map(|m| format!(" — {}", m.label_vi())).unwrap_or_default();
    let scope = t.target.scope.as_ref().map(|s| format!(" ({s})")).unwrap_or_default();
    format!("ít nhất {}%{metric}{scope}", t.target.value)
}

/// Whether a target is met today and from what, in Vietnamese (spreadsheet and PDF).
fn target_status_vi(t: &TargetLine) -> String {
    match (t.basis.as_deref(), t.met, t.live_pct) {
        (None, _, _) => "Tính khi có chỉ số Quyết định 766".to_owned(),
        (Some(b), Some(true), Some(v)) => format!("{} đạt — {b}", pct_text(Some(v))),
        (Some(b), Some(false), Some(v)) => format!("{} chưa đạt — {b}", pct_text(Some(v))),
        (Some(b), _, _) => format!("chưa có số liệu — {b}"),
    }
}

fn overview_doc(o: &PlanOverview, owner: &str, today: chrono::NaiveDate) -> motcua_print::Doc {
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
fn overview_table(o: &PlanOverview) -> Table {
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

async fn overview_sheet(
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

#[derive(Template, WebTemplate)]
#[template(path = "plan/publication.html")]
pub(super) struct PublicationPage {
    layout: Layout,
    report: motcua_app::plan::PublicationReport,
}

impl PublicationPage {
    fn pct(&self) -> String {
        pct_text(self.report.ratio_pct)
    }
    fn publicised_pct(&self) -> String {
        pct_text(self.report.publicised_ratio_pct)
    }
}

#[derive(Debug, Deserialize)]
pub struct YearParams {
    year: Option<i32>,
}

/// `GET /ke-hoach/cong-bo?year=`: procedures published on time (Decision 766 metric 1.1).
pub async fn publication(
    State(s): State<AppState>,
    caller: Caller,
    q: Result<Query<YearParams>, axum_extra::extract::QueryRejection>,
) -> Result<PublicationPage, PageError> {
    let year = q.ok().and_then(|Query(p)| p.year).unwrap_or_else(|| chrono::Datelike::year(&s.app.today()));
    let report = s.app.publication_timeliness(&caller.actor, year).await.map_err(page_err(&caller, "plan"))?;
    Ok(PublicationPage { layout: Layout::of(&caller.actor, "plan"), report })
}

#[derive(Debug, Deserialize)]
pub struct PlanQuery {
    plan: Uuid,
}

/// `POST /ke-hoach/nhiem-vu/{task}/tep?plan=`: attach a document to the report (multipart).
pub async fn attach(
    State(s): State<AppState>,
    caller: Caller,
    Path(task): Path<Uuid>,
    q: Result<Query<PlanQuery>, axum_extra::extract::QueryRejection>,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    let result = async {
        let Query(q) = q.map_err(|_| AppError::invalid("invalid_query", "plan", "Thiếu mã kế hoạch"))?;
        let m = multipart.map_err(crate::http::files::not_multipart)?;
        let input = crate::http::files::read_report_upload(m).await?;
        s.app.attach_report_file(&caller.actor, q.plan, task, input).await.map(|_| ())
    }
    .await;
    settle(&caller, result, "/ke-hoach/nhiem-vu?da_luu=1", |m| tasks_page(&s, &caller, Some(m), false)).await
}

/// `GET /ke-hoach/tep/{plan}/{file}`: a document of a report.
pub async fn download(
    State(s): State<AppState>,
    caller: Caller,
    Path((plan, file)): Path<(Uuid, Uuid)>,
) -> Result<Response, PageError> {
    let (f, bytes) = s.app.report_file(&caller.actor, plan, file).await.map_err(page_err(&caller, "plan"))?;
    Ok(crate::http::files::stored_file_response(&f.file, bytes))
}

#[derive(Template, WebTemplate)]
#[template(path = "plan/assessments.html")]
pub(super) struct AssessmentsPage {
    layout: Layout,
    report: AssessmentReport,
    error: Option<String>,
}

impl AssessmentsPage {
    fn pct(&self) -> String {
        pct_text(self.report.assessed_pct)
    }

    fn money(&self, v: &u64) -> String {
        motcua_domain::text::vnd(*v)
    }

    fn conclusions(&self) -> [Conclusion; 2] {
        Conclusion::ALL
    }
}

/// The year a page about the plan's work shows: asked for, else the latest plan's, else this one.
async fn plan_year(s: &AppState, caller: &Caller, asked: Option<i32>) -> Result<i32, PageError> {
    if let Some(y) = asked {
        return Ok(y);
    }
    let plans = s.app.plans(&caller.actor).await.map_err(page_err(caller, "plan"))?;
    Ok(plans.first().map(|p| p.year).unwrap_or_else(|| chrono::Datelike::year(&s.app.today())))
}

async fn assessments_page(
    s: &AppState,
    caller: &Caller,
    year: Option<i32>,
    error: Option<String>,
) -> Result<AssessmentsPage, PageError> {
    let year = plan_year(s, caller, year).await?;
    let report = s.app.impact_assessment_report(&caller.actor, year).await.map_err(page_err(caller, "plan"))?;
    Ok(AssessmentsPage { layout: Layout::of(&caller.actor, "plan"), report, error })
}

/// `GET /ke-hoach/danh-gia-tac-dong?year=`
pub async fn assessments(
    State(s): State<AppState>,
    caller: Caller,
    q: Result<Query<YearParams>, axum_extra::extract::QueryRejection>,
) -> Result<AssessmentsPage, PageError> {
    assessments_page(&s, &caller, q.ok().and_then(|Query(p)| p.year), None).await
}

/// `POST /ke-hoach/danh-gia-tac-dong` (multipart): the assessment, then its form if one is sent.
pub async fn save_assessment(
    State(s): State<AppState>,
    caller: Caller,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    let result = async {
        let mut m = multipart.map_err(crate::http::files::not_multipart)?;
        let bad = crate::http::files::bad_multipart;
        let mut fields = std::collections::HashMap::new();
        let mut file = None;
        while let Some(field) = m.next_field().await.map_err(bad)? {
            let name = field.name().unwrap_or("").to_owned();
            if name == "file" {
                let file_name = field.file_name().unwrap_or("").to_owned();
                let bytes = field.bytes().await.map_err(bad)?;
                file = (!bytes.is_empty()).then_some((file_name, bytes));
            } else {
                fields.insert(name, field.text().await.map_err(bad)?);
            }
        }
        let text = |k: &str| fields.get(k).map(|v| v.trim().to_owned()).unwrap_or_default();
        let version: u32 = number(&text("version"), "version", None)?;
        let cost = text("cost_year_vnd");
        let input = AssessmentInput {
            agency: text("agency"),
            assessed_on: date_field(&text("assessed_on"), "assessed_on")?
                .ok_or_else(|| AppError::invalid("required", "assessed_on", "Nêu ngày đánh giá"))?,
            necessity: text("necessity"),
            reasonableness: text("reasonableness"),
            legality: text("legality"),
            cost_year_vnd: (!cost.is_empty()).then(|| number(&cost, "cost_year_vnd", None)).transpose()?,
            conclusion: Conclusion::parse(&text("conclusion"))
                .ok_or_else(|| AppError::invalid("invalid_assessment", "conclusion", "Chọn kết luận đánh giá"))?,
            opinion: text("opinion"),
        };
        let procedure = text("procedure");
        s.app.put_impact_assessment(&caller.actor, &procedure, version, input).await?;
        if let Some((file_name, bytes)) = file {
            s.app.attach_assessment_document(&caller.actor, &procedure, version, &file_name, bytes).await?;
        }
        Ok(())
    }
    .await;
    settle(&caller, result, "/ke-hoach/danh-gia-tac-dong", |m| assessments_page(&s, &caller, None, Some(m))).await
}

/// `GET /ke-hoach/danh-gia-tac-dong/{code}/{version}/phieu`: the signed assessment form.
pub async fn assessment_document(
    State(s): State<AppState>,
    caller: Caller,
    Path((code, version)): Path<(String, u32)>,
) -> Result<Response, PageError> {
    let (f, bytes) =
        s.app.assessment_document(&caller.actor, &code, version).await.map_err(page_err(&caller, "plan"))?;
    Ok(crate::http::files::stored_file_response(&f, bytes))
}
