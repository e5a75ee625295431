//! Monthly progress reports: each agency says, task by task, where it stands.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::error::FieldError;
use crate::ids::AgencyCode;

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
