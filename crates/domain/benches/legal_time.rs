//! Legal-time speed: due-date computations per second on one core, and lunar conversion of every
//! day 1900–2199. `cargo bench -p motcua-domain --bench legal_time`.
//! Baselines measured in the same run: plain chrono date arithmetic (for deadlines) and reading
//! the weekday of every day (for the lunar pass).
#![allow(clippy::unwrap_used)]

use std::hint::black_box;
use std::time::Instant;

use chrono::{DateTime, Datelike, Duration, NaiveDate};
use motcua_domain::calendar::deadline::{Limit, WorkCalendar, WorkingTime};
use motcua_domain::calendar::holidays::{HolidayRules, YearSchedule};
use motcua_domain::calendar::lunar;

#[derive(serde::Deserialize)]
struct Official {
    schedules: Vec<YearSchedule>,
}

const N: usize = 5_000_000;

fn main() {
    let first = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap();
    let last = NaiveDate::from_ymd_opt(2199, 12, 31).unwrap();
    let t = Instant::now();
    black_box(lunar::to_lunar(first).unwrap());
    let table_ms = t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    let mut d = first;
    let mut n = 0;
    let mut sum = 0u64;
    while d <= last {
        let l = lunar::to_lunar(d).unwrap();
        sum += u64::from(l.day);
        n += 1;
        d = d.succ_opt().unwrap();
    }
    let lunar_secs = t.elapsed().as_secs_f64();
    black_box(sum);
    let t = Instant::now();
    let mut d = first;
    let mut wsum = 0u64;
    while d <= last {
        wsum += u64::from(d.weekday().num_days_from_monday());
        d = d.succ_opt().unwrap();
    }
    let base = t.elapsed().as_secs_f64();
    black_box(wsum);
    println!(
        "lunar: month table built in {table_ms:.1} ms; {n} days converted in {:.1} ms (baseline weekday pass {:.2} ms, ratio {:.0})",
        lunar_secs * 1e3,
        base * 1e3,
        lunar_secs / base
    );
    println!(
        "target every day 1900–2199 in under 1 s: {}",
        if lunar_secs + table_ms / 1e3 < 1.0 { "met" } else { "NOT met" }
    );

    let official: Official = serde_json::from_str(include_str!("../../../calendars/vn-official.json")).unwrap();
    let t = Instant::now();
    let cal = WorkCalendar::build(2000..=2099, &HolidayRules::default(), &official.schedules, WorkingTime::default())
        .unwrap();
    println!("calendar 2000–2099 built in {:.1} ms", t.elapsed().as_secs_f64() * 1e3);

    // Receipts spread over 2024–2026 at varied times, limits of 1 to 30 working days.
    let start = DateTime::parse_from_rfc3339("2024-01-02T08:00:00+07:00").unwrap();
    let receipts: Vec<_> = (0..1024).map(|i| start + Duration::minutes(i * 1_097)).collect();
    let t = Instant::now();
    let mut acc = 0i64;
    for i in 0..N {
        let r = receipts[i & 1023];
        let d = cal.due(r, Limit::WorkingDays((i % 30) as u32 + 1), &[], false).unwrap();
        acc = acc.wrapping_add(d.due.timestamp());
    }
    let secs = t.elapsed().as_secs_f64();
    black_box(acc);
    let rate = N as f64 / secs;

    let t = Instant::now();
    let mut acc2 = 0i64;
    for i in 0..N {
        let r = receipts[i & 1023];
        let d = r + Duration::days((i % 30) as i64 + 1);
        acc2 = acc2.wrapping_add(d.timestamp());
    }
    let base_secs = t.elapsed().as_secs_f64();
    black_box(acc2);
    let base_rate = N as f64 / base_secs;
    println!(
        "due (working days): {:.2} M/s; baseline calendar-day add: {:.2} M/s; ratio {:.2}",
        rate / 1e6,
        base_rate / 1e6,
        rate / base_rate
    );
    println!("target ≥ 5 M/s on one core: {}", if rate >= 5e6 { "met" } else { "NOT met" });

    let t = Instant::now();
    let mut acc3 = 0i64;
    for i in 0..N / 10 {
        let r = receipts[i & 1023];
        let d = cal.due(r, Limit::WorkingHours((i % 40) as u32 + 1), &[], false).unwrap();
        acc3 = acc3.wrapping_add(d.due.timestamp());
    }
    black_box(acc3);
    println!("due (working hours): {:.2} M/s", (N / 10) as f64 / t.elapsed().as_secs_f64() / 1e6);
}
