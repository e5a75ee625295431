//! Declaration forms (tờ khai): the answers filed with a dossier, and the citizens' drafts.

use motcua_domain::calendar::deadline::Instant;
use motcua_domain::dossier::DossierCode;
use motcua_domain::ids::ProcedureCode;
use motcua_domain::procedure::eform::{Answers, Draft, RawAnswers};
use uuid::Uuid;

use crate::StoreResult;

#[async_trait::async_trait]
pub trait DeclarationRepo {
    /// The declaration filed with a dossier (written by `create_dossier` from
    /// `NewDossier::declaration`); `None` when it has none. `NotFound` without the dossier.
    async fn declaration(&self, code: &DossierCode) -> StoreResult<Option<Answers>>;
    /// Keep `owner`'s draft of the declaration of `procedure` (replacing the one kept before).
    async fn save_draft(
        &self,
        owner: Uuid,
        procedure: &ProcedureCode,
        answers: &RawAnswers,
        at: Instant,
    ) -> StoreResult<()>;
    async fn draft(&self, owner: Uuid, procedure: &ProcedureCode) -> StoreResult<Option<Draft>>;
    /// Drop the draft (filed or discarded); true when there was one.
    async fn discard_draft(&self, owner: Uuid, procedure: &ProcedureCode) -> StoreResult<bool>;
}
