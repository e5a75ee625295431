//! Holiday schedules and office hours.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use motcua_domain::calendar::deadline::WorkingTime;
use motcua_domain::calendar::holidays::{CalendarDay, DayKind, YearSchedule};
use motcua_storage::{AuditEntry, CalendarRepo, StoreError, StoreResult};
use sqlx::types::Json;
use uuid::Uuid;

use crate::audit::write_audit;
use crate::{BeginWrite, SqlStore, from_json, map_err, on_db};

fn kind_str(k: DayKind) -> &'static str {
    match k {
        DayKind::Holiday => "holiday",
        DayKind::Compensatory => "compensatory",
        DayKind::Swap => "swap",
        DayKind::Makeup => "makeup",
    }
}

fn parse_kind(s: &str) -> StoreResult<DayKind> {
    Ok(match s {
        "holiday" => DayKind::Holiday,
        "compensatory" => DayKind::Compensatory,
        "swap" => DayKind::Swap,
        "makeup" => DayKind::Makeup,
        other => return Err(StoreError::Other(format!("stored calendar day kind {other:?} is invalid"))),
    })
}

#[derive(sqlx::FromRow)]
struct DayRow {
    year: i32,
    date: NaiveDate,
    kind: String,
    name: String,
    source: Option<String>,
}

/// Insert the days of one schedule in transaction `$tx` (the year row first).
macro_rules! insert_year {
    ($tx:expr, $s:expr, $at:expr) => {{
        let s: &YearSchedule = $s;
        sqlx::query("INSERT INTO calendar_year (year, updated_at) VALUES ($1, $2)")
            .bind(s.year)
            .bind($at)
            .execute(&mut *$tx)
            .await
            .map_err(map_err)?;
        for d in &s.days {
            sqlx::query(
                "INSERT INTO calendar_day (id, year, date, kind, name, source) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(Uuid::now_v7())
            .bind(s.year)
            .bind(d.date)
            .bind(kind_str(d.kind))
            .bind(d.name.as_str())
            .bind(d.source.as_deref())
            .execute(&mut *$tx)
            .await
            .map_err(map_err)?;
        }
    }};
}

#[async_trait::async_trait]
impl CalendarRepo for SqlStore {
    async fn calendar_schedules(&self) -> StoreResult<Vec<YearSchedule>> {
        const YEARS: &str = "SELECT year FROM calendar_year ORDER BY year";
        const DAYS: &str = "SELECT year, date, kind, name, source FROM calendar_day ORDER BY date";
        let (years, rows): (Vec<i32>, Vec<DayRow>) = on_db!(&self.db, |p| {
            let years = sqlx::query_scalar(YEARS).fetch_all(p).await.map_err(map_err)?;
            let rows = sqlx::query_as(DAYS).fetch_all(p).await.map_err(map_err)?;
            Ok::<_, StoreError>((years, rows))
        })?;
        let mut by_year: BTreeMap<i32, Vec<CalendarDay>> = years.into_iter().map(|y| (y, Vec::new())).collect();
        for r in rows {
            by_year.entry(r.year).or_default().push(CalendarDay {
                date: r.date,
                kind: parse_kind(&r.kind)?,
                name: r.name,
                source: r.source,
            });
        }
        Ok(by_year.into_iter().map(|(year, days)| YearSchedule { year, days }).collect())
    }

    async fn put_calendar_year(&self, schedule: &YearSchedule, audit: &AuditEntry) -> StoreResult<()> {
        let at = audit.at;
        let turn = self.write_turn().await;
        on_db!(turn.db, |p| {
            let mut tx = p.begin_write().await.map_err(map_err)?;
            sqlx::query("DELETE FROM calendar_day WHERE year = $1")
                .bind(schedule.year)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
            sqlx::query("DELETE FROM calendar_year WHERE year = $1")
                .bind(schedule.year)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
            insert_year!(tx, schedule, at);
            write_audit!(&mut *tx, audit)?;
            tx.commit().await.map_err(map_err)
        })
    }

    async fn delete_calendar_year(&self, year: i32, audit: &AuditEntry) -> StoreResult<bool> {
        let turn = self.write_turn().await;
        on_db!(turn.db, |p| {
            let mut tx = p.begin_write().await.map_err(map_err)?;
            sqlx::query("DELETE FROM calendar_day WHERE year = $1")
                .bind(year)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
            let n = sqlx::query("DELETE FROM calendar_year WHERE year = $1")
                .bind(year)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?
                .rows_affected();
            if n > 0 {
                write_audit!(&mut *tx, audit)?;
            }
            tx.commit().await.map_err(map_err)?;
            Ok(n > 0)
        })
    }

    async fn seed_calendar_years(&self, schedules: &[YearSchedule], audit: &AuditEntry) -> StoreResult<u32> {
        let at = audit.at;
        let turn = self.write_turn().await;
        on_db!(turn.db, |p| {
            let mut tx = p.begin_write().await.map_err(map_err)?;
            let n: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM calendar_year").fetch_one(&mut *tx).await.map_err(map_err)?;
            if n > 0 {
                return Ok(0);
            }
            for s in schedules {
                insert_year!(tx, s, at);
            }
            write_audit!(&mut *tx, audit)?;
            tx.commit().await.map_err(map_err)?;
            Ok(schedules.len() as u32)
        })
    }

    async fn calendar_stamp(&self) -> StoreResult<String> {
        const SQL: &str = "SELECT (SELECT COUNT(*) FROM calendar_year), (SELECT COUNT(*) FROM calendar_day), \
            (SELECT MAX(updated_at) FROM calendar_year), (SELECT MAX(updated_at) FROM working_time)";
        let (years, days, y_at, w_at): (i64, i64, Option<DateTime<Utc>>, Option<DateTime<Utc>>) =
            on_db!(&self.db, |p| sqlx::query_as(SQL).fetch_one(p).await.map_err(map_err))?;
        Ok(format!(
            "{years}:{days}:{}:{}",
            y_at.map(|t| t.timestamp_micros()).unwrap_or(0),
            w_at.map(|t| t.timestamp_micros()).unwrap_or(0)
        ))
    }

    async fn working_time(&self, agency: &str) -> StoreResult<Option<WorkingTime>> {
        const SQL: &str = "SELECT settings FROM working_time WHERE agency_code = $1";
        let v: Option<Json<serde_json::Value>> =
            on_db!(&self.db, |p| sqlx::query_scalar(SQL).bind(agency).fetch_optional(p).await.map_err(map_err))?;
        v.map(|j| from_json(j.0, "working time")).transpose()
    }

    async fn set_working_time(&self, agency: &str, time: &WorkingTime, audit: &AuditEntry) -> StoreResult<()> {
        let json = crate::to_json(time)?;
        let at = audit.at;
        let turn = self.write_turn().await;
        on_db!(turn.db, |p| {
            let mut tx = p.begin_write().await.map_err(map_err)?;
            sqlx::query(
                "INSERT INTO working_time (agency_code, settings, updated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (agency_code) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at",
            )
            .bind(agency)
            .bind(Json(&json))
            .bind(at)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
            write_audit!(&mut *tx, audit)?;
            tx.commit().await.map_err(map_err)
        })
    }

    async fn working_times(&self) -> StoreResult<Vec<(String, WorkingTime)>> {
        const SQL: &str = "SELECT agency_code, settings FROM working_time ORDER BY agency_code";
        let rows: Vec<(String, Json<serde_json::Value>)> =
            on_db!(&self.db, |p| sqlx::query_as(SQL).fetch_all(p).await.map_err(map_err))?;
        rows.into_iter().map(|(a, j)| Ok((a, from_json(j.0, "working time")?))).collect()
    }
}
