//! The transactional outbox: rows written with the dossier change they report (see
//! `insert_notice!`), claimed by jobs workers with a lease, settled by the lease holder only.

use chrono::{DateTime, Utc};
use motcua_domain::dossier::DossierCode;
use motcua_domain::ids::AgencyCode;
use motcua_domain::notice::{Notice, NoticeChannel};
use motcua_storage::{
    AuditEntry, DeadLetterAction, OutboxMessage, OutboxQuery, OutboxRepo, OutboxState, StoreError, StoreResult,
};
use uuid::Uuid;

use crate::audit::write_audit;
use crate::index::{Stored, reshare};
use crate::rows::{Bind, Where, bad, bind_all};
use crate::{BeginWrite, SqlStore, map_err, on_db};

/// The head of an outbox insert, up to `VALUES` (one row here, many in a batch of intakes).
macro_rules! notice_insert {
    () => {
        "INSERT INTO outbox (id, agency_code, dossier_code, channel, recipient, subject, body, state, created_at, \
         available_at, attempts) "
    };
}
pub(crate) use notice_insert;

pub(crate) const INSERT_NOTICE: &str =
    concat!(notice_insert!(), "VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $8, 0)");

/// Write one outbox row on a transaction (`&mut *tx`): `(tx, agency, dossier code, notice, now)`.
macro_rules! insert_notice {
    ($conn:expr, $agency:expr, $code:expr, $n:expr, $now:expr) => {{
        let n: &motcua_domain::notice::Notice = $n;
        sqlx::query($crate::outbox::INSERT_NOTICE)
            .bind(uuid::Uuid::now_v7())
            .bind($agency)
            .bind($code)
            .bind(n.channel.as_str())
            .bind(n.recipient.as_str())
            .bind(n.subject.as_str())
            .bind(n.body.as_str())
            .bind($now)
            .execute($conn)
            .await
            .map_err($crate::map_err)
    }};
}
pub(crate) use insert_notice;

const COLS: &str = "SELECT id, agency_code, dossier_code, channel, recipient, subject, body, state, created_at, \
    available_at, attempts, sent_at, last_error FROM outbox";

#[derive(sqlx::FromRow)]
struct OutboxRow {
    id: Uuid,
    agency_code: String,
    dossier_code: Option<String>,
    channel: String,
    recipient: String,
    subject: String,
    body: String,
    state: String,
    created_at: DateTime<Utc>,
    available_at: DateTime<Utc>,
    attempts: i32,
    sent_at: Option<DateTime<Utc>>,
    last_error: Option<String>,
}

fn channel(s: &str) -> StoreResult<NoticeChannel> {
    NoticeChannel::ALL
        .into_iter()
        .find(|c| c.as_str() == s)
        .ok_or_else(|| StoreError::Other(format!("stored channel «{s}» is unknown")))
}

fn state(s: &str) -> StoreResult<OutboxState> {
    OutboxState::ALL
        .into_iter()
        .find(|c| c.as_str() == s)
        .ok_or_else(|| StoreError::Other(format!("stored outbox state «{s}» is unknown")))
}

impl TryFrom<OutboxRow> for OutboxMessage {
    type Error = StoreError;
    fn try_from(r: OutboxRow) -> StoreResult<Self> {
        Ok(OutboxMessage {
            id: r.id,
            agency: AgencyCode::parse(&r.agency_code).map_err(bad("agency"))?,
            dossier: r.dossier_code.as_deref().map(DossierCode::parse).transpose().map_err(bad("dossier code"))?,
            notice: Notice { channel: channel(&r.channel)?, recipient: r.recipient, subject: r.subject, body: r.body },
            state: state(&r.state)?,
            created_at: r.created_at,
            available_at: r.available_at,
            attempts: u32::try_from(r.attempts).unwrap_or(0),
            sent_at: r.sent_at,
            last_error: r.last_error,
        })
    }
}

#[async_trait::async_trait]
impl OutboxRepo for SqlStore {
    async fn claim_outbox(
        &self,
        channel: NoticeChannel,
        worker: Uuid,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<OutboxMessage>> {
        // The outer WHERE repeats the claimability test: on PostgreSQL a second worker that
        // picked the same ids waits for the first one's row locks, then re-checks the updated
        // rows and skips them. SQLite has one writer at a time. On a channel delivered in order
        // ($6), a message waits while an earlier one of its dossier is not sent (pending, in
        // flight, or a dead letter until it is replayed or cancelled).
        const SQL: &str = "UPDATE outbox SET claimed_by = $2, claimed_until = $4, attempts = attempts + 1 \
            WHERE id IN (SELECT c.id FROM outbox c WHERE c.state = 'pending' AND c.channel = $1 \
              AND c.available_at <= $3 AND (c.claimed_until IS NULL OR c.claimed_until < $3) \
              AND (NOT $6 OR NOT EXISTS (SELECT 1 FROM outbox e WHERE e.dossier_code = c.dossier_code \
                AND e.channel = c.channel AND e.state IN ('pending', 'failed') \
                AND (e.created_at < c.created_at OR (e.created_at = c.created_at AND e.id < c.id)))) \
              ORDER BY c.available_at, c.id LIMIT $5) \
            AND state = 'pending' AND (claimed_until IS NULL OR claimed_until < $3) \
            RETURNING id, agency_code, dossier_code, channel, recipient, subject, body, state, created_at, \
              available_at, attempts, sent_at, last_error";
        let turn = self.write_turn().await;
        let mut rows: Vec<OutboxRow> = on_db!(turn.db, |p| {
            let mut tx = p.begin_write().await.map_err(map_err)?;
            let rows = sqlx::query_as(SQL)
                .bind(channel.as_str())
                .bind(worker)
                .bind(now)
                .bind(lease_until)
                .bind(i64::from(limit.clamp(1, 1000)))
                .bind(channel.in_order())
                .fetch_all(&mut *tx)
                .await
                .map_err(map_err)?;
            tx.commit().await.map_err(map_err)?;
            Ok::<_, StoreError>(rows)
        })?;
        rows.sort_by_key(|r| (r.available_at, r.id));
        rows.into_iter().map(OutboxMessage::try_from).collect()
    }

    async fn outbox_sent(&self, id: Uuid, worker: Uuid, now: DateTime<Utc>) -> StoreResult<bool> {
        const SQL: &str = "UPDATE outbox SET state = 'sent', sent_at = $3, claimed_until = NULL, last_error = NULL \
            WHERE id = $1 AND claimed_by = $2 AND state = 'pending' AND claimed_until IS NOT NULL \
            RETURNING channel, dossier_code";
        // A dossier the portal took is synced from now (Decision 766 metric 1.4), in the same
        // transaction, with its share of the index.
        const SYNCED: &str =
            concat!("UPDATE dossier SET synced_at = $2 WHERE code = $1 RETURNING id, ", crate::dossier::fields!());
        let turn = self.write_turn().await;
        on_db!(turn.db, |p| {
            let mut tx = p.begin_write().await.map_err(map_err)?;
            let sent: Option<(String, Option<String>)> =
                sqlx::query_as(SQL).bind(id).bind(worker).bind(now).fetch_optional(&mut *tx).await.map_err(map_err)?;
            let Some((name, dossier)) = sent else { return Ok(false) };
            if let (NoticeChannel::Portal, Some(code)) = (channel(&name)?, dossier) {
                let row: Option<Stored> =
                    sqlx::query_as(SYNCED).bind(code).bind(now).fetch_optional(&mut *tx).await.map_err(map_err)?;
                if let Some(Stored { id, row }) = row {
                    reshare!(tx, id, row);
                }
            }
            tx.commit().await.map_err(map_err)?;
            Ok::<_, StoreError>(true)
        })
    }

    async fn outbox_failed(
        &self,
        id: Uuid,
        worker: Uuid,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
    ) -> StoreResult<bool> {
        const SQL: &str = "UPDATE outbox SET state = $4, available_at = COALESCE($5, available_at), \
            claimed_until = NULL, last_error = $3 \
            WHERE id = $1 AND claimed_by = $2 AND state = 'pending' AND claimed_until IS NOT NULL";
        let next = if retry_at.is_some() { OutboxState::Pending } else { OutboxState::Failed };
        // Keep the stored error readable and bounded (a gateway may answer with a whole page, or
        // bytes PostgreSQL cannot store in text, as NUL).
        let error: String = error.chars().filter(|c| !c.is_control() || *c == '\n').take(500).collect();
        let turn = self.write_turn().await;
        let n = on_db!(turn.db, |p| sqlx::query(SQL)
            .bind(id)
            .bind(worker)
            .bind(error.as_str())
            .bind(next.as_str())
            .bind(retry_at)
            .execute(p)
            .await
            .map_err(map_err)?
            .rows_affected());
        Ok(n == 1)
    }

    async fn outbox(&self, q: &OutboxQuery) -> StoreResult<Vec<OutboxMessage>> {
        let mut w = Where::default();
        if let Some(c) = &q.dossier {
            w.and("dossier_code = {}", Bind::Text(c.to_string()));
        }
        if let Some(s) = q.state {
            w.and("state = {}", Bind::Text(s.as_str().to_owned()));
        }
        if let Some(c) = q.channel {
            w.and("channel = {}", Bind::Text(c.as_str().to_owned()));
        }
        let where_sql = w.sql();
        let limit = w.bind(Bind::Int(i64::from(q.limit.clamp(1, 500))));
        let sql = format!("{COLS}{where_sql} ORDER BY created_at DESC, id DESC LIMIT {limit}");
        let rows: Vec<OutboxRow> = on_db!(&self.db, |p| bind_all!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), &w.binds)
            .fetch_all(p)
            .await
            .map_err(map_err))?;
        rows.into_iter().map(OutboxMessage::try_from).collect()
    }

    async fn outbox_message(&self, id: Uuid) -> StoreResult<Option<OutboxMessage>> {
        let sql = format!("{COLS} WHERE id = $1");
        let row: Option<OutboxRow> = on_db!(&self.db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(id)
            .fetch_optional(p)
            .await
            .map_err(map_err))?;
        row.map(OutboxMessage::try_from).transpose()
    }

    async fn settle_dead_letter(
        &self,
        id: Uuid,
        action: DeadLetterAction,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> StoreResult<bool> {
        // A replayed message keeps its last error until it is sent (the office sees why it was
        // given up); its attempts count again from zero.
        const REPLAY: &str = "UPDATE outbox SET state = 'pending', attempts = 0, available_at = $2, \
            claimed_by = NULL, claimed_until = NULL WHERE id = $1 AND state = 'failed'";
        const CANCEL: &str = "UPDATE outbox SET state = 'cancelled', claimed_by = NULL, claimed_until = NULL \
            WHERE id = $1 AND state = 'failed'";
        let turn = self.write_turn().await;
        on_db!(turn.db, |p| {
            let mut tx = p.begin_write().await.map_err(map_err)?;
            let q = match action {
                DeadLetterAction::Replay => sqlx::query(REPLAY).bind(id).bind(now),
                DeadLetterAction::Cancel => sqlx::query(CANCEL).bind(id),
            };
            let n = q.execute(&mut *tx).await.map_err(map_err)?.rows_affected();
            if n != 1 {
                return Ok(false);
            }
            write_audit!(&mut *tx, audit)?;
            tx.commit().await.map_err(map_err)?;
            Ok::<_, StoreError>(true)
        })
    }

    async fn outbox_counts(&self) -> StoreResult<Vec<(NoticeChannel, OutboxState, u64)>> {
        const SQL: &str = "SELECT channel, state, COUNT(*) FROM outbox GROUP BY channel, state ORDER BY channel, state";
        let rows: Vec<(String, String, i64)> =
            on_db!(&self.db, |p| sqlx::query_as(SQL).fetch_all(p).await.map_err(map_err))?;
        rows.into_iter().map(|(c, s, n)| Ok((channel(&c)?, state(&s)?, u64::try_from(n).unwrap_or(0)))).collect()
    }
}
