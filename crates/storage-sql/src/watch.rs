//! The deadline watch: `dossier.watch_at` (when to look at a running dossier next), the alarms
//! raised once per dossier, kind and due instant, and `job_lease` (one holder of a scheduled job
//! among several processes: a conditional upsert, never an advisory lock).

use chrono::{DateTime, FixedOffset, Utc};
use motcua_domain::dossier::record::DossierRecord;
use motcua_domain::dossier::watch::AlarmKind;
use motcua_domain::dossier::{Dossier, DossierCode};
use motcua_domain::ids::AgencyCode;
use motcua_storage::{AlarmQuery, AlarmRecord, StoreError, StoreResult, WatchOutcome, WatchRepo};
use uuid::Uuid;

use crate::dossier::{DossierRow, fields};
use crate::outbox::insert_notice;
use crate::rows::{Bind, Where, bad, bind_all};
use crate::{BeginWrite, SqlStore, map_err, on_db};

/// The `watch_at` of a dossier written at `at`: looked at by the next pass while it runs.
pub(crate) fn watch_from(w: &Dossier, at: DateTime<FixedOffset>) -> Option<DateTime<Utc>> {
    w.ended_at.is_none().then(|| at.with_timezone(&Utc))
}

#[derive(sqlx::FromRow)]
struct WatchRow {
    watch_at: DateTime<Utc>,
    #[sqlx(flatten)]
    row: DossierRow,
}

#[derive(sqlx::FromRow)]
struct AlarmRow {
    id: Uuid,
    dossier_code: String,
    holder: String,
    competent: String,
    handler: Option<String>,
    kind: String,
    step: Option<String>,
    due_at: DateTime<Utc>,
    raised_at: DateTime<Utc>,
}

impl TryFrom<AlarmRow> for AlarmRecord {
    type Error = StoreError;
    fn try_from(r: AlarmRow) -> StoreResult<Self> {
        Ok(AlarmRecord {
            id: r.id,
            dossier: DossierCode::parse(&r.dossier_code).map_err(bad("dossier code"))?,
            holder: AgencyCode::parse(&r.holder).map_err(bad("agency"))?,
            competent: AgencyCode::parse(&r.competent).map_err(bad("agency"))?,
            handler: r.handler,
            kind: AlarmKind::parse(&r.kind).ok_or_else(|| StoreError::Other(format!("stored alarm «{}»", r.kind)))?,
            step: r.step,
            due_at: r.due_at,
            raised_at: r.raised_at,
        })
    }
}

const ALARM_COLS: &str =
    "SELECT id, dossier_code, holder, competent, handler, kind, step, due_at, raised_at FROM dossier_alarm";

#[async_trait::async_trait]
impl WatchRepo for SqlStore {
    async fn take_lease(
        &self,
        agency: &AgencyCode,
        name: &str,
        holder: Uuid,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> StoreResult<bool> {
        const SQL: &str = "INSERT INTO job_lease (agency_code, name, holder, until) VALUES ($1, $2, $3, $5) \
            ON CONFLICT (agency_code, name) DO UPDATE SET holder = excluded.holder, until = excluded.until \
            WHERE job_lease.until <= $4 OR job_lease.holder = excluded.holder";
        let turn = self.write_turn().await;
        let n = on_db!(turn.db, |p| sqlx::query(SQL)
            .bind(agency.as_str())
            .bind(name)
            .bind(holder)
            .bind(now)
            .bind(until)
            .execute(p)
            .await
            .map_err(map_err)?
            .rows_affected());
        Ok(n == 1)
    }

    async fn watch_due(&self, now: DateTime<Utc>, limit: u32) -> StoreResult<Vec<(DossierRecord, DateTime<Utc>)>> {
        const SQL: &str = concat!(
            "SELECT watch_at, ",
            fields!(),
            " FROM dossier WHERE watch_at IS NOT NULL AND watch_at <= $1 ORDER BY watch_at LIMIT $2"
        );
        let rows: Vec<WatchRow> = on_db!(&self.db, |p| sqlx::query_as(SQL)
            .bind(now)
            .bind(i64::from(limit.clamp(1, 10_000)))
            .fetch_all(p)
            .await
            .map_err(map_err))?;
        rows.into_iter().map(|r| Ok((DossierRecord::try_from(r.row)?, r.watch_at))).collect()
    }

    async fn record_watch(&self, o: &WatchOutcome, now: DateTime<Utc>) -> StoreResult<Vec<AlarmRecord>> {
        const ALARM: &str = "INSERT INTO dossier_alarm (id, agency_code, dossier_id, dossier_code, holder, competent, \
            handler, kind, step, due_at, raised_at) \
            SELECT $1, agency_code, id, code, $3, $4, $5, $6, $7, $8, $9 FROM dossier WHERE code = $2 \
            ON CONFLICT (agency_code, dossier_id, kind, due_at) DO NOTHING";
        const NEXT: &str = "UPDATE dossier SET watch_at = $2 WHERE code = $1 AND watch_at = $3";
        let turn = self.write_turn().await;
        on_db!(turn.db, |p| {
            let mut tx = p.begin_write().await.map_err(map_err)?;
            let mut new = Vec::new();
            for (a, notices) in &o.alarms {
                let n = sqlx::query(ALARM)
                    .bind(a.id)
                    .bind(o.dossier.as_str())
                    .bind(a.holder.as_str())
                    .bind(a.competent.as_str())
                    .bind(a.handler.as_deref())
                    .bind(a.kind.as_str())
                    .bind(a.step.as_deref())
                    .bind(a.due_at)
                    .bind(a.raised_at)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?
                    .rows_affected();
                if n == 1 {
                    for notice in notices {
                        insert_notice!(&mut *tx, a.holder.as_str(), Some(o.dossier.as_str()), notice, now)?;
                    }
                    new.push(a.clone());
                }
            }
            sqlx::query(NEXT)
                .bind(o.dossier.as_str())
                .bind(o.next)
                .bind(o.seen)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
            tx.commit().await.map_err(map_err)?;
            Ok::<_, StoreError>(new)
        })
    }

    async fn alarms(&self, q: &AlarmQuery) -> StoreResult<Vec<AlarmRecord>> {
        let mut w = Where::default();
        if !q.agencies.is_empty() {
            let agencies: Vec<String> = q.agencies.iter().map(|a| a.as_str().to_owned()).collect();
            w.any_in(&["holder", "competent"], &agencies);
        }
        if q.escalated_only {
            w.and("kind = {}", Bind::Text(AlarmKind::Escalated.as_str().to_owned()));
        }
        let where_sql = w.sql();
        let limit = w.bind(Bind::Int(i64::from(q.limit.clamp(1, 500))));
        let sql = format!("{ALARM_COLS}{where_sql} ORDER BY raised_at DESC, id DESC LIMIT {limit}");
        let rows: Vec<AlarmRow> = on_db!(&self.db, |p| bind_all!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), &w.binds)
            .fetch_all(p)
            .await
            .map_err(map_err))?;
        rows.into_iter().map(AlarmRecord::try_from).collect()
    }
}
