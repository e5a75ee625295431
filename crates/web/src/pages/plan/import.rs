//! `POST /ke-hoach/nhap`: the provincial office imports the plan document.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use motcua_app::AppError;

use super::*;
use crate::AppState;
use crate::auth::Caller;
use crate::error::PageError;
use crate::pages::page_err;

/// `POST /ke-hoach/nhap`: the plan document as a file (multipart field `file`).
pub async fn import(
    State(s): State<AppState>,
    caller: Caller,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    let text = match multipart {
        Ok(mut m) => {
            let mut text = None;
            while let Ok(Some(field)) = m.next_field().await {
                if field.name() == Some("file") {
                    text = Some(field.bytes().await.map_err(crate::http::files::bad_multipart));
                }
            }
            match text {
                Some(Ok(bytes)) => String::from_utf8(bytes.to_vec())
                    .map_err(|_| AppError::invalid("plan_shape", "file", "Tệp kế hoạch phải là văn bản UTF-8")),
                Some(Err(e)) => Err(e),
                None => Err(AppError::invalid("required", "file", "Chọn tệp kế hoạch")),
            }
        }
        Err(e) => Err(crate::http::files::not_multipart(e)),
    };
    match text {
        Ok(t) => match s.app.import_plan(&caller.actor, &t).await {
            Ok(a) => Ok(plan_page(&s, &caller, Some(a), None).await?.into_response()),
            Err(e @ AppError::Invalid(_)) => {
                let page = plan_page(&s, &caller, None, Some(e.body().message)).await?;
                Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
            }
            Err(e) => Err(page_err(&caller, "plan")(e)),
        },
        Err(e) => {
            let page = plan_page(&s, &caller, None, Some(e.body().message)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}
