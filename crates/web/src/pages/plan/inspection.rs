//! `/ke-hoach/kiem-tra`: the appendix's inspections and their records.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;
use motcua_app::AppError;
use motcua_app::plan::InspectionSchedule;
use motcua_domain::plan::inspection::InspectionRecord;
use uuid::Uuid;

use super::*;
use crate::AppState;
use crate::auth::Caller;
use crate::error::PageError;
use crate::pages::{Layout, page_err};

#[derive(Template, WebTemplate)]
#[template(path = "plan/inspections.html")]
pub struct InspectionsPage {
    layout: Layout,
    schedule: InspectionSchedule,
    error: Option<String>,
    /// What was typed, shown again with the error.
    typed: InspectionForm,
}

pub(super) async fn inspections_page(
    s: &AppState,
    caller: &Caller,
    error: Option<String>,
    typed: InspectionForm,
) -> Result<InspectionsPage, PageError> {
    let schedule = s.app.inspections(&caller.actor, None).await.map_err(page_err(caller, "plan"))?;
    Ok(InspectionsPage { layout: Layout::of(&caller.actor, "plan"), schedule, error, typed })
}

pub async fn inspections(State(s): State<AppState>, caller: Caller) -> Result<InspectionsPage, PageError> {
    inspections_page(&s, &caller, None, InspectionForm::default()).await
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct InspectionForm {
    plan: Uuid,
    inspection: Uuid,
    status: String,
    #[serde(default)]
    planned_from: String,
    #[serde(default)]
    planned_to: String,
    #[serde(default)]
    team: String,
    #[serde(default)]
    findings: String,
    #[serde(default)]
    conclusion: String,
    /// One per line: "action; due YYYY-MM-DD; done YYYY-MM-DD" (due and done optional).
    #[serde(default)]
    follow_ups: String,
}

pub(super) fn date_field(s: &str, field: &str) -> Result<Option<chrono::NaiveDate>, AppError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| AppError::invalid("invalid_date", field, format!("Ngày «{s}» không hợp lệ (YYYY-MM-DD)")))
}

impl InspectionForm {
    fn record(&self) -> Result<InspectionRecord, AppError> {
        use motcua_domain::plan::inspection::{FollowUp, InspectionStatus};
        let status = match self.status.as_str() {
            "planned" => InspectionStatus::Planned,
            "done" => InspectionStatus::Done,
            "cancelled" => InspectionStatus::Cancelled,
            other => {
                return Err(AppError::invalid(
                    "invalid_status",
                    "status",
                    format!("Tình trạng «{other}» không hợp lệ"),
                ));
            }
        };
        let mut follow_ups = Vec::new();
        for line in self.follow_ups.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let mut parts = line.split(';').map(str::trim);
            let action = parts.next().unwrap_or_default().to_owned();
            let due = date_field(parts.next().unwrap_or(""), "follow_ups")?;
            let done_on = date_field(parts.next().unwrap_or(""), "follow_ups")?;
            follow_ups.push(FollowUp { action, due, done_on, from_conclusion: None });
        }
        Ok(InspectionRecord {
            status,
            planned_from: date_field(&self.planned_from, "planned_from")?,
            planned_to: date_field(&self.planned_to, "planned_to")?,
            team: self.team.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect(),
            findings: self.findings.trim().to_owned(),
            conclusion: self.conclusion.trim().to_owned(),
            follow_ups,
        })
    }
}

/// `POST /ke-hoach/kiem-tra`
pub async fn save_inspection(
    State(s): State<AppState>,
    caller: Caller,
    axum::Form(f): axum::Form<InspectionForm>,
) -> Result<Response, PageError> {
    let result = match f.record() {
        Ok(r) => s.app.put_inspection_record(&caller.actor, f.plan, f.inspection, r).await.map(|_| ()),
        Err(e) => Err(e),
    };
    settle(&caller, result, "/ke-hoach/kiem-tra", |m| inspections_page(&s, &caller, Some(m), f.clone())).await
}
