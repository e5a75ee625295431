//! The dossier as its page shows it, read and checked once: the record, its events, notices and
//! files, the printable forms, the step of the internal workflow it is at, and what the caller
//! may do now, from the one access rule (`motcua_domain::dossier::access::allowed`) that the
//! commands and uploads enforce.

use std::collections::BTreeMap;

use motcua_domain::dossier::access::{self, Allowed};
use motcua_domain::dossier::record::{DocumentRecord, DossierRecord, EventRecord};
use motcua_domain::dossier::steps;
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
    /// What the caller may pick from for the commands offered: agencies in force that handle
    /// dossiers (transfer, forward) and the officers of the agency holding it (assign).
    pub choices: Choices,
    /// The dossier's online payments, newest first (receipts of those paid).
    pub payments: Vec<motcua_storage::PaymentRecord>,
    /// The caller may pay online now (the applicant, or its desk at a kiosk).
    pub can_pay: bool,
    /// The declaration filed online with the dossier (printed as the form `to-khai`).
    pub declaration: Option<crate::declaration::DeclarationView>,
    /// The results signed for the dossier (verification links).
    pub signed_results: Vec<motcua_domain::signature::SignedResult>,
    /// The caller may sign the result now (a leader of the handling agency).
    pub can_sign: bool,
    /// The copies certified in the dossier, and whether the caller may certify one now.
    pub copies: Vec<motcua_domain::certified_copy::CertifiedCopy>,
    pub can_certify: bool,
    /// The fee schedule of certified copies (shown with the form).
    pub copy_fees: motcua_domain::certified_copy::CopyFees,
}

/// The lists a command's form picks from, by name: nothing else is accepted.
#[derive(Debug, Clone, Default)]
pub struct Choices {
    /// `(code, name)` of the agencies a dossier may go to (transfer) or be forwarded to.
    pub agencies: Vec<(AgencyCode, String)>,
    /// `(username, full name and role)` of the officers the dossier may be assigned to.
    pub officers: Vec<(String, String)>,
    /// `(position, name, amount)` of the procedure's fees, for a payment request's exemptions.
    pub fees: Vec<(u32, String, Option<u64>)>,
}

impl DossierView {
    /// An agency's name (its code when it is not on the map).
    pub fn agency_name(&self, code: &AgencyCode) -> String {
        self.agency_names.get(code).cloned().unwrap_or_else(|| code.to_string())
    }
}

/// A step of the internal workflow: its number (from 1) among `of`, who it waits for, and
/// whether it is the caller's.
#[derive(Debug, Clone)]
pub struct CurrentStep {
    pub number: u32,
    pub of: u32,
    pub step: WorkflowStep,
    /// `Chuyên viên chuyenvien`, `Lãnh đạo`.
    pub waiting_for: String,
    /// The caller's turn (`None` for the operator).
    pub turn: Option<steps::Turn>,
}

impl CurrentStep {
    /// The step is the caller's.
    pub fn is_mine(&self) -> bool {
        self.turn == Some(steps::Turn::Own)
    }
    /// The caller, a leader, may complete it for its owner (recorded as taken over).
    pub fn may_take_over(&self) -> bool {
        self.turn == Some(steps::Turn::TakeOver)
    }
}

impl App {
    /// The dossier page of `code` for `actor` (one read of the record, one access check).
    pub async fn dossier_page(&self, actor: &Actor, code: &str) -> AppResult<DossierView> {
        let dossier = self.dossier(actor, code).await?;
        let code = &dossier.code;
        let events = self.store.dossier_events(code).await?;
        let query = OutboxQuery { dossier: Some(code.clone()), limit: 200, ..OutboxQuery::default() };
        let notices = self.notices_for(actor, self.store.outbox(&query).await?);
        let documents = self.store.documents(code).await?;
        let version = self.version_view(dossier.procedure.as_str(), Some(dossier.procedure_number)).await?;
        let workflow = version.version.content.workflow.clone();
        let pending = workflow.as_ref().and_then(|w| {
            let i = dossier.workflow.steps_done as usize;
            let offset = w.desk_steps();
            w.handling_steps().get(i).map(|s| CurrentStep {
                number: (offset + i) as u32 + 1,
                of: w.steps.len() as u32,
                waiting_for: steps::waiting_for_vi(s, dossier.workflow.handler.as_deref()),
                turn: None,
                step: s.clone(),
            })
        });
        let holder = dossier.workflow.agency.clone().unwrap_or_else(|| dossier.competent_agency.clone());
        let current_step = match dossier.workflow.state {
            motcua_domain::dossier::State::InProcessing => pending.clone().map(|mut c| {
                c.turn = actor.user().map(|u| steps::turn(&c.step, u, &holder, dossier.workflow.handler.as_deref()));
                c
            }),
            _ => None,
        };
        let mut forms = crate::forms::available(dossier.form_set, &events);
        if actor.user().is_some_and(|u| u.role == Role::Citizen) {
            forms.retain(|(number, _)| crate::forms::is_public(dossier.form_set, number));
        }
        let mut allowed = access::allowed(actor.who(), &dossier);
        // The step's rule narrows what the side rule allows: the step pending is completed by
        // its owner (or a leader), and the dossier is resolved after its last step.
        if current_step.as_ref().is_some_and(|c| c.turn == Some(steps::Turn::NotYours))
            || (workflow.is_some() && pending.is_none())
        {
            allowed.commands.retain(|k| *k != motcua_domain::dossier::CommandKind::CompleteStep);
        }
        if pending.is_some() {
            allowed.commands.retain(|k| *k != motcua_domain::dossier::CommandKind::Resolve);
        }
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
        let declaration = self.declaration_view(code, &version.version.content).await?;
        let mut choices = self.choices(&dossier, &allowed).await?;
        if allowed.command(motcua_domain::dossier::CommandKind::RequestPayment) {
            let fees = version.version.content.fees.iter().enumerate();
            choices.fees = fees.map(|(i, f)| (i as u32, f.name.clone(), f.amount_vnd)).collect();
        }
        let payments = self
            .store
            .payments(&motcua_storage::PaymentQuery { dossier: Some(code.clone()), limit: 50, ..Default::default() })
            .await?;
        let can_pay = self.config.payment.is_some()
            && dossier.workflow.state == motcua_domain::dossier::State::AwaitingPayment
            && actor.user().is_some_and(|u| crate::payment::may_pay(u, &dossier));
        let signed_results = self.store.signed_results(code).await?;
        let copies = self.store.certified_copies(code).await?;
        let can_certify = self.may_certify(actor, &dossier, allowed.attach_result);
        // A certification's results are its copies; others have one signed result.
        let can_sign =
            !self.is_certification(&dossier) && self.may_sign(actor, allowed.attach_result, !signed_results.is_empty());
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
            choices,
            payments,
            can_pay,
            declaration,
            signed_results,
            can_sign,
            copies,
            can_certify,
            copy_fees: self.config.copy_fees,
        })
    }

    /// The agencies and officers the commands offered pick from (none when no such command is).
    async fn choices(&self, d: &DossierRecord, allowed: &Allowed) -> AppResult<Choices> {
        use motcua_domain::dossier::CommandKind;
        let mut choices = Choices::default();
        if allowed.command(CommandKind::Transfer) || allowed.command(CommandKind::Forward) {
            let today = self.today();
            let q = motcua_storage::AgencyQuery { on: Some(today), ..Default::default() };
            let holder = d.workflow.agency.as_ref();
            choices.agencies = self
                .agencies(&q)
                .await?
                .into_iter()
                .filter(|a| !a.kind.receives_dossiers() && Some(&a.code) != holder)
                .map(|a| (a.code, a.name))
                .collect();
            choices.agencies.sort_by(|a, b| a.1.cmp(&b.1));
        }
        if allowed.command(CommandKind::Assign) {
            let holder = d.workflow.agency.as_ref().unwrap_or(&d.competent_agency);
            choices.officers = self
                .officers_of(&Actor::System, holder)
                .await?
                .into_iter()
                .map(|u| (u.username.to_string(), format!("{} ({})", u.full_name, u.role.label_vi())))
                .collect();
        }
        Ok(choices)
    }
}
