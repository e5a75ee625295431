//! The audit trail: every write carries its entry, stored in the same transaction.

use chrono::{DateTime, Utc};
use motcua_domain::ids::AgencyCode;
use serde::Serialize;
use uuid::Uuid;

use crate::StoreResult;

/// Who did what, when and from where. Written with the change it describes.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    pub actor_id: Option<Uuid>,
    /// Username, or `system` / `cli` for changes not made by a logged-in user.
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub ip: Option<String>,
    pub agency: Option<AgencyCode>,
    pub detail: serde_json::Value,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct AuditRecord {
    pub id: Uuid,
    #[serde(flatten)]
    pub entry: AuditEntry,
}

#[async_trait::async_trait]
pub trait AuditRepo {
    /// Record an event that changes no data (a refused access).
    async fn record_audit(&self, entry: &AuditEntry) -> StoreResult<()>;
    /// The latest entries, newest first.
    async fn audit_log(&self, limit: u32) -> StoreResult<Vec<AuditRecord>>;
}
