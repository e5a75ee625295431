//! Accounts and sessions.

use chrono::{DateTime, Utc};
use motcua_domain::dossier::record::Applicant;
use motcua_domain::ids::{AgencyCode, Username};
use motcua_domain::user::{Role, SignIn, User};
use uuid::Uuid;

use crate::{AuditEntry, StoreResult};

/// A new account, with its password already hashed.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: Username,
    pub full_name: String,
    pub role: Role,
    pub agency: Option<AgencyCode>,
    /// Where staff receive the deadline watch's warnings.
    pub email: Option<String>,
    pub password_hash: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    /// Browser session (cookie).
    Cookie,
    /// API bearer token.
    Bearer,
}

/// A session to store: only the SHA-256 of its token.
#[derive(Debug, Clone)]
pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub user_id: Uuid,
    pub kind: SessionKind,
    pub sign_in: SignIn,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

#[async_trait::async_trait]
pub trait UserRepo {
    async fn create_user(&self, user: &NewUser, now: DateTime<Utc>, audit: &AuditEntry) -> StoreResult<User>;
    /// The user and the password hash, for login.
    async fn user_credentials(&self, username: &Username) -> StoreResult<Option<(User, String)>>;
    /// The accounts of an agency, by username.
    async fn users_of_agency(&self, agency: &AgencyCode) -> StoreResult<Vec<User>>;
    /// The accounts of an agency with their e-mail addresses, by username.
    async fn contacts_of_agency(&self, agency: &AgencyCode) -> StoreResult<Vec<(User, Option<String>)>>;
    async fn set_password(&self, username: &Username, password_hash: &str, audit: &AuditEntry) -> StoreResult<()>;
    /// Remember a citizen account's applicant details (replacing earlier ones).
    async fn set_applicant_profile(&self, user: Uuid, applicant: &Applicant, audit: &AuditEntry) -> StoreResult<()>;
    /// The applicant details an account remembers, if any.
    async fn applicant_profile(&self, user: Uuid) -> StoreResult<Option<Applicant>>;
    /// Store a session under the SHA-256 of its token (the token itself is never stored).
    async fn create_session(&self, session: &NewSession<'_>, audit: &AuditEntry) -> StoreResult<()>;
    /// The user of a live session of that kind, with how the session was opened
    /// (`User::signed_in_with`).
    async fn session_user(&self, token_hash: &str, kind: SessionKind, now: DateTime<Utc>) -> StoreResult<Option<User>>;
    async fn delete_session(&self, token_hash: &str, audit: &AuditEntry) -> StoreResult<()>;
    /// End every session and token of a user; how many.
    async fn delete_sessions_of(&self, user_id: Uuid, audit: &AuditEntry) -> StoreResult<u64>;
}
