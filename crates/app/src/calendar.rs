//! Legal-time use cases: lunar conversions, holiday calendars, office hours, due dates.
//!
//! The working calendar (holidays of 1901–2199 plus office hours) is built from the announced
//! schedules in the store, or the statutory default for a year without one, and kept in memory
//! until the store's calendar stamp moves. Every due-date answer carries that stamp, so a
//! deadline given to a citizen can be traced to the calendar it was computed with; a later
//! change of the calendar never rewrites it (dossiers store their due instants).

use std::sync::Arc;

use chrono::NaiveDate;
use motcua_domain::calendar::deadline::{Due, Instant, Limit, Pause, WorkCalendar, WorkingTime};
use motcua_domain::calendar::holidays::{CalendarDay, YearSchedule, weekday_vi, year_calendar};
use motcua_domain::calendar::lunar::{self, LunarDate};
use motcua_storage::CalendarRepo;
use serde::{Deserialize, Serialize};

use crate::{Actor, App, AppError, AppResult};

/// The official schedules shipped with motcua (domain.md §9.2), stored at first start.
pub const OFFICIAL_JSON: &str = include_str!("../../../calendars/vn-official.json");

const YEARS: std::ops::RangeInclusive<i32> = 1901..=2199;

#[derive(Deserialize)]
struct Shipped {
    schedules: Vec<YearSchedule>,
}

pub fn shipped_schedules() -> AppResult<Vec<YearSchedule>> {
    let s: Shipped =
        serde_json::from_str(OFFICIAL_JSON).map_err(|e| AppError::Internal(format!("shipped calendars: {e}")))?;
    Ok(s.schedules)
}

/// A lunar date with its names and the solar day it falls on.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct LunarInfo {
    pub year: i32,
    pub month: u8,
    pub day: u8,
    pub leap: bool,
    /// Can chi of the lunar year, month and day.
    pub year_name: String,
    pub month_name: String,
    pub day_name: String,
    /// Length of the lunar month (29 or 30).
    pub month_length: u8,
    pub solar: NaiveDate,
    pub weekday: &'static str,
}

fn info(solar: NaiveDate, l: LunarDate) -> LunarInfo {
    LunarInfo {
        year: l.year,
        month: l.month,
        day: l.day,
        leap: l.leap,
        year_name: lunar::year_name(l.year),
        month_name: lunar::month_name(l.year, l.month),
        day_name: lunar::day_name(solar),
        month_length: lunar::month_length(l.year, l.month, l.leap).unwrap_or(0),
        solar,
        weekday: weekday_vi(solar),
    }
}

/// Solar → lunar.
pub fn lunar_of(date: NaiveDate) -> AppResult<LunarInfo> {
    Ok(info(date, lunar::to_lunar(date)?))
}

/// A solar date found from a lunar one.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct SolarInfo {
    pub date: NaiveDate,
    pub weekday: &'static str,
    pub lunar: LunarInfo,
}

/// Lunar → solar; `text` is `YYYY-MM-DD` of the lunar calendar.
pub fn solar_of(text: &str, leap: bool) -> AppResult<SolarInfo> {
    let parts: Vec<&str> = text.trim().split('-').collect();
    let bad =
        || AppError::invalid("invalid_lunar_date", "lunar", format!("Ngày âm lịch «{text}» phải có dạng YYYY-MM-DD"));
    let [y, m, d] = parts.as_slice() else { return Err(bad()) };
    let l = LunarDate {
        year: y.parse().map_err(|_| bad())?,
        month: m.parse().map_err(|_| bad())?,
        day: d.parse().map_err(|_| bad())?,
        leap,
    };
    let date = lunar::to_solar(l)?;
    Ok(SolarInfo { date, weekday: weekday_vi(date), lunar: info(date, l) })
}

/// The calendar of one year.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct YearView {
    pub year: i32,
    /// `official` when an announced schedule is stored for the year, else `default`.
    pub basis: &'static str,
    pub days: Vec<CalendarDay>,
}

/// A due-date question.
#[derive(Debug, Clone)]
pub struct DueQuestion {
    pub received: Instant,
    pub limit: Limit,
    pub pauses: Vec<Pause>,
    pub explain: bool,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct DueAnswer {
    #[serde(flatten)]
    pub due: Due,
    /// The calendar the answer was computed with.
    pub calendar: String,
}

impl App {
    /// Store the shipped official schedules when the store has none yet (first start).
    pub async fn seed_calendars(&self) -> AppResult<u32> {
        let audit = Actor::System.audit(self.now(), "calendar.seed", "calendar", "2024-2026", serde_json::json!({}));
        Ok(self.store.seed_calendar_years(&shipped_schedules()?, &audit).await?)
    }

    /// The working calendar and the stamp of the store state it was built from.
    async fn work_calendar_with_stamp(&self) -> AppResult<Arc<(WorkCalendar, String)>> {
        self.caches
            .calendar
            .get(
                self.config.catalog_refresh,
                || async { Ok(self.store.calendar_stamp().await?) },
                || async {
                    let stamp = self.store.calendar_stamp().await?;
                    let official = self.store.calendar_schedules().await?;
                    let time = self.store.working_time("*").await?.unwrap_or_default();
                    Ok((WorkCalendar::build(YEARS, &self.config.holiday_rules, &official, time)?, stamp))
                },
            )
            .await
    }

    pub async fn working_time(&self) -> AppResult<WorkingTime> {
        Ok(self.work_calendar_with_stamp().await?.0.working_time().clone())
    }

    pub async fn holidays(&self, year: i32) -> AppResult<YearView> {
        let official = self.store.calendar_schedules().await?;
        let basis = if official.iter().any(|s| s.year == year) { "official" } else { "default" };
        let days = year_calendar(year, &self.config.holiday_rules, &official)?;
        Ok(YearView { year, basis, days })
    }

    pub async fn due(&self, q: &DueQuestion) -> AppResult<DueAnswer> {
        let state = self.work_calendar_with_stamp().await?;
        let (cal, stamp) = &*state;
        let due = cal.due(q.received, q.limit, &q.pauses, q.explain)?;
        Ok(DueAnswer { due, calendar: stamp.clone() })
    }

    /// Replace the announced schedule of a year (provincial admin).
    pub async fn put_calendar_year(&self, actor: &Actor, schedule: YearSchedule) -> AppResult<YearView> {
        actor.require_admin()?;
        schedule.validate()?;
        let audit = actor.audit(
            self.now(),
            "calendar.put",
            "calendar",
            schedule.year.to_string(),
            serde_json::json!({ "days": schedule.days.len() }),
        );
        self.store.put_calendar_year(&schedule, &audit).await?;
        self.caches.calendar.clear().await;
        self.holidays(schedule.year).await
    }

    /// Drop a year's announced schedule: the statutory default applies again.
    pub async fn delete_calendar_year(&self, actor: &Actor, year: i32) -> AppResult<YearView> {
        actor.require_admin()?;
        let audit = actor.audit(self.now(), "calendar.delete", "calendar", year.to_string(), serde_json::json!({}));
        if !self.store.delete_calendar_year(year, &audit).await? {
            return Err(AppError::NotFound(format!("lịch nghỉ đã công bố của năm {year}")));
        }
        self.caches.calendar.clear().await;
        self.holidays(year).await
    }

    /// Set the province's office hours and counting settings.
    pub async fn set_working_time(&self, actor: &Actor, time: WorkingTime) -> AppResult<WorkingTime> {
        actor.require_admin()?;
        time.validate()?;
        let audit = actor.audit(
            self.now(),
            "working_time.set",
            "working_time",
            "*",
            serde_json::to_value(&time).unwrap_or_default(),
        );
        self.store.set_working_time("*", &time, &audit).await?;
        self.caches.calendar.clear().await;
        Ok(time)
    }
}

/// A due-date question as the CLI and the API receive it (text), checked the same way for both.
#[derive(Debug, Clone, Default)]
pub struct DueInput {
    pub from: String,
    pub working_days: Option<i64>,
    pub working_hours: Option<i64>,
    pub days: Option<i64>,
    /// `FROM/TO`, both RFC 3339.
    pub pauses: Vec<String>,
    pub explain: bool,
}

fn instant(text: &str, field: &str) -> AppResult<Instant> {
    chrono::DateTime::parse_from_rfc3339(text.trim()).map_err(|_| {
        AppError::invalid(
            "invalid_instant",
            field,
            format!("«{text}» không phải thời điểm RFC 3339 (ví dụ 2025-01-24T10:00:00+07:00)"),
        )
    })
}

impl DueInput {
    pub fn parse(&self) -> AppResult<DueQuestion> {
        let received = instant(&self.from, "from")?;
        let given: Vec<(&str, i64)> =
            [("working_days", self.working_days), ("working_hours", self.working_hours), ("days", self.days)]
                .into_iter()
                .filter_map(|(k, v)| v.map(|v| (k, v)))
                .collect();
        let [(field, value)] = given.as_slice() else {
            return Err(AppError::invalid(
                "invalid_limit",
                "limit",
                "Cần đúng một thời hạn: số ngày làm việc, số giờ làm việc hoặc số ngày",
            ));
        };
        let n = u32::try_from(*value)
            .ok()
            .filter(|n| *n <= 3650)
            .ok_or_else(|| AppError::invalid("invalid_limit", *field, "Thời hạn phải là số nguyên từ 0 đến 3650"))?;
        let limit = match *field {
            "working_days" => Limit::WorkingDays(n),
            "working_hours" => Limit::WorkingHours(n),
            _ => Limit::Days(n),
        };
        let pauses = self
            .pauses
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let field = format!("pause[{i}]");
                let (a, b) = p.split_once('/').ok_or_else(|| {
                    AppError::invalid("invalid_pause", field.clone(), "Khoảng tạm dừng có dạng TỪ/ĐẾN (RFC 3339)")
                })?;
                Ok(Pause { from: instant(a, &field)?, to: instant(b, &field)? })
            })
            .collect::<AppResult<Vec<_>>>()?;
        Ok(DueQuestion { received, limit, pauses, explain: self.explain })
    }
}

/// Parse `YYYY-MM-DD` as a solar date with a field-named error.
pub fn parse_date(text: &str, field: &str) -> AppResult<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        AppError::invalid("invalid_date", field, format!("Ngày «{text}» không tồn tại hoặc không có dạng YYYY-MM-DD"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_input_is_checked() {
        let ok = DueInput { from: "2025-01-24T10:00:00+07:00".into(), working_days: Some(3), ..DueInput::default() };
        assert_eq!(ok.parse().unwrap().limit, Limit::WorkingDays(3));
        let neg = DueInput { working_days: Some(-3), ..ok.clone() };
        assert!(matches!(neg.parse(), Err(AppError::Invalid(f)) if f.field == "working_days"));
        let two = DueInput { days: Some(3), ..ok.clone() };
        assert!(matches!(two.parse(), Err(AppError::Invalid(f)) if f.code == "invalid_limit"));
        let bad = DueInput { from: "24/01/2025".into(), ..ok.clone() };
        assert!(matches!(bad.parse(), Err(AppError::Invalid(f)) if f.field == "from"));
        let pause = DueInput { pauses: vec!["2025-01-24T10:00:00+07:00".into()], ..ok };
        assert!(matches!(pause.parse(), Err(AppError::Invalid(f)) if f.field == "pause[0]"));
        assert!(parse_date("2025-02-30", "date").is_err());
        assert!(matches!(solar_of("2025-12-30", false), Err(AppError::Invalid(_))));
        assert!(matches!(solar_of("2025-12", false), Err(AppError::Invalid(_))));
    }
}
