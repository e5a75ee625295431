//! Online payments: the ledger (one row per order, paid once, the dossier's change stored in the
//! same transaction as the confirmation) and the daily reconciliations.

use chrono::{DateTime, NaiveDate, Utc};
use motcua_domain::dossier::DossierCode;
use motcua_domain::ids::AgencyCode;
use motcua_domain::payment::PaymentState;
use motcua_storage::{
    AuditEntry, Confirmation, Confirmed, DossierUpdate, PaymentQuery, PaymentRecord, PaymentRepo, Reconciliation,
    StoreError, StoreResult,
};
use sqlx::types::Json;
use uuid::Uuid;

use crate::audit::write_audit;
use crate::dossier::event::enum_str;
use crate::dossier::update_in_tx;
use crate::rows::{Bind, Where, bad, bind_all};
use crate::{BeginWrite, SqlStore, from_json, map_err, on_db, to_json};

const COLS: &str = "SELECT id, agency_code, dossier_code, amount_vnd, lines, state, created_at, created_by, \
    gateway_txn, paid_at, receipt_no, note FROM payment";

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    agency_code: String,
    dossier_code: String,
    amount_vnd: i64,
    lines: Json<serde_json::Value>,
    state: String,
    created_at: DateTime<Utc>,
    created_by: String,
    gateway_txn: Option<String>,
    paid_at: Option<DateTime<Utc>>,
    receipt_no: Option<String>,
    note: Option<String>,
}

impl TryFrom<Row> for PaymentRecord {
    type Error = StoreError;
    fn try_from(r: Row) -> StoreResult<Self> {
        Ok(PaymentRecord {
            id: r.id,
            agency: AgencyCode::parse(&r.agency_code).map_err(bad("agency"))?,
            dossier: DossierCode::parse(&r.dossier_code).map_err(bad("dossier code"))?,
            amount_vnd: u64::try_from(r.amount_vnd).map_err(bad("amount"))?,
            lines: from_json(r.lines.0, "payment lines")?,
            state: PaymentState::parse(&r.state)
                .ok_or_else(|| StoreError::Other(format!("payment state «{}»", r.state)))?,
            created_at: r.created_at,
            created_by: r.created_by,
            gateway_txn: r.gateway_txn,
            paid_at: r.paid_at,
            receipt_no: r.receipt_no,
            note: r.note,
        })
    }
}

#[derive(sqlx::FromRow)]
struct RecRow {
    agency_code: String,
    day: NaiveDate,
    ran_at: DateTime<Utc>,
    gateway_count: i32,
    ledger_count: i32,
    differences: Json<serde_json::Value>,
}

#[async_trait::async_trait]
impl PaymentRepo for SqlStore {
    async fn create_payment(&self, p: &PaymentRecord, audit: &AuditEntry) -> StoreResult<()> {
        const SQL: &str = "INSERT INTO payment (id, agency_code, dossier_id, dossier_code, amount_vnd, lines, state, \
            created_at, created_by) SELECT $1, $2, id, code, $4, $5, $6, $7, $8 FROM dossier WHERE code = $3";
        let lines = to_json(&p.lines)?;
        let amount = i64::try_from(p.amount_vnd).map_err(|e| StoreError::Other(format!("amount: {e}")))?;
        let turn = self.write_turn().await;
        on_db!(turn.db, |pool| {
            let mut tx = pool.begin_write().await.map_err(map_err)?;
            let n = sqlx::query(SQL)
                .bind(p.id)
                .bind(p.agency.as_str())
                .bind(p.dossier.as_str())
                .bind(amount)
                .bind(Json(&lines))
                .bind(p.state.as_str())
                .bind(p.created_at)
                .bind(p.created_by.as_str())
                .execute(&mut *tx)
                .await
                .map_err(map_err)?
                .rows_affected();
            if n != 1 {
                return Err(StoreError::NotFound(format!("dossier {}", p.dossier)));
            }
            write_audit!(&mut *tx, audit)?;
            tx.commit().await.map_err(map_err)
        })
    }

    async fn payment(&self, id: Uuid) -> StoreResult<Option<PaymentRecord>> {
        let sql = format!("{COLS} WHERE id = $1");
        let row: Option<Row> = on_db!(&self.db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(id)
            .fetch_optional(p)
            .await
            .map_err(map_err))?;
        row.map(PaymentRecord::try_from).transpose()
    }

    async fn payments(&self, q: &PaymentQuery) -> StoreResult<Vec<PaymentRecord>> {
        let mut w = Where::default();
        if let Some(d) = &q.dossier {
            w.and("dossier_code = {}", Bind::Text(d.to_string()));
        }
        if let Some(s) = q.state {
            w.and("state = {}", Bind::Text(s.as_str().to_owned()));
        }
        if let Some(t) = q.from {
            w.and("created_at >= {}", Bind::Instant(t));
        }
        if let Some(t) = q.until {
            w.and("created_at < {}", Bind::Instant(t));
        }
        let where_sql = w.sql();
        let limit = w.bind(Bind::Int(i64::from(q.limit.clamp(1, 10_000))));
        let sql = format!("{COLS}{where_sql} ORDER BY created_at DESC, id DESC LIMIT {limit}");
        let rows: Vec<Row> = on_db!(&self.db, |p| bind_all!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), &w.binds)
            .fetch_all(p)
            .await
            .map_err(map_err))?;
        rows.into_iter().map(PaymentRecord::try_from).collect()
    }

    async fn confirm_payment(
        &self,
        c: &Confirmation,
        then: Option<&DossierUpdate>,
        audit: &AuditEntry,
    ) -> StoreResult<Confirmed> {
        const PAY: &str = "UPDATE payment SET state = 'paid', gateway_txn = $2, paid_at = $3, receipt_no = $4, \
            note = $5 WHERE id = $1 AND state <> 'paid'";
        let update = match then {
            Some(u) => Some((u, to_json(&u.workflow)?, enum_str(&u.workflow.state)?)),
            None => None,
        };
        let turn = self.write_turn().await;
        on_db!(turn.db, |p| {
            let mut tx = p.begin_write().await.map_err(map_err)?;
            let n = sqlx::query(PAY)
                .bind(c.id)
                .bind(c.txn.as_str())
                .bind(c.paid_at)
                .bind(c.receipt_no.as_str())
                .bind(c.note.as_deref())
                .execute(&mut *tx)
                .await
                .map_err(map_err)?
                .rows_affected();
            if n == 0 {
                return Ok(Confirmed::Already);
            }
            if let Some((u, json, state)) = &update {
                update_in_tx!(
                    tx,
                    &u.code,
                    u.expected_revision,
                    &u.workflow,
                    json,
                    state.as_str(),
                    &u.event,
                    &u.audit,
                    &u.notices
                );
            }
            write_audit!(&mut *tx, audit)?;
            tx.commit().await.map_err(map_err)?;
            Ok::<_, StoreError>(Confirmed::Now)
        })
    }

    async fn fail_payment(&self, id: Uuid, txn: &str, audit: &AuditEntry) -> StoreResult<bool> {
        const SQL: &str = "UPDATE payment SET state = 'failed', gateway_txn = $2 WHERE id = $1 AND state = 'pending'";
        let turn = self.write_turn().await;
        on_db!(turn.db, |p| {
            let mut tx = p.begin_write().await.map_err(map_err)?;
            let n = sqlx::query(SQL).bind(id).bind(txn).execute(&mut *tx).await.map_err(map_err)?.rows_affected();
            write_audit!(&mut *tx, audit)?;
            tx.commit().await.map_err(map_err)?;
            Ok::<_, StoreError>(n == 1)
        })
    }

    async fn put_reconciliation(&self, r: &Reconciliation, audit: &AuditEntry) -> StoreResult<()> {
        const SQL: &str = "INSERT INTO payment_reconciliation (id, agency_code, day, ran_at, gateway_count, \
            ledger_count, differences) VALUES ($1, $2, $3, $4, $5, $6, $7) \
            ON CONFLICT (agency_code, day) DO UPDATE SET ran_at = excluded.ran_at, \
            gateway_count = excluded.gateway_count, ledger_count = excluded.ledger_count, \
            differences = excluded.differences";
        let diff = to_json(&r.differences)?;
        let turn = self.write_turn().await;
        on_db!(turn.db, |p| {
            let mut tx = p.begin_write().await.map_err(map_err)?;
            sqlx::query(SQL)
                .bind(Uuid::now_v7())
                .bind(r.agency.as_str())
                .bind(r.day)
                .bind(r.ran_at)
                .bind(r.gateway_count as i32)
                .bind(r.ledger_count as i32)
                .bind(Json(&diff))
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
            write_audit!(&mut *tx, audit)?;
            tx.commit().await.map_err(map_err)
        })
    }

    async fn reconciliations(&self, limit: u32) -> StoreResult<Vec<Reconciliation>> {
        const SQL: &str = "SELECT agency_code, day, ran_at, gateway_count, ledger_count, differences \
            FROM payment_reconciliation ORDER BY day DESC, agency_code LIMIT $1";
        let rows: Vec<RecRow> = on_db!(&self.db, |p| sqlx::query_as(SQL)
            .bind(i64::from(limit.clamp(1, 1000)))
            .fetch_all(p)
            .await
            .map_err(map_err))?;
        rows.into_iter()
            .map(|r| {
                Ok(Reconciliation {
                    agency: AgencyCode::parse(&r.agency_code).map_err(bad("agency"))?,
                    day: r.day,
                    ran_at: r.ran_at,
                    gateway_count: u32::try_from(r.gateway_count).unwrap_or(0),
                    ledger_count: u32::try_from(r.ledger_count).unwrap_or(0),
                    differences: from_json(r.differences.0, "differences")?,
                })
            })
            .collect()
    }
}
