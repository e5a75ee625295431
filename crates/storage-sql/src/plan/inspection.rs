//! Inspection records.

use chrono::{DateTime, Utc};
use motcua_domain::plan::inspection::InspectionRecord;
use motcua_storage::{AuditEntry, InspectionRepo, StoreError, StoreResult, StoredInspectionRecord};
use sqlx::types::Json;
use uuid::Uuid;

use crate::audit::write_audit;
use crate::{BeginWrite, SqlStore, from_json, map_err, on_db, to_json};

#[async_trait::async_trait]
impl InspectionRepo for SqlStore {
    async fn put_inspection_record(
        &self,
        plan: Uuid,
        inspection: Uuid,
        record: &InspectionRecord,
        audit: &AuditEntry,
    ) -> StoreResult<()> {
        let turn = self.write_turn().await;
        let doc = to_json(record)?;
        on_db!(turn.db, |p| {
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
}
