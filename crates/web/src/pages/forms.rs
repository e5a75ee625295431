//! Printed forms of a dossier and the desk's tracking book as pages: printable HTML, or a PDF for
//! a link in a browser (`…/pdf`, `?format=pdf`). Errors are Vietnamese pages.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::{Query, QueryRejection};
use chrono::Datelike;
use motcua_print::{Block, Doc};

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

/// `/mot-cua/so-theo-doi/{desk}`: the desk's tracking book in the site's layout, with the period
/// picked and links to its PDF and its printable page (`format=pdf`, `format=print`).
pub async fn book_page(
    State(s): State<AppState>,
    caller: Caller,
    Path(desk): Path<String>,
    q: Result<Query<BookParams>, QueryRejection>,
) -> Result<Response, PageError> {
    let Query(p) = q.map_err(bad_query_list).map_err(page_error(&caller))?;
    // On screen a page of the book; printed or downloaded, the whole book (or the page asked).
    let download = matches!(p.format.as_deref(), Some("print" | "pdf"));
    let page = if download { p.page } else { Some(p.page.unwrap_or(1)) };
    let book = s
        .app
        .desk_book_form(&caller.actor, &desk, p.from.as_deref(), p.to.as_deref(), page)
        .await
        .map_err(super::page_err(&caller, "book"))?;
    match p.format.as_deref() {
        Some("print") => return respond(book.doc, book.title, Format::Html).await.map_err(page_error(&caller)),
        Some("pdf") => return respond(book.doc, book.title, Format::Pdf).await.map_err(page_error(&caller)),
        _ => {}
    }
    let today = s.app.today();
    let from = p.from.unwrap_or_else(|| today.with_day(1).unwrap_or(today).to_string());
    let to = p.to.unwrap_or_else(|| today.to_string());
    Ok(BookPage {
        layout: super::Layout::of(&caller.actor, "book"),
        desk,
        title: book.title,
        from,
        to,
        page: book.page.unwrap_or(1),
        pages: book.pages,
        doc: book.doc,
    }
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "dossiers/book.html")]
pub(super) struct BookPage {
    layout: super::Layout,
    desk: String,
    title: String,
    from: String,
    to: String,
    page: u32,
    pages: u32,
    doc: Doc,
}
