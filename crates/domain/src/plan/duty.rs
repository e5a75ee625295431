//! Who answers for which task: the agencies a task names, directly or through a group, and the
//! months in which a task expects a progress report.

use std::collections::HashSet;

use chrono::NaiveDate;

use super::{DeadlineKind, Party, PartyGroup, Plan, Task, month_of};
use crate::admin::{Agency, UnitLevel};
use crate::ids::AgencyCode;

/// Lead or cooperating.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Duty {
    Lead,
    Cooperating,
}

/// The agencies of the map on the plan's date, each with the level of its unit, and the
/// agencies the plan's appendix inspects.
pub struct Roster {
    pub agencies: Vec<(Agency, UnitLevel)>,
    pub inspected: HashSet<AgencyCode>,
}

impl Roster {
    pub fn new(plan: &Plan, agencies: Vec<(Agency, UnitLevel)>) -> Self {
        let inspected = plan.inspections.iter().flat_map(|i| &i.agencies).filter_map(|p| p.agency.clone()).collect();
        Self { agencies, inspected }
    }

    fn names(&self, parties: &[Party], agency: &Agency, level: UnitLevel) -> bool {
        parties.iter().any(|p| match (&p.agency, p.group) {
            (Some(code), _) => *code == agency.code,
            (None, Some(PartyGroup::Inspected)) => self.inspected.contains(&agency.code),
            (None, Some(g)) => g.includes(agency, level),
            (None, None) => false,
        })
    }

    /// What `agency` has to do with `task`, if anything (lead wins over cooperating).
    pub fn duty(&self, task: &Task, agency: &AgencyCode) -> Option<Duty> {
        let (a, level) = self.agencies.iter().find(|(a, _)| a.code == *agency)?;
        if self.names(&task.lead, a, *level) {
            Some(Duty::Lead)
        } else if self.names(&task.cooperating, a, *level) {
            Some(Duty::Cooperating)
        } else {
            None
        }
    }

    /// The agencies that lead `task` (groups expanded over the roster), in roster order.
    pub fn leads(&self, task: &Task) -> Vec<&Agency> {
        self.agencies.iter().filter(|(a, level)| self.names(&task.lead, a, *level)).map(|(a, _)| a).collect()
    }
}

/// Whether a task expects a report for the month starting `month` (first day): the month lies
/// within its period or duty, or before its due date in its plan year; a heading with sub-items
/// (no lead) expects none.
pub fn expects_report(task: &Task, plan_year: i32, month: NaiveDate) -> bool {
    if task.lead.is_empty() {
        return false;
    }
    let year_start = NaiveDate::from_ymd_opt(plan_year, 1, 1).unwrap_or(NaiveDate::MIN);
    let m = month_of(month);
    let d = &task.deadline;
    match d.kind {
        DeadlineKind::Period | DeadlineKind::Recurring => match (d.from, d.to) {
            (Some(f), Some(t)) => month_of(f) <= m && m <= month_of(t),
            _ => false,
        },
        DeadlineKind::Date => d.due.is_some_and(|due| month_of(year_start) <= m && m <= month_of(due)),
        DeadlineKind::Text => month_of(year_start) <= m && m.starts_with(&plan_year.to_string()),
    }
}
