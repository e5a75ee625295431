//! Decision 766 metrics 1.1 and 1.2 over the catalog.

use axum::Json;
use axum::extract::State;
use motcua_app::error::ErrorBody;
use motcua_app::plan::PublicationReport;
use serde::Deserialize;
use utoipa::IntoParams;

use super::*;
use crate::AppState;
use crate::auth::Caller;
use crate::http::extract::ApiQuery;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    pub(crate) year: i32,
}

#[utoipa::path(get, path = "/api/v1/publication-timeliness", tag = "plans", params(YearQuery),
    description = "Decision 766 metric 1.1 from the catalog: procedures whose publishing decisions dated in the year are dated at least the configured number of working days (5 for a province) before the version takes effect, on the province's legal calendar. A procedure counts once; any late decision makes it late.",
    security(("bearer" = [])),
    responses((status = 200, body = PublicationReport), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn publication(
    State(s): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> ApiResult<Json<PublicationReport>> {
    Ok(Json(s.app.publication_timeliness(&caller.actor, q.year).await?))
}
