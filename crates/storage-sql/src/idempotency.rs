//! Stored answers of POST requests sent with an `Idempotency-Key`.

use chrono::{DateTime, Utc};
use motcua_storage::{IdempotencyRepo, Reservation, StoreError, StoreResult};

use crate::{BeginWrite, SqlStore, map_err, on_db};

impl IdempotencyRepo for SqlStore {
    async fn reserve_key(
        &self,
        caller: &str,
        key: &str,
        request: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Reservation> {
        let _turn = self.write_turn().await;
        on_db!(&self.db, |p| {
            let mut tx = p.begin_write().await.map_err(map_err)?;
            let found: Option<(String, i32, Option<Vec<u8>>)> =
                sqlx::query_as("SELECT request, status, body FROM idempotency WHERE caller = $1 AND key = $2")
                    .bind(caller)
                    .bind(key)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(map_err)?;
            let r = match found {
                Some((_, 0, _)) => Reservation::InProgress,
                Some((request, status, body)) => Reservation::Done {
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
        let _turn = self.write_turn().await;
        on_db!(&self.db, |p| sqlx::query(
            "UPDATE idempotency SET status = $3, body = $4 WHERE caller = $1 AND key = $2"
        )
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
        let _turn = self.write_turn().await;
        on_db!(&self.db, |p| sqlx::query("DELETE FROM idempotency WHERE caller = $1 AND key = $2 AND status = 0")
            .bind(caller)
            .bind(key)
            .execute(p)
            .await
            .map(|_| ())
            .map_err(map_err))
    }
}
