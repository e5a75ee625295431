//! Compliance cost of a procedure (Circular 02/2017/TT-VPCP costing form, docs/RULES.md §D8
//! and §R8): the applicant's hours per activity at an hourly income, plus fees,
//! outsourced and other costs, times the applicants a year; before and after simplification.
//! The hourly income and its source year are inputs of each sheet (the official basis is not
//! confirmed), never a constant here.

use serde::{Deserialize, Serialize};

use crate::error::FieldError;

/// One activity of the applicant (learning about the procedure, preparing forms, travelling and
/// waiting, supplementing, receiving the result, ...).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    pub name: String,
    /// Hours per dossier.
    pub hours: f64,
}

/// A costing sheet: one state of a procedure (before or after simplification).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostSheet {
    pub activities: Vec<Activity>,
    /// Average income per working hour (VND) used for the time cost.
    pub hourly_income_vnd: u64,
    /// The year of the income figure (e.g. the statistics office's 2024 average).
    pub income_year: i32,
    /// Fees and charges per dossier (phí, lệ phí).
    #[serde(default)]
    pub fees_vnd: u64,
    /// Consultants, agents.
    #[serde(default)]
    pub outsourced_vnd: u64,
    /// Travel, copying, certification, postage.
    #[serde(default)]
    pub other_vnd: u64,
    /// Applicants (compliance subjects) a year.
    pub subjects_per_year: u64,
    /// Dossiers per applicant a year (1 for most procedures).
    #[serde(default = "one")]
    pub times_per_year: f64,
}

fn one() -> f64 {
    1.0
}

impl CostSheet {
    pub fn hours(&self) -> f64 {
        self.activities.iter().map(|a| a.hours).sum()
    }

    /// Cost of one dossier (VND).
    pub fn cost_once(&self) -> f64 {
        self.hours() * self.hourly_income_vnd as f64
            + self.fees_vnd as f64
            + self.outsourced_vnd as f64
            + self.other_vnd as f64
    }

    /// Cost over a year for all applicants (VND).
    pub fn cost_year(&self) -> f64 {
        self.cost_once() * self.subjects_per_year as f64 * self.times_per_year
    }

    pub fn check(&self, field: &str) -> Result<(), FieldError> {
        let bad = |f: &str, m: &str| Err(FieldError::new("invalid_cost_sheet", format!("{field}.{f}"), m));
        if self.activities.is_empty() {
            return bad("activities", "Nêu ít nhất một hoạt động của người thực hiện thủ tục");
        }
        for (i, a) in self.activities.iter().enumerate() {
            if a.name.trim().is_empty() {
                return bad(&format!("activities[{i}].name"), "Tên hoạt động không được để trống");
            }
            if !a.hours.is_finite() || a.hours < 0.0 || a.hours > 10_000.0 {
                return bad(&format!("activities[{i}].hours"), "Số giờ phải từ 0 đến 10.000");
            }
        }
        if self.hourly_income_vnd == 0 {
            return bad("hourly_income_vnd", "Nêu thu nhập bình quân một giờ làm việc (đồng)");
        }
        if !(1990..=2100).contains(&self.income_year) {
            return bad("income_year", "Năm của số liệu thu nhập không hợp lệ");
        }
        if self.subjects_per_year == 0 {
            return bad("subjects_per_year", "Số đối tượng tuân thủ mỗi năm phải lớn hơn 0");
        }
        if !self.times_per_year.is_finite() || self.times_per_year <= 0.0 || self.times_per_year > 366.0 {
            return bad("times_per_year", "Số lần thực hiện mỗi năm phải từ trên 0 đến 366");
        }
        Ok(())
    }
}

/// The reduction of `after` against `before`, in percent of `before` (`None` when `before`
/// costs nothing).
pub fn reduction_pct(before: f64, after: f64) -> Option<f64> {
    (before > 0.0).then(|| (before - after) / before * 100.0)
}

/// Totals over the procedures of a plan: the target is judged on the aggregate, Σ savings /
/// Σ baseline (docs/RULES.md §D8); a procedure without an "after" sheet saves nothing.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CostTotals {
    /// Procedures reviewed (with a costing sheet).
    pub procedures: usize,
    /// Of which with a simplification proposed or approved.
    pub simplified: usize,
    /// Of which approved by a decision.
    pub approved: usize,
    pub before_year_vnd: f64,
    pub after_year_vnd: f64,
    pub reduction_pct: Option<f64>,
    /// Share of the procedures with a simplification (after sheet), in percent.
    pub simplified_pct: Option<f64>,
}

pub fn totals<'a>(costings: impl IntoIterator<Item = &'a Costing>) -> CostTotals {
    let mut t = CostTotals {
        procedures: 0,
        simplified: 0,
        approved: 0,
        before_year_vnd: 0.0,
        after_year_vnd: 0.0,
        reduction_pct: None,
        simplified_pct: None,
    };
    for c in costings {
        let (before, after) = (&c.before, c.after.as_ref());
        t.procedures += 1;
        t.approved += usize::from(c.status == ReviewStatus::Approved);
        let b = before.cost_year();
        t.before_year_vnd += b;
        match after {
            Some(a) => {
                t.simplified += 1;
                t.after_year_vnd += a.cost_year();
            }
            None => t.after_year_vnd += b,
        }
    }
    t.reduction_pct = reduction_pct(t.before_year_vnd, t.after_year_vnd);
    t.simplified_pct = (t.procedures > 0).then(|| t.simplified as f64 * 100.0 / t.procedures as f64);
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(hours: f64, rate: u64, fees: u64, subjects: u64) -> CostSheet {
        CostSheet {
            activities: vec![Activity { name: "Xử lý".into(), hours }],
            hourly_income_vnd: rate,
            income_year: 2024,
            fees_vnd: fees,
            outsourced_vnd: 0,
            other_vnd: 0,
            subjects_per_year: subjects,
            times_per_year: 1.0,
        }
    }

    #[test]
    fn dong_nai_worked_example() {
        // docs/RULES.md §R8: 10 → 9 working days of 8 h at 40,000 VND/h, 10 dossiers a year:
        // 32,000,000 → 28,800,000 VND a year, 10 %.
        let before = sheet(80.0, 40_000, 0, 10);
        let after = sheet(72.0, 40_000, 0, 10);
        assert_eq!((before.cost_year(), after.cost_year()), (32_000_000.0, 28_800_000.0));
        let r = reduction_pct(before.cost_year(), after.cost_year()).unwrap_or_default();
        assert!((r - 10.0).abs() < 1e-9);
    }

    #[test]
    fn ha_noi_per_dossier_example() {
        // docs/RULES.md §D8: 1,024,000 → 231,000 VND per dossier = 77.44 %.
        let r = reduction_pct(1_024_000.0, 231_000.0).unwrap_or_default();
        assert!((r - 77.44).abs() < 0.01, "{r}");
    }

    #[test]
    fn totals_weigh_by_cost_and_count_unsimplified_as_unchanged() {
        let (b1, a1) = (sheet(10.0, 40_000, 0, 100), sheet(5.0, 40_000, 0, 100)); // 40m → 20m
        let b2 = sheet(10.0, 40_000, 0, 100); // 40m, not simplified
        let t = totals(&[
            costing(b1, Some(a1), ReviewStatus::Approved),
            costing(b2.clone(), None, ReviewStatus::Reviewed),
            costing(b2.clone(), Some(b2), ReviewStatus::Proposed),
        ]);
        assert_eq!((t.procedures, t.simplified, t.approved), (3, 2, 1));
        assert_eq!((t.before_year_vnd, t.after_year_vnd), (120_000_000.0, 100_000_000.0));
        let t = totals(&[
            costing(sheet(10.0, 40_000, 0, 100), Some(sheet(5.0, 40_000, 0, 100)), ReviewStatus::Proposed),
            costing(sheet(10.0, 40_000, 0, 100), None, ReviewStatus::Reviewed),
        ]);
        assert_eq!((t.procedures, t.simplified), (2, 1));
        assert_eq!((t.before_year_vnd, t.after_year_vnd), (80_000_000.0, 60_000_000.0));
        assert_eq!(t.reduction_pct, Some(25.0));
        assert_eq!(t.simplified_pct, Some(50.0));
        assert_eq!(totals(&[]).reduction_pct, None);
    }

    fn costing(before: CostSheet, after: Option<CostSheet>, status: ReviewStatus) -> Costing {
        Costing {
            plan_id: uuid::Uuid::nil(),
            procedure: crate::ids::ProcedureCode::parse("1.001193").unwrap_or_else(|e| panic!("{e}")),
            name: "Thủ tục".into(),
            status,
            before,
            after,
            note: String::new(),
            decision: None,
            updated_at: chrono::DateTime::UNIX_EPOCH,
            updated_by: "motcua".into(),
        }
    }

    #[test]
    fn a_review_agrees_with_its_status() {
        let today = chrono::NaiveDate::from_ymd_opt(2024, 9, 15).unwrap_or_default();
        let after = sheet(1.0, 40_000, 0, 1);
        let decision = |d: u32| Decision {
            number: "2345/QĐ-UBND".into(),
            date: chrono::NaiveDate::from_ymd_opt(2024, 9, d).unwrap_or_default(),
        };
        let field = |r: Result<(), FieldError>| r.map_err(|e| e.field);
        assert_eq!(field(check_review(ReviewStatus::Reviewed, None, "", None, today)), Ok(()));
        assert_eq!(field(check_review(ReviewStatus::Reviewed, Some(&after), "x", None, today)), Err("status".into()));
        assert_eq!(field(check_review(ReviewStatus::Proposed, None, "x", None, today)), Err("after".into()));
        assert_eq!(field(check_review(ReviewStatus::Proposed, Some(&after), " ", None, today)), Err("note".into()));
        assert_eq!(field(check_review(ReviewStatus::Proposed, Some(&after), "Bỏ bản sao", None, today)), Ok(()));
        assert_eq!(
            field(check_review(ReviewStatus::Approved, Some(&after), "Bỏ bản sao", None, today)),
            Err("decision".into())
        );
        assert_eq!(
            field(check_review(ReviewStatus::Approved, Some(&after), "Bỏ bản sao", Some(&decision(16)), today)),
            Err("decision.date".into())
        );
        assert_eq!(
            field(check_review(ReviewStatus::Approved, Some(&after), "Bỏ bản sao", Some(&decision(10)), today)),
            Ok(())
        );
        assert_eq!(ReviewStatus::parse("approved"), Some(ReviewStatus::Approved));
        assert_eq!(ReviewStatus::parse("done"), None);
    }

    #[test]
    fn sheets_are_checked() {
        assert!(sheet(1.0, 40_000, 0, 1).check("before").is_ok());
        assert_eq!(sheet(1.0, 0, 0, 1).check("before").map_err(|e| e.field), Err("before.hourly_income_vnd".into()));
        assert_eq!(sheet(-1.0, 1, 0, 1).check("after").map_err(|e| e.field), Err("after.activities[0].hours".into()));
        assert_eq!(sheet(1.0, 1, 0, 0).check("before").map_err(|e| e.code), Err("invalid_cost_sheet"));
    }
}

/// Where the review (rà soát) of a procedure stands (Circular 02/2017/TT-VPCP: review, then a
/// simplification proposal, then the decision that approves it).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    /// Reviewed; kept as it is (no simplification proposed).
    Reviewed,
    /// A simplification is proposed (the sheet after it is entered).
    Proposed,
    /// The proposal is approved by a decision.
    Approved,
}

impl ReviewStatus {
    pub const ALL: [ReviewStatus; 3] = [ReviewStatus::Reviewed, ReviewStatus::Proposed, ReviewStatus::Approved];

    pub fn as_str(self) -> &'static str {
        match self {
            ReviewStatus::Reviewed => "reviewed",
            ReviewStatus::Proposed => "proposed",
            ReviewStatus::Approved => "approved",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            ReviewStatus::Reviewed => "Đã rà soát, giữ nguyên",
            ReviewStatus::Proposed => "Đã đề xuất phương án đơn giản hóa",
            ReviewStatus::Approved => "Phương án đã được phê duyệt",
        }
    }
}

/// The decision that approved a simplification proposal.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// Its number, e.g. `2345/QĐ-UBND`.
    pub number: String,
    pub date: chrono::NaiveDate,
}

/// A procedure's review in a plan: its costing sheet before simplification and, once a
/// simplification is proposed, after; the proposal; and the decision that approved it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Costing {
    pub plan_id: uuid::Uuid,
    pub procedure: crate::ids::ProcedureCode,
    /// The procedure's name as costed.
    pub name: String,
    pub status: ReviewStatus,
    pub before: CostSheet,
    pub after: Option<CostSheet>,
    /// The simplification proposed.
    pub note: String,
    pub decision: Option<Decision>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub updated_by: String,
}

/// Check that a review's parts agree with its status: a procedure kept as it is has no
/// "after" sheet and no decision; a proposal has its "after" sheet and says what it changes;
/// an approved one also names its decision, not dated after `today`.
pub fn check_review(
    status: ReviewStatus,
    after: Option<&CostSheet>,
    note: &str,
    decision: Option<&Decision>,
    today: chrono::NaiveDate,
) -> Result<(), FieldError> {
    let bad = |f: &str, m: &str| Err(FieldError::new("invalid_review", f, m));
    match status {
        ReviewStatus::Reviewed if after.is_some() => {
            bad("status", "Thủ tục giữ nguyên không có bảng tính sau đơn giản hóa; chọn «đã đề xuất phương án»")
        }
        ReviewStatus::Reviewed if decision.is_some() => {
            bad("decision", "Thủ tục giữ nguyên không có quyết định phê duyệt phương án")
        }
        ReviewStatus::Proposed | ReviewStatus::Approved if after.is_none() => {
            bad("after", "Phương án đơn giản hóa cần bảng tính chi phí sau đơn giản hóa")
        }
        ReviewStatus::Proposed | ReviewStatus::Approved if note.trim().is_empty() => {
            bad("note", "Nêu nội dung phương án đơn giản hóa")
        }
        ReviewStatus::Proposed if decision.is_some() => {
            bad("status", "Đã có quyết định phê duyệt: chọn «phương án đã được phê duyệt»")
        }
        ReviewStatus::Approved => match decision {
            None => bad("decision", "Nêu số và ngày quyết định phê duyệt phương án"),
            Some(d) if d.number.trim().is_empty() => bad("decision.number", "Nêu số quyết định phê duyệt"),
            Some(d) if d.date > today => bad("decision.date", "Ngày quyết định không được sau hôm nay"),
            Some(_) => Ok(()),
        },
        _ => Ok(()),
    }
}

impl Costing {
    pub fn reduction_pct(&self) -> Option<f64> {
        self.after.as_ref().and_then(|a| reduction_pct(self.before.cost_year(), a.cost_year()))
    }
}
