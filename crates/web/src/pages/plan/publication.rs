//! `/ke-hoach/cong-bo`: Decision 766 metrics 1.1 and 1.2 over the catalog.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum_extra::extract::Query;

use super::*;
use crate::AppState;
use crate::auth::Caller;
use crate::error::PageError;
use crate::pages::{Layout, page_err};

#[derive(Template, WebTemplate)]
#[template(path = "plan/publication.html")]
pub struct PublicationPage {
    layout: Layout,
    report: motcua_app::plan::PublicationReport,
}

impl PublicationPage {
    fn pct(&self) -> String {
        pct_text(self.report.ratio_pct)
    }
    fn publicised_pct(&self) -> String {
        pct_text(self.report.publicised_ratio_pct)
    }
}

/// `GET /ke-hoach/cong-bo?year=`: procedures published on time (Decision 766 metric 1.1).
pub async fn publication(
    State(s): State<AppState>,
    caller: Caller,
    q: Result<Query<YearParams>, axum_extra::extract::QueryRejection>,
) -> Result<PublicationPage, PageError> {
    let year = q.ok().and_then(|Query(p)| p.year).unwrap_or_else(|| chrono::Datelike::year(&s.app.today()));
    let report = s.app.publication_timeliness(&caller.actor, year).await.map_err(page_err(&caller, "plan"))?;
    Ok(PublicationPage { layout: Layout::of(&caller.actor, "plan"), report })
}
