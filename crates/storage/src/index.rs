//! The Decision 766 index kept live: sums of the dossiers' shares per month, receiving desk,
//! competent agency and procedure, moved by every dossier write in its transaction
//! (docs/RULES.md §D5; `motcua_domain::index::share`).

use std::collections::BTreeMap;

use motcua_domain::calendar::deadline::Instant;
use motcua_domain::dossier::DossierCode;
use motcua_domain::dossier::record::{DossierRecord, ProcedureTraits};
use motcua_domain::ids::{AgencyCode, ProcedureCode};
use motcua_domain::index::share::Sums;

use crate::StoreResult;

/// The traits of each procedure version, by procedure and version number.
pub type Backfill = BTreeMap<(ProcedureCode, u32), ProcedureTraits>;

/// Which sums to read.
#[derive(Debug, Clone)]
pub struct IndexQuery {
    /// First and last month (`yyyymm`), both included.
    pub months: (u32, u32),
    /// Only dossiers of these competent agencies; `None` for the whole province.
    pub agencies: Option<Vec<AgencyCode>>,
    /// The time of asking: running dossiers whose clock passed their appointment by then are late.
    pub at: Instant,
}

/// The sums of one month, competent agency and procedure (the receiving desks added up).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexRow {
    pub month: u32,
    pub competent_agency: AgencyCode,
    pub procedure: ProcedureCode,
    pub sums: Sums,
}

#[async_trait::async_trait]
pub trait IndexRepo {
    /// The rows of sums matching `query`, in no particular order.
    async fn index_rows(&self, query: &IndexQuery) -> StoreResult<Vec<IndexRow>>;
    /// Recompute every dossier's share from its record and every sum from the shares, in one
    /// transaction; the number of dossiers counted. A dossier stored before the aggregates
    /// existed (no share yet) first takes the traits `backfill` gives for its procedure and
    /// version number. Run before serving (at start when [`Self::index_pending`], or
    /// `motcua index rebuild` with the servers stopped).
    async fn rebuild_index(&self, backfill: &Backfill) -> StoreResult<u64>;
    /// Whether some dossier has no share yet (stored before the aggregates existed).
    async fn index_pending(&self) -> StoreResult<bool>;
    /// The dossiers received in `[from, before)`, read from the dossier rows themselves (what
    /// the sums are checked against), in pages: at most `limit` after the code `after`.
    async fn scan_dossiers(
        &self,
        from: Instant,
        before: Instant,
        after: Option<&DossierCode>,
        limit: u32,
    ) -> StoreResult<Vec<DossierRecord>>;
}
