//! `/xac-thuc/{id}`: the public page a signed result's QR code opens — whether the result is
//! signed by its agency and intact, and a form to check a copy (the PDF as received).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use motcua_app::signing::VerifyView;
use motcua_domain::signature::VerifyChannel;

use super::{Layout, PageError, page_err};
use crate::AppState;
use crate::auth::Caller;
use crate::http::files::{not_multipart, read_copy};

#[derive(Template, WebTemplate)]
#[template(path = "verify.html")]
pub struct VerifyPage {
    layout: Layout,
    v: VerifyView,
    /// A refusal of the copy sent (no file, unreadable body).
    error: Option<String>,
}

impl VerifyPage {
    fn when(&self) -> String {
        self.v.signed_at.format("%H:%M ngày %d/%m/%Y").to_string()
    }
}

pub async fn show(State(s): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<VerifyPage, PageError> {
    let v = s.app.verify_result(&id, None, VerifyChannel::Page).await.map_err(page_err(&caller, "verify"))?;
    Ok(VerifyPage { layout: Layout::of(&caller.actor, "verify"), v, error: None })
}

/// `POST /xac-thuc/{id}` (multipart `file`): check a copy.
pub async fn check_copy(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    let copy = match multipart {
        Ok(m) => read_copy(m).await,
        Err(e) => Err(not_multipart(e)),
    };
    let (copy, error) = match copy {
        Ok(bytes) => (Some(bytes), None),
        Err(e) => (None, Some(e.body().message)),
    };
    let v = s.app.verify_result(&id, copy, VerifyChannel::Page).await.map_err(page_err(&caller, "verify"))?;
    let status =
        if error.is_some() { axum::http::StatusCode::UNPROCESSABLE_ENTITY } else { axum::http::StatusCode::OK };
    Ok((status, VerifyPage { layout: Layout::of(&caller.actor, "verify"), v, error }).into_response())
}

/// `POST /ho-so/{code}/ky-ket-qua`: a leader signs the dossier's result from its page.
pub async fn sign(State(s): State<AppState>, caller: Caller, Path(code): Path<String>) -> Result<Response, PageError> {
    match s.app.issue_signed_result(&caller.actor, &code).await {
        Ok(_) => Ok(Redirect::to(&format!("/ho-so/{code}")).into_response()),
        Err(e) => super::dossiers::refused_on_page(&s, &caller, &code, e).await,
    }
}

/// `POST /ho-so/{code}/chung-thuc` (multipart): the certifying officer issues a certified
/// electronic copy from the dossier page.
pub async fn certify(
    State(s): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    let result = match multipart {
        Ok(m) => match crate::http::files::read_copy_request(m).await {
            Ok(input) => s.app.certify_copy(&caller.actor, &code, input).await.map(|_| ()),
            Err(e) => Err(e),
        },
        Err(e) => Err(not_multipart(e)),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/ho-so/{code}")).into_response()),
        Err(e) => super::dossiers::refused_on_page(&s, &caller, &code, e).await,
    }
}
