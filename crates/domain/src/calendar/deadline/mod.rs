//! Deadline arithmetic in working time, that explains itself.
//!
//! A [`WorkCalendar`] is built once from the holiday calendars of a range of years and the
//! office hours; it precomputes, per day, whether it is a working day and how many working days
//! come before it, so that adding N working days is a lookup, not a walk (issue 3, item 6).
//!
//! Conventions (docs/RULES.md §D1.10, each a setting of [`WorkingTime`] where the rule is [U]):
//! * a dossier received on a working day before the cut-off (15:00) counts from that day; later,
//!   or on a day off, from the next working day (the *counting day*);
//! * N working days: due at the end of office hours of the N-th working day after the counting
//!   day (0 = the counting day itself);
//! * N working hours: counted in office hours from the receipt (or from the start of the next
//!   working day after the cut-off);
//! * N calendar days: the counting day plus N days; a last day that is a day off moves to the
//!   next working day (Civil Code 2015 Art. 148 [R]);
//! * a pause (a supplement requested, then provided) pushes the due instant by the office time
//!   it covered;
//! * make-up Saturdays are working days; ordinary Saturdays are not, unless configured.

use std::ops::RangeInclusive;

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

use super::holidays::{CalendarDay, HolidayRules, YearSchedule, weekday_vi, year_calendar};
use crate::FieldError;

pub type Instant = DateTime<FixedOffset>;

/// Office hours and counting settings of an agency.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkingTime {
    /// Office sessions of a working day, in order (default 07:30–11:30 and 13:30–17:30), as
    /// `["HH:MM:SS", "HH:MM:SS"]` pairs.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Vec<String>>))]
    pub sessions: Vec<(NaiveTime, NaiveTime)>,
    /// Dossiers received at or after this time count from the next working day.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "15:00:00"))]
    pub cutoff: NaiveTime,
    /// Whether ordinary Saturdays (desks open on Saturday mornings) count as working days.
    pub saturdays_count: bool,
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN)
}

impl Default for WorkingTime {
    fn default() -> Self {
        Self {
            sessions: vec![(hm(7, 30), hm(11, 30)), (hm(13, 30), hm(17, 30))],
            cutoff: hm(15, 0),
            saturdays_count: false,
        }
    }
}

impl WorkingTime {
    pub fn validate(&self) -> Result<(), FieldError> {
        if self.sessions.is_empty() {
            return Err(FieldError::new("required", "sessions", "Cần ít nhất một buổi làm việc"));
        }
        let mut last = NaiveTime::MIN;
        for (i, (a, b)) in self.sessions.iter().enumerate() {
            if a >= b || (i > 0 && *a < last) {
                return Err(FieldError::new(
                    "invalid_session",
                    format!("sessions[{i}]"),
                    "Các buổi làm việc phải theo thứ tự và không chồng lấn",
                ));
            }
            last = *b;
        }
        Ok(())
    }

    fn day_minutes(&self) -> u32 {
        self.sessions.iter().map(|(a, b)| ((*b - *a).num_minutes()) as u32).sum()
    }

    /// Office minutes of a working day before time `t`.
    fn minutes_before(&self, t: NaiveTime) -> u32 {
        self.sessions
            .iter()
            .map(|(a, b)| {
                if t <= *a {
                    0
                } else if t >= *b {
                    (*b - *a).num_minutes() as u32
                } else {
                    (t - *a).num_minutes() as u32
                }
            })
            .sum()
    }

    /// The time of day at which `m` office minutes (1..=day) have passed.
    fn time_after(&self, mut m: u32) -> NaiveTime {
        for (a, b) in &self.sessions {
            let len = (*b - *a).num_minutes() as u32;
            if m <= len {
                return *a + Duration::minutes(i64::from(m));
            }
            m -= len;
        }
        self.end_of_day()
    }

    fn end_of_day(&self) -> NaiveTime {
        self.sessions.last().map(|s| s.1).unwrap_or(NaiveTime::MIN)
    }
}

/// The kind of time limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "unit", content = "value")]
pub enum Limit {
    WorkingDays(u32),
    WorkingHours(u32),
    Days(u32),
}

impl Limit {
    /// `5 ngày làm việc`, `4 giờ làm việc`, `15 ngày`.
    pub fn label_vi(self) -> String {
        match self {
            Self::WorkingDays(n) => format!("{n} ngày làm việc"),
            Self::WorkingHours(n) => format!("{n} giờ làm việc"),
            Self::Days(n) => format!("{n} ngày"),
        }
    }
}

/// A suspension of the clock (a supplement requested, then provided).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pause {
    pub from: Instant,
    pub to: Instant,
}

/// One line of an explanation.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// `receipt`, `skipped`, `counted`, `pause`, `moved`, `due`.
    pub kind: &'static str,
    pub text: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Due {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub due: Instant,
    /// The day counting starts from.
    pub counting_day: NaiveDate,
    /// Filled when an explanation was asked for.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub explanation: Vec<Step>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Working,
    Weekend,
    /// Index into `specials`.
    Off(u32),
    Makeup(u32),
}

/// Working days and hours over a range of years.
#[derive(Debug, Clone)]
pub struct WorkCalendar {
    first: NaiveDate,
    status: Vec<Status>,
    /// Working days strictly before each day (one more entry than days).
    before: Vec<u32>,
    /// Day offsets of the working days.
    working: Vec<u32>,
    specials: Vec<CalendarDay>,
    time: WorkingTime,
    day_minutes: u32,
    offset: FixedOffset,
}

/// An instant as pages, letters and notices write it, in Vietnam time: `17:30 ngày 29/01/2027`.
pub fn at_vi(t: Instant) -> String {
    t.with_timezone(&vn_offset()).format("%H:%M ngày %d/%m/%Y").to_string()
}

pub fn vn_offset() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).unwrap_or_else(|| FixedOffset::east_opt(0).unwrap_or_else(|| unreachable!()))
}

/// The first instant of `day` in Vietnam (periods and day counts begin there).
pub fn day_start(day: NaiveDate) -> Option<Instant> {
    day.and_hms_opt(0, 0, 0).and_then(|t| t.and_local_timezone(vn_offset()).single())
}

fn out_of_range(field: &str) -> FieldError {
    FieldError::new("date_out_of_range", field, "Ngày nằm ngoài lịch làm việc đã lập")
}

fn vn_date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

impl WorkCalendar {
    /// Build the calendar of `years` from the official schedules (when a year has one) or the
    /// statutory default.
    pub fn build(
        years: RangeInclusive<i32>,
        rules: &HolidayRules,
        official: &[YearSchedule],
        time: WorkingTime,
    ) -> Result<Self, FieldError> {
        time.validate()?;
        let first = NaiveDate::from_ymd_opt(*years.start(), 1, 1).ok_or_else(|| out_of_range("year"))?;
        let end = NaiveDate::from_ymd_opt(*years.end(), 12, 31).ok_or_else(|| out_of_range("year"))?;
        let n = (end - first).num_days() as usize + 1;
        let mut status = Vec::with_capacity(n);
        let mut specials = Vec::new();
        for y in years {
            for day in year_calendar(y, rules, official)? {
                specials.push(day);
            }
        }
        specials.sort_by_key(|d| d.date);
        let mut si = 0;
        let mut d = first;
        for _ in 0..n {
            while si < specials.len() && specials[si].date < d {
                si += 1;
            }
            let s = if si < specials.len() && specials[si].date == d {
                if specials[si].kind.is_off() { Status::Off(si as u32) } else { Status::Makeup(si as u32) }
            } else {
                match d.weekday() {
                    Weekday::Sun => Status::Weekend,
                    Weekday::Sat if !time.saturdays_count => Status::Weekend,
                    _ => Status::Working,
                }
            };
            status.push(s);
            d = d.succ_opt().unwrap_or(d);
        }
        let mut before = Vec::with_capacity(n + 1);
        let mut working = Vec::new();
        let mut count = 0u32;
        for (i, s) in status.iter().enumerate() {
            before.push(count);
            if matches!(s, Status::Working | Status::Makeup(_)) {
                working.push(i as u32);
                count += 1;
            }
        }
        before.push(count);
        let day_minutes = time.day_minutes();
        Ok(Self { first, status, before, working, specials, time, day_minutes, offset: vn_offset() })
    }

    pub fn working_time(&self) -> &WorkingTime {
        &self.time
    }

    pub fn specials(&self) -> &[CalendarDay] {
        &self.specials
    }

    fn index(&self, d: NaiveDate) -> Result<usize, FieldError> {
        let i = (d - self.first).num_days();
        if i < 0 || i as usize >= self.status.len() { Err(out_of_range("date")) } else { Ok(i as usize) }
    }

    fn date_at(&self, i: usize) -> NaiveDate {
        self.first + Duration::days(i as i64)
    }

    pub fn is_working(&self, d: NaiveDate) -> Result<bool, FieldError> {
        Ok(matches!(self.status[self.index(d)?], Status::Working | Status::Makeup(_)))
    }

    /// Why a day is not (or, for make-up days, is) a working day.
    pub fn reason(&self, d: NaiveDate) -> Result<Option<String>, FieldError> {
        Ok(match self.status[self.index(d)?] {
            Status::Working => None,
            Status::Weekend => {
                Some(if d.weekday() == Weekday::Sun { "Chủ nhật".into() } else { "thứ Bảy".into() })
            }
            Status::Off(s) | Status::Makeup(s) => {
                let day = &self.specials[s as usize];
                let kind = day.kind.label_vi();
                Some(match &day.source {
                    Some(src) => format!("{kind}: {} ({src})", day.name),
                    None => format!("{kind}: {} (mặc định theo Bộ luật Lao động)", day.name),
                })
            }
        })
    }

    /// The k-th working day after day index `i` (k ≥ 1); for k = 0, `i` itself (a working day).
    fn working_after(&self, i: usize, k: u32) -> Result<usize, FieldError> {
        // `before[i + 1]` working days lie in [0, i], so the first one after `i` is at that
        // position of `working`; for k = 0 the last one up to `i` is `i` itself.
        let up_to_i = self.before[i + 1] as usize;
        let pos = if k == 0 { up_to_i.checked_sub(1) } else { Some(up_to_i + k as usize - 1) };
        pos.and_then(|p| self.working.get(p)).map(|&o| o as usize).ok_or_else(|| out_of_range("limit"))
    }

    fn to_local(&self, t: Instant) -> Instant {
        t.with_timezone(&self.offset)
    }

    fn at(&self, d: NaiveDate, t: NaiveTime) -> Result<Instant, FieldError> {
        d.and_time(t).and_local_timezone(self.offset).single().ok_or_else(|| out_of_range("date"))
    }

    /// The counting day of a receipt, and why.
    fn counting_day(&self, received: Instant, explain: Option<&mut Vec<Step>>) -> Result<usize, FieldError> {
        let local = self.to_local(received);
        let i = self.index(local.date_naive())?;
        let working = matches!(self.status[i], Status::Working | Status::Makeup(_));
        let before_cutoff = local.time() < self.time.cutoff;
        let c = if working && before_cutoff { i } else { self.working_after(i, 1)? };
        if let Some(ex) = explain {
            let d = local.date_naive();
            let why = if !working {
                format!(
                    "không phải ngày làm việc ({}) — hồ sơ tiếp nhận vào ngày nghỉ được tính từ ngày làm việc tiếp theo",
                    self.reason(d)?.unwrap_or_default()
                )
            } else if !before_cutoff {
                format!("sau giờ chốt {} — được tính từ ngày làm việc tiếp theo", self.time.cutoff.format("%H:%M"))
            } else {
                format!("trước giờ chốt {} — được tính từ chính ngày này", self.time.cutoff.format("%H:%M"))
            };
            ex.push(Step {
                date: Some(d),
                kind: "receipt",
                text: format!(
                    "Tiếp nhận lúc {} {} {}: {why}; ngày bắt đầu tính là {} {}",
                    local.format("%H:%M"),
                    weekday_vi(d),
                    vn_date(d),
                    weekday_vi(self.date_at(c)),
                    vn_date(self.date_at(c))
                ),
            });
        }
        Ok(c)
    }

    fn explain_days(&self, from: usize, to: usize, ex: &mut Vec<Step>) -> Result<(), FieldError> {
        let mut n = 0;
        for i in from + 1..=to {
            let d = self.date_at(i);
            match self.status[i] {
                Status::Working | Status::Makeup(_) => {
                    n += 1;
                    let extra = match self.reason(d)? {
                        Some(r) => format!(" — {r}"),
                        None => String::new(),
                    };
                    ex.push(Step {
                        date: Some(d),
                        kind: "counted",
                        text: format!("{} {}: ngày làm việc thứ {n}{extra}", weekday_vi(d), vn_date(d)),
                    });
                }
                _ => ex.push(Step {
                    date: Some(d),
                    kind: "skipped",
                    text: format!("{} {}: nghỉ — {}", weekday_vi(d), vn_date(d), self.reason(d)?.unwrap_or_default()),
                }),
            }
        }
        Ok(())
    }

    /// Office minutes from the calendar start to instant `t`.
    fn minutes_to(&self, t: Instant) -> Result<i64, FieldError> {
        let local = self.to_local(t);
        let i = self.index(local.date_naive())?;
        let base = i64::from(self.before[i]) * i64::from(self.day_minutes);
        let today = match self.status[i] {
            Status::Working | Status::Makeup(_) => i64::from(self.time.minutes_before(local.time())),
            _ => 0,
        };
        Ok(base + today)
    }

    /// Whether `t` is in office hours of a working day (a session's end included: appointments
    /// are given for the end of office hours).
    pub fn in_office_hours(&self, t: Instant) -> Result<bool, FieldError> {
        let local = self.to_local(t);
        let i = self.index(local.date_naive())?;
        let working = matches!(self.status[i], Status::Working | Status::Makeup(_));
        let time = local.time();
        Ok(working && self.time.sessions.iter().any(|(a, b)| *a <= time && time <= *b))
    }

    /// The first instant of office hours at or after `t`: `t` itself when it is in them, else
    /// the next session's start, on this working day or the next one.
    pub fn next_office_time(&self, t: Instant) -> Result<Instant, FieldError> {
        if self.in_office_hours(t)? {
            return Ok(t);
        }
        let local = self.to_local(t);
        let i = self.index(local.date_naive())?;
        if matches!(self.status[i], Status::Working | Status::Makeup(_))
            && let Some((start, _)) = self.time.sessions.iter().find(|(a, _)| local.time() < *a)
        {
            return self.at(local.date_naive(), *start);
        }
        let next = self.working_after(i, 1)?;
        let first = self.time.sessions.first().map(|(a, _)| *a).unwrap_or(NaiveTime::MIN);
        self.at(self.date_at(next), first)
    }

    /// Office minutes between two instants (0 when `b` is not after `a`).
    pub fn working_minutes_between(&self, a: Instant, b: Instant) -> Result<i64, FieldError> {
        Ok((self.minutes_to(b)? - self.minutes_to(a)?).max(0))
    }

    /// The instant at which `minutes` office minutes have passed after `t`.
    pub fn add_working_minutes(&self, t: Instant, minutes: i64) -> Result<Instant, FieldError> {
        if minutes <= 0 {
            return Ok(t);
        }
        let target = self.minutes_to(t)? + minutes;
        // Working day number `w` (0-based) holds minutes (w·day, (w+1)·day].
        let day = i64::from(self.day_minutes);
        let w = (target - 1) / day;
        let in_day = (target - w * day) as u32;
        let i = *self.working.get(w as usize).ok_or_else(|| out_of_range("limit"))? as usize;
        self.at(self.date_at(i), self.time.time_after(in_day))
    }

    /// The due instant of a dossier received at `received` with `limit`, after `pauses`.
    pub fn due(&self, received: Instant, limit: Limit, pauses: &[Pause], explain: bool) -> Result<Due, FieldError> {
        let mut ex = Vec::new();
        let c = self.counting_day(received, explain.then_some(&mut ex))?;
        let mut due = match limit {
            Limit::WorkingDays(n) => {
                let last = self.working_after(c, n)?;
                if explain {
                    self.explain_days(c, last, &mut ex)?;
                }
                self.at(self.date_at(last), self.time.end_of_day())?
            }
            Limit::WorkingHours(h) => {
                let start = if c == self.index(self.to_local(received).date_naive())? {
                    self.to_local(received)
                } else {
                    self.at(self.date_at(c), self.time.sessions[0].0)?
                };
                let due = self.add_working_minutes(start, i64::from(h) * 60)?;
                if explain {
                    let last = self.index(due.date_naive())?;
                    self.explain_days(c, last, &mut ex)?;
                }
                due
            }
            Limit::Days(n) => {
                let last = c + n as usize;
                if last >= self.status.len() {
                    return Err(out_of_range("limit"));
                }
                let moved = if matches!(self.status[last], Status::Working | Status::Makeup(_)) {
                    last
                } else {
                    let m = self.working_after(last, 1)?;
                    if explain {
                        let d = self.date_at(last);
                        ex.push(Step {
                            date: Some(d),
                            kind: "moved",
                            text: format!(
                                "Ngày cuối {} {} là ngày nghỉ ({}): chuyển sang ngày làm việc tiếp theo {}",
                                weekday_vi(d),
                                vn_date(d),
                                self.reason(d)?.unwrap_or_default(),
                                vn_date(self.date_at(m))
                            ),
                        });
                    }
                    m
                };
                self.at(self.date_at(moved), self.time.end_of_day())?
            }
        };
        for p in pauses {
            if p.to < p.from {
                return Err(FieldError::new(
                    "invalid_pause",
                    "pause",
                    "Thời điểm kết thúc tạm dừng phải sau thời điểm bắt đầu",
                ));
            }
            let m = self.working_minutes_between(p.from, p.to)?;
            let before = due;
            due = self.add_working_minutes(due, m)?;
            if explain {
                let (a, b) = (self.to_local(p.from), self.to_local(p.to));
                ex.push(Step {
                    date: None,
                    kind: "pause",
                    text: format!(
                        "Tạm dừng từ {} đến {}: {} giờ {} phút làm việc; hạn lùi từ {} sang {}",
                        a.format("%H:%M %d/%m/%Y"),
                        b.format("%H:%M %d/%m/%Y"),
                        m / 60,
                        m % 60,
                        before.format("%H:%M %d/%m/%Y"),
                        due.format("%H:%M %d/%m/%Y")
                    ),
                });
            }
        }
        if explain {
            let d = due.date_naive();
            ex.push(Step {
                date: Some(d),
                kind: "due",
                text: format!("Hẹn trả kết quả: {} {} {}", due.format("%H:%M"), weekday_vi(d), vn_date(d)),
            });
        }
        Ok(Due { due, counting_day: self.date_at(c), explanation: ex })
    }

    /// End of office hours of the `k`-th working day before the day of `t` (k ≥ 1): the latest
    /// moment to give notice "k working days before" a due date.
    pub fn end_of_working_day_before(&self, t: Instant, k: u32) -> Result<Instant, FieldError> {
        let i = self.index(self.to_local(t).date_naive())?;
        let pos = (self.before[i] as usize).checked_sub(k as usize).ok_or_else(|| out_of_range("date"))?;
        let d = *self.working.get(pos).ok_or_else(|| out_of_range("date"))? as usize;
        self.at(self.date_at(d), self.time.end_of_day())
    }

    /// Due instants of consecutive steps with budgets in working hours, from `start`.
    pub fn step_dues(&self, start: Instant, budgets_hours: &[f64]) -> Result<Vec<Instant>, FieldError> {
        let mut t = start;
        let mut out = Vec::with_capacity(budgets_hours.len());
        for h in budgets_hours {
            if !h.is_finite() || *h < 0.0 {
                return Err(FieldError::new("invalid_budget", "budget_hours", "Thời gian của bước phải không âm"));
            }
            t = self.add_working_minutes(t, (h * 60.0).round() as i64)?;
            out.push(t);
        }
        Ok(out)
    }
}

/// Split a total in working minutes by shares in percent (the lead keeps the rest).
pub fn split_minutes(total: i64, shares_percent: &[f64]) -> Vec<i64> {
    let mut parts: Vec<i64> = shares_percent.iter().map(|s| (total as f64 * s / 100.0).floor() as i64).collect();
    let used: i64 = parts.iter().sum();
    parts.insert(0, total - used);
    parts
}

mod timeliness;
pub use timeliness::{Standing, Supplement, Timeliness, classify, judge, standing};

#[cfg(test)]
mod tests;
