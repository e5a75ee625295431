//! Accounts, login and sessions.
//!
//! Passwords are hashed with Argon2id (default parameters) on the blocking pool, never on the
//! async workers. A login gives a random 256-bit token; only its SHA-256 is stored, so a leaked
//! database does not leak live sessions. Cookie sessions and API bearer tokens are the same
//! mechanism with a different kind and lifetime.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use motcua_domain::ids::{AgencyCode, Username};
use motcua_domain::user::{Role, SignIn, User, check_password};
use motcua_storage::{NewSession, NewUser, SessionKind};
use sha2::{Digest, Sha256};

use crate::{Actor, App, AppError, AppResult};

/// A new account as the CLI or an admin page gives it.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub username: String,
    pub full_name: String,
    pub role: Role,
    pub agency: Option<String>,
    /// Staff: where the deadline watch's warnings go.
    pub email: Option<String>,
    pub password: String,
}

/// A session just opened.
#[derive(Debug, Clone)]
pub struct Login {
    pub token: String,
    pub user: User,
    pub expires_at: DateTime<Utc>,
}

pub(crate) fn token_hash(token: &str) -> String {
    let d = Sha256::digest(token.as_bytes());
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// A random 256-bit secret, URL-safe base64.
pub(crate) fn new_token() -> AppResult<String> {
    let mut buf = [0u8; 32];
    getrandom::fill(&mut buf).map_err(|e| AppError::Internal(format!("random source: {e}")))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf))
}

/// Argon2 work at most `permits` at a time: each hash holds 19 MiB for about a tenth of a second,
/// so hundreds of concurrent logins would otherwise take gigabytes (issue 12: 1.3 GB → 6 GB with
/// 300 wrong logins). Beyond the permits, up to `queue` requests wait their turn (at most
/// `wait`); more are refused at once with `503 busy`.
pub(crate) struct PasswordGate {
    permits: tokio::sync::Semaphore,
    waiting: std::sync::atomic::AtomicUsize,
    queue: usize,
    wait: std::time::Duration,
}

impl PasswordGate {
    pub(crate) fn new(workers: usize, queue: usize) -> Self {
        let workers = match workers {
            0 => std::thread::available_parallelism().map_or(2, usize::from),
            n => n,
        };
        Self {
            permits: tokio::sync::Semaphore::new(workers),
            waiting: std::sync::atomic::AtomicUsize::new(0),
            queue,
            wait: std::time::Duration::from_secs(10),
        }
    }

    /// Run `work` on the blocking pool once a permit is free.
    async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> AppResult<T> + Send + 'static) -> AppResult<T> {
        use std::sync::atomic::Ordering;
        let busy = AppError::Busy { retry_after_secs: 2 };
        let permit = match self.permits.try_acquire() {
            Ok(p) => p,
            Err(_) => {
                if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.queue {
                    self.waiting.fetch_sub(1, Ordering::SeqCst);
                    return Err(busy);
                }
                let p = tokio::time::timeout(self.wait, self.permits.acquire()).await;
                self.waiting.fetch_sub(1, Ordering::SeqCst);
                match p {
                    Ok(Ok(p)) => p,
                    _ => return Err(busy),
                }
            }
        };
        let r =
            tokio::task::spawn_blocking(work).await.map_err(|e| AppError::Internal(format!("hashing task: {e}")))?;
        drop(permit);
        r
    }
}

impl App {
    pub(crate) async fn hash_password(&self, pw: String) -> AppResult<String> {
        self.caches
            .passwords
            .run(move || {
                let hash: PasswordHash = Argon2::default()
                    .hash_password(pw.as_bytes())
                    .map_err(|e| AppError::Internal(format!("argon2: {e}")))?;
                Ok(hash.to_string())
            })
            .await
    }

    async fn verify_password(&self, pw: String, hash: String) -> AppResult<bool> {
        self.caches
            .passwords
            .run(move || {
                let parsed = PasswordHash::new(&hash).map_err(|e| AppError::Internal(format!("stored hash: {e}")))?;
                Ok(Argon2::default().verify_password(pw.as_bytes(), &parsed).is_ok())
            })
            .await
    }
}

/// A fixed Argon2 hash verified when the user does not exist, so that a login takes as long
/// for a missing user as for a wrong password.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0b2Vlk3fS1Ckh6E1G5L6o8z2ohN6VQ3UpCkT4u3UYvE";

/// A name already in use (checked before the password is hashed; the store's unique key is the
/// last word when two requests race).
fn username_taken(username: &Username) -> AppError {
    AppError::NotAllowed {
        code: "username_taken", message: format!("Tên đăng nhập {username} đã được dùng")
    }
}

impl App {
    pub async fn add_user(&self, actor: &Actor, acc: NewAccount) -> AppResult<User> {
        actor.require_admin()?;
        let username = Username::parse(&acc.username)?;
        let agency = acc.agency.as_deref().map(AgencyCode::parse).transpose()?;
        User::check_scope(acc.role, agency.as_ref())?;
        if let Some(a) = &agency
            && self.store.agency(a).await?.is_none()
        {
            return Err(AppError::invalid("unknown_agency", "agency", format!("Không có cơ quan mã {a}")));
        }
        check_password(&acc.password)?;
        if self.store.user_credentials(&username).await?.is_some() {
            return Err(username_taken(&username));
        }
        let full_name =
            motcua_domain::text::required_line(&acc.full_name, "full_name", crate::dossiers::MAX_LINE, "họ và tên")?;
        let email = crate::dossiers::email_address(acc.email.as_deref(), "email")?;
        let password_hash = self.hash_password(acc.password).await?;
        let new = NewUser {
            username: username.clone(),
            full_name,
            role: acc.role,
            agency: agency.clone(),
            email,
            password_hash,
        };
        let audit = actor.audit(
            self.now(),
            "user.create",
            "user",
            username.as_str(),
            serde_json::json!({ "role": acc.role.as_str(), "agency": agency }),
        );
        self.store.create_user(&new, self.now(), &audit).await.map_err(|e| match AppError::from(e) {
            AppError::Conflict(_) => username_taken(&username),
            e => e,
        })
    }

    /// Check a password and open a session of `kind`. Any failure is the same 401.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        kind: SessionKind,
        ip: Option<String>,
    ) -> AppResult<Login> {
        let now = self.now();
        if let Some(ip) = &ip {
            self.caches.throttles.logins.take(ip, now)?;
        }
        // Wrong passwords are counted per account name, known or not (no hint that it exists).
        let account = username.trim().to_lowercase();
        self.caches.throttles.login_failures.check(&account, now)?;
        let failed = || {
            let _ = self.caches.throttles.login_failures.take(&account, now);
            tracing::info!(user = %account, ip = ?ip, "failed login");
            AppError::Unauthenticated
        };
        let Ok(username) = Username::parse(username) else {
            let _ = self.verify_password(password.to_owned(), DUMMY_HASH.into()).await?;
            return Err(failed());
        };
        let found = self.store.user_credentials(&username).await?;
        let (user, hash) = match found {
            Some(f) => f,
            None => {
                let _ = self.verify_password(password.to_owned(), DUMMY_HASH.into()).await?;
                return Err(failed());
            }
        };
        if !self.verify_password(password.to_owned(), hash).await? {
            // A failed login writes nothing to the database; it is logged for the operator.
            return Err(failed());
        }
        self.open_session(user, kind, SignIn::Password, ip).await
    }

    /// Open a session of `kind` for `user`, who proved who they are by `sign_in`.
    pub(crate) async fn open_session(
        &self,
        mut user: User,
        kind: SessionKind,
        sign_in: SignIn,
        ip: Option<String>,
    ) -> AppResult<Login> {
        let now = self.now();
        let token = new_token()?;
        let hours = match kind {
            SessionKind::Cookie => self.config.session_hours,
            SessionKind::Bearer => self.config.token_hours,
        };
        let expires_at = now + Duration::hours(hours);
        user.signed_in_with = sign_in;
        let actor = Actor::User { user: user.clone(), ip };
        let action = match (kind, sign_in) {
            (SessionKind::Cookie, SignIn::Password) => "login",
            (SessionKind::Cookie, SignIn::NationalId) => "login.national_id",
            (SessionKind::Bearer, _) => "token.create",
        };
        let audit = actor.audit(
            now,
            action,
            "session",
            user.username.as_str(),
            serde_json::json!({ "expires_at": expires_at }),
        );
        let session = NewSession {
            token_hash: &token_hash(&token),
            user_id: user.id,
            kind,
            sign_in,
            created_at: now,
            expires_at,
        };
        self.store.create_session(&session, &audit).await?;
        Ok(Login { token, user, expires_at })
    }

    /// The user of a live session, if the token is one.
    pub async fn authenticate(&self, token: &str, kind: SessionKind) -> AppResult<Option<User>> {
        let hash = token_hash(token);
        let key = (hash.clone(), kind == SessionKind::Cookie);
        self.caches
            .sessions
            .get(&key, self.config.catalog_refresh, || async {
                Ok(self.store.session_user(&hash, kind, self.now()).await?)
            })
            .await
    }

    /// End the session or token `token`; with `everywhere`, every session and token of the
    /// account (a lost phone, a shared counter PC).
    pub async fn logout(&self, actor: &Actor, token: &str, everywhere: bool) -> AppResult<()> {
        let who = actor.user().map(|u| u.username.to_string()).unwrap_or_default();
        let action = if everywhere { "logout.everywhere" } else { "logout" };
        let audit = actor.audit(self.now(), action, "session", who, serde_json::json!({}));
        if everywhere {
            let user = actor.user().ok_or(AppError::Unauthenticated)?;
            self.store.delete_sessions_of(user.id, &audit).await?;
            // Other sessions of the account may be cached under hashes we do not know.
            self.caches.sessions.clear();
        } else {
            let hash = token_hash(token);
            self.store.delete_session(&hash, &audit).await?;
            for cookie in [true, false] {
                self.caches.sessions.remove(&(hash.clone(), cookie));
            }
        }
        Ok(())
    }

    /// Set a new password (operator); every open session of the account ends.
    pub async fn set_password(&self, actor: &Actor, username: &str, password: String) -> AppResult<()> {
        actor.require_admin()?;
        let username = Username::parse(username)?;
        check_password(&password)?;
        let hash = self.hash_password(password).await?;
        let audit = actor.audit(self.now(), "user.password", "user", username.as_str(), serde_json::json!({}));
        self.store.set_password(&username, &hash, &audit).await?;
        // Its sessions ended in the store; none may be served from memory either.
        self.caches.sessions.clear();
        Ok(())
    }

    /// The specialists and leaders of `agency`: who a dossier held there may be assigned to.
    /// Seen by the agency's own staff and by provincial admins.
    pub async fn officers_of(&self, actor: &Actor, agency: &AgencyCode) -> AppResult<Vec<User>> {
        let own = actor.user().is_some_and(|u| u.role != Role::Citizen && u.agency.as_ref() == Some(agency));
        if !own {
            actor.require_admin()?;
        }
        let mut staff = self.store.users_of_agency(agency).await?;
        staff.retain(|u| matches!(u.role, Role::Specialist | Role::Leader));
        Ok(staff)
    }
}
