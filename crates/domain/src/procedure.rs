//! The procedure catalog (Cơ sở dữ liệu TTHC): a procedure has a stable national code and
//! versions. A version carries the seven constituent parts of Decree 63/2010 Art. 8(2), the
//! classification used by the Decision 766 index, and the province's internal workflow.
//!
//! Publishing rules (pure): a procedure has at most one draft; publishing a draft supersedes the
//! version in force (it becomes `amended`, its validity ends where the new one starts); abolishing
//! ends the version in force. Old versions stay readable, so a dossier can show the version it
//! was received under.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::FieldError;
use crate::ids::{AgencyCode, ProcedureCode};

pub mod search;
mod workflow;
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
    pub fn display_vi(&self) -> String {
        let v = if self.value.fract() == 0.0 { format!("{}", self.value as i64) } else { format!("{}", self.value) };
        match self.unit {
            TimeUnit::Unspecified => format!("{v} {}", self.unit.label_vi()),
            u => format!("{v} {}", u.label_vi()),
        }
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
    /// Structural validation; errors name the field.
    pub fn validate(&self) -> Result<(), FieldError> {
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

/// Publication metadata of a version.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Publication {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_no: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_from: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_to: Option<NaiveDate>,
    /// The day the version was publicised on the national procedure database (Decision 766
    /// metric 1.2); `None` until then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publicised_on: Option<NaiveDate>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProcedureVersion {
    pub number: u32,
    pub status: VersionStatus,
    #[serde(flatten)]
    pub publication: Publication,
    #[serde(flatten)]
    pub content: VersionContent,
}

impl ProcedureVersion {
    pub fn in_force_on(&self, date: NaiveDate) -> bool {
        self.status.was_published()
            && self.publication.effective_from.is_some_and(|f| f <= date)
            && self.publication.effective_to.is_none_or(|t| date < t)
    }
}

/// A procedure with all its versions, oldest first (the import/export unit).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Procedure {
    pub code: ProcedureCode,
    pub versions: Vec<ProcedureVersion>,
}

impl Procedure {
    pub fn version_on(&self, date: NaiveDate) -> Option<&ProcedureVersion> {
        self.versions.iter().rev().find(|v| v.in_force_on(date))
    }

    pub fn draft(&self) -> Option<&ProcedureVersion> {
        self.versions.iter().find(|v| v.status == VersionStatus::Draft)
    }

    /// Validate the whole history: numbering, one draft at most, publication dates in order,
    /// non-overlapping periods. Errors name the version.
    pub fn validate(&self) -> Result<(), FieldError> {
        if self.versions.is_empty() {
            return Err(FieldError::new("required", "versions", "Thủ tục cần ít nhất một phiên bản"));
        }
        let mut drafts = 0;
        let mut last_to: Option<NaiveDate> = None;
        let mut last_from: Option<NaiveDate> = None;
        for (i, v) in self.versions.iter().enumerate() {
            let at = format!("versions[{i}]");
            if v.number as usize != i + 1 {
                return Err(FieldError::new(
                    "invalid_version_number",
                    format!("{at}.number"),
                    format!("Số phiên bản phải là {}", i + 1),
                ));
            }
            v.content.validate().map_err(|e| e.under(&at))?;
            if v.status == VersionStatus::Draft {
                drafts += 1;
                if drafts > 1 {
                    return Err(FieldError::new(
                        "two_drafts",
                        format!("{at}.status"),
                        "Mỗi thủ tục chỉ có một dự thảo",
                    ));
                }
                continue;
            }
            let Some(from) = v.publication.effective_from else {
                return Err(FieldError::new(
                    "required",
                    format!("{at}.effective_from"),
                    "Phiên bản đã công bố phải có ngày hiệu lực",
                ));
            };
            if let Some(to) = v.publication.effective_to
                && to <= from
            {
                return Err(FieldError::new(
                    "invalid_validity",
                    format!("{at}.effective_to"),
                    "Ngày hết hiệu lực phải sau ngày có hiệu lực",
                ));
            }
            if last_from.is_some_and(|lf| from <= lf) || last_to.is_some_and(|lt| from < lt) {
                return Err(FieldError::new(
                    "overlapping_versions",
                    format!("{at}.effective_from"),
                    "Thời gian hiệu lực chồng lấn với phiên bản trước",
                ));
            }
            if last_to.is_none() && last_from.is_some() {
                return Err(FieldError::new(
                    "overlapping_versions",
                    format!("{at}.effective_from"),
                    "Phiên bản trước chưa có ngày hết hiệu lực",
                ));
            }
            last_from = Some(from);
            last_to = v.publication.effective_to;
        }
        Ok(())
    }

    /// Start a new draft from the latest version. Fails when a draft exists or the procedure
    /// has been abolished.
    pub fn new_draft(&self, content: VersionContent) -> Result<ProcedureVersion, crate::DomainError> {
        if self.draft().is_some() {
            return Err(crate::DomainError::not_allowed("draft_exists", "Thủ tục đã có một dự thảo chưa công bố"));
        }
        if self.versions.last().is_some_and(|v| v.status == VersionStatus::Abolished) {
            return Err(crate::DomainError::not_allowed("procedure_abolished", "Thủ tục đã bị bãi bỏ"));
        }
        content.validate()?;
        Ok(ProcedureVersion {
            number: self.versions.len() as u32 + 1,
            status: VersionStatus::Draft,
            publication: Publication {
                decision_no: None,
                decision_date: None,
                effective_from: None,
                effective_to: None,
                publicised_on: None,
            },
            content,
        })
    }

    /// Publish the draft from `effective_from`. The version in force (if any) becomes
    /// `amended` and ends on that date. Returns the changed versions.
    pub fn publish(
        &mut self,
        decision_no: String,
        decision_date: NaiveDate,
        effective_from: NaiveDate,
    ) -> Result<Vec<ProcedureVersion>, crate::DomainError> {
        let decision_no = decision_no.trim().to_owned();
        if decision_no.is_empty() {
            return Err(FieldError::new("required", "decision_no", "Cần số quyết định công bố").into());
        }
        if effective_from < decision_date {
            return Err(FieldError::new(
                "invalid_effective_from",
                "effective_from",
                "Ngày có hiệu lực không được trước ngày quyết định",
            )
            .into());
        }
        let Some(di) = self.versions.iter().position(|v| v.status == VersionStatus::Draft) else {
            return Err(crate::DomainError::not_allowed("no_draft", "Không có dự thảo để công bố"));
        };
        let mut changed = Vec::new();
        if let Some(pi) = self.versions.iter().rposition(|v| v.status == VersionStatus::Published) {
            let prev = &mut self.versions[pi];
            if prev.publication.effective_from.is_some_and(|f| effective_from <= f) {
                return Err(FieldError::new(
                    "invalid_effective_from",
                    "effective_from",
                    "Ngày có hiệu lực phải sau ngày có hiệu lực của phiên bản đang áp dụng",
                )
                .into());
            }
            prev.status = VersionStatus::Amended;
            prev.publication.effective_to = Some(effective_from);
            changed.push(prev.clone());
        }
        let draft = &mut self.versions[di];
        draft.status = VersionStatus::Published;
        draft.publication = Publication {
            decision_no: Some(decision_no),
            decision_date: Some(decision_date),
            effective_from: Some(effective_from),
            effective_to: None,
            publicised_on: None,
        };
        changed.push(draft.clone());
        Ok(changed)
    }

    /// Record the day version `number` was publicised on the national procedure database. Only
    /// a published version, and not before its publishing decision.
    pub fn mark_publicised(&mut self, number: u32, on: NaiveDate) -> Result<ProcedureVersion, crate::DomainError> {
        let v = self.versions.iter_mut().find(|v| v.number == number).ok_or_else(|| {
            crate::DomainError::not_allowed("version_not_found", format!("Không có phiên bản {number}"))
        })?;
        if !v.status.was_published() {
            return Err(crate::DomainError::not_allowed("not_published", "Chỉ công khai phiên bản đã được công bố"));
        }
        if v.publication.decision_date.is_some_and(|d| on < d) {
            return Err(FieldError::new("invalid_date", "date", "Ngày công khai trước ngày quyết định công bố").into());
        }
        v.publication.publicised_on = Some(on);
        Ok(v.clone())
    }

    /// Abolish the procedure from `date`: the version in force ends then.
    pub fn abolish(&mut self, decision_no: String, date: NaiveDate) -> Result<ProcedureVersion, crate::DomainError> {
        let Some(pi) = self.versions.iter().rposition(|v| v.status == VersionStatus::Published) else {
            return Err(crate::DomainError::not_allowed("not_published", "Thủ tục chưa được công bố hoặc đã bãi bỏ"));
        };
        let v = &mut self.versions[pi];
        if v.publication.effective_from.is_some_and(|f| date <= f) {
            return Err(FieldError::new("invalid_date", "date", "Ngày bãi bỏ phải sau ngày có hiệu lực").into());
        }
        v.status = VersionStatus::Abolished;
        v.publication.effective_to = Some(date);
        let mut notes = v.content.provenance.notes.clone();
        notes.push(format!("Bãi bỏ theo {} từ ngày {}", decision_no.trim(), date.format("%d/%m/%Y")));
        v.content.provenance.notes = notes;
        Ok(v.clone())
    }
}

#[cfg(test)]
mod tests;
