//! Monthly progress reports, filed by the agency a task names.

use motcua_domain::plan::{ProgressReport, ProgressStatus, check_progress};
use serde::Deserialize;
use uuid::Uuid;

use crate::{Actor, App, AppResult};

/// A progress report as filed.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Deserialize)]
pub struct ProgressInput {
    /// `YYYY-MM`; default the current month.
    #[serde(default)]
    pub month: Option<String>,
    pub status: String,
    pub percent: u8,
    #[serde(default)]
    pub note: String,
}

impl App {
    /// File (or correct) the user's agency's report on a task for a month.
    pub async fn report_progress(
        &self,
        actor: &Actor,
        plan_id: Uuid,
        task_id: Uuid,
        input: &ProgressInput,
    ) -> AppResult<ProgressReport> {
        let (plan, agency, key) = self.task_of_my_agency(actor, plan_id, task_id).await?;
        let month = self.report_month(input.month.as_deref())?;
        let status = ProgressStatus::parse(&input.status)?;
        check_progress(status, input.percent, &input.note)?;
        let report = ProgressReport {
            id: Uuid::now_v7(),
            plan_id: plan.id,
            task_id,
            agency: agency.code.clone(),
            month,
            status,
            percent: input.percent,
            note: input.note.trim().to_owned(),
            created_at: self.now(),
            created_by: actor.name(),
        };
        let audit = actor.audit(
            self.now(),
            "plan.report",
            "plan_task",
            key,
            serde_json::json!({ "agency": agency.code, "month": report.month, "status": status.as_str(), "percent": report.percent }),
        );
        self.store.put_progress_report(&report, &audit).await?;
        Ok(report)
    }
}
