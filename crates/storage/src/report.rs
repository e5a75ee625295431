//! The monthly public reports as published.

use motcua_domain::calendar::deadline::Instant;
use motcua_domain::ids::AgencyCode;

use crate::{AuditEntry, StoreResult};

/// A published report: its period, when, and its figures as published (JSON).
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedReport {
    pub agency: AgencyCode,
    pub period: String,
    pub published_at: Instant,
    pub body: serde_json::Value,
}

#[async_trait::async_trait]
pub trait ReportRepo {
    /// Store the report of `report.period` unless one is published already (by another process,
    /// or earlier); whether this one was stored. With its audit row.
    async fn publish_report(&self, report: &PublishedReport, audit: &AuditEntry) -> StoreResult<bool>;
    async fn published_report(&self, agency: &AgencyCode, period: &str) -> StoreResult<Option<PublishedReport>>;
    /// The periods published, newest first, without their figures.
    async fn published_periods(&self, agency: &AgencyCode) -> StoreResult<Vec<(String, Instant)>>;
}
