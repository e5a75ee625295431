//! Who may do what with a dossier: one rule. The use cases ask it before they act (a refusal
//! is a 403, audited); the pages ask [`allowed`] to offer only what will be accepted; the
//! access-matrix test checks the API against it.
//!
//! An action is allowed when the caller stands on a side that may take it ([`may`]: the
//! receiving desk, the agency holding the dossier, a cooperating agency asked for its opinion,
//! the citizen whose account filed it) and the dossier's state accepts it now ([`accepts`], the
//! table the state machine itself enforces).

use super::record::DossierRecord;
use super::{CommandKind, State};
use crate::user::{Role, User};

/// Who is asking, as the rule sees them.
#[derive(Debug, Clone, Copy)]
pub enum Who<'a> {
    /// The operator's command line or the server itself: every side.
    Operator,
    User(&'a User),
    /// Nobody logged in: no side.
    Anonymous,
}

/// Which side of the one-stop mechanism may take an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Desk officers of the receiving agency.
    Desk,
    /// Specialists and leaders of the agency holding the dossier.
    Handler,
    /// Specialists and leaders of a cooperating agency asked for its opinion.
    Cooperating,
    /// The citizen whose account filed the dossier online.
    Owner,
}

/// What can be done to a dossier beyond reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Command(CommandKind),
    /// Attach a component (scanned at the desk, uploaded by the applicant, from a database).
    AttachComponent,
    /// Attach the electronic result.
    AttachResult,
}

/// The sides that may take `action` on a dossier in `state`.
pub fn sides(action: Action, state: State) -> &'static [Side] {
    use CommandKind::*;
    let kind = match action {
        Action::AttachComponent => return &[Side::Desk, Side::Owner],
        Action::AttachResult => return &[Side::Handler],
        Action::Command(kind) => kind,
    };
    match kind {
        // Intake is not a command on an existing dossier.
        Submit => &[],
        Accept | RequestCompletion | Refuse => &[Side::Desk],
        // The desk hands an accepted dossier over; once the agency holds it, the agency may
        // pass it on. A specialist cannot take a dossier the desk has not handed over.
        Transfer if state == State::Accepted => &[Side::Desk],
        Transfer => &[Side::Handler],
        Assign | CompleteStep | Forward | RequestPayment | Apologise | Resolve => &[Side::Handler],
        CooperationAnswered => &[Side::Cooperating],
        RequestSupplement => &[Side::Handler, Side::Cooperating],
        SupplementProvided | RequestWithdrawal => &[Side::Desk, Side::Owner],
        PaymentReceived | Return => &[Side::Desk],
        Stop => &[Side::Desk, Side::Handler],
    }
}

/// Does `user` stand on one of the `allowed` sides of `d`? The provincial admin stands on all.
pub fn acts_as(user: &User, d: &DossierRecord, allowed: &[Side]) -> bool {
    if user.role == Role::Admin {
        return true;
    }
    if user.role == Role::Citizen {
        return allowed.contains(&Side::Owner) && d.submitted_by == Some(user.id);
    }
    let Some(own) = user.agency.as_ref() else { return false };
    let officer = matches!(user.role, Role::Specialist | Role::Leader);
    allowed.iter().any(|side| match side {
        Side::Desk => user.role == Role::DeskOfficer && *own == d.agency,
        Side::Handler => officer && d.workflow.agency.as_ref().unwrap_or(&d.competent_agency) == own,
        Side::Cooperating => officer && d.workflow.cooperating_pending.contains(own),
        // A staff account is never the owner.
        Side::Owner => false,
    })
}

/// May `who` take `action` on `d`, as far as sides go (the state is [`accepts`]'s question)?
pub fn may(who: Who<'_>, d: &DossierRecord, action: Action) -> bool {
    match who {
        Who::Operator => true,
        Who::Anonymous => false,
        Who::User(user) => acts_as(user, d, sides(action, d.workflow.state)),
    }
}

/// Does a dossier in `state` accept the command `kind` now? The state machine refuses every
/// other pair (`transition` asks this first); counts (supplements, apologies) and the content
/// of the command are checked by `transition` itself.
pub fn accepts_command(state: State, kind: CommandKind) -> bool {
    use CommandKind::*;
    use State::*;
    if state.is_terminal() {
        return false;
    }
    let open = state.is_open();
    match kind {
        Submit => false,
        Accept | RequestCompletion | Refuse => state == Submitted,
        Transfer => matches!(state, Accepted | InProcessing),
        Assign | CompleteStep | RequestPayment | Resolve => state == InProcessing,
        Forward | RequestSupplement => matches!(state, InProcessing | AtCooperating),
        CooperationAnswered => state == AtCooperating,
        SupplementProvided => state == Supplementing,
        PaymentReceived => state == AwaitingPayment,
        Return => state == Resolved,
        Apologise => open,
        RequestWithdrawal => open || state == Submitted,
        // A stop notice is issued only while no decision exists (TT 03/2025 Art. 7).
        Stop => open || state == WithdrawalRequested,
    }
}

/// Does the dossier, as it stands, accept `action` from someone on `side`-appropriate terms?
/// Files are attached while the dossier is open to the desk; the applicant sends components
/// while it waits for the desk's check or for a supplement; results come once processing
/// started.
pub fn accepts(d: &DossierRecord, who: Who<'_>, action: Action) -> bool {
    let state = d.workflow.state;
    match action {
        Action::Command(kind) => accepts_command(state, kind),
        Action::AttachComponent if is_citizen(who) => matches!(state, State::Submitted | State::Supplementing),
        Action::AttachComponent => !state.is_terminal(),
        Action::AttachResult => matches!(state, State::InProcessing | State::Resolved),
    }
}

fn is_citizen(who: Who<'_>) -> bool {
    matches!(who, Who::User(u) if u.role == Role::Citizen)
}

/// What `who` may do to `d` now: the commands, and which files they may attach.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Allowed {
    pub commands: Vec<CommandKind>,
    pub attach_component: bool,
    pub attach_result: bool,
}

impl Allowed {
    pub fn command(&self, kind: CommandKind) -> bool {
        self.commands.contains(&kind)
    }
}

/// The one rule: every action `who` stands on a side for and the dossier accepts now.
pub fn allowed(who: Who<'_>, d: &DossierRecord) -> Allowed {
    let ok = |action| may(who, d, action) && accepts(d, who, action);
    Allowed {
        commands: CommandKind::ALL.into_iter().filter(|k| ok(Action::Command(*k))).collect(),
        attach_component: ok(Action::AttachComponent),
        attach_result: ok(Action::AttachResult),
    }
}

/// Who may read a dossier (its record, events, notices, files and letters): the provincial
/// admin; staff of an agency involved (the receiving desk's, the competent one, the one holding
/// it, a cooperating one asked); the citizen whose account filed it.
pub fn may_read(user: &User, d: &DossierRecord) -> bool {
    match user.role {
        Role::Admin => true,
        Role::Citizen => d.submitted_by == Some(user.id),
        _ => user.agency.as_ref().is_some_and(|a| {
            *a == d.agency
                || *a == d.competent_agency
                || d.workflow.agency.as_ref() == Some(a)
                || d.workflow.cooperating_pending.contains(a)
        }),
    }
}

/// The processing control sheet and the tracking book: readers of the dossier who are not
/// citizens.
pub fn may_read_internal(user: &User, d: &DossierRecord) -> bool {
    user.role != Role::Citizen && may_read(user, d)
}
