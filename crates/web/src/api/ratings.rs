//! `/api/v1/dossiers/{code}/rating`: the applicant's evaluation of a returned dossier.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use motcua_app::error::ErrorBody;
use motcua_app::rating::{Rater, RatingView};
use motcua_domain::rating::{Rating, RatingInput};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::extract::{ApiJson, ApiQuery};

/// An evaluation, with how the evaluator is known.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RatingRequest {
    #[serde(flatten)]
    pub rating: RatingInput,
    /// The last four digits of the applicant's phone, when not signed in as the account that
    /// filed the dossier.
    #[schema(pattern = r"^[0-9]{4}$")]
    pub phone_last4: Option<String>,
    /// `true`: entered on the counter's kiosk with the desk officer's session.
    #[serde(default)]
    pub kiosk: bool,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RatingQuery {
    /// The last four digits of the applicant's phone (without the filing account's session).
    #[param(pattern = r"^[0-9]{4}$")]
    phone_last4: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/dossiers/{code}/rating", tag = "dossiers", request_body = RatingRequest,
    params(("code" = String, Path, pattern = r"^[0-9A-Za-z.]{1,35}-[0-9]{6}-[0-9]{4,}$")),
    description = "Evaluate a returned dossier (Circular 01/2018: satisfaction in three levels, nine indicators of 0–2 points, like or dislike): by the applicant (the filing account, or the phone digits as in the public lookup) or, with `kiosk`, at the counter by a desk officer of the receiving desk. Once per dossier.",
    responses((status = 201, body = Rating), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`not_returned` or `already_rated`"), (status = 422, body = ErrorBody),
        (status = 429, body = ErrorBody)))]
pub async fn rate(
    State(s): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    ApiJson(req): ApiJson<RatingRequest>,
) -> Result<(StatusCode, Json<Rating>), ApiError> {
    let rater = if req.kiosk { Rater::Kiosk } else { Rater::Online { phone_last4: req.phone_last4.as_deref() } };
    Ok((StatusCode::CREATED, Json(s.app.rate(&caller.actor, &code, rater, &req.rating).await?)))
}

#[utoipa::path(get, path = "/api/v1/dossiers/{code}/rating", tag = "dossiers",
    params(("code" = String, Path, pattern = r"^[0-9A-Za-z.]{1,35}-[0-9]{6}-[0-9]{4,}$"), RatingQuery),
    description = "Whether the dossier can be evaluated, and its evaluation if given (same access as the evaluation).",
    responses((status = 200, body = RatingView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn view(
    State(s): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    ApiQuery(q): ApiQuery<RatingQuery>,
) -> Result<Json<RatingView>, ApiError> {
    let rater = Rater::Online { phone_last4: q.phone_last4.as_deref() };
    Ok(Json(s.app.rating_view(&caller.actor, &code, rater).await?))
}
