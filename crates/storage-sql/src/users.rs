//! Accounts and sessions. Sessions are stored under the SHA-256 of their token.

use chrono::{DateTime, Utc};
use motcua_domain::dossier::record::Applicant;
use motcua_domain::ids::{AgencyCode, Username};
use motcua_domain::user::{SignIn, User};
use motcua_domain::vault::Holder;
use motcua_storage::{AuditEntry, NewSession, NewUser, SessionKind, StoreError, StoreResult, UserRepo};
use sqlx::types::Json;
use uuid::Uuid;

use crate::audit::write_audit;
use crate::rows::UserRow;
use crate::{BeginWrite, SqlStore, from_json, map_err, on_db, to_json};

fn kind_str(k: SessionKind) -> &'static str {
    match k {
        SessionKind::Cookie => "cookie",
        SessionKind::Bearer => "bearer",
    }
}

#[derive(sqlx::FromRow)]
struct CredRow {
    #[sqlx(flatten)]
    user: UserRow,
    password_hash: String,
}

impl SqlStore {
    /// Insert an account and, for a person signing in through the identity provider, its link
    /// to the person's identity, with the audit row, in one transaction.
    pub(crate) async fn insert_user(
        &self,
        user: &NewUser,
        link: Option<(&Holder, &str)>,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> StoreResult<User> {
        let id = Uuid::now_v7();
        let turn = self.write_turn().await;
        on_db!(turn.db, |p| {
            let mut tx = p.begin_write().await.map_err(map_err)?;
            sqlx::query(
                "INSERT INTO app_user (id, username, full_name, role, agency_code, password_hash, created_at, email) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(id)
            .bind(user.username.as_str())
            .bind(user.full_name.as_str())
            .bind(user.role.as_str())
            .bind(user.agency.as_ref().map(|a| a.as_str()))
            .bind(user.password_hash.as_str())
            .bind(now)
            .bind(user.email.as_deref())
            .execute(&mut *tx)
            .await
            .map_err(|e| match map_err(e) {
                StoreError::Conflict { .. } => StoreError::Conflict { constraint: "app_user.username".into() },
                e => e,
            })?;
            if let Some((holder, source)) = link {
                sqlx::query("INSERT INTO identity_link (user_id, holder, source, linked_at) VALUES ($1, $2, $3, $4)")
                    .bind(id)
                    .bind(holder.as_str())
                    .bind(source)
                    .bind(now)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
            }
            write_audit!(&mut *tx, audit)?;
            tx.commit().await.map_err(map_err)?;
            Ok::<_, StoreError>(())
        })?;
        Ok(User {
            id,
            username: user.username.clone(),
            full_name: user.full_name.clone(),
            role: user.role,
            agency: user.agency.clone(),
            signed_in_with: SignIn::Password,
        })
    }
}

#[async_trait::async_trait]
impl UserRepo for SqlStore {
    async fn create_user(&self, user: &NewUser, now: DateTime<Utc>, audit: &AuditEntry) -> StoreResult<User> {
        self.insert_user(user, None, now, audit).await
    }

    async fn user_credentials(&self, username: &Username) -> StoreResult<Option<(User, String)>> {
        const SQL: &str =
            "SELECT id, username, full_name, role, agency_code, password_hash FROM app_user WHERE username = $1";
        let row: Option<CredRow> =
            on_db!(&self.db, |p| sqlx::query_as(SQL).bind(username.as_str()).fetch_optional(p).await.map_err(map_err))?;
        row.map(|r| Ok((User::try_from(r.user)?, r.password_hash))).transpose()
    }

    async fn users_of_agency(&self, agency: &AgencyCode) -> StoreResult<Vec<User>> {
        const SQL: &str =
            "SELECT id, username, full_name, role, agency_code FROM app_user WHERE agency_code = $1 ORDER BY username";
        let rows: Vec<UserRow> =
            on_db!(&self.db, |p| sqlx::query_as(SQL).bind(agency.as_str()).fetch_all(p).await.map_err(map_err))?;
        rows.into_iter().map(User::try_from).collect()
    }

    async fn contacts_of_agency(&self, agency: &AgencyCode) -> StoreResult<Vec<(User, Option<String>)>> {
        const SQL: &str = "SELECT id, username, full_name, role, agency_code, email FROM app_user \
            WHERE agency_code = $1 ORDER BY username";
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            user: UserRow,
            email: Option<String>,
        }
        let rows: Vec<Row> =
            on_db!(&self.db, |p| sqlx::query_as(SQL).bind(agency.as_str()).fetch_all(p).await.map_err(map_err))?;
        rows.into_iter().map(|r| Ok((User::try_from(r.user)?, r.email))).collect()
    }

    async fn set_password(&self, username: &Username, password_hash: &str, audit: &AuditEntry) -> StoreResult<()> {
        let turn = self.write_turn().await;
        on_db!(turn.db, |p| {
            let mut tx = p.begin_write().await.map_err(map_err)?;
            let n = sqlx::query("UPDATE app_user SET password_hash = $2 WHERE username = $1")
                .bind(username.as_str())
                .bind(password_hash)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?
                .rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound(format!("user {username}")));
            }
            // A new password ends every open session of the account.
            sqlx::query("DELETE FROM session WHERE user_id = (SELECT id FROM app_user WHERE username = $1)")
                .bind(username.as_str())
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
            write_audit!(&mut *tx, audit)?;
            tx.commit().await.map_err(map_err)
        })
    }

    async fn set_applicant_profile(&self, user: Uuid, applicant: &Applicant, audit: &AuditEntry) -> StoreResult<()> {
        let json = to_json(applicant)?;
        let turn = self.write_turn().await;
        on_db!(turn.db, |p| {
            let mut tx = p.begin_write().await.map_err(map_err)?;
            let n = sqlx::query("UPDATE app_user SET applicant = $2 WHERE id = $1")
                .bind(user)
                .bind(Json(&json))
                .execute(&mut *tx)
                .await
                .map_err(map_err)?
                .rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound(format!("user {user}")));
            }
            write_audit!(&mut *tx, audit)?;
            tx.commit().await.map_err(map_err)
        })
    }

    async fn applicant_profile(&self, user: Uuid) -> StoreResult<Option<Applicant>> {
        let row: Option<Option<Json<serde_json::Value>>> =
            on_db!(&self.db, |p| sqlx::query_scalar("SELECT applicant FROM app_user WHERE id = $1")
                .bind(user)
                .fetch_optional(p)
                .await
                .map_err(map_err))?;
        row.flatten().map(|Json(v)| from_json(v, "applicant profile")).transpose()
    }

    async fn create_session(&self, session: &NewSession<'_>, audit: &AuditEntry) -> StoreResult<()> {
        let turn = self.write_turn().await;
        on_db!(turn.db, |p| {
            let mut tx = p.begin_write().await.map_err(map_err)?;
            // Expired sessions of the user are swept as new ones are made.
            sqlx::query("DELETE FROM session WHERE user_id = $1 AND expires_at <= $2")
                .bind(session.user_id)
                .bind(session.created_at)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
            sqlx::query(
                "INSERT INTO session (token_hash, user_id, kind, created_at, expires_at, sign_in) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(session.token_hash)
            .bind(session.user_id)
            .bind(kind_str(session.kind))
            .bind(session.created_at)
            .bind(session.expires_at)
            .bind(session.sign_in.as_str())
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
            write_audit!(&mut *tx, audit)?;
            tx.commit().await.map_err(map_err)
        })
    }

    async fn session_user(&self, token_hash: &str, kind: SessionKind, now: DateTime<Utc>) -> StoreResult<Option<User>> {
        const SQL: &str = "SELECT u.id, u.username, u.full_name, u.role, u.agency_code, s.sign_in \
            FROM session s JOIN app_user u ON u.id = s.user_id \
            WHERE s.token_hash = $1 AND s.kind = $2 AND s.expires_at > $3";
        let row: Option<UserRow> = on_db!(&self.db, |p| sqlx::query_as(SQL)
            .bind(token_hash)
            .bind(kind_str(kind))
            .bind(now)
            .fetch_optional(p)
            .await
            .map_err(map_err))?;
        row.map(User::try_from).transpose()
    }

    async fn delete_session(&self, token_hash: &str, audit: &AuditEntry) -> StoreResult<()> {
        let turn = self.write_turn().await;
        on_db!(turn.db, |p| {
            let mut tx = p.begin_write().await.map_err(map_err)?;
            sqlx::query("DELETE FROM session WHERE token_hash = $1")
                .bind(token_hash)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
            write_audit!(&mut *tx, audit)?;
            tx.commit().await.map_err(map_err)
        })
    }

    async fn delete_sessions_of(&self, user_id: Uuid, audit: &AuditEntry) -> StoreResult<u64> {
        let turn = self.write_turn().await;
        on_db!(turn.db, |p| {
            let mut tx = p.begin_write().await.map_err(map_err)?;
            let n = sqlx::query("DELETE FROM session WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?
                .rows_affected();
            write_audit!(&mut *tx, audit)?;
            tx.commit().await.map_err(map_err)?;
            Ok(n)
        })
    }
}
