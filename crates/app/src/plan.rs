//! The province's plan (issue 5): import the plan document, show it, each agency's tasks, monthly
//! progress reports, and the provincial office's view of overdue tasks and missing reports.
//!
//! The plan names the agencies of its year (Hải Dương's departments in 2024). A staff member
//! of today's map acts for the plan's agency that their agency continues: the old agency's unit
//! resolves to the new one's through the map's successor links and both carry the same name
//! once the province is taken off ("Sở Tư pháp tỉnh Hải Dương" → "Sở Tư pháp thành phố Hải
//! Phòng"). Reports are filed under the plan's agency, with the user who filed them.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use motcua_domain::admin::{Agency, AgencyKind, UnitLevel, resolve_on};
use motcua_domain::ids::{AgencyCode, ProcedureCode};
use motcua_domain::plan::cost::{self, CostSheet, CostTotals, Costing, Decision, ReviewStatus};
use motcua_domain::plan::duty::{Duty, Roster, expects_report};
use motcua_domain::plan::inspection::InspectionRecord;
use motcua_domain::plan::parties::{Matcher, name_key};
use motcua_domain::plan::targets::shift_working_days;
use motcua_domain::plan::{
    Deadline, ImportReport, Metric, ProgressReport, ProgressStatus, ReportFile, Task, check_progress, document,
    month_of, parse_month,
};
use motcua_domain::user::Role;
use motcua_storage::{AgencyQuery, PlanImported, PlanSummary, StoredPlan, UnitQuery};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Actor, App, AppError, AppResult};

/// What `import plan` did and read.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct PlanImportAnswer {
    #[serde(flatten)]
    pub imported: PlanImported,
    pub report: ImportReport,
}

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
#[derive(Debug, Clone, Serialize)]
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

/// A progress report as filed.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Deserialize)]
pub struct ProgressInput {
    /// `YYYY-MM`; default the current month.
    #[serde(default)]
    pub month: Option<String>,
    pub status: String,
    pub percent: u8,
    #[serde(default)]
    pub note: String,
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
    /// Import the plan document (`motcua import plan FILE`, `POST /api/v1/plans`).
    pub async fn import_plan(&self, actor: &Actor, text: &str) -> AppResult<PlanImportAnswer> {
        actor.require_admin()?;
        let draft = document::read(text)?;
        let on = draft.effective();
        let agencies = self.store.agencies(&AgencyQuery { on: Some(on), ..AgencyQuery::default() }).await?;
        let units = self.store.units(&UnitQuery { on: Some(on), ..UnitQuery::default() }).await?;
        let province = units
            .iter()
            .filter(|u| u.level == UnitLevel::Province)
            .find(|u| name_key(&u.name, "") == name_key(&draft.province, ""))
            .ok_or_else(|| {
                AppError::invalid(
                    "plan_province_unknown",
                    "file",
                    format!("Bản đồ hành chính không có «{}» vào ngày {}", draft.province, on.format("%d/%m/%Y")),
                )
            })?;
        let owner =
            agencies.iter().find(|a| a.kind == AgencyKind::ProvincialCommittee && a.unit == province.code).ok_or_else(
                || AppError::invalid("plan_province_unknown", "file", format!("Không có UBND của {}", province.name)),
            )?;
        let (plan, report) = draft.resolve(&Matcher::new(&agencies, &province.name), owner.code.clone());
        let content = serde_json::to_string(&plan).map_err(|e| AppError::Internal(e.to_string()))?;
        let hash = motcua_files::sha256_hex(content.as_bytes());
        let audit = actor.audit(
            self.now(),
            "plan.import",
            "plan",
            "-",
            serde_json::json!({ "year": plan.year, "title": plan.title, "tasks": report.tasks + report.sub_items }),
        );
        let imported = self.store.import_plan(&plan, &hash, self.now(), &audit).await?;
        Ok(PlanImportAnswer { imported, report })
    }

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
    async fn roster(&self, plan: &StoredPlan) -> AppResult<Roster> {
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
    async fn acting_agency(&self, actor: &Actor, plan: &StoredPlan, roster: &Roster) -> AppResult<Agency> {
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

    /// File (or correct) the user's agency's report on a task for a month.
    pub async fn report_progress(
        &self,
        actor: &Actor,
        plan_id: Uuid,
        task_id: Uuid,
        input: &ProgressInput,
    ) -> AppResult<ProgressReport> {
        let (plan, agency, key) = self.task_of_my_agency(actor, plan_id, task_id).await?;
        let month = self.report_month(input.month.as_deref())?;
        let status = ProgressStatus::parse(&input.status)?;
        check_progress(status, input.percent, &input.note)?;
        let report = ProgressReport {
            id: Uuid::now_v7(),
            plan_id: plan.id,
            task_id,
            agency: agency.code.clone(),
            month,
            status,
            percent: input.percent,
            note: input.note.trim().to_owned(),
            created_at: self.now(),
            created_by: actor.name(),
        };
        let audit = actor.audit(
            self.now(),
            "plan.report",
            "plan_task",
            key,
            serde_json::json!({ "agency": agency.code, "month": report.month, "status": status.as_str(), "percent": report.percent }),
        );
        self.store.put_progress_report(&report, &audit).await?;
        Ok(report)
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

    /// Every target of the plan with its value today where the data is in motcua: the review
    /// and compliance-cost figures of the plan's costing sheets, and publication on time over
    /// the plan's year (Decision 766 metrics 1.1 and 1.2).
    async fn target_lines(&self, actor: &Actor, plan: &StoredPlan) -> AppResult<Vec<TargetLine>> {
        let costs = self.cost_report_of(plan).await?;
        let publication = self.publication_timeliness(actor, plan.plan.year).await?;
        let assessments = self.impact_assessment_report(actor, plan.plan.year).await?;
        let t = &costs.totals;
        let value = |m: Metric| -> Option<(Option<f64>, String)> {
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
                let (live_pct, basis) = match g.metric.and_then(value) {
                    Some((v, b)) => (v, Some(b)),
                    None => (None, None),
                };
                TargetLine { task, met: met(Some(g.value), live_pct), live_pct, basis, target: g.clone() }
            })
            .collect())
    }
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

/// A costing as entered for a procedure of the plan.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Deserialize)]
pub struct CostingInput {
    pub name: String,
    /// Default: `proposed` with an `after` sheet, else `reviewed`.
    #[serde(default)]
    pub status: Option<ReviewStatus>,
    pub before: CostSheet,
    #[serde(default)]
    pub after: Option<CostSheet>,
    /// The simplification proposed (required when one is).
    #[serde(default)]
    pub note: String,
    /// The decision approving the proposal (required when `approved`).
    #[serde(default)]
    pub decision: Option<Decision>,
}

/// One procedure's costing with its figures.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct CostingLine {
    #[serde(flatten)]
    pub costing: Costing,
    pub before_once_vnd: f64,
    pub before_year_vnd: f64,
    pub after_once_vnd: Option<f64>,
    pub after_year_vnd: Option<f64>,
    pub reduction_pct: Option<f64>,
}

/// The plan's compliance-cost table and its totals against the plan's targets.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct CostReport {
    pub plan_id: Uuid,
    pub lines: Vec<CostingLine>,
    pub totals: CostTotals,
    /// The plan's target for the cut in compliance cost (percent), when it sets one.
    pub cost_target_pct: Option<f64>,
    /// The plan's target for the share of procedures simplified (percent).
    pub procedures_target_pct: Option<f64>,
    pub cost_target_met: Option<bool>,
    pub procedures_target_met: Option<bool>,
    /// Procedures with a version in force today (what the review's share is taken of).
    pub catalog_procedures: usize,
    /// Procedures reviewed / procedures in force, in percent.
    pub reviewed_pct: Option<f64>,
    /// The plan's target for the share of procedures reviewed (percent).
    pub reviewed_target_pct: Option<f64>,
    pub reviewed_target_met: Option<bool>,
}

impl App {
    /// Enter or replace the costing of a procedure in the plan (provincial office).
    pub async fn put_costing(
        &self,
        actor: &Actor,
        plan_id: Uuid,
        procedure: &str,
        input: CostingInput,
    ) -> AppResult<CostingLine> {
        actor.require_admin()?;
        let procedure = ProcedureCode::parse(procedure)?;
        let name = input.name.trim();
        if name.is_empty() {
            return Err(AppError::invalid("required", "name", "Nêu tên thủ tục"));
        }
        input.before.check("before")?;
        if let Some(a) = &input.after {
            a.check("after")?;
        }
        let status = input.status.unwrap_or(match input.after {
            Some(_) => ReviewStatus::Proposed,
            None => ReviewStatus::Reviewed,
        });
        let decision = input.decision.map(|d| Decision { number: d.number.trim().to_owned(), date: d.date });
        cost::check_review(status, input.after.as_ref(), &input.note, decision.as_ref(), self.today())?;
        let costing = Costing {
            plan_id,
            procedure: procedure.clone(),
            name: name.to_owned(),
            status,
            before: input.before,
            after: input.after,
            note: input.note.trim().to_owned(),
            decision,
            updated_at: self.now(),
            updated_by: actor.name(),
        };
        let audit = actor.audit(
            self.now(),
            "plan.costing",
            "plan_costing",
            procedure.as_str(),
            serde_json::json!({ "plan": plan_id, "status": status, "reduction_pct": costing.reduction_pct() }),
        );
        self.store.put_costing(&costing, &audit).await?;
        Ok(costing_line(costing))
    }

    /// The compliance-cost table of a plan (default: the latest).
    pub async fn cost_report(&self, actor: &Actor, id: Option<Uuid>) -> AppResult<CostReport> {
        let plan = self.plan(actor, id).await?;
        self.cost_report_of(&plan).await
    }

    /// The compliance-cost table of a plan already read.
    async fn cost_report_of(&self, plan: &StoredPlan) -> AppResult<CostReport> {
        let costings = self.store.costings(plan.id).await?;
        let totals = cost::totals(&costings);
        let target =
            |m: Metric| plan.plan.tasks().flat_map(|(_, t)| &t.targets).find(|g| g.metric == Some(m)).map(|g| g.value);
        let cost_target_pct = target(Metric::PlanComplianceCostReduction);
        let procedures_target_pct = target(Metric::PlanProceduresSimplified);
        let reviewed_target_pct = target(Metric::PlanProceduresReviewed);
        let catalog_procedures = self.catalog_index().await?.in_force_count(self.today());
        let reviewed_pct =
            (catalog_procedures > 0).then(|| totals.procedures as f64 * 100.0 / catalog_procedures as f64);
        Ok(CostReport {
            plan_id: plan.id,
            cost_target_met: met(cost_target_pct, totals.reduction_pct),
            procedures_target_met: met(procedures_target_pct, totals.simplified_pct),
            reviewed_target_met: met(reviewed_target_pct, reviewed_pct),
            lines: costings.into_iter().map(costing_line).collect(),
            totals,
            cost_target_pct,
            procedures_target_pct,
            catalog_procedures,
            reviewed_pct,
            reviewed_target_pct,
        })
    }
}

/// Whether `value` reaches `target` (`None` while either is unknown).
fn met(target: Option<f64>, value: Option<f64>) -> Option<bool> {
    Some(value? >= target?)
}

fn costing_line(c: Costing) -> CostingLine {
    CostingLine {
        before_once_vnd: c.before.cost_once(),
        before_year_vnd: c.before.cost_year(),
        after_once_vnd: c.after.as_ref().map(CostSheet::cost_once),
        after_year_vnd: c.after.as_ref().map(CostSheet::cost_year),
        reduction_pct: c.reduction_pct(),
        costing: c,
    }
}

/// One inspection of the appendix with what the office recorded about it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct InspectionLine {
    #[serde(flatten)]
    pub inspection: motcua_domain::plan::Inspection,
    pub record: Option<InspectionRecord>,
    pub updated_at: Option<chrono::DateTime<chrono::Utc>>,
    pub updated_by: Option<String>,
    /// Follow-up actions past their due date and not done.
    pub overdue_follow_ups: usize,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct InspectionSchedule {
    pub plan_id: Uuid,
    pub title: String,
    pub items: Vec<InspectionLine>,
}

impl App {
    /// The appendix's inspections with their records.
    pub async fn inspections(&self, actor: &Actor, id: Option<Uuid>) -> AppResult<InspectionSchedule> {
        let plan = self.plan(actor, id).await?;
        let records = self.store.inspection_records(plan.id).await?;
        let today = self.today();
        let items = plan
            .plan
            .inspections
            .iter()
            .map(|i| {
                let r = records.iter().find(|r| Some(r.id) == i.id);
                InspectionLine {
                    inspection: i.clone(),
                    record: r.map(|r| r.record.clone()),
                    updated_at: r.map(|r| r.updated_at),
                    updated_by: r.map(|r| r.updated_by.clone()),
                    overdue_follow_ups: r.map(|r| r.record.overdue_follow_ups(today)).unwrap_or(0),
                }
            })
            .collect();
        Ok(InspectionSchedule { plan_id: plan.id, title: plan.plan.inspection_title.clone(), items })
    }

    /// Record the schedule, team, findings, conclusion and follow-ups of one inspection
    /// (provincial office).
    pub async fn put_inspection_record(
        &self,
        actor: &Actor,
        plan_id: Uuid,
        inspection: Uuid,
        record: InspectionRecord,
    ) -> AppResult<InspectionLine> {
        actor.require_admin()?;
        let plan = self.plan(actor, Some(plan_id)).await?;
        let item = plan
            .plan
            .inspections
            .iter()
            .find(|i| i.id == Some(inspection))
            .ok_or_else(|| AppError::NotFound(format!("cuộc kiểm tra {inspection} của kế hoạch")))?;
        record.check(plan.plan.year)?;
        let audit = actor.audit(
            self.now(),
            "plan.inspection",
            "plan_inspection",
            item.key(),
            serde_json::json!({ "plan": plan_id, "status": record.status, "follow_ups": record.follow_ups.len() }),
        );
        self.store.put_inspection_record(plan_id, inspection, &record, &audit).await?;
        Ok(InspectionLine {
            inspection: item.clone(),
            overdue_follow_ups: record.overdue_follow_ups(self.today()),
            record: Some(record),
            updated_at: Some(audit.at),
            updated_by: Some(audit.actor),
        })
    }
}

/// One procedure version published by a decision dated in the year.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct PublicationLine {
    pub procedure: ProcedureCode,
    pub name: String,
    pub version: u32,
    pub decision_no: Option<String>,
    pub decision_date: NaiveDate,
    pub effective_from: NaiveDate,
    /// The last day the decision was on time for.
    pub latest_on_time: NaiveDate,
    pub on_time: bool,
    /// When it was publicised on the national procedure database (metric 1.2).
    pub publicised_on: Option<NaiveDate>,
    /// The last day to publicise it on time.
    pub publicise_by: NaiveDate,
    /// `None` while it may still be publicised on time.
    pub publicised_on_time: Option<bool>,
}

/// Decision 766 metric 1.1 (published on time) over the catalog for a year.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct PublicationReport {
    pub year: i32,
    pub lead_working_days: u32,
    pub lines: Vec<PublicationLine>,
    /// Procedures published in the year (each once).
    pub procedures: usize,
    /// Of those, the ones whose every decision of the year was on time.
    pub on_time: usize,
    pub ratio_pct: Option<f64>,
    /// Metric 1.2: procedures publicised on time / procedures to publicise (publicised, or
    /// pending past or within their time), each once; any late one is late.
    pub publicised_on_time: usize,
    pub publicised_ratio_pct: Option<f64>,
}

impl App {
    /// Which procedures were published on time in `year`: each version whose publishing
    /// decision is dated in the year must be dated at least `publish_lead_working_days` working
    /// days (legal calendar of the province) before it takes effect; a procedure counts once and
    /// is late when any of its decisions of the year is late (domain.md §5.2).
    pub async fn publication_timeliness(&self, actor: &Actor, year: i32) -> AppResult<PublicationReport> {
        require_staff(actor)?;
        let cal = self.calendars().await?;
        let cal = cal.of(None);
        let lead = self.config.publish_lead_working_days;
        let today = self.today();
        let mut lines = Vec::new();
        for p in self.store.export_procedures().await? {
            for v in p.versions.iter().filter(|v| v.status.was_published()) {
                let (Some(decision_date), Some(effective_from)) =
                    (v.publication.decision_date, v.publication.effective_from)
                else {
                    continue;
                };
                if chrono::Datelike::year(&decision_date) != year {
                    continue;
                }
                let latest = shift_working_days(effective_from, -(lead as i32), |d| cal.is_working(d))?;
                let publicise_by =
                    shift_working_days(decision_date, self.config.publicise_within_working_days as i32, |d| {
                        cal.is_working(d)
                    })?;
                let publicised_on_time = match v.publication.publicised_on {
                    Some(p) => Some(p <= publicise_by),
                    None if today > publicise_by => Some(false),
                    None => None,
                };
                lines.push(PublicationLine {
                    procedure: p.code.clone(),
                    name: v.content.name.clone(),
                    version: v.number,
                    decision_no: v.publication.decision_no.clone(),
                    decision_date,
                    effective_from,
                    latest_on_time: latest,
                    on_time: decision_date <= latest,
                    publicised_on: v.publication.publicised_on,
                    publicise_by,
                    publicised_on_time,
                });
            }
        }
        // each procedure once: (published on time, publicised on time)
        let mut by_procedure: BTreeMap<&ProcedureCode, (bool, bool)> = BTreeMap::new();
        for l in &lines {
            let e = by_procedure.entry(&l.procedure).or_insert((true, true));
            e.0 = e.0 && l.on_time;
            e.1 = e.1 && l.publicised_on_time == Some(true);
        }
        let procedures = by_procedure.len();
        let on_time = by_procedure.values().filter(|v| v.0).count();
        let publicised_on_time = by_procedure.values().filter(|v| v.1).count();
        let ratio = |n: usize| (procedures > 0).then(|| n as f64 * 100.0 / procedures as f64);
        Ok(PublicationReport {
            year,
            lead_working_days: lead,
            lines,
            procedures,
            on_time,
            ratio_pct: ratio(on_time),
            publicised_on_time,
            publicised_ratio_pct: ratio(publicised_on_time),
        })
    }
}

/// A document attached to a report, as uploaded.
#[derive(Debug, Clone)]
pub struct ReportUpload {
    /// `YYYY-MM`; default the current month.
    pub month: Option<String>,
    pub name: String,
    pub file_name: String,
    pub bytes: bytes::Bytes,
}

impl App {
    /// The task of the plan the user's agency answers for, or why not (a refusal is audited).
    async fn task_of_my_agency(
        &self,
        actor: &Actor,
        plan_id: Uuid,
        task_id: Uuid,
    ) -> AppResult<(StoredPlan, Agency, String)> {
        let plan = self.plan(actor, Some(plan_id)).await?;
        let roster = self.roster(&plan).await?;
        let agency = self.acting_agency(actor, &plan, &roster).await?;
        let (section, task) = plan
            .plan
            .tasks()
            .find(|(_, t)| t.id == Some(task_id))
            .ok_or_else(|| AppError::NotFound(format!("nhiệm vụ {task_id} của kế hoạch")))?;
        let key = task.key(&section.number);
        if roster.duty(task, &agency.code).is_none() {
            let audit = actor.audit(
                self.now(),
                "plan.report.denied",
                "plan_task",
                key.clone(),
                serde_json::json!({ "agency": agency.code }),
            );
            self.store.record_audit(&audit).await?;
            return Err(AppError::Forbidden(format!("Nhiệm vụ {key} không giao cho {}", agency.name)));
        }
        Ok((plan, agency, key))
    }

    /// The report month given (default: this month), never one still to come.
    fn report_month(&self, given: Option<&str>) -> AppResult<String> {
        let today = self.today();
        let month = match given.map(str::trim).filter(|m| !m.is_empty()) {
            Some(m) => parse_month(m)?,
            None => parse_month(&month_of(today))?,
        };
        if month_of(month) > month_of(today) {
            return Err(AppError::invalid("month_in_future", "month", "Không báo cáo trước cho tháng chưa đến"));
        }
        Ok(month_of(month))
    }

    /// Attach a document to the user's agency's report on a task for a month: the bytes to the
    /// file store first, then the row and its audit in one transaction. Runs to its end even when
    /// the caller goes away (see [`App::attach_document`]).
    pub async fn attach_report_file(
        &self,
        actor: &Actor,
        plan_id: Uuid,
        task_id: Uuid,
        input: ReportUpload,
    ) -> AppResult<ReportFile> {
        let (app, actor) = (self.clone(), actor.clone());
        self.to_completion(async move { app.attach_report_file_now(&actor, plan_id, task_id, input).await }).await
    }

    async fn attach_report_file_now(
        &self,
        actor: &Actor,
        plan_id: Uuid,
        task_id: Uuid,
        input: ReportUpload,
    ) -> AppResult<ReportFile> {
        let (plan, agency, key) = self.task_of_my_agency(actor, plan_id, task_id).await?;
        let month = self.report_month(input.month.as_deref())?;
        let name = input.name.trim();
        if name.is_empty() {
            return Err(AppError::invalid("required", "name", "Nêu tên tài liệu"));
        }
        let id = Uuid::now_v7();
        let stored =
            self.put_upload(format!("plans/{}/{task_id}/{id}", plan.id), &input.file_name, input.bytes).await?;
        let file = ReportFile {
            id,
            plan_id: plan.id,
            task_id,
            agency: agency.code.clone(),
            month,
            name: name.to_owned(),
            file: stored,
            created_at: self.now(),
            created_by: actor.name(),
        };
        let audit = actor.audit(
            self.now(),
            "plan.report.file",
            "plan_task",
            key,
            serde_json::json!({ "file": id, "agency": agency.code, "month": file.month, "sha256": file.file.sha256 }),
        );
        self.keep_upload(&file.file, self.store.add_report_file(&file, &audit)).await?;
        Ok(file)
    }

    /// A document of a report with its bytes (staff; checksum verified).
    pub async fn report_file(
        &self,
        actor: &Actor,
        plan_id: Uuid,
        file_id: Uuid,
    ) -> AppResult<(ReportFile, bytes::Bytes)> {
        require_staff(actor)?;
        let file = self
            .store
            .report_files(plan_id)
            .await?
            .into_iter()
            .find(|f| f.id == file_id)
            .ok_or_else(|| AppError::NotFound(format!("tài liệu {file_id} của kế hoạch")))?;
        // The agency that reported it and the provincial office read it; other agencies do not
        // (issue 12: any officer who knew the id could download it).
        if actor.require_admin().is_err() {
            let plan = self.plan(actor, Some(plan_id)).await?;
            let roster = self.roster(&plan).await?;
            let mine = self.acting_agency(actor, &plan, &roster).await?;
            if mine.code != file.agency {
                let audit = actor.audit(
                    self.now(),
                    "access.denied",
                    "plan_report_file",
                    file_id.to_string(),
                    serde_json::json!({ "agency": file.agency, "acting_for": mine.code }),
                );
                self.store.record_audit(&audit).await?;
                return Err(AppError::Forbidden(format!("Tài liệu này do {} báo cáo", file.agency)));
            }
        }
        let bytes = self.stored_file(&file.file).await?;
        Ok((file, bytes))
    }
}
