//! `/ke-hoach/chi-phi`: compliance-cost figures of the plan's procedures (page, CSV, XLSX).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;
use motcua_app::AppError;
use motcua_app::plan::{CostReport, CostingInput};
use motcua_domain::plan::cost::{CostSheet, Decision, ReviewStatus};
use uuid::Uuid;

use super::*;
use crate::AppState;
use crate::auth::Caller;
use crate::error::PageError;
use crate::pages::table::{Cell, Sheet, Table};
use crate::pages::{Layout, page_err};

#[derive(Template, WebTemplate)]
#[template(path = "plan/costs.html")]
pub struct CostsPage {
    layout: Layout,
    report: CostReport,
    error: Option<String>,
    /// What was typed, shown again with the error.
    typed: CostForm,
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

pub(super) async fn costs_page(
    s: &AppState,
    caller: &Caller,
    error: Option<String>,
    typed: CostForm,
) -> Result<CostsPage, PageError> {
    let report = s.app.cost_report(&caller.actor, None).await.map_err(page_err(caller, "plan"))?;
    Ok(CostsPage { layout: Layout::of(&caller.actor, "plan"), report, error, typed })
}

pub async fn costs(State(s): State<AppState>, caller: Caller) -> Result<CostsPage, PageError> {
    let typed = CostForm { times_per_year: "1".into(), ..CostForm::default() };
    costs_page(&s, &caller, None, typed).await
}

#[derive(Debug, Clone, Default, Deserialize)]
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
pub(super) fn activities(text: &str, field: &str) -> Result<Vec<motcua_domain::plan::cost::Activity>, AppError> {
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

pub(super) fn number<T: std::str::FromStr>(s: &str, field: &str, default: Option<T>) -> Result<T, AppError> {
    let t = s.trim().replace(['.', ' '], "");
    if t.is_empty()
        && let Some(d) = default
    {
        return Ok(d);
    }
    t.parse().map_err(|_| AppError::invalid("invalid_number", field, format!("«{s}» không phải là số")))
}

/// A decimal as people write it here (`0,5` or `0.5`); empty gives `default`.
pub(super) fn decimal(s: &str, field: &str, default: f64) -> Result<f64, AppError> {
    let t = s.trim().replace(',', ".");
    if t.is_empty() {
        return Ok(default);
    }
    t.parse().map_err(|_| AppError::invalid("invalid_number", field, format!("«{s}» không phải là số (ví dụ 0,5)")))
}

impl CostForm {
    fn input(&self) -> Result<CostingInput, AppError> {
        let rate = number(&self.hourly_income_vnd, "hourly_income_vnd", None)?;
        let year = number(&self.income_year, "income_year", None)?;
        let subjects = number(&self.subjects_per_year, "subjects_per_year", None)?;
        let times = decimal(&self.times_per_year, "times_per_year", 1.0)?;
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
    settle(&caller, result, "/ke-hoach/chi-phi", |m| costs_page(&s, &caller, Some(m), f.clone())).await
}

/// The compliance-cost table for a spreadsheet.
pub(super) fn costs_table(r: &CostReport) -> Table {
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
pub(super) async fn costs_sheet(s: &AppState, caller: &Caller, as_: Sheet) -> Result<Response, PageError> {
    let r = s.app.cost_report(&caller.actor, None).await.map_err(page_err(caller, "plan"))?;
    costs_table(&r).response(as_).map_err(page_err(caller, "plan"))
}

pub async fn costs_csv(State(s): State<AppState>, caller: Caller) -> Result<Response, PageError> {
    costs_sheet(&s, &caller, Sheet::Csv).await
}

pub async fn costs_xlsx(State(s): State<AppState>, caller: Caller) -> Result<Response, PageError> {
    costs_sheet(&s, &caller, Sheet::Xlsx).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_written_here() {
        // Thousands with dots in amounts; a decimal comma or point in times a year.
        assert_eq!(number::<u64>("40.000", "x", None).ok(), Some(40_000));
        assert_eq!(decimal("0,5", "x", 1.0).ok(), Some(0.5));
        assert_eq!(decimal("0.5", "x", 1.0).ok(), Some(0.5));
        assert_eq!(decimal("", "x", 1.0).ok(), Some(1.0));
        assert!(decimal("hai", "x", 1.0).is_err());
    }
}
