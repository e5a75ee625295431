//! The monthly public report: `/bao-cao` (the months published), `/bao-cao/{YYYY-MM}` (the index,
//! the plan's targets it measures, a chart of the groups) and its downloads
//! `/bao-cao/{YYYY-MM}/{xlsx|csv|pdf}`.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use motcua_app::AppError;
use motcua_app::report::MonthlyReport;
use motcua_domain::calendar::deadline::{Instant, at_vi};
use motcua_domain::index::group_vi;

use super::plan::{target_status_vi, target_vi};
use super::table::{Cell, Sheet, Table};
use super::{Layout, PageError, page_err};
use crate::AppState;
use crate::auth::Caller;

#[derive(Template, WebTemplate)]
#[template(path = "reports/monthly.html")]
pub(super) struct MonthlyPage {
    layout: Layout,
    r: MonthlyReport,
}

impl MonthlyPage {
    fn when(&self, t: &Instant) -> String {
        at_vi(*t)
    }
    fn group_name(&self, code: &u8) -> &'static str {
        group_vi(*code)
    }
    fn points(&self, v: &f64) -> String {
        motcua_domain::text::decimal_vi(*v)
    }
    fn target(&self, t: &motcua_app::plan::TargetLine) -> String {
        target_vi(t)
    }
    fn status(&self, t: &motcua_app::plan::TargetLine) -> String {
        target_status_vi(t)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "reports/months.html")]
pub(super) struct MonthsPage {
    layout: Layout,
    months: Vec<(String, Instant)>,
}

impl MonthsPage {
    fn when(&self, t: &Instant) -> String {
        at_vi(*t)
    }
}

pub async fn months(State(s): State<AppState>, caller: Caller) -> Result<Response, PageError> {
    let months = s.app.published_months().await.map_err(page_err(&caller, "index"))?;
    Ok(MonthsPage { layout: Layout::of(&caller.actor, "index"), months }.into_response())
}

pub async fn month(
    State(s): State<AppState>,
    caller: Caller,
    Path(period): Path<String>,
) -> Result<Response, PageError> {
    let r = s.app.monthly_report(&period).await.map_err(page_err(&caller, "index"))?;
    Ok(MonthlyPage { layout: Layout::of(&caller.actor, "index"), r }.into_response())
}

/// The report as one table: each metric, the total, the plan's targets, satisfaction by field.
fn table(r: &MonthlyReport) -> Table {
    let pct = |v: Option<f64>| Cell::pct(v.map(|x| x * 100.0));
    let mut rows = Vec::new();
    for g in &r.index.score.groups {
        for m in &g.metrics {
            let (number, name) = m.code.label_vi();
            rows.push(vec![
                Cell::text(format!("{}. {}", g.code, group_vi(g.code))),
                Cell::text(format!("{number} {name}")),
                Cell::Number(m.numerator as f64, 0),
                Cell::Number(m.denominator as f64, 0),
                pct(m.ratio),
                Cell::Number(m.points, 2),
                Cell::Number(m.max, 2),
            ]);
        }
    }
    rows.push(vec![
        Cell::text("Tổng"),
        Cell::text("Chỉ số phục vụ người dân, doanh nghiệp"),
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Number(r.index.score.total, 2),
        Cell::Number(100.0, 2),
    ]);
    for t in &r.targets {
        rows.push(vec![
            Cell::text(format!("Chỉ tiêu kế hoạch {}", t.task)),
            Cell::text(format!("{} — {}", target_vi(t), target_status_vi(t))),
            Cell::Empty,
            Cell::Empty,
            Cell::pct(t.live_pct),
            Cell::Empty,
            Cell::Empty,
        ]);
    }
    for l in &r.index.satisfaction {
        rows.push(vec![
            Cell::text("Hài lòng (đánh giá)"),
            Cell::text(l.field.clone().unwrap_or_else(|| "Tất cả lĩnh vực".into())),
            Cell::Number(l.count.numerator as f64, 0),
            Cell::Number(l.count.denominator as f64, 0),
            pct(l.count.ratio()),
            Cell::Empty,
            Cell::Empty,
        ]);
    }
    Table {
        sheet: "Chỉ số 766",
        file_stem: format!("bao-cao-chi-so-766-{}", r.index.period),
        headers: vec!["Nhóm", "Chỉ tiêu", "Đạt", "Tổng số", "Tỷ lệ (%)", "Điểm", "Tối đa"],
        rows,
    }
}

fn doc(r: &MonthlyReport) -> motcua_print::Doc {
    use motcua_print::{Block, Column, Doc, Paper, Span};
    let col = |title: &str, share: f32| Column { title: title.to_owned(), share };
    let (ratio, points) = (motcua_domain::text::ratio_vi, motcua_domain::text::decimal_vi);
    let mut blocks = vec![Block::Para(vec![
        Span::bold("Tổng điểm: "),
        Span::plain(format!("{} / 100", points(r.index.score.total))),
        Span::plain(match r.published_at {
            Some(t) => format!(" (công bố {})", at_vi(t)),
            None => format!(" (số liệu tại {}, chưa công bố)", at_vi(r.index.at)),
        }),
    ])];
    blocks.push(Block::Table {
        columns: vec![col("Chỉ tiêu", 0.46), col("Đạt / Tổng số", 0.2), col("Tỷ lệ", 0.14), col("Điểm", 0.2)],
        rows: r
            .index
            .score
            .groups
            .iter()
            .flat_map(|g| {
                std::iter::once(vec![
                    format!("{}. {}", g.code, group_vi(g.code)),
                    String::new(),
                    String::new(),
                    format!("{} / {}", points(g.points), points(g.max)),
                ])
                .chain(g.metrics.iter().map(|m| {
                    let (number, name) = m.code.label_vi();
                    vec![
                        format!("  {number} {name}"),
                        format!("{} / {}", m.numerator, m.denominator),
                        ratio(m.ratio),
                        format!("{} / {}", points(m.points), points(m.max)),
                    ]
                }))
            })
            .collect(),
    });
    if !r.targets.is_empty() {
        blocks.push(Block::Para(vec![Span::bold("Chỉ tiêu của kế hoạch")]));
        blocks.push(Block::Table {
            columns: vec![col("Nhiệm vụ", 0.12), col("Chỉ tiêu", 0.44), col("Tháng này", 0.44)],
            rows: r.targets.iter().map(|t| vec![t.task.clone(), target_vi(t), target_status_vi(t)]).collect(),
        });
    }
    Doc {
        paper: Paper::A4,
        number: String::new(),
        set_label: String::new(),
        issuer: vec![],
        title: "BÁO CÁO CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP".to_owned(),
        subtitle: Some(format!("Theo Quyết định 766/QĐ-TTg — {}", r.index.period_vi)),
        blocks,
        signatures: vec![],
        qr: None,
        footnote: Some("Số liệu tính từ hồ sơ, đánh giá và phản ánh, kiến nghị trong hệ thống một cửa.".to_owned()),
    }
}

pub async fn download(
    State(s): State<AppState>,
    caller: Caller,
    Path((period, format)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let err = page_err(&caller, "index");
    let r = s.app.monthly_report(&period).await.map_err(&err)?;
    match format.as_str() {
        "xlsx" => table(&r).response(Sheet::Xlsx).map_err(&err),
        "csv" => table(&r).response(Sheet::Csv).map_err(&err),
        "pdf" => {
            let d = doc(&r);
            let title = format!("Báo cáo chỉ số 766 {}", r.index.period);
            let bytes = tokio::task::spawn_blocking(move || motcua_print::pdf::render(&d, &title))
                .await
                .map_err(|e| err(AppError::Internal(e.to_string())))?
                .map_err(|e| err(AppError::Internal(e.to_string())))?;
            let name = format!("attachment; filename=\"bao-cao-chi-so-766-{}.pdf\"", r.index.period);
            Ok(([(header::CONTENT_TYPE, "application/pdf".to_owned()), (header::CONTENT_DISPOSITION, name)], bytes)
                .into_response())
        }
        _ => Err(err(AppError::NotFound("định dạng tải về (xlsx, csv hoặc pdf)".into()))),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "reports/targets.html")]
pub(super) struct TargetsPage {
    layout: Layout,
    d: motcua_app::report::TargetDashboard,
}

impl TargetsPage {
    fn target(&self, t: &motcua_app::plan::TargetLine) -> String {
        target_vi(t)
    }
    fn status(&self, t: &motcua_app::plan::TargetLine) -> String {
        target_status_vi(t)
    }
    /// A value already in percent.
    fn pct(&self, v: &Option<f64>) -> String {
        v.map_or_else(|| "—".to_owned(), motcua_domain::text::percent_vi)
    }
    fn ratio(&self, c: &motcua_domain::index::Count) -> String {
        motcua_domain::text::ratio_vi(c.ratio())
    }
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct YearQuery {
    #[serde(default)]
    nam: String,
}

/// `/ke-hoach/chi-tieu?nam=`: the plan's targets with their trends (staff).
pub async fn targets(
    State(s): State<AppState>,
    caller: Caller,
    axum::extract::Query(q): axum::extract::Query<YearQuery>,
) -> Result<Response, PageError> {
    let year = match q.nam.trim() {
        "" => s.app.today().format("%Y").to_string(),
        y => y.to_owned(),
    };
    let d = s.app.target_dashboard(&caller.actor, &year).await.map_err(page_err(&caller, "plan"))?;
    Ok(TargetsPage { layout: Layout::of(&caller.actor, "plan"), d }.into_response())
}
