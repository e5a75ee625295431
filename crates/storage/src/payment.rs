//! Online payments of dossiers' fees, and the daily reconciliation with the gateway's report.

use chrono::{DateTime, NaiveDate, Utc};
use motcua_domain::dossier::record::EventRecord;
use motcua_domain::dossier::{Dossier, DossierCode};
use motcua_domain::ids::AgencyCode;
use motcua_domain::notice::Notice;
use motcua_domain::payment::{FeeDue, PaymentState};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{AuditEntry, StoreResult};

/// A payment of a dossier, as the ledger shows it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PaymentRecord {
    /// Also the order number the gateway knows it by.
    pub id: Uuid,
    /// The dossier's receiving desk.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub agency: AgencyCode,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub dossier: DossierCode,
    pub amount_vnd: u64,
    pub lines: Vec<FeeDue>,
    pub state: PaymentState,
    pub created_at: DateTime<Utc>,
    /// Who started it (the applicant's account, or the desk officer at a kiosk).
    pub created_by: String,
    pub gateway_txn: Option<String>,
    pub paid_at: Option<DateTime<Utc>>,
    /// The receipt's number, once paid.
    pub receipt_no: Option<String>,
    /// Why a paid payment needs an officer's look (paid after the fee was settled otherwise).
    pub note: Option<String>,
}

/// Which payments to list (newest first).
#[derive(Debug, Clone, Default)]
pub struct PaymentQuery {
    pub dossier: Option<DossierCode>,
    pub state: Option<PaymentState>,
    /// Created on or after / before these instants.
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub limit: u32,
}

/// The change a confirmed payment makes to its dossier, stored with it.
#[derive(Debug, Clone)]
pub struct DossierUpdate {
    pub code: DossierCode,
    pub expected_revision: i64,
    pub workflow: Dossier,
    pub event: EventRecord,
    pub audit: AuditEntry,
    pub notices: Vec<Notice>,
}

/// A payment the gateway confirmed.
#[derive(Debug, Clone)]
pub struct Confirmation {
    pub id: Uuid,
    pub txn: String,
    pub paid_at: DateTime<Utc>,
    pub receipt_no: String,
    /// Why the paid payment needs an officer's look, if it does.
    pub note: Option<String>,
}

/// What the confirmation did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirmed {
    /// Paid now (and the dossier moved, when an update was given).
    Now,
    /// It was paid before: nothing changed.
    Already,
}

/// One line of the gateway's daily report.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GatewayLine {
    pub order: String,
    pub amount_vnd: u64,
    pub txn: String,
    /// `00` paid.
    pub response_code: String,
}

/// A difference between the gateway's report and the ledger.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Difference {
    pub order: String,
    /// What differs, in Vietnamese.
    pub what: String,
    pub gateway_amount_vnd: Option<u64>,
    pub ledger_amount_vnd: Option<u64>,
}

/// The reconciliation of one day.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reconciliation {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub agency: AgencyCode,
    pub day: NaiveDate,
    pub ran_at: DateTime<Utc>,
    /// Paid transactions in the gateway's report, and paid payments in the ledger.
    pub gateway_count: u32,
    pub ledger_count: u32,
    pub differences: Vec<Difference>,
}

#[async_trait::async_trait]
pub trait PaymentRepo {
    async fn create_payment(&self, p: &PaymentRecord, audit: &AuditEntry) -> StoreResult<()>;
    async fn payment(&self, id: Uuid) -> StoreResult<Option<PaymentRecord>>;
    async fn payments(&self, q: &PaymentQuery) -> StoreResult<Vec<PaymentRecord>>;
    /// Mark a pending (or failed) payment paid, once, with its receipt number and note, and
    /// store `then` (the dossier's change) in the same transaction: `Stale` when the dossier
    /// changed since it was read (nothing written).
    async fn confirm_payment(
        &self,
        c: &Confirmation,
        then: Option<&DossierUpdate>,
        audit: &AuditEntry,
    ) -> StoreResult<Confirmed>;
    /// A pending payment the gateway declined; false when it was not pending.
    async fn fail_payment(&self, id: Uuid, txn: &str, audit: &AuditEntry) -> StoreResult<bool>;
    /// Store the reconciliation of its day (replacing an earlier run of the same day).
    async fn put_reconciliation(&self, r: &Reconciliation, audit: &AuditEntry) -> StoreResult<()>;
    /// The latest reconciliations, newest day first.
    async fn reconciliations(&self, limit: u32) -> StoreResult<Vec<Reconciliation>>;
}
