//! A dossier as stored: who applied, for which procedure version, where, when, and its
//! workflow state.

use serde::{Deserialize, Serialize};

use super::{Dossier, DossierCode, State};
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
    /// Optimistic-lock counter.
    pub revision: i64,
}

/// One row of the event log (the processing control sheet).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventRecord {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub at: Instant,
    pub actor: String,
    pub agency: AgencyCode,
    pub command: String,
    pub from: Option<State>,
    pub to: State,
    pub detail: serde_json::Value,
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
    pub sort: DossierSort,
    pub page: u32,
    pub per_page: u32,
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
