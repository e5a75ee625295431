//! The legal calendar: each year's holidays and make-up days, and working hours.

use motcua_domain::calendar::deadline::WorkingTime;
use motcua_domain::calendar::holidays::YearSchedule;

use crate::{AuditEntry, StoreResult};

/// Announced holiday schedules (one per year, replacing the statutory default) and office hours.
#[async_trait::async_trait]
pub trait CalendarRepo {
    async fn calendar_schedules(&self) -> StoreResult<Vec<YearSchedule>>;
    /// Replace the schedule of `schedule.year`, all or nothing.
    async fn put_calendar_year(&self, schedule: &YearSchedule, audit: &AuditEntry) -> StoreResult<()>;
    /// Remove a year's schedule (the statutory default applies again); false when there was none.
    async fn delete_calendar_year(&self, year: i32, audit: &AuditEntry) -> StoreResult<bool>;
    /// Store the shipped schedules when no schedule was ever stored; returns how many.
    async fn seed_calendar_years(&self, schedules: &[YearSchedule], audit: &AuditEntry) -> StoreResult<u32>;
    /// Changes whenever a schedule or office hours change.
    async fn calendar_stamp(&self) -> StoreResult<String>;
    /// Office hours of an agency code, or of the province (`*`).
    async fn working_time(&self, agency: &str) -> StoreResult<Option<WorkingTime>>;
    async fn set_working_time(&self, agency: &str, time: &WorkingTime, audit: &AuditEntry) -> StoreResult<()>;
    /// Every stored setting: (agency code or `*`, office hours).
    async fn working_times(&self) -> StoreResult<Vec<(String, WorkingTime)>>;
}
