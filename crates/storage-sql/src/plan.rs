//! The plan: imported content (sections, tasks, inspections) and progress reports.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use motcua_domain::file::AttachedFile;
use motcua_domain::ids::{AgencyCode, ProcedureCode};
use motcua_domain::plan::assessment::{Conclusion, ImpactAssessment};
use motcua_domain::plan::cost::{CostSheet, Costing, Decision, ReviewStatus};
use motcua_domain::plan::inspection::InspectionRecord;
use motcua_domain::plan::{
    Deadline, DeadlineKind, Inspection, Party, Plan, ProgressReport, ProgressStatus, ReportFile, Section, Target, Task,
};
use motcua_storage::{
    AuditEntry, PlanImported, PlanOutcome, PlanRepo, PlanSummary, StoreError, StoreResult, StoredInspectionRecord,
    StoredPlan,
};
use sqlx::types::Json;
use uuid::Uuid;

use crate::audit::write_audit;
use crate::rows::bad;
use crate::{BeginWrite, SqlStore, from_json, map_err, on_db, to_json};

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

#[derive(sqlx::FromRow)]
struct ReportRow {
    id: Uuid,
    plan_id: Uuid,
    task_id: Uuid,
    agency_code: String,
    month: String,
    status: String,
    percent: i32,
    note: String,
    created_at: DateTime<Utc>,
    created_by: String,
}

impl TryFrom<ReportRow> for ProgressReport {
    type Error = StoreError;
    fn try_from(r: ReportRow) -> StoreResult<Self> {
        Ok(ProgressReport {
            id: r.id,
            plan_id: r.plan_id,
            task_id: r.task_id,
            agency: AgencyCode::parse(&r.agency_code).map_err(bad("agency code"))?,
            month: r.month,
            status: ProgressStatus::parse(&r.status).map_err(bad("progress status"))?,
            percent: u8::try_from(r.percent).map_err(bad("percent"))?,
            note: r.note,
            created_at: r.created_at,
            created_by: r.created_by,
        })
    }
}

const INSERT_TASK: &str = "INSERT INTO plan_task (id, plan_id, agency_code, key, section, number, parent, position, \
    title, lead, cooperating, product, deadline_kind, due, period_from, period_to, deadline_text, targets) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) \
    ON CONFLICT (id) DO UPDATE SET section = excluded.section, number = excluded.number, parent = excluded.parent, \
    position = excluded.position, title = excluded.title, lead = excluded.lead, cooperating = excluded.cooperating, \
    product = excluded.product, deadline_kind = excluded.deadline_kind, due = excluded.due, \
    period_from = excluded.period_from, period_to = excluded.period_to, deadline_text = excluded.deadline_text, \
    targets = excluded.targets";

const INSERT_INSPECTION: &str = "INSERT INTO plan_inspection (id, plan_id, agency_code, key, grp, group_title, \
    number, text, agencies, note, position) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
    ON CONFLICT (id) DO UPDATE SET grp = excluded.grp, group_title = excluded.group_title, number = excluded.number, \
    text = excluded.text, agencies = excluded.agencies, note = excluded.note, position = excluded.position";

#[async_trait::async_trait]
impl PlanRepo for SqlStore {
    async fn import_plan(
        &self,
        plan: &Plan,
        content_hash: &str,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> StoreResult<PlanImported> {
        let owner = plan.owner.as_str();
        let _turn = self.write_turn().await;
        on_db!(&self.db, |p| {
            let mut tx = p.begin_write().await.map_err(map_err)?;
            let existing: Option<(Uuid, String)> =
                sqlx::query_as("SELECT id, content_hash FROM plan WHERE agency_code = $1 AND year = $2 AND title = $3")
                    .bind(owner)
                    .bind(plan.year)
                    .bind(plan.title.as_str())
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(map_err)?;
            let (id, outcome) = match &existing {
                Some((id, hash)) if hash == content_hash => {
                    return Ok(PlanImported { id: *id, outcome: PlanOutcome::Unchanged, removed: Vec::new() });
                }
                Some((id, _)) => (*id, PlanOutcome::Updated),
                None => (Uuid::now_v7(), PlanOutcome::Created),
            };
            sqlx::query(
                "INSERT INTO plan (id, agency_code, year, title, decision, issued, effective, inspection_title, \
                 content_hash, imported_at, revision) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1) \
                 ON CONFLICT (id) DO UPDATE SET decision = excluded.decision, issued = excluded.issued, \
                 effective = excluded.effective, inspection_title = excluded.inspection_title, \
                 content_hash = excluded.content_hash, imported_at = excluded.imported_at, \
                 revision = plan.revision + 1",
            )
            .bind(id)
            .bind(owner)
            .bind(plan.year)
            .bind(plan.title.as_str())
            .bind(plan.decision.as_str())
            .bind(plan.issued.as_str())
            .bind(plan.effective)
            .bind(plan.inspection_title.as_str())
            .bind(content_hash)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
            sqlx::query("DELETE FROM plan_section WHERE plan_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
            for (i, s) in plan.sections.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO plan_section (plan_id, agency_code, number, title, position) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(id)
                .bind(owner)
                .bind(s.number.as_str())
                .bind(s.title.as_str())
                .bind(i as i32)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
            }
            let mut removed = Vec::new();

            // Tasks keep their ids by key.
            let old: Vec<(Uuid, String)> = sqlx::query_as("SELECT id, key FROM plan_task WHERE plan_id = $1")
                .bind(id)
                .fetch_all(&mut *tx)
                .await
                .map_err(map_err)?;
            let mut old: HashMap<String, Uuid> = old.into_iter().map(|(i, k)| (k, i)).collect();
            for (pos, (s, t)) in plan.tasks().enumerate() {
                let key = t.key(&s.number);
                let task_id = old.remove(&key).unwrap_or_else(Uuid::now_v7);
                sqlx::query(INSERT_TASK)
                    .bind(task_id)
                    .bind(id)
                    .bind(owner)
                    .bind(key.as_str())
                    .bind(s.number.as_str())
                    .bind(t.number.as_str())
                    .bind(t.parent.as_deref())
                    .bind(pos as i32)
                    .bind(t.title.as_str())
                    .bind(Json(to_json(&t.lead)?))
                    .bind(Json(to_json(&t.cooperating)?))
                    .bind(t.product.as_str())
                    .bind(t.deadline.kind.as_str())
                    .bind(t.deadline.due)
                    .bind(t.deadline.from)
                    .bind(t.deadline.to)
                    .bind(t.deadline.text.as_str())
                    .bind(Json(to_json(&t.targets)?))
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
            }
            for (key, task_id) in old {
                let reports: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM plan_report WHERE task_id = $1")
                    .bind(task_id)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(map_err)?;
                if reports > 0 {
                    return Err(StoreError::Invalid {
                        code: "plan_task_reported",
                        field: "file".into(),
                        message: format!(
                            "Nhiệm vụ {key} đã có báo cáo tiến độ nhưng không còn trong tệp kế hoạch mới; không nhập"
                        ),
                    });
                }
                sqlx::query("DELETE FROM plan_task WHERE id = $1")
                    .bind(task_id)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                removed.push(key);
            }

            let old: Vec<(Uuid, String)> = sqlx::query_as("SELECT id, key FROM plan_inspection WHERE plan_id = $1")
                .bind(id)
                .fetch_all(&mut *tx)
                .await
                .map_err(map_err)?;
            let mut old: HashMap<String, Uuid> = old.into_iter().map(|(i, k)| (k, i)).collect();
            for (pos, ins) in plan.inspections.iter().enumerate() {
                let key = ins.key();
                sqlx::query(INSERT_INSPECTION)
                    .bind(old.remove(&key).unwrap_or_else(Uuid::now_v7))
                    .bind(id)
                    .bind(owner)
                    .bind(key.as_str())
                    .bind(ins.group.as_str())
                    .bind(ins.group_title.as_str())
                    .bind(ins.number.as_str())
                    .bind(ins.text.as_str())
                    .bind(Json(to_json(&ins.agencies)?))
                    .bind(ins.note.as_str())
                    .bind(pos as i32)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
            }
            for (key, ins_id) in old {
                let recorded: i64 =
                    sqlx::query_scalar("SELECT COUNT(*) FROM plan_inspection WHERE id = $1 AND record IS NOT NULL")
                        .bind(ins_id)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(map_err)?;
                if recorded > 0 {
                    return Err(StoreError::Invalid {
                        code: "plan_task_reported",
                        field: "file".into(),
                        message: format!(
                            "Cuộc kiểm tra {key} của phụ lục đã có hồ sơ kiểm tra nhưng không còn trong tệp mới; không nhập"
                        ),
                    });
                }
                sqlx::query("DELETE FROM plan_inspection WHERE id = $1")
                    .bind(ins_id)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                removed.push(format!("phụ lục {key}"));
            }
            let mut audit = audit.clone();
            audit.entity_id = id.to_string();
            audit.detail["outcome"] = to_json(&outcome)?;
            audit.detail["removed"] = to_json(&removed)?;
            write_audit!(&mut *tx, &audit)?;
            tx.commit().await.map_err(map_err)?;
            Ok(PlanImported { id, outcome, removed })
        })
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

    async fn put_progress_report(&self, r: &ProgressReport, audit: &AuditEntry) -> StoreResult<()> {
        let _turn = self.write_turn().await;
        on_db!(&self.db, |p| {
            let mut tx = p.begin_write().await.map_err(map_err)?;
            sqlx::query(
                "INSERT INTO plan_report (id, plan_id, task_id, agency_code, month, status, percent, note, \
                 created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
                 ON CONFLICT (task_id, agency_code, month) DO UPDATE SET status = excluded.status, \
                 percent = excluded.percent, note = excluded.note, created_at = excluded.created_at, \
                 created_by = excluded.created_by",
            )
            .bind(r.id)
            .bind(r.plan_id)
            .bind(r.task_id)
            .bind(r.agency.as_str())
            .bind(r.month.as_str())
            .bind(r.status.as_str())
            .bind(i32::from(r.percent))
            .bind(r.note.as_str())
            .bind(r.created_at)
            .bind(r.created_by.as_str())
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
            write_audit!(&mut *tx, audit)?;
            tx.commit().await.map_err(map_err)
        })
    }

    async fn progress_reports(&self, plan: Uuid) -> StoreResult<Vec<ProgressReport>> {
        on_db!(&self.db, |p| {
            let rows: Vec<ReportRow> = sqlx::query_as(
                "SELECT r.id, r.plan_id, r.task_id, r.agency_code, r.month, r.status, r.percent, r.note, \
                 r.created_at, r.created_by FROM plan_report r JOIN plan_task t ON t.id = r.task_id \
                 WHERE r.plan_id = $1 ORDER BY r.month, t.position, r.agency_code",
            )
            .bind(plan)
            .fetch_all(p)
            .await
            .map_err(map_err)?;
            rows.into_iter().map(ProgressReport::try_from).collect()
        })
    }

    async fn put_costing(&self, c: &Costing, audit: &AuditEntry) -> StoreResult<()> {
        let _turn = self.write_turn().await;
        let after = c.after.as_ref().map(to_json).transpose()?;
        on_db!(&self.db, |p| {
            let mut tx = p.begin_write().await.map_err(map_err)?;
            let owner: Option<String> = sqlx::query_scalar("SELECT agency_code FROM plan WHERE id = $1")
                .bind(c.plan_id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(map_err)?;
            let owner = owner.ok_or_else(|| StoreError::NotFound(format!("plan {}", c.plan_id)))?;
            sqlx::query(
                "INSERT INTO plan_costing (id, plan_id, agency_code, procedure_code, name, before_sheet, after_sheet, \
                 note, updated_at, updated_by, review_status, decision_number, decided_on) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
                 ON CONFLICT (plan_id, procedure_code) DO UPDATE SET name = excluded.name, \
                 before_sheet = excluded.before_sheet, after_sheet = excluded.after_sheet, note = excluded.note, \
                 updated_at = excluded.updated_at, updated_by = excluded.updated_by, \
                 review_status = excluded.review_status, decision_number = excluded.decision_number, \
                 decided_on = excluded.decided_on",
            )
            .bind(Uuid::now_v7())
            .bind(c.plan_id)
            .bind(owner)
            .bind(c.procedure.as_str())
            .bind(c.name.as_str())
            .bind(Json(to_json(&c.before)?))
            .bind(after.as_ref().map(Json))
            .bind(c.note.as_str())
            .bind(c.updated_at)
            .bind(c.updated_by.as_str())
            .bind(c.status.as_str())
            .bind(c.decision.as_ref().map(|d| d.number.as_str()))
            .bind(c.decision.as_ref().map(|d| d.date))
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
            write_audit!(&mut *tx, audit)?;
            tx.commit().await.map_err(map_err)
        })
    }

    async fn costings(&self, plan: Uuid) -> StoreResult<Vec<Costing>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            procedure_code: String,
            name: String,
            before_sheet: Json<serde_json::Value>,
            after_sheet: Option<Json<serde_json::Value>>,
            note: String,
            updated_at: DateTime<Utc>,
            updated_by: String,
            review_status: String,
            decision_number: Option<String>,
            decided_on: Option<NaiveDate>,
        }
        on_db!(&self.db, |p| {
            let rows: Vec<Row> = sqlx::query_as(
                "SELECT procedure_code, name, before_sheet, after_sheet, note, updated_at, updated_by, review_status, \
                 decision_number, decided_on FROM plan_costing WHERE plan_id = $1 ORDER BY procedure_code",
            )
            .bind(plan)
            .fetch_all(p)
            .await
            .map_err(map_err)?;
            rows.into_iter()
                .map(|r| {
                    Ok(Costing {
                        plan_id: plan,
                        procedure: ProcedureCode::parse(&r.procedure_code).map_err(bad("procedure code"))?,
                        name: r.name,
                        status: ReviewStatus::parse(&r.review_status)
                            .ok_or_else(|| StoreError::Other(format!("review status {}", r.review_status)))?,
                        before: from_json::<CostSheet>(r.before_sheet.0, "cost sheet")?,
                        after: r.after_sheet.map(|a| from_json::<CostSheet>(a.0, "cost sheet")).transpose()?,
                        note: r.note,
                        decision: match (r.decision_number, r.decided_on) {
                            (Some(number), Some(date)) => Some(Decision { number, date }),
                            _ => None,
                        },
                        updated_at: r.updated_at,
                        updated_by: r.updated_by,
                    })
                })
                .collect()
        })
    }

    async fn put_inspection_record(
        &self,
        plan: Uuid,
        inspection: Uuid,
        record: &InspectionRecord,
        audit: &AuditEntry,
    ) -> StoreResult<()> {
        let _turn = self.write_turn().await;
        let doc = to_json(record)?;
        on_db!(&self.db, |p| {
            let mut tx = p.begin_write().await.map_err(map_err)?;
            let n = sqlx::query(
                "UPDATE plan_inspection SET record = $1, record_updated_at = $2, record_updated_by = $3 \
                 WHERE id = $4 AND plan_id = $5",
            )
            .bind(Json(&doc))
            .bind(audit.at)
            .bind(audit.actor.as_str())
            .bind(inspection)
            .bind(plan)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?
            .rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound(format!("inspection {inspection} of plan {plan}")));
            }
            write_audit!(&mut *tx, audit)?;
            tx.commit().await.map_err(map_err)
        })
    }

    async fn inspection_records(&self, plan: Uuid) -> StoreResult<Vec<StoredInspectionRecord>> {
        type Row = (Uuid, Json<serde_json::Value>, DateTime<Utc>, String);
        on_db!(&self.db, |p| {
            let rows: Vec<Row> = sqlx::query_as(
                "SELECT id, record, record_updated_at, record_updated_by FROM plan_inspection \
                 WHERE plan_id = $1 AND record IS NOT NULL ORDER BY position",
            )
            .bind(plan)
            .fetch_all(p)
            .await
            .map_err(map_err)?;
            rows.into_iter()
                .map(|(id, r, updated_at, updated_by)| {
                    Ok(StoredInspectionRecord {
                        id,
                        record: from_json::<InspectionRecord>(r.0, "inspection record")?,
                        updated_at,
                        updated_by,
                    })
                })
                .collect()
        })
    }

    async fn put_impact_assessment(&self, a: &ImpactAssessment, audit: &AuditEntry) -> StoreResult<()> {
        let _turn = self.write_turn().await;
        let d = a.document.as_ref();
        let size = d.map(|d| i64::try_from(d.size)).transpose().map_err(|e| StoreError::Other(e.to_string()))?;
        let cost = a.cost_year_vnd.map(i64::try_from).transpose().map_err(|e| StoreError::Other(e.to_string()))?;
        on_db!(&self.db, |p| {
            let mut tx = p.begin_write().await.map_err(map_err)?;
            sqlx::query(
                "INSERT INTO procedure_assessment (id, agency_code, procedure_code, version_number, assessed_on, necessity, \
                 reasonableness, legality, cost_year_vnd, conclusion, opinion, file_name, content_type, file_size, sha256, \
                 storage_key, updated_at, updated_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) \
                 ON CONFLICT (procedure_code, version_number) DO UPDATE SET agency_code = excluded.agency_code, \
                 assessed_on = excluded.assessed_on, necessity = excluded.necessity, \
                 reasonableness = excluded.reasonableness, legality = excluded.legality, \
                 cost_year_vnd = excluded.cost_year_vnd, conclusion = excluded.conclusion, opinion = excluded.opinion, \
                 file_name = excluded.file_name, content_type = excluded.content_type, file_size = excluded.file_size, \
                 sha256 = excluded.sha256, storage_key = excluded.storage_key, updated_at = excluded.updated_at, \
                 updated_by = excluded.updated_by",
            )
            .bind(Uuid::now_v7())
            .bind(a.agency.as_str())
            .bind(a.procedure.as_str())
            .bind(a.version as i32)
            .bind(a.assessed_on)
            .bind(a.necessity.as_str())
            .bind(a.reasonableness.as_str())
            .bind(a.legality.as_str())
            .bind(cost)
            .bind(a.conclusion.as_str())
            .bind(a.opinion.as_str())
            .bind(d.map(|d| d.file_name.as_str()))
            .bind(d.map(|d| d.content_type.as_str()))
            .bind(size)
            .bind(d.map(|d| d.sha256.as_str()))
            .bind(d.map(|d| d.storage_key.as_str()))
            .bind(a.updated_at)
            .bind(a.updated_by.as_str())
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
            write_audit!(&mut *tx, audit)?;
            tx.commit().await.map_err(map_err)
        })
    }

    async fn impact_assessments(&self) -> StoreResult<Vec<ImpactAssessment>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            agency_code: String,
            procedure_code: String,
            version_number: i32,
            assessed_on: NaiveDate,
            necessity: String,
            reasonableness: String,
            legality: String,
            cost_year_vnd: Option<i64>,
            conclusion: String,
            opinion: String,
            file_name: Option<String>,
            content_type: Option<String>,
            file_size: Option<i64>,
            sha256: Option<String>,
            storage_key: Option<String>,
            updated_at: DateTime<Utc>,
            updated_by: String,
        }
        let rows: Vec<Row> = on_db!(&self.db, |p| sqlx::query_as(
            "SELECT agency_code, procedure_code, version_number, assessed_on, necessity, reasonableness, legality, \
             cost_year_vnd, conclusion, opinion, file_name, content_type, file_size, sha256, storage_key, updated_at, \
             updated_by FROM procedure_assessment ORDER BY procedure_code, version_number"
        )
        .fetch_all(p)
        .await
        .map_err(map_err))?;
        rows.into_iter()
            .map(|r| {
                let document = match (r.file_name, r.content_type, r.file_size, r.sha256, r.storage_key) {
                    (Some(file_name), Some(content_type), Some(size), Some(sha256), Some(storage_key)) => {
                        Some(AttachedFile {
                            file_name,
                            content_type,
                            size: u64::try_from(size).map_err(bad("file size"))?,
                            sha256,
                            storage_key,
                        })
                    }
                    _ => None,
                };
                Ok(ImpactAssessment {
                    procedure: ProcedureCode::parse(&r.procedure_code).map_err(bad("procedure code"))?,
                    version: u32::try_from(r.version_number).map_err(bad("version"))?,
                    agency: AgencyCode::parse(&r.agency_code).map_err(bad("agency"))?,
                    assessed_on: r.assessed_on,
                    necessity: r.necessity,
                    reasonableness: r.reasonableness,
                    legality: r.legality,
                    cost_year_vnd: r.cost_year_vnd.map(u64::try_from).transpose().map_err(bad("cost"))?,
                    conclusion: Conclusion::parse(&r.conclusion)
                        .ok_or_else(|| StoreError::Other(format!("conclusion {}", r.conclusion)))?,
                    opinion: r.opinion,
                    document,
                    updated_at: r.updated_at,
                    updated_by: r.updated_by,
                })
            })
            .collect()
    }

    async fn add_report_file(&self, f: &ReportFile, audit: &AuditEntry) -> StoreResult<()> {
        let _turn = self.write_turn().await;
        on_db!(&self.db, |p| {
            let mut tx = p.begin_write().await.map_err(map_err)?;
            sqlx::query(
                "INSERT INTO plan_report_file (id, plan_id, task_id, agency_code, month, name, file_name, content_type, \
                 size, sha256, storage_key, created_at, created_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            )
            .bind(f.id)
            .bind(f.plan_id)
            .bind(f.task_id)
            .bind(f.agency.as_str())
            .bind(f.month.as_str())
            .bind(f.name.as_str())
            .bind(f.file.file_name.as_str())
            .bind(f.file.content_type.as_str())
            .bind(i64::try_from(f.file.size).map_err(|e| StoreError::Other(e.to_string()))?)
            .bind(f.file.sha256.as_str())
            .bind(f.file.storage_key.as_str())
            .bind(f.created_at)
            .bind(f.created_by.as_str())
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
            write_audit!(&mut *tx, audit)?;
            tx.commit().await.map_err(map_err)
        })
    }

    async fn report_files(&self, plan: Uuid) -> StoreResult<Vec<ReportFile>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            id: Uuid,
            task_id: Uuid,
            agency_code: String,
            month: String,
            name: String,
            file_name: String,
            content_type: String,
            size: i64,
            sha256: String,
            storage_key: String,
            created_at: DateTime<Utc>,
            created_by: String,
        }
        on_db!(&self.db, |p| {
            let rows: Vec<Row> = sqlx::query_as(
                "SELECT id, task_id, agency_code, month, name, file_name, content_type, size, sha256, storage_key, \
                 created_at, created_by FROM plan_report_file WHERE plan_id = $1 ORDER BY created_at, id",
            )
            .bind(plan)
            .fetch_all(p)
            .await
            .map_err(map_err)?;
            rows.into_iter()
                .map(|r| {
                    Ok(ReportFile {
                        id: r.id,
                        plan_id: plan,
                        task_id: r.task_id,
                        agency: AgencyCode::parse(&r.agency_code).map_err(bad("agency code"))?,
                        month: r.month,
                        name: r.name,
                        file: motcua_domain::file::AttachedFile {
                            file_name: r.file_name,
                            content_type: r.content_type,
                            size: u64::try_from(r.size).map_err(bad("file size"))?,
                            sha256: r.sha256,
                            storage_key: r.storage_key,
                        },
                        created_at: r.created_at,
                        created_by: r.created_by,
                    })
                })
                .collect()
        })
    }
}
