//! Decision 766 metrics 1.1 and 1.2 over the catalog: was each version published on time (its
//! decision dated at least `lead` working days before it takes effect), and publicised on the
//! national procedure database on time (within `within` working days of the decision). A
//! procedure counts once a year and is late when any of its decisions of the year is late
//! (docs/RULES.md §D5.2). Working days are those of the province's legal calendar.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::ids::ProcedureCode;
use crate::procedure::Procedure;

/// The two time limits, in working days (settings, docs/RULES.md §D5.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// A publishing decision is dated at least this many working days before the version takes effect.
    pub lead: u32,
    /// A published version is publicised within this many working days of its decision.
    pub within: u32,
}

/// One procedure version published by a decision dated in the year.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublicationLine {
    pub procedure: ProcedureCode,
    pub name: String,
    pub version: u32,
    pub decision_no: Option<String>,
    pub decision_date: NaiveDate,
    pub effective_from: NaiveDate,
    /// The last day the decision was on time for.
    pub latest_on_time: NaiveDate,
    pub on_time: bool,
    /// When it was publicised on the national procedure database (metric 1.2).
    pub publicised_on: Option<NaiveDate>,
    /// The last day to publicise it on time.
    pub publicise_by: NaiveDate,
    /// `None` while it may still be publicised on time.
    pub publicised_on_time: Option<bool>,
}

/// Decision 766 metric 1.1 (published on time) and 1.2 (publicised on time) for a year.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublicationReport {
    pub year: i32,
    pub lead_working_days: u32,
    pub lines: Vec<PublicationLine>,
    /// Procedures published in the year (each once).
    pub procedures: usize,
    /// Of those, the ones whose every decision of the year was on time.
    pub on_time: usize,
    pub ratio_pct: Option<f64>,
    /// Metric 1.2: procedures publicised on time / procedures to publicise (publicised, or
    /// pending past or within their time), each once; any late one is late.
    pub publicised_on_time: usize,
    pub publicised_ratio_pct: Option<f64>,
}

/// The lines of one procedure: its published versions whose decision is dated in `year`.
pub fn lines_of<E>(
    p: &Procedure,
    year: i32,
    limits: Limits,
    today: NaiveDate,
    is_working: impl Fn(NaiveDate) -> Result<bool, E>,
) -> Result<Vec<PublicationLine>, E> {
    let mut lines = Vec::new();
    for v in p.versions.iter().filter(|v| v.status.was_published()) {
        let (Some(decision_date), Some(effective_from)) = (v.publication.decision_date, v.publication.effective_from)
        else {
            continue;
        };
        if decision_date.year() != year {
            continue;
        }
        let latest = shift_working_days(effective_from, -(limits.lead as i32), &is_working)?;
        let publicise_by = shift_working_days(decision_date, limits.within as i32, &is_working)?;
        let publicised_on_time = match v.publication.publicised_on {
            Some(p) => Some(p <= publicise_by),
            None if today > publicise_by => Some(false),
            None => None,
        };
        lines.push(PublicationLine {
            procedure: p.code.clone(),
            name: v.content.name.clone(),
            version: v.number,
            decision_no: v.publication.decision_no.clone(),
            decision_date,
            effective_from,
            latest_on_time: latest,
            on_time: decision_date <= latest,
            publicised_on: v.publication.publicised_on,
            publicise_by,
            publicised_on_time,
        });
    }
    Ok(lines)
}

impl PublicationReport {
    /// Count the lines of the year, each procedure once.
    pub fn tally(year: i32, limits: Limits, lines: Vec<PublicationLine>) -> Self {
        let outcomes = per_procedure(&lines);
        let procedures = outcomes.len();
        let on_time = outcomes.iter().filter(|v| v.0).count();
        let publicised_on_time = outcomes.iter().filter(|v| v.1).count();
        let ratio = |n: usize| (procedures > 0).then(|| n as f64 * 100.0 / procedures as f64);
        Self {
            year,
            lead_working_days: limits.lead,
            lines,
            procedures,
            on_time,
            ratio_pct: ratio(on_time),
            publicised_on_time,
            publicised_ratio_pct: ratio(publicised_on_time),
        }
    }
}

/// Each procedure of `lines` once: (published on time, publicised on time), false when any of
/// its lines is late or, for publicising, not yet known to be on time.
pub fn per_procedure<'a>(lines: impl IntoIterator<Item = &'a PublicationLine>) -> Vec<(bool, bool)> {
    let mut by_procedure: BTreeMap<&ProcedureCode, (bool, bool)> = BTreeMap::new();
    for l in lines {
        let e = by_procedure.entry(&l.procedure).or_insert((true, true));
        e.0 &= l.on_time;
        e.1 &= l.publicised_on_time == Some(true);
    }
    by_procedure.into_values().collect()
}

/// The day `n` working days after (`n` > 0) or before (`n` < 0) `date` on the legal calendar
/// (`is_working`): Decision 766 metric 1.1 ends `lead` working days before a version takes
/// effect, metric 1.2 five working days after its publishing decision.
pub fn shift_working_days<E>(
    date: chrono::NaiveDate,
    n: i32,
    is_working: impl Fn(chrono::NaiveDate) -> Result<bool, E>,
) -> Result<chrono::NaiveDate, E> {
    let mut d = date;
    let mut left = n.unsigned_abs();
    while left > 0 {
        let next = if n > 0 { d.succ_opt() } else { d.pred_opt() };
        match next {
            Some(x) => d = x,
            None => return Ok(d),
        }
        if is_working(d)? {
            left -= 1;
        }
    }
    Ok(d)
}

#[cfg(test)]
mod publication_tests {
    use chrono::{Datelike, NaiveDate, Weekday};

    #[test]
    fn five_working_days_before_skip_weekends() {
        let weekdays = |d: NaiveDate| Ok::<_, ()>(!matches!(d.weekday(), Weekday::Sat | Weekday::Sun));
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default();
        // effective Monday 1/7/2024 → 5 working days before is Monday 24/6/2024
        assert_eq!(super::shift_working_days(d("2024-07-01"), -5, weekdays), Ok(d("2024-06-24")));
        assert_eq!(super::shift_working_days(d("2024-07-03"), 0, weekdays), Ok(d("2024-07-03")));
        // a decision of Friday 28/6/2024 is publicised on time until Friday 5/7/2024
        assert_eq!(super::shift_working_days(d("2024-06-28"), 5, weekdays), Ok(d("2024-07-05")));
    }
}
