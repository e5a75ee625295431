//! Stored answers of POST requests sent with an `Idempotency-Key`.

use chrono::{DateTime, Utc};
use motcua_storage::{IdempotencyRepo, KeyAges, Reservation, StoreError, StoreResult};

use crate::{BeginWrite, SqlStore, map_err, on_db};

/// request, status (0: in progress), answer, created_at.
type KeyRow = (String, i32, Option<Vec<u8>>, DateTime<Utc>);

#[async_trait::async_trait]
impl IdempotencyRepo for SqlStore {
    async fn reserve_key(
        &self,
        caller: &str,
        key: &str,
        request: &str,
        now: DateTime<Utc>,
        ages: KeyAges,
    ) -> StoreResult<Reservation> {
        let turn = self.write_turn().await;
        on_db!(turn.db, |p| {
            let mut tx = p.begin_write().await.map_err(map_err)?;
            let found: Option<KeyRow> = sqlx::query_as(
                "SELECT request, status, body, created_at FROM idempotency WHERE caller = $1 AND key = $2",
            )
            .bind(caller)
            .bind(key)
            .fetch_optional(&mut *tx)
            .await
            .map_err(map_err)?;
            // An answer past its keeping time, or a reservation whose request died with its
            // process, no longer holds the key.
            let found = match found {
                Some((_, status, _, at))
                    if (status == 0 && at < ages.in_progress_since) || (status != 0 && at < ages.answered_since) =>
                {
                    sqlx::query("DELETE FROM idempotency WHERE caller = $1 AND key = $2")
                        .bind(caller)
                        .bind(key)
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    None
                }
                f => f,
            };
            let r = match found {
                Some((_, 0, _, _)) => Reservation::InProgress,
                Some((request, status, body, _)) => Reservation::Done {
                    request,
                    status: u16::try_from(status).unwrap_or(500),
                    body: body.unwrap_or_default(),
                },
                None => {
                    sqlx::query(
                        "INSERT INTO idempotency (caller, key, request, status, created_at) VALUES ($1, $2, $3, 0, $4)",
                    )
                    .bind(caller)
                    .bind(key)
                    .bind(request)
                    .bind(now)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| match map_err(e) {
                        // Another request took the key between our read and insert.
                        StoreError::Conflict { .. } => StoreError::Conflict { constraint: "idempotency".into() },
                        e => e,
                    })?;
                    Reservation::New
                }
            };
            tx.commit().await.map_err(map_err)?;
            Ok(r)
        })
    }

    async fn complete_key(&self, caller: &str, key: &str, status: u16, body: &[u8]) -> StoreResult<()> {
        let turn = self.write_turn().await;
        on_db!(turn.db, |p| sqlx::query("UPDATE idempotency SET status = $3, body = $4 WHERE caller = $1 AND key = $2")
            .bind(caller)
            .bind(key)
            .bind(i32::from(status))
            .bind(body)
            .execute(p)
            .await
            .map(|_| ())
            .map_err(map_err))
    }

    async fn release_key(&self, caller: &str, key: &str) -> StoreResult<()> {
        let turn = self.write_turn().await;
        on_db!(turn.db, |p| sqlx::query("DELETE FROM idempotency WHERE caller = $1 AND key = $2 AND status = 0")
            .bind(caller)
            .bind(key)
            .execute(p)
            .await
            .map(|_| ())
            .map_err(map_err))
    }

    async fn purge_keys(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        let turn = self.write_turn().await;
        on_db!(turn.db, |p| sqlx::query("DELETE FROM idempotency WHERE created_at < $1")
            .bind(before)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
            .map_err(map_err))
    }
}
