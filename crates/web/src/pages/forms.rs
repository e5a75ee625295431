//! Printed forms of a dossier and the desk's tracking book as pages: printable HTML, or a PDF for
//! a link in a browser (`…/pdf`, `?format=pdf`). Errors are Vietnamese pages.

use axum::extract::{Path, State};
use axum::response::Response;
use axum_extra::extract::{Query, QueryRejection};

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, PageError};
use crate::http::documents::{BookParams, Format, form_title, respond};
use crate::http::extract::bad_query_list;

/// A page route's failure as a Vietnamese error page (or the login page).
fn page_error(caller: &Caller) -> impl Fn(ApiError) -> PageError + '_ {
    move |e| super::page_err(caller, "queue")(e.0)
}

async fn form_as(
    s: AppState,
    caller: Caller,
    code: String,
    number: String,
    format: Format,
) -> Result<Response, PageError> {
    let doc = s.app.dossier_form(&caller.actor, &code, &number).await.map_err(super::page_err(&caller, "queue"))?;
    respond(doc, form_title(&code, &number), format).await.map_err(page_error(&caller))
}

/// `/ho-so/{code}/mau/{form}`: the printable page.
pub async fn form_page(
    State(s): State<AppState>,
    caller: Caller,
    Path((code, number)): Path<(String, String)>,
) -> Result<Response, PageError> {
    form_as(s, caller, code, number, Format::Html).await
}

/// `/ho-so/{code}/mau/{form}/pdf`: the PDF.
pub async fn form_pdf(
    State(s): State<AppState>,
    caller: Caller,
    Path((code, number)): Path<(String, String)>,
) -> Result<Response, PageError> {
    form_as(s, caller, code, number, Format::Pdf).await
}

/// `/mot-cua/so-theo-doi/{desk}`: the desk's tracking book as a page.
pub async fn book_page(
    State(s): State<AppState>,
    caller: Caller,
    Path(desk): Path<String>,
    q: Result<Query<BookParams>, QueryRejection>,
) -> Result<Response, PageError> {
    let Query(p) = q.map_err(bad_query_list).map_err(page_error(&caller))?;
    let format = p.format_or(|| Ok(Format::Html)).map_err(page_error(&caller))?;
    let (doc, title) = s
        .app
        .desk_book_form(&caller.actor, &desk, p.from.as_deref(), p.to.as_deref())
        .await
        .map_err(super::page_err(&caller, "queue"))?;
    respond(doc, title, format).await.map_err(page_error(&caller))
}
