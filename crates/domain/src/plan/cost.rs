//! Compliance cost of a procedure (Circular 02/2017/TT-VPCP costing form, domain.md §8 and
//! rules-2025.md §8): the applicant's hours per activity at an hourly income, plus fees,
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
/// Σ baseline (domain.md §8); a procedure without an "after" sheet saves nothing.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CostTotals {
    pub procedures: usize,
    pub simplified: usize,
    pub before_year_vnd: f64,
    pub after_year_vnd: f64,
    pub reduction_pct: Option<f64>,
    /// Share of the procedures with a simplification (after sheet), in percent.
    pub simplified_pct: Option<f64>,
}

pub fn totals<'a>(sheets: impl IntoIterator<Item = (&'a CostSheet, Option<&'a CostSheet>)>) -> CostTotals {
    let mut t = CostTotals {
        procedures: 0,
        simplified: 0,
        before_year_vnd: 0.0,
        after_year_vnd: 0.0,
        reduction_pct: None,
        simplified_pct: None,
    };
    for (before, after) in sheets {
        t.procedures += 1;
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
        // rules-2025.md §8: 10 → 9 working days of 8 h at 40,000 VND/h, 10 dossiers a year:
        // 32,000,000 → 28,800,000 VND a year, 10 %.
        let before = sheet(80.0, 40_000, 0, 10);
        let after = sheet(72.0, 40_000, 0, 10);
        assert_eq!((before.cost_year(), after.cost_year()), (32_000_000.0, 28_800_000.0));
        let r = reduction_pct(before.cost_year(), after.cost_year()).unwrap_or_default();
        assert!((r - 10.0).abs() < 1e-9);
    }

    #[test]
    fn ha_noi_per_dossier_example() {
        // domain.md §8: 1,024,000 → 231,000 VND per dossier = 77.44 %.
        let r = reduction_pct(1_024_000.0, 231_000.0).unwrap_or_default();
        assert!((r - 77.44).abs() < 0.01, "{r}");
    }

    #[test]
    fn totals_weigh_by_cost_and_count_unsimplified_as_unchanged() {
        let (b1, a1) = (sheet(10.0, 40_000, 0, 100), sheet(5.0, 40_000, 0, 100)); // 40m → 20m
        let b2 = sheet(10.0, 40_000, 0, 100); // 40m, not simplified
        let t = totals([(&b1, Some(&a1)), (&b2, None)]);
        assert_eq!((t.procedures, t.simplified), (2, 1));
        assert_eq!((t.before_year_vnd, t.after_year_vnd), (80_000_000.0, 60_000_000.0));
        assert_eq!(t.reduction_pct, Some(25.0));
        assert_eq!(t.simplified_pct, Some(50.0));
        assert_eq!(totals([]).reduction_pct, None);
    }

    #[test]
    fn sheets_are_checked() {
        assert!(sheet(1.0, 40_000, 0, 1).check("before").is_ok());
        assert_eq!(sheet(1.0, 0, 0, 1).check("before").map_err(|e| e.field), Err("before.hourly_income_vnd".into()));
        assert_eq!(sheet(-1.0, 1, 0, 1).check("after").map_err(|e| e.field), Err("after.activities[0].hours".into()));
        assert_eq!(sheet(1.0, 1, 0, 0).check("before").map_err(|e| e.code), Err("invalid_cost_sheet"));
    }
}

/// A procedure's costing in a plan: the sheet before simplification and, once proposed, after.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Costing {
    pub plan_id: uuid::Uuid,
    pub procedure: crate::ids::ProcedureCode,
    /// The procedure's name as costed.
    pub name: String,
    pub before: CostSheet,
    pub after: Option<CostSheet>,
    /// The simplification proposed.
    pub note: String,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub updated_by: String,
}

impl Costing {
    pub fn reduction_pct(&self) -> Option<f64> {
        self.after.as_ref().and_then(|a| reduction_pct(self.before.cost_year(), a.cost_year()))
    }
}
