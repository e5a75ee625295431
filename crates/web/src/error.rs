//! One application error, two renderers: JSON for the API, an HTML page for pages.

use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use motcua_app::AppError;
use motcua_app::error::ErrorBody;

use crate::pages::Layout;

/// An error answered as JSON `{"code", "message", "field"}`.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        Self(e.into())
    }
}

/// The HTTP status of an application error: one table for the API and the pages.
pub fn status_of(e: &AppError) -> StatusCode {
    match e {
        AppError::Invalid(_) | AppError::InvalidAnswers(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::NotAllowed { .. } | AppError::Stale | AppError::Conflict(_) => StatusCode::CONFLICT,
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
        AppError::Forbidden(_) => StatusCode::FORBIDDEN,
        AppError::NotAcceptable(_) => StatusCode::NOT_ACCEPTABLE,
        AppError::TooLarge(_) | AppError::BodyTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        AppError::BadRequest { .. } => StatusCode::BAD_REQUEST,
        AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        AppError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        AppError::TimedOut => StatusCode::REQUEST_TIMEOUT,
        AppError::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
        AppError::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
        AppError::Upstream { .. } => StatusCode::BAD_GATEWAY,
        AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The status of an error about to be answered; an internal cause is logged once, here, with
/// the request span (and so its id), and the client sees no cause.
fn status(e: &AppError) -> StatusCode {
    if let AppError::Internal(cause) = e {
        tracing::error!(%cause, "internal error");
    }
    status_of(e)
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut r = (status(&self.0), Json(self.0.body())).into_response();
        retry_after(&self.0, &mut r);
        r
    }
}

/// `Retry-After` of a 429 or 503 (API errors, error pages, and pages that show the refusal in
/// place: login, public lookup).
pub(crate) fn retry_after(e: &AppError, r: &mut Response) {
    if let Some(secs) = e.retry_after() {
        r.headers_mut().insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from(secs.max(1)));
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    status: u16,
    body: ErrorBody,
}

/// An error answered as a page in the site layout.
#[derive(Debug)]
pub struct PageError {
    pub error: AppError,
    /// Boxed: the layout carries the user, and errors travel in `Result`s.
    pub layout: Box<Layout>,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let code = status(&self.error);
        if matches!(self.error, AppError::Unauthenticated) {
            return axum::response::Redirect::to("/dang-nhap").into_response();
        }
        let page = ErrorPage { layout: *self.layout, status: code.as_u16(), body: self.error.body() };
        let mut r = (code, page).into_response();
        retry_after(&self.error, &mut r);
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses() {
        assert_eq!(status_of(&AppError::Stale), StatusCode::CONFLICT);
        assert_eq!(status_of(&AppError::invalid("required", "name", "x")), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(status_of(&AppError::Throttled { retry_after_secs: 1 }), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(status_of(&AppError::TooLarge("x".into())), StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(status_of(&AppError::Internal("x".into())), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
