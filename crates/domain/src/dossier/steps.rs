//! Whose turn it is: each step of the procedure's internal workflow belongs to a role of an
//! agency (the step's own, or the one holding the dossier). The person it belongs to completes
//! it; a leader of that agency may take a specialist's or the clerk's step over, and the event
//! records that it was taken over. Nobody else completes it.

use crate::ids::AgencyCode;
use crate::procedure::{StepRole, WorkflowStep};
use crate::user::{Role, User};

/// What `user` may do with the step pending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Turn {
    /// The step is theirs.
    Own,
    /// A leader completing a step that is not a leader's: allowed, recorded as taken over.
    TakeOver,
    /// Someone else's step.
    NotYours,
}

/// The warning an event carries when a leader took a step over.
pub const TAKEN_OVER: &str = "step_taken_over";

/// Whose turn `step` is for `user`: `holder` is the agency holding the dossier, `handler` the
/// officer it is assigned to. A specialist's step is the assigned officer's (any specialist of
/// the agency while nobody is assigned); the clerk's step any specialist's of the agency (no
/// account has the clerk's role); a leader's step a leader's; a desk step a desk officer's.
pub fn turn(step: &WorkflowStep, user: &User, holder: &AgencyCode, handler: Option<&str>) -> Turn {
    let agency = step.agency.as_ref().unwrap_or(holder);
    if user.agency.as_ref() != Some(agency) {
        return Turn::NotYours;
    }
    match (step.role, user.role) {
        (StepRole::Leader, Role::Leader) | (StepRole::DeskOfficer, Role::DeskOfficer) => Turn::Own,
        (StepRole::Specialist, Role::Specialist) => {
            if handler.is_none_or(|h| h == user.username.as_str()) {
                Turn::Own
            } else {
                Turn::NotYours
            }
        }
        (StepRole::Clerk, Role::Specialist) => Turn::Own,
        (StepRole::Specialist | StepRole::Clerk, Role::Leader) => Turn::TakeOver,
        _ => Turn::NotYours,
    }
}

/// Who the step waits for, in words: `Chuyên viên chuyenvien`, `Lãnh đạo`.
pub fn waiting_for_vi(step: &WorkflowStep, handler: Option<&str>) -> String {
    match (step.role, handler) {
        (StepRole::Specialist, Some(h)) => format!("{} {h}", step.role.label_vi()),
        (role, _) => role.label_vi().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(name: &str, role: Role, agency: &str) -> User {
        User {
            id: uuid::Uuid::nil(),
            username: crate::ids::Username::parse(name).unwrap_or_else(|e| panic!("{e}")),
            full_name: name.into(),
            role,
            agency: Some(AgencyCode::parse(agency).unwrap_or_else(|e| panic!("{e}"))),
            signed_in_with: crate::user::SignIn::Password,
        }
    }

    fn step(role: StepRole) -> WorkflowStep {
        WorkflowStep { name: "Bước".into(), role, agency: None, unit: None, budget_hours: 8.0 }
    }

    #[test]
    fn a_step_is_its_owners_and_a_leader_may_take_it_over() {
        let holder = AgencyCode::parse("H24.11").unwrap_or_else(|e| panic!("{e}"));
        let cv = user("chuyenvien", Role::Specialist, "H24.11");
        let other_cv = user("cv2", Role::Specialist, "H24.11");
        let leader = user("lanhdao", Role::Leader, "H24.11");
        let elsewhere = user("cv3", Role::Specialist, "H24.12");
        let s = step(StepRole::Specialist);
        assert_eq!(turn(&s, &cv, &holder, Some("chuyenvien")), Turn::Own);
        assert_eq!(turn(&s, &other_cv, &holder, Some("chuyenvien")), Turn::NotYours, "assigned to someone else");
        assert_eq!(turn(&s, &other_cv, &holder, None), Turn::Own, "nobody assigned yet");
        assert_eq!(turn(&s, &leader, &holder, Some("chuyenvien")), Turn::TakeOver);
        assert_eq!(turn(&s, &elsewhere, &holder, None), Turn::NotYours, "another agency");
        let l = step(StepRole::Leader);
        assert_eq!((turn(&l, &leader, &holder, None), turn(&l, &cv, &holder, None)), (Turn::Own, Turn::NotYours));
        assert_eq!(turn(&step(StepRole::Clerk), &cv, &holder, Some("chuyenvien")), Turn::Own);
        assert_eq!(waiting_for_vi(&s, Some("chuyenvien")), "Chuyên viên chuyenvien");
    }
}
