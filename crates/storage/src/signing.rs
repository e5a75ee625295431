//! Signed electronic results: the agencies' keys (private halves sealed), the results issued,
//! and every verification.

use motcua_domain::dossier::DossierCode;
use motcua_domain::dossier::record::DocumentRecord;
use motcua_domain::ids::AgencyCode;
use motcua_domain::signature::{AgencyKey, SignedResult, Verification};
use uuid::Uuid;

use crate::{AuditEntry, StoreResult};

#[async_trait::async_trait]
pub trait SigningRepo {
    /// The agency's key in use (not retired).
    async fn active_key(&self, agency: &AgencyCode) -> StoreResult<Option<AgencyKey>>;
    async fn signing_key(&self, id: Uuid) -> StoreResult<Option<AgencyKey>>;
    /// Every key, oldest first (their public halves are published).
    async fn signing_keys(&self) -> StoreResult<Vec<AgencyKey>>;
    /// Add `key` as its agency's key in use, retiring the one in use before at `key.created_at`
    /// (rotation), with its audit row, in one transaction. `Conflict` when another key was made
    /// in use at the same time (one key in use per agency).
    async fn add_signing_key(&self, key: &AgencyKey, audit: &AuditEntry) -> StoreResult<()>;
    /// Record the result's file (a document of the dossier, moving its 766 facts as
    /// `add_document` does), the signed result and its copy in the holder's vault, with the
    /// audit row, in one transaction.
    async fn add_signed_result(
        &self,
        doc: &DocumentRecord,
        result: &SignedResult,
        vault: &motcua_domain::vault::VaultItem,
        audit: &AuditEntry,
    ) -> StoreResult<()>;
    async fn signed_result(&self, id: Uuid) -> StoreResult<Option<SignedResult>>;
    /// The results signed for a dossier, oldest first.
    async fn signed_results(&self, dossier: &DossierCode) -> StoreResult<Vec<SignedResult>>;
    async fn record_verification(&self, v: &Verification) -> StoreResult<()>;
    /// The verifications of a result, newest first, at most `limit`.
    async fn verifications(&self, result: Uuid, limit: u32) -> StoreResult<Vec<Verification>>;
}

/// Certified electronic copies: the certifying body's register.
#[async_trait::async_trait]
pub trait CopyRepo {
    /// Record a certified copy: its file (a result of the dossier), its signature, its place in
    /// the holder's vault and the register's row, with the audit row, in one transaction.
    async fn add_certified_copy(
        &self,
        doc: &DocumentRecord,
        result: &SignedResult,
        vault: &motcua_domain::vault::VaultItem,
        copy: &motcua_domain::certified_copy::CertifiedCopy,
        audit: &AuditEntry,
    ) -> StoreResult<()>;
    /// The copies certified in a dossier, oldest first.
    async fn certified_copies(
        &self,
        dossier: &DossierCode,
    ) -> StoreResult<Vec<motcua_domain::certified_copy::CertifiedCopy>>;
}
