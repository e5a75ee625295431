//! Public catalog pages: search and procedure detail (printable).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use chrono::NaiveDate;
use motcua_app::catalog::{ProcedureView, SearchParams};
use motcua_domain::procedure::search::{Page, ProcedureSummary};
use motcua_domain::procedure::{Level, OnlineLevel};
use serde::Deserialize;

use super::{Layout, page_err, vn_date, vnd};
use crate::AppState;
use crate::auth::Caller;
use crate::error::PageError;

/// The search form as submitted (empty inputs come as empty strings).
#[derive(Debug, Default, Deserialize)]
pub struct SearchForm {
    #[serde(default)]
    q: String,
    #[serde(default)]
    field: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    online_level: String,
    #[serde(default)]
    page: Option<u32>,
}

#[derive(Template, WebTemplate)]
#[template(path = "catalog.html")]
pub(super) struct CatalogPage {
    layout: Layout,
    form: SearchForm,
    fields: Vec<String>,
    levels: Vec<(&'static str, &'static str)>,
    online_levels: Vec<(&'static str, &'static str)>,
    result: Page<ProcedureSummary>,
    pages: u64,
    query_base: String,
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            b' ' => "+".into(),
            b => format!("%{b:02X}"),
        })
        .collect()
}

pub async fn search(
    State(s): State<AppState>,
    caller: Caller,
    Query(form): Query<SearchForm>,
) -> Result<CatalogPage, PageError> {
    let err = page_err(&caller, "catalog");
    let level = if form.level.is_empty() { None } else { Some(Level::parse(&form.level).map_err(|e| err(e.into()))?) };
    let online_level = if form.online_level.is_empty() {
        None
    } else {
        Some(OnlineLevel::parse(&form.online_level).map_err(|e| err(e.into()))?)
    };
    let params = SearchParams {
        q: Some(form.q.clone()),
        field: Some(form.field.clone()),
        level,
        online_level,
        agency: None,
        at: None,
        page: form.page,
        per_page: Some(20),
    };
    let result = s.app.search_procedures(&params).await.map_err(&err)?;
    let fields = s.app.procedure_fields().await.map_err(&err)?;
    let pages = result.total.div_ceil(u64::from(result.per_page)).max(1);
    let query_base = format!(
        "/thu-tuc?q={}&field={}&level={}&online_level={}",
        encode(&form.q),
        encode(&form.field),
        encode(&form.level),
        encode(&form.online_level)
    );
    Ok(CatalogPage {
        layout: Layout::of(&caller.actor, "catalog"),
        form,
        fields,
        levels: Level::ALL.iter().map(|l| (l.as_str(), l.label_vi())).collect(),
        online_levels: OnlineLevel::ALL.iter().map(|l| (l.as_str(), l.label_vi())).collect(),
        result,
        pages,
        query_base,
    })
}

#[derive(Debug, Deserialize)]
pub struct AtForm {
    at: Option<NaiveDate>,
}

#[derive(Template, WebTemplate)]
#[template(path = "procedure.html")]
pub(super) struct ProcedurePage {
    layout: Layout,
    view: ProcedureView,
}

pub async fn detail(
    State(s): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    Query(q): Query<AtForm>,
) -> Result<ProcedurePage, PageError> {
    let view = s.app.procedure_on(&code, q.at).await.map_err(page_err(&caller, "catalog"))?;
    Ok(ProcedurePage { layout: Layout::of(&caller.actor, "catalog"), view })
}

impl ProcedurePage {
    /// The filing form of this procedure; through the login page for a visitor, who comes back
    /// to it signed in.
    fn filing_href(&self) -> String {
        let form = format!("/mot-cua/tiep-nhan?procedure={}", self.view.code);
        match self.layout.user {
            Some(_) => form,
            None => format!("/dang-nhap?next={}", encode(&form)),
        }
    }
    fn date(&self, d: &NaiveDate) -> String {
        vn_date(d)
    }
    fn money(&self, a: &u64) -> String {
        vnd(*a)
    }
}
