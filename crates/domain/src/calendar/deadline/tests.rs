use super::*;
use crate::calendar::holidays::YearSchedule;

#[derive(serde::Deserialize)]
struct Official {
    schedules: Vec<YearSchedule>,
}

fn official() -> Vec<YearSchedule> {
    let o: Official = serde_json::from_str(include_str!("../../../../../calendars/vn-official.json")).unwrap();
    for s in &o.schedules {
        s.validate().unwrap();
    }
    o.schedules
}

fn cal() -> WorkCalendar {
    WorkCalendar::build(2020..=2030, &HolidayRules::default(), &official(), WorkingTime::default()).unwrap()
}

fn t(s: &str) -> Instant {
    DateTime::parse_from_rfc3339(s).unwrap()
}

fn due_date(c: &WorkCalendar, received: &str, limit: Limit) -> String {
    c.due(t(received), limit, &[], false).unwrap().due.format("%Y-%m-%d %H:%M").to_string()
}

#[test]
fn vectors_of_domain_9_5() {
    let c = cal();
    // Tết 2025: 25/1–2/2 off.
    assert_eq!(due_date(&c, "2025-01-24T10:00:00+07:00", Limit::WorkingDays(3)), "2025-02-05 17:30");
    // 30/4 2024: 27/4–1/5 off, 29/4 swapped.
    assert_eq!(due_date(&c, "2024-04-26T10:00:00+07:00", Limit::WorkingDays(2)), "2024-05-03 17:30");
    // Make-up Saturdays count.
    assert_eq!(due_date(&c, "2024-05-02T10:00:00+07:00", Limit::WorkingDays(2)), "2024-05-04 17:30");
    assert_eq!(due_date(&c, "2025-04-25T10:00:00+07:00", Limit::WorkingDays(1)), "2025-04-26 17:30");
}

#[test]
fn explanations_say_why_each_day_was_skipped() {
    let c = cal();
    let d = c.due(t("2025-01-24T10:00:00+07:00"), Limit::WorkingDays(3), &[], true).unwrap();
    let texts: Vec<&str> = d.explanation.iter().map(|s| s.text.as_str()).collect();
    assert!(texts[0].contains("trước giờ chốt 15:00"), "{texts:#?}");
    assert!(texts.iter().any(|x| x.contains("25/01/2025") && x.contains("thứ Bảy")), "{texts:#?}");
    assert!(texts.iter().any(|x| x.contains("29/01/2025") && x.contains("Tết Nguyên đán (mùng 1)")), "{texts:#?}");
    assert_eq!(d.explanation.iter().filter(|s| s.kind == "skipped").count(), 9);
    assert_eq!(d.explanation.iter().filter(|s| s.kind == "counted").count(), 3);
    let makeup = c.due(t("2025-04-25T10:00:00+07:00"), Limit::WorkingDays(1), &[], true).unwrap();
    assert!(
        makeup.explanation.iter().any(|s| s.kind == "counted" && s.text.contains("6150/TB-BLĐTBXH")),
        "{:#?}",
        makeup.explanation
    );
}

#[test]
fn cut_off_and_days_off_move_the_counting_day() {
    let c = cal();
    // Thu 2024-05-02 16:00 is after the cut-off: counting starts Fri 3/5.
    let d = c.due(t("2024-05-02T16:00:00+07:00"), Limit::WorkingDays(1), &[], false).unwrap();
    assert_eq!(d.counting_day.to_string(), "2024-05-03");
    assert_eq!(d.due.date_naive().to_string(), "2024-05-04");
    // Received on Sunday: counting starts Monday; 0 days = within that day.
    assert_eq!(due_date(&c, "2026-11-22T09:00:00+07:00", Limit::WorkingDays(0)), "2026-11-23 17:30");
    // The same instant given in UTC is the same deadline.
    assert_eq!(due_date(&c, "2024-05-02T03:00:00Z", Limit::WorkingDays(2)), "2024-05-04 17:30");
}

#[test]
fn working_hours_and_calendar_days() {
    let c = cal();
    // 4 working hours from 10:00: 10:00–11:30 (1.5 h) then 13:30–16:00.
    assert_eq!(due_date(&c, "2026-11-26T10:00:00+07:00", Limit::WorkingHours(4)), "2026-11-26 16:00");
    // 8 hours from Friday 10:00 end on Monday 10:00.
    assert_eq!(due_date(&c, "2026-11-27T10:00:00+07:00", Limit::WorkingHours(8)), "2026-11-30 10:00");
    // 20 days from Fri 2026-11-06: Thu 26/11.
    assert_eq!(due_date(&c, "2026-11-06T10:00:00+07:00", Limit::Days(20)), "2026-11-26 17:30");
    // 2 days from Thu 2026-11-19 is Sat 21/11: moved to Mon 23/11.
    let d = c.due(t("2026-11-19T10:00:00+07:00"), Limit::Days(2), &[], true).unwrap();
    assert_eq!(d.due.date_naive().to_string(), "2026-11-23");
    assert!(d.explanation.iter().any(|s| s.kind == "moved"));
}

#[test]
fn pauses_push_the_due_instant_by_office_time() {
    let c = cal();
    let p = Pause { from: t("2026-11-16T10:00:00+07:00"), to: t("2026-11-18T10:00:00+07:00") };
    // Mon 16/11 + 5 working days = Mon 23/11 (24/11 is Culture Day); a 2-working-day pause → Thu 26/11.
    let d = c.due(t("2026-11-16T09:00:00+07:00"), Limit::WorkingDays(5), &[p], true).unwrap();
    assert_eq!(d.due.format("%Y-%m-%d %H:%M").to_string(), "2026-11-26 17:30", "{:#?}", d.explanation);
    assert!(d.explanation.iter().any(|s| s.kind == "pause" && s.text.contains("16 giờ 0 phút")));
    let bad = Pause { from: p.to, to: p.from };
    assert_eq!(
        c.due(t("2026-11-16T09:00:00+07:00"), Limit::WorkingDays(5), &[bad], false).unwrap_err().code,
        "invalid_pause"
    );
}

#[test]
fn steps_and_shares() {
    let c = cal();
    let steps = c.step_dues(t("2026-11-26T07:30:00+07:00"), &[4.0, 12.0]).unwrap();
    assert_eq!(steps[0].format("%d %H:%M").to_string(), "26 11:30");
    assert_eq!(steps[1].format("%d %H:%M").to_string(), "27 17:30");
    assert_eq!(split_minutes(1000, &[30.0, 20.0]), vec![500, 300, 200]);
}

#[test]
fn out_of_range_is_an_error() {
    let c = cal();
    assert_eq!(
        c.due(t("2019-12-31T10:00:00+07:00"), Limit::WorkingDays(1), &[], false).unwrap_err().code,
        "date_out_of_range"
    );
    assert_eq!(
        c.due(t("2030-12-30T10:00:00+07:00"), Limit::WorkingDays(30), &[], false).unwrap_err().code,
        "date_out_of_range"
    );
    let bad = WorkingTime { sessions: vec![], ..WorkingTime::default() };
    assert!(WorkCalendar::build(2024..=2024, &HolidayRules::default(), &[], bad).is_err());
}

#[test]
fn timeliness_follows_the_766_rules() {
    let due = t("2026-11-20T17:30:00+07:00");
    let at = t("2026-11-27T10:00:00+07:00");
    assert_eq!(classify(due, Some(t("2026-11-19T10:00:00+07:00")), at, &[]), Timeliness::Early);
    assert_eq!(classify(due, Some(t("2026-11-20T16:00:00+07:00")), at, &[]), Timeliness::OnTime);
    assert_eq!(classify(due, Some(t("2026-11-23T08:00:00+07:00")), at, &[]), Timeliness::Late);
    // A supplement interval is taken off the processing time.
    let s = Supplement { requested: t("2026-11-17T10:00:00+07:00"), provided: Some(t("2026-11-19T10:00:00+07:00")) };
    assert_eq!(classify(due, Some(t("2026-11-22T10:00:00+07:00")), at, &[s]), Timeliness::OnTime);
    // Waiting for the applicant: the request time stands for the end.
    let pending = Supplement { requested: t("2026-11-18T10:00:00+07:00"), provided: None };
    assert_eq!(classify(due, None, at, &[pending]), Timeliness::OnTime);
    // More than one supplement request makes the dossier late.
    assert_eq!(classify(due, Some(t("2026-11-18T10:00:00+07:00")), at, &[s, s]), Timeliness::Late);
    // Running dossiers are judged at the evaluation instant.
    assert_eq!(classify(due, None, t("2026-11-20T10:00:00+07:00"), &[]), Timeliness::OnTime);
    assert_eq!(classify(due, None, at, &[]), Timeliness::Late);
}

#[test]
fn notice_deadline_one_working_day_before() {
    let c = cal();
    // Due Tue 2024-04-30 is a holiday… due Thu 2024-05-02: the working day before is Fri 26/4.
    let n = c.end_of_working_day_before(t("2024-05-02T17:30:00+07:00"), 1).unwrap();
    assert_eq!(n.format("%Y-%m-%d %H:%M").to_string(), "2024-04-26 17:30");
}

#[test]
fn office_hours_and_the_next_working_time() {
    let c = cal();
    let at = |s: &str| c.next_office_time(t(s)).unwrap().format("%Y-%m-%d %H:%M").to_string();
    // Saturday 28/11/2026 → Monday 30/11 07:30; a make-up Saturday (22/8/2026) is a working day.
    assert!(!c.in_office_hours(t("2026-11-28T10:00:00+07:00")).unwrap());
    assert_eq!(at("2026-11-28T10:00:00+07:00"), "2026-11-30 07:30");
    assert!(c.in_office_hours(t("2026-08-22T09:00:00+07:00")).unwrap());
    // Lunch and evening move to the next session; the end of the day is still office hours.
    assert_eq!(at("2026-11-27T12:00:00+07:00"), "2026-11-27 13:30");
    assert_eq!(at("2026-11-27T19:00:00+07:00"), "2026-11-30 07:30");
    assert!(c.in_office_hours(t("2026-11-27T17:30:00+07:00")).unwrap());
    // Tết 2026: 14/2–22/2 off.
    assert_eq!(at("2026-02-16T09:00:00+07:00"), "2026-02-23 07:30");
}

#[test]
fn a_hand_off_is_judged_against_its_own_due_with_one_vocabulary() {
    let due = t("2026-11-30T17:30:00+07:00");
    assert_eq!(judge(t("2026-11-27T10:00:00+07:00"), due), Timeliness::Early);
    assert_eq!(judge(t("2026-11-30T09:00:00+07:00"), due), Timeliness::OnTime);
    assert_eq!(judge(t("2026-11-30T17:31:00+07:00"), due), Timeliness::Late);
    assert_eq!(Timeliness::Early.label_vi(), "Trước hạn");
}
