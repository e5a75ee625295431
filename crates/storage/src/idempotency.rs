//! Idempotency keys: a retried request gets the first answer.

use chrono::{DateTime, Utc};

use crate::StoreResult;

/// What a first request with an idempotency key finds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reservation {
    /// The key is new and now reserved for this request.
    New,
    /// A request with this key is still running.
    InProgress,
    /// The key was used before: the request it was used for and its answer.
    Done { request: String, status: u16, body: Vec<u8> },
}

/// How long stored answers of idempotent requests are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyAges {
    /// An answered key created before this instant is forgotten (a new request may use it).
    pub answered_since: DateTime<Utc>,
    /// A key still in progress created before this instant belongs to a request that died with
    /// its process; it is taken over.
    pub in_progress_since: DateTime<Utc>,
}

/// Answers of POST requests sent with an `Idempotency-Key`.
#[async_trait::async_trait]
pub trait IdempotencyRepo {
    /// Reserve `key` of `caller` for `request` (a fingerprint of method, path and body), or say
    /// what the key already holds. Keys older than `ages` are treated as absent.
    async fn reserve_key(
        &self,
        caller: &str,
        key: &str,
        request: &str,
        now: DateTime<Utc>,
        ages: KeyAges,
    ) -> StoreResult<Reservation>;
    async fn complete_key(&self, caller: &str, key: &str, status: u16, body: &[u8]) -> StoreResult<()>;
    /// Forget a reservation whose request failed without an answer worth repeating.
    async fn release_key(&self, caller: &str, key: &str) -> StoreResult<()>;
    /// Delete keys created before `before`; how many.
    async fn purge_keys(&self, before: DateTime<Utc>) -> StoreResult<u64>;
}
