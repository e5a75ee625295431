//! Documents attached to progress reports.

use motcua_domain::admin::Agency;
use motcua_domain::plan::{ReportFile, month_of, parse_month};
use motcua_storage::StoredPlan;
use uuid::Uuid;

use super::*;
use crate::{Actor, App, AppError, AppResult};

/// A document attached to a report, as uploaded.
#[derive(Debug, Clone)]
pub struct ReportUpload {
    /// `YYYY-MM`; default the current month.
    pub month: Option<String>,
    pub name: String,
    pub file_name: String,
    pub bytes: bytes::Bytes,
}

impl App {
    /// The task of the plan the user's agency answers for, or why not (a refusal is audited).
    pub(super) async fn task_of_my_agency(
        &self,
        actor: &Actor,
        plan_id: Uuid,
        task_id: Uuid,
    ) -> AppResult<(StoredPlan, Agency, String)> {
        let plan = self.plan(actor, Some(plan_id)).await?;
        let roster = self.roster(&plan).await?;
        let agency = self.acting_agency(actor, &plan, &roster).await?;
        let (section, task) = plan
            .plan
            .tasks()
            .find(|(_, t)| t.id == Some(task_id))
            .ok_or_else(|| AppError::NotFound(format!("nhiệm vụ {task_id} của kế hoạch")))?;
        let key = task.key(&section.number);
        if roster.duty(task, &agency.code).is_none() {
            let audit = actor.audit(
                self.now(),
                "plan.report.denied",
                "plan_task",
                key.clone(),
                serde_json::json!({ "agency": agency.code }),
            );
            self.store.record_audit(&audit).await?;
            return Err(AppError::Forbidden(format!("Nhiệm vụ {key} không giao cho {}", agency.name)));
        }
        Ok((plan, agency, key))
    }

    /// The report month given (default: this month), never one still to come.
    pub(super) fn report_month(&self, given: Option<&str>) -> AppResult<String> {
        let today = self.today();
        let month = match given.map(str::trim).filter(|m| !m.is_empty()) {
            Some(m) => parse_month(m)?,
            None => parse_month(&month_of(today))?,
        };
        if month_of(month) > month_of(today) {
            return Err(AppError::invalid("month_in_future", "month", "Không báo cáo trước cho tháng chưa đến"));
        }
        Ok(month_of(month))
    }

    /// Attach a document to the user's agency's report on a task for a month: the bytes to the
    /// file store first, then the row and its audit in one transaction. Runs to its end even when
    /// the caller goes away (see [`App::attach_document`]).
    pub async fn attach_report_file(
        &self,
        actor: &Actor,
        plan_id: Uuid,
        task_id: Uuid,
        input: ReportUpload,
    ) -> AppResult<ReportFile> {
        let (app, actor) = (self.clone(), actor.clone());
        self.to_completion(async move { app.attach_report_file_now(&actor, plan_id, task_id, input).await }).await
    }

    async fn attach_report_file_now(
        &self,
        actor: &Actor,
        plan_id: Uuid,
        task_id: Uuid,
        input: ReportUpload,
    ) -> AppResult<ReportFile> {
        let (plan, agency, key) = self.task_of_my_agency(actor, plan_id, task_id).await?;
        let month = self.report_month(input.month.as_deref())?;
        let name = input.name.trim();
        if name.is_empty() {
            return Err(AppError::invalid("required", "name", "Nêu tên tài liệu"));
        }
        let id = Uuid::now_v7();
        let stored =
            self.put_upload(format!("plans/{}/{task_id}/{id}", plan.id), &input.file_name, input.bytes).await?;
        let file = ReportFile {
            id,
            plan_id: plan.id,
            task_id,
            agency: agency.code.clone(),
            month,
            name: name.to_owned(),
            file: stored,
            created_at: self.now(),
            created_by: actor.name(),
        };
        let audit = actor.audit(
            self.now(),
            "plan.report.file",
            "plan_task",
            key,
            serde_json::json!({ "file": id, "agency": agency.code, "month": file.month, "sha256": file.file.sha256 }),
        );
        self.keep_upload(&file.file, self.store.add_report_file(&file, &audit)).await?;
        Ok(file)
    }

    /// A document of a report with its bytes (staff; checksum verified).
    pub async fn report_file(
        &self,
        actor: &Actor,
        plan_id: Uuid,
        file_id: Uuid,
    ) -> AppResult<(ReportFile, bytes::Bytes)> {
        require_staff(actor)?;
        let file = self
            .store
            .report_files(plan_id)
            .await?
            .into_iter()
            .find(|f| f.id == file_id)
            .ok_or_else(|| AppError::NotFound(format!("tài liệu {file_id} của kế hoạch")))?;
        // The agency that reported it and the provincial office read it; other agencies do not
        // (issue 12: any officer who knew the id could download it).
        if actor.require_admin().is_err() {
            let plan = self.plan(actor, Some(plan_id)).await?;
            let roster = self.roster(&plan).await?;
            let mine = self.acting_agency(actor, &plan, &roster).await?;
            if mine.code != file.agency {
                let audit = actor.audit(
                    self.now(),
                    "access.denied",
                    "plan_report_file",
                    file_id.to_string(),
                    serde_json::json!({ "agency": file.agency, "acting_for": mine.code }),
                );
                self.store.record_audit(&audit).await?;
                return Err(AppError::Forbidden(format!("Tài liệu này do {} báo cáo", file.agency)));
            }
        }
        let bytes = self.stored_file(&file.file).await?;
        Ok((file, bytes))
    }
}
