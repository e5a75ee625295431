//! The period an index is computed for: a month (`2024-03`), a quarter (`2024-Q1`) or a year
//! (`2024`), as the portal reports them; its first day and the day after its last, in Vietnam
//! time. A period that has not started is refused; one still running is computed up to now.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::FieldError;

/// A reporting period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Period {
    Month { year: i32, month: u32 },
    Quarter { year: i32, quarter: u32 },
    Year { year: i32 },
}

impl Period {
    /// Read `YYYY-MM`, `YYYY-Qn` or `YYYY`; a period starting after `today` is refused.
    pub fn parse(s: &str, today: NaiveDate) -> Result<Self, FieldError> {
        let bad = || {
            FieldError::new(
                "invalid_period",
                "period",
                format!("Kỳ «{s}» không hợp lệ (dạng 2024-03, 2024-Q1 hoặc 2024)"),
            )
        };
        let t = s.trim();
        let year = |y: &str| -> Result<i32, FieldError> {
            (y.len() == 4)
                .then(|| y.parse::<i32>().ok())
                .flatten()
                .filter(|y| (2000..=2100).contains(y))
                .ok_or_else(bad)
        };
        let p = match t.split_once('-') {
            None => Self::Year { year: year(t)? },
            Some((y, rest)) => match rest.strip_prefix(['Q', 'q']) {
                Some(q) => {
                    let quarter = q.parse::<u32>().ok().filter(|q| (1..=4).contains(q)).ok_or_else(bad)?;
                    Self::Quarter { year: year(y)?, quarter }
                }
                None => {
                    let month = (rest.len() == 2).then(|| rest.parse::<u32>().ok()).flatten();
                    Self::Month { year: year(y)?, month: month.filter(|m| (1..=12).contains(m)).ok_or_else(bad)? }
                }
            },
        };
        if p.first_day() > today {
            return Err(FieldError::new(
                "period_in_future",
                "period",
                format!("Kỳ {} chưa bắt đầu; chỉ số tính cho kỳ đã qua hoặc đang diễn ra", p.label_vi()),
            ));
        }
        Ok(p)
    }

    pub fn first_day(self) -> NaiveDate {
        let (y, m) = match self {
            Self::Month { year, month } => (year, month),
            Self::Quarter { year, quarter } => (year, quarter * 3 - 2),
            Self::Year { year } => (year, 1),
        };
        NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(NaiveDate::MIN)
    }

    /// The day after the period's last day.
    pub fn end_day(self) -> NaiveDate {
        let months = match self {
            Self::Month { .. } => 1,
            Self::Quarter { .. } => 3,
            Self::Year { .. } => 12,
        };
        self.first_day().checked_add_months(chrono::Months::new(months)).unwrap_or(NaiveDate::MAX)
    }

    /// The months of the period (`YYYY-MM`), in order: what monthly aggregates are summed over.
    pub fn months(self) -> Vec<String> {
        let mut d = self.first_day();
        let mut out = Vec::new();
        while d < self.end_day() {
            out.push(format!("{:04}-{:02}", d.year(), d.month()));
            d = d.checked_add_months(chrono::Months::new(1)).unwrap_or(NaiveDate::MAX);
        }
        out
    }

    /// The period as written in a query: `2024-03`, `2024-Q1`, `2024`.
    pub fn code(self) -> String {
        match self {
            Self::Month { year, month } => format!("{year:04}-{month:02}"),
            Self::Quarter { year, quarter } => format!("{year:04}-Q{quarter}"),
            Self::Year { year } => format!("{year:04}"),
        }
    }

    /// `tháng 3/2024`, `quý I/2024`, `năm 2024`.
    pub fn label_vi(self) -> String {
        match self {
            Self::Month { year, month } => format!("tháng {month}/{year}"),
            Self::Quarter { year, quarter } => {
                format!("quý {}/{year}", ["I", "II", "III", "IV"][(quarter - 1) as usize])
            }
            Self::Year { year } => format!("năm {year}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn months_quarters_and_years() {
        let today = d("2026-12-06");
        let m = Period::parse("2024-03", today).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (m.first_day(), m.end_day(), m.months()),
            (d("2024-03-01"), d("2024-04-01"), vec!["2024-03".to_owned()])
        );
        let q = Period::parse("2024-Q4", today).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((q.first_day(), q.end_day(), q.months().len()), (d("2024-10-01"), d("2025-01-01"), 3));
        assert_eq!(q.label_vi(), "quý IV/2024");
        let y = Period::parse("2026", today).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((y.months().len(), y.label_vi()), (12, "năm 2026".to_owned()), "a running year is computed to now");
    }

    #[test]
    fn malformed_and_future_periods_are_refused() {
        let today = d("2026-12-06");
        for bad in ["2024-13", "2024-3", "2024-Q5", "24", "2024-", "tháng 3", "1999", ""] {
            assert_eq!(Period::parse(bad, today).map_err(|e| e.code), Err("invalid_period"), "{bad}");
        }
        assert_eq!(Period::parse("2027-01", today).map_err(|e| e.code), Err("period_in_future"));
        assert!(Period::parse("2026-12", today).is_ok(), "the current month");
        for code in ["2024-03", "2024-Q1", "2024"] {
            assert_eq!(Period::parse(code, today).map(Period::code), Ok(code.to_owned()));
        }
    }
}
