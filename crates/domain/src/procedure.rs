//! The procedure catalog (Cơ sở dữ liệu TTHC): a procedure has a stable national code and
//! versions. A version carries the seven constituent parts of Decree 63/2010 Art. 8(2), the
//! classification used by the Decision 766 index, and the province's internal workflow.
//!
//! Publishing rules (pure): a procedure has at most one draft; publishing a draft supersedes the
//! version in force (it becomes `amended`, its validity ends where the new one starts); abolishing
//! ends the version in force. Old versions stay readable, so a dossier can show the version it
//! was received under.

use serde::{Deserialize, Serialize};

use crate::FieldError;
use crate::ids::{AgencyCode, ProcedureCode};

pub mod eform;
mod history;
pub mod search;
mod workflow;
pub use history::{HistoryChange, Procedure, ProcedureVersion, Publication};
pub use workflow::{CooperatingAgency, InterAgency, StepRole, Workflow, WorkflowStep};

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VersionStatus {
    Draft,
    Published,
    /// Superseded by a later published version.
    Amended,
    /// The procedure was abolished while this version was in force.
    Abolished,
}

impl VersionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Published => "published",
            Self::Amended => "amended",
            Self::Abolished => "abolished",
        }
    }
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        [Self::Draft, Self::Published, Self::Amended, Self::Abolished]
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| FieldError::new("invalid_status", "status", format!("Trạng thái «{s}» không hợp lệ")))
    }
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Draft => "Dự thảo",
            Self::Published => "Đang áp dụng",
            Self::Amended => "Đã được sửa đổi",
            Self::Abolished => "Đã bãi bỏ",
        }
    }
    /// Whether the version was ever in force (and so answers "the version in force on D").
    pub fn was_published(self) -> bool {
        !matches!(self, Self::Draft)
    }
}

/// Level of government that implements the procedure (as published; a procedure may be listed
/// at several levels).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Ministry,
    Province,
    District,
    Commune,
    Other,
}

impl Level {
    pub const ALL: [Level; 5] = [Self::Ministry, Self::Province, Self::District, Self::Commune, Self::Other];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ministry => "ministry",
            Self::Province => "province",
            Self::District => "district",
            Self::Commune => "commune",
            Self::Other => "other",
        }
    }
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| FieldError::new("invalid_level", "level", format!("Cấp thực hiện «{s}» không hợp lệ")))
    }
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Ministry => "Cấp bộ",
            Self::Province => "Cấp tỉnh",
            Self::District => "Cấp huyện",
            Self::Commune => "Cấp xã",
            Self::Other => "Khác",
        }
    }
}

/// Online public-service level (Decree 42/2022, now Decree 224/2026): full-process or partial.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnlineLevel {
    Full,
    Partial,
    None,
    /// The published record does not say; an admin must set it.
    Unknown,
}

impl OnlineLevel {
    pub const ALL: [OnlineLevel; 4] = [Self::Full, Self::Partial, Self::None, Self::Unknown];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Full => "full",
            Self::Partial => "partial",
            Self::None => "none",
            Self::Unknown => "unknown",
        }
    }
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        Self::ALL.into_iter().find(|v| v.as_str() == s).ok_or_else(|| {
            FieldError::new("invalid_online_level", "online_level", format!("Mức độ trực tuyến «{s}» không hợp lệ"))
        })
    }
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Full => "Toàn trình",
            Self::Partial => "Một phần",
            Self::None => "Không trực tuyến",
            Self::Unknown => "Chưa xác định",
        }
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Counter,
    Online,
    Postal,
}

impl Channel {
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Counter => "Trực tiếp",
            Self::Online => "Trực tuyến",
            Self::Postal => "Dịch vụ bưu chính",
        }
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    WorkingDays,
    WorkingHours,
    Days,
    Months,
    /// The source gives a number without a unit; flagged for an admin, never guessed.
    Unspecified,
}

impl TimeUnit {
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::WorkingDays => "ngày làm việc",
            Self::WorkingHours => "giờ làm việc",
            Self::Days => "ngày",
            Self::Months => "tháng",
            Self::Unspecified => "(chưa rõ đơn vị)",
        }
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimeLimit {
    #[cfg_attr(feature = "openapi", schema(minimum = 0))]
    pub value: f64,
    pub unit: TimeUnit,
    /// The phrase as published, kept verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl TimeLimit {
    /// The limit with its unit, for staff: a number published without a unit says so.
    pub fn display_vi(&self) -> String {
        format!("{} {}", self.value_vi(), self.unit.label_vi())
    }

    fn value_vi(&self) -> String {
        if self.value.fract() == 0.0 { format!("{}", self.value as i64) } else { format!("{}", self.value) }
    }

    /// The limit as a citizen reads it: with its unit, or "Theo quy định" when the published text
    /// gives a number without one (the unit is never guessed; [`Self::public_note_vi`] says why).
    pub fn public_vi(&self) -> String {
        match self.unit {
            TimeUnit::Unspecified => "Theo quy định".to_owned(),
            _ => self.display_vi(),
        }
    }

    /// For a limit published without a unit: what the published text says, to show beside
    /// [`Self::public_vi`].
    pub fn public_note_vi(&self) -> Option<String> {
        (self.unit == TimeUnit::Unspecified).then(|| {
            let published = self.text.clone().unwrap_or_else(|| self.value_vi());
            format!(
                "văn bản công bố ghi «{published}», không nêu đơn vị; bộ phận một cửa ghi ngày hẹn cụ thể khi tiếp nhận"
            )
        })
    }
    /// Working hours when the unit allows the conversion (8 working hours a day).
    pub fn working_hours(&self) -> Option<f64> {
        match self.unit {
            TimeUnit::WorkingDays => Some(self.value * 8.0),
            TimeUnit::WorkingHours => Some(self.value),
            _ => None,
        }
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComponentKind {
    Original,
    Copy,
    CertifiedCopy,
    /// Shown at the desk, not kept (giấy tờ phải xuất trình).
    Present,
    /// The source does not say.
    Unspecified,
}

impl ComponentKind {
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Original => "Bản chính",
            Self::Copy => "Bản sao",
            Self::CertifiedCopy => "Bản sao chứng thực",
            Self::Present => "Xuất trình",
            Self::Unspecified => "Chưa rõ",
        }
    }

    /// Whether the dossier keeps a file of it (a paper only shown at the desk is not kept).
    pub fn needs_file(self) -> bool {
        self != Self::Present
    }
}

/// One required document (thành phần hồ sơ).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Component {
    /// Component code (mã thành phần hồ sơ) when one is assigned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[cfg_attr(feature = "openapi", schema(pattern = r"\S"))]
    pub name: String,
    pub quantity: u32,
    pub kind: ComponentKind,
    /// Case heading the component belongs to ("Trường hợp ...") as published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Name of the form file or e-form to fill in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<String>,
    /// Needed only in some cases (the published text says «nếu có», «trường hợp ủy quyền»…):
    /// an online filing is not held back for it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub conditional: bool,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fee {
    #[cfg_attr(feature = "openapi", schema(pattern = r"\S"))]
    pub name: String,
    /// Amount in VND; `None` when the published text gives no single amount.
    pub amount_vnd: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultDoc {
    pub name: String,
    /// Whether the result is a paper document (drives the Decision 766 e-result metrics);
    /// `None` when the published record does not say.
    #[serde(default)]
    pub paper: Option<bool>,
}

/// Where a version came from and what an admin should know about it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_url: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// The content of a procedure version: everything an admin edits.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]

pub struct VersionContent {
    #[cfg_attr(feature = "openapi", schema(pattern = r"\S"))]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[cfg_attr(feature = "openapi", schema(min_items = 1))]
    pub levels: Vec<Level>,
    pub online_level: OnlineLevel,
    #[serde(default)]
    pub full_process_eligible: bool,
    /// Sequence of steps (trình tự thực hiện) as published.
    #[serde(default)]
    pub steps: Vec<String>,
    #[serde(default)]
    pub channels: Vec<Channel>,
    #[serde(default)]
    pub components: Vec<Component>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_limit: Option<TimeLimit>,
    #[serde(default)]
    pub subjects: Vec<String>,
    /// Implementing agency as published (text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub implementing_agency: Option<String>,
    /// Deciding agency as published (text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deciding_agency: Option<String>,
    /// Agencies of the province's map that implement the procedure.
    #[serde(default)]
    pub agencies: Vec<AgencyCode>,
    #[serde(default)]
    pub results: Vec<ResultDoc>,
    #[serde(default)]
    pub fees: Vec<Fee>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eform: Option<String>,
    /// The declaration form (tờ khai) as fields the applicant fills in online (`eform` is the
    /// published form's name or address).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declaration: Option<eform::EForm>,
    #[serde(default)]
    pub conditions: Vec<String>,
    #[serde(default)]
    pub legal_basis: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workflow: Option<Workflow>,
    #[serde(default)]
    pub provenance: Provenance,
}

/// Something in a version an admin should review before relying on it. Flags never block
/// publication: the published record is law as published, with its gaps.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewFlag {
    pub code: &'static str,
    pub message: String,
}

impl VersionContent {
    /// Whether an online filer uploads a file for component `i`: one kept on file, unless the
    /// declaration filed online stands for it.
    pub fn upload_online(&self, i: usize) -> bool {
        self.components.get(i).is_some_and(|c| c.kind.needs_file())
            && !self.declaration.as_ref().is_some_and(|d| d.replaces.contains(&i))
    }

    /// Whether an online filing must carry a file for component `i`: one it uploads that is not
    /// needed only in some cases.
    pub fn upload_required(&self, i: usize) -> bool {
        self.upload_online(i) && self.components.get(i).is_some_and(|c| !c.conditional)
    }

    /// Structural validation; errors name the field.
    pub fn validate(&self) -> Result<(), FieldError> {
        if let Some(d) = &self.declaration {
            d.validate()?;
            if let Some(i) = d.replaces.iter().find(|i| **i >= self.components.len()) {
                return Err(FieldError::new(
                    "invalid_eform",
                    "eform.replaces",
                    format!("Tờ khai thay cho thành phần hồ sơ thứ {} nhưng thủ tục không có thành phần này", i + 1),
                ));
            }
        }
        if self.name.trim().is_empty() {
            return Err(FieldError::new("required", "name", "Tên thủ tục không được để trống"));
        }
        if self.levels.is_empty() {
            return Err(FieldError::new("required", "levels", "Cần ít nhất một cấp thực hiện"));
        }
        if let Some(t) = &self.time_limit
            && (!t.value.is_finite() || t.value < 0.0)
        {
            return Err(FieldError::new(
                "invalid_time_limit",
                "time_limit.value",
                "Thời hạn giải quyết phải là số không âm",
            ));
        }
        for (i, c) in self.components.iter().enumerate() {
            if c.name.trim().is_empty() {
                return Err(FieldError::new(
                    "required",
                    format!("components[{i}].name"),
                    "Tên thành phần hồ sơ không được để trống",
                ));
            }
        }
        for (i, f) in self.fees.iter().enumerate() {
            if f.name.trim().is_empty() {
                return Err(FieldError::new(
                    "required",
                    format!("fees[{i}].name"),
                    "Tên phí, lệ phí không được để trống",
                ));
            }
        }
        if let Some(w) = &self.workflow {
            w.validate().map_err(|e| e.under("workflow"))?;
        }
        Ok(())
    }

    /// What an admin should look at (kept visible, never silently "fixed").
    pub fn review_flags(&self) -> Vec<ReviewFlag> {
        let mut flags = Vec::new();
        match &self.time_limit {
            None => flags.push(ReviewFlag {
                code: "time_limit_missing",
                message: "Nguồn công bố không ghi thời hạn giải quyết".into(),
            }),
            Some(t) if t.unit == TimeUnit::Unspecified => flags.push(ReviewFlag {
                code: "time_limit_without_unit",
                message: format!(
                    "Thời hạn «{}» không ghi đơn vị thời gian; cần quản trị viên xác định",
                    t.text.as_deref().unwrap_or("")
                ),
            }),
            Some(_) => {}
        }
        if self.online_level == OnlineLevel::Unknown {
            flags.push(ReviewFlag {
                code: "online_level_unknown",
                message: "Chưa xác định mức độ dịch vụ công trực tuyến".into(),
            });
        }
        if self.field.is_none() {
            flags.push(ReviewFlag { code: "field_missing", message: "Chưa có lĩnh vực".into() });
        }
        if self.components.is_empty() {
            flags.push(ReviewFlag { code: "components_missing", message: "Chưa có thành phần hồ sơ".into() });
        }
        if self.results.iter().any(|r| r.paper.is_none()) {
            flags.push(ReviewFlag {
                code: "result_kind_unknown",
                message: "Chưa xác định kết quả có phải giấy tờ (bản giấy) hay không".into(),
            });
        }
        if self.fees.iter().any(|f| f.amount_vnd.is_none()) {
            flags.push(ReviewFlag {
                code: "fee_amount_unknown",
                message: "Có khoản phí, lệ phí chưa có mức thu cụ thể".into(),
            });
        }
        if let (Some(w), Some(limit)) = (&self.workflow, self.time_limit.as_ref().and_then(TimeLimit::working_hours)) {
            let total = w.total_hours();
            if total > limit + 1e-9 {
                flags.push(ReviewFlag {
                    code: "workflow_exceeds_time_limit",
                    message: format!("Quy trình nội bộ dùng {total} giờ, vượt thời hạn {limit} giờ làm việc"),
                });
            }
        }
        flags
    }

    /// Whether an applicant may file online: the published ways of filing include online, or
    /// the online service level is partial or full; never when it is "not online".
    pub fn accepts_online(&self) -> bool {
        self.online_level != OnlineLevel::None
            && (self.channels.contains(&Channel::Online)
                || matches!(self.online_level, OnlineLevel::Full | OnlineLevel::Partial))
    }

    /// What a dossier received under this version keeps for the Decision 766 index: a result
    /// published as a paper document, and a fee (any listed fee whose amount is not zero; an
    /// amount the source does not give as one VND figure counts as a fee, docs/RULES.md §D5.5).
    pub fn index_traits(&self) -> crate::dossier::record::ProcedureTraits {
        crate::dossier::record::ProcedureTraits {
            paper_result: self.results.iter().any(|r| r.paper == Some(true)),
            fee_bearing: self.fees.iter().any(|f| f.amount_vnd != Some(0)),
        }
    }

    /// Whether the procedure serves people (citizens, Vietnamese abroad, foreigners) rather than
    /// only organisations: the base of metric 4.5 a.
    pub fn serves_people(&self) -> bool {
        self.subjects.iter().any(|s| {
            let k = crate::text::fold_vi(s);
            ["ca nhan", "cong dan", "nguoi nuoc ngoai", "nguoi viet nam", "ho gia dinh"].iter().any(|w| k.contains(w))
        })
    }

    /// Number of the seven constituent parts present (Decision 766 metric 1.3).
    pub fn has_all_seven_parts(&self) -> bool {
        !self.name.trim().is_empty()
            && !self.steps.is_empty()
            && !self.channels.is_empty()
            && !self.components.is_empty()
            && self.time_limit.is_some()
            && !self.subjects.is_empty()
            && (self.implementing_agency.is_some() || !self.agencies.is_empty())
    }

    /// Text the catalog search looks in, before folding.
    pub fn search_source(&self, code: &ProcedureCode) -> String {
        let mut s = format!("{} {}", code, self.name);
        if let Some(f) = &self.field {
            s.push(' ');
            s.push_str(f);
        }
        for r in &self.results {
            s.push(' ');
            s.push_str(&r.name);
        }
        for subj in &self.subjects {
            s.push(' ');
            s.push_str(subj);
        }
        s
    }

    /// Total fees with a known amount, in VND.
    pub fn known_fees_vnd(&self) -> u64 {
        self.fees.iter().filter_map(|f| f.amount_vnd).sum()
    }
}

#[cfg(test)]
mod tests;
