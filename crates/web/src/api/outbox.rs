//! `/api/v1/outbox`: the outbox as the provincial office watches it, and its dead letters.

use axum::Json;
use axum::extract::{Path, State};
use motcua_app::error::ErrorBody;
use motcua_storage::{DeadLetterAction, OutboxMessage};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::extract::ApiQueryList;

type ApiResult<T> = Result<T, ApiError>;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutboxParams {
    /// `pending`, `sent` or `failed`.
    state: Option<motcua_storage::OutboxState>,
    /// `email`, `sms` or `portal` (the National Public Service Portal's sync).
    channel: Option<motcua_domain::notice::NoticeChannel>,
    /// At most this many messages (1–500, default 50).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<u32>,
}

#[utoipa::path(get, path = "/api/v1/outbox", tag = "notices", params(OutboxParams),
    description = "The outbox of notices to applicants as the provincial office watches it: counts per channel and state, and the latest messages. Administrators only.",
    security(("bearer" = [])),
    responses((status = 200, body = motcua_app::notices::OutboxOverview), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn outbox(
    State(s): State<AppState>,
    caller: Caller,
    ApiQueryList(q): ApiQueryList<OutboxParams>,
) -> ApiResult<Json<motcua_app::notices::OutboxOverview>> {
    Ok(Json(s.app.outbox_overview(&caller.actor, q.state, q.channel, q.limit.unwrap_or(50)).await?))
}

#[utoipa::path(post, path = "/api/v1/outbox/{id}/{action}", tag = "notices",
    params(("id" = Uuid, Path), ("action" = DeadLetterAction, Path, description = "`replay` or `cancel`")),
    description = "A dead letter (a message the worker gave up: `failed`) replayed (pending again now, attempts counted from zero) or cancelled (never sent), audited. Administrators only; a message that is not failed is refused with `not_dead_letter`.",
    security(("bearer" = [])),
    responses((status = 200, body = OutboxMessage), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn settle(
    State(s): State<AppState>,
    caller: Caller,
    Path((id, action)): Path<(Uuid, DeadLetterAction)>,
) -> ApiResult<Json<OutboxMessage>> {
    Ok(Json(s.app.settle_dead_letter(&caller.actor, id, action).await?))
}
