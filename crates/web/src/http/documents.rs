//! A printable document (a `motcua_print::Doc` built by `motcua_app::forms`) served as printable
//! HTML, as a PDF laid out by `motcua-print` with the embedded font and a QR code to the public
//! lookup, or as its JSON model.

use askama::Template;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use motcua_app::AppError;
use motcua_print::{Block, Doc, NATION, Paper};

use crate::error::ApiError;

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
            let file = format!("{title}.pdf");
            let bytes = tokio::task::spawn_blocking(move || motcua_print::pdf::render(&doc, &title))
                .await
                .map_err(|e| ApiError(AppError::Internal(e.to_string())))?
                .map_err(|e| ApiError(AppError::Internal(e.to_string())))?;
            Ok((
                StatusCode::OK,
                [
                    (header::CONTENT_TYPE, "application/pdf".to_owned()),
                    (header::CONTENT_DISPOSITION, super::files::inline_disposition(&file)),
                ],
                bytes,
            )
                .into_response())
        }
    }
}

/// The title of a dossier's form, in the page and the PDF's metadata.
pub fn form_title(code: &str, number: &str) -> String {
    format!("Mẫu {number} — {code}")
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
    /// A page of 100 rows (numbered as in the whole book); the whole book when absent.
    #[param(minimum = 1, maximum = 100000)]
    pub page: Option<u32>,
}

impl BookParams {
    /// `format=pdf` wins; otherwise `fallback` (the API negotiates, the page shows HTML).
    pub fn format_or(&self, fallback: impl FnOnce() -> Result<Format, ApiError>) -> Result<Format, ApiError> {
        if self.format.as_deref() == Some("pdf") { Ok(Format::Pdf) } else { fallback() }
    }
}
