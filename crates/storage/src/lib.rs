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

mod audit;
mod calendar;
mod catalog;
mod declaration;
mod dossier;
mod error;
mod files;
mod idempotency;
mod index;
mod map;
mod outbox;
mod payment;
mod petition;
mod plan;
mod rating;
mod report;
mod sign_in;
mod signing;
mod users;
mod vault;
mod watch;

pub use audit::*;
pub use calendar::*;
pub use catalog::*;
pub use declaration::*;
pub use dossier::*;
pub use error::StoreError;
pub use files::*;
pub use idempotency::*;
pub use index::*;
pub use map::*;
pub use outbox::*;
pub use payment::*;
pub use petition::*;
pub use plan::*;
pub use rating::*;
pub use report::*;
pub use sign_in::*;
pub use signing::*;
pub use users::*;
pub use vault::*;
pub use watch::*;

pub type StoreResult<T> = Result<T, StoreError>;

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
    + ProgressRepo
    + CostRepo
    + InspectionRepo
    + AssessmentRepo
    + ReportFileRepo
    + IdempotencyRepo
    + IndexRepo
    + RatingRepo
    + PetitionRepo
    + ReportRepo
    + FileKeyRepo
    + AuditRepo
    + WatchRepo
    + PaymentRepo
    + DeclarationRepo
    + SigningRepo
    + CopyRepo
    + VaultRepo
    + SignInRepo
    + Send
    + Sync
{
    /// Apply pending migrations.
    async fn migrate(&self) -> StoreResult<()>;
    /// Cheap round trip to the database (readiness).
    async fn ping(&self) -> StoreResult<()>;
    /// A number that moves after every write made through this handle (this process). Figures
    /// derived from many rows and kept in memory compare it to know whether a write of this
    /// process may have changed them; writes of other processes are seen after their refresh.
    fn write_generation(&self) -> u64;
}
