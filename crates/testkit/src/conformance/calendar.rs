//! The legal calendar.

use motcua_storage::Store;

use crate::fixtures::*;

pub async fn calendar_story(s: &impl Store) {
    use motcua_domain::calendar::deadline::WorkingTime;
    use motcua_domain::calendar::holidays::{CalendarDay, DayKind, YearSchedule};
    let day = |d: &str, kind, name: &str| CalendarDay {
        date: date(d),
        kind,
        name: name.into(),
        source: Some("TB 1/TB".into()),
    };
    let y24 = YearSchedule {
        year: 2024,
        days: vec![day("2024-04-29", DayKind::Swap, "Nghỉ hoán đổi"), day("2024-05-04", DayKind::Makeup, "Làm bù")],
    };
    let y25 = YearSchedule { year: 2025, days: vec![day("2025-01-01", DayKind::Holiday, "Tết Dương lịch")] };
    let stamp0 = s.calendar_stamp().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        s.seed_calendar_years(&[y24.clone(), y25.clone()], &audit("calendar.seed"))
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        2
    );
    assert_eq!(
        s.seed_calendar_years(std::slice::from_ref(&y24), &audit("calendar.seed"))
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        0,
        "seeding happens once"
    );
    let all = s.calendar_schedules().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(all, vec![y24.clone(), y25.clone()]);
    let stamp1 = s.calendar_stamp().await.unwrap_or_else(|e| panic!("{e}"));
    assert_ne!(stamp0, stamp1);

    // Replacing a year is whole; an empty announced year is kept (no holiday that year).
    let new24 = YearSchedule { year: 2024, days: vec![day("2024-01-01", DayKind::Holiday, "Tết Dương lịch")] };
    s.put_calendar_year(&new24, &audit("calendar.put")).await.unwrap_or_else(|e| panic!("{e}"));
    s.put_calendar_year(&YearSchedule { year: 2030, days: vec![] }, &audit("calendar.put"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let all = s.calendar_schedules().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(all.iter().map(|y| (y.year, y.days.len())).collect::<Vec<_>>(), vec![(2024, 1), (2025, 1), (2030, 0)]);
    // Two days on one date break a rule of the store, and nothing is written.
    let dup = YearSchedule {
        year: 2025,
        days: vec![day("2025-01-01", DayKind::Holiday, "a"), day("2025-01-01", DayKind::Holiday, "b")],
    };
    assert!(s.put_calendar_year(&dup, &audit("calendar.put")).await.is_err());
    assert_eq!(s.calendar_schedules().await.unwrap_or_else(|e| panic!("{e}"))[1], y25);
    assert!(s.delete_calendar_year(2030, &audit("calendar.delete")).await.unwrap_or_else(|e| panic!("{e}")));
    assert!(!s.delete_calendar_year(2030, &audit("calendar.delete")).await.unwrap_or_else(|e| panic!("{e}")));

    assert!(s.working_time("*").await.unwrap_or_else(|e| panic!("{e}")).is_none());
    let wt = WorkingTime { saturdays_count: true, ..WorkingTime::default() };
    s.set_working_time("*", &wt, &audit("working_time.set")).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.working_time("*").await.unwrap_or_else(|e| panic!("{e}")), Some(wt.clone()));
    s.set_working_time("H24.11", &WorkingTime::default(), &audit("working_time.set"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let all = s.working_times().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(all, vec![("*".to_owned(), wt), ("H24.11".to_owned(), WorkingTime::default())]);
    assert_ne!(s.calendar_stamp().await.unwrap_or_else(|e| panic!("{e}")), stamp1);
}
