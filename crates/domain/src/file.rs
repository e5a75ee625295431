//! What is kept about a stored file beside the record it belongs to (a dossier's document, a
//! report's attachment, an assessment form): its bytes are in the file store under
//! `storage_key`, typed by their content and checked against `sha256` when read back.

use serde::{Deserialize, Serialize};

/// A file kept with a record (type by content, SHA-256 checked on download).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachedFile {
    pub file_name: String,
    pub content_type: String,
    pub size: u64,
    pub sha256: String,
    /// Where the bytes are in the file store.
    #[serde(skip)]
    pub storage_key: String,
}
