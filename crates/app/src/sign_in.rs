//! Sign-in through the national identity provider (VNeID; OpenID Connect, authorization code
//! with PKCE), issue 17 item 2.
//!
//! 1. [`App::start_national_sign_in`] asks the provider adapter for an authorization address with
//!    a fresh `state`, `nonce` and PKCE verifier, and keeps the sign-in under the SHA-256 of the
//!    state (`oidc_login`) for [`SIGN_IN_MINUTES`].
//! 2. The person proves who they are at the provider, which sends them back with `code` and
//!    `state`. [`App::finish_national_sign_in`] takes the sign-in of that state out of the store
//!    (a state works once: a replayed one is `sign_in_expired`, with nothing else done), has the
//!    adapter exchange the code with the verifier and check the ID token (signature by the
//!    provider's published keys, issuer, audience, expiry and the nonce of this sign-in: a token
//!    of another sign-in is refused), and reads the person's 12-digit personal ID.
//! 3. The account linked to that person (`identity_link`, the same link the vault uses) is
//!    signed in; a person seen for the first time gets a citizen account, made and linked in one
//!    transaction. The session is marked as opened by national identity
//!    ([`SignIn::NationalId`]); a dossier filed from it counts for 766 metric 4.5a
//!    (`TaiKhoanDuocXacThucVoiVNeID`).

use chrono::Duration;
use motcua_domain::dossier::record::ApplicantId;
use motcua_domain::person::CitizenId;
use motcua_domain::user::{Role, SignIn};
use motcua_domain::vault::Holder;
use motcua_storage::{NewUser, PendingSignIn};

use crate::accounts::{Login, new_token, token_hash};
use crate::{Actor, App, AppError, AppResult};

/// How long a person has at the provider before the sign-in must start again.
pub const SIGN_IN_MINUTES: i64 = 10;

/// Where to send the person, and the secrets of this sign-in the callback will need.
#[derive(Debug, Clone)]
pub struct Authorization {
    pub url: String,
    pub state: String,
    pub verifier: String,
    pub nonce: String,
}

/// Who the provider says the person is, once their ID token checked out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvenIdentity {
    /// The provider's subject (opaque, stable per person).
    pub subject: String,
    /// The person's personal identification number, from the configured claim.
    pub personal_id: String,
    pub name: Option<String>,
}

/// Why the provider's answer was not taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProviderError {
    /// The provider could not be reached or answered nonsense (its words, for the log).
    Unreachable(String),
    /// The provider refused the code, or its ID token failed a check (signature, issuer,
    /// audience, expiry, nonce), or it carries no personal ID.
    Rejected(String),
}

/// The adapter of an OpenID Connect provider (`motcua-jobs` implements it over HTTP).
#[async_trait::async_trait]
pub trait IdentityProvider: Send + Sync {
    /// A fresh authorization address (new state, nonce and PKCE challenge).
    async fn authorize(&self) -> Result<Authorization, ProviderError>;
    /// Exchange `code` with the PKCE `verifier` and check the ID token against `nonce`.
    async fn finish(&self, code: &str, verifier: &str, nonce: &str) -> Result<ProvenIdentity, ProviderError>;
}

/// What the provider sent the person back with (`redirect_uri?code=…&state=…`, or `error=…`).
#[derive(Debug, Clone, Default)]
pub struct Callback {
    pub state: Option<String>,
    /// The state this browser was given when it set out (a cookie): a callback carried to
    /// another browser (login CSRF) finds none or another.
    pub browser_state: Option<String>,
    pub code: Option<String>,
    pub error: Option<String>,
}

/// A sign-in begun: where to send the person, and the state their browser keeps to prove, on
/// the way back, that it is the browser that set out.
#[derive(Debug, Clone)]
pub struct Started {
    pub url: String,
    pub state: String,
}

/// A finished sign-in: the session, and the page to go back to.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub login: Login,
    pub return_to: Option<String>,
    /// A citizen account was made for the person now.
    pub new_account: bool,
}

fn expired() -> AppError {
    AppError::BadRequest {
        code: "sign_in_expired",
        message: "Phiên đăng nhập bằng VNeID không còn hiệu lực (đã dùng hoặc quá 10 phút); vui lòng đăng nhập lại"
            .into(),
    }
}

fn provider_down(cause: &str) -> AppError {
    tracing::warn!(%cause, "identity provider unreachable");
    AppError::Upstream {
        code: "identity_provider_unavailable",
        message: "Không kết nối được hệ thống định danh điện tử (VNeID); vui lòng thử lại sau".into(),
    }
}

/// A page of this site to return to after a sign-in: a local path only (no open redirect): one
/// leading `/`, then no second `/` or `\\` right after it, and no control character or space
/// anywhere (browsers drop tabs and newlines from URLs, so `/\t/evil.example` would become
/// `//evil.example`; CR/LF would also break the `Location` header) and no backslash (read as
/// `/` by browsers).
pub fn local_path(p: &str) -> Option<String> {
    let ok = p.starts_with('/')
        && !p.starts_with("//")
        && !p.contains('\\')
        && !p.chars().any(|c| c.is_control() || c.is_whitespace())
        && p.len() <= 2000;
    ok.then(|| p.to_owned())
}

impl App {
    fn identity_provider(&self) -> AppResult<&dyn IdentityProvider> {
        self.identity.as_deref().ok_or_else(|| AppError::NotFound("đăng nhập bằng VNeID (chưa được cấu hình)".into()))
    }

    /// Whether sign-in by the national identity provider is offered.
    pub fn national_sign_in_enabled(&self) -> bool {
        self.identity.is_some()
    }

    /// Begin a sign-in: the provider's address to send the person to.
    pub async fn start_national_sign_in(&self, return_to: Option<&str>, ip: Option<String>) -> AppResult<Started> {
        let provider = self.identity_provider()?;
        let now = self.now();
        if let Some(ip) = &ip {
            self.caches.throttles.logins.take(ip, now)?;
        }
        let auth = provider.authorize().await.map_err(|e| match e {
            ProviderError::Unreachable(c) | ProviderError::Rejected(c) => provider_down(&c),
        })?;
        let pending = PendingSignIn {
            state_hash: token_hash(&auth.state),
            verifier: auth.verifier,
            nonce: auth.nonce,
            return_to: return_to.and_then(local_path),
            created_at: now,
            expires_at: now + Duration::minutes(SIGN_IN_MINUTES),
        };
        self.store.start_sign_in(&pending).await?;
        Ok(Started { url: auth.url, state: auth.state })
    }

    /// Finish a sign-in the provider sent back: the session opened (see the module doc).
    pub async fn finish_national_sign_in(&self, callback: Callback, ip: Option<String>) -> AppResult<SignedIn> {
        let provider = self.identity_provider()?;
        let now = self.now();
        let state = callback.state.filter(|s| !s.is_empty() && s.len() <= 512).ok_or_else(expired)?;
        // Taken out before anything else: whatever happens next, this state is spent.
        let pending = self.store.take_sign_in(&token_hash(&state)).await?.ok_or_else(expired)?;
        if pending.expires_at <= now || callback.browser_state.as_deref() != Some(state.as_str()) {
            return Err(expired());
        }
        if let Some(error) = callback.error {
            tracing::info!(%error, "national sign-in cancelled at the provider");
            return Err(AppError::BadRequest {
                code: "sign_in_cancelled",
                message: "Đăng nhập bằng VNeID chưa hoàn tất (đã huỷ hoặc bị từ chối tại VNeID)".into(),
            });
        }
        let code = callback.code.filter(|c| !c.is_empty() && c.len() <= 2048).ok_or_else(expired)?;
        let proven = provider.finish(&code, &pending.verifier, &pending.nonce).await.map_err(|e| match e {
            ProviderError::Unreachable(c) => provider_down(&c),
            ProviderError::Rejected(cause) => {
                tracing::warn!(%cause, ip = ?ip, "national sign-in rejected");
                AppError::BadRequest {
                    code: "identity_rejected",
                    message: "Thông tin định danh nhận từ VNeID không hợp lệ; vui lòng đăng nhập lại".into(),
                }
            }
        })?;
        let (user, new_account) = self.account_of(&proven, &ip).await?;
        let login = self.open_session(user, motcua_storage::SessionKind::Cookie, SignIn::NationalId, ip).await?;
        Ok(SignedIn { login, return_to: pending.return_to, new_account })
    }

    /// The account of the person, made (and linked) on their first sign-in.
    async fn account_of(
        &self,
        proven: &ProvenIdentity,
        ip: &Option<String>,
    ) -> AppResult<(motcua_domain::user::User, bool)> {
        let today = self.now().date_naive();
        let citizen_id = CitizenId::parse(&proven.personal_id, chrono::Datelike::year(&today)).map_err(|_| {
            tracing::warn!(subject = %proven.subject, "identity provider gave no valid personal ID");
            AppError::BadRequest {
                code: "identity_rejected",
                message: "VNeID không cung cấp số định danh cá nhân hợp lệ; vui lòng liên hệ bộ phận một cửa".into(),
            }
        })?;
        let holder = Holder::of(&ApplicantId::Citizen { citizen_id: citizen_id.clone() });
        if let Some(user) = self.store.user_of_identity(&holder).await? {
            return Ok((user, false));
        }
        let username = motcua_domain::ids::Username::parse(&format!("vneid-{}", citizen_id.as_str()))?;
        let name = proven.name.as_deref().map(str::trim).filter(|n| !n.is_empty() && n.chars().count() <= 200);
        let full_name = motcua_domain::text::required_line(
            name.unwrap_or(&format!("Công dân {}", citizen_id.as_str())),
            "full_name",
            crate::dossiers::MAX_LINE,
            "họ và tên",
        )?;
        // The account has no usable password: a random one nobody knows, hashed like any other.
        let password_hash = self.hash_password(new_token()?).await?;
        let new = NewUser {
            username: username.clone(),
            full_name,
            role: Role::Citizen,
            agency: None,
            email: None,
            password_hash,
        };
        let actor = Actor::Anonymous { ip: ip.clone() };
        let audit = actor.audit(
            self.now(),
            "user.create",
            "user",
            username.as_str(),
            serde_json::json!({ "role": Role::Citizen.as_str(), "source": "oidc", "subject": proven.subject }),
        );
        match self.store.create_linked_user(&new, &holder, "oidc", self.now(), &audit).await {
            Ok(user) => Ok((user, true)),
            // Two first sign-ins of the same person at once: the other one made the account.
            Err(motcua_storage::StoreError::Conflict { .. }) => match self.store.user_of_identity(&holder).await? {
                Some(user) => Ok((user, false)),
                None => Err(AppError::Conflict("app_user.username".into())),
            },
            Err(e) => Err(e.into()),
        }
    }
}
