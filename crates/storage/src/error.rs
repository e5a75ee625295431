/// Storage-neutral error. Driver errors are converted at the storage boundary.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found: {0}")]
    NotFound(String),
    /// A uniqueness or reference rule of the store was broken.
    #[error("conflict on {constraint}")]
    Conflict { constraint: String },
    /// The row changed since the caller read it (optimistic lock).
    #[error("stale revision")]
    Stale,
    /// Data the store cannot accept; `field` names the record and field.
    #[error("{field}: {message}")]
    Invalid { code: &'static str, field: String, message: String },
    #[error("storage error: {0}")]
    Other(String),
}

/// A domain rule the store applies inside its transaction refused the write: the rule's own
/// code, field and message, unchanged.
impl From<motcua_domain::FieldError> for StoreError {
    fn from(e: motcua_domain::FieldError) -> Self {
        Self::Invalid { code: e.code, field: e.field, message: e.message }
    }
}
