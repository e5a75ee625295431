//! Notices to the applicant: what a change of a dossier says by e-mail and by SMS.
//!
//! Decree 224/2026 Art. 15(1)(g) (docs/RULES.md §R1.11): every change of status is notified to the
//! applicant at once, with at least the receiving and handling agency and officer and the times of
//! receipt, handling and return. A change of status is a change of the national status code
//! (docs/RULES.md §D12.3), plus an apology with a new appointment (TT 01/2018 Mẫu 04; TT 03/2025 Mẫu 04), which
//! keeps the status but moves the appointment. Internal hand-offs (assign, a workflow step) are
//! not notified.
//!
//! The texts are composed here, from data only; the outbox row that carries them is written in
//! the transaction of the change, and the `jobs` worker delivers it.

use serde::{Deserialize, Serialize};

use crate::calendar::deadline::{Instant, at_vi};
use crate::dossier::record::Applicant;
use crate::dossier::{Command, Dossier, DossierCode, Outcome, State};
use crate::text::{strip_marks, vnd};

/// How a notice travels.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeChannel {
    Email,
    Sms,
    /// The National Public Service Portal: the recipient is the portal's service
    /// ([`crate::portal::SYNC_SERVICE`]), the subject the dossier's code, the body the JSON sync
    /// request. Delivered in order per dossier.
    Portal,
}

impl NoticeChannel {
    pub const ALL: [NoticeChannel; 3] = [Self::Email, Self::Sms, Self::Portal];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Sms => "sms",
            Self::Portal => "portal",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Email => "Thư điện tử",
            Self::Sms => "Tin nhắn SMS",
            Self::Portal => "Đồng bộ Cổng DVC quốc gia",
        }
    }

    /// Messages of one dossier on this channel are delivered in the order they were written
    /// (the portal refuses a status before the one it follows).
    pub fn in_order(self) -> bool {
        self == Self::Portal
    }
}

/// One message to one recipient.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub channel: NoticeChannel,
    /// E-mail address, or phone number in the national format (`0912345678`).
    pub recipient: String,
    /// E-mail subject; empty for SMS.
    pub subject: String,
    pub body: String,
}

/// Which channels a province uses, and how SMS are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeSettings {
    pub email: bool,
    /// SMS need the applicant's consent (docs/RULES.md §D10.3, [U]): a province turns them on when
    /// its intake collects that consent.
    pub sms: bool,
    /// Write SMS without diacritics: GSM-7 fits 160 characters per segment, UCS-2 only 70.
    pub sms_ascii: bool,
}

impl Default for NoticeSettings {
    fn default() -> Self {
        Self { email: true, sms: true, sms_ascii: true }
    }
}

/// A change of a dossier, as its notice tells it.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    /// The command that made the change; `None` for an intake (the first event).
    pub command: Option<&'a Command>,
    pub from: Option<State>,
    pub to: State,
    /// The workflow after the change.
    pub workflow: &'a Dossier,
    pub at: Instant,
    pub received_at: Instant,
}

impl Change<'_> {
    /// Whether the change is notified: a new national status, or a new appointment.
    pub fn is_notified(&self) -> bool {
        is_notified(self.from, self.to, self.command)
    }
}

/// What a notice is composed from. Names are display names (the agency's name, the officer's
/// full name or username).
#[derive(Debug, Clone)]
pub struct NoticeInput<'a> {
    pub code: &'a DossierCode,
    pub procedure_name: &'a str,
    pub applicant: &'a Applicant,
    pub change: &'a Change<'a>,
    pub receiving_agency: &'a str,
    pub handling_agency: &'a str,
    pub officer: &'a str,
    /// The public lookup page of this dossier.
    pub lookup_url: &'a str,
    /// The evaluation page of this dossier, to which the notice of the returned result invites.
    pub rating_url: &'a str,
}

/// Whether a change is notified: a new national status, a new appointment, or a request to
/// complete the dossier at the desk's check (Mẫu 02: the applicant has to act, though the status
/// stays "newly registered").
pub fn is_notified(from: Option<State>, to: State, command: Option<&Command>) -> bool {
    matches!(command, Some(Command::Apologise { .. } | Command::RequestCompletion { .. }))
        || from.is_none_or(|f| f.national_code() != to.national_code())
}

/// The sentence that says what happened, and the lines that detail it.
fn what_happened(input: &NoticeInput) -> (String, Vec<String>) {
    let w = input.change.workflow;
    match input.change.command {
        None if input.change.to == State::Submitted => {
            ("Hồ sơ của Ông/Bà đã được nộp, đang chờ bộ phận một cửa kiểm tra.".into(), vec![])
        }
        // The appointment is in the common part of the message.
        None | Some(Command::Accept { .. }) => ("Hồ sơ của Ông/Bà đã được tiếp nhận.".into(), vec![]),
        Some(Command::Refuse { reasons }) => (
            "Hồ sơ của Ông/Bà không được tiếp nhận.".into(),
            std::iter::once("Lý do:".to_owned()).chain(reasons.iter().map(|r| format!("- {r}"))).collect(),
        ),
        Some(Command::RequestCompletion { items }) | Some(Command::RequestSupplement { items, .. }) => (
            "Cơ quan yêu cầu Ông/Bà bổ sung, hoàn thiện hồ sơ; thời gian giải quyết tạm dừng đến khi nhận đủ.".into(),
            std::iter::once("Nội dung cần bổ sung:".to_owned()).chain(items.iter().map(|i| format!("- {i}"))).collect(),
        ),
        Some(Command::RequestPayment { amount_vnd, .. }) => {
            ("Đề nghị Ông/Bà thực hiện nghĩa vụ tài chính.".into(), vec![format!("Số tiền: {} đồng", vnd(*amount_vnd))])
        }
        Some(Command::Apologise { new_due, reason, .. }) => {
            let mut lines = vec![format!("Lý do: {reason}")];
            if let Some(orig) = w.due_original {
                lines.push(format!("Ngày hẹn ban đầu: {}", at_vi(orig)));
            }
            lines.push(format!("Ngày hẹn mới: {}", at_vi(*new_due)));
            ("Cơ quan xin lỗi Ông/Bà vì hồ sơ chưa giải quyết được đúng hẹn.".into(), lines)
        }
        Some(Command::Resolve { outcome }) => (
            match outcome {
                Outcome::Granted => "Hồ sơ đã có kết quả; mời Ông/Bà nhận kết quả.".into(),
                Outcome::Rejected => {
                    "Hồ sơ đã được xử lý: không đủ điều kiện giải quyết; mời Ông/Bà nhận văn bản trả lời.".into()
                }
            },
            vec![],
        ),
        Some(Command::Return { .. }) => ("Kết quả đã được trả cho Ông/Bà.".into(), vec![]),
        Some(Command::Stop { reason }) => ("Hồ sơ đã dừng xử lý.".into(), vec![format!("Lý do: {reason}")]),
        Some(Command::RequestWithdrawal) => ("Cơ quan đã nhận yêu cầu rút hồ sơ của Ông/Bà.".into(), vec![]),
        Some(_) => (format!("Hồ sơ chuyển sang trạng thái «{}».", input.change.to.label_vi()), vec![]),
    }
}

/// What the subject line and the SMS say happened: the new status, or the request to complete
/// the dossier when the status stays the same.
fn headline(input: &NoticeInput) -> &'static str {
    match input.change.command {
        Some(Command::RequestCompletion { .. }) => "Yêu cầu hoàn thiện hồ sơ",
        _ => input.change.to.label_vi(),
    }
}

/// The result was handed over: the applicant is invited to evaluate the handling.
fn invites_rating(input: &NoticeInput) -> bool {
    matches!(input.change.command, Some(Command::Return { .. }))
}

/// The notices of a change, one per channel the applicant can be reached on; none when the
/// change is not notified.
pub fn compose(input: &NoticeInput, settings: &NoticeSettings) -> Vec<Notice> {
    if !input.change.is_notified() {
        return vec![];
    }
    let (sentence, lines) = what_happened(input);
    let mut out = Vec::new();
    let email = input.applicant.email.as_deref().map(str::trim).filter(|e| !e.is_empty());
    if let (true, Some(address)) = (settings.email, email) {
        let mut body = format!("Kính gửi Ông/Bà {},\n\n{sentence}\n\n", input.applicant.name);
        body.push_str(&format!("Mã hồ sơ: {}\n", input.code));
        body.push_str(&format!("Thủ tục: {}\n", input.procedure_name));
        body.push_str(&format!("Trạng thái: {}\n", input.change.to.label_vi()));
        for l in &lines {
            body.push_str(l);
            body.push('\n');
        }
        body.push_str(&format!("\nCơ quan tiếp nhận: {}\n", input.receiving_agency));
        body.push_str(&format!("Cơ quan giải quyết: {}\n", input.handling_agency));
        body.push_str(&format!("Cán bộ thực hiện: {}\n", input.officer));
        body.push_str(&format!("Thời điểm tiếp nhận: {}\n", at_vi(input.change.received_at)));
        body.push_str(&format!("Thời điểm cập nhật: {}\n", at_vi(input.change.at)));
        if let Some(t) = input.change.workflow.ended_at.filter(|_| input.change.to == State::Returned) {
            body.push_str(&format!("Thời điểm trả kết quả: {}\n", at_vi(t)));
        } else if let Some(d) = input.change.workflow.due_current {
            body.push_str(&format!("Hẹn trả kết quả: {}\n", at_vi(d)));
        }
        body.push_str(&format!("\nTra cứu tình trạng hồ sơ: {}\n", input.lookup_url));
        if invites_rating(input) {
            body.push_str(&format!(
                "Mời Ông/Bà đánh giá mức độ hài lòng về việc giải quyết hồ sơ: {}\n",
                input.rating_url
            ));
        }
        body.push_str("\nThư này được gửi tự động; xin đừng trả lời thư này.\n");
        out.push(Notice {
            channel: NoticeChannel::Email,
            recipient: address.to_owned(),
            subject: format!("Hồ sơ {}: {}", input.code, headline(input)),
            body,
        });
    }
    if let (true, Some(phone)) = (settings.sms, input.applicant.phone.as_ref()) {
        let mut text = format!("Ho so {}: {}.", input.code, headline(input));
        match input.change.command {
            Some(Command::RequestCompletion { items } | Command::RequestSupplement { items, .. }) => {
                text.push_str(&format!(" Can bo sung: {}.", items.join("; ")));
            }
            Some(Command::Apologise { new_due, .. }) => {
                text.push_str(&format!(" Hen moi: {}.", new_due.format("%H:%M %d/%m/%Y")));
            }
            Some(Command::RequestPayment { amount_vnd, .. }) => {
                text.push_str(&format!(" So tien: {} d.", vnd(*amount_vnd)));
            }
            _ if !input.change.to.is_terminal() && input.change.to != State::Resolved => {
                if let Some(d) = input.change.workflow.due_current {
                    text.push_str(&format!(" Hen tra: {}.", d.format("%H:%M %d/%m/%Y")));
                }
            }
            _ => {}
        }
        if invites_rating(input) {
            text.push_str(&format!(" Moi danh gia: {}", input.rating_url));
        } else {
            text.push_str(&format!(" Tra cuu: {}", input.lookup_url));
        }
        out.push(Notice::sms(phone, text, settings));
    }
    out
}

impl Notice {
    /// An SMS of `text` to `phone`, without diacritics when the province writes them so.
    pub fn sms(phone: &crate::person::Phone, text: String, settings: &NoticeSettings) -> Self {
        let body = if settings.sms_ascii { strip_marks(&text) } else { text };
        Notice { channel: NoticeChannel::Sms, recipient: phone.as_str().to_owned(), subject: String::new(), body }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::calendar::deadline::vn_offset;
    use crate::dossier::{Policy, transition};
    use crate::person::Phone;
    use chrono::TimeZone;

    fn applicant(email: Option<&str>, phone: Option<&str>) -> Applicant {
        serde_json::from_value(serde_json::json!({
            "kind": "citizen", "citizen_id": "001090012345", "name": "Nguyễn Văn An",
        }))
        .map(|a: Applicant| Applicant {
            email: email.map(str::to_owned),
            phone: phone.map(|p| Phone::parse(p).unwrap()),
            ..a
        })
        .unwrap()
    }

    fn at(d: u32, h: u32) -> Instant {
        vn_offset().with_ymd_and_hms(2026, 3, d, h, 0, 0).unwrap()
    }

    #[test]
    fn an_apology_says_both_appointments_by_email_and_sms() {
        let code = DossierCode::parse("000.00.01.H26-260302-0007").unwrap();
        let (w, _) =
            transition(&Dossier::submitted(), &Command::Accept { due: at(5, 17) }, at(2, 9), &Policy::default())
                .unwrap();
        let cmd =
            Command::Apologise { new_due: at(9, 17), reason: "Chờ xác minh".into(), notice_deadline: at(4, 17) };
        let (w, _) = transition(&w, &cmd, at(3, 10), &Policy::default()).unwrap();
        let a = applicant(Some("an@example.vn"), Some("0912 345 678"));
        let input = NoticeInput {
            code: &code,
            procedure_name: "Đăng ký khai sinh",
            applicant: &a,
            change: &Change {
                command: Some(&cmd),
                from: Some(State::Accepted),
                to: w.state,
                workflow: &w,
                at: at(3, 10),
                received_at: at(2, 9),
            },
            receiving_agency: "Trung tâm Phục vụ hành chính công xã An Lão",
            handling_agency: "UBND xã An Lão",
            officer: "Trần Thị Bình",
            lookup_url: "https://dvc.example.vn/tra-cuu?ma=000.00.01.H26-260302-0007",
            rating_url: "https://dvc.example.vn/danh-gia/000.00.01.H26-260302-0007",
        };
        let n = compose(&input, &NoticeSettings::default());
        assert_eq!(n.len(), 2);
        assert_eq!(n[0].channel, NoticeChannel::Email);
        assert_eq!(n[0].recipient, "an@example.vn");
        assert!(n[0].body.contains("Ngày hẹn ban đầu: 17:00 ngày 05/03/2026"), "{}", n[0].body);
        assert!(n[0].body.contains("Ngày hẹn mới: 17:00 ngày 09/03/2026"));
        assert!(n[0].body.contains("Cán bộ thực hiện: Trần Thị Bình"));
        assert!(!n[0].body.contains("danh-gia"), "only the returned result invites an evaluation");
        assert!(n[0].body.contains("Thời điểm tiếp nhận: 09:00 ngày 02/03/2026"));
        assert_eq!(n[1].channel, NoticeChannel::Sms);
        assert_eq!(n[1].recipient, "0912345678");
        assert!(n[1].body.is_ascii(), "{}", n[1].body);
        assert!(n[1].body.contains("Hen moi: 17:00 09/03/2026"), "{}", n[1].body);

        let sms_only = NoticeSettings { email: false, sms_ascii: false, ..NoticeSettings::default() };
        let n = compose(&input, &sms_only);
        assert_eq!(n.len(), 1);
        assert!(n[0].body.contains("Được tiếp nhận"), "{}", n[0].body);
    }

    #[test]
    fn internal_hand_offs_are_not_notified() {
        let cmd = Command::Assign { handler: "cv1".into() };
        assert!(!is_notified(Some(State::InProcessing), State::InProcessing, Some(&cmd)));
        let fwd = Command::Forward { agency: crate::ids::AgencyCode::parse("000.00.02.H26").unwrap() };
        // Processing and waiting for a cooperating agency are one national status (4).
        assert!(!is_notified(Some(State::InProcessing), State::AtCooperating, Some(&fwd)));
        assert!(is_notified(None, State::Submitted, None));
        let completion = Command::RequestCompletion { items: vec!["Tờ khai".into()] };
        assert!(
            is_notified(Some(State::Submitted), State::Submitted, Some(&completion)),
            "Mẫu 02 asks the applicant to act"
        );
        assert!(is_notified(Some(State::InProcessing), State::Supplementing, Some(&fwd)));
    }
}
