//! Documents attached to progress reports.

use motcua_domain::plan::ReportFile;
use uuid::Uuid;

use crate::{AuditEntry, StoreResult};

#[async_trait::async_trait]
pub trait ReportFileRepo {
    /// Record a document attached to a report (its bytes are already in the file store).
    async fn add_report_file(&self, file: &ReportFile, audit: &AuditEntry) -> StoreResult<()>;
    /// The documents attached to reports on a plan's tasks, oldest first.
    async fn report_files(&self, plan: Uuid) -> StoreResult<Vec<ReportFile>>;
}
