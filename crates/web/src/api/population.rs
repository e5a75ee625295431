//! `/api/v1/population/{id}`: the population database, looked up at intake.

use axum::Json;
use axum::extract::{Path, State};
use motcua_app::error::ErrorBody;

use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;

type ApiResult<T> = Result<T, ApiError>;

#[utoipa::path(get, path = "/api/v1/population/{citizen_id}", tag = "dossiers",
    params(("citizen_id" = String, Path, description = "12-digit personal identification number")),
    description = "Look an applicant up in the national population database (desk officers; a citizen for their own number). Never an error when the database fails or is slow (at most 2 s): `status` is `found` (with the resident), `not_found` or `unavailable` (with why), and the officer types the applicant in.",
    security(("bearer" = [])),
    responses((status = 200, body = motcua_app::population::Lookup), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn population(
    State(s): State<AppState>,
    caller: Caller,
    Path(citizen_id): Path<String>,
) -> ApiResult<Json<motcua_app::population::Lookup>> {
    Ok(Json(s.app.lookup_resident(&caller.actor, &citizen_id).await?))
}
