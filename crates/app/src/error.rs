//! The application error and its table of stable codes.
//!
//! Policy: every error a client can see has a stable machine `code` (citizens and call centres
//! quote them) and a Vietnamese message; validation errors also name the `field`. The HTTP
//! status of each variant is the web crate's business (`motcua_web::error::status_of`); the
//! variants' docs say which it is. Internal errors are opaque to the client: the cause is logged once, at the boundary,
//! and the client gets `internal` with a request id.

use motcua_domain::{DomainError, FieldError};
use motcua_storage::StoreError;
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Bad input: 422 with the field.
    #[error(transparent)]
    Invalid(FieldError),
    /// Answers of a declaration form refused, every refusal at once (each naming its
    /// `answers.<key>`): 422 `invalid_answers`.
    #[error("invalid answers")]
    InvalidAnswers(Vec<FieldError>),
    /// A rule forbids this now: 409.
    #[error("{message}")]
    NotAllowed { code: &'static str, message: String },
    #[error("{0}")]
    NotFound(String),
    /// The record changed since the client read it: 409 `stale`.
    #[error("stale")]
    Stale,
    #[error("conflict: {0}")]
    Conflict(String),
    /// No or bad credentials: 401.
    #[error("unauthenticated")]
    Unauthenticated,
    /// Authenticated but not allowed: 403.
    #[error("{0}")]
    Forbidden(String),
    /// The body is larger than allowed: 413 `file_too_large`.
    #[error("too large: {0}")]
    TooLarge(String),
    /// The client accepts none of the representations offered (`Accept`): 406.
    #[error("not acceptable: {0}")]
    NotAcceptable(String),
    /// The request could not be read (a body cut in transport): 400.
    #[error("{message}")]
    BadRequest { code: &'static str, message: String },
    /// The path exists, not with this method: 405.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// A body of a type the operation does not read: 415.
    #[error("unsupported media type: {0}")]
    UnsupportedMediaType(String),
    /// The request took longer than the server allows: 408.
    #[error("timed out")]
    TimedOut,
    /// The request body is larger than the route accepts: 413 `body_too_large`.
    #[error("body too large")]
    BodyTooLarge,
    /// Too many attempts from this address or on this account or dossier: 429 with
    /// `Retry-After`.
    #[error("throttled for {retry_after_secs} s")]
    Throttled { retry_after_secs: u64 },
    /// The server is at capacity for this kind of work (password checks): 503 with
    /// `Retry-After`.
    #[error("busy")]
    Busy { retry_after_secs: u64 },
    /// A system this one depends on (the identity provider) could not be reached or answered
    /// nonsense: 502.
    #[error("{message}")]
    Upstream { code: &'static str, message: String },
    #[error("internal: {0}")]
    Internal(String),
}

/// What a client is told.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct ErrorBody {
    pub code: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Every refusal, field by field, when there are several (`invalid_answers`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldRefusal>,
}

/// One field's refusal among several.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct FieldRefusal {
    pub code: &'static str,
    pub field: String,
    pub message: String,
}

impl FieldRefusal {
    fn of(f: &FieldError) -> Self {
        Self { code: f.code, field: f.field.clone(), message: f.message.clone() }
    }
}

/// An error's code, message and field.
struct Head {
    code: &'static str,
    message: String,
    field: Option<String>,
}

impl AppError {
    pub fn invalid(code: &'static str, field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid(FieldError::new(code, field, message))
    }

    /// The refusals by field: each of a declaration's, or the one of `Invalid`.
    pub fn field_errors(&self) -> Vec<FieldError> {
        match self {
            Self::InvalidAnswers(errors) => errors.clone(),
            Self::Invalid(f) => vec![f.clone()],
            _ => vec![],
        }
    }

    /// Seconds after which the client may try again (`Retry-After`), for 429 and 503.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            Self::Throttled { retry_after_secs } | Self::Busy { retry_after_secs } => Some(*retry_after_secs),
            _ => None,
        }
    }

    pub fn body(&self) -> ErrorBody {
        let Head { code, message, field } = self.head();
        let errors = match self {
            Self::InvalidAnswers(errors) => errors.iter().map(FieldRefusal::of).collect(),
            _ => vec![],
        };
        ErrorBody { code, message, field, errors }
    }

    fn head(&self) -> Head {
        match self {
            Self::Invalid(f) => Head { code: f.code, message: f.message.clone(), field: Some(f.field.clone()) },
            Self::InvalidAnswers(errors) => Head {
                code: "invalid_answers",
                message: format!(
                    "Tờ khai chưa hợp lệ: {}",
                    errors.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join("; ")
                ),
                field: errors.first().map(|e| e.field.clone()),
            },
            Self::NotAllowed { code, message } => Head { code, message: message.clone(), field: None },
            Self::NotFound(what) => {
                Head { code: "not_found", message: format!("Không tìm thấy {what}"), field: None }
            }
            Self::Stale => Head {
                code: "stale",
                message: "Dữ liệu đã được người khác thay đổi; hãy tải lại trang rồi thực hiện lại".into(),
                field: None,
            },
            Self::Conflict(what) => {
                Head { code: "conflict", message: format!("Trùng dữ liệu: {what}"), field: None }
            }
            Self::Unauthenticated => Head {
                code: "unauthenticated",
                message: "Cần đăng nhập (tên đăng nhập hoặc mật khẩu không đúng, hoặc phiên đã hết hạn)".into(),
                field: None,
            },
            Self::Forbidden(m) => Head { code: "forbidden", message: m.clone(), field: None },
            Self::NotAcceptable(offered) => Head {
                code: "not_acceptable",
                message: format!("Không có định dạng phù hợp với Accept; có: {offered}"),
                field: None,
            },
            Self::TooLarge(m) => Head { code: "file_too_large", message: m.clone(), field: Some("file".into()) },
            Self::BadRequest { code, message } | Self::Upstream { code, message } => {
                Head { code, message: message.clone(), field: None }
            }
            Self::MethodNotAllowed => Head {
                code: "method_not_allowed",
                message: "Đường dẫn này không nhận phương thức này (xem tiêu đề Allow)".into(),
                field: None,
            },
            Self::UnsupportedMediaType(detail) => Head {
                code: "unsupported_media_type",
                message: format!("Kiểu nội dung không được hỗ trợ: {detail}"),
                field: Some("Content-Type".into()),
            },
            Self::TimedOut => {
                Head {
                    code: "timeout", message: "Yêu cầu xử lý quá lâu; vui lòng thử lại".into(), field: None
                }
            }
            Self::BodyTooLarge => Head {
                code: "body_too_large",
                message: "Nội dung yêu cầu vượt quá dung lượng cho phép".into(),
                field: Some("body".into()),
            },
            Self::Throttled { retry_after_secs } => Head {
                code: "too_many_requests",
                message: format!("Quá nhiều lần thử; vui lòng thử lại sau {retry_after_secs} giây"),
                field: None,
            },
            Self::Busy { retry_after_secs } => Head {
                code: "busy",
                message: format!("Hệ thống đang bận; vui lòng thử lại sau {retry_after_secs} giây"),
                field: None,
            },
            Self::Internal(_) => Head {
                code: "internal",
                message: "Lỗi hệ thống; vui lòng thử lại hoặc báo quản trị viên kèm mã yêu cầu".into(),
                field: None,
            },
        }
    }
}

impl From<FieldError> for AppError {
    fn from(e: FieldError) -> Self {
        Self::Invalid(e)
    }
}

impl From<DomainError> for AppError {
    fn from(e: DomainError) -> Self {
        match e {
            DomainError::Invalid(f) => Self::Invalid(f),
            DomainError::NotAllowed { code, message } => Self::NotAllowed { code, message },
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(w) => Self::NotFound(w),
            StoreError::Conflict { constraint } => Self::Conflict(constraint),
            StoreError::Stale => Self::Stale,
            StoreError::Invalid { code, field, message } => Self::Invalid(FieldError::new(code, field, message)),
            StoreError::Other(m) => Self::Internal(m),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        let e = AppError::from(StoreError::Stale);
        assert_eq!(e.body().code, "stale");
        let e = AppError::invalid("required", "name", "x");
        assert_eq!(e.body().field.as_deref(), Some("name"));
        let e = AppError::Internal("db exploded at 10.0.0.3".into());
        assert!(!e.body().message.contains("10.0.0.3"), "internal causes are not shown");
    }
}
