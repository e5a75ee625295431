//! The document vault: holders' documents, and which account stands for which holder.

use motcua_domain::vault::{Holder, VaultItem};
use uuid::Uuid;

use crate::{AuditEntry, AuditRecord, StoreResult};

#[async_trait::async_trait]
pub trait VaultRepo {
    /// The holder's documents, newest first.
    async fn vault_items(&self, holder: &Holder) -> StoreResult<Vec<VaultItem>>;
    async fn vault_item(&self, id: Uuid) -> StoreResult<Option<VaultItem>>;
    /// Link the account `user` to `holder` (its identity checked by an admin or the identity
    /// provider), replacing an earlier link, with its audit row. `Conflict` when another account
    /// stands for that holder.
    async fn link_identity(&self, user: Uuid, holder: &Holder, source: &str, audit: &AuditEntry) -> StoreResult<()>;
    /// The holder the account stands for.
    async fn identity_of(&self, user: Uuid) -> StoreResult<Option<Holder>>;
    /// The audit rows about the holder's vault (`entity = "vault"`), newest first.
    async fn vault_log(&self, holder: &Holder, limit: u32) -> StoreResult<Vec<AuditRecord>>;
}
