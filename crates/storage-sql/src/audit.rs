//! The audit log: written inside the transaction of every write, read newest first.

use chrono::{DateTime, Utc};
use motcua_domain::ids::AgencyCode;
use motcua_storage::{AuditEntry, AuditRecord, AuditRepo, StoreResult};
use sqlx::types::Json;
use uuid::Uuid;

use crate::rows::bad;
use crate::{SqlStore, map_err, on_db};

/// The head of an audit-row insert, up to `VALUES` (one row here, many in a batch of intakes).
macro_rules! audit_insert {
    () => {
        "INSERT INTO audit_log (id, at, actor_id, actor, action, entity, entity_id, ip, agency_code, detail) "
    };
}
pub(crate) use audit_insert;

pub(crate) const INSERT_AUDIT: &str = concat!(audit_insert!(), "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)");

/// Write one audit row on a connection or transaction (`&mut *tx`).
macro_rules! write_audit {
    ($conn:expr, $a:expr) => {{
        let a: &motcua_storage::AuditEntry = $a;
        sqlx::query($crate::audit::INSERT_AUDIT)
            .bind(uuid::Uuid::now_v7())
            .bind(a.at)
            .bind(a.actor_id)
            .bind(a.actor.as_str())
            .bind(a.action.as_str())
            .bind(a.entity.as_str())
            .bind(a.entity_id.as_str())
            .bind(a.ip.as_deref())
            .bind(a.agency.as_ref().map(|c| c.as_str()))
            .bind(sqlx::types::Json(&a.detail))
            .execute($conn)
            .await
            .map_err($crate::map_err)
    }};
}
pub(crate) use write_audit;

#[derive(sqlx::FromRow)]
struct AuditRow {
    id: Uuid,
    at: DateTime<Utc>,
    actor_id: Option<Uuid>,
    actor: String,
    action: String,
    entity: String,
    entity_id: String,
    ip: Option<String>,
    agency_code: Option<String>,
    detail: Json<serde_json::Value>,
}

#[async_trait::async_trait]
impl AuditRepo for SqlStore {
    async fn record_audit(&self, entry: &AuditEntry) -> StoreResult<()> {
        let turn = self.write_turn().await;
        on_db!(turn.db, |p| write_audit!(p, entry).map(|_| ()))
    }

    async fn audit_log(&self, limit: u32) -> StoreResult<Vec<AuditRecord>> {
        const SQL: &str = "SELECT id, at, actor_id, actor, action, entity, entity_id, ip, agency_code, detail \
            FROM audit_log ORDER BY at DESC, id DESC LIMIT $1";
        let rows: Vec<AuditRow> =
            on_db!(&self.db, |p| sqlx::query_as(SQL).bind(i64::from(limit)).fetch_all(p).await.map_err(map_err))?;
        records(rows)
    }
}

impl SqlStore {
    /// The audit rows about one entity, newest first.
    pub(crate) async fn audit_of(&self, entity: &str, id: &str, limit: u32) -> StoreResult<Vec<AuditRecord>> {
        const SQL: &str = "SELECT id, at, actor_id, actor, action, entity, entity_id, ip, agency_code, detail \
            FROM audit_log WHERE entity = $1 AND entity_id = $2 ORDER BY at DESC, id DESC LIMIT $3";
        let rows: Vec<AuditRow> = on_db!(&self.db, |p| sqlx::query_as(SQL)
            .bind(entity)
            .bind(id)
            .bind(i64::from(limit))
            .fetch_all(p)
            .await
            .map_err(map_err))?;
        records(rows)
    }
}

fn records(rows: Vec<AuditRow>) -> StoreResult<Vec<AuditRecord>> {
    rows.into_iter()
        .map(|r| {
            Ok(AuditRecord {
                id: r.id,
                entry: AuditEntry {
                    at: r.at,
                    actor_id: r.actor_id,
                    actor: r.actor,
                    action: r.action,
                    entity: r.entity,
                    entity_id: r.entity_id,
                    ip: r.ip,
                    agency: r.agency_code.as_deref().map(AgencyCode::parse).transpose().map_err(bad("audit agency"))?,
                    detail: r.detail.0,
                },
            })
        })
        .collect()
}
