//! Legal-time use cases: lunar conversions, holiday calendars, office hours, due dates.
//!
//! The working calendar (holidays of 1901–2199 plus office hours) is built from the announced
//! schedules in the store, or the statutory default for a year without one, and kept in memory
//! until the store's calendar stamp moves. Every due-date answer carries that stamp, so a
//! deadline given to a citizen can be traced to the calendar it was computed with; a later
//! change of the calendar never rewrites it (dossiers store their due instants).

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use motcua_domain::calendar::deadline::{Due, Instant, Limit, Pause, WorkCalendar, WorkingTime};
use motcua_domain::calendar::holidays::{CalendarDay, YearSchedule, weekday_vi, year_calendar};
use motcua_domain::calendar::lunar::{self, LunarDate};
use motcua_domain::ids::AgencyCode;
use motcua_domain::user::Role;
use serde::{Deserialize, Serialize};

use crate::{Actor, App, AppError, AppResult};

/// The official schedules shipped with motcua (docs/RULES.md §D9.2), stored at first start.
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

/// Key of the province-wide office hours.
const PROVINCE: &str = "*";

/// The working calendars of the province and of agencies with their own office hours.
pub struct Calendars {
    pub(crate) stamp: String,
    by_agency: HashMap<String, Arc<WorkCalendar>>,
}

impl Calendars {
    pub(crate) fn of(&self, agency: Option<&AgencyCode>) -> &WorkCalendar {
        agency
            .and_then(|a| self.by_agency.get(a.as_str()))
            .or_else(|| self.by_agency.get(PROVINCE))
            .map(|c| &**c)
            .unwrap_or_else(|| unreachable!("the province calendar is always built"))
    }
}

/// A due-date question.
#[derive(Debug, Clone)]
pub struct DueQuestion {
    /// Whose office hours apply (default: the province's).
    pub agency: Option<AgencyCode>,
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

    /// The first instant of `agency`'s office hours at or after `t` (`t` when it is one).
    pub async fn next_working_time(
        &self,
        agency: Option<&motcua_domain::ids::AgencyCode>,
        t: motcua_domain::calendar::deadline::Instant,
    ) -> AppResult<motcua_domain::calendar::deadline::Instant> {
        Ok(self.calendars().await?.of(agency).next_office_time(t)?)
    }

    /// The working calendars (the province's and those of agencies with their own office
    /// hours) and the stamp of the store state they were built from.
    pub(crate) async fn calendars(&self) -> AppResult<Arc<Calendars>> {
        self.caches
            .calendar
            .get(
                self.config.catalog_refresh,
                || async { Ok(self.store.calendar_stamp().await?) },
                || async {
                    let stamp = self.store.calendar_stamp().await?;
                    let official = self.store.calendar_schedules().await?;
                    let mut times = self.store.working_times().await?;
                    if !times.iter().any(|(a, _)| a == PROVINCE) {
                        times.push((PROVINCE.to_owned(), WorkingTime::default()));
                    }
                    let mut by_agency = HashMap::new();
                    for (agency, time) in times {
                        let cal = WorkCalendar::build(YEARS, &self.config.holiday_rules, &official, time)?;
                        by_agency.insert(agency, Arc::new(cal));
                    }
                    Ok(Calendars { stamp, by_agency })
                },
            )
            .await
    }

    /// Office hours of an agency (its own, or the province's).
    pub async fn working_time(&self, agency: Option<&AgencyCode>) -> AppResult<WorkingTime> {
        Ok(self.calendars().await?.of(agency).working_time().clone())
    }

    pub async fn holidays(&self, year: i32) -> AppResult<YearView> {
        let official = self.store.calendar_schedules().await?;
        let basis = if official.iter().any(|s| s.year == year) { "official" } else { "default" };
        let days = year_calendar(year, &self.config.holiday_rules, &official)?;
        Ok(YearView { year, basis, days })
    }

    pub async fn due(&self, q: &DueQuestion) -> AppResult<DueAnswer> {
        let cals = self.calendars().await?;
        let due = cals.of(q.agency.as_ref()).due(q.received, q.limit, &q.pauses, q.explain)?;
        Ok(DueAnswer { due, calendar: cals.stamp.clone() })
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

    /// Set the office hours and counting settings of an agency, or of the province (`None`).
    /// The provincial admin sets any; a unit admin sets those of its own agency.
    pub async fn set_working_time(
        &self,
        actor: &Actor,
        agency: Option<&str>,
        time: WorkingTime,
    ) -> AppResult<WorkingTime> {
        let agency = agency.map(AgencyCode::parse).transpose()?;
        match (actor.user(), &agency) {
            (Some(u), Some(a)) if u.role == Role::UnitAdmin && u.agency.as_ref() == Some(a) => {}
            _ => actor.require_admin()?,
        }
        if let Some(a) = &agency
            && self.store.agency(a).await?.is_none()
        {
            return Err(AppError::invalid("unknown_agency", "agency", format!("Không có cơ quan mã {a}")));
        }
        time.validate()?;
        let key = agency.as_ref().map(|a| a.to_string()).unwrap_or_else(|| PROVINCE.to_owned());
        let detail = serde_json::to_value(&time).unwrap_or_default();
        let audit = actor.audit(self.now(), "working_time.set", "working_time", key.as_str(), detail);
        self.store.set_working_time(&key, &time, &audit).await?;
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
    /// Electronic identifier of the agency whose office hours apply.
    pub agency: Option<String>,
}

pub(crate) fn instant(text: &str, field: &str) -> AppResult<Instant> {
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
        let agency = self.agency.as_deref().map(AgencyCode::parse).transpose()?;
        Ok(DueQuestion { agency, received, limit, pauses, explain: self.explain })
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
