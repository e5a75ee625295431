//! Online payment: `/api/v1/dossiers/{code}/payments` (start one, list them, a receipt),
//! `/api/v1/payments/callback` (the gateway's signed callback), `/api/v1/payments` (the ledger).

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use motcua_app::error::ErrorBody;
use motcua_app::payment::{CallbackAnswer, PaymentStart};
use motcua_domain::payment::PaymentState;
use motcua_storage::{PaymentRecord, Reconciliation};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::documents::{Format, respond};
use crate::http::extract::ApiQueryList;

type ApiResult<T> = Result<T, ApiError>;

#[utoipa::path(post, path = "/api/v1/dossiers/{code}/payments", tag = "payments", params(("code" = String, Path)),
    description = "Start paying the fees a dossier waits for (state `awaiting_payment`) online: the order (reused while pending for the same amount) and the gateway address to send the payer to (signed HMAC-SHA512). The applicant's account, or a desk officer of its receiving desk. `payment_off` when no gateway is configured; `no_payment_due`, `already_paid`.",
    security(("bearer" = [])),
    responses((status = 201, body = PaymentStart), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn start(
    State(s): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
) -> ApiResult<(StatusCode, Json<PaymentStart>)> {
    Ok((StatusCode::CREATED, Json(s.app.start_payment(&caller.actor, &code).await?)))
}

#[utoipa::path(get, path = "/api/v1/dossiers/{code}/payments", tag = "payments", params(("code" = String, Path)),
    description = "The payments of a dossier, newest first (whoever may read the dossier).",
    security(("bearer" = [])),
    responses((status = 200, body = Vec<PaymentRecord>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn of_dossier(
    State(s): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
) -> ApiResult<Json<Vec<PaymentRecord>>> {
    Ok(Json(s.app.dossier_payments(&caller.actor, &code).await?))
}

#[utoipa::path(get, path = "/api/v1/dossiers/{code}/payments/{id}/receipt", tag = "payments",
    params(("code" = String, Path), ("id" = Uuid, Path)),
    description = "The receipt of a paid payment (biên lai thu phí, lệ phí) as HTML or PDF (`Accept`). `not_paid` before the gateway confirmed it.",
    security(("bearer" = [])),
    responses((status = 200, content_type = "text/html", body = String), (status = 200, content_type = "application/pdf", body = Vec<u8>),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 406, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn receipt(
    State(s): State<AppState>,
    caller: Caller,
    headers: axum::http::HeaderMap,
    Path((code, id)): Path<(String, Uuid)>,
) -> Result<axum::response::Response, ApiError> {
    let format = Format::negotiate(&headers)?;
    let (title, doc) = s.app.payment_receipt(&caller.actor, &code, id).await?;
    respond(doc, title, format).await
}

/// The gateway's callback parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // documents the parameters; the handler reads them as a map (all are signed)
pub struct CallbackParams {
    /// The order: the payment's id.
    order: Option<String>,
    amount: Option<String>,
    /// The gateway's transaction number.
    txn: Option<String>,
    /// `00` paid; another code: not paid.
    response_code: Option<String>,
    /// `yyyyMMddHHmmss`.
    paid_at: Option<String>,
    /// HMAC-SHA512 of the other parameters sorted by name, form-encoded, in hexadecimal.
    signature: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/payments/callback", tag = "payments", params(CallbackParams),
    description = "The payment gateway's callback (IPN, server to server). Always 200 with the gateway's answer code: `00` taken (the dossier marked paid online, in one transaction with the payment) or a decline acknowledged; `02` already confirmed (a replay changes nothing); `01` unknown order; `04` amount differs; `97` bad signature; `99` incomplete or a failure to retry. Every refusal is audited.",
    responses((status = 200, body = CallbackAnswer), (status = 422, body = ErrorBody)))]
pub async fn callback(
    State(s): State<AppState>,
    caller: Caller,
    Query(params): Query<BTreeMap<String, String>>,
) -> Json<CallbackAnswer> {
    Json(s.app.payment_callback(params, caller.actor.ip()).await)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LedgerParams {
    /// `pending`, `paid` or `failed`.
    state: Option<PaymentState>,
    /// At most this many payments (1–500, default 100).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Ledger {
    payments: Vec<PaymentRecord>,
    /// The latest daily reconciliations with the gateway's report, with their differences.
    reconciliations: Vec<Reconciliation>,
}

#[utoipa::path(get, path = "/api/v1/payments", tag = "payments", params(LedgerParams),
    description = "The payment ledger (newest first) and the latest reconciliations with the gateway's daily report. Administrators only.",
    security(("bearer" = [])),
    responses((status = 200, body = Ledger), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn ledger(
    State(s): State<AppState>,
    caller: Caller,
    ApiQueryList(q): ApiQueryList<LedgerParams>,
) -> ApiResult<Json<Ledger>> {
    let limit = q.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(ApiError(motcua_app::AppError::invalid("invalid_query", "limit", "Số giao dịch từ 1 đến 500")));
    }
    let (payments, reconciliations) = s.app.payment_ledger(&caller.actor, q.state, limit).await?;
    Ok(Json(Ledger { payments, reconciliations }))
}
