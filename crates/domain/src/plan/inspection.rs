//! The inspection schedule of the plan's appendix, as the provincial office runs it: dates, the
//! team, findings and conclusion per inspected agency, and follow-up actions (last year's
//! conclusions included) until each is done.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::FieldError;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InspectionStatus {
    Planned,
    Done,
    /// Called off; the note says why.
    Cancelled,
}

impl InspectionStatus {
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Planned => "Dự kiến",
            Self::Done => "Đã kiểm tra",
            Self::Cancelled => "Hủy",
        }
    }
}

/// An action an inspection asks of the inspected agency.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    pub action: String,
    pub due: Option<NaiveDate>,
    /// When it was done; `None` while open.
    pub done_on: Option<NaiveDate>,
    /// From an earlier year's conclusion (e.g. "Kết luận kiểm tra năm 2023").
    #[serde(default)]
    pub from_conclusion: Option<String>,
}

/// What the office records about one inspection of the appendix.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InspectionRecord {
    pub status: InspectionStatus,
    pub planned_from: Option<NaiveDate>,
    pub planned_to: Option<NaiveDate>,
    /// Members of the team, one per entry.
    pub team: Vec<String>,
    #[serde(default)]
    pub findings: String,
    #[serde(default)]
    pub conclusion: String,
    #[serde(default)]
    pub follow_ups: Vec<FollowUp>,
}

impl InspectionRecord {
    pub fn check(&self, plan_year: i32) -> Result<(), FieldError> {
        if let (Some(f), Some(t)) = (self.planned_from, self.planned_to)
            && t < f
        {
            return Err(FieldError::new("invalid_period", "planned_to", "Ngày kết thúc trước ngày bắt đầu"));
        }
        if let Some(f) = self.planned_from
            && chrono::Datelike::year(&f) != plan_year
        {
            return Err(FieldError::new(
                "invalid_period",
                "planned_from",
                format!("Lịch kiểm tra phải trong năm {plan_year} của kế hoạch"),
            ));
        }
        if self.status == InspectionStatus::Done && (self.planned_from.is_none() || self.conclusion.trim().is_empty()) {
            return Err(FieldError::new(
                "conclusion_required",
                "conclusion",
                "Cuộc kiểm tra đã xong cần ngày và kết luận",
            ));
        }
        if self.status != InspectionStatus::Cancelled
            && self.team.iter().all(|m| m.trim().is_empty())
            && self.planned_from.is_some()
        {
            return Err(FieldError::new("team_required", "team", "Nêu thành phần đoàn kiểm tra"));
        }
        for (i, f) in self.follow_ups.iter().enumerate() {
            if f.action.trim().is_empty() {
                return Err(FieldError::new(
                    "required",
                    format!("follow_ups[{i}].action"),
                    "Nêu nội dung cần khắc phục",
                ));
            }
        }
        Ok(())
    }

    /// Follow-ups still open after `today`'s due dates.
    pub fn overdue_follow_ups(&self, today: NaiveDate) -> usize {
        self.follow_ups.iter().filter(|f| f.done_on.is_none() && f.due.is_some_and(|d| d < today)).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
    }

    #[test]
    fn records_are_checked() {
        let r = InspectionRecord {
            status: InspectionStatus::Planned,
            planned_from: d("2024-05-06"),
            planned_to: d("2024-05-08"),
            team: vec!["Văn phòng UBND tỉnh".into()],
            findings: String::new(),
            conclusion: String::new(),
            follow_ups: vec![FollowUp {
                action: "Niêm yết đủ TTHC".into(),
                due: d("2024-06-30"),
                done_on: None,
                from_conclusion: None,
            }],
        };
        assert!(r.check(2024).is_ok());
        assert_eq!(r.overdue_follow_ups(d("2024-07-01").unwrap_or_default()), 1);
        assert_eq!(
            InspectionRecord { planned_to: d("2024-05-01"), ..r.clone() }.check(2024).map_err(|e| e.code),
            Err("invalid_period")
        );
        assert_eq!(r.check(2025).map_err(|e| e.code), Err("invalid_period"));
        assert_eq!(
            InspectionRecord { status: InspectionStatus::Done, ..r.clone() }.check(2024).map_err(|e| e.code),
            Err("conclusion_required")
        );
        assert_eq!(InspectionRecord { team: vec![], ..r }.check(2024).map_err(|e| e.code), Err("team_required"));
    }
}
