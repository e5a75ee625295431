//! The appendix's inspections and what the office records of each.

use motcua_domain::plan::inspection::InspectionRecord;
use serde::Serialize;
use uuid::Uuid;

use crate::{Actor, App, AppError, AppResult};

/// One inspection of the appendix with what the office recorded about it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct InspectionLine {
    #[serde(flatten)]
    pub inspection: motcua_domain::plan::Inspection,
    pub record: Option<InspectionRecord>,
    pub updated_at: Option<chrono::DateTime<chrono::Utc>>,
    pub updated_by: Option<String>,
    /// Follow-up actions past their due date and not done.
    pub overdue_follow_ups: usize,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct InspectionSchedule {
    pub plan_id: Uuid,
    pub title: String,
    pub items: Vec<InspectionLine>,
}

impl App {
    /// The appendix's inspections with their records.
    pub async fn inspections(&self, actor: &Actor, id: Option<Uuid>) -> AppResult<InspectionSchedule> {
        let plan = self.plan(actor, id).await?;
        let records = self.store.inspection_records(plan.id).await?;
        let today = self.today();
        let items = plan
            .plan
            .inspections
            .iter()
            .map(|i| {
                let r = records.iter().find(|r| Some(r.id) == i.id);
                InspectionLine {
                    inspection: i.clone(),
                    record: r.map(|r| r.record.clone()),
                    updated_at: r.map(|r| r.updated_at),
                    updated_by: r.map(|r| r.updated_by.clone()),
                    overdue_follow_ups: r.map(|r| r.record.overdue_follow_ups(today)).unwrap_or(0),
                }
            })
            .collect();
        Ok(InspectionSchedule { plan_id: plan.id, title: plan.plan.inspection_title.clone(), items })
    }

    /// Record the schedule, team, findings, conclusion and follow-ups of one inspection
    /// (provincial office).
    pub async fn put_inspection_record(
        &self,
        actor: &Actor,
        plan_id: Uuid,
        inspection: Uuid,
        record: InspectionRecord,
    ) -> AppResult<InspectionLine> {
        actor.require_admin()?;
        let plan = self.plan(actor, Some(plan_id)).await?;
        let item = plan
            .plan
            .inspections
            .iter()
            .find(|i| i.id == Some(inspection))
            .ok_or_else(|| AppError::NotFound(format!("cuộc kiểm tra {inspection} của kế hoạch")))?;
        record.check(plan.plan.year)?;
        let audit = actor.audit(
            self.now(),
            "plan.inspection",
            "plan_inspection",
            item.key(),
            serde_json::json!({ "plan": plan_id, "status": record.status, "follow_ups": record.follow_ups.len() }),
        );
        self.store.put_inspection_record(plan_id, inspection, &record, &audit).await?;
        Ok(InspectionLine {
            inspection: item.clone(),
            overdue_follow_ups: record.overdue_follow_ups(self.today()),
            record: Some(record),
            updated_at: Some(audit.at),
            updated_by: Some(audit.actor),
        })
    }
}
