//! What one dossier adds to the index's monthly aggregates (docs/RULES.md §D5): a set of facts
//! and, while its clock runs, the instant after which it is late. The store keeps one row of
//! sums per month, receiving desk, competent agency and procedure, and adds the difference
//! between a dossier's share before and after each write in the same transaction; the index of
//! a period then sums rows instead of reading dossiers. [`super::dossiers::dossier_counts`] is
//! the definition these sums are checked against.

use std::collections::BTreeMap;

use chrono::Datelike;

use serde::Serialize;

use super::{Code, Count, Period};
use crate::calendar::deadline::{Instant, Standing, Supplement, Timeliness, standing, vn_offset};
use crate::dossier::record::DossierRecord;
use crate::procedure::Channel;

/// A fact a dossier counts for; the store keeps a sum of each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Fact {
    Received,
    /// Has an appointment (accepted): in the base of metric 2.
    Timed,
    /// Settled early or on time.
    OnTime,
    /// Settled late.
    Late,
    /// Its clock runs: on time until [`Share::open_until`], late after.
    Open,
    Online,
    /// Online, with its electronic result when the result is a paper document (3 C).
    OnlineCounted,
    FeeBearing,
    /// Of a fee-bearing procedure and paid online (4 A).
    PaidOnline,
    Synced,
    /// Of a fee-bearing procedure and synced with its fees (4 C).
    FeeSynced,
    PaperResult,
    /// Of a procedure with a paper result, and an electronic result issued (4.1).
    EResult,
    Digitised,
    Reused,
    /// An electronic result synced to the national portal, where the holder's store keeps it (4.4).
    ResultSynced,
    /// Filed with population data (VNeID) (4.5 b).
    PopulationData,
    /// Rated by the applicant.
    Rated,
    /// Rated satisfied or very satisfied (the plan's satisfaction share).
    Satisfied,
    /// Disliked or petitioned about (5.4).
    Complained,
}

impl Fact {
    pub const ALL: [Fact; 20] = [
        Self::Received,
        Self::Timed,
        Self::OnTime,
        Self::Late,
        Self::Open,
        Self::Online,
        Self::OnlineCounted,
        Self::FeeBearing,
        Self::PaidOnline,
        Self::Synced,
        Self::FeeSynced,
        Self::PaperResult,
        Self::EResult,
        Self::Digitised,
        Self::Reused,
        Self::ResultSynced,
        Self::PopulationData,
        Self::Rated,
        Self::Satisfied,
        Self::Complained,
    ];

    /// The fact's bit in a dossier's stored set.
    pub fn bit(self) -> u32 {
        1 << (self as u32)
    }
}

/// A dossier's part in the aggregates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Share {
    /// The month its receipt falls in (Vietnam time), as `yyyymm`.
    pub month: u32,
    facts: u32,
    /// While its clock runs: on time until then.
    pub open_until: Option<Instant>,
}

/// The month number (`yyyymm`) of an instant in Vietnam time.
pub fn month_of(at: Instant) -> u32 {
    let d = at.with_timezone(&vn_offset()).date_naive();
    d.year() as u32 * 100 + d.month()
}

/// The day number (`yyyymmdd`) of an instant in Vietnam: the day a running dossier turns late.
pub fn day_of(at: Instant) -> u32 {
    let d = at.with_timezone(&vn_offset()).date_naive();
    d.year() as u32 * 10_000 + d.month() * 100 + d.day()
}

impl Share {
    pub fn of(d: &DossierRecord) -> Self {
        let (traits, facts) = (d.traits, &d.facts);
        let mut s = Share { month: month_of(d.received_at), facts: 0, open_until: None };
        let w = &d.workflow;
        s.set(Fact::Received, true);
        if let Some(due) = w.due_original {
            s.set(Fact::Timed, true);
            let supplements: Vec<Supplement> = w
                .supplements
                .iter()
                .map(|s| Supplement { requested: s.requested_at, provided: s.provided_at })
                .collect();
            match standing(due, w.resolved_at.or(w.ended_at), &supplements) {
                Standing::Settled(Timeliness::Late) => s.set(Fact::Late, true),
                Standing::Settled(_) => s.set(Fact::OnTime, true),
                Standing::OnTimeUntil(until) => {
                    s.set(Fact::Open, true);
                    s.open_until = Some(until);
                }
            }
        }
        let online = d.channel == Channel::Online;
        let synced = facts.synced_at.is_some();
        s.set(Fact::Online, online);
        s.set(Fact::OnlineCounted, online && (!traits.paper_result || facts.e_result));
        s.set(Fact::FeeBearing, traits.fee_bearing);
        s.set(Fact::PaidOnline, traits.fee_bearing && facts.paid_online);
        s.set(Fact::Synced, synced);
        s.set(Fact::FeeSynced, traits.fee_bearing && synced);
        s.set(Fact::PaperResult, traits.paper_result);
        s.set(Fact::EResult, traits.paper_result && facts.e_result);
        s.set(Fact::Digitised, facts.digitised(traits.paper_result));
        s.set(Fact::Reused, facts.reused_data);
        s.set(Fact::ResultSynced, facts.e_result && synced);
        s.set(Fact::PopulationData, facts.uses_population_data());
        s.set(Fact::Rated, facts.satisfaction.is_some());
        s.set(Fact::Satisfied, facts.satisfaction.is_some_and(|x| x.is_satisfied()));
        s.set(Fact::Complained, facts.disliked || facts.petitioned);
        s
    }

    fn set(&mut self, f: Fact, on: bool) {
        if on {
            self.facts |= f.bit();
        }
    }

    pub fn has(&self, f: Fact) -> bool {
        self.facts & f.bit() != 0
    }

    /// The facts as a bit set (bit `n` is `Fact::ALL[n]`), as the store keeps it on the dossier
    /// to read the share back before a write.
    pub fn bits(&self) -> u32 {
        self.facts
    }

    pub fn from_bits(month: u32, bits: u32, open_until: Option<Instant>) -> Self {
        Share { month, facts: bits, open_until }
    }

    /// What to add to each column of the dossier's row of sums when its share changes from
    /// `old` (none for a new dossier) to `self`: `(fact, ±1)` for the facts that changed.
    pub fn delta(&self, old: Option<&Share>) -> Vec<(Fact, i64)> {
        let before = old.map_or(0, |o| o.facts);
        Fact::ALL
            .into_iter()
            .filter_map(|f| match (before & f.bit() != 0, self.has(f)) {
                (false, true) => Some((f, 1)),
                (true, false) => Some((f, -1)),
                _ => None,
            })
            .collect()
    }
}

/// The sums of a set of rows: one number per fact, and of the open dossiers the ones already late
/// at the time of asking.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sums {
    values: BTreeMap<Fact, u64>,
    /// Open dossiers whose `open_until` is before the time of asking.
    pub open_late: u64,
}

impl Sums {
    pub fn get(&self, f: Fact) -> u64 {
        self.values.get(&f).copied().unwrap_or(0)
    }

    pub fn add(&mut self, f: Fact, n: u64) {
        *self.values.entry(f).or_default() += n;
    }

    /// Add one dossier's share, judged at `at`.
    pub fn add_share(&mut self, s: &Share, at: Instant) {
        for f in Fact::ALL.into_iter().filter(|f| s.has(*f)) {
            self.add(f, 1);
        }
        if s.open_until.is_some_and(|u| at > u) {
            self.open_late += 1;
        }
    }

    pub fn merge(&mut self, other: &Sums) {
        for (f, n) in &other.values {
            self.add(*f, *n);
        }
        self.open_late += other.open_late;
    }

    /// The counts of the dossier metrics (the same as [`super::dossiers::dossier_counts`] over
    /// the dossiers summed); a metric whose base is empty is left out.
    pub fn counts(&self) -> BTreeMap<Code, Count> {
        let received = self.get(Fact::Received);
        let late = self.get(Fact::Late) + self.open_late;
        // 5.4: 100 % − (overdue rate + rate of dossiers disliked or petitioned about).
        let satisfaction =
            Count { numerator: received.saturating_sub(late + self.get(Fact::Complained)), denominator: received };
        DOSSIER_METRICS
            .iter()
            .map(|&(code, meets, base)| {
                let mut numerator = self.get(meets);
                if meets == Fact::OnTime {
                    numerator += self.get(Fact::Open).saturating_sub(self.open_late);
                }
                (code, Count { numerator, denominator: self.get(base) })
            })
            .chain([(Code::DossierReceivingSatisfaction, satisfaction)])
            .filter(|(_, c)| c.denominator > 0)
            .collect()
    }
}

/// The metrics counted over dossiers: the fact a dossier meets it by and the fact that puts it
/// in the metric's base. Timeliness also counts as on time the running dossiers ([`Fact::Open`])
/// whose clock has not passed its appointment at the time of asking.
pub const DOSSIER_METRICS: [(Code, Fact, Fact); 9] = [
    (Code::DossierOnTime, Fact::OnTime, Fact::Timed),
    (Code::OnlineDossierRate, Fact::OnlineCounted, Fact::Received),
    (Code::OnlinePaymentRate, Fact::PaidOnline, Fact::FeeBearing),
    (Code::DossierSync, Fact::Synced, Fact::Received),
    (Code::OriginalResultAvailable, Fact::EResult, Fact::PaperResult),
    (Code::SoHoaGiayToGiaiQuyet, Fact::Digitised, Fact::Received),
    (Code::ReusedDigitizedData, Fact::Reused, Fact::Received),
    (Code::SyncedWithDvcqgPersonalStorage, Fact::ResultSynced, Fact::Received),
    (Code::CitizenDataConnectedDossier, Fact::PopulationData, Fact::Received),
];

/// Which dossiers of a metric's count to list.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    /// The denominator.
    #[default]
    Base,
    /// The numerator.
    Meets,
    /// In the base, not in the numerator.
    Misses,
}

/// The dossiers behind a count of the index: received in `months` (`yyyymm`, both included),
/// in the part `part` of a metric when asked at `at`, of the unit's agencies.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexFilter {
    pub months: (u32, u32),
    /// `(meets, base)` of the metric (one of [`DOSSIER_METRICS`]).
    pub facts: (Fact, Fact),
    pub part: Part,
    pub at: Instant,
    /// Only the dossiers of these competent agencies.
    pub agencies: Option<Vec<crate::ids::AgencyCode>>,
}

impl Code {
    /// `(meets, base)` for a metric counted over dossiers, `None` for the others.
    pub fn dossier_facts(self) -> Option<(Fact, Fact)> {
        DOSSIER_METRICS.iter().find(|m| m.0 == self).map(|m| (m.1, m.2))
    }
}

impl Period {
    /// The first and last month (`yyyymm`) of the period, both included.
    pub fn month_range(self) -> (u32, u32) {
        let n = |d: chrono::NaiveDate| d.year() as u32 * 100 + d.month();
        (n(self.first_day()), n(self.end_day().pred_opt().unwrap_or(chrono::NaiveDate::MIN)))
    }
}
