//! The index's counts over the catalog (docs/RULES.md §D5.2, §D5.4): procedures published with
//! their seven constituent parts (1.3) and procedures offered online (3 A), over the procedures
//! in force on a day.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::{Code, Count};
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
