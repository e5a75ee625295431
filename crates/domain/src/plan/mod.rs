//! The province's annual plan for procedure control and the one-stop mechanism (issue 5): its
//! sections and numbered tasks, each with lead and cooperating agencies, a deadline read from
//! Vietnamese, an expected product and the targets it sets; and the appendix of agencies to
//! inspect. `import` reads the plan as published (tab-separated tables with HTML fragments and
//! page-break repeats of the header) and says what a re-import may drop; `parties` matches agency names to the administrative map;
//! `targets` ties each percentage to the index metric that measures it.

pub mod assessment;
pub mod cost;
pub mod deadline;
pub mod duty;
pub mod import;
pub mod inspection;
pub mod parties;
pub mod progress;
pub mod publication;
pub mod report_files;
pub mod targets;

#[cfg(test)]
mod tests;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use deadline::{Deadline, DeadlineKind};
pub use import::{Finding, ImportReport};
pub use parties::{Party, PartyGroup};
pub use progress::{ProgressReport, ProgressStatus, check_progress, month_of, parse_month};
pub use report_files::ReportFile;
pub use targets::{Metric, Target};

use crate::ids::AgencyCode;

/// A plan as imported: what `motcua plan show --json` prints.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// The provincial People's Committee that issued it (the agency of every row of the plan).
    pub owner: AgencyCode,
    pub year: i32,
    pub title: String,
    /// The decision that issued it, as written ("Số: /QĐ-UBND" when the number is blank).
    pub decision: String,
    /// The place-and-date line as written.
    pub issued: String,
    /// The day agency names were matched on (the first day of the plan's year).
    pub effective: NaiveDate,
    pub sections: Vec<Section>,
    /// The appendix: agencies to inspect, by group.
    pub inspection_title: String,
    pub inspections: Vec<Inspection>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// Roman numeral: `I`, `II`, ...
    pub number: String,
    pub title: String,
    pub tasks: Vec<Task>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Task {
    /// Given by the store; stays the same when the plan is imported again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<uuid::Uuid>,
    /// `2` for a task, `2.1`, `2.2`, ... for its sub-items; sub-items follow their task.
    pub number: String,
    /// The task a sub-item belongs to (`2` for `2.1`).
    pub parent: Option<String>,
    pub title: String,
    pub lead: Vec<Party>,
    pub cooperating: Vec<Party>,
    pub product: String,
    pub deadline: Deadline,
    pub targets: Vec<Target>,
}

impl Inspection {
    /// Unique in the plan: `II.12`.
    pub fn key(&self) -> String {
        format!("{}.{}", self.group, self.number)
    }
}

impl Task {
    /// Unique in the plan: `II.2.1`.
    pub fn key(&self, section: &str) -> String {
        format!("{section}.{}", self.number)
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inspection {
    /// Given by the store; stays the same when the plan is imported again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<uuid::Uuid>,
    /// The appendix group's numeral and title (`I`, "KHỐI CÁC SỞ, BAN, NGÀNH").
    pub group: String,
    pub group_title: String,
    pub number: String,
    /// The inspected agency as written.
    pub text: String,
    pub agencies: Vec<Party>,
    pub note: String,
}

impl Plan {
    pub fn tasks(&self) -> impl Iterator<Item = (&Section, &Task)> {
        self.sections.iter().flat_map(|s| s.tasks.iter().map(move |t| (s, t)))
    }
}
