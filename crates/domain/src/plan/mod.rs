//! The province's annual plan for procedure control and the one-stop mechanism (issue 5): its
//! sections and numbered tasks, each with lead and cooperating agencies, a deadline read from
//! Vietnamese, an expected product and the targets it sets; and the appendix of agencies to
//! inspect. `document` reads the plan as published (tab-separated tables with HTML fragments and
//! page-break repeats of the header); `parties` matches agency names to the administrative map;
//! `targets` ties each percentage to the index metric that measures it.

pub mod assessment;
pub mod cost;
pub mod deadline;
pub mod document;
pub mod duty;
pub mod inspection;
pub mod parties;
pub mod targets;

#[cfg(test)]
mod tests;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub use deadline::{Deadline, DeadlineKind};
pub use parties::{Party, PartyGroup};
pub use targets::{Metric, Target};

use crate::error::FieldError;
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

/// One finding of an import worth a person's eye.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Where: a task key (`II.2.3`), `appendix I.1`, or `document`.
    pub at: String,
    pub text: String,
}

/// What an import read and what it could not understand.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportReport {
    pub sections: usize,
    /// Numbered tasks (without their sub-items).
    pub tasks: usize,
    pub sub_items: usize,
    pub targets: usize,
    /// Targets that no metric measures (kept with their phrase).
    pub targets_without_metric: usize,
    pub inspections: usize,
    pub agencies_matched: usize,
    /// Names that match no agency of the map on the plan's date (kept as written).
    pub unmatched_agencies: Vec<Finding>,
    /// Deadline phrases that were not understood (kept as text).
    pub deadlines_not_understood: Vec<Finding>,
    /// Rows continued across a page break and merged, readings worth checking.
    pub notes: Vec<Finding>,
}

impl Plan {
    pub fn tasks(&self) -> impl Iterator<Item = (&Section, &Task)> {
        self.sections.iter().flat_map(|s| s.tasks.iter().map(move |t| (s, t)))
    }

    /// Count what the plan holds, for the import report.
    pub fn count_into(&self, r: &mut ImportReport) {
        r.sections = self.sections.len();
        r.tasks = self.tasks().filter(|(_, t)| t.parent.is_none()).count();
        r.sub_items = self.tasks().filter(|(_, t)| t.parent.is_some()).count();
        r.targets = self.tasks().map(|(_, t)| t.targets.len()).sum();
        r.targets_without_metric = self.tasks().flat_map(|(_, t)| &t.targets).filter(|t| t.metric.is_none()).count();
        r.inspections = self.inspections.len();
        let parties = self
            .tasks()
            .flat_map(|(_, t)| t.lead.iter().chain(&t.cooperating))
            .chain(self.inspections.iter().flat_map(|i| &i.agencies));
        r.agencies_matched = parties.filter(|p| p.agency.is_some()).count();
    }
}

/// Where a task stands, as its agency reports it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProgressStatus {
    NotStarted,
    InProgress,
    Done,
    /// Stuck: the note says on what.
    Blocked,
}

impl ProgressStatus {
    pub const ALL: [ProgressStatus; 4] = [Self::NotStarted, Self::InProgress, Self::Done, Self::Blocked];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotStarted => "not_started",
            Self::InProgress => "in_progress",
            Self::Done => "done",
            Self::Blocked => "blocked",
        }
    }

    pub fn parse(s: &str) -> Result<Self, FieldError> {
        Self::ALL.into_iter().find(|x| x.as_str() == s).ok_or_else(|| {
            FieldError::new("invalid_progress_status", "status", format!("Tình trạng «{s}» không hợp lệ"))
        })
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::NotStarted => "Chưa triển khai",
            Self::InProgress => "Đang thực hiện",
            Self::Done => "Hoàn thành",
            Self::Blocked => "Vướng mắc",
        }
    }
}

/// An agency's monthly report on one task of the plan.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressReport {
    pub id: uuid::Uuid,
    pub plan_id: uuid::Uuid,
    pub task_id: uuid::Uuid,
    /// The reporting agency.
    pub agency: AgencyCode,
    /// `YYYY-MM`.
    pub month: String,
    pub status: ProgressStatus,
    /// 0 to 100; 100 when done.
    pub percent: u8,
    pub note: String,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
}

/// A report month `YYYY-MM` → its first day.
pub fn parse_month(s: &str) -> Result<NaiveDate, FieldError> {
    let bad = || FieldError::new("invalid_month", "month", format!("Tháng «{s}» không hợp lệ (dạng YYYY-MM)"));
    let (y, m) = s.split_once('-').ok_or_else(bad)?;
    if y.len() != 4 || m.len() != 2 {
        return Err(bad());
    }
    NaiveDate::from_ymd_opt(y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?, 1).ok_or_else(bad)
}

/// The month of a day as `YYYY-MM`.
pub fn month_of(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

/// Check a report's figures: percent 0..=100, done means 100, a blocked task says why.
pub fn check_progress(status: ProgressStatus, percent: u8, note: &str) -> Result<(), FieldError> {
    if percent > 100 {
        return Err(FieldError::new("invalid_percent", "percent", "Tỷ lệ hoàn thành từ 0 đến 100"));
    }
    if status == ProgressStatus::Done && percent != 100 {
        return Err(FieldError::new("invalid_percent", "percent", "Nhiệm vụ hoàn thành có tỷ lệ 100%"));
    }
    if status == ProgressStatus::Blocked && note.trim().is_empty() {
        return Err(FieldError::new("note_required", "note", "Nêu vướng mắc khi báo cáo nhiệm vụ bị vướng"));
    }
    Ok(())
}

/// A document an agency attaches to its report on a task for a month.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportFile {
    pub id: uuid::Uuid,
    pub plan_id: uuid::Uuid,
    pub task_id: uuid::Uuid,
    pub agency: AgencyCode,
    /// `YYYY-MM`.
    pub month: String,
    /// What the document is ("Báo cáo kết quả rà soát").
    pub name: String,
    #[serde(flatten)]
    pub file: crate::file::AttachedFile,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
}
