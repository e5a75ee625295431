//! Feedback and petitions (phản ánh, kiến nghị; docs/RULES.md §D7): received from citizens
//! with or without a dossier, classified (about regulations and procedures, or about an
//! official's conduct), assigned to an agency, refused, supplemented, answered, and the answer
//! published for everyone to read and like or dislike. The National Portal's limits in working
//! days (refuse ≤ 2, first supplement request ≤ 5, handle ≤ 15 from receipt or the latest
//! assignment, publish ≤ 2 after the answer) are settings ([`Limits`]); Decree 20/2008 itself
//! sets only the 5-day transfer.

use serde::{Deserialize, Serialize};

use crate::FieldError;
use crate::calendar::deadline::Instant;
use crate::dossier::DossierCode;
use crate::ids::AgencyCode;

/// What a petition is about (Decision 766 info metric 5.1).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PetitionKind {
    /// About regulations, policies, administrative procedures.
    Regulation,
    /// About the conduct of officials.
    Conduct,
}

impl PetitionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Regulation => "regulation",
            Self::Conduct => "conduct",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Regulation => "Về quy định hành chính, thủ tục hành chính",
            Self::Conduct => "Về hành vi, thái độ của cán bộ, công chức",
        }
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PetitionState {
    /// Received, being handled.
    Received,
    /// Waiting for the petitioner's supplement.
    AwaitingSupplement,
    /// Answered, the answer waiting to be published.
    Answered,
    Published,
    /// Not accepted (outside the scope of a petition, or not meeting its requirements).
    Refused,
}

impl PetitionState {
    pub const ALL: [PetitionState; 5] =
        [Self::Received, Self::AwaitingSupplement, Self::Answered, Self::Published, Self::Refused];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::AwaitingSupplement => "awaiting_supplement",
            Self::Answered => "answered",
            Self::Published => "published",
            Self::Refused => "refused",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Received => "Đang xử lý",
            Self::AwaitingSupplement => "Chờ bổ sung thông tin",
            Self::Answered => "Đã xử lý, chờ công khai",
            Self::Published => "Đã công khai kết quả",
            Self::Refused => "Không tiếp nhận",
        }
    }
}

/// The limits in working days (docs/RULES.md §D7: the National Portal's operating rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Limits {
    pub refuse: u32,
    pub supplement: u32,
    pub handle: u32,
    pub publish: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self { refuse: 2, supplement: 5, handle: 15, publish: 2 }
    }
}

/// Who sent it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Petitioner {
    #[cfg_attr(feature = "openapi", schema(pattern = r"\S", max_length = 200))]
    pub name: String,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
}

/// A petition as sent.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PetitionInput {
    pub petitioner: Petitioner,
    #[cfg_attr(feature = "openapi", schema(pattern = r"\S", max_length = 300))]
    pub title: String,
    #[cfg_attr(feature = "openapi", schema(pattern = r"\S", max_length = 5000))]
    pub content: String,
    /// The dossier it is about, if any.
    #[serde(default)]
    pub dossier: Option<String>,
}

/// The deadlines of a petition, from the legal calendar.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadlines {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub refuse_by: Instant,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub supplement_by: Instant,
    /// From receipt or the latest assignment.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub handle_by: Instant,
    /// Once answered.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub publish_by: Option<Instant>,
}

/// A step of a petition's handling, as the history shows it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PetitionStep {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub at: Instant,
    pub by: String,
    /// What was done, in Vietnamese, with what was typed.
    pub text: String,
}

/// A petition and its handling.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Petition {
    pub id: uuid::Uuid,
    /// The office that received it (the provincial office or an agency).
    pub agency: AgencyCode,
    pub petitioner: Petitioner,
    pub title: String,
    pub content: String,
    pub dossier: Option<DossierCode>,
    pub kind: Option<PetitionKind>,
    /// The agency handling it once assigned.
    pub assigned: Option<AgencyCode>,
    pub state: PetitionState,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub received_at: Instant,
    pub deadlines: Deadlines,
    pub answer: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub answered_at: Option<Instant>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub published_at: Option<Instant>,
    /// Refusal reason, or the items to supplement.
    pub note: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub refused_at: Option<Instant>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub first_supplement_at: Option<Instant>,
    pub likes: u32,
    pub dislikes: u32,
    pub history: Vec<PetitionStep>,
    pub revision: i64,
}

/// What an officer does to a petition.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum PetitionAction {
    Classify {
        kind: PetitionKind,
    },
    /// Hand it to the competent agency; the handling limit counts again from now.
    Assign {
        agency: AgencyCode,
    },
    RequestSupplement {
        items: String,
    },
    /// The petitioner's supplement arrived (by any channel).
    Supplemented {
        note: String,
    },
    Refuse {
        reason: String,
    },
    Answer {
        answer: String,
    },
    Publish,
}

impl PetitionInput {
    /// The checked input: name, title and content required, lengths bounded.
    pub fn check(&self) -> Result<PetitionInput, FieldError> {
        use crate::text::{optional_line, required_line};
        let p = &self.petitioner;
        let content = self.content.trim();
        if content.is_empty() {
            return Err(FieldError::new("required", "content", "Cần nội dung phản ánh, kiến nghị"));
        }
        if content.chars().count() > 5000 {
            return Err(FieldError::new("too_long", "content", "Nội dung dài quá 5000 ký tự"));
        }
        Ok(PetitionInput {
            petitioner: Petitioner {
                name: required_line(&p.name, "petitioner.name", 200, "họ tên người gửi")?,
                phone: optional_line(p.phone.as_deref(), "petitioner.phone", 20, "Số điện thoại")?,
                email: optional_line(p.email.as_deref(), "petitioner.email", 200, "Thư điện tử")?,
                address: optional_line(p.address.as_deref(), "petitioner.address", 300, "Địa chỉ")?,
            },
            title: required_line(&self.title, "title", 300, "tiêu đề")?,
            content: content.to_owned(),
            dossier: self.dossier.as_deref().map(str::trim).filter(|d| !d.is_empty()).map(str::to_owned),
        })
    }
}

fn not_now(action: &str, state: PetitionState) -> FieldError {
    FieldError::new(
        "petition_state",
        "action",
        format!("Không thể {action} khi phản ánh, kiến nghị ở trạng thái «{}»", state.label_vi()),
    )
}

impl Petition {
    /// A petition just received at `at` by `agency`, assigned to `assigned` when known.
    pub fn received(
        id: uuid::Uuid,
        agency: AgencyCode,
        input: PetitionInput,
        dossier: Option<DossierCode>,
        assigned: Option<AgencyCode>,
        at: Instant,
        deadlines: Deadlines,
    ) -> Self {
        Petition {
            id,
            agency,
            petitioner: input.petitioner,
            title: input.title,
            content: input.content,
            dossier,
            kind: None,
            assigned,
            state: PetitionState::Received,
            received_at: at,
            deadlines,
            answer: None,
            answered_at: None,
            published_at: None,
            note: None,
            refused_at: None,
            first_supplement_at: None,
            likes: 0,
            dislikes: 0,
            history: vec![],
            revision: 1,
        }
    }

    /// What everyone may read: the petitioner by initials and no contacts, no internal notes
    /// or history, the question and the answer once the answer is published.
    pub fn public(self) -> Self {
        let published = self.state == PetitionState::Published;
        Petition {
            petitioner: Petitioner { name: initials(&self.petitioner.name), phone: None, email: None, address: None },
            content: if published { self.content } else { String::new() },
            answer: if published { self.answer } else { None },
            note: None,
            history: vec![],
            ..self
        }
    }

    /// Apply `action` at `at` by `by`; `deadline_after(n)` gives the instant `n` working days
    /// after `at` (the legal calendar). The petition after it.
    pub fn apply(
        &self,
        action: &PetitionAction,
        at: Instant,
        by: &str,
        deadline_after: impl Fn(u32) -> Result<Instant, FieldError>,
        limits: &Limits,
    ) -> Result<Petition, FieldError> {
        use PetitionState::*;
        let mut p = self.clone();
        let open = matches!(self.state, Received | AwaitingSupplement);
        let text = match action {
            PetitionAction::Classify { kind } if self.state != Refused => format!("Phân loại: {}", kind.label_vi()),
            PetitionAction::Assign { agency } if open => {
                p.assigned = Some(agency.clone());
                p.deadlines.handle_by = deadline_after(limits.handle)?;
                format!("Chuyển cơ quan {agency} xử lý")
            }
            PetitionAction::RequestSupplement { items } if self.state == Received => {
                let items = crate::text::required_line(items, "items", 2000, "nội dung cần bổ sung")?;
                p.state = AwaitingSupplement;
                p.first_supplement_at.get_or_insert(at);
                p.note = Some(items.clone());
                format!("Đề nghị bổ sung: {items}")
            }
            PetitionAction::Supplemented { note } if self.state == AwaitingSupplement => {
                p.state = Received;
                let note = crate::text::optional_line(Some(note), "note", 2000, "Ghi chú")?.unwrap_or_default();
                format!("Đã nhận thông tin bổ sung. {note}").trim().to_owned()
            }
            PetitionAction::Refuse { reason } if open => {
                let reason = crate::text::required_line(reason, "reason", 2000, "lý do không tiếp nhận")?;
                p.state = Refused;
                p.refused_at = Some(at);
                p.note = Some(reason.clone());
                format!("Không tiếp nhận. Lý do: {reason}")
            }
            PetitionAction::Answer { answer } if open || self.state == Answered => {
                let answer = answer.trim();
                if answer.is_empty() {
                    return Err(FieldError::new("required", "answer", "Cần nội dung trả lời"));
                }
                p.state = Answered;
                p.answer = Some(answer.to_owned());
                p.answered_at = Some(at);
                p.deadlines.publish_by = Some(deadline_after(limits.publish)?);
                "Đã trả lời, chờ công khai".to_owned()
            }
            PetitionAction::Publish if self.state == Answered => {
                p.state = Published;
                p.published_at = Some(at);
                "Công khai kết quả xử lý".to_owned()
            }
            other => return Err(not_now(action_vi(other), self.state)),
        };
        if let PetitionAction::Classify { kind } = action {
            p.kind = Some(*kind);
        }
        p.history.push(PetitionStep { at, by: by.to_owned(), text });
        Ok(p)
    }

    /// Handled on time (metric 5.2), judged at `at` while it is open: refused by its refusal
    /// limit, or answered by its handling limit and published by its publishing limit.
    pub fn on_time(&self, at: Instant) -> bool {
        let d = &self.deadlines;
        let supplement_ok = self.first_supplement_at.is_none_or(|s| s <= d.supplement_by);
        let steps_ok = match self.state {
            PetitionState::Refused => self.refused_at.is_some_and(|r| r <= d.refuse_by),
            PetitionState::Published => {
                self.answered_at.is_some_and(|a| a <= d.handle_by)
                    && matches!((self.published_at, d.publish_by), (Some(p), Some(by)) if p <= by)
            }
            PetitionState::Answered => {
                self.answered_at.is_some_and(|a| a <= d.handle_by) && d.publish_by.is_some_and(|by| at <= by)
            }
            PetitionState::Received | PetitionState::AwaitingSupplement => at <= d.handle_by,
        };
        supplement_ok && steps_ok
    }

    /// "Not satisfied" (metric 5.3): its published answer has more dislikes than likes.
    pub fn not_satisfied(&self) -> bool {
        self.dislikes > self.likes
    }
}

/// "Vũ Minh Anh" → "V. M. Anh".
fn initials(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    match words.split_last() {
        Some((last, rest)) => {
            let mut s: Vec<String> = rest.iter().filter_map(|w| w.chars().next()).map(|c| format!("{c}.")).collect();
            s.push((*last).to_owned());
            s.join(" ")
        }
        None => String::new(),
    }
}

impl Petition {
    /// What the petitioner is told after `action`, by e-mail and SMS where they left contacts:
    /// a request to supplement, a refusal, the published answer (`url`: the petition's page).
    pub fn notices(
        &self,
        action: &PetitionAction,
        url: &str,
        settings: &crate::notice::NoticeSettings,
    ) -> Vec<crate::notice::Notice> {
        use crate::notice::{Notice, NoticeChannel};
        let what = match action {
            PetitionAction::RequestSupplement { .. } => "cơ quan đề nghị Ông/Bà bổ sung thông tin",
            PetitionAction::Refuse { .. } => "phản ánh, kiến nghị không được tiếp nhận",
            PetitionAction::Publish => "đã có kết quả xử lý và được công khai",
            _ => return vec![],
        };
        let mut out = Vec::new();
        let p = &self.petitioner;
        if let (true, Some(email)) = (settings.email, p.email.as_deref().filter(|e| !e.trim().is_empty())) {
            let mut body = format!("Kính gửi Ông/Bà {},\n\nPhản ánh, kiến nghị «{}»: {what}.\n", p.name, self.title);
            if let Some(n) = self.note.as_deref().filter(|_| !matches!(action, PetitionAction::Publish)) {
                body.push_str(&format!("{n}\n"));
            }
            body.push_str(&format!("\nXem chi tiết: {url}\n\nThư này được gửi tự động; xin đừng trả lời thư này.\n"));
            out.push(Notice {
                channel: NoticeChannel::Email,
                recipient: email.trim().to_owned(),
                subject: format!("Phản ánh, kiến nghị: {what}"),
                body,
            });
        }
        if let (true, Some(phone)) =
            (settings.sms, p.phone.as_deref().and_then(|x| crate::person::Phone::parse(x).ok()))
        {
            out.push(Notice::sms(&phone, format!("Phan anh, kien nghi: {what}. Xem: {url}"), settings));
        }
        out
    }
}

fn action_vi(a: &PetitionAction) -> &'static str {
    match a {
        PetitionAction::Classify { .. } => "phân loại",
        PetitionAction::Assign { .. } => "chuyển xử lý",
        PetitionAction::RequestSupplement { .. } => "đề nghị bổ sung",
        PetitionAction::Supplemented { .. } => "ghi nhận bổ sung",
        PetitionAction::Refuse { .. } => "từ chối",
        PetitionAction::Answer { .. } => "trả lời",
        PetitionAction::Publish => "công khai",
    }
}

/// The counts of metrics 5.2 (handled on time) and 5.3 (handled to the petitioners'
/// satisfaction: not "not satisfied", not late) over the petitions received in a period,
/// judged at `at`.
pub fn petition_counts<'a>(
    petitions: impl IntoIterator<Item = &'a Petition>,
    at: Instant,
) -> std::collections::BTreeMap<crate::index::Code, crate::index::Count> {
    use crate::index::{Code, Count};
    let mut counts = std::collections::BTreeMap::new();
    for p in petitions {
        let on_time = p.on_time(at);
        Count::tally(&mut counts, Code::PetitionProcessingOnTime, on_time);
        Count::tally(&mut counts, Code::PetitionHandlingSatisfaction, on_time && !p.not_satisfied());
    }
    counts
}

#[cfg(test)]
mod tests;
