//! The storage contract of motcua.
//!
//! Role traits speak domain types only; no SQL type crosses this line. Every method that writes
//! takes the [`AuditEntry`] of the write and records it in the same transaction, so that no
//! change is stored without its audit row (issue 2, item 7). Errors are storage-neutral
//! ([`StoreError`]): `NotFound`, `Conflict`, `Stale` (optimistic lock), `Invalid` (data that
//! breaks a rule only the store can see) and `Other`.
//!
//! The contract is implemented by `motcua-storage-sql` for SQLite and PostgreSQL, and checked on
//! both by one conformance story in `motcua-testkit`.

use chrono::{DateTime, NaiveDate, Utc};
use motcua_domain::admin::{AdminUnit, Agency, AgencyKind, SuccessorLink, UnitLevel};
use motcua_domain::calendar::deadline::WorkingTime;
use motcua_domain::calendar::holidays::YearSchedule;
use motcua_domain::dossier::record::{
    DocumentRecord, DossierLine, DossierQuery, DossierRecord, EventRecord, NewDossier,
};
use motcua_domain::dossier::{Dossier, DossierCode};
use motcua_domain::ids::{AgencyCode, ProcedureCode, UnitCode, Username};
use motcua_domain::notice::{Notice, NoticeChannel};
use motcua_domain::plan::assessment::ImpactAssessment;
use motcua_domain::plan::cost::Costing;
use motcua_domain::plan::inspection::InspectionRecord;
use motcua_domain::plan::{Plan, ProgressReport, ReportFile};
use motcua_domain::procedure::search::CatalogEntry;
use motcua_domain::procedure::{Procedure, ProcedureVersion};
use motcua_domain::user::{Role, User};
use serde::Serialize;
use uuid::Uuid;

mod error;
pub use error::StoreError;

pub type StoreResult<T> = Result<T, StoreError>;

/// Who did what, when and from where. Written with the change it describes.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    pub actor_id: Option<Uuid>,
    /// Username, or `system` / `cli` for changes not made by a logged-in user.
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub ip: Option<String>,
    pub agency: Option<AgencyCode>,
    pub detail: serde_json::Value,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct AuditRecord {
    pub id: Uuid,
    #[serde(flatten)]
    pub entry: AuditEntry,
}

/// What an import did.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct ImportSummary {
    pub created: u32,
    pub updated: u32,
    pub unchanged: u32,
}

/// A procedure with the revision counter used for optimistic locking.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredProcedure {
    pub procedure: Procedure,
    pub revision: i64,
}

#[async_trait::async_trait]
pub trait CatalogRepo {
    /// Import procedures with their versions, all or nothing. A stored version must be equal to
    /// the imported one (drafts excepted, they are replaced); new versions are appended.
    async fn import_procedures(
        &self,
        procedures: &[Procedure],
        audit: &AuditEntry,
        progress: &(dyn Fn(usize) + Sync),
    ) -> StoreResult<ImportSummary>;

    async fn procedure(&self, code: &ProcedureCode) -> StoreResult<Option<StoredProcedure>>;

    /// Write changed or new versions of one procedure (creating it at revision 1 when
    /// `expected_revision` is 0). Fails with `Stale` when the stored revision differs.
    async fn save_versions(
        &self,
        code: &ProcedureCode,
        expected_revision: i64,
        versions: &[ProcedureVersion],
        audit: &AuditEntry,
    ) -> StoreResult<i64>;

    /// Every version that was ever published, as the search index needs it (no content).
    async fn catalog_entries(&self) -> StoreResult<Vec<CatalogEntry>>;

    /// A number that changes whenever the catalog changes (the search index is rebuilt then).
    async fn catalog_stamp(&self) -> StoreResult<i64>;

    /// Every procedure with all its versions, ordered by code.
    async fn export_procedures(&self) -> StoreResult<Vec<Procedure>>;
}

/// Filters of the unit list.
#[derive(Debug, Clone, Default)]
pub struct UnitQuery {
    pub level: Option<UnitLevel>,
    pub parent: Option<UnitCode>,
    /// Only units valid on this date.
    pub on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default)]
pub struct AgencyQuery {
    pub kind: Option<AgencyKind>,
    pub unit: Option<UnitCode>,
    pub on: Option<NaiveDate>,
}

/// The administrative map: units, successor links, agencies.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct AdminMap {
    #[serde(default)]
    pub units: Vec<AdminUnit>,
    #[serde(default)]
    pub successors: Vec<SuccessorLink>,
    #[serde(default)]
    pub agencies: Vec<Agency>,
}

#[async_trait::async_trait]
pub trait MapRepo {
    /// Insert or update units, links and agencies, all or nothing.
    async fn import_map(&self, map: &AdminMap, audit: &AuditEntry) -> StoreResult<ImportSummary>;
    async fn units(&self, query: &UnitQuery) -> StoreResult<Vec<AdminUnit>>;
    async fn unit(&self, code: &UnitCode) -> StoreResult<Option<AdminUnit>>;
    /// Every successor link (the graph is small: a province has a few hundred units).
    async fn successor_links(&self) -> StoreResult<Vec<SuccessorLink>>;
    async fn agencies(&self, query: &AgencyQuery) -> StoreResult<Vec<Agency>>;
    async fn agency(&self, code: &AgencyCode) -> StoreResult<Option<Agency>>;
}

/// A new account, with its password already hashed.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: Username,
    pub full_name: String,
    pub role: Role,
    pub agency: Option<AgencyCode>,
    pub password_hash: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    /// Browser session (cookie).
    Cookie,
    /// API bearer token.
    Bearer,
}

#[async_trait::async_trait]
pub trait UserRepo {
    async fn create_user(&self, user: &NewUser, now: DateTime<Utc>, audit: &AuditEntry) -> StoreResult<User>;
    /// The user and the password hash, for login.
    async fn user_credentials(&self, username: &Username) -> StoreResult<Option<(User, String)>>;
    /// The accounts of an agency, by username.
    async fn users_of_agency(&self, agency: &AgencyCode) -> StoreResult<Vec<User>>;
    async fn set_password(&self, username: &Username, password_hash: &str, audit: &AuditEntry) -> StoreResult<()>;
    /// Store a session under the SHA-256 of its token (the token itself is never stored).
    async fn create_session(
        &self,
        token_hash: &str,
        user_id: Uuid,
        kind: SessionKind,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> StoreResult<()>;
    /// The user of a live session of that kind.
    async fn session_user(&self, token_hash: &str, kind: SessionKind, now: DateTime<Utc>) -> StoreResult<Option<User>>;
    async fn delete_session(&self, token_hash: &str, audit: &AuditEntry) -> StoreResult<()>;
    /// End every session and token of a user; how many.
    async fn delete_sessions_of(&self, user_id: Uuid, audit: &AuditEntry) -> StoreResult<u64>;
}

/// Announced holiday schedules (one per year, replacing the statutory default) and office hours.
#[async_trait::async_trait]
pub trait CalendarRepo {
    async fn calendar_schedules(&self) -> StoreResult<Vec<YearSchedule>>;
    /// Replace the schedule of `schedule.year`, all or nothing.
    async fn put_calendar_year(&self, schedule: &YearSchedule, audit: &AuditEntry) -> StoreResult<()>;
    /// Remove a year's schedule (the statutory default applies again); false when there was none.
    async fn delete_calendar_year(&self, year: i32, audit: &AuditEntry) -> StoreResult<bool>;
    /// Store the shipped schedules when no schedule was ever stored; returns how many.
    async fn seed_calendar_years(&self, schedules: &[YearSchedule], audit: &AuditEntry) -> StoreResult<u32>;
    /// Changes whenever a schedule or office hours change.
    async fn calendar_stamp(&self) -> StoreResult<String>;
    /// Office hours of an agency code, or of the province (`*`).
    async fn working_time(&self, agency: &str) -> StoreResult<Option<WorkingTime>>;
    async fn set_working_time(&self, agency: &str, time: &WorkingTime, audit: &AuditEntry) -> StoreResult<()>;
    /// Every stored setting: (agency code or `*`, office hours).
    async fn working_times(&self) -> StoreResult<Vec<(String, WorkingTime)>>;
}

/// The notices of a new dossier, composed once its code is allocated (the code is in their text).
/// Owned, because the store may write the dossier from another task, together with the other
/// intakes that arrived at the same time.
pub type NoticesFor = std::sync::Arc<dyn Fn(&DossierCode) -> Vec<Notice> + Send + Sync>;

/// No notice for the new dossier.
pub fn no_notices() -> NoticesFor {
    std::sync::Arc::new(|_| Vec::new())
}

/// Dossiers and their event log.
#[async_trait::async_trait]
pub trait DossierRepo {
    /// Allocate the next code of the receiving agency for the receipt day (gapless per agency and
    /// day, safe under concurrent intake), store the dossier, its first event, the audit row
    /// (its `entity_id` set to the code) and the notices `notices` composes for the allocated code
    /// (outbox rows of the receiving agency), all in one transaction. Concurrent intakes may share
    /// that transaction (group commit); each answer comes after the commit that made it durable.
    async fn create_dossier(
        &self,
        new: &NewDossier,
        event: &EventRecord,
        audit: &AuditEntry,
        notices: NoticesFor,
    ) -> StoreResult<DossierRecord>;
    async fn dossier(&self, code: &DossierCode) -> StoreResult<Option<DossierRecord>>;
    /// Store a new workflow state with its event, its audit row and its notices (outbox rows of
    /// the receiving agency) in one transaction, if the revision is still `expected_revision`
    /// (else `Stale`, and nothing is written). Returns the new revision.
    async fn update_dossier(
        &self,
        code: &DossierCode,
        expected_revision: i64,
        workflow: &Dossier,
        event: &EventRecord,
        audit: &AuditEntry,
        notices: &[Notice],
    ) -> StoreResult<i64>;
    async fn dossier_events(&self, code: &DossierCode) -> StoreResult<Vec<EventRecord>>;
    /// Record a file of the dossier `doc.dossier` (its bytes already stored) with its audit row,
    /// and move the dossier's 766 facts with it (component files, reuse, e-result) in the same
    /// transaction. `NotFound` when there is no such dossier.
    async fn add_document(&self, doc: &DocumentRecord, audit: &AuditEntry) -> StoreResult<()>;
    /// The files of a dossier, oldest first.
    async fn documents(&self, code: &DossierCode) -> StoreResult<Vec<DocumentRecord>>;
    /// A page of dossiers matching the filters, soonest appointment first, and the total.
    async fn list_dossiers(&self, query: &DossierQuery) -> StoreResult<(Vec<DossierLine>, u64)>;
}

/// Where a message of the outbox is.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxState {
    /// Waiting for delivery (or for its next attempt).
    Pending,
    Sent,
    /// Given up: a permanent error, or too many attempts.
    Failed,
}

impl OutboxState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Sent => "sent",
            Self::Failed => "failed",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Pending => "Chờ gửi",
            Self::Sent => "Đã gửi",
            Self::Failed => "Gửi không được",
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
    /// How many messages there are per channel and state.
    async fn outbox_counts(&self) -> StoreResult<Vec<(NoticeChannel, OutboxState, u64)>>;
}

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

/// What importing a plan did.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanOutcome {
    Created,
    Updated,
    /// The same content was imported before: nothing written.
    Unchanged,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanImported {
    pub id: Uuid,
    pub outcome: PlanOutcome,
    /// Keys of tasks and inspections of the earlier import that the new one no longer has.
    pub removed: Vec<String>,
}

/// A stored plan with its tasks' and inspections' ids filled in.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredPlan {
    pub id: Uuid,
    pub imported_at: DateTime<Utc>,
    pub revision: i64,
    #[serde(flatten)]
    pub plan: Plan,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanSummary {
    pub id: Uuid,
    pub owner: AgencyCode,
    pub year: i32,
    pub title: String,
    pub imported_at: DateTime<Utc>,
    pub tasks: i64,
}

/// What the office recorded about an inspection, with when and by whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredInspectionRecord {
    /// The inspection (appendix entry) it is about.
    pub id: Uuid,
    pub record: InspectionRecord,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
}

#[async_trait::async_trait]
pub trait PlanRepo {
    /// Store a plan read from its document, keyed by (owner, year, title). `content_hash`
    /// identifies the content: the same hash again changes nothing. Tasks and inspections keep
    /// their ids by key; one that the new content drops is deleted unless a progress report
    /// refers to it (`Invalid` `plan_task_reported`, nothing written).
    async fn import_plan(
        &self,
        plan: &Plan,
        content_hash: &str,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> StoreResult<PlanImported>;
    /// Newest year first.
    async fn plans(&self) -> StoreResult<Vec<PlanSummary>>;
    async fn plan(&self, id: Uuid) -> StoreResult<Option<StoredPlan>>;
    /// File (or correct) an agency's report on a task for a month: one per task, agency and
    /// month, the later replacing the earlier.
    async fn put_progress_report(&self, report: &ProgressReport, audit: &AuditEntry) -> StoreResult<()>;
    /// Reports on a plan's tasks, by month then task.
    async fn progress_reports(&self, plan: Uuid) -> StoreResult<Vec<ProgressReport>>;
    /// Enter (or replace) a procedure's costing in a plan.
    async fn put_costing(&self, costing: &Costing, audit: &AuditEntry) -> StoreResult<()>;
    /// The costings of a plan, by procedure code.
    async fn costings(&self, plan: Uuid) -> StoreResult<Vec<Costing>>;
    /// Record a document attached to a report (its bytes are already in the file store).
    async fn add_report_file(&self, file: &ReportFile, audit: &AuditEntry) -> StoreResult<()>;
    /// The documents attached to reports on a plan's tasks, oldest first.
    async fn report_files(&self, plan: Uuid) -> StoreResult<Vec<ReportFile>>;
    /// Record dates, team, findings, conclusion and follow-ups of one inspection of the plan.
    async fn put_inspection_record(
        &self,
        plan: Uuid,
        inspection: Uuid,
        record: &InspectionRecord,
        audit: &AuditEntry,
    ) -> StoreResult<()>;
    /// The records of a plan's inspections, by inspection id (with when and by whom).
    async fn inspection_records(&self, plan: Uuid) -> StoreResult<Vec<StoredInspectionRecord>>;
    /// Enter (or replace) the impact assessment of a procedure version, its document with it
    /// (the bytes already in the file store).
    async fn put_impact_assessment(&self, assessment: &ImpactAssessment, audit: &AuditEntry) -> StoreResult<()>;
    /// Every impact assessment, by procedure code and version.
    async fn impact_assessments(&self) -> StoreResult<Vec<ImpactAssessment>>;
}

/// Which stored files rows refer to (dossier documents, report attachments, assessment forms).
#[async_trait::async_trait]
pub trait FileKeyRepo {
    /// The keys among `keys` that some row refers to.
    async fn file_keys_in_use(&self, keys: &[String]) -> StoreResult<std::collections::HashSet<String>>;
}

#[async_trait::async_trait]
pub trait AuditRepo {
    /// Record an event that changes no data (a refused access).
    async fn record_audit(&self, entry: &AuditEntry) -> StoreResult<()>;
    /// The latest entries, newest first.
    async fn audit_log(&self, limit: u32) -> StoreResult<Vec<AuditRecord>>;
}

/// The whole contract.
#[async_trait::async_trait]
pub trait Store:
    CatalogRepo
    + MapRepo
    + UserRepo
    + CalendarRepo
    + DossierRepo
    + OutboxRepo
    + PlanRepo
    + IdempotencyRepo
    + FileKeyRepo
    + AuditRepo
    + Send
    + Sync
{
    /// Apply pending migrations.
    async fn migrate(&self) -> StoreResult<()>;
    /// Cheap round trip to the database (readiness).
    async fn ping(&self) -> StoreResult<()>;
}
