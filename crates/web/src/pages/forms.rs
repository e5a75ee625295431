//! Printed forms of a dossier, as built by `motcua_app::forms` (one [`Doc`] per form), served as
//! printable HTML or, by `Accept: application/pdf` (pages: `…/pdf`), as a PDF laid out by
//! `motcua-print` with the embedded font and a QR code to the public lookup.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum_extra::extract::{Query, QueryRejection};
use motcua_app::AppError;
use motcua_print::{Block, Doc, NATION, Paper};

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, PageError};

/// The HTML rendering of any form.
#[derive(Template)]
#[template(path = "forms/doc.html")]
struct DocPage<'a> {
    doc: &'a Doc,
    title: &'a str,
    qr_svg: String,
}

/// The QR code as an inline SVG path (module coordinates only; nothing from user input).
fn qr_svg(doc: &Doc) -> String {
    let Some((n, modules)) = doc.qr_modules() else { return String::new() };
    let mut d = String::new();
    for (i, dark) in modules.iter().enumerate() {
        if *dark {
            d.push_str(&format!("M{} {}h1v1h-1z", i % n, i / n));
        }
    }
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="-2 -2 {w} {w}" width="96" height="96" role="img" aria-label="QR"><path d="{d}"/></svg>"#,
        w = n + 4
    )
}

/// HTML, PDF or the document model as JSON, as the client asked (the first of these listed in
/// `Accept` wins; `*/*` or no header gives HTML). A client that accepts none gets 406.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Pdf,
    Json,
}

impl Format {
    pub fn negotiate(headers: &HeaderMap) -> Result<Self, ApiError> {
        let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("*/*");
        let offered = [("text/html", Self::Html), ("application/pdf", Self::Pdf), ("application/json", Self::Json)];
        match offered.iter().filter_map(|(m, f)| accept.find(m).map(|p| (p, *f))).min_by_key(|(p, _)| *p) {
            Some((_, f)) => Ok(f),
            None if accept.contains("*/*") || accept.contains("text/*") => Ok(Self::Html),
            None => Err(ApiError(AppError::NotAcceptable("text/html, application/pdf, application/json".into()))),
        }
    }
}

/// Serve a document in the wanted format; PDFs are laid out on the blocking pool.
pub async fn respond(doc: Doc, title: String, format: Format) -> Result<Response, ApiError> {
    match format {
        Format::Json => Ok(axum::Json(doc).into_response()),
        Format::Html => {
            let page = DocPage { qr_svg: qr_svg(&doc), doc: &doc, title: &title };
            let html = page.render().map_err(|e| ApiError(AppError::Internal(e.to_string())))?;
            Ok(Html(html).into_response())
        }
        Format::Pdf => {
            let file = format!("{}.pdf", title.replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "_"));
            let bytes = tokio::task::spawn_blocking(move || motcua_print::pdf::render(&doc, &title))
                .await
                .map_err(|e| ApiError(AppError::Internal(e.to_string())))?
                .map_err(|e| ApiError(AppError::Internal(e.to_string())))?;
            Ok((
                StatusCode::OK,
                [
                    (header::CONTENT_TYPE, "application/pdf".to_owned()),
                    (header::CONTENT_DISPOSITION, format!("inline; filename=\"{file}\"")),
                ],
                bytes,
            )
                .into_response())
        }
    }
}

/// `GET /api/v1/dossiers/{code}/forms/{form}`: HTML, PDF or JSON by `Accept`.
pub async fn form(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path((code, number)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let format = Format::negotiate(&headers)?;
    let doc = s.app.dossier_form(&caller.actor, &code, &number).await?;
    respond(doc, format!("Mẫu {number} — {code}"), format).await
}

/// A page route's failure as a Vietnamese error page (or the login page).
fn page_error(caller: &Caller) -> impl Fn(ApiError) -> PageError + '_ {
    move |e| super::page_err(caller, "queue")(e.0)
}

/// `/ho-so/{code}/mau/{form}`: the printable page (errors as pages).
pub async fn form_page(
    State(s): State<AppState>,
    caller: Caller,
    Path((code, number)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let doc = s.app.dossier_form(&caller.actor, &code, &number).await.map_err(super::page_err(&caller, "queue"))?;
    respond(doc, format!("Mẫu {number} — {code}"), Format::Html).await.map_err(page_error(&caller))
}

/// `/ho-so/{code}/mau/{form}/pdf`: the PDF, for a link in a browser.
pub async fn form_pdf(
    State(s): State<AppState>,
    caller: Caller,
    Path((code, number)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let doc = s.app.dossier_form(&caller.actor, &code, &number).await.map_err(super::page_err(&caller, "queue"))?;
    respond(doc, format!("Mẫu {number} — {code}"), Format::Pdf).await.map_err(page_error(&caller))
}

/// Period of a tracking book.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BookParams {
    /// First day (YYYY-MM-DD); default: the first day of this month.
    pub from: Option<String>,
    /// Last day (YYYY-MM-DD); default: today.
    pub to: Option<String>,
    /// `pdf` for a PDF whatever the `Accept` header says.
    pub format: Option<String>,
}

/// The tracking book of a desk over a period (at most 63 days), through the API.
pub async fn book(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(desk): Path<String>,
    q: Result<Query<BookParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(p) = q.map_err(crate::api::bad_extra_query)?;
    let format = if p.format.as_deref() == Some("pdf") { Format::Pdf } else { Format::negotiate(&headers)? };
    book_of(&s, &caller, &desk, &p, format).await
}

/// `/mot-cua/so-theo-doi/{desk}`: the book as a page (errors as pages).
pub async fn book_page(
    State(s): State<AppState>,
    caller: Caller,
    Path(desk): Path<String>,
    q: Result<Query<BookParams>, QueryRejection>,
) -> Result<Response, PageError> {
    let Query(p) = q.map_err(crate::api::bad_extra_query).map_err(page_error(&caller))?;
    let format = if p.format.as_deref() == Some("pdf") { Format::Pdf } else { Format::Html };
    book_of(&s, &caller, &desk, &p, format).await.map_err(page_error(&caller))
}

async fn book_of(
    s: &AppState,
    caller: &Caller,
    desk: &str,
    p: &BookParams,
    format: Format,
) -> Result<Response, ApiError> {
    let (doc, title) = s.app.desk_book_form(&caller.actor, desk, p.from.as_deref(), p.to.as_deref()).await?;
    respond(doc, title, format).await
}
