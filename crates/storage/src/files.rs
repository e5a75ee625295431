//! Which stored files rows refer to.

use crate::StoreResult;

/// Which stored files rows refer to (dossier documents, report attachments, assessment forms).
#[async_trait::async_trait]
pub trait FileKeyRepo {
    /// The keys among `keys` that some row refers to.
    async fn file_keys_in_use(&self, keys: &[String]) -> StoreResult<std::collections::HashSet<String>>;
}
