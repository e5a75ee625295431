//! Compliance-cost figures of the procedures the plan simplifies, and the plan's cost targets.

use motcua_domain::ids::ProcedureCode;
use motcua_domain::plan::Metric;
use motcua_domain::plan::cost::{CostSheet, CostTotals, Costing, Decision, ReviewStatus};
use motcua_storage::StoredPlan;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Actor, App, AppError, AppResult};

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
        motcua_domain::plan::cost::check_review(
            status,
            input.after.as_ref(),
            &input.note,
            decision.as_ref(),
            self.today(),
        )?;
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
    pub(super) async fn cost_report_of(&self, plan: &StoredPlan) -> AppResult<CostReport> {
        let costings = self.store.costings(plan.id).await?;
        let totals = motcua_domain::plan::cost::totals(&costings);
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
pub(crate) fn met(target: Option<f64>, value: Option<f64>) -> Option<bool> {
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
