//! Monthly progress reports on the plan's tasks.

use motcua_domain::plan::ProgressReport;
use uuid::Uuid;

use crate::{AuditEntry, StoreResult};

#[async_trait::async_trait]
pub trait ProgressRepo {
    /// File (or correct) an agency's report on a task for a month: one per task, agency and
    /// month, the later replacing the earlier.
    async fn put_progress_report(&self, report: &ProgressReport, audit: &AuditEntry) -> StoreResult<()>;
    /// Reports on a plan's tasks, by month then task.
    async fn progress_reports(&self, plan: Uuid) -> StoreResult<Vec<ProgressReport>>;
}
