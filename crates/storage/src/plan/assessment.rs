//! Impact assessments of procedure versions.

use motcua_domain::plan::assessment::ImpactAssessment;

use crate::{AuditEntry, StoreResult};

#[async_trait::async_trait]
pub trait AssessmentRepo {
    /// Enter (or replace) the impact assessment of a procedure version, its document with it
    /// (the bytes already in the file store).
    async fn put_impact_assessment(&self, assessment: &ImpactAssessment, audit: &AuditEntry) -> StoreResult<()>;
    /// Every impact assessment, by procedure code and version.
    async fn impact_assessments(&self) -> StoreResult<Vec<ImpactAssessment>>;
}
