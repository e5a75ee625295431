//! `/lich-lam-viec/tinh-han`: how an appointment is counted — the receipt, the day counting
//! starts from and why (a day off or after the cut-off moves it to the next working day), each
//! day counted or skipped, the appointment; with the province's settings that decide it.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use motcua_app::AppError;
use motcua_app::calendar::{DueAnswer, DueInput, DueQuestion};
use motcua_domain::calendar::deadline::{WorkingTime, at_vi, vn_offset};
use serde::Deserialize;

use super::Layout;
use crate::AppState;
use crate::auth::Caller;

#[derive(Debug, Default, Deserialize)]
pub struct DueQuery {
    /// Received at, `YYYY-MM-DDTHH:MM` (a datetime-local input), Vietnam time.
    #[serde(default)]
    tu: String,
    /// The time limit's number.
    #[serde(default)]
    so: String,
    /// `ngay-lam-viec` (default), `gio-lam-viec` or `ngay`.
    #[serde(default)]
    don_vi: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "calendar_due/due.html")]
pub(super) struct DuePage {
    layout: Layout,
    q: DueQuery,
    answer: Option<DueAnswer>,
    error: Option<String>,
    time: WorkingTime,
}

impl DuePage {
    fn when(&self, t: &motcua_domain::calendar::deadline::Instant) -> String {
        at_vi(*t)
    }
    fn unit_is(&self, u: &str) -> bool {
        self.q.don_vi == u || (self.q.don_vi.is_empty() && u == "ngay-lam-viec")
    }
}

/// The question of the form: the receipt typed in a datetime-local field (Vietnam time), the
/// limit checked by the same rule as the API's (`DueInput::parse`).
fn question(q: &DueQuery) -> Result<DueQuestion, AppError> {
    let local = chrono::NaiveDateTime::parse_from_str(q.tu.trim(), "%Y-%m-%dT%H:%M")
        .map_err(|_| AppError::invalid("invalid_instant", "tu", "Nhập ngày giờ tiếp nhận"))?;
    let received = local
        .and_local_timezone(vn_offset())
        .single()
        .ok_or_else(|| AppError::invalid("invalid_instant", "tu", "Ngày giờ tiếp nhận không hợp lệ"))?;
    let n = Some(q.so.trim().parse::<i64>().unwrap_or(-1));
    let mut input = DueInput { from: received.to_rfc3339(), explain: true, ..DueInput::default() };
    match q.don_vi.as_str() {
        "gio-lam-viec" => input.working_hours = n,
        "ngay" => input.days = n,
        _ => input.working_days = n,
    }
    input.parse()
}

pub async fn due_page(State(s): State<AppState>, caller: Caller, Query(q): Query<DueQuery>) -> Response {
    let layout = Layout::of(&caller.actor, "calendar");
    let time = s.app.working_time(None).await.unwrap_or_default();
    if q.tu.trim().is_empty() {
        return DuePage { layout, q, answer: None, error: None, time }.into_response();
    }
    let answer = match question(&q) {
        Ok(question) => s.app.due(&question).await,
        Err(e) => Err(e),
    };
    match answer {
        Ok(a) => DuePage { layout, q, answer: Some(a), error: None, time }.into_response(),
        Err(e) => {
            let message = e.body().message;
            (StatusCode::UNPROCESSABLE_ENTITY, DuePage { layout, q, answer: None, error: Some(message), time })
                .into_response()
        }
    }
}
