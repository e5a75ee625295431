//! `/chi-so-766`: the Decision 766 index of a period, for the province or a unit, public; staff
//! follow each count of a dossier metric to the dossiers behind it.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use motcua_app::index::{IndexLine, IndexReport, MonthCounts};
use motcua_domain::admin::Agency;
use motcua_domain::index::{Code, Count, MetricScore, group_vi};
use motcua_storage::AgencyQuery;
use serde::Deserialize;

use super::{Layout, PageError, page_err};
use crate::AppState;
use crate::auth::Caller;

#[derive(Debug, Default, Deserialize)]
pub struct IndexPageQuery {
    /// The period, `YYYY-MM`, `YYYY-Qn` or `YYYY` (default: the current month).
    #[serde(default)]
    ky: String,
    /// An agency or unit code (default: the province).
    #[serde(default, rename = "don-vi")]
    don_vi: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "reports/index.html")]
pub(super) struct IndexPage {
    layout: Layout,
    r: IndexReport,
    agencies: Vec<Agency>,
    staff: bool,
}

impl IndexPage {
    fn group_name(&self, code: &u8) -> &'static str {
        group_vi(*code)
    }
    fn number(&self, code: &Code) -> &'static str {
        code.label_vi().0
    }
    fn name(&self, code: &Code) -> &'static str {
        code.label_vi().1
    }
    fn points(&self, v: &f64) -> String {
        motcua_domain::text::decimal_vi(*v)
    }
    fn ratio(&self, m: &MetricScore) -> String {
        motcua_domain::text::ratio_vi(m.ratio)
    }
    fn line_ratio(&self, l: &IndexLine) -> String {
        motcua_domain::text::ratio_vi(l.on_time_ratio)
    }
    /// The metrics the monthly trend shows.
    fn trend_codes(&self) -> [Code; 4] {
        [Code::DossierOnTime, Code::OnlineDossierRate, Code::OnlinePaymentRate, Code::SoHoaGiayToGiaiQuyet]
    }
    fn month_ratio(&self, m: &MonthCounts, code: &Code) -> String {
        m.counts.get(code).map_or_else(|| "—".to_owned(), |c| self.count_ratio(c))
    }
    fn count_ratio(&self, c: &Count) -> String {
        motcua_domain::text::ratio_vi(c.ratio())
    }
    fn unit_code(&self) -> String {
        self.r.unit.as_ref().map(|u| u.code.clone()).unwrap_or_default()
    }
    /// The dossiers behind a count, for staff (`None` for metrics not counted over dossiers).
    fn dossiers_href(&self, m: &MetricScore, part: &str) -> Option<String> {
        (self.staff && m.code.dossier_facts().is_some() && m.denominator > 0).then(|| {
            let code =
                serde_json::to_value(m.code).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
            let mut href = format!("/ho-so?chi-so={code}&ky={}&phan={part}", self.r.period);
            if let Some(u) = &self.r.unit {
                href.push_str(&format!("&don-vi={}", u.code));
            }
            href
        })
    }
    fn unit_href(&self, code: &str) -> String {
        format!("/chi-so-766?ky={}&don-vi={code}", self.r.period)
    }
}

pub async fn index_page(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<IndexPageQuery>,
) -> Result<Response, PageError> {
    let period = match q.ky.trim() {
        "" => s.app.today().format("%Y-%m").to_string(),
        p => p.to_owned(),
    };
    let err = page_err(&caller, "index");
    let r = s.app.index_report(&period, Some(q.don_vi.as_str())).await.map_err(&err)?;
    let on = Some(s.app.today());
    let mut agencies = s.app.agencies(&AgencyQuery { on, ..AgencyQuery::default() }).await.map_err(&err)?;
    agencies.sort_by(|a, b| a.name.cmp(&b.name));
    let staff = caller.actor.user().is_some_and(|u| u.is_staff());
    Ok(IndexPage { layout: Layout::of(&caller.actor, "index"), r, agencies, staff }.into_response())
}
