//! The dossier as its page shows it, read and checked once: the record, its events, notices and
//! files, the printable forms, the step of the internal workflow it is at, and what the caller
//! may do now, from the one access rule (`motcua_domain::dossier::access::allowed`) that the
//! commands and uploads enforce.

use std::collections::BTreeMap;

use motcua_domain::dossier::access::{self, Allowed};
use motcua_domain::dossier::record::{DocumentRecord, DossierRecord, EventRecord};
use motcua_domain::ids::AgencyCode;
use motcua_domain::procedure::WorkflowStep;
use motcua_domain::user::Role;
use motcua_storage::{OutboxMessage, OutboxQuery};

use crate::{Actor, App, AppResult};

/// Everything the dossier page shows.
#[derive(Debug, Clone)]
pub struct DossierView {
    pub dossier: DossierRecord,
    pub events: Vec<EventRecord>,
    pub notices: Vec<OutboxMessage>,
    pub documents: Vec<DocumentRecord>,
    /// What the caller may do now.
    pub allowed: Allowed,
    /// The forms the caller can print: number and short name (the internal control sheet and
    /// tracking book for staff only).
    pub forms: Vec<(&'static str, &'static str)>,
    /// The step of the procedure's internal workflow the dossier is at, while it is processed.
    pub current_step: Option<CurrentStep>,
    /// The procedure's name in the version the dossier was received under.
    pub procedure_name: String,
    /// The names of the agencies the dossier and its events name.
    pub agency_names: BTreeMap<AgencyCode, String>,
}

impl DossierView {
    /// An agency's name (its code when it is not on the map).
    pub fn agency_name(&self, code: &AgencyCode) -> String {
        self.agency_names.get(code).cloned().unwrap_or_else(|| code.to_string())
    }
}

/// A step of the internal workflow: its number (from 1) among `of`.
#[derive(Debug, Clone)]
pub struct CurrentStep {
    pub number: u32,
    pub of: u32,
    pub step: WorkflowStep,
}

impl App {
    /// The dossier page of `code` for `actor` (one read of the record, one access check).
    pub async fn dossier_page(&self, actor: &Actor, code: &str) -> AppResult<DossierView> {
        let dossier = self.dossier(actor, code).await?;
        let code = &dossier.code;
        let events = self.store.dossier_events(code).await?;
        let query = OutboxQuery { dossier: Some(code.clone()), limit: 200, ..OutboxQuery::default() };
        let notices = self.store.outbox(&query).await?;
        let documents = self.store.documents(code).await?;
        let version = self.version_view(dossier.procedure.as_str(), Some(dossier.procedure_number)).await?;
        let steps = version.version.content.workflow.map(|w| w.steps).unwrap_or_default();
        let current_step = match dossier.workflow.state {
            motcua_domain::dossier::State::InProcessing => {
                let i = dossier.workflow.steps_done as usize;
                steps.get(i).map(|s| CurrentStep { number: i as u32 + 1, of: steps.len() as u32, step: s.clone() })
            }
            _ => None,
        };
        let mut forms = crate::forms::available(dossier.form_set, &events);
        if actor.user().is_some_and(|u| u.role == Role::Citizen) {
            forms.retain(|(number, _)| crate::forms::is_public(dossier.form_set, number));
        }
        let allowed = access::allowed(actor.who(), &dossier);
        let mut named: Vec<AgencyCode> = vec![dossier.agency.clone(), dossier.competent_agency.clone()];
        named.extend(dossier.workflow.agency.iter().cloned());
        named.extend(dossier.workflow.cooperating_pending.iter().cloned());
        named.extend(dossier.workflow.supplements.iter().map(|s| s.agency.clone()));
        for e in &events {
            named.push(e.agency.clone());
            if let Some(c) = e.detail.command() {
                named.extend(c.agency().cloned());
            }
        }
        let mut agency_names = BTreeMap::new();
        named.sort();
        named.dedup();
        for code in named {
            let name = self.agency_name(&code).await?;
            agency_names.insert(code, name);
        }
        let procedure_name = version.version.content.name.clone();
        Ok(DossierView {
            dossier,
            events,
            notices,
            documents,
            allowed,
            forms,
            current_step,
            procedure_name,
            agency_names,
        })
    }
}
