//! The index's counts over the catalog (docs/RULES.md §D5.2, §D5.4): procedures published with
//! their seven constituent parts (1.3) and procedures offered online (3 A), over the procedures
//! in force on a day.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::share::{Fact, Sums};
use super::{Code, Count};
use crate::ids::ProcedureCode;
use crate::procedure::{OnlineLevel, Procedure};

/// Counts of metric 1.3 (all seven parts published) and 3 A (an online service, partial or full)
/// over the procedures with a version in force on `on`.
pub fn catalog_counts<'a>(procedures: impl IntoIterator<Item = &'a Procedure>, on: NaiveDate) -> BTreeMap<Code, Count> {
    let mut counts: BTreeMap<Code, Count> = BTreeMap::new();
    for p in procedures {
        let Some(v) = p.version_on(on) else { continue };
        Count::tally(&mut counts, Code::PublicContentFull, v.content.has_all_seven_parts());
        Count::tally(
            &mut counts,
            Code::OnlineServiceProvision,
            matches!(v.content.online_level, OnlineLevel::Full | OnlineLevel::Partial),
        );
    }
    counts
}

/// Counts of the metrics over procedures that depend on their dossiers of the period
/// (`by_procedure`: the sums of each procedure's rows): online services used (3 B, services
/// offered online that received an online dossier), fee-bearing procedures paid online (4 B)
/// and syncing their fees (4 C), procedures serving people with dossiers using population data
/// (4.5 a). The base is the procedures in force on `on`.
pub fn usage_counts<'a>(
    procedures: impl IntoIterator<Item = &'a Procedure>,
    on: NaiveDate,
    by_procedure: &BTreeMap<ProcedureCode, Sums>,
) -> BTreeMap<Code, Count> {
    let mut counts: BTreeMap<Code, Count> = BTreeMap::new();
    let none = Sums::default();
    for p in procedures {
        let Some(v) = p.version_on(on) else { continue };
        let sums = by_procedure.get(&p.code).unwrap_or(&none);
        let any = |f: Fact| sums.get(f) > 0;
        if matches!(v.content.online_level, OnlineLevel::Full | OnlineLevel::Partial) {
            Count::tally(&mut counts, Code::OnlineServiceUsed, any(Fact::Online));
        }
        if v.content.index_traits().fee_bearing {
            Count::tally(&mut counts, Code::FeeProceduresPaidOnline, any(Fact::PaidOnline));
            Count::tally(&mut counts, Code::FeeDataSynced, any(Fact::FeeSynced));
        }
        if v.content.serves_people() {
            Count::tally(&mut counts, Code::CitizenDataConnectedFormality, any(Fact::PopulationData));
        }
    }
    counts
}

/// Counts of metrics 1.1 (published on time) and 1.2 (publicised on time) over the publishing
/// decisions dated in `period`: each procedure once, late when any of its decisions is
/// (docs/RULES.md §D5.2; the lines come from [`crate::plan::publication::lines_of`]).
pub fn publication_counts(
    lines: &[crate::plan::publication::PublicationLine],
    period: super::Period,
) -> BTreeMap<Code, Count> {
    let in_period =
        lines.iter().filter(|l| l.decision_date >= period.first_day() && l.decision_date < period.end_day());
    let mut counts = BTreeMap::new();
    for (published, publicised) in crate::plan::publication::per_procedure(in_period) {
        Count::tally(&mut counts, Code::PublishOnTime, published);
        Count::tally(&mut counts, Code::PublicUpdateOnTime, publicised);
    }
    counts
}
