//! `/api/v1/dossiers/{code}/documents`: files of a dossier (multipart upload, list, download).

use axum::Json;
use axum::body::Body;
use axum::extract::multipart::{Multipart, MultipartError, MultipartRejection};
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use motcua_app::AppError;
use motcua_app::documents::{UploadFields, UploadInput};
use motcua_app::error::ErrorBody;
use motcua_domain::dossier::record::DocumentRecord;
use motcua_domain::file::AttachedFile;

use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;

type ApiResult<T> = Result<T, ApiError>;

/// What the HTTP layer lets through (the use case applies the configured limit on the file).
pub const MAX_UPLOAD_BODY: usize = 64 * 1024 * 1024;

fn bad_multipart(e: MultipartError) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::TooLarge("Tệp quá lớn".into())
    } else {
        AppError::invalid("invalid_multipart", "body", format!("Nội dung multipart không đọc được: {}", e.body_text()))
    }
}

/// The fields of a multipart upload: `kind`, `name`, `source` (optional) and `file`.
pub(crate) async fn read_upload(mut m: Multipart) -> Result<UploadInput, AppError> {
    let (mut kind, mut name, mut source, mut file) = (None, None, None, None);
    while let Some(field) = m.next_field().await.map_err(bad_multipart)? {
        match field.name().unwrap_or_default() {
            "kind" => kind = Some(field.text().await.map_err(bad_multipart)?),
            "name" => name = Some(field.text().await.map_err(bad_multipart)?),
            "source" => source = Some(field.text().await.map_err(bad_multipart)?).filter(|s| !s.trim().is_empty()),
            "file" => {
                let file_name = field.file_name().unwrap_or_default().to_owned();
                file = Some((file_name, field.bytes().await.map_err(bad_multipart)?));
            }
            _ => {}
        }
    }
    let fields: UploadFields = serde_json::from_value(serde_json::json!({
        "kind": kind.ok_or_else(|| AppError::invalid("required", "kind", "Cần loại tệp: component hoặc result"))?.trim(),
        "name": name.unwrap_or_default(),
        "source": source.map(|s| s.trim().to_owned()),
    }))
    .map_err(|e| AppError::invalid("invalid_field", "kind", format!("Loại hoặc nguồn tệp không hợp lệ: {e}")))?;
    let (file_name, bytes) = file.ok_or_else(|| AppError::invalid("required", "file", "Cần chọn tệp"))?;
    Ok(UploadInput { kind: fields.kind, name: fields.name, file_name, source: fields.source, bytes })
}

#[utoipa::path(post, path = "/api/v1/dossiers/{code}/documents", tag = "dossiers", params(("code" = String, Path)),
    request_body(content = UploadFields, content_type = "multipart/form-data",
        description = "Fields `kind` (`component` or `result`), `name` (the component's name in the procedure's list), `source` (optional: `scan`, `upload`, `vault`, `national_data`, `issued`) and `file` (PDF, PNG or JPEG, recognised by content)."),
    description = "Attach a file: the desk digitises components (or takes them from a national database or the applicant's vault) while the dossier is open; the citizen who filed it adds components while it waits for the desk's check or a supplement; the handling agency attaches the electronic result. The dossier's Decision 766 facts (component files, reuse, e-result) move with it.",
    security(("bearer" = [])),
    responses((status = 201, body = DocumentRecord), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn upload(
    State(s): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> ApiResult<(StatusCode, Json<DocumentRecord>)> {
    let m = multipart.map_err(|e| {
        ApiError(AppError::invalid("invalid_multipart", "body", format!("Cần multipart/form-data: {}", e.body_text())))
    })?;
    let input = read_upload(m).await?;
    Ok((StatusCode::CREATED, Json(s.app.attach_document(&caller.actor, &code, input).await?)))
}

#[utoipa::path(get, path = "/api/v1/dossiers/{code}/documents", tag = "dossiers", params(("code" = String, Path)),
    description = "The files of the dossier, oldest first (whoever may read the dossier).",
    security(("bearer" = [])),
    responses((status = 200, body = Vec<DocumentRecord>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(s): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
) -> ApiResult<Json<Vec<DocumentRecord>>> {
    Ok(Json(s.app.documents(&caller.actor, &code).await?))
}

/// `attachment; filename="ascii"; filename*=UTF-8''percent-encoded` (RFC 6266 / 5987).
pub(crate) fn content_disposition(name: &str) -> String {
    let ascii: String = motcua_domain::text::strip_marks(name)
        .chars()
        .map(|c| if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' { c } else { '_' })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// The file's bytes as the response body.
pub(crate) fn file_response(doc: &DocumentRecord, bytes: axum::body::Bytes) -> Response {
    stored_file_response(&doc.file, bytes)
}

/// A stored file as a download: its content type, its file name, never sniffed by the browser.
pub(crate) fn stored_file_response(file: &AttachedFile, bytes: axum::body::Bytes) -> Response {
    let mut r = Response::new(Body::from(bytes));
    let h = r.headers_mut();
    if let Ok(v) = file.content_type.parse() {
        h.insert(header::CONTENT_TYPE, v);
    }
    if let Ok(v) = content_disposition(&file.file_name).parse() {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, header::HeaderValue::from_static("nosniff"));
    r
}

#[utoipa::path(get, path = "/api/v1/dossiers/{code}/documents/{id}", tag = "dossiers",
    params(("code" = String, Path), ("id" = String, Path)),
    description = "The file itself (its content type; the original file name in Content-Disposition). Its SHA-256 is checked against the stored one.",
    security(("bearer" = [])),
    responses((status = 200, description = "the file", content_type = "application/octet-stream"), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn download(
    State(s): State<AppState>,
    caller: Caller,
    Path((code, id)): Path<(String, String)>,
) -> ApiResult<Response> {
    let (doc, bytes) = s.app.document_file(&caller.actor, &code, &id).await?;
    Ok(file_response(&doc, bytes))
}

#[cfg(test)]
mod tests {
    #[test]
    fn vietnamese_file_names_survive_the_header() {
        assert_eq!(
            super::content_disposition("Giấy khai sinh.pdf"),
            "attachment; filename=\"Giay khai sinh.pdf\"; filename*=UTF-8''Gi%E1%BA%A5y%20khai%20sinh.pdf"
        );
    }
}
