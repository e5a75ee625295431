//! Dossiers: intake, commands with their events, documents, notices, listings.

use motcua_domain::dossier::record::{
    BookLine, DocumentRecord, DossierLine, DossierQuery, DossierRecord, EventRecord, NewDossier,
};
use motcua_domain::dossier::{Dossier, DossierCode};
use motcua_domain::ids::AgencyCode;
use motcua_domain::notice::Notice;

use crate::{AuditEntry, StoreResult};

/// The notices of a new dossier, composed once its code is allocated (the code is in their text).
/// Owned, because the store may write the dossier from another task, together with the other
/// intakes that arrived at the same time.
pub type NoticesFor = std::sync::Arc<dyn Fn(&DossierCode) -> Vec<Notice> + Send + Sync>;

/// No notice for the new dossier.
pub fn no_notices() -> NoticesFor {
    std::sync::Arc::new(|_| Vec::new())
}

/// Dossiers and their event log.
#[async_trait::async_trait]
pub trait DossierRepo {
    /// Allocate the next code of the receiving agency for the receipt day (gapless per agency and
    /// day, safe under concurrent intake), store the dossier, its first event, the audit row
    /// (its `entity_id` set to the code) and the notices `notices` composes for the allocated code
    /// (outbox rows of the receiving agency), all in one transaction. Concurrent intakes may share
    /// that transaction (group commit); each answer comes after the commit that made it durable.
    async fn create_dossier(
        &self,
        new: &NewDossier,
        event: &EventRecord,
        audit: &AuditEntry,
        notices: NoticesFor,
    ) -> StoreResult<DossierRecord>;
    async fn dossier(&self, code: &DossierCode) -> StoreResult<Option<DossierRecord>>;
    /// Store a new workflow state with its event, its audit row and its notices (outbox rows of
    /// the receiving agency) in one transaction, if the revision is still `expected_revision`
    /// (else `Stale`, and nothing is written). Returns the new revision.
    async fn update_dossier(
        &self,
        code: &DossierCode,
        expected_revision: i64,
        workflow: &Dossier,
        event: &EventRecord,
        audit: &AuditEntry,
        notices: &[Notice],
    ) -> StoreResult<i64>;
    async fn dossier_events(&self, code: &DossierCode) -> StoreResult<Vec<EventRecord>>;
    /// The dossiers received at `desk` from `from` to before `before`, in the order received
    /// (then by code), each as its row of the desk's tracking book ([`BookLine::of`] its record
    /// and events): the book, or the `window` of it; and how many dossiers the whole book has.
    async fn desk_book(
        &self,
        desk: &AgencyCode,
        from: chrono::DateTime<chrono::FixedOffset>,
        before: chrono::DateTime<chrono::FixedOffset>,
        window: BookWindow,
    ) -> StoreResult<(Vec<BookLine>, u64)>;
    /// Record a file of the dossier `doc.dossier` (its bytes already stored) with its audit row,
    /// and move the dossier's 766 facts with it (component files, reuse, e-result) in the same
    /// transaction, and with it `vault` (the copy the holder's vault keeps, same bytes) when
    /// given. `NotFound` when there is no such dossier.
    async fn add_document(
        &self,
        doc: &DocumentRecord,
        vault: Option<&motcua_domain::vault::VaultItem>,
        audit: &AuditEntry,
    ) -> StoreResult<()>;
    /// The files of a dossier, oldest first.
    async fn documents(&self, code: &DossierCode) -> StoreResult<Vec<DocumentRecord>>;
    /// A page of dossiers matching the filters, soonest appointment first, and the total.
    async fn list_dossiers(&self, query: &DossierQuery) -> StoreResult<(Vec<DossierLine>, u64)>;
}

/// Which rows of a tracking book: `offset` skipped, then at most `limit` (all when `None`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BookWindow {
    pub offset: u64,
    pub limit: Option<u64>,
}
