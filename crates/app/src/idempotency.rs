//! `Idempotency-Key`: a repeated POST returns the first answer. Keys are per caller (the hash of
//! the credentials the request carried), so two users never share one.

use motcua_storage::{IdempotencyRepo, Reservation};

use crate::accounts::token_hash;
use crate::{App, AppError, AppResult};

/// The caller a key belongs to: the hash of its bearer token or session cookie.
pub fn caller_key(credential: Option<&str>) -> String {
    match credential {
        Some(c) => token_hash(c),
        None => "anonymous".into(),
    }
}

impl App {
    pub async fn reserve_idempotency_key(&self, caller: &str, key: &str, request: &str) -> AppResult<Reservation> {
        if key.is_empty() || key.len() > 200 || !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(AppError::invalid(
                "invalid_idempotency_key",
                "Idempotency-Key",
                "Khóa Idempotency-Key có từ 1 đến 200 ký tự in được",
            ));
        }
        match self.store.reserve_key(caller, key, request, self.now()).await {
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
}
