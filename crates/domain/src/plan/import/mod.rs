//! Importing the plan: `document` reads the plan as published; this module counts what was
//! read for the import report and says what a re-import may drop. A re-import keeps each task's
//! and each inspection's identity by key; one that is no longer in the file is removed, unless
//! something the agencies filed hangs on it (a progress report, an inspection record), which
//! would be lost.

pub mod document;

use serde::{Deserialize, Serialize};

use super::Plan;
use crate::error::FieldError;

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

/// May a re-import drop the task `key`, on which `reports` progress reports were filed? The
/// answer is the line to list among the removed.
pub fn drop_task(key: &str, reports: u64) -> Result<String, FieldError> {
    if reports > 0 {
        return Err(FieldError::new(
            "plan_task_reported",
            "file",
            format!("Nhiệm vụ {key} đã có báo cáo tiến độ nhưng không còn trong tệp kế hoạch mới; không nhập"),
        ));
    }
    Ok(key.to_owned())
}

/// May a re-import drop the appendix's inspection `key`, which has `records` inspection records
/// (zero or one)? The answer is the line to list among the removed.
pub fn drop_inspection(key: &str, records: u64) -> Result<String, FieldError> {
    if records > 0 {
        return Err(FieldError::new(
            "plan_inspection_recorded",
            "file",
            format!("Cuộc kiểm tra {key} của phụ lục đã có hồ sơ kiểm tra nhưng không còn trong tệp mới; không nhập"),
        ));
    }
    Ok(format!("phụ lục {key}"))
}
