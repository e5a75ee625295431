//! Sign-ins through the identity provider under way (`oidc_login`), and accounts by identity.

use chrono::{DateTime, Utc};
use motcua_domain::user::User;
use motcua_domain::vault::Holder;
use motcua_storage::{AuditEntry, NewUser, PendingSignIn, SignInRepo, StoreResult};

use crate::rows::UserRow;
use crate::{BeginWrite, SqlStore, map_err, on_db};

#[derive(sqlx::FromRow)]
struct PendingRow {
    state_hash: String,
    verifier: String,
    nonce: String,
    return_to: Option<String>,
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
}

impl From<PendingRow> for PendingSignIn {
    fn from(r: PendingRow) -> Self {
        Self {
            state_hash: r.state_hash,
            verifier: r.verifier,
            nonce: r.nonce,
            return_to: r.return_to,
            created_at: r.created_at,
            expires_at: r.expires_at,
        }
    }
}

#[async_trait::async_trait]
impl SignInRepo for SqlStore {
    async fn start_sign_in(&self, pending: &PendingSignIn) -> StoreResult<()> {
        let turn = self.write_turn().await;
        on_db!(turn.db, |p| {
            let mut tx = p.begin_write().await.map_err(map_err)?;
            // Sign-ins abandoned at the provider are swept as new ones start.
            sqlx::query("DELETE FROM oidc_login WHERE expires_at <= $1")
                .bind(pending.created_at)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
            sqlx::query(
                "INSERT INTO oidc_login (state_hash, verifier, nonce, return_to, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(pending.state_hash.as_str())
            .bind(pending.verifier.as_str())
            .bind(pending.nonce.as_str())
            .bind(pending.return_to.as_deref())
            .bind(pending.created_at)
            .bind(pending.expires_at)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
            tx.commit().await.map_err(map_err)
        })
    }

    async fn take_sign_in(&self, state_hash: &str) -> StoreResult<Option<PendingSignIn>> {
        let turn = self.write_turn().await;
        // One statement: its own transaction.
        let row: Option<PendingRow> = on_db!(turn.db, |p| sqlx::query_as(
            "DELETE FROM oidc_login WHERE state_hash = $1 \
             RETURNING state_hash, verifier, nonce, return_to, created_at, expires_at",
        )
        .bind(state_hash)
        .fetch_optional(p)
        .await
        .map_err(map_err))?;
        Ok(row.map(PendingSignIn::from))
    }

    async fn user_of_identity(&self, holder: &Holder) -> StoreResult<Option<User>> {
        const SQL: &str = "SELECT u.id, u.username, u.full_name, u.role, u.agency_code \
            FROM identity_link l JOIN app_user u ON u.id = l.user_id WHERE l.holder = $1";
        let row: Option<UserRow> =
            on_db!(&self.db, |p| sqlx::query_as(SQL).bind(holder.as_str()).fetch_optional(p).await.map_err(map_err))?;
        row.map(User::try_from).transpose()
    }

    async fn create_linked_user(
        &self,
        user: &NewUser,
        holder: &Holder,
        source: &str,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> StoreResult<User> {
        self.insert_user(user, Some((holder, source)), now, audit).await
    }
}
