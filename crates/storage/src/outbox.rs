//! The durable outbox: messages written with the change that causes them, sent by a worker.

use chrono::{DateTime, Utc};
use motcua_domain::dossier::DossierCode;
use motcua_domain::ids::AgencyCode;
use motcua_domain::notice::{Notice, NoticeChannel};
use serde::Serialize;
use uuid::Uuid;

use crate::{AuditEntry, StoreResult};

/// Where a message of the outbox is.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxState {
    /// Waiting for delivery (or for its next attempt).
    Pending,
    Sent,
    /// Given up: a permanent error, or too many attempts (a dead letter, until an administrator
    /// replays or cancels it).
    Failed,
    /// A dead letter an administrator chose not to send.
    Cancelled,
}

impl OutboxState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Sent => "sent",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Pending => "Chờ gửi",
            Self::Sent => "Đã gửi",
            Self::Failed => "Gửi không được",
            Self::Cancelled => "Đã huỷ",
        }
    }

    pub const ALL: [Self; 4] = [Self::Pending, Self::Sent, Self::Failed, Self::Cancelled];
}

/// What an administrator does with a dead letter (a message in [`OutboxState::Failed`]).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadLetterAction {
    /// Pending again now, with its attempts counted from zero.
    Replay,
    /// Never sent; kept, as cancelled.
    Cancel,
}

impl DeadLetterAction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Replay => "replay",
            Self::Cancel => "cancel",
        }
    }
}

/// A notice in the outbox.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutboxMessage {
    pub id: Uuid,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub agency: AgencyCode,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub dossier: Option<DossierCode>,
    #[serde(flatten)]
    pub notice: Notice,
    pub state: OutboxState,
    pub created_at: DateTime<Utc>,
    /// Not attempted before this instant.
    pub available_at: DateTime<Utc>,
    /// Delivery attempts started (a claim counts as one).
    pub attempts: u32,
    pub sent_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

/// Filters of the outbox list (newest first).
#[derive(Debug, Clone, Default)]
pub struct OutboxQuery {
    pub dossier: Option<DossierCode>,
    pub state: Option<OutboxState>,
    pub channel: Option<NoticeChannel>,
    pub limit: u32,
}

/// The outbox, as the jobs worker and the office see it. A worker claims messages with a lease;
/// only the holder of a live claim can settle a message, so a worker that lost its lease (it
/// stalled past `claimed_until` and another worker took the message) cannot overwrite the other
/// worker's outcome.
#[async_trait::async_trait]
pub trait OutboxRepo {
    /// Claim up to `limit` pending messages of `channel` that are due at `now` and not held by a
    /// live lease, for `worker` until `lease_until`; counts an attempt on each.
    async fn claim_outbox(
        &self,
        channel: NoticeChannel,
        worker: Uuid,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<OutboxMessage>>;
    /// Mark a claimed message sent; false when `worker` no longer holds it.
    async fn outbox_sent(&self, id: Uuid, worker: Uuid, now: DateTime<Utc>) -> StoreResult<bool>;
    /// Record a failed attempt: pending again from `retry_at`, or failed for good when `None`.
    /// False when `worker` no longer holds it.
    async fn outbox_failed(
        &self,
        id: Uuid,
        worker: Uuid,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
    ) -> StoreResult<bool>;
    async fn outbox(&self, query: &OutboxQuery) -> StoreResult<Vec<OutboxMessage>>;
    async fn outbox_message(&self, id: Uuid) -> StoreResult<Option<OutboxMessage>>;
    /// Replay or cancel a dead letter, with its audit entry; false when the message is not (or no
    /// longer) failed.
    async fn settle_dead_letter(
        &self,
        id: Uuid,
        action: DeadLetterAction,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> StoreResult<bool>;
    /// How many messages there are per channel and state.
    async fn outbox_counts(&self) -> StoreResult<Vec<(NoticeChannel, OutboxState, u64)>>;
}
