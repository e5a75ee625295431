//! Costings of the plan's procedures.

use chrono::{DateTime, NaiveDate, Utc};
use motcua_domain::ids::ProcedureCode;
use motcua_domain::plan::cost::{CostSheet, Costing, Decision, ReviewStatus};
use motcua_storage::{AuditEntry, CostRepo, StoreError, StoreResult};
use sqlx::types::Json;
use uuid::Uuid;

use crate::audit::write_audit;
use crate::rows::bad;
use crate::{BeginWrite, SqlStore, from_json, map_err, on_db, to_json};

#[async_trait::async_trait]
impl CostRepo for SqlStore {
    async fn put_costing(&self, c: &Costing, audit: &AuditEntry) -> StoreResult<()> {
        let turn = self.write_turn().await;
        let after = c.after.as_ref().map(to_json).transpose()?;
        on_db!(turn.db, |p| {
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
}
