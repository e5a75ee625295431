//! Importing the plan: tasks and inspections keep their ids by key; what the new file drops is
//! removed when the domain's rule (`motcua_domain::plan::import`) allows it.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use motcua_domain::plan::Plan;
use motcua_domain::plan::import;
use motcua_storage::{AuditEntry, PlanImported, PlanOutcome, StoreResult};
use sqlx::types::Json;
use uuid::Uuid;

use crate::audit::write_audit;
use crate::{BeginWrite, SqlStore, map_err, on_db, to_json};

const UPSERT_PLAN: &str = "INSERT INTO plan (id, agency_code, year, title, decision, issued, effective, \
    inspection_title, content_hash, imported_at, revision) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1) \
    ON CONFLICT (id) DO UPDATE SET decision = excluded.decision, issued = excluded.issued, \
    effective = excluded.effective, inspection_title = excluded.inspection_title, \
    content_hash = excluded.content_hash, imported_at = excluded.imported_at, revision = plan.revision + 1";

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

/// Re-import the rows of `table` that belong to plan `plan`, matched by key: each row of `rows`
/// (`(key, item)`) is written by `insert` with the id of the stored row of the same key (a new
/// id otherwise) and its position; a stored row whose key is gone is deleted when the domain's
/// rule `drop` allows it, given the count `held` finds of what refers to it; the rule's refusal
/// aborts the import. Gives the removed rows' lines, by key.
macro_rules! replace_by_key {
    ($tx:ident, table: $table:literal, plan: $plan:expr, rows: $rows:expr,
     insert: |$id:ident, $pos:ident, $key:ident, $item:pat_param| $insert:expr,
     held: $held:literal, drop: $drop:path $(,)?) => {{
        let old: Vec<(Uuid, String)> = sqlx::query_as(concat!("SELECT id, key FROM ", $table, " WHERE plan_id = $1"))
            .bind($plan)
            .fetch_all(&mut *$tx)
            .await
            .map_err(map_err)?;
        let mut old: BTreeMap<String, Uuid> = old.into_iter().map(|(i, k)| (k, i)).collect();
        for ($pos, ($key, $item)) in $rows.enumerate() {
            let $id = old.remove(&$key).unwrap_or_else(Uuid::now_v7);
            $insert.execute(&mut *$tx).await.map_err(map_err)?;
        }
        let mut removed = Vec::new();
        for (key, row_id) in old {
            let held: i64 = sqlx::query_scalar($held).bind(row_id).fetch_one(&mut *$tx).await.map_err(map_err)?;
            removed.push($drop(&key, u64::try_from(held).unwrap_or_default())?);
            sqlx::query(concat!("DELETE FROM ", $table, " WHERE id = $1"))
                .bind(row_id)
                .execute(&mut *$tx)
                .await
                .map_err(map_err)?;
        }
        removed
    }};
}

impl SqlStore {
    /// [`PlanRepo::import_plan`].
    pub(super) async fn write_plan(
        &self,
        plan: &Plan,
        content_hash: &str,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> StoreResult<PlanImported> {
        let owner = plan.owner.as_str();
        let turn = self.write_turn().await;
        on_db!(turn.db, |p| {
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
            sqlx::query(UPSERT_PLAN)
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
            let mut removed = replace_by_key!(
                tx,
                table: "plan_task",
                plan: id,
                rows: plan.tasks().map(|(s, t)| (t.key(&s.number), (s, t))),
                insert: |row_id, pos, key, (s, t)| sqlx::query(INSERT_TASK)
                    .bind(row_id)
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
                    .bind(Json(to_json(&t.targets)?)),
                held: "SELECT COUNT(*) FROM plan_report WHERE task_id = $1",
                drop: import::drop_task,
            );
            removed.extend(replace_by_key!(
                tx,
                table: "plan_inspection",
                plan: id,
                rows: plan.inspections.iter().map(|ins| (ins.key(), ins)),
                insert: |row_id, pos, key, ins| sqlx::query(INSERT_INSPECTION)
                    .bind(row_id)
                    .bind(id)
                    .bind(owner)
                    .bind(key.as_str())
                    .bind(ins.group.as_str())
                    .bind(ins.group_title.as_str())
                    .bind(ins.number.as_str())
                    .bind(ins.text.as_str())
                    .bind(Json(to_json(&ins.agencies)?))
                    .bind(ins.note.as_str())
                    .bind(pos as i32),
                held: "SELECT COUNT(*) FROM plan_inspection WHERE id = $1 AND record IS NOT NULL",
                drop: import::drop_inspection,
            ));
            let mut audit = audit.clone();
            audit.entity_id = id.to_string();
            audit.detail["outcome"] = to_json(&outcome)?;
            audit.detail["removed"] = to_json(&removed)?;
            write_audit!(&mut *tx, &audit)?;
            tx.commit().await.map_err(map_err)?;
            Ok(PlanImported { id, outcome, removed })
        })
    }
}
