//! Documents attached to progress reports.

use chrono::{DateTime, Utc};
use motcua_domain::ids::AgencyCode;
use motcua_domain::plan::ReportFile;
use motcua_storage::{AuditEntry, ReportFileRepo, StoreError, StoreResult};
use uuid::Uuid;

use crate::audit::write_audit;
use crate::rows::bad;
use crate::{BeginWrite, SqlStore, map_err, on_db};

#[async_trait::async_trait]
impl ReportFileRepo for SqlStore {
    async fn add_report_file(&self, f: &ReportFile, audit: &AuditEntry) -> StoreResult<()> {
        let turn = self.write_turn().await;
        on_db!(turn.db, |p| {
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
