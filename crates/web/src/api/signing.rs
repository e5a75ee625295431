//! Signed electronic results: issue (`/api/v1/dossiers/{code}/signed-result`), verify
//! (`/api/v1/verify/{id}`, public), the agencies' public keys and their rotation.

use axum::Json;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use motcua_app::error::ErrorBody;
use motcua_app::signing::{PublicKey, VerifyView};
use motcua_domain::certified_copy::CertifiedCopy;
use motcua_domain::signature::{SignedResult, Verification, VerifyChannel};

use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::files::{not_multipart, read_copy, read_copy_request};

type ApiResult<T> = Result<T, ApiError>;

#[utoipa::path(post, path = "/api/v1/dossiers/{code}/signed-result", tag = "results", params(("code" = String, Path)),
    description = "Issue the dossier's electronic result: a PDF (with a QR code to `/xac-thuc/{id}`) signed with the handling agency's Ed25519 key, kept as the dossier's result file. A leader of the agency handling the dossier, while it is processed or resolved and not returned; once per dossier.",
    security(("bearer" = [])),
    responses((status = 201, body = SignedResult), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "`already_signed`, `not_accepting_files`, `signing_off`"), (status = 422, body = ErrorBody)))]
pub async fn issue(
    State(s): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
) -> ApiResult<(StatusCode, Json<SignedResult>)> {
    Ok((StatusCode::CREATED, Json(s.app.issue_signed_result(&caller.actor, &code).await?)))
}

#[utoipa::path(get, path = "/api/v1/dossiers/{code}/signed-results", tag = "results", params(("code" = String, Path)),
    description = "The results signed for the dossier (whoever may read it).",
    security(("bearer" = [])),
    responses((status = 200, body = Vec<SignedResult>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn of_dossier(
    State(s): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
) -> ApiResult<Json<Vec<SignedResult>>> {
    Ok(Json(s.app.signed_results(&caller.actor, &code).await?))
}

#[utoipa::path(get, path = "/api/v1/verify/{id}", tag = "results", params(("id" = String, Path, description = "The id printed under the result's QR code")),
    description = "Whether result `id` is signed by its agency and the file the agency keeps is the one signed. Public: no personal data beyond what the result prints. Every verification is recorded.",
    responses((status = 200, body = VerifyView), (status = 404, body = ErrorBody, description = "no result has this id (a forged code)")))]
pub async fn verify(State(s): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<VerifyView>> {
    Ok(Json(s.app.verify_result(&id, None, VerifyChannel::Api).await?))
}

#[utoipa::path(post, path = "/api/v1/verify/{id}", tag = "results", params(("id" = String, Path)),
    request_body(content_type = "multipart/form-data", description = "Field `file`: the copy to check (the PDF as received)."),
    description = "Whether a copy of result `id` is the one signed (`altered` when a byte differs). Public; recorded.",
    responses((status = 200, body = VerifyView), (status = 404, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn verify_copy(
    State(s): State<AppState>,
    Path(id): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> ApiResult<Json<VerifyView>> {
    let copy = read_copy(multipart.map_err(not_multipart)?).await?;
    Ok(Json(s.app.verify_result(&id, Some(copy), VerifyChannel::Api).await?))
}

#[utoipa::path(get, path = "/api/v1/verify/{id}/log", tag = "results", params(("id" = String, Path)),
    description = "The verifications of a result, newest first (staff who may read its dossier).",
    security(("bearer" = [])),
    responses((status = 200, body = Vec<Verification>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn log(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<Verification>>> {
    Ok(Json(s.app.result_verifications(&caller.actor, &id).await?))
}

#[utoipa::path(get, path = "/api/v1/signing-keys", tag = "results",
    description = "Every agency signing key, public halves only (hex Ed25519), with when it was made and retired: to check a result's signature offline. A result's signature covers the lines `motcua-result-v1`, id, dossier code, agency code, key id, SHA-256 of the PDF, signing time (RFC 3339), joined by `\\n`.",
    responses((status = 200, body = Vec<PublicKey>)))]
pub async fn keys(State(s): State<AppState>) -> ApiResult<Json<Vec<PublicKey>>> {
    Ok(Json(s.app.public_keys().await?))
}

#[utoipa::path(post, path = "/api/v1/agencies/{code}/signing-keys", tag = "results", params(("code" = String, Path)),
    description = "Rotate the agency's signing key: the key in use is retired (what it signed still verifies) and a new one is used from now. The provincial admin, or the agency's admin.",
    security(("bearer" = [])),
    responses((status = 201, body = PublicKey), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`signing_off`"), (status = 422, body = ErrorBody)))]
pub async fn rotate(
    State(s): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
) -> ApiResult<(StatusCode, Json<PublicKey>)> {
    Ok((StatusCode::CREATED, Json(s.app.rotate_signing_key(&caller.actor, &code).await?)))
}

#[utoipa::path(post, path = "/api/v1/dossiers/{code}/certified-copies", tag = "results", params(("code" = String, Path)),
    request_body(content_type = "multipart/form-data", description = "Fields `original` (the original's name), `pages`, `valid_until` (optional, `YYYY-MM-DD`: the original's last day of use), `compared` (`true`: the officer compared the scan with the original) and `file` (the scan: PDF, PNG or JPEG)."),
    description = "Issue a certified electronic copy from an original presented (chứng thực bản sao điện tử từ bản chính), in a dossier of the certification procedure: the scan signed with the certifying body's key, put in the holder's vault, with its fee by pages (2,000 đồng for pages 1–2, 1,000 from page 3, at most 200,000 by default; `[copy_fees]`). A leader of the agency handling the dossier.",
    security(("bearer" = [])),
    responses((status = 201, body = CertifiedCopy), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`not_a_certification`, `not_accepting_files`, `signing_off`"), (status = 413, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "`not_compared`, `original_expired`, `invalid_pages`, `unsupported_file_type`")))]
pub async fn certify(
    State(s): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> ApiResult<(StatusCode, Json<CertifiedCopy>)> {
    let input = read_copy_request(multipart.map_err(not_multipart)?).await?;
    Ok((StatusCode::CREATED, Json(s.app.certify_copy(&caller.actor, &code, input).await?)))
}

#[utoipa::path(get, path = "/api/v1/dossiers/{code}/certified-copies", tag = "results", params(("code" = String, Path)),
    description = "The copies certified in the dossier (whoever may read it).",
    security(("bearer" = [])),
    responses((status = 200, body = Vec<CertifiedCopy>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn copies(
    State(s): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
) -> ApiResult<Json<Vec<CertifiedCopy>>> {
    Ok(Json(s.app.certified_copies(&caller.actor, &code).await?))
}
