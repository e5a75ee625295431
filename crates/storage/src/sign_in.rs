//! Sign-in through the national identity provider (OpenID Connect): sign-ins under way, and
//! accounts found or made by the person's identity.

use chrono::{DateTime, Utc};
use motcua_domain::user::User;
use motcua_domain::vault::Holder;

use crate::{AuditEntry, NewUser, StoreResult};

/// A sign-in through the identity provider, waiting for the person to come back: what the
/// callback needs to finish it (the PKCE verifier and the nonce sent), under the SHA-256 of the
/// `state` sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingSignIn {
    pub state_hash: String,
    pub verifier: String,
    pub nonce: String,
    /// The page to go back to once signed in (a local path).
    pub return_to: Option<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

#[async_trait::async_trait]
pub trait SignInRepo {
    /// Remember a sign-in through the identity provider until the person comes back; sign-ins
    /// expired before `pending.created_at` are swept.
    async fn start_sign_in(&self, pending: &PendingSignIn) -> StoreResult<()>;
    /// Take (read and delete, so it works once) the sign-in of that state hash, expired or not.
    async fn take_sign_in(&self, state_hash: &str) -> StoreResult<Option<PendingSignIn>>;
    /// The account linked to `holder` (`identity_link`), if any.
    async fn user_of_identity(&self, holder: &Holder) -> StoreResult<Option<User>>;
    /// Create a citizen account and link it to `holder` in one transaction (a person's first
    /// sign-in through the identity provider). `Conflict` when the name is taken or another
    /// account already stands for `holder` (two first sign-ins racing).
    async fn create_linked_user(
        &self,
        user: &NewUser,
        holder: &Holder,
        source: &str,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> StoreResult<User>;
}
