//! Monthly progress reports.

use chrono::{DateTime, Utc};
use motcua_domain::ids::AgencyCode;
use motcua_domain::plan::{ProgressReport, ProgressStatus};
use motcua_storage::{AuditEntry, ProgressRepo, StoreError, StoreResult};
use uuid::Uuid;

use crate::audit::write_audit;
use crate::rows::bad;
use crate::{BeginWrite, SqlStore, map_err, on_db};

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

#[async_trait::async_trait]
impl ProgressRepo for SqlStore {
    async fn put_progress_report(&self, r: &ProgressReport, audit: &AuditEntry) -> StoreResult<()> {
        let turn = self.write_turn().await;
        on_db!(turn.db, |p| {
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
}
