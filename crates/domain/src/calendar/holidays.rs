//! Holiday calendars: the statutory default of any year (Labour Code 2019 Art. 112 and 111(3)),
//! replaced by the officially announced schedule of a year when there is one.
//!
//! Which days the Government actually gives (the Tết days, the day next to 2/9, swaps and make-up
//! Saturdays) is announced each year, so the statutory rules below only produce a default; the
//! choices the law leaves open are [`HolidayRules`] settings, never constants.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use super::lunar::{self, LunarDate};
use crate::FieldError;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// A public holiday (ngày lễ, Tết).
    Holiday,
    /// A day off given because a holiday fell on a weekly rest day (nghỉ bù).
    Compensatory,
    /// A working day swapped into a day off (hoán đổi ngày làm việc).
    Swap,
    /// A Saturday (or Sunday) worked to make up for a swap (làm bù).
    Makeup,
}

impl DayKind {
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Holiday => "Ngày lễ, Tết",
            Self::Compensatory => "Nghỉ bù",
            Self::Swap => "Nghỉ hoán đổi",
            Self::Makeup => "Làm bù",
        }
    }
    /// Whether the day is a day off (everything but a make-up working day).
    pub fn is_off(self) -> bool {
        self != Self::Makeup
    }
}

/// One special day of a calendar.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarDay {
    pub date: NaiveDate,
    pub kind: DayKind,
    pub name: String,
    /// The decision or notice that set the day (`None` for the statutory default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// The officially announced schedule of one year: it replaces the statutory default.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearSchedule {
    pub year: i32,
    pub days: Vec<CalendarDay>,
}

impl YearSchedule {
    pub fn validate(&self) -> Result<(), FieldError> {
        if !(lunar::FIRST_YEAR..=lunar::LAST_YEAR).contains(&self.year) {
            return Err(FieldError::new("date_out_of_range", "year", "Năm ngoài phạm vi 1900–2199"));
        }
        let mut seen = std::collections::BTreeSet::new();
        for (i, d) in self.days.iter().enumerate() {
            if d.date.year() != self.year {
                return Err(FieldError::new(
                    "invalid_date",
                    format!("days[{i}].date"),
                    format!("Ngày {} không thuộc năm {}", d.date.format("%d/%m/%Y"), self.year),
                ));
            }
            if !seen.insert(d.date) {
                return Err(FieldError::new(
                    "duplicate_day",
                    format!("days[{i}].date"),
                    "Một ngày chỉ khai báo một lần",
                ));
            }
            if d.name.trim().is_empty() {
                return Err(FieldError::new("required", format!("days[{i}].name"), "Cần tên ngày nghỉ"));
            }
            let weekend = matches!(d.date.weekday(), Weekday::Sat | Weekday::Sun);
            if d.kind == DayKind::Makeup && !weekend {
                return Err(FieldError::new(
                    "invalid_makeup_day",
                    format!("days[{i}].kind"),
                    "Ngày làm bù phải là ngày nghỉ hằng tuần (thứ Bảy, Chủ nhật)",
                ));
            }
        }
        Ok(())
    }
}

/// Which day next to 2/9 is the second National Day holiday when no notice says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdjacentDay {
    Before,
    After,
}

/// The choices the Labour Code leaves open, as settings ([U] in docs/RULES.md §D9.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayRules {
    /// Tết days before lunar New Year's day (1 = the last day of the lunar year).
    pub tet_days_before: u8,
    /// Tết days from lunar New Year's day on (4 = mùng 1 to mùng 4).
    pub tet_days_from_new_year: u8,
    pub national_day_adjacent: AdjacentDay,
    /// First year of Vietnam Culture Day (24/11) as a public holiday.
    pub culture_day_from: Option<i32>,
}

impl Default for HolidayRules {
    fn default() -> Self {
        Self {
            tet_days_before: 1,
            tet_days_from_new_year: 4,
            national_day_adjacent: AdjacentDay::After,
            culture_day_from: Some(2026),
        }
    }
}

fn weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

fn ymd(y: i32, m: u32, d: u32) -> Result<NaiveDate, FieldError> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| FieldError::new("invalid_date", "year", "Ngày không tồn tại"))
}

/// The statutory default calendar of `year`: holidays, and a compensatory day on the next
/// working day for each holiday that falls on a Saturday or Sunday (Art. 111(3)).
pub fn default_calendar(year: i32, rules: &HolidayRules) -> Result<Vec<CalendarDay>, FieldError> {
    if !(lunar::FIRST_YEAR + 1..=lunar::LAST_YEAR).contains(&year) {
        return Err(FieldError::new("date_out_of_range", "year", "Năm ngoài phạm vi 1901–2199"));
    }
    let mut holidays: Vec<(NaiveDate, String)> = vec![(ymd(year, 1, 1)?, "Tết Dương lịch".into())];
    let tet = lunar::to_solar(LunarDate { year, month: 1, day: 1, leap: false })?;
    for i in 1..=i64::from(rules.tet_days_before) {
        holidays.push((tet - chrono::Duration::days(i), "Tết Nguyên đán".into()));
    }
    for i in 0..i64::from(rules.tet_days_from_new_year) {
        holidays.push((tet + chrono::Duration::days(i), "Tết Nguyên đán".into()));
    }
    // Hùng Kings' day: 10th of the (regular, never leap) 3rd lunar month.
    holidays.push((lunar::to_solar(LunarDate { year, month: 3, day: 10, leap: false })?, "Giỗ Tổ Hùng Vương".into()));
    holidays.push((ymd(year, 4, 30)?, "Ngày Chiến thắng (30/4)".into()));
    holidays.push((ymd(year, 5, 1)?, "Ngày Quốc tế Lao động (1/5)".into()));
    holidays.push((ymd(year, 9, 2)?, "Quốc khánh (2/9)".into()));
    let adjacent = match rules.national_day_adjacent {
        AdjacentDay::Before => ymd(year, 9, 1)?,
        AdjacentDay::After => ymd(year, 9, 3)?,
    };
    holidays.push((adjacent, "Quốc khánh (ngày liền kề)".into()));
    if rules.culture_day_from.is_some_and(|from| year >= from) {
        holidays.push((ymd(year, 11, 24)?, "Ngày Văn hóa Việt Nam (24/11)".into()));
    }
    holidays.sort_by_key(|(d, _)| *d);
    // Tết may start in the previous solar year; keep only this year's days.
    holidays.retain(|(d, _)| d.year() == year);

    let mut days: Vec<CalendarDay> = holidays
        .iter()
        .map(|(date, name)| CalendarDay { date: *date, kind: DayKind::Holiday, name: name.clone(), source: None })
        .collect();
    for (date, name) in holidays.iter().filter(|(d, _)| weekend(*d)) {
        let mut c = *date;
        loop {
            c = c.succ_opt().ok_or_else(|| FieldError::new("date_out_of_range", "year", "Ngoài phạm vi"))?;
            if !weekend(c) && !days.iter().any(|d| d.date == c) {
                break;
            }
        }
        days.push(CalendarDay {
            date: c,
            kind: DayKind::Compensatory,
            name: format!("Nghỉ bù {name} (rơi vào {})", weekday_vi(*date)),
            source: None,
        });
    }
    days.sort_by_key(|d| d.date);
    days.retain(|d| d.date.year() == year);
    Ok(days)
}

pub fn weekday_vi(d: NaiveDate) -> &'static str {
    match d.weekday() {
        Weekday::Mon => "thứ Hai",
        Weekday::Tue => "thứ Ba",
        Weekday::Wed => "thứ Tư",
        Weekday::Thu => "thứ Năm",
        Weekday::Fri => "thứ Sáu",
        Weekday::Sat => "thứ Bảy",
        Weekday::Sun => "Chủ nhật",
    }
}

/// The calendar of a year: the official schedule when there is one, else the statutory default.
pub fn year_calendar(
    year: i32,
    rules: &HolidayRules,
    official: &[YearSchedule],
) -> Result<Vec<CalendarDay>, FieldError> {
    match official.iter().find(|s| s.year == year) {
        Some(s) => {
            let mut days = s.days.clone();
            days.sort_by_key(|d| d.date);
            Ok(days)
        }
        None => default_calendar(year, rules),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn dates(days: &[CalendarDay], kind: DayKind) -> Vec<String> {
        days.iter().filter(|x| x.kind == kind).map(|x| x.date.format("%m-%d").to_string()).collect()
    }

    #[test]
    fn default_2027_follows_the_labour_code() {
        let days = default_calendar(2027, &HolidayRules::default()).unwrap();
        // Tết Sat 6/2: eve Fri 5/2 and mùng 1–4 (Sat–Tue); Sat and Sun compensated on Wed, Thu.
        assert_eq!(
            dates(&days, DayKind::Holiday),
            vec![
                "01-01", "02-05", "02-06", "02-07", "02-08", "02-09", "04-16", "04-30", "05-01", "09-02", "09-03",
                "11-24"
            ]
        );
        assert_eq!(dates(&days, DayKind::Compensatory), vec!["02-10", "02-11", "05-03"]);
    }

    #[test]
    fn hung_kings_day_on_sunday_2026_is_compensated_monday() {
        let days = default_calendar(2026, &HolidayRules::default()).unwrap();
        assert!(days.iter().any(|x| x.date == d("2026-04-26") && x.kind == DayKind::Holiday));
        assert!(days.iter().any(|x| x.date == d("2026-04-27") && x.kind == DayKind::Compensatory));
        assert!(days.iter().any(|x| x.date == d("2026-11-24")), "Vietnam Culture Day from 2026");
        let before = default_calendar(2025, &HolidayRules::default()).unwrap();
        assert!(!before.iter().any(|x| x.date == d("2025-11-24")));
    }

    #[test]
    fn rules_are_settings() {
        let rules = HolidayRules {
            national_day_adjacent: AdjacentDay::Before,
            culture_day_from: None,
            ..HolidayRules::default()
        };
        let days = default_calendar(2030, &rules).unwrap();
        assert!(days.iter().any(|x| x.date == d("2030-09-01")));
        assert!(!days.iter().any(|x| x.date == d("2030-11-24")));
    }

    #[test]
    fn a_schedule_is_checked() {
        let mut s = YearSchedule {
            year: 2024,
            days: vec![CalendarDay {
                date: d("2024-05-04"),
                kind: DayKind::Makeup,
                name: "Làm bù".into(),
                source: None,
            }],
        };
        assert!(s.validate().is_ok());
        s.days
            .push(CalendarDay { date: d("2024-05-06"), kind: DayKind::Makeup, name: "Làm bù".into(), source: None });
        assert_eq!(s.validate().unwrap_err().code, "invalid_makeup_day");
        s.days.pop();
        s.days.push(CalendarDay { date: d("2025-01-01"), kind: DayKind::Holiday, name: "x".into(), source: None });
        assert_eq!(s.validate().unwrap_err().field, "days[1].date");
        assert_eq!(default_calendar(2200, &HolidayRules::default()).unwrap_err().code, "date_out_of_range");
    }
}
