//! `/canh-bao-han`: the deadline watch's alarms an officer sees (their agency's dossiers nearly
//! due or late, apologies due; the provincial administrator: all, or only the escalations).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use motcua_storage::AlarmRecord;
use serde::Deserialize;

use super::{Layout, page_err, vn_time};
use crate::AppState;
use crate::auth::Caller;
use crate::error::PageError;

#[derive(Template, WebTemplate)]
#[template(path = "dossiers/alarms.html")]
pub(super) struct AlarmsPage {
    layout: Layout,
    alarms: Vec<AlarmRecord>,
    escalated_only: bool,
}

impl AlarmsPage {
    fn when(&self, t: &chrono::DateTime<chrono::Utc>) -> String {
        vn_time(t)
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct AlarmParams {
    #[serde(default)]
    escalated: Option<String>,
}

pub async fn list(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<AlarmParams>,
) -> Result<AlarmsPage, PageError> {
    let escalated_only = q.escalated.as_deref().is_some_and(|v| v == "1");
    let alarms = s.app.alarms_for(&caller.actor, escalated_only, 200).await.map_err(page_err(&caller, "queue"))?;
    Ok(AlarmsPage { layout: Layout::of(&caller.actor, "queue"), alarms, escalated_only })
}
