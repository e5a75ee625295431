//! A dossier as stored: who applied, for which procedure version, where, when, and its
//! workflow state.

use serde::{Deserialize, Serialize};

use super::{CommandKind, Dossier, DossierCode, EventDetail, State};
use crate::calendar::deadline::Instant;
use crate::ids::{AgencyCode, ProcedureCode};
use crate::person::{CitizenId, Phone, TaxCode};
use crate::procedure::Channel;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ApplicantId {
    Citizen { citizen_id: CitizenId },
    Organisation { tax_code: TaxCode },
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applicant {
    #[serde(flatten)]
    pub id: ApplicantId,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<Phone>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

/// The set of printed forms of a dossier's rule set.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FormSet {
    /// Thông tư 01/2018/TT-VPCP: Mẫu 01–06.
    Tt01_2018,
    /// Thông tư 03/2025/TT-VPCP: 7 forms.
    Tt03_2025,
}

impl FormSet {
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Tt01_2018 => "Thông tư 01/2018/TT-VPCP",
            Self::Tt03_2025 => "Thông tư 03/2025/TT-VPCP",
        }
    }
}

/// What intake hands to the store; the store allocates the code.
#[derive(Debug, Clone)]
pub struct NewDossier {
    /// The receiving desk's agency (its identifier prefixes the code).
    pub agency: AgencyCode,
    pub competent_agency: AgencyCode,
    pub procedure: ProcedureCode,
    /// The procedure version in force at receipt (the rule set the dossier keeps).
    pub procedure_number: u32,
    pub channel: Channel,
    pub applicant: Applicant,
    pub workflow: Dossier,
    pub received_at: Instant,
    /// The working calendar the appointment was computed with.
    pub calendar_stamp: String,
    pub form_set: FormSet,
    /// The citizen account that filed it online, if any.
    pub submitted_by: Option<uuid::Uuid>,
    /// What the procedure version in force at receipt says of its result and fees.
    pub traits: ProcedureTraits,
    /// The applicant's identity confirmed by the population database at intake.
    pub population_data: bool,
    /// Filed online from a session opened through the national identity provider (VNeID).
    pub vneid: bool,
    /// The declaration form's answers as checked at intake, when the procedure version has one.
    pub declaration: Option<crate::procedure::eform::Answers>,
}

impl NewDossier {
    /// The dossier as stored under `code`, before any other write: its facts are those known at
    /// receipt (a fee paid online at the counter's intake).
    pub fn record(&self, code: DossierCode) -> DossierRecord {
        DossierRecord {
            code,
            agency: self.agency.clone(),
            competent_agency: self.competent_agency.clone(),
            procedure: self.procedure.clone(),
            procedure_number: self.procedure_number,
            channel: self.channel,
            applicant: self.applicant.clone(),
            workflow: self.workflow.clone(),
            received_at: self.received_at,
            calendar_stamp: self.calendar_stamp.clone(),
            form_set: self.form_set,
            submitted_by: self.submitted_by,
            traits: self.traits,
            facts: DossierFacts {
                paid_online: self.workflow.paid_online,
                population_data: self.population_data,
                vneid: self.vneid,
                ..DossierFacts::default()
            },
            revision: 1,
        }
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DossierRecord {
    pub code: DossierCode,
    pub agency: AgencyCode,
    pub competent_agency: AgencyCode,
    pub procedure: ProcedureCode,
    pub procedure_number: u32,
    pub channel: Channel,
    pub applicant: Applicant,
    pub workflow: Dossier,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub received_at: Instant,
    pub calendar_stamp: String,
    pub form_set: FormSet,
    /// The citizen account that filed it online, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submitted_by: Option<uuid::Uuid>,
    /// What the procedure version in force at receipt says of its result and fees.
    pub traits: ProcedureTraits,
    /// What the Decision 766 index counts of this dossier besides its times.
    pub facts: DossierFacts,
    /// Optimistic-lock counter.
    pub revision: i64,
}

/// What the Decision 766 index needs to know of a dossier's procedure version, fixed at receipt
/// with the rest of the rule set the dossier keeps (docs/RULES.md §D5.5, §D5.7).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcedureTraits {
    /// Its result is a paper document (metrics 3 C, 4.1, 4.2).
    pub paper_result: bool,
    /// It charges a fee (group 4).
    pub fee_bearing: bool,
}

/// The per-dossier facts of the Decision 766 index that are not times (docs/RULES.md §D4, §D5.5,
/// §D5.7): kept on the dossier row as they happen, so the index sums columns.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DossierFacts {
    /// Files stored for the dossier's components (digitised at the desk, filed online, reused).
    pub component_files: u32,
    /// At least one component reused digitised data (the applicant's vault or a national
    /// database) — the 766 "reused" dossier (docs/RULES.md §D4).
    pub reused_data: bool,
    /// An electronic result file was issued (`MaKetQua` + `DuongDanTepTinKetQua`).
    pub e_result: bool,
    /// Fees paid through an online payment (`DuocThanhToanTrucTuyen`).
    pub paid_online: bool,
    /// Last synchronisation to the National Public Service Portal; none until the portal
    /// connection is configured.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub synced_at: Option<Instant>,
    /// Filed from an account authenticated with VNeID (`TaiKhoanDuocXacThucVoiVNeID`); false
    /// for accounts that sign in with a password.
    pub vneid: bool,
    /// The applicant's satisfaction, once they rated the handling.
    #[serde(default)]
    pub satisfaction: Option<crate::rating::Satisfaction>,
    /// The applicant disliked the handling (a dislike or "not satisfied"; metric 5.4).
    #[serde(default)]
    pub disliked: bool,
    /// A petition (phản ánh, kiến nghị) was filed about the dossier (metric 5.4).
    #[serde(default)]
    pub petitioned: bool,
    /// The applicant's identity was confirmed by the national population database at intake.
    #[serde(default)]
    pub population_data: bool,
}

impl DossierFacts {
    /// Uses population data in the sense of 766 metric 4.5 (docs/RULES.md §D5.7): filed from an
    /// account authenticated with VNeID, or its applicant confirmed by the population database.
    pub fn uses_population_data(&self) -> bool {
        self.vneid || self.population_data
    }

    /// Digitised in the sense of 766 metric 4.2: files on its components and, when the result is
    /// a paper document, an electronic result.
    pub fn digitised(&self, paper_result: bool) -> bool {
        self.component_files > 0 && (self.e_result || !paper_result)
    }
}

/// What a stored file of a dossier is.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// A component of the dossier (a paper of the procedure's list).
    Component,
    /// The electronic result.
    Result,
}

impl DocumentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Component => "component",
            Self::Result => "result",
        }
    }

    pub fn is_result(self) -> bool {
        self == Self::Result
    }
}

/// Where a component's content came from.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentSource {
    /// Scanned at the desk from the paper handed in (digitisation, TT 01/2023).
    Scan,
    /// Uploaded by the applicant with an online filing.
    Upload,
    /// Taken from the applicant's document vault (already digitised: reuse).
    Vault,
    /// Taken from a national database (population, business registry: reuse).
    NationalData,
    /// Issued by the handling agency (the electronic result).
    Issued,
}

impl DocumentSource {
    pub const ALL: [DocumentSource; 5] = [Self::Scan, Self::Upload, Self::Vault, Self::NationalData, Self::Issued];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Scan => "scan",
            Self::Upload => "upload",
            Self::Vault => "vault",
            Self::NationalData => "national_data",
            Self::Issued => "issued",
        }
    }

    /// Reuse of digitised data, as 766 counts it.
    pub fn is_reuse(self) -> bool {
        matches!(self, Self::Vault | Self::NationalData)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Scan => "Số hóa tại bộ phận một cửa",
            Self::Upload => "Người nộp tải lên",
            Self::Vault => "Lấy từ kho dữ liệu của người nộp",
            Self::NationalData => "Lấy từ cơ sở dữ liệu quốc gia",
            Self::Issued => "Cơ quan giải quyết phát hành",
        }
    }
}

/// A file of a dossier (its bytes in the file store under `storage_key`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentRecord {
    pub id: uuid::Uuid,
    pub dossier: DossierCode,
    pub kind: DocumentKind,
    pub name: String,
    #[serde(flatten)]
    pub file: crate::file::AttachedFile,
    pub source: DocumentSource,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub at: Instant,
    pub by: String,
}

/// One row of the event log (the processing control sheet).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRecord {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub at: Instant,
    pub actor: String,
    pub agency: AgencyCode,
    pub command: CommandKind,
    pub from: Option<State>,
    pub to: State,
    pub detail: EventDetail,
}

/// Work-queue filters (a domain value, not SQL).
#[derive(Debug, Clone, Default)]
pub struct DossierQuery {
    pub state: Option<State>,
    /// Dossiers received at this desk.
    pub desk: Option<AgencyCode>,
    /// Dossiers this agency handles (competent agency or current holder).
    pub handler: Option<AgencyCode>,
    /// Dossiers filed online by this account.
    pub submitted_by: Option<uuid::Uuid>,
    pub procedure: Option<ProcedureCode>,
    pub channel: Option<Channel>,
    pub due_before: Option<Instant>,
    /// Not finished and past the current appointment at this instant.
    pub overdue_at: Option<Instant>,
    /// Only dossiers still open (not returned, refused, stopped or withdrawn).
    pub open_only: bool,
    /// Received at or after this instant.
    pub received_from: Option<Instant>,
    /// Received before this instant.
    pub received_before: Option<Instant>,
    /// The dossiers behind a count of the Decision 766 index.
    pub index: Option<crate::index::share::IndexFilter>,
    pub sort: DossierSort,
    pub page: u32,
    pub per_page: u32,
    /// Count the matches only up to one more than this (work queues: "more than 1,000" is
    /// enough, and an exact count of a big queue costs a scan of it). `None`: exact.
    pub count_limit: Option<u32>,
}

/// Order of a dossier list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DossierSort {
    /// Soonest appointment first (work queues).
    #[default]
    Due,
    /// In order of receipt (the tracking book).
    Received,
}

/// One line of a work queue.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DossierLine {
    pub code: DossierCode,
    pub agency: AgencyCode,
    pub competent_agency: AgencyCode,
    pub procedure: ProcedureCode,
    pub channel: Channel,
    pub applicant_name: String,
    pub state: State,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub received_at: Instant,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub due_current: Option<Instant>,
    pub revision: i64,
}

/// One row of a desk's tracking book (sổ theo dõi hồ sơ): what the book shows of a dossier,
/// without its workflow document or its events' details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookLine {
    pub code: DossierCode,
    pub procedure: ProcedureCode,
    pub procedure_number: u32,
    pub applicant: Applicant,
    pub competent_agency: AgencyCode,
    pub form_set: FormSet,
    pub state: State,
    pub received_at: Instant,
    pub due_current: Option<Instant>,
    /// When the dossier was first transferred to the competent agency, its result first given
    /// back to the desk (resolve) and first returned to the applicant.
    pub transferred_at: Option<Instant>,
    pub resolved_at: Option<Instant>,
    pub returned_at: Option<Instant>,
}

impl BookLine {
    /// The book's row of a dossier from its record and its events (oldest first): what a
    /// store's narrower read must give.
    pub fn of(d: &DossierRecord, events: &[EventRecord]) -> Self {
        let first = |kind: CommandKind| events.iter().find(|e| e.command == kind).map(|e| e.at);
        BookLine {
            code: d.code.clone(),
            procedure: d.procedure.clone(),
            procedure_number: d.procedure_number,
            applicant: d.applicant.clone(),
            competent_agency: d.competent_agency.clone(),
            form_set: d.form_set,
            state: d.workflow.state,
            received_at: d.received_at,
            due_current: d.workflow.due_current,
            transferred_at: first(CommandKind::Transfer),
            resolved_at: first(CommandKind::Resolve),
            returned_at: first(CommandKind::Return),
        }
    }
}
