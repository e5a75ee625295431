//! Background work of motcua: the outbox worker.
//!
//! Use cases write notices to the outbox in the transaction of the change they report
//! (`motcua-storage`, [`OutboxRepo`]). A [`Worker`] polls it: it claims due messages of each
//! channel it has a sender for, with a lease, sends them, and settles each one: sent, retried
//! later with an exponential back-off, or given up (a permanent error, or too many attempts).
//! Several workers (in several processes) can run on one database: a claim is an `UPDATE` with a
//! lease, never an advisory lock or `LISTEN/NOTIFY` (distributed-safe SQL), and only the holder of
//! a live claim can settle a message.
//!
//! Delivery is at least once: a worker that dies after sending and before settling leaves the
//! message to be sent again once its lease runs out. Every send carries the outbox id (the
//! e-mail's `Message-ID`, the SMS gateway's `Idempotency-Key`) so the receiving side can drop
//! the duplicate.

use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, Utc};
use motcua_domain::notice::NoticeChannel;
use motcua_storage::{OutboxMessage, OutboxRepo, StoreError};
use serde::Serialize;
use uuid::Uuid;

pub mod gateway;
pub mod oidc;
pub mod population;
mod portal;
mod senders;
pub use portal::PortalSender;
pub use senders::{DirSender, HttpSmsGateway, SmtpSender};

/// Why a send failed, and whether trying again may help.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SendError {
    /// True when the same message will never go through (a malformed address, a number the
    /// gateway rejects); false for a network error, a busy server, a rate limit.
    pub permanent: bool,
    pub message: String,
}

impl SendError {
    pub fn transient(message: impl Into<String>) -> Self {
        Self { permanent: false, message: message.into() }
    }
    pub fn permanent(message: impl Into<String>) -> Self {
        Self { permanent: true, message: message.into() }
    }
}

/// How a channel's messages leave.
#[derive(Clone)]
pub enum Sender {
    /// E-mail through an SMTP server.
    Smtp(SmtpSender),
    /// SMS through the HTTP API of a gateway (brandname SMS providers).
    HttpSms(HttpSmsGateway),
    /// One JSON file per message in a folder (development and demos: nothing leaves the machine).
    Dir(DirSender),
    /// The National Public Service Portal's sync service.
    Portal(PortalSender),
}

impl Sender {
    pub async fn send(&self, m: &OutboxMessage) -> Result<(), SendError> {
        match self {
            Self::Smtp(s) => s.send(m).await,
            Self::HttpSms(s) => s.send(m).await,
            Self::Dir(s) => s.send(m).await,
            Self::Portal(s) => s.send(m).await,
        }
    }

    /// What it is, for the log (no secrets).
    pub fn describe(&self) -> String {
        match self {
            Self::Smtp(s) => format!("SMTP {}", s.describe()),
            Self::HttpSms(s) => format!("SMS gateway {}", s.describe()),
            Self::Dir(s) => format!("folder {}", s.dir().display()),
            Self::Portal(s) => format!("portal {}", s.describe()),
        }
    }
}

/// When to try a failed message again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts before a message is given up.
    pub max_attempts: u32,
    /// Delay after the first failed attempt; doubled after each further one.
    pub first_delay: Duration,
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self { max_attempts: 8, first_delay: Duration::from_secs(30), max_delay: Duration::from_secs(6 * 3600) }
    }
}

impl RetryPolicy {
    /// The next attempt after `attempts` failed ones, or `None` when the message is given up.
    pub fn next_attempt(&self, attempts: u32, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        if attempts >= self.max_attempts {
            return None;
        }
        let factor = 2u32.saturating_pow(attempts.saturating_sub(1));
        let delay = self.first_delay.saturating_mul(factor).min(self.max_delay);
        Some(now + chrono::Duration::from_std(delay).unwrap_or(chrono::Duration::MAX))
    }
}

/// Settings of a worker.
#[derive(Debug, Clone)]
pub struct WorkerOptions {
    /// How long a claim is held; a message not settled by then may be claimed by another worker.
    pub lease: Duration,
    /// Messages claimed at once per channel.
    pub batch: u32,
    pub retry: RetryPolicy,
}

impl Default for WorkerOptions {
    fn default() -> Self {
        Self { lease: Duration::from_secs(120), batch: 50, retry: RetryPolicy::default() }
    }
}

/// What one pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    pub sent: u32,
    /// Failed, to be tried again later.
    pub retried: u32,
    /// Given up.
    pub failed: u32,
    /// Claimed, but the lease ran out before it was settled (another worker has it).
    pub lost: u32,
}

impl std::ops::AddAssign for Report {
    fn add_assign(&mut self, o: Self) {
        self.sent += o.sent;
        self.retried += o.retried;
        self.failed += o.failed;
        self.lost += o.lost;
    }
}

/// Delivers the outbox of one store.
pub struct Worker<S> {
    store: S,
    id: Uuid,
    email: Option<Sender>,
    sms: Option<Sender>,
    portal: Option<Sender>,
    options: WorkerOptions,
}

impl<S: OutboxRepo + Send + Sync> Worker<S> {
    /// A worker with a sender per channel; a channel without one is left pending (another
    /// worker, or a later configuration, may deliver it).
    pub fn new(store: S, email: Option<Sender>, sms: Option<Sender>, options: WorkerOptions) -> Self {
        Self { store, id: Uuid::now_v7(), email, sms, portal: None, options }
    }

    /// The same worker also syncing dossiers to the National Public Service Portal.
    pub fn with_portal(self, portal: Option<Sender>) -> Self {
        Self { portal, ..self }
    }

    pub fn id(&self) -> Uuid {
        self.id
    }

    fn sender(&self, channel: NoticeChannel) -> Option<&Sender> {
        match channel {
            NoticeChannel::Email => self.email.as_ref(),
            NoticeChannel::Sms => self.sms.as_ref(),
            NoticeChannel::Portal => self.portal.as_ref(),
        }
    }

    /// Deliver every message due at `now` (batch after batch), each channel with its sender.
    pub async fn run_once(&self, now: impl Fn() -> DateTime<Utc>) -> Result<Report, StoreError> {
        let mut report = Report::default();
        for channel in NoticeChannel::ALL {
            let Some(sender) = self.sender(channel) else { continue };
            loop {
                let at = now();
                let lease = at + chrono::Duration::from_std(self.options.lease).unwrap_or(chrono::Duration::MAX);
                let batch = self.store.claim_outbox(channel, self.id, at, lease, self.options.batch).await?;
                let full = batch.len() as u32 == self.options.batch;
                for m in &batch {
                    report += self.deliver(sender, m, &now).await?;
                }
                if !full {
                    break;
                }
            }
        }
        Ok(report)
    }

    async fn deliver(
        &self,
        sender: &Sender,
        m: &OutboxMessage,
        now: &impl Fn() -> DateTime<Utc>,
    ) -> Result<Report, StoreError> {
        let mut r = Report::default();
        match sender.send(m).await {
            Ok(()) => {
                if self.store.outbox_sent(m.id, self.id, now()).await? {
                    r.sent += 1;
                } else {
                    r.lost += 1;
                }
            }
            Err(e) => {
                let retry_at = if e.permanent { None } else { self.options.retry.next_attempt(m.attempts, now()) };
                tracing::warn!(id = %m.id, channel = m.notice.channel.as_str(), attempts = m.attempts,
                    permanent = e.permanent, retry_at = ?retry_at, error = %e.message, "notice not delivered");
                if !self.store.outbox_failed(m.id, self.id, &e.message, retry_at).await? {
                    r.lost += 1;
                } else if retry_at.is_some() {
                    r.retried += 1;
                } else {
                    r.failed += 1;
                }
            }
        }
        Ok(r)
    }

    /// Poll every `every` until `shutdown` completes. A store error is logged and the next pass
    /// tries again.
    pub async fn run(&self, now: impl Fn() -> DateTime<Utc>, every: Duration, shutdown: impl Future<Output = ()>) {
        let mut shutdown = std::pin::pin!(shutdown);
        tracing::info!(worker = %self.id,
            email = self.email.as_ref().map(Sender::describe).unwrap_or_else(|| "off".into()),
            sms = self.sms.as_ref().map(Sender::describe).unwrap_or_else(|| "off".into()),
            portal = self.portal.as_ref().map(Sender::describe).unwrap_or_else(|| "off".into()),
            "outbox worker started");
        loop {
            match self.run_once(&now).await {
                Ok(r) if r != Report::default() => tracing::info!(?r, "outbox pass"),
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "outbox pass failed"),
            }
            tokio::select! {
                () = &mut shutdown => break,
                () = tokio::time::sleep(every) => {}
            }
        }
        tracing::info!(worker = %self.id, "outbox worker stopped");
    }
}

/// Where messages go when no server is configured: `<dir>/<channel>-<id>.json`.
pub fn dir_sender(dir: impl Into<PathBuf>) -> Sender {
    Sender::Dir(DirSender::new(dir))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_and_stop() {
        let p =
            RetryPolicy { max_attempts: 4, first_delay: Duration::from_secs(30), max_delay: Duration::from_secs(90) };
        let t0 = DateTime::<Utc>::UNIX_EPOCH;
        let after = |n| p.next_attempt(n, t0).map(|t| (t - t0).num_seconds());
        assert_eq!((after(1), after(2), after(3), after(4)), (Some(30), Some(60), Some(90), None));
    }
}
