//! The deadline watch: when a running dossier's clocks call for a warning.
//!
//! A running dossier has up to two clocks: the pending step of its internal workflow (from the
//! hand-off that started it, with the step's budget in working hours) and the whole dossier (from
//! its receipt to the current appointment). Each clock raises its alarms at fixed instants on the
//! legal calendar, so a scheduled job only has to look at a dossier when the next instant comes:
//!
//! * the step nearly spent (`warn_at_percent` of its budget used) and spent;
//! * the dossier nearly due (`warn_at_percent` of its working time used) and overdue;
//! * an apology due: the appointment is near and no apology was made for it — the agency must send
//!   the apology letter (Mẫu 03) at least `apology_days_before` working day(s) before the
//!   appointment (Decree 61/2018 Art. 19, Decree 118/2025), so it is warned `apology_notice_days`
//!   working day(s) before that latest day;
//! * escalated: still overdue `escalate_after_hours` working hours after the appointment; the
//!   competent agency's leaders and the provincial office are told.
//!
//! The thresholds are the province's settings (`[watch]`): the sources fix the apology rule, not
//! when a handler should be warned.

use serde::{Deserialize, Serialize};

use crate::FieldError;
use crate::calendar::deadline::{Instant, WorkCalendar};

/// The subject of every e-mail of the watch starts with it (the applicant never sees them).
pub const SUBJECT_PREFIX: &str = "[Cảnh báo]";

/// What an alarm says.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlarmKind {
    StepNearlyDue,
    StepOverdue,
    NearlyDue,
    ApologyDue,
    Overdue,
    Escalated,
}

impl AlarmKind {
    pub const ALL: [Self; 6] =
        [Self::StepNearlyDue, Self::StepOverdue, Self::NearlyDue, Self::ApologyDue, Self::Overdue, Self::Escalated];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::StepNearlyDue => "step_nearly_due",
            Self::StepOverdue => "step_overdue",
            Self::NearlyDue => "nearly_due",
            Self::ApologyDue => "apology_due",
            Self::Overdue => "overdue",
            Self::Escalated => "escalated",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::StepNearlyDue => "Bước xử lý sắp hết thời gian",
            Self::StepOverdue => "Bước xử lý quá thời gian",
            Self::NearlyDue => "Hồ sơ sắp đến hạn trả kết quả",
            Self::ApologyDue => "Cần gửi phiếu xin lỗi và hẹn lại",
            Self::Overdue => "Hồ sơ quá hạn",
            Self::Escalated => "Hồ sơ quá hạn, báo cáo lãnh đạo và Văn phòng",
        }
    }

    /// What the people told should do, in a sentence.
    pub fn advice_vi(self) -> &'static str {
        match self {
            Self::StepNearlyDue | Self::StepOverdue => "Đề nghị hoàn thành bước xử lý hoặc báo lãnh đạo để điều phối.",
            Self::NearlyDue => "Đề nghị ưu tiên xử lý để trả kết quả đúng hẹn.",
            Self::ApologyDue => {
                "Nếu không kịp trả kết quả đúng hẹn, cơ quan gửi phiếu xin lỗi và hẹn lại ngày trả (Mẫu 03) \
                 chậm nhất một ngày làm việc trước ngày hẹn."
            }
            Self::Overdue => "Hồ sơ đã quá hạn: đề nghị xử lý ngay và xin lỗi người nộp nếu chưa làm.",
            Self::Escalated => "Hồ sơ quá hạn chưa được xử lý: đề nghị lãnh đạo chỉ đạo giải quyết.",
        }
    }

    /// Told to the competent agency's leaders and the provincial office, not only the handler.
    pub fn escalates(self) -> bool {
        self == Self::Escalated
    }
}

/// The province's thresholds of the watch (`[watch]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WatchRules {
    /// Share of a budget used when the handler is warned (1–99 %).
    pub warn_at_percent: u8,
    /// Working days before the appointment by which an apology is sent (at least 1).
    pub apology_days_before: u32,
    /// Working days of warning before that latest day.
    pub apology_notice_days: u32,
    /// Working hours after the appointment at which an overdue dossier is escalated.
    pub escalate_after_hours: u32,
}

impl Default for WatchRules {
    fn default() -> Self {
        Self { warn_at_percent: 80, apology_days_before: 1, apology_notice_days: 1, escalate_after_hours: 8 }
    }
}

impl WatchRules {
    pub fn validate(&self) -> Result<(), FieldError> {
        if !(1..=99).contains(&self.warn_at_percent) {
            return Err(FieldError::new("invalid_watch", "warn_at_percent", "Ngưỡng cảnh báo từ 1 đến 99 %"));
        }
        if self.apology_days_before == 0 {
            return Err(FieldError::new(
                "invalid_watch",
                "apology_days_before",
                "Phiếu xin lỗi gửi chậm nhất 1 ngày làm việc trước ngày hẹn",
            ));
        }
        Ok(())
    }
}

/// The pending step of a dossier's internal workflow.
#[derive(Debug, Clone, PartialEq)]
pub struct StepClock {
    pub name: String,
    pub started: Instant,
    pub budget_hours: f64,
}

/// The clocks of a running dossier.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Clocks {
    pub step: Option<StepClock>,
    /// Received at, and the current appointment.
    pub total: Option<(Instant, Instant)>,
    /// An apology (new appointment) was made for the current appointment.
    pub apologised: bool,
}

/// An alarm of a dossier: what, the due instant it is about, when it fires, of which step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alarm {
    pub kind: AlarmKind,
    pub due: Instant,
    pub fires_at: Instant,
    pub step: Option<String>,
}

impl Alarm {
    /// The e-mail telling staff of the alarm on dossier `code` of `procedure`: subject and body,
    /// with the dossier's page at `link`.
    pub fn email_vi(&self, code: &str, procedure: &str, link: &str) -> (String, String) {
        let subject = format!("{SUBJECT_PREFIX} Hồ sơ {code}: {}", self.kind.label_vi());
        let due = crate::calendar::deadline::at_vi(self.due);
        let what = match &self.step {
            Some(step) => format!("Bước «{step}» phải xong lúc {due}."),
            None => format!("Hẹn trả kết quả: {due}."),
        };
        let body = format!(
            "Hồ sơ {code} ({procedure}): {}.\n{what}\n{}\nXem hồ sơ: {link}",
            self.kind.label_vi().to_lowercase(),
            self.kind.advice_vi()
        );
        (subject, body)
    }
}

/// Every alarm the clocks will raise, in the order they fire (each once per due instant: an
/// alarm already raised is recognised by its kind and due).
pub fn schedule(clocks: &Clocks, rules: &WatchRules, cal: &WorkCalendar) -> Result<Vec<Alarm>, FieldError> {
    let pct = i64::from(rules.warn_at_percent);
    let mut out = Vec::new();
    if let Some(s) = &clocks.step {
        let budget = (s.budget_hours * 60.0).round() as i64;
        let due = cal.add_working_minutes(s.started, budget)?;
        let warn = cal.add_working_minutes(s.started, budget * pct / 100)?;
        let step = Some(s.name.clone());
        out.push(Alarm { kind: AlarmKind::StepNearlyDue, due, fires_at: warn, step: step.clone() });
        out.push(Alarm { kind: AlarmKind::StepOverdue, due, fires_at: due, step });
    }
    if let Some((received, due)) = clocks.total {
        let budget = cal.working_minutes_between(received, due)?;
        let warn = cal.add_working_minutes(received, budget * pct / 100)?;
        out.push(Alarm { kind: AlarmKind::NearlyDue, due, fires_at: warn, step: None });
        if !clocks.apologised {
            let notice = rules.apology_days_before + rules.apology_notice_days;
            // A dossier received too close to its appointment for that notice is warned at once.
            let fires_at = cal.end_of_working_day_before(due, notice).map_or(received, |t| t.max(received));
            out.push(Alarm { kind: AlarmKind::ApologyDue, due, fires_at, step: None });
        }
        out.push(Alarm { kind: AlarmKind::Overdue, due, fires_at: due, step: None });
        let late = cal.add_working_minutes(due, i64::from(rules.escalate_after_hours) * 60)?;
        out.push(Alarm { kind: AlarmKind::Escalated, due, fires_at: late.max(due), step: None });
    }
    out.sort_by_key(|a| (a.fires_at, a.kind));
    Ok(out)
}

/// The alarms due at `now` and the instant the watch should look again (none when every alarm
/// has fired).
pub fn due_at(alarms: Vec<Alarm>, now: Instant) -> (Vec<Alarm>, Option<Instant>) {
    let next = alarms.iter().map(|a| a.fires_at).filter(|t| *t > now).min();
    (alarms.into_iter().filter(|a| a.fires_at <= now).collect(), next)
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;

    use super::*;
    use crate::calendar::deadline::WorkingTime;
    use crate::calendar::holidays::HolidayRules;

    fn cal() -> WorkCalendar {
        WorkCalendar::build(2026..=2027, &HolidayRules::default(), &[], WorkingTime::default())
            .unwrap_or_else(|e| panic!("{e}"))
    }

    fn at(s: &str) -> Instant {
        DateTime::parse_from_rfc3339(s).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_dossier_of_three_working_days_is_warned_then_told_to_apologise_then_escalated() {
        // Received Monday 7/12/2026 07:30, due Thursday 10/12 17:30 (four working days of 8 hours).
        let c = cal();
        let total = Some((at("2026-12-07T07:30:00+07:00"), at("2026-12-10T17:30:00+07:00")));
        let clocks = Clocks { step: None, total, apologised: false };
        let alarms = schedule(&clocks, &WatchRules::default(), &c).unwrap_or_else(|e| panic!("{e}"));
        let fires: Vec<(AlarmKind, String)> =
            alarms.iter().map(|a| (a.kind, a.fires_at.format("%d/%m %H:%M").to_string())).collect();
        let expected = [
            // Two working days before the appointment's day: the end of Tuesday.
            (AlarmKind::ApologyDue, "08/12 17:30"),
            // 80 % of 32 working hours: 25 h 36 min after the receipt.
            (AlarmKind::NearlyDue, "10/12 09:06"),
            (AlarmKind::Overdue, "10/12 17:30"),
            // Eight working hours after the appointment.
            (AlarmKind::Escalated, "11/12 17:30"),
        ];
        assert_eq!(fires, expected.map(|(k, t)| (k, t.to_owned())));

        let (now, next) = due_at(alarms.clone(), at("2026-12-09T09:00:00+07:00"));
        assert!(now.iter().all(|a| a.due == at("2026-12-10T17:30:00+07:00")));
        assert_eq!(now.iter().map(|a| a.kind).collect::<Vec<_>>(), vec![AlarmKind::ApologyDue]);
        assert_eq!(next, Some(alarms[1].fires_at));
        let (all, next) = due_at(alarms, at("2026-12-14T09:00:00+07:00"));
        assert_eq!((all.len(), next), (4, None));

        // An apology made for the appointment: no apology alarm.
        let done = Clocks { apologised: true, ..clocks };
        let kinds: Vec<AlarmKind> = schedule(&done, &WatchRules::default(), &c)
            .unwrap_or_else(|e| panic!("{e}"))
            .iter()
            .map(|a| a.kind)
            .collect();
        assert!(!kinds.contains(&AlarmKind::ApologyDue));
    }

    #[test]
    fn a_step_is_warned_at_the_share_of_its_budget_and_when_spent() {
        let c = cal();
        let step =
            StepClock { name: "Thẩm định".into(), started: at("2026-12-07T08:00:00+07:00"), budget_hours: 5.0 };
        let clocks = Clocks { step: Some(step), total: None, apologised: false };
        let a = schedule(&clocks, &WatchRules::default(), &c).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a[0].kind, AlarmKind::StepNearlyDue);
        let when = |i: usize| (a[i].kind, a[i].fires_at.format("%d/%m %H:%M").to_string());
        // 4 of 5 working hours from 08:00: 3 h 30 min in the morning, 30 min after the break.
        assert_eq!(when(0), (AlarmKind::StepNearlyDue, "07/12 14:00".into()));
        assert_eq!(when(1), (AlarmKind::StepOverdue, "07/12 15:00".into()));
        assert_eq!(a[1].step.as_deref(), Some("Thẩm định"));
    }

    #[test]
    fn rules_are_checked() {
        assert!(WatchRules { warn_at_percent: 100, ..WatchRules::default() }.validate().is_err());
        assert!(WatchRules { apology_days_before: 0, ..WatchRules::default() }.validate().is_err());
        assert!(WatchRules::default().validate().is_ok());
    }
}
