//! The deadline watch's storage: the dossiers due a look, the alarms raised, and the lease that
//! lets one of several server processes run a scheduled job.

use chrono::{DateTime, Utc};
use motcua_domain::dossier::DossierCode;
use motcua_domain::dossier::record::DossierRecord;
use motcua_domain::dossier::watch::AlarmKind;
use motcua_domain::ids::AgencyCode;
use motcua_domain::notice::Notice;
use serde::Serialize;
use uuid::Uuid;

use crate::StoreResult;

/// An alarm raised on a dossier, as the in-app list shows it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlarmRecord {
    pub id: Uuid,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub dossier: DossierCode,
    /// The agency holding the dossier when the alarm was raised.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub holder: AgencyCode,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub competent: AgencyCode,
    /// The officer the dossier was assigned to.
    pub handler: Option<String>,
    pub kind: AlarmKind,
    /// The step, for the alarms of a step.
    pub step: Option<String>,
    /// The due instant the alarm is about.
    pub due_at: DateTime<Utc>,
    pub raised_at: DateTime<Utc>,
}

/// Which alarms to list (newest first).
#[derive(Debug, Clone, Default)]
pub struct AlarmQuery {
    /// Alarms of dossiers held by, or in the competence of, one of these agencies (all when
    /// empty).
    pub agencies: Vec<AgencyCode>,
    /// Only escalated alarms.
    pub escalated_only: bool,
    pub limit: u32,
}

/// What the watch decided for one dossier: the alarms that fired (each with the notices to
/// send), and when to look again (`None`: never, every alarm has fired or the dossier ended).
#[derive(Debug, Clone)]
pub struct WatchOutcome {
    pub dossier: DossierCode,
    /// The `watch_at` the watch read; a change to the dossier since moves it, and the store then
    /// keeps the change's.
    pub seen: DateTime<Utc>,
    pub alarms: Vec<(AlarmRecord, Vec<Notice>)>,
    pub next: Option<DateTime<Utc>>,
}

#[async_trait::async_trait]
pub trait WatchRepo {
    /// Hold the job `name` of `agency` for `holder` until `until` when nobody else holds it at
    /// `now` (or `holder` already does): true when held.
    async fn take_lease(
        &self,
        agency: &AgencyCode,
        name: &str,
        holder: Uuid,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// Running dossiers the watch should look at by `now`, with the `watch_at` read, earliest
    /// first.
    async fn watch_due(&self, now: DateTime<Utc>, limit: u32) -> StoreResult<Vec<(DossierRecord, DateTime<Utc>)>>;
    /// Store what the watch decided, in one transaction: each alarm once per dossier, kind and due
    /// instant (with its notices to the outbox only when new), and the next look. The alarms
    /// actually new.
    async fn record_watch(&self, outcome: &WatchOutcome, now: DateTime<Utc>) -> StoreResult<Vec<AlarmRecord>>;
    async fn alarms(&self, query: &AlarmQuery) -> StoreResult<Vec<AlarmRecord>>;
}
