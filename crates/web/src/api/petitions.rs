//! `/api/v1/petitions`: feedback and petitions (phản ánh, kiến nghị) — intake from anyone,
//! handling by the office and the assigned agency, the published answers and their votes.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use motcua_app::error::ErrorBody;
use motcua_app::petition::{PetitionListParams, PetitionPage};
use motcua_domain::petition::{Petition, PetitionAction, PetitionInput, PetitionState};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::extract::{ApiJson, ApiQuery};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PetitionsQuery {
    state: Option<PetitionState>,
    #[param(minimum = 1, maximum = 100000)]
    page: Option<u32>,
    #[param(minimum = 1, maximum = 100)]
    per_page: Option<u32>,
}

impl PetitionsQuery {
    fn params(self) -> Result<PetitionListParams, ApiError> {
        super::check_paging(self.page, self.per_page)?;
        Ok(PetitionListParams { state: self.state, page: self.page, per_page: self.per_page })
    }
}

/// An officer's action on a petition, with the revision read.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PetitionActionRequest {
    pub revision: i64,
    #[serde(flatten)]
    pub action: PetitionAction,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct VoteRequest {
    /// `true`: like; `false`: dislike.
    pub liked: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VoteAnswer {
    /// `false` when this voter had voted already.
    pub counted: bool,
}

#[utoipa::path(post, path = "/api/v1/petitions", tag = "petitions", request_body = PetitionInput,
    description = "Send a petition (phản ánh, kiến nghị), about a dossier (`dossier`: it is assigned at once to the dossier's competent agency) or not. Its deadlines (refuse, first supplement request, handling, in working days of the legal calendar) are in the answer.",
    responses((status = 201, body = Petition), (status = 422, body = ErrorBody)))]
pub async fn file(
    State(s): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<PetitionInput>,
) -> Result<(StatusCode, Json<Petition>), ApiError> {
    Ok((StatusCode::CREATED, Json(s.app.file_petition(&caller.actor, &input).await?)))
}

#[utoipa::path(get, path = "/api/v1/petitions", tag = "petitions", params(PetitionsQuery),
    description = "The petitions the caller handles (the provincial office: all; an agency's staff: those assigned to it), oldest first.",
    security(("bearer" = [])),
    responses((status = 200, body = PetitionPage), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(s): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<PetitionsQuery>,
) -> Result<Json<PetitionPage>, ApiError> {
    Ok(Json(s.app.petitions_to_handle(&caller.actor, &q.params()?).await?))
}

#[utoipa::path(get, path = "/api/v1/petitions/published", tag = "petitions", params(PetitionsQuery),
    description = "Published answers, newest first (public; the petitioner named by initials, no contacts).",
    responses((status = 200, body = PetitionPage), (status = 422, body = ErrorBody)))]
pub async fn published(
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<PetitionsQuery>,
) -> Result<Json<PetitionPage>, ApiError> {
    Ok(Json(s.app.published_petitions(&q.params()?).await?))
}

#[utoipa::path(get, path = "/api/v1/petitions/{id}", tag = "petitions", params(("id" = String, Path, format = Uuid)),
    description = "A petition: whole for the staff who handle it; otherwise its state and deadlines, and its question and answer once published.",
    responses((status = 200, body = Petition), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Petition>, ApiError> {
    Ok(Json(s.app.petition_for(&caller.actor, &id).await?))
}

#[utoipa::path(post, path = "/api/v1/petitions/{id}/actions", tag = "petitions", request_body = PetitionActionRequest,
    params(("id" = String, Path, format = Uuid)),
    description = "Classify, assign (the office), request a supplement, record it, refuse, answer, publish (a leader or the office).",
    security(("bearer" = [])),
    responses((status = 200, body = Petition), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn act(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<PetitionActionRequest>,
) -> Result<Json<Petition>, ApiError> {
    Ok(Json(s.app.act_on_petition(&caller.actor, &id, req.revision, &req.action).await?))
}

#[utoipa::path(post, path = "/api/v1/petitions/{id}/vote", tag = "petitions", request_body = VoteRequest,
    params(("id" = String, Path, format = Uuid)),
    description = "Like or dislike a published answer, once per account or client address (more dislikes than likes: \"not satisfied\", Decision 766 metric 5.3).",
    responses((status = 200, body = VoteAnswer), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn vote(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<VoteRequest>,
) -> Result<Json<VoteAnswer>, ApiError> {
    Ok(Json(VoteAnswer { counted: s.app.vote_petition(&caller.actor, &id, req.liked).await? }))
}
