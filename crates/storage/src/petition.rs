//! Feedback and petitions (phản ánh, kiến nghị).

use motcua_domain::calendar::deadline::Instant;
use motcua_domain::ids::AgencyCode;
use motcua_domain::petition::{Petition, PetitionState};

use crate::{AuditEntry, StoreResult};

/// Which petitions to list.
#[derive(Debug, Clone, Default)]
pub struct PetitionQuery {
    pub state: Option<PetitionState>,
    /// Received by or assigned to one of these agencies; `None`: all.
    pub agencies: Option<Vec<AgencyCode>>,
    /// Received at or after / before.
    pub received_from: Option<Instant>,
    pub received_before: Option<Instant>,
    /// Newest first when set (the public page); oldest first otherwise (work lists).
    pub newest_first: bool,
    pub page: u32,
    pub per_page: u32,
}

#[async_trait::async_trait]
pub trait PetitionRepo {
    /// Store a new petition with its audit row; when it is about a dossier, mark the dossier
    /// (and move the index's sums) in the same transaction. `NotFound` when that dossier does
    /// not exist (nothing is written).
    async fn create_petition(&self, petition: &Petition, audit: &AuditEntry) -> StoreResult<()>;
    async fn petition(&self, id: uuid::Uuid) -> StoreResult<Option<Petition>>;
    /// Store the petition's new state if its revision is still `expected_revision` (else
    /// `Stale`), with its audit row and the notices to the petitioner (outbox rows of the
    /// receiving office) in the same transaction; the new revision.
    async fn update_petition(
        &self,
        petition: &Petition,
        expected_revision: i64,
        audit: &AuditEntry,
        notices: &[motcua_domain::notice::Notice],
    ) -> StoreResult<i64>;
    /// A page of petitions and the total.
    async fn petitions(&self, query: &PetitionQuery) -> StoreResult<(Vec<Petition>, u64)>;
    /// Count a like or dislike of a published answer, once per `voter`; whether it was counted.
    async fn vote_petition(&self, id: uuid::Uuid, voter: &str, liked: bool, at: Instant) -> StoreResult<bool>;
}
