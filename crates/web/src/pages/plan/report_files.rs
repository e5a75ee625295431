//! Documents attached to progress reports: upload and download.

use axum::extract::{Path, State};
use axum::response::Response;
use axum_extra::extract::Query;
use motcua_app::AppError;
use serde::Deserialize;
use uuid::Uuid;

use super::*;
use crate::AppState;
use crate::auth::Caller;
use crate::error::PageError;
use crate::pages::page_err;

#[derive(Debug, Deserialize)]
pub struct PlanQuery {
    plan: Uuid,
}

/// `POST /ke-hoach/nhiem-vu/{task}/tep?plan=`: attach a document to the report (multipart).
pub async fn attach(
    State(s): State<AppState>,
    caller: Caller,
    Path(task): Path<Uuid>,
    q: Result<Query<PlanQuery>, axum_extra::extract::QueryRejection>,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    let result = async {
        let Query(q) = q.map_err(|_| AppError::invalid("invalid_query", "plan", "Thiếu mã kế hoạch"))?;
        let m = multipart.map_err(crate::http::files::not_multipart)?;
        let input = crate::http::files::read_report_upload(m).await?;
        s.app.attach_report_file(&caller.actor, q.plan, task, input).await.map(|_| ())
    }
    .await;
    settle(&caller, result, "/ke-hoach/nhiem-vu?da_luu=1", |m| tasks_page(&s, &caller, Some(m), false)).await
}

/// `GET /ke-hoach/tep/{plan}/{file}`: a document of a report.
pub async fn download(
    State(s): State<AppState>,
    caller: Caller,
    Path((plan, file)): Path<(Uuid, Uuid)>,
) -> Result<Response, PageError> {
    let (f, bytes) = s.app.report_file(&caller.actor, plan, file).await.map_err(page_err(&caller, "plan"))?;
    Ok(crate::http::files::stored_file_response(&f.file, bytes))
}
