//! The monthly public report: the Decision 766 index of a month for the province and the plan's
//! targets the index measures, published by a job on the first working day of the next month
//! (kept as published), and readable by everyone — live until it is published.

use chrono::{Datelike, NaiveDate};
use motcua_domain::calendar::deadline::{Instant, vn_offset};
use motcua_domain::index::Period;
use motcua_storage::PublishedReport;
use serde::{Deserialize, Serialize};

use crate::index::IndexReport;
use crate::plan::{TargetLine, index_value, met};
use crate::{Actor, App, AppError, AppResult};

/// A month's report.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MonthlyReport {
    pub index: IndexReport,
    /// The targets of the latest plan that the index measures, with the month's values.
    pub targets: Vec<TargetLine>,
    /// When it was published; `None`: live figures, not published yet.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub published_at: Option<Instant>,
}

impl App {
    /// The report of `period` (a month): as published, or live before it is.
    pub async fn monthly_report(&self, period: &str) -> AppResult<MonthlyReport> {
        let period = month_period(period, self.today())?;
        let office = self.province_office().await?;
        if let Some(p) = self.store.published_report(&office, &period.code()).await? {
            let mut r: MonthlyReport = serde_json::from_value(p.body)
                .map_err(|e| AppError::Internal(format!("published report {} is unreadable: {e}", p.period)))?;
            r.published_at = Some(p.published_at);
            return Ok(r);
        }
        self.live_monthly_report(period).await
    }

    async fn live_monthly_report(&self, period: Period) -> AppResult<MonthlyReport> {
        let index = self.index_report(&period.code(), None).await?;
        let plan = self.latest_plan().await?;
        let targets = measured_targets(plan.as_ref(), &index);
        Ok(MonthlyReport { index, targets, published_at: None })
    }

    /// The months published, newest first.
    pub async fn published_months(&self) -> AppResult<Vec<(String, Instant)>> {
        let office = self.province_office().await?;
        Ok(self.store.published_periods(&office).await?)
    }

    /// Publish the report of `period` (a finished month) as its figures stand now; `false` when
    /// it was published already (the first publication stands). The office's administrators,
    /// or the publishing job.
    pub async fn publish_monthly_report(&self, actor: &Actor, period: &str) -> AppResult<bool> {
        actor.require_admin()?;
        let today = self.today();
        let period = month_period(period, today)?;
        if period.end_day() > today {
            return Err(AppError::NotAllowed {
                code: "period_not_over",
                message: format!("Chưa hết {}; báo cáo công bố khi tháng đã kết thúc", period.label_vi()),
            });
        }
        let report = self.live_monthly_report(period).await?;
        let office = self.province_office().await?;
        let body = serde_json::to_value(&report).map_err(|e| AppError::Internal(e.to_string()))?;
        let now = self.now();
        let audit = actor.audit(now, "report.publish", "published_report", period.code(), serde_json::json!({}));
        let published = PublishedReport {
            agency: office,
            period: period.code(),
            published_at: now.with_timezone(&vn_offset()),
            body,
        };
        Ok(self.store.publish_report(&published, &audit).await?)
    }

    /// The publishing job: from the first working day of a month on, publish the previous
    /// month's report if it is not published yet (once across server processes). The month
    /// published, if any.
    pub async fn publish_due_report(&self) -> AppResult<Option<String>> {
        let today = self.today();
        let first = today.with_day(1).unwrap_or(today);
        let cal = self.calendars().await?;
        let cal = cal.of(None);
        let mut first_working = first;
        while !cal.is_working(first_working)? {
            first_working = first_working.succ_opt().unwrap_or(first_working);
            if first_working.month() != first.month() {
                break;
            }
        }
        if today < first_working {
            return Ok(None);
        }
        let last = first.pred_opt().unwrap_or(first);
        let period = format!("{:04}-{:02}", last.year(), last.month());
        Ok(self.publish_monthly_report(&Actor::System, &period).await?.then_some(period))
    }
}

impl App {
    /// The latest plan imported, if any.
    async fn latest_plan(&self) -> AppResult<Option<motcua_storage::StoredPlan>> {
        match self.store.plans().await?.first() {
            Some(p) => Ok(self.store.plan(p.id).await?),
            None => Ok(None),
        }
    }
}

/// The targets of `plan` the index measures, with their values in `index`.
fn measured_targets(plan: Option<&motcua_storage::StoredPlan>, index: &IndexReport) -> Vec<TargetLine> {
    let mut targets = Vec::new();
    for (s, task) in plan.iter().flat_map(|p| p.plan.tasks()) {
        for g in &task.targets {
            let Some((live_pct, basis)) = g.metric.and_then(|m| index_value(index, m, g.scope.as_deref())) else {
                continue;
            };
            targets.push(TargetLine {
                task: task.key(&s.number),
                target: g.clone(),
                met: met(Some(g.value), live_pct),
                live_pct,
                basis: Some(basis),
            });
        }
    }
    targets
}

/// A month, not after the current one.
fn month_period(period: &str, today: NaiveDate) -> AppResult<Period> {
    match Period::parse(period, today)? {
        p @ Period::Month { .. } => Ok(p),
        _ => Err(AppError::invalid("invalid_period", "period", "Báo cáo công khai lập theo tháng (dạng 2026-11)")),
    }
}

/// A target of the plan with its trend.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct TargetTrend {
    #[serde(flatten)]
    pub line: TargetLine,
    /// Each month of the year so far (`YYYY-MM`) and its value in percent, for the targets the
    /// index counts over dossiers.
    pub months: Vec<(String, Option<f64>)>,
    /// Each competent agency (name) and its value over the year, for the same targets.
    pub agencies: Vec<(String, Option<f64>)>,
}

/// The plan's targets the Decision 766 index measures, over a year.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct TargetDashboard {
    pub year: i32,
    /// The plan the targets come from.
    pub plan: Option<String>,
    pub targets: Vec<TargetTrend>,
    /// Satisfaction from the applicants' evaluations by field over the year (land,
    /// construction and investment have their own target).
    pub satisfaction: Vec<crate::index::SatisfactionLine>,
}

impl App {
    /// Each target of the latest plan that the index measures: its value over `year` (to date),
    /// its threshold, and its trend by month and by agency; satisfaction by field. Staff.
    pub async fn target_dashboard(&self, actor: &Actor, year: &str) -> AppResult<TargetDashboard> {
        crate::plan::require_staff(actor)?;
        let period = Period::parse(year, self.today())?;
        let Period::Year { year } = period else {
            return Err(AppError::invalid("invalid_period", "year", "Chọn một năm (dạng 2026)"));
        };
        let index = self.index_report(&period.code(), None).await?;
        let plan = self.latest_plan().await?;
        let targets = measured_targets(plan.as_ref(), &index)
            .into_iter()
            .map(|line| {
                let code = line.target.metric.and_then(crate::plan::index_code).filter(|c| c.dossier_facts().is_some());
                let pct =
                    |counts: &std::collections::BTreeMap<motcua_domain::index::Code, motcua_domain::index::Count>| {
                        code.and_then(|c| counts.get(&c)).and_then(|c| c.ratio()).map(|r| r * 100.0)
                    };
                let (months, agencies) = match code {
                    Some(_) => (
                        index.months.iter().map(|m| (m.month.clone(), pct(&m.counts))).collect(),
                        index.agencies.iter().map(|a| (a.name.clone(), pct(&a.counts))).collect(),
                    ),
                    None => (vec![], vec![]),
                };
                TargetTrend { line, months, agencies }
            })
            .collect();
        Ok(TargetDashboard {
            year,
            plan: plan.map(|p| p.plan.title.clone()),
            targets,
            satisfaction: index.satisfaction,
        })
    }
}
