//! `/quan-tri/thong-bao`: the outbox of notices to applicants, as the provincial office watches
//! it (counts per channel and state, the latest messages, the errors of those not delivered),
//! and where an administrator replays or cancels a dead letter.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Query;
use motcua_app::AppError;
use motcua_app::notices::OutboxOverview;
use motcua_domain::notice::NoticeChannel;
use motcua_storage::{DeadLetterAction, OutboxState};
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
    channel: Option<NoticeChannel>,
}

impl OutboxPage {
    fn is(&self, s: &OutboxState) -> bool {
        self.state == Some(*s)
    }
    fn states(&self) -> [OutboxState; 4] {
        OutboxState::ALL
    }
    fn on(&self, c: &NoticeChannel) -> bool {
        self.channel == Some(*c)
    }
    fn channels(&self) -> [NoticeChannel; 3] {
        NoticeChannel::ALL
    }
    /// The list of a state, keeping the channel chosen.
    fn state_href(&self, st: Option<&OutboxState>) -> String {
        let mut q: Vec<String> = st.map(|s| format!("state={}", s.as_str())).into_iter().collect();
        q.extend(self.channel.map(|c| format!("channel={}", c.as_str())));
        format!("/quan-tri/thong-bao{}{}", if q.is_empty() { "" } else { "?" }, q.join("&"))
    }
}

#[derive(Debug, Deserialize)]
pub struct OutboxParams {
    state: Option<OutboxState>,
    channel: Option<NoticeChannel>,
}

pub async fn outbox(
    State(s): State<AppState>,
    caller: Caller,
    q: Result<Query<OutboxParams>, axum_extra::extract::QueryRejection>,
) -> Result<OutboxPage, PageError> {
    let (state, channel) = q.ok().map(|Query(q)| (q.state, q.channel)).unwrap_or_default();
    let overview =
        s.app.outbox_overview(&caller.actor, state, channel, 100).await.map_err(page_err(&caller, "outbox"))?;
    Ok(OutboxPage { layout: Layout::of(&caller.actor, "outbox"), overview, state, channel })
}

/// `POST /quan-tri/thong-bao/{id}/{gui-lai|huy}`: replay or cancel a dead letter, then back to the
/// list of those given up.
pub async fn settle(
    State(s): State<AppState>,
    caller: Caller,
    Path((id, action)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let action = match action.as_str() {
        "gui-lai" => Some(DeadLetterAction::Replay),
        "huy" => Some(DeadLetterAction::Cancel),
        _ => None,
    };
    let (Some(action), Ok(id)) = (action, uuid::Uuid::parse_str(&id)) else {
        return Err(page_err(&caller, "outbox")(AppError::NotFound("thông báo".into())));
    };
    s.app.settle_dead_letter(&caller.actor, id, action).await.map_err(page_err(&caller, "outbox"))?;
    Ok(Redirect::to("/quan-tri/thong-bao?state=failed").into_response())
}
