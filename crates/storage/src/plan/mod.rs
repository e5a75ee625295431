//! The province's plan: its import and reading here, one role per feature beside it (monthly
//! progress, costing, inspections, impact assessments, report files), the same tree as
//! `motcua_domain::plan`.

mod assessment;
mod cost;
mod inspection;
mod progress;
mod report_files;

pub use assessment::AssessmentRepo;
pub use cost::CostRepo;
pub use inspection::{InspectionRepo, StoredInspectionRecord};
pub use progress::ProgressRepo;
pub use report_files::ReportFileRepo;

use chrono::{DateTime, Utc};
use motcua_domain::ids::AgencyCode;
use motcua_domain::plan::Plan;
use serde::Serialize;
use uuid::Uuid;

use crate::{AuditEntry, StoreResult};

/// What importing a plan did.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanOutcome {
    Created,
    Updated,
    /// The same content was imported before: nothing written.
    Unchanged,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanImported {
    pub id: Uuid,
    pub outcome: PlanOutcome,
    /// Keys of tasks and inspections of the earlier import that the new one no longer has.
    pub removed: Vec<String>,
}

/// A stored plan with its tasks' and inspections' ids filled in.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredPlan {
    pub id: Uuid,
    pub imported_at: DateTime<Utc>,
    pub revision: i64,
    #[serde(flatten)]
    pub plan: Plan,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanSummary {
    pub id: Uuid,
    pub owner: AgencyCode,
    pub year: i32,
    pub title: String,
    pub imported_at: DateTime<Utc>,
    pub tasks: i64,
}

#[async_trait::async_trait]
pub trait PlanRepo {
    /// Store a plan read from its document, keyed by (owner, year, title). `content_hash`
    /// identifies the content: the same hash again changes nothing. Tasks and inspections keep
    /// their ids by key; one that the new content drops is deleted when the domain's rule
    /// (`plan::import::drop_task`, `drop_inspection`) allows it, given the progress reports or
    /// the inspection record on it; otherwise the rule's `Invalid` (`plan_task_reported`,
    /// `plan_inspection_recorded`) and nothing written.
    async fn import_plan(
        &self,
        plan: &Plan,
        content_hash: &str,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> StoreResult<PlanImported>;
    /// Newest year first.
    async fn plans(&self) -> StoreResult<Vec<PlanSummary>>;
    async fn plan(&self, id: Uuid) -> StoreResult<Option<StoredPlan>>;
}
