//! `/ke-hoach/danh-gia-tac-dong`: impact assessments of procedure versions.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::Response;
use axum_extra::extract::Query;
use motcua_app::AppError;
use motcua_app::plan::assessment::{AssessmentInput, AssessmentReport};
use motcua_domain::plan::assessment::Conclusion;

use super::*;
use crate::AppState;
use crate::auth::Caller;
use crate::error::PageError;
use crate::pages::{Layout, page_err};

#[derive(Template, WebTemplate)]
#[template(path = "plan/assessments.html")]
pub struct AssessmentsPage {
    layout: Layout,
    report: AssessmentReport,
    error: Option<String>,
}

impl AssessmentsPage {
    fn pct(&self) -> String {
        pct_text(self.report.assessed_pct)
    }

    fn money(&self, v: &u64) -> String {
        motcua_domain::text::vnd(*v)
    }

    fn conclusions(&self) -> [Conclusion; 2] {
        Conclusion::ALL
    }
}

pub(super) async fn assessments_page(
    s: &AppState,
    caller: &Caller,
    year: Option<i32>,
    error: Option<String>,
) -> Result<AssessmentsPage, PageError> {
    let year = plan_year(s, caller, year).await?;
    let report = s.app.impact_assessment_report(&caller.actor, year).await.map_err(page_err(caller, "plan"))?;
    Ok(AssessmentsPage { layout: Layout::of(&caller.actor, "plan"), report, error })
}

/// `GET /ke-hoach/danh-gia-tac-dong?year=`
pub async fn assessments(
    State(s): State<AppState>,
    caller: Caller,
    q: Result<Query<YearParams>, axum_extra::extract::QueryRejection>,
) -> Result<AssessmentsPage, PageError> {
    assessments_page(&s, &caller, q.ok().and_then(|Query(p)| p.year), None).await
}

/// `POST /ke-hoach/danh-gia-tac-dong` (multipart): the assessment, then its form if one is sent.
pub async fn save_assessment(
    State(s): State<AppState>,
    caller: Caller,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    let result = async {
        let mut m = multipart.map_err(crate::http::files::not_multipart)?;
        let bad = crate::http::files::bad_multipart;
        let mut fields = std::collections::HashMap::new();
        let mut file = None;
        while let Some(field) = m.next_field().await.map_err(bad)? {
            let name = field.name().unwrap_or("").to_owned();
            if name == "file" {
                let file_name = field.file_name().unwrap_or("").to_owned();
                let bytes = field.bytes().await.map_err(bad)?;
                file = (!bytes.is_empty()).then_some((file_name, bytes));
            } else {
                fields.insert(name, field.text().await.map_err(bad)?);
            }
        }
        let text = |k: &str| fields.get(k).map(|v| v.trim().to_owned()).unwrap_or_default();
        let version: u32 = number(&text("version"), "version", None)?;
        let cost = text("cost_year_vnd");
        let input = AssessmentInput {
            agency: text("agency"),
            assessed_on: date_field(&text("assessed_on"), "assessed_on")?
                .ok_or_else(|| AppError::invalid("required", "assessed_on", "Nêu ngày đánh giá"))?,
            necessity: text("necessity"),
            reasonableness: text("reasonableness"),
            legality: text("legality"),
            cost_year_vnd: (!cost.is_empty()).then(|| number(&cost, "cost_year_vnd", None)).transpose()?,
            conclusion: Conclusion::parse(&text("conclusion"))
                .ok_or_else(|| AppError::invalid("invalid_assessment", "conclusion", "Chọn kết luận đánh giá"))?,
            opinion: text("opinion"),
        };
        let procedure = text("procedure");
        s.app.put_impact_assessment(&caller.actor, &procedure, version, input).await?;
        if let Some((file_name, bytes)) = file {
            s.app.attach_assessment_document(&caller.actor, &procedure, version, &file_name, bytes).await?;
        }
        Ok(())
    }
    .await;
    settle(&caller, result, "/ke-hoach/danh-gia-tac-dong", |m| assessments_page(&s, &caller, None, Some(m))).await
}

/// `GET /ke-hoach/danh-gia-tac-dong/{code}/{version}/phieu`: the signed assessment form.
pub async fn assessment_document(
    State(s): State<AppState>,
    caller: Caller,
    Path((code, version)): Path<(String, u32)>,
) -> Result<Response, PageError> {
    let (f, bytes) =
        s.app.assessment_document(&caller.actor, &code, version).await.map_err(page_err(&caller, "plan"))?;
    Ok(crate::http::files::stored_file_response(&f, bytes))
}
