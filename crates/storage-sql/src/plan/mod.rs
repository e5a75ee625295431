//! The plan: imported content (sections, tasks, inspections) read back here; each feature of the
//! plan in its own module, the same tree as `motcua_domain::plan` and `motcua_storage`.

mod assessment;
mod cost;
mod import;
mod inspection;
mod progress;
mod report_files;

use chrono::{DateTime, NaiveDate, Utc};
use motcua_domain::ids::AgencyCode;
use motcua_domain::plan::{Deadline, DeadlineKind, Inspection, Party, Plan, Section, Target, Task};
use motcua_storage::{AuditEntry, PlanImported, PlanRepo, PlanSummary, StoreError, StoreResult, StoredPlan};
use sqlx::types::Json;
use uuid::Uuid;

use crate::rows::bad;
use crate::{SqlStore, from_json, map_err, on_db};

#[derive(sqlx::FromRow)]
struct PlanRow {
    id: Uuid,
    agency_code: String,
    year: i32,
    title: String,
    decision: String,
    issued: String,
    effective: NaiveDate,
    inspection_title: String,
    imported_at: DateTime<Utc>,
    revision: i64,
}

#[derive(sqlx::FromRow)]
struct SectionRow {
    number: String,
    title: String,
}

#[derive(sqlx::FromRow)]
struct TaskRow {
    id: Uuid,
    section: String,
    number: String,
    parent: Option<String>,
    title: String,
    lead: Json<serde_json::Value>,
    cooperating: Json<serde_json::Value>,
    product: String,
    deadline_kind: String,
    due: Option<NaiveDate>,
    period_from: Option<NaiveDate>,
    period_to: Option<NaiveDate>,
    deadline_text: String,
    targets: Json<serde_json::Value>,
}

impl TaskRow {
    fn into_task(self) -> StoreResult<(String, Task)> {
        let kind = DeadlineKind::parse(&self.deadline_kind).ok_or_else(|| bad("deadline kind")(&self.deadline_kind))?;
        Ok((
            self.section,
            Task {
                id: Some(self.id),
                number: self.number,
                parent: self.parent,
                title: self.title,
                lead: from_json::<Vec<Party>>(self.lead.0, "task lead")?,
                cooperating: from_json::<Vec<Party>>(self.cooperating.0, "task cooperating")?,
                product: self.product,
                deadline: Deadline {
                    kind,
                    due: self.due,
                    from: self.period_from,
                    to: self.period_to,
                    text: self.deadline_text,
                },
                targets: from_json::<Vec<Target>>(self.targets.0, "task targets")?,
            },
        ))
    }
}

#[derive(sqlx::FromRow)]
struct InspectionRow {
    id: Uuid,
    grp: String,
    group_title: String,
    number: String,
    text: String,
    agencies: Json<serde_json::Value>,
    note: String,
}

#[async_trait::async_trait]
impl PlanRepo for SqlStore {
    async fn import_plan(
        &self,
        plan: &Plan,
        content_hash: &str,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> StoreResult<PlanImported> {
        self.write_plan(plan, content_hash, now, audit).await
    }

    async fn plans(&self) -> StoreResult<Vec<PlanSummary>> {
        on_db!(&self.db, |p| {
            let rows: Vec<(Uuid, String, i32, String, DateTime<Utc>, i64)> = sqlx::query_as(
                "SELECT p.id, p.agency_code, p.year, p.title, p.imported_at, \
                 (SELECT COUNT(*) FROM plan_task t WHERE t.plan_id = p.id) FROM plan p \
                 ORDER BY p.year DESC, p.imported_at DESC",
            )
            .fetch_all(p)
            .await
            .map_err(map_err)?;
            rows.into_iter()
                .map(|(id, owner, year, title, imported_at, tasks)| {
                    Ok(PlanSummary {
                        id,
                        owner: AgencyCode::parse(&owner).map_err(bad("agency code"))?,
                        year,
                        title,
                        imported_at,
                        tasks,
                    })
                })
                .collect()
        })
    }

    async fn plan(&self, id: Uuid) -> StoreResult<Option<StoredPlan>> {
        on_db!(&self.db, |p| {
            let Some(row): Option<PlanRow> = sqlx::query_as(
                "SELECT id, agency_code, year, title, decision, issued, effective, inspection_title, imported_at, \
                 revision FROM plan WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(p)
            .await
            .map_err(map_err)?
            else {
                return Ok(None);
            };
            let sections: Vec<SectionRow> =
                sqlx::query_as("SELECT number, title FROM plan_section WHERE plan_id = $1 ORDER BY position")
                    .bind(id)
                    .fetch_all(p)
                    .await
                    .map_err(map_err)?;
            let tasks: Vec<TaskRow> = sqlx::query_as(
                "SELECT id, section, number, parent, title, lead, cooperating, product, deadline_kind, due, \
                 period_from, period_to, deadline_text, targets FROM plan_task WHERE plan_id = $1 ORDER BY position",
            )
            .bind(id)
            .fetch_all(p)
            .await
            .map_err(map_err)?;
            let inspections: Vec<InspectionRow> = sqlx::query_as(
                "SELECT id, grp, group_title, number, text, agencies, note FROM plan_inspection \
                 WHERE plan_id = $1 ORDER BY position",
            )
            .bind(id)
            .fetch_all(p)
            .await
            .map_err(map_err)?;
            let mut sections: Vec<Section> =
                sections.into_iter().map(|s| Section { number: s.number, title: s.title, tasks: Vec::new() }).collect();
            for t in tasks {
                let (section, task) = t.into_task()?;
                let s = sections
                    .iter_mut()
                    .find(|s| s.number == section)
                    .ok_or_else(|| StoreError::Other(format!("stored task {} has no section", task.number)))?;
                s.tasks.push(task);
            }
            let inspections = inspections
                .into_iter()
                .map(|r| {
                    Ok(Inspection {
                        id: Some(r.id),
                        group: r.grp,
                        group_title: r.group_title,
                        number: r.number,
                        text: r.text,
                        agencies: from_json(r.agencies.0, "inspection agencies")?,
                        note: r.note,
                    })
                })
                .collect::<StoreResult<Vec<_>>>()?;
            Ok(Some(StoredPlan {
                id: row.id,
                imported_at: row.imported_at,
                revision: row.revision,
                plan: Plan {
                    owner: AgencyCode::parse(&row.agency_code).map_err(bad("agency code"))?,
                    year: row.year,
                    title: row.title,
                    decision: row.decision,
                    issued: row.issued,
                    effective: row.effective,
                    sections,
                    inspection_title: row.inspection_title,
                    inspections,
                },
            }))
        })
    }
}
