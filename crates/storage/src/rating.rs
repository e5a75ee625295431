//! The applicants' evaluations of dossiers.

use motcua_domain::dossier::DossierCode;
use motcua_domain::rating::Rating;

use crate::{AuditEntry, StoreResult};

#[async_trait::async_trait]
pub trait RatingRepo {
    /// Store the evaluation of `rating.dossier` with its audit row, and move the dossier's facts
    /// (its satisfaction, a dislike) and the index's sums in the same transaction. `NotFound`
    /// without the dossier, `Conflict` when it was evaluated already (nothing is written).
    async fn add_rating(&self, rating: &Rating, audit: &AuditEntry) -> StoreResult<()>;
    async fn rating(&self, code: &DossierCode) -> StoreResult<Option<Rating>>;
}
