//! What the API sends where it differs from the domain's types. A dossier's record carries the
//! state machine's whole working state; the JSON shows the applicant what concerns them (state,
//! appointments, supplements asked, the outcome) and adds what only the agencies work with —
//! the officer handling it, the internal workflow steps done, the cooperating agencies still to
//! answer, the calendar version its times were counted on — only for the agencies' staff. A
//! record reaches a caller only when they may read it or just acted on it, so a caller who is
//! not a citizen is staff of an agency involved (or the provincial admin, or the operator); the
//! same line `dossier::access::may_read_internal` draws for the internal forms.

use motcua_app::Actor;
use motcua_domain::calendar::deadline::{Instant, Timeliness};
use motcua_domain::dossier::record::{Applicant, DossierFacts, DossierRecord, FormSet};
use motcua_domain::dossier::{Outcome, State, Supplement};
use motcua_domain::ids::{AgencyCode, ProcedureCode};
use motcua_domain::procedure::Channel;
use motcua_domain::user::Role;
use serde::Serialize;
use utoipa::ToSchema;

/// A dossier as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DossierJson {
    #[schema(value_type = String)]
    pub code: motcua_domain::dossier::DossierCode,
    /// The one-stop desk that received it.
    pub agency: AgencyCode,
    /// The agency competent to decide.
    pub competent_agency: AgencyCode,
    pub procedure: ProcedureCode,
    /// The procedure's version the dossier was received under.
    pub procedure_number: u32,
    pub channel: Channel,
    pub applicant: Applicant,
    pub workflow: WorkflowJson,
    #[schema(value_type = String)]
    pub received_at: Instant,
    /// Agencies only: the version of the legal calendar its appointment was counted on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calendar_stamp: Option<String>,
    pub form_set: FormSet,
    /// The citizen account that filed it online, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub submitted_by: Option<uuid::Uuid>,
    pub facts: DossierFacts,
    /// Give it back with the next command (optimistic lock).
    pub revision: i64,
}

/// Where the dossier stands.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WorkflowJson {
    pub state: State,
    /// The agency holding the dossier.
    pub agency: Option<AgencyCode>,
    #[schema(value_type = Option<String>)]
    pub due_original: Option<Instant>,
    /// The appointment in force (later than the original after an apology).
    #[schema(value_type = Option<String>)]
    pub due_current: Option<Instant>,
    pub apologies: u32,
    /// Requests to complete the dossier at the desk's check.
    pub completions_requested: u32,
    /// Supplements asked while it was processed: by whom, what, when, and when provided.
    pub supplements: Vec<Supplement>,
    pub paid_online: bool,
    pub outcome: Option<Outcome>,
    #[schema(value_type = Option<String>)]
    pub resolved_at: Option<Instant>,
    #[schema(value_type = Option<String>)]
    pub ended_at: Option<Instant>,
    /// Agencies only: the officer handling it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handler: Option<String>,
    /// Agencies only: steps of the procedure's internal workflow completed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub steps_done: Option<u32>,
    /// Agencies only: cooperating agencies asked that have not answered yet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cooperating_pending: Option<Vec<AgencyCode>>,
}

/// `GET /api/v1/dossiers/{code}`: the dossier with its national status code and timeliness.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DossierViewJson {
    #[serde(flatten)]
    pub dossier: DossierJson,
    /// The status code of the national portal.
    pub national_status: u8,
    /// Against the original appointment; while it runs, judged now.
    pub timeliness: Option<Timeliness>,
}

impl DossierJson {
    /// The record as `actor`, who may read it or just acted on it, sees it.
    pub fn of(d: DossierRecord, actor: &Actor) -> Self {
        let internal = actor.user().is_none_or(|u| u.role != Role::Citizen);
        let w = d.workflow;
        Self {
            code: d.code,
            agency: d.agency,
            competent_agency: d.competent_agency,
            procedure: d.procedure,
            procedure_number: d.procedure_number,
            channel: d.channel,
            applicant: d.applicant,
            workflow: WorkflowJson {
                state: w.state,
                agency: w.agency,
                due_original: w.due_original,
                due_current: w.due_current,
                apologies: w.apologies,
                completions_requested: w.completions_requested,
                supplements: w.supplements,
                paid_online: w.paid_online,
                outcome: w.outcome,
                resolved_at: w.resolved_at,
                ended_at: w.ended_at,
                handler: w.handler.filter(|_| internal),
                steps_done: internal.then_some(w.steps_done),
                cooperating_pending: internal.then_some(w.cooperating_pending),
            },
            received_at: d.received_at,
            calendar_stamp: internal.then_some(d.calendar_stamp),
            form_set: d.form_set,
            submitted_by: d.submitted_by,
            facts: d.facts,
            revision: d.revision,
        }
    }
}

impl DossierViewJson {
    pub fn of(v: motcua_app::dossiers::DossierView, actor: &Actor) -> Self {
        Self { dossier: DossierJson::of(v.record, actor), national_status: v.national_status, timeliness: v.timeliness }
    }
}
