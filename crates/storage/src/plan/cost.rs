//! Compliance-cost figures of the procedures the plan simplifies.

use motcua_domain::plan::cost::Costing;
use uuid::Uuid;

use crate::{AuditEntry, StoreResult};

#[async_trait::async_trait]
pub trait CostRepo {
    /// Enter (or replace) a procedure's costing in a plan.
    async fn put_costing(&self, costing: &Costing, audit: &AuditEntry) -> StoreResult<()>;
    /// The costings of a plan, by procedure code.
    async fn costings(&self, plan: Uuid) -> StoreResult<Vec<Costing>>;
}
