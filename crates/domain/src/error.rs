//! Validation errors. Every error names the field it is about, so that the API can answer
//! `{"code", "message", "field"}` and a page can show the message next to the input.

use serde::Serialize;

/// One invalid field: a stable machine code, the field path and a Vietnamese message.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    /// Stable code, e.g. `invalid_procedure_code`.
    pub code: &'static str,
    /// Path of the field, e.g. `versions[0].time_limit.value`.
    pub field: String,
    /// Human message in Vietnamese.
    pub message: String,
}

impl FieldError {
    pub fn new(code: &'static str, field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { code, field: field.into(), message: message.into() }
    }

    /// The same error, reported under a parent path (`versions[2]` + `name` → `versions[2].name`).
    #[must_use]
    pub fn under(mut self, parent: &str) -> Self {
        self.field = if self.field.is_empty() {
            parent.to_owned()
        } else if self.field.starts_with('[') {
            format!("{parent}{}", self.field)
        } else {
            format!("{parent}.{}", self.field)
        };
        self
    }
}

/// Errors of domain rules that are not about a single input field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error(transparent)]
    Invalid(#[from] FieldError),
    /// A state change the rules do not allow (e.g. publishing an abolished procedure).
    #[error("{message}")]
    NotAllowed { code: &'static str, message: String },
}

impl DomainError {
    pub fn not_allowed(code: &'static str, message: impl Into<String>) -> Self {
        Self::NotAllowed { code, message: message.into() }
    }
}
