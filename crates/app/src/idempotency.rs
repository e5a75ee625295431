//! `Idempotency-Key`: a repeated POST returns the first answer.
//!
//! A key belongs to one caller (the hash of the credentials the request carried) and one request
//! (method, path, query and a SHA-256 of the body): the same key with another body is refused.
//! Anonymous requests are never kept (they have no caller to bind an answer to), nor are the
//! answers of the token endpoint (they hold a credential). Answers are kept for
//! [`AppConfig::idempotency_hours`](crate::AppConfig); a reservation still in progress after
//! [`IN_PROGRESS_TIMEOUT`] belongs to a request whose process died and is taken over.

use chrono::Duration;
use motcua_storage::{KeyAges, Reservation};
use sha2::{Digest, Sha256};

use crate::accounts::token_hash;
use crate::{App, AppError, AppResult};

/// Longer than any request may run (the server's request timeout is 60 s).
pub const IN_PROGRESS_TIMEOUT: Duration = Duration::minutes(5);

/// The caller a key belongs to: the hash of its bearer token or session cookie; `None` for an
/// anonymous request, which is never kept.
pub fn caller_key(credential: Option<&str>) -> Option<String> {
    credential.map(token_hash)
}

/// What a key is bound to: `POST /path?query sha256:<hex of the body>`.
pub fn request_fingerprint(method: &str, path_and_query: &str, body: &[u8]) -> String {
    let d = Sha256::digest(body);
    let hex: String = d.iter().map(|b| format!("{b:02x}")).collect();
    format!("{method} {path_and_query} sha256:{hex}")
}

impl App {
    fn key_ages(&self) -> KeyAges {
        let now = self.now();
        KeyAges {
            answered_since: now - Duration::hours(self.config.idempotency_hours),
            in_progress_since: now - IN_PROGRESS_TIMEOUT,
        }
    }

    pub async fn reserve_idempotency_key(&self, caller: &str, key: &str, request: &str) -> AppResult<Reservation> {
        if key.is_empty() || key.len() > 200 || !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(AppError::invalid(
                "invalid_idempotency_key",
                "Idempotency-Key",
                "Khóa Idempotency-Key có từ 1 đến 200 ký tự in được",
            ));
        }
        match self.store.reserve_key(caller, key, request, self.now(), self.key_ages()).await {
            Err(motcua_storage::StoreError::Conflict { .. }) => Ok(Reservation::InProgress),
            r => Ok(r?),
        }
    }

    pub async fn complete_idempotency_key(&self, caller: &str, key: &str, status: u16, body: &[u8]) -> AppResult<()> {
        Ok(self.store.complete_key(caller, key, status, body).await?)
    }

    pub async fn release_idempotency_key(&self, caller: &str, key: &str) -> AppResult<()> {
        Ok(self.store.release_key(caller, key).await?)
    }

    /// Delete stored answers past their keeping time (a periodic job); how many.
    pub async fn purge_idempotency_keys(&self) -> AppResult<u64> {
        Ok(self.store.purge_keys(self.key_ages().answered_since).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_bound_to_the_body_and_never_to_nobody() {
        assert_eq!(caller_key(None), None);
        assert_ne!(caller_key(Some("a")), caller_key(Some("b")));
        let a = request_fingerprint("POST", "/api/v1/dossiers", b"{\"x\":1}");
        assert_ne!(a, request_fingerprint("POST", "/api/v1/dossiers", b"{\"x\":2}"));
        assert_ne!(a, request_fingerprint("POST", "/api/v1/dossiers?y=1", b"{\"x\":1}"));
        assert!(a.starts_with("POST /api/v1/dossiers sha256:"));
    }
}
