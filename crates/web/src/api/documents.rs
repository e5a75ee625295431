//! `/api/v1/dossiers/{code}/documents`: files of a dossier (multipart upload, list, download).

use axum::Json;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use motcua_app::documents::UploadFields;
use motcua_app::error::ErrorBody;
use motcua_domain::dossier::record::DocumentRecord;

use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::files::{attach_streamed, file_response, not_multipart};

type ApiResult<T> = Result<T, ApiError>;

#[utoipa::path(post, path = "/api/v1/dossiers/{code}/documents", tag = "dossiers", params(("code" = String, Path)),
    request_body(content = UploadFields, content_type = "multipart/form-data",
        description = "Fields `kind` (`component` or `result`), `name` (the component's name in the procedure's list), `source` (optional: `scan`, `upload`, `vault`, `national_data`, `issued`) and, after them, `file` (PDF, PNG or JPEG, recognised by content; streamed to the file store as it arrives)."),
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
    let m = multipart.map_err(not_multipart)?;
    Ok((StatusCode::CREATED, Json(attach_streamed(&s.app, &caller.actor, &code, m).await?)))
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
