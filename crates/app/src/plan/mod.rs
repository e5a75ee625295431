//! The province's plan (issue 5): import the plan document, show it, each agency's tasks, monthly
//! progress reports, and the provincial office's view of overdue tasks and missing reports.
//!
//! The plan names the agencies of its year (Hải Dương's departments in 2024). A staff member
//! of today's map acts for the plan's agency that their agency continues: the old agency's unit
//! resolves to the new one's through the map's successor links and both carry the same name
//! once the province is taken off ("Sở Tư pháp tỉnh Hải Dương" → "Sở Tư pháp thành phố Hải
//! Phòng"). Reports are filed under the plan's agency, with the user who filed them.

pub mod assessment;
mod cost;
mod import;
mod inspection;
mod progress;
mod publication;
mod report_files;

pub use cost::*;
pub use import::*;
pub use inspection::*;
pub use progress::*;
pub use publication::*;
pub use report_files::*;

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use motcua_domain::admin::{Agency, UnitLevel, resolve_on};
use motcua_domain::ids::AgencyCode;
use motcua_domain::plan::duty::{Duty, Roster, expects_report};
use motcua_domain::plan::parties::name_key;
use motcua_domain::plan::{Deadline, Metric, ProgressReport, ProgressStatus, ReportFile, Task, month_of, parse_month};
use motcua_domain::user::Role;
use motcua_storage::{AgencyQuery, PlanSummary, StoredPlan, UnitQuery};
use serde::Serialize;
use uuid::Uuid;

use crate::{Actor, App, AppError, AppResult};

/// A task as an agency or the office sees it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct TaskLine {
    pub id: Uuid,
    /// `II.2.1`
    pub key: String,
    pub title: String,
    pub deadline: Deadline,
    pub duty: Option<Duty>,
    /// The agency's latest report on it.
    pub latest: Option<ProgressReport>,
    /// Past its last day and not reported done.
    pub overdue: bool,
    /// Documents the agency attached to its reports on it.
    pub files: Vec<ReportFile>,
}

/// The tasks of one agency.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct AgencyTasks {
    pub plan_id: Uuid,
    /// The plan's agency the user acts for.
    pub agency: Agency,
    pub tasks: Vec<TaskLine>,
}

/// One agency's tasks without a report for the month.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct MissingReports {
    pub agency: AgencyCode,
    pub name: String,
    pub tasks: Vec<String>,
}

/// A task past its last day that some lead agency has not reported done.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct OverdueTask {
    pub id: Uuid,
    pub key: String,
    pub title: String,
    pub deadline: Deadline,
    /// Lead agencies without a "done" report.
    pub not_done: Vec<String>,
    pub leads: usize,
}

/// The provincial office's view of the plan for a month.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct PlanOverview {
    pub plan_id: Uuid,
    pub month: String,
    pub today: NaiveDate,
    pub overdue: Vec<OverdueTask>,
    pub missing: Vec<MissingReports>,
    /// Reports filed for the month, by status.
    pub reported: BTreeMap<String, usize>,
    /// The plan's targets with their values today, where motcua computes them.
    pub targets: Vec<TargetLine>,
}

/// A target of the plan and, where the data is in motcua, its value today.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct TargetLine {
    /// The task that sets it (`II.3`).
    pub task: String,
    #[serde(flatten)]
    pub target: motcua_domain::plan::targets::Target,
    /// The value today, in percent; `None` when motcua does not compute the metric yet (the
    /// Decision 766 index over dossiers) or has nothing to compute it from.
    pub live_pct: Option<f64>,
    /// What the value is taken from.
    pub basis: Option<String>,
    pub met: Option<bool>,
}

pub(crate) fn require_staff(actor: &Actor) -> AppResult<()> {
    match actor {
        Actor::Cli | Actor::System => Ok(()),
        Actor::User { user, .. } if user.role != Role::Citizen => Ok(()),
        Actor::User { .. } => Err(AppError::Forbidden("Kế hoạch chỉ dành cho cán bộ các cơ quan".into())),
        Actor::Anonymous { .. } => Err(AppError::Unauthenticated),
    }
}

impl App {
    pub async fn plans(&self, actor: &Actor) -> AppResult<Vec<PlanSummary>> {
        require_staff(actor)?;
        Ok(self.store.plans().await?)
    }

    /// A plan by id, or the latest one.
    pub async fn plan(&self, actor: &Actor, id: Option<Uuid>) -> AppResult<StoredPlan> {
        require_staff(actor)?;
        let id = match id {
            Some(id) => id,
            None => self.store.plans().await?.first().map(|p| p.id).ok_or_else(|| {
                AppError::NotFound("kế hoạch (chưa nhập kế hoạch nào: motcua import plan FILE)".into())
            })?,
        };
        self.store.plan(id).await?.ok_or_else(|| AppError::NotFound(format!("kế hoạch {id}")))
    }

    /// The map as the plan's groups see it, on the plan's date.
    pub(super) async fn roster(&self, plan: &StoredPlan) -> AppResult<Roster> {
        let on = plan.plan.effective;
        let agencies = self.store.agencies(&AgencyQuery { on: Some(on), ..AgencyQuery::default() }).await?;
        let units = self.store.units(&UnitQuery::default()).await?;
        let level: HashMap<_, _> = units.iter().map(|u| (u.code.clone(), u.level)).collect();
        let with_levels = agencies
            .into_iter()
            .map(|a| {
                let l = level.get(&a.unit).copied().unwrap_or(UnitLevel::Province);
                (a, l)
            })
            .collect();
        Ok(Roster::new(&plan.plan, with_levels))
    }

    /// The plan's agency a staff member acts for: their own agency when the plan names agencies
    /// of today's map, else the plan-era agency their agency continues (module docs).
    pub(super) async fn acting_agency(&self, actor: &Actor, plan: &StoredPlan, roster: &Roster) -> AppResult<Agency> {
        let user = actor.user().ok_or_else(|| AppError::Forbidden("Cần đăng nhập bằng tài khoản cán bộ".into()))?;
        let code = user.agency.as_ref().ok_or_else(|| {
            AppError::Forbidden("Tài khoản không gắn với cơ quan nào nên không có nhiệm vụ trong kế hoạch".into())
        })?;
        if let Some((a, _)) = roster.agencies.iter().find(|(a, _)| a.code == *code) {
            return Ok(a.clone());
        }
        let mine = self.agency(code).await?.ok_or_else(|| AppError::NotFound(format!("cơ quan {code}")))?;
        let units = self.store.units(&UnitQuery::default()).await?;
        let links = self.store.successor_links().await?;
        let province_of = |unit: &motcua_domain::ids::UnitCode| -> String {
            let mut u = units.iter().find(|x| &x.code == unit);
            while let Some(x) = u {
                if x.level == UnitLevel::Province {
                    return x.name.clone();
                }
                u = x.parent.as_ref().and_then(|p| units.iter().find(|y| &y.code == p));
            }
            String::new()
        };
        let my_key = name_key(&mine.name, &province_of(&mine.unit));
        let today = self.today();
        roster
            .agencies
            .iter()
            .map(|(a, _)| a)
            .find(|old| {
                let successors = resolve_on(
                    &old.unit,
                    today.max(mine.validity.valid_from),
                    |c| units.iter().find(|u| &u.code == c),
                    |c| links.iter().filter(|l| &l.from == c).collect(),
                );
                successors.iter().any(|s| s.code == mine.unit)
                    && name_key(&old.name, &province_of(&old.unit)) == my_key
                    && old.kind == mine.kind
            })
            .cloned()
            .ok_or_else(|| {
                AppError::Forbidden(format!(
                    "{} không có trong kế hoạch năm {} và không kế tục cơ quan nào của kế hoạch",
                    mine.name, plan.plan.year
                ))
            })
    }

    /// The tasks the user's agency leads or cooperates on, with its latest report on each.
    pub async fn my_plan_tasks(&self, actor: &Actor, id: Option<Uuid>) -> AppResult<AgencyTasks> {
        let plan = self.plan(actor, id).await?;
        let roster = self.roster(&plan).await?;
        let agency = self.acting_agency(actor, &plan, &roster).await?;
        let reports = self.store.progress_reports(plan.id).await?;
        let files = self.store.report_files(plan.id).await?;
        let today = self.today();
        let mut tasks = Vec::new();
        for (s, t) in plan.plan.tasks() {
            let Some(duty) = roster.duty(t, &agency.code) else { continue };
            let latest = reports.iter().rfind(|r| Some(r.task_id) == t.id && r.agency == agency.code).cloned();
            let mut l = line(t, &s.number, Some(duty), latest, today);
            l.files = files.iter().filter(|f| Some(f.task_id) == t.id && f.agency == agency.code).cloned().collect();
            tasks.push(l);
        }
        Ok(AgencyTasks { plan_id: plan.id, agency, tasks })
    }

    /// Overdue tasks and missing reports of a month (default: the current month, or the plan's
    /// last month when the plan year is over).
    pub async fn plan_overview(&self, actor: &Actor, id: Option<Uuid>, month: Option<&str>) -> AppResult<PlanOverview> {
        require_staff(actor)?;
        let plan = self.plan(actor, id).await?;
        let roster = self.roster(&plan).await?;
        let reports = self.store.progress_reports(plan.id).await?;
        let today = self.today();
        let month = match month.map(str::trim).filter(|m| !m.is_empty()) {
            Some(m) => parse_month(m)?,
            None => {
                let last = NaiveDate::from_ymd_opt(plan.plan.year, 12, 1).unwrap_or(today);
                parse_month(&month_of(today.min(last)))?
            }
        };
        let m = month_of(month);
        let mut overdue = Vec::new();
        let mut missing: BTreeMap<AgencyCode, MissingReports> = BTreeMap::new();
        for (s, t) in plan.plan.tasks() {
            let Some(tid) = t.id else { continue };
            let key = t.key(&s.number);
            let leads = roster.leads(t);
            if t.deadline.last_day().is_some_and(|d| d < today) {
                let not_done: Vec<String> = leads
                    .iter()
                    .filter(|a| {
                        !reports
                            .iter()
                            .any(|r| r.task_id == tid && r.agency == a.code && r.status == ProgressStatus::Done)
                    })
                    .map(|a| a.name.clone())
                    .collect();
                if !not_done.is_empty() {
                    overdue.push(OverdueTask {
                        id: tid,
                        key: key.clone(),
                        title: t.title.clone(),
                        deadline: t.deadline.clone(),
                        not_done,
                        leads: leads.len(),
                    });
                }
            }
            if expects_report(t, plan.plan.year, month) {
                for a in leads {
                    let filed = reports.iter().any(|r| r.task_id == tid && r.agency == a.code && r.month == m);
                    let done_before = reports.iter().any(|r| {
                        r.task_id == tid && r.agency == a.code && r.status == ProgressStatus::Done && r.month < m
                    });
                    if !filed && !done_before {
                        missing
                            .entry(a.code.clone())
                            .or_insert_with(|| MissingReports {
                                agency: a.code.clone(),
                                name: a.name.clone(),
                                tasks: Vec::new(),
                            })
                            .tasks
                            .push(key.clone());
                    }
                }
            }
        }
        let mut reported = BTreeMap::new();
        for r in reports.iter().filter(|r| r.month == m) {
            *reported.entry(r.status.as_str().to_owned()).or_insert(0) += 1;
        }
        let targets = self.target_lines(actor, &plan).await?;
        Ok(PlanOverview {
            plan_id: plan.id,
            month: m,
            today,
            overdue,
            missing: missing.into_values().collect(),
            reported,
            targets,
        })
    }

    /// The index of the plan's year (up to today), `None` before the year starts.
    async fn plan_year_index(&self, year: i32) -> AppResult<Option<crate::index::IndexReport>> {
        if NaiveDate::from_ymd_opt(year, 1, 1).is_none_or(|d| d > self.today()) {
            return Ok(None);
        }
        Ok(Some(self.index_report(&format!("{year:04}"), None).await?))
    }

    /// Every target of the plan with its value today where the data is in motcua: the review
    /// and compliance-cost figures of the plan's costing sheets, and publication on time over
    /// the plan's year (Decision 766 metrics 1.1 and 1.2).
    async fn target_lines(&self, actor: &Actor, plan: &StoredPlan) -> AppResult<Vec<TargetLine>> {
        let costs = self.cost_report_of(plan).await?;
        let publication = self.publication_timeliness(actor, plan.plan.year).await?;
        let assessments = self.impact_assessment_report(actor, plan.plan.year).await?;
        let t = &costs.totals;
        let index = self.plan_year_index(plan.plan.year).await?;
        let value = |m: Metric, scope: Option<&str>| -> Option<(Option<f64>, String)> {
            if let Some(found) = index.as_ref().and_then(|r| index_value(r, m, scope)) {
                return Some(found);
            }
            Some(match m {
                Metric::PlanComplianceCostReduction => (
                    t.reduction_pct,
                    format!("Σ chi phí tiết kiệm / Σ chi phí trước, {} thủ tục có bảng tính", t.procedures),
                ),
                Metric::PlanProceduresSimplified => (
                    t.simplified_pct,
                    format!("{} có phương án đơn giản hóa / {} thủ tục đã rà soát", t.simplified, t.procedures),
                ),
                Metric::PlanProceduresReviewed => (
                    costs.reviewed_pct,
                    format!(
                        "{} thủ tục đã rà soát / {} thủ tục đang có hiệu lực",
                        t.procedures, costs.catalog_procedures
                    ),
                ),
                Metric::PlanImpactAssessed => (
                    assessments.assessed_pct,
                    format!(
                        "{} / {} phiên bản thủ tục dự thảo hoặc công bố năm {} đã đánh giá tác động",
                        assessments.assessed, assessments.to_assess, assessments.year
                    ),
                ),
                Metric::PublishOnTime => (
                    publication.ratio_pct,
                    format!(
                        "{} / {} thủ tục công bố năm {} đúng hạn",
                        publication.on_time, publication.procedures, publication.year
                    ),
                ),
                Metric::PublicUpdateOnTime => (
                    publication.publicised_ratio_pct,
                    format!(
                        "{} / {} thủ tục công khai đúng hạn năm {}",
                        publication.publicised_on_time, publication.procedures, publication.year
                    ),
                ),
                _ => return None,
            })
        };
        Ok(plan
            .plan
            .tasks()
            .flat_map(|(s, task)| task.targets.iter().map(move |g| (task.key(&s.number), g)))
            .map(|(task, g)| {
                let (live_pct, basis) = match g.metric.and_then(|m| value(m, g.scope.as_deref())) {
                    Some((v, b)) => (v, Some(b)),
                    None => (None, None),
                };
                TargetLine { task, met: met(Some(g.value), live_pct), live_pct, basis, target: g.clone() }
            })
            .collect())
    }
}

/// The metric of the Decision 766 index a plan metric is measured by (satisfaction is measured
/// by the applicants' evaluations instead, see [`index_value`]).
pub(crate) fn index_code(m: Metric) -> Option<motcua_domain::index::Code> {
    use motcua_domain::index::Code;
    Some(match m {
        Metric::DossierSync => Code::DossierSync,
        Metric::OnlineServiceProvision => Code::OnlineServiceProvision,
        Metric::OnlineDossierRate => Code::OnlineDossierRate,
        Metric::OnlinePaymentRate => Code::OnlinePaymentRate,
        Metric::OriginalResultAvailable => Code::OriginalResultAvailable,
        Metric::SoHoaGiayToGiaiQuyet => Code::SoHoaGiayToGiaiQuyet,
        Metric::ReusedDigitizedData => Code::ReusedDigitizedData,
        Metric::PetitionProcessingOnTime => Code::PetitionProcessingOnTime,
        _ => return None,
    })
}

/// The value of a plan metric the Decision 766 index measures, from the index of the plan's
/// year: the metric's ratio, or for satisfaction the applicants' evaluations (over the fields the
/// target names, when it names some).
pub(crate) fn index_value(
    r: &crate::index::IndexReport,
    m: Metric,
    scope: Option<&str>,
) -> Option<(Option<f64>, String)> {
    let code = match m {
        Metric::DossierReceivingSatisfaction => None,
        m => Some(index_code(m)?),
    };
    let code = match code {
        Some(c) => c,
        None => {
            let fold = motcua_domain::text::fold_vi;
            let wanted: Vec<String> = scope
                .map(|s| s.split([',', ';']).map(fold).filter(|w| !w.trim().is_empty()).collect())
                .unwrap_or_default();
            let mut c = motcua_domain::index::Count::default();
            for line in &r.satisfaction {
                let take = match &line.field {
                    None => wanted.is_empty(),
                    Some(f) => !wanted.is_empty() && wanted.iter().any(|w| fold(f).contains(w.trim())),
                };
                if take {
                    c.numerator += line.count.numerator;
                    c.denominator += line.count.denominator;
                }
            }
            let scope_vi = scope.map(|s| format!(" lĩnh vực {s}")).unwrap_or_default();
            return Some((
                c.ratio().map(|x| x * 100.0),
                format!(
                    "{} hài lòng hoặc rất hài lòng / {} lượt đánh giá{scope_vi}, {}",
                    c.numerator, c.denominator, r.period_vi
                ),
            ));
        }
    };
    let metric = r.score.groups.iter().flat_map(|g| &g.metrics).find(|x| x.code == code)?;
    let (number, name) = code.label_vi();
    Some((
        metric.ratio.map(|x| x * 100.0),
        format!("Chỉ số 766 ({number}) {name}: {} / {}, {}", metric.numerator, metric.denominator, r.period_vi),
    ))
}

fn line(t: &Task, section: &str, duty: Option<Duty>, latest: Option<ProgressReport>, today: NaiveDate) -> TaskLine {
    let done = latest.as_ref().is_some_and(|r| r.status == ProgressStatus::Done);
    TaskLine {
        id: t.id.unwrap_or_default(),
        key: t.key(section),
        title: t.title.clone(),
        deadline: t.deadline.clone(),
        duty,
        overdue: !done && t.deadline.last_day().is_some_and(|d| d < today),
        latest,
        files: Vec::new(),
    }
}
