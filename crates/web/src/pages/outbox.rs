//! `/quan-tri/thong-bao`: the outbox of notices to applicants, as the provincial office watches
//! it (counts per channel and state, the latest messages, the errors of those not delivered).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum_extra::extract::Query;
use motcua_app::notices::OutboxOverview;
use motcua_storage::OutboxState;
use serde::Deserialize;

use super::{Layout, page_err};
use crate::AppState;
use crate::auth::Caller;
use crate::error::PageError;

#[derive(Template, WebTemplate)]
#[template(path = "admin/outbox.html")]
pub(super) struct OutboxPage {
    layout: Layout,
    overview: OutboxOverview,
    state: Option<OutboxState>,
}

impl OutboxPage {
    fn is(&self, s: &OutboxState) -> bool {
        self.state == Some(*s)
    }
    fn states(&self) -> [OutboxState; 3] {
        [OutboxState::Pending, OutboxState::Sent, OutboxState::Failed]
    }
}

#[derive(Debug, Deserialize)]
pub struct OutboxParams {
    state: Option<OutboxState>,
}

pub async fn outbox(
    State(s): State<AppState>,
    caller: Caller,
    q: Result<Query<OutboxParams>, axum_extra::extract::QueryRejection>,
) -> Result<OutboxPage, PageError> {
    let state = q.ok().and_then(|Query(q)| q.state);
    let overview = s.app.outbox_overview(&caller.actor, state, 100).await.map_err(page_err(&caller, "outbox"))?;
    Ok(OutboxPage { layout: Layout::of(&caller.actor, "outbox"), overview, state })
}
