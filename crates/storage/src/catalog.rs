//! The procedure catalog: procedures with their versions, import and export, search.

use motcua_domain::ids::ProcedureCode;
use motcua_domain::procedure::search::CatalogEntry;
use motcua_domain::procedure::{Procedure, ProcedureVersion};
use serde::Serialize;

use crate::{AuditEntry, StoreResult};

/// What an import did.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct ImportSummary {
    pub created: u32,
    pub updated: u32,
    pub unchanged: u32,
}

/// A procedure with the revision counter used for optimistic locking.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredProcedure {
    pub procedure: Procedure,
    pub revision: i64,
}

#[async_trait::async_trait]
pub trait CatalogRepo {
    /// Import procedures with their versions, all or nothing. A stored version must be equal to
    /// the imported one (drafts excepted, they are replaced); new versions are appended.
    async fn import_procedures(
        &self,
        procedures: &[Procedure],
        audit: &AuditEntry,
        progress: &(dyn Fn(usize) + Sync),
    ) -> StoreResult<ImportSummary>;

    async fn procedure(&self, code: &ProcedureCode) -> StoreResult<Option<StoredProcedure>>;

    /// Write changed or new versions of one procedure (creating it at revision 1 when
    /// `expected_revision` is 0). Fails with `Stale` when the stored revision differs.
    async fn save_versions(
        &self,
        code: &ProcedureCode,
        expected_revision: i64,
        versions: &[ProcedureVersion],
        audit: &AuditEntry,
    ) -> StoreResult<i64>;

    /// Every version that was ever published, as the search index needs it (no content).
    async fn catalog_entries(&self) -> StoreResult<Vec<CatalogEntry>>;

    /// A number that changes whenever the catalog changes (the search index is rebuilt then).
    async fn catalog_stamp(&self) -> StoreResult<i64>;

    /// Every procedure with all its versions, ordered by code.
    async fn export_procedures(&self) -> StoreResult<Vec<Procedure>>;
}
