//! Records of the inspections of the plan's appendix.

use chrono::{DateTime, Utc};
use motcua_domain::plan::inspection::InspectionRecord;
use uuid::Uuid;

use crate::{AuditEntry, StoreResult};

/// What the office recorded about an inspection, with when and by whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredInspectionRecord {
    /// The inspection (appendix entry) it is about.
    pub id: Uuid,
    pub record: InspectionRecord,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
}

#[async_trait::async_trait]
pub trait InspectionRepo {
    /// Record dates, team, findings, conclusion and follow-ups of one inspection of the plan.
    async fn put_inspection_record(
        &self,
        plan: Uuid,
        inspection: Uuid,
        record: &InspectionRecord,
        audit: &AuditEntry,
    ) -> StoreResult<()>;
    /// The records of a plan's inspections, by inspection id (with when and by whom).
    async fn inspection_records(&self, plan: Uuid) -> StoreResult<Vec<StoredInspectionRecord>>;
}
