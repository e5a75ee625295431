//! What a dossier's event log records, typed: which command ([`CommandKind`]) and its details
//! ([`EventDetail`]): the intake's procedure version and time limit, or the command as given with
//! the time budget it closed or opened. The timeline, the printed forms (02, 04, 05, 06) and the
//! control sheet read these types, never raw JSON.
//!
//! Stored as JSON with a version number (`"v": 1`). Rows written before the version existed
//! have no `"v"` and no `"kind"`; they have the same fields, and [`EventDetail::from_stored`]
//! reads them as version 1.

use serde::{Deserialize, Serialize};

use super::Command;
use crate::FieldError;
use crate::calendar::deadline::{Instant, Limit, at_vi};
use crate::ids::AgencyCode;
use crate::procedure::{Channel, StepRole};

/// The version of [`EventDetail`] this code writes.
pub const EVENT_DETAIL_VERSION: u32 = 1;

/// What happened to a dossier: an intake (`submit`, `accept` at the counter) or a command.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommandKind {
    /// Filed online: waits for the desk's check.
    Submit,
    Accept,
    RequestCompletion,
    Refuse,
    Transfer,
    Assign,
    CompleteStep,
    Forward,
    CooperationAnswered,
    RequestSupplement,
    SupplementProvided,
    RequestPayment,
    PaymentReceived,
    Apologise,
    Resolve,
    Return,
    RequestWithdrawal,
    Stop,
}

impl CommandKind {
    pub const ALL: [Self; 18] = [
        Self::Submit,
        Self::Accept,
        Self::RequestCompletion,
        Self::Refuse,
        Self::Transfer,
        Self::Assign,
        Self::CompleteStep,
        Self::Forward,
        Self::CooperationAnswered,
        Self::RequestSupplement,
        Self::SupplementProvided,
        Self::RequestPayment,
        Self::PaymentReceived,
        Self::Apologise,
        Self::Resolve,
        Self::Return,
        Self::RequestWithdrawal,
        Self::Stop,
    ];

    /// The stable name (`request_supplement`), as stored and as the API and the pages' action
    /// paths spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submit => "submit",
            Self::Accept => "accept",
            Self::RequestCompletion => "request_completion",
            Self::Refuse => "refuse",
            Self::Transfer => "transfer",
            Self::Assign => "assign",
            Self::CompleteStep => "complete_step",
            Self::Forward => "forward",
            Self::CooperationAnswered => "cooperation_answered",
            Self::RequestSupplement => "request_supplement",
            Self::SupplementProvided => "supplement_provided",
            Self::RequestPayment => "request_payment",
            Self::PaymentReceived => "payment_received",
            Self::Apologise => "apologise",
            Self::Resolve => "resolve",
            Self::Return => "return",
            Self::RequestWithdrawal => "request_withdrawal",
            Self::Stop => "stop",
        }
    }

    pub fn parse(s: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| FieldError::new("unknown_command", "command", format!("Không có thao tác «{s}»")))
    }

    /// The Vietnamese name of what happened, as the timeline shows it.
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Submit => "Nộp hồ sơ trực tuyến",
            Self::Accept => "Tiếp nhận hồ sơ",
            Self::RequestCompletion => "Yêu cầu hoàn thiện hồ sơ",
            Self::Refuse => "Từ chối tiếp nhận",
            Self::Transfer => "Chuyển hồ sơ đến cơ quan giải quyết",
            Self::Assign => "Phân công xử lý",
            Self::CompleteStep => "Hoàn thành bước xử lý",
            Self::Forward => "Chuyển xin ý kiến cơ quan phối hợp",
            Self::CooperationAnswered => "Cơ quan phối hợp trả lời",
            Self::RequestSupplement => "Yêu cầu bổ sung hồ sơ",
            Self::SupplementProvided => "Đã bổ sung hồ sơ",
            Self::RequestPayment => "Yêu cầu thực hiện nghĩa vụ tài chính",
            Self::PaymentReceived => "Đã thực hiện nghĩa vụ tài chính",
            Self::Apologise => "Xin lỗi và hẹn lại ngày trả",
            Self::Resolve => "Đã xử lý xong",
            Self::Return => "Trả kết quả",
            Self::RequestWithdrawal => "Yêu cầu rút hồ sơ",
            Self::Stop => "Dừng giải quyết",
        }
    }
}

impl std::fmt::Display for CommandKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A step of the procedure's internal workflow closed by `complete_step`, against its budget.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepUse {
    /// 1-based number of the step in the workflow.
    pub index: u32,
    pub name: String,
    pub role: StepRole,
    pub budget_hours: f64,
    pub used_hours: f64,
    /// The hand-off that started the step.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub started: Instant,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub due: Instant,
    pub within_budget: bool,
}

/// A cooperating agency's share of the dossier's working time: opened by `forward` (budget and
/// due), closed by `cooperation_answered` (used, and whether within the budget).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShareUse {
    pub agency: AgencyCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_percent: Option<f64>,
    #[serde(default)]
    pub budget_hours: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub used_hours: Option<f64>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub due: Option<Instant>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within_budget: Option<bool>,
}

/// What an event records beyond its state change.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum EventDetail {
    /// The dossier entered the system: the procedure version it is judged by, the channel,
    /// and at a counter intake the time limit applied and the working calendar's stamp.
    Intake {
        procedure_version: u32,
        channel: Channel,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
        limit: Option<Limit>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        calendar: Option<String>,
    },
    /// A command as given (texts, items, reasons, dates), the warnings the rules record, and the
    /// time budget it closed or opened.
    Command {
        #[cfg_attr(feature = "openapi", schema(value_type = Object))]
        command: Command,
        #[serde(default)]
        warnings: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        step: Option<Box<StepUse>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        share: Option<Box<ShareUse>>,
    },
}

impl EventDetail {
    /// The detail of a command, without budget.
    pub fn of_command(command: Command, warnings: &[&str]) -> Self {
        Self::Command { command, warnings: warnings.iter().map(|w| (*w).to_owned()).collect(), step: None, share: None }
    }

    /// The command as given, when the event is one.
    pub fn command(&self) -> Option<&Command> {
        match self {
            Self::Command { command, .. } => Some(command),
            Self::Intake { .. } => None,
        }
    }

    /// The step closed or the share opened or closed by the event.
    pub fn step(&self) -> Option<&StepUse> {
        match self {
            Self::Command { step, .. } => step.as_deref(),
            Self::Intake { .. } => None,
        }
    }

    pub fn share(&self) -> Option<&ShareUse> {
        match self {
            Self::Command { share, .. } => share.as_deref(),
            Self::Intake { .. } => None,
        }
    }

    /// What was typed or decided with the event, line by line in Vietnamese, as the timeline
    /// shows it: notes, items asked, reasons, the agency named (by `name_of`), the new appointment
    /// and why, who collected the result and how, the step closed against its budget.
    pub fn lines_vi(&self, name_of: impl Fn(&AgencyCode) -> String) -> Vec<String> {
        let list = |label: &str, items: &[String]| format!("{label}: {}", items.join("; "));
        let mut lines = Vec::new();
        match self {
            Self::Intake { channel, limit, .. } => {
                lines.push(format!("Hình thức nộp: {}", channel.label_vi().to_lowercase()));
                if let Some(l) = limit {
                    lines.push(format!("Thời hạn giải quyết áp dụng: {}", l.label_vi()));
                }
            }
            Self::Command { command, warnings, step, share } => {
                match command {
                    Command::Accept { due } => lines.push(format!("Hẹn trả kết quả: {}", at_vi(*due))),
                    Command::RequestCompletion { items } => lines.push(list("Giấy tờ cần hoàn thiện", items)),
                    Command::Refuse { reasons } => lines.push(list("Lý do", reasons)),
                    Command::Transfer { agency } => lines.push(format!("Đến: {}", name_of(agency))),
                    Command::Assign { handler } => lines.push(format!("Người xử lý: {handler}")),
                    Command::CompleteStep { note } if !note.trim().is_empty() => lines.push(format!("Ghi chú: {note}")),
                    Command::Forward { agency } => lines.push(format!("Xin ý kiến: {}", name_of(agency))),
                    Command::CooperationAnswered { agency } => {
                        lines.push(format!("Cơ quan trả lời: {}", name_of(agency)))
                    }
                    Command::RequestSupplement { agency, items } => {
                        lines.push(list("Giấy tờ cần bổ sung", items));
                        lines.push(format!("Cơ quan yêu cầu: {}", name_of(agency)));
                    }
                    Command::RequestPayment { amount_vnd, .. } => {
                        lines.push(format!("Số tiền: {} đồng", crate::text::vnd(*amount_vnd)))
                    }
                    Command::PaymentReceived { online } => {
                        lines.push(if *online { "Nộp trực tuyến" } else { "Nộp trực tiếp" }.to_owned())
                    }
                    Command::Apologise { new_due, reason, .. } => {
                        lines.push(format!("Lý do chậm: {reason}"));
                        lines.push(format!("Hẹn trả mới: {}", at_vi(*new_due)));
                    }
                    Command::Resolve { outcome } => lines.push(format!("Kết quả: {}", outcome.label_vi())),
                    Command::Return { collected_by, method } => {
                        lines.push(format!("Người nhận: {collected_by}, {}", method.label_vi()))
                    }
                    Command::Stop { reason } => lines.push(format!("Lý do: {reason}")),
                    Command::CompleteStep { .. } | Command::SupplementProvided | Command::RequestWithdrawal => {}
                }
                if let Some(st) = step {
                    let verdict = if st.within_budget { "trong thời gian" } else { "quá thời gian" };
                    lines.push(format!(
                        "Bước {}: {} — dùng {:.1}/{:.1} giờ làm việc, {verdict}",
                        st.index, st.name, st.used_hours, st.budget_hours
                    ));
                }
                if let Some(sh) = share
                    && let Some(due) = &sh.due
                    && sh.used_hours.is_none()
                {
                    lines.push(format!("Hạn trả lời: {}", at_vi(*due)));
                }
                if warnings.iter().any(|w| w == super::steps::TAKEN_OVER) {
                    lines.push("Lãnh đạo làm thay bước này".to_owned());
                }
                if warnings.iter().any(|w| w == "apology_after_notice_deadline") {
                    lines.push("Lưu ý: xin lỗi sau thời hạn thông báo (1 ngày làm việc trước ngày hẹn)".to_owned());
                }
            }
        }
        lines
    }

    /// The JSON stored for the event: this detail with `"v"`.
    pub fn to_stored(&self) -> serde_json::Value {
        let mut v = serde_json::to_value(self).unwrap_or_default();
        if let Some(map) = v.as_object_mut() {
            map.insert("v".into(), EVENT_DETAIL_VERSION.into());
        }
        v
    }

    /// Read a stored detail: version 1 with or without its `"v"` and `"kind"` (rows written
    /// before either existed are told apart by their `"command"` field).
    pub fn from_stored(mut value: serde_json::Value) -> Result<Self, FieldError> {
        let bad = |m: String| FieldError::new("invalid_event_detail", "detail", m);
        let map = value.as_object_mut().ok_or_else(|| bad("not an object".into()))?;
        match map.remove("v").map(|v| v.as_u64()) {
            None | Some(Some(1)) => {}
            Some(other) => return Err(bad(format!("unknown version {other:?}"))),
        }
        if !map.contains_key("kind") {
            let kind = if map.contains_key("command") { "command" } else { "intake" };
            map.insert("kind".into(), kind.into());
        }
        serde_json::from_value(value).map_err(|e| bad(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_timeline_shows_what_was_typed() {
        let name = |a: &AgencyCode| format!("Sở {a}");
        let t = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap_or_else(|e| panic!("{e}"));
        let agency = AgencyCode::parse("H24.11").unwrap_or_else(|e| panic!("{e}"));
        let apology = EventDetail::of_command(
            Command::Apologise {
                new_due: t("2027-01-29T17:30:00+07:00"),
                reason: "Chờ xác minh".into(),
                notice_deadline: t("2027-01-20T17:30:00+07:00"),
            },
            &[],
        );
        assert_eq!(apology.lines_vi(name), vec!["Lý do chậm: Chờ xác minh", "Hẹn trả mới: 17:30 ngày 29/01/2027"]);
        let supplement = EventDetail::of_command(
            Command::RequestSupplement { agency, items: vec!["Bản sao giấy khai sinh".into(), "Tờ khai".into()] },
            &[],
        );
        assert_eq!(
            supplement.lines_vi(name),
            vec!["Giấy tờ cần bổ sung: Bản sao giấy khai sinh; Tờ khai", "Cơ quan yêu cầu: Sở H24.11"]
        );
        let returned = EventDetail::of_command(
            Command::Return { collected_by: "Nguyễn Văn B".into(), method: super::super::ReturnMethod::Counter },
            &[],
        );
        assert_eq!(returned.lines_vi(name), vec!["Người nhận: Nguyễn Văn B, tại bộ phận một cửa"]);
    }

    #[test]
    fn names_round_trip() {
        for k in CommandKind::ALL {
            assert_eq!(CommandKind::parse(k.as_str()), Ok(k));
            assert_eq!(serde_json::to_value(k).unwrap_or_default(), json!(k.as_str()));
        }
        assert!(CommandKind::parse("explode").is_err());
    }

    #[test]
    fn details_written_before_versions_are_read_as_version_1() {
        let old = json!({ "command": { "command": "refuse", "reasons": ["thiếu tờ khai"] }, "warnings": [] });
        let d = EventDetail::from_stored(old).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(d.command(), Some(&Command::Refuse { reasons: vec!["thiếu tờ khai".into()] }));
        let old = json!({ "procedure_version": 2, "channel": "online" });
        let d = EventDetail::from_stored(old).unwrap_or_else(|e| panic!("{e:?}"));
        assert!(matches!(d, EventDetail::Intake { procedure_version: 2, channel: Channel::Online, .. }));
        let stored = d.to_stored();
        assert_eq!((stored["v"].clone(), stored["kind"].clone()), (json!(1), json!("intake")));
        assert_eq!(EventDetail::from_stored(stored), Ok(d));
        assert!(EventDetail::from_stored(json!({ "v": 9, "kind": "intake" })).is_err());
    }
}
