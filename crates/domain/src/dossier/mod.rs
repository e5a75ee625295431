//! The dossier (hồ sơ) workflow: a pure transition function
//! `(dossier, command, now, policy) → (dossier, events)` or a typed error (docs/RULES.md §D1.9,
//! §R1.2–R1.8). Internal states are richer than the ten national status codes (§D12.3)
//! and each maps onto one. No I/O and no clock: `now` is passed in; deadlines come from the
//! working calendar in the caller.

use serde::{Deserialize, Serialize};

use crate::calendar::deadline::Instant;
use crate::ids::AgencyCode;

pub mod access;
pub mod code;
pub mod event;
pub mod record;
pub mod steps;
pub mod watch;
pub use code::DossierCode;
pub use event::{CommandKind, EventDetail};

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Filed online (or by post), waiting for the desk's check.
    Submitted,
    /// Accepted at the desk: code and appointment given, not yet with the competent agency.
    Accepted,
    /// With the competent agency.
    InProcessing,
    /// Forwarded to cooperating agencies (inter-agency flow), waiting for their answers.
    AtCooperating,
    /// Supplement requested from the applicant: the clock is paused.
    Supplementing,
    /// Waiting for fees, charges or other financial obligations.
    AwaitingPayment,
    /// The applicant asked to withdraw; the desk has to stop it.
    WithdrawalRequested,
    /// Result decided (granted or not), waiting to be handed back.
    Resolved,
    /// Result handed back (terminal).
    Returned,
    /// Not accepted at intake (terminal).
    Refused,
    /// Processing stopped (terminal).
    Stopped,
    /// Withdrawn by the applicant before it was accepted (terminal).
    Withdrawn,
}

impl State {
    pub const ALL: [State; 12] = [
        Self::Submitted,
        Self::Accepted,
        Self::InProcessing,
        Self::AtCooperating,
        Self::Supplementing,
        Self::AwaitingPayment,
        Self::WithdrawalRequested,
        Self::Resolved,
        Self::Returned,
        Self::Refused,
        Self::Stopped,
        Self::Withdrawn,
    ];

    /// National status code (TrangThaiHoSo, docs/RULES.md §D12.3).
    pub fn national_code(self) -> u8 {
        match self {
            Self::Submitted => 1,
            Self::Accepted => 2,
            Self::Refused => 3,
            Self::InProcessing | Self::AtCooperating => 4,
            Self::Supplementing => 5,
            Self::AwaitingPayment => 6,
            Self::WithdrawalRequested => 7,
            Self::Stopped | Self::Withdrawn => 8,
            Self::Resolved => 9,
            Self::Returned => 10,
        }
    }

    pub fn is_terminal(self) -> bool {
        matches!(self, Self::Returned | Self::Refused | Self::Stopped | Self::Withdrawn)
    }

    /// Being handled: apologies, withdrawal and stop apply.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Self::Accepted | Self::InProcessing | Self::AtCooperating | Self::Supplementing | Self::AwaitingPayment
        )
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Submitted => "Mới đăng ký",
            Self::Accepted => "Được tiếp nhận",
            Self::InProcessing => "Đang xử lý",
            Self::AtCooperating => "Đang xin ý kiến cơ quan phối hợp",
            Self::Supplementing => "Yêu cầu bổ sung giấy tờ",
            Self::AwaitingPayment => "Yêu cầu thực hiện nghĩa vụ tài chính",
            Self::WithdrawalRequested => "Công dân yêu cầu rút hồ sơ",
            Self::Resolved => "Đã xử lý xong",
            Self::Returned => "Đã trả kết quả",
            Self::Refused => "Không được tiếp nhận",
            Self::Stopped => "Dừng xử lý",
            Self::Withdrawn => "Đã rút hồ sơ",
        }
    }
}

/// Rules that vary by procedure or province ([U] in the docs), as settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    /// Supplement requests allowed per agency during handling (Decree 118 Art. 11: once).
    pub supplements_per_agency: u32,
    /// Requests to complete allowed at intake (once).
    pub completions_at_intake: u32,
    /// New appointments allowed (docs/RULES.md §R1.2–R1.8: once).
    pub apologies: u32,
}

impl Default for Policy {
    fn default() -> Self {
        Self { supplements_per_agency: 1, completions_at_intake: 1, apologies: 1 }
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Granted,
    /// Not eligible: returned with a written notice stating the reasons.
    Rejected,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReturnMethod {
    Counter,
    Postal,
    Online,
}

impl Outcome {
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Granted => "giải quyết",
            Self::Rejected => "không đủ điều kiện giải quyết (có văn bản nêu lý do)",
        }
    }
}

impl ReturnMethod {
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Counter => "tại bộ phận một cửa",
            Self::Postal => "qua bưu chính",
            Self::Online => "trực tuyến",
        }
    }
}

/// A command on a dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "command")]
pub enum Command {
    Accept {
        due: Instant,
    },
    RequestCompletion {
        items: Vec<String>,
    },
    Refuse {
        reasons: Vec<String>,
    },
    Transfer {
        agency: AgencyCode,
    },
    Assign {
        handler: String,
    },
    CompleteStep {
        note: String,
    },
    Forward {
        agency: AgencyCode,
    },
    CooperationAnswered {
        agency: AgencyCode,
    },
    RequestSupplement {
        agency: AgencyCode,
        items: Vec<String>,
    },
    SupplementProvided,
    RequestPayment {
        amount_vnd: u64,
        /// What the amount is made of (the procedure's fees, less those exempted).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        due: Option<crate::payment::PaymentDue>,
    },
    /// Fees, charges or other obligations paid; `online` through an online payment (766 group 4).
    PaymentReceived {
        #[serde(default)]
        online: bool,
    },
    /// Apologise and set a new appointment; `notice_deadline` is one working day before the
    /// current due date (computed by the caller with the working calendar).
    Apologise {
        new_due: Instant,
        reason: String,
        notice_deadline: Instant,
    },
    Resolve {
        outcome: Outcome,
    },
    Return {
        collected_by: String,
        method: ReturnMethod,
    },
    RequestWithdrawal,
    Stop {
        reason: String,
    },
}

impl Command {
    /// The agency the command names: where it goes, the cooperating agency, or the one asking
    /// for a supplement.
    pub fn agency(&self) -> Option<&AgencyCode> {
        match self {
            Self::Transfer { agency }
            | Self::Forward { agency }
            | Self::CooperationAnswered { agency }
            | Self::RequestSupplement { agency, .. } => Some(agency),
            _ => None,
        }
    }

    pub fn kind(&self) -> CommandKind {
        match self {
            Self::Accept { .. } => CommandKind::Accept,
            Self::RequestCompletion { .. } => CommandKind::RequestCompletion,
            Self::Refuse { .. } => CommandKind::Refuse,
            Self::Transfer { .. } => CommandKind::Transfer,
            Self::Assign { .. } => CommandKind::Assign,
            Self::CompleteStep { .. } => CommandKind::CompleteStep,
            Self::Forward { .. } => CommandKind::Forward,
            Self::CooperationAnswered { .. } => CommandKind::CooperationAnswered,
            Self::RequestSupplement { .. } => CommandKind::RequestSupplement,
            Self::SupplementProvided => CommandKind::SupplementProvided,
            Self::RequestPayment { .. } => CommandKind::RequestPayment,
            Self::PaymentReceived { .. } => CommandKind::PaymentReceived,
            Self::Apologise { .. } => CommandKind::Apologise,
            Self::Resolve { .. } => CommandKind::Resolve,
            Self::Return { .. } => CommandKind::Return,
            Self::RequestWithdrawal => CommandKind::RequestWithdrawal,
            Self::Stop { .. } => CommandKind::Stop,
        }
    }

    pub fn name(&self) -> &'static str {
        self.kind().as_str()
    }
}

/// What happened, for the event log (the processing control sheet).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    pub at: Instant,
    pub command: CommandKind,
    pub from: State,
    pub to: State,
    /// Warnings the rules ask to record (e.g. an apology sent later than one working day
    /// before the due date).
    pub warnings: Vec<&'static str>,
}

/// One supplement request.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Supplement {
    pub agency: AgencyCode,
    pub items: Vec<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub requested_at: Instant,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub provided_at: Option<Instant>,
}

/// The workflow part of a dossier.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dossier {
    pub state: State,
    /// The agency holding the dossier.
    pub agency: Option<AgencyCode>,
    pub handler: Option<String>,
    /// Internal workflow steps completed.
    pub steps_done: u32,
    pub completions_requested: u32,
    pub supplements: Vec<Supplement>,
    pub cooperating_pending: Vec<AgencyCode>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub due_original: Option<Instant>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub due_current: Option<Instant>,
    pub apologies: u32,
    /// Fees were paid online (766 group 4).
    #[serde(default)]
    pub paid_online: bool,
    /// The amount the applicant was last asked to pay (đồng).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_due: Option<u64>,
    pub outcome: Option<Outcome>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub resolved_at: Option<Instant>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub ended_at: Option<Instant>,
}

impl Dossier {
    /// A dossier filed online or by post, waiting for the desk's check.
    pub fn submitted() -> Self {
        Self {
            state: State::Submitted,
            agency: None,
            handler: None,
            steps_done: 0,
            completions_requested: 0,
            supplements: vec![],
            cooperating_pending: vec![],
            due_original: None,
            due_current: None,
            apologies: 0,
            paid_online: false,
            payment_due: None,
            outcome: None,
            resolved_at: None,
            ended_at: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("«{command}» không thực hiện được khi hồ sơ ở trạng thái «{}»", state.label_vi())]
    NotAllowed { command: &'static str, state: State },
    #[error("Cơ quan đã yêu cầu bổ sung hồ sơ {0} lần; không được yêu cầu thêm")]
    SupplementLimit(u32),
    #[error("Đã yêu cầu hoàn thiện hồ sơ {0} lần khi tiếp nhận; không được yêu cầu thêm")]
    CompletionLimit(u32),
    #[error("Đã hẹn lại ngày trả kết quả {0} lần; không được hẹn lại thêm")]
    ApologyLimit(u32),
    #[error("Ngày hẹn mới phải sau thời điểm hiện tại và sau ngày hẹn đang có")]
    RescheduleIntoPast,
    #[error("{0}")]
    Invalid(&'static str),
}

impl TransitionError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotAllowed { .. } => "command_not_allowed",
            Self::SupplementLimit(_) => "supplement_limit",
            Self::CompletionLimit(_) => "completion_limit",
            Self::ApologyLimit(_) => "apology_limit",
            Self::RescheduleIntoPast => "reschedule_into_past",
            Self::Invalid(_) => "invalid_command",
        }
    }
}

fn non_empty(items: &[String], what: &'static str) -> Result<(), TransitionError> {
    if items.is_empty() || items.iter().any(|i| i.trim().is_empty()) {
        Err(TransitionError::Invalid(what))
    } else {
        Ok(())
    }
}

/// Ask a cooperating agency (liên thông) that does not hold the dossier yet.
fn forward(n: &mut Dossier, agency: &AgencyCode) -> Result<State, TransitionError> {
    if n.cooperating_pending.contains(agency) || n.agency.as_ref() == Some(agency) {
        return Err(TransitionError::Invalid("Cơ quan này đang giữ hồ sơ"));
    }
    n.cooperating_pending.push(agency.clone());
    Ok(State::AtCooperating)
}

/// A cooperating agency answered; back in processing when none is pending.
fn answered(n: &mut Dossier, agency: &AgencyCode) -> Result<State, TransitionError> {
    let Some(i) = n.cooperating_pending.iter().position(|a| a == agency) else {
        return Err(TransitionError::Invalid("Cơ quan này không được xin ý kiến"));
    };
    n.cooperating_pending.remove(i);
    Ok(if n.cooperating_pending.is_empty() { State::InProcessing } else { State::AtCooperating })
}

/// A supplement asked by `agency` (at most `supplements_per_agency` times each).
fn request_supplement(
    n: &mut Dossier,
    agency: &AgencyCode,
    items: &[String],
    now: Instant,
    policy: &Policy,
) -> Result<State, TransitionError> {
    non_empty(items, "Cần liệt kê giấy tờ phải bổ sung và lý do")?;
    let before = n.supplements.iter().filter(|s| &s.agency == agency).count() as u32;
    if before >= policy.supplements_per_agency {
        return Err(TransitionError::SupplementLimit(before));
    }
    n.supplements.push(Supplement {
        agency: agency.clone(),
        items: items.to_vec(),
        requested_at: now,
        provided_at: None,
    });
    Ok(State::Supplementing)
}

/// An apology with a new appointment later than now and than the current one (at most
/// `apologies` times); the state does not change.
fn apologise(
    n: &mut Dossier,
    new_due: Instant,
    reason: &str,
    now: Instant,
    policy: &Policy,
) -> Result<(), TransitionError> {
    if reason.trim().is_empty() {
        return Err(TransitionError::Invalid("Cần nêu lý do chậm"));
    }
    if n.apologies >= policy.apologies {
        return Err(TransitionError::ApologyLimit(n.apologies));
    }
    if new_due <= now || n.due_current.is_some_and(|c| new_due <= c) {
        return Err(TransitionError::RescheduleIntoPast);
    }
    n.apologies += 1;
    n.due_current = Some(new_due);
    Ok(())
}

/// Apply `cmd` to `d` at `now`.
pub fn transition(
    d: &Dossier,
    cmd: &Command,
    now: Instant,
    policy: &Policy,
) -> Result<(Dossier, Vec<Event>), TransitionError> {
    use State::*;
    let not_allowed = || TransitionError::NotAllowed { command: cmd.name(), state: d.state };
    if !access::accepts_command(d.state, cmd.kind()) {
        return Err(not_allowed());
    }
    let mut n = d.clone();
    let mut warnings = Vec::new();
    let to = match (d.state, cmd) {
        (s, _) if s.is_terminal() => return Err(not_allowed()),
        (Submitted, Command::Accept { due }) => {
            if *due <= now {
                return Err(TransitionError::RescheduleIntoPast);
            }
            n.due_original = Some(*due);
            n.due_current = Some(*due);
            Accepted
        }
        (Submitted, Command::RequestCompletion { items }) => {
            non_empty(items, "Cần liệt kê đủ các giấy tờ phải hoàn thiện")?;
            if d.completions_requested >= policy.completions_at_intake {
                return Err(TransitionError::CompletionLimit(d.completions_requested));
            }
            n.completions_requested += 1;
            Submitted
        }
        (Submitted, Command::Refuse { reasons }) => {
            non_empty(reasons, "Cần nêu lý do từ chối")?;
            n.ended_at = Some(now);
            Refused
        }
        (Submitted, Command::RequestWithdrawal) => {
            n.ended_at = Some(now);
            Withdrawn
        }
        (Accepted, Command::Transfer { agency }) => {
            n.agency = Some(agency.clone());
            InProcessing
        }
        (InProcessing, Command::Transfer { agency }) => {
            n.agency = Some(agency.clone());
            n.handler = None;
            InProcessing
        }
        (InProcessing, Command::Assign { handler }) => {
            if handler.trim().is_empty() {
                return Err(TransitionError::Invalid("Cần người xử lý"));
            }
            n.handler = Some(handler.clone());
            InProcessing
        }
        (InProcessing, Command::CompleteStep { .. }) => {
            n.steps_done += 1;
            InProcessing
        }
        (InProcessing | AtCooperating, Command::Forward { agency }) => forward(&mut n, agency)?,
        (AtCooperating, Command::CooperationAnswered { agency }) => answered(&mut n, agency)?,
        (InProcessing | AtCooperating, Command::RequestSupplement { agency, items }) => {
            request_supplement(&mut n, agency, items, now, policy)?
        }
        (Supplementing, Command::SupplementProvided) => {
            if let Some(s) = n.supplements.last_mut() {
                s.provided_at = Some(now);
            }
            if n.cooperating_pending.is_empty() { InProcessing } else { AtCooperating }
        }
        (InProcessing, Command::RequestPayment { amount_vnd, due }) => {
            if *amount_vnd == 0 || due.as_ref().is_some_and(|d| d.total() != *amount_vnd) {
                return Err(TransitionError::Invalid("Số tiền phải lớn hơn 0 và bằng tổng các khoản phải nộp"));
            }
            n.payment_due = Some(*amount_vnd);
            AwaitingPayment
        }
        (AwaitingPayment, Command::PaymentReceived { online }) => {
            n.paid_online |= *online;
            InProcessing
        }
        (s, Command::Apologise { new_due, reason, notice_deadline }) if s.is_open() => {
            if now > *notice_deadline {
                warnings.push("apology_after_notice_deadline");
            }
            apologise(&mut n, *new_due, reason, now, policy)?;
            s
        }
        (InProcessing, Command::Resolve { outcome }) => {
            n.outcome = Some(*outcome);
            n.resolved_at = Some(now);
            Resolved
        }
        (Resolved, Command::Return { collected_by, .. }) => {
            if collected_by.trim().is_empty() {
                return Err(TransitionError::Invalid("Cần ghi người nhận kết quả"));
            }
            n.ended_at = Some(now);
            Returned
        }
        (s, Command::RequestWithdrawal) if s.is_open() => WithdrawalRequested,
        // A stop notice is issued only while no decision exists (TT 03/2025 Art. 7).
        (s, Command::Stop { reason }) if s.is_open() || s == WithdrawalRequested => {
            if reason.trim().is_empty() {
                return Err(TransitionError::Invalid("Cần nêu lý do dừng xử lý"));
            }
            n.ended_at = Some(now);
            Stopped
        }
        _ => return Err(not_allowed()),
    };
    n.state = to;
    Ok((n, vec![Event { at: now, command: cmd.kind(), from: d.state, to, warnings }]))
}

#[cfg(test)]
mod tests;
