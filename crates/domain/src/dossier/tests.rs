use chrono::{DateTime, Duration};
use proptest::prelude::*;

use super::*;

fn t0() -> Instant {
    DateTime::parse_from_rfc3339("2026-11-23T08:00:00+07:00").unwrap()
}

fn ag(s: &str) -> AgencyCode {
    AgencyCode::parse(s).unwrap()
}

fn run(cmds: &[Command]) -> Result<Dossier, TransitionError> {
    let p = Policy::default();
    let mut d = Dossier::submitted();
    for (i, c) in cmds.iter().enumerate() {
        d = transition(&d, c, t0() + Duration::hours(i as i64 + 1), &p)?.0;
    }
    Ok(d)
}

fn due() -> Instant {
    t0() + Duration::days(5)
}

#[test]
fn counter_dossier_from_intake_to_return() {
    let d = run(&[
        Command::Accept { due: due() },
        Command::Transfer { agency: ag("H24.11") },
        Command::Assign { handler: "chuyenvien".into() },
        Command::CompleteStep { note: "Thẩm định".into() },
        Command::Resolve { outcome: Outcome::Granted },
        Command::Return { collected_by: "Vũ Minh Anh".into(), method: ReturnMethod::Counter },
    ])
    .unwrap();
    assert_eq!(d.state, State::Returned);
    assert_eq!(d.state.national_code(), 10);
    assert_eq!(d.steps_done, 1);
    assert!(d.resolved_at.is_some() && d.ended_at.is_some());
}

#[test]
fn supplement_once_per_agency_and_inter_agency_flow() {
    let base = vec![
        Command::Accept { due: due() },
        Command::Transfer { agency: ag("H24.11") },
        Command::RequestSupplement { agency: ag("H24.11"), items: vec!["Bản sao giấy khai sinh".into()] },
        Command::SupplementProvided,
        Command::Forward { agency: ag("H24.21") },
        Command::Forward { agency: ag("H24.22") },
        Command::CooperationAnswered { agency: ag("H24.21") },
    ];
    let d = run(&base).unwrap();
    assert_eq!((d.state, d.cooperating_pending.len()), (State::AtCooperating, 1));
    let mut again = base.clone();
    again.push(Command::RequestSupplement { agency: ag("H24.11"), items: vec!["Thêm".into()] });
    assert_eq!(run(&again).unwrap_err(), TransitionError::SupplementLimit(1));
    // A cooperating agency may ask once too; the dossier goes back to wait for it.
    let mut coop = base;
    coop.push(Command::RequestSupplement { agency: ag("H24.22"), items: vec!["Tờ khai".into()] });
    coop.push(Command::SupplementProvided);
    coop.push(Command::CooperationAnswered { agency: ag("H24.22") });
    let d = run(&coop).unwrap();
    assert_eq!(d.state, State::InProcessing);
    assert!(d.supplements.iter().all(|s| s.provided_at.is_some()));
}

#[test]
fn apology_rules() {
    let p = Policy::default();
    let d = run(&[Command::Accept { due: due() }, Command::Transfer { agency: ag("H24.11") }]).unwrap();
    let now = due() - Duration::hours(2);
    let notice = due() - Duration::days(1);
    let ok = Command::Apologise {
        new_due: due() + Duration::days(3),
        reason: "Chờ kết quả xác minh".into(),
        notice_deadline: notice,
    };
    let (d2, ev) = transition(&d, &ok, now, &p).unwrap();
    assert_eq!(d2.due_original, Some(due()), "the original appointment is kept beside the new one");
    assert_eq!(d2.due_current, Some(due() + Duration::days(3)));
    assert_eq!(ev[0].warnings, vec!["apology_after_notice_deadline"]);
    assert_eq!(transition(&d2, &ok, now, &p).unwrap_err().code(), "apology_limit");
    let past = Command::Apologise { new_due: now - Duration::hours(1), reason: "x".into(), notice_deadline: notice };
    assert_eq!(transition(&d, &past, now, &p).unwrap_err(), TransitionError::RescheduleIntoPast);
}

#[test]
fn intake_outcomes_and_withdrawal() {
    let p = Policy::default();
    let d = Dossier::submitted();
    let ask = Command::RequestCompletion { items: vec!["Tờ khai chưa ký".into()] };
    let (d1, _) = transition(&d, &ask, t0(), &p).unwrap();
    assert_eq!(transition(&d1, &ask, t0(), &p).unwrap_err().code(), "completion_limit");
    assert_eq!(transition(&d, &Command::Refuse { reasons: vec![] }, t0(), &p).unwrap_err().code(), "invalid_command");
    let refused =
        transition(&d, &Command::Refuse { reasons: vec!["Không thuộc thẩm quyền".into()] }, t0(), &p).unwrap().0;
    assert_eq!(refused.state.national_code(), 3);
    let d =
        run(&[Command::Accept { due: due() }, Command::Transfer { agency: ag("H24.11") }, Command::RequestWithdrawal])
            .unwrap();
    assert_eq!(d.state.national_code(), 7);
    let stopped = transition(&d, &Command::Stop { reason: "Công dân rút hồ sơ".into() }, t0(), &p).unwrap().0;
    assert_eq!(stopped.state.national_code(), 8);
    // Once resolved, a stop notice can no longer be issued.
    let resolved = run(&[
        Command::Accept { due: due() },
        Command::Transfer { agency: ag("H24.11") },
        Command::Resolve { outcome: Outcome::Rejected },
    ])
    .unwrap();
    assert!(matches!(
        transition(&resolved, &Command::Stop { reason: "x".into() }, t0(), &p),
        Err(TransitionError::NotAllowed { .. })
    ));
}

fn command() -> impl Strategy<Value = Command> {
    let agency = prop_oneof![Just("H24.11"), Just("H24.21"), Just("H24.22")].prop_map(ag);
    prop_oneof![
        (0i64..10).prop_map(|d| Command::Accept { due: t0() + Duration::days(d) }),
        Just(Command::RequestCompletion { items: vec!["Tờ khai".into()] }),
        Just(Command::Refuse { reasons: vec!["Lý do".into()] }),
        agency.clone().prop_map(|agency| Command::Transfer { agency }),
        Just(Command::Assign { handler: "cv".into() }),
        Just(Command::CompleteStep { note: "b".into() }),
        agency.clone().prop_map(|agency| Command::Forward { agency }),
        agency.clone().prop_map(|agency| Command::CooperationAnswered { agency }),
        agency.prop_map(|agency| Command::RequestSupplement { agency, items: vec!["x".into()] }),
        Just(Command::SupplementProvided),
        Just(Command::RequestPayment { amount_vnd: 50_000, due: None }),
        any::<bool>().prop_map(|online| Command::PaymentReceived { online }),
        (1i64..20).prop_map(|d| Command::Apologise {
            new_due: t0() + Duration::days(d),
            reason: "Chậm".into(),
            notice_deadline: t0() + Duration::days(3)
        }),
        prop_oneof![Just(Outcome::Granted), Just(Outcome::Rejected)].prop_map(|outcome| Command::Resolve { outcome }),
        Just(Command::Return { collected_by: "A".into(), method: ReturnMethod::Counter }),
        Just(Command::RequestWithdrawal),
        Just(Command::Stop { reason: "Dừng".into() }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    #[test]
    fn any_sequence_keeps_the_dossier_consistent(cmds in prop::collection::vec(command(), 0..40)) {
        let p = Policy::default();
        let mut d = Dossier::submitted();
        for (i, c) in cmds.iter().enumerate() {
            let now = t0() + Duration::hours(i as i64);
            match transition(&d, c, now, &p) {
                Ok((next, events)) => {
                    prop_assert!(!d.state.is_terminal(), "a terminal state moved: {:?} by {}", d.state, c.name());
                    prop_assert_eq!(events.len(), 1);
                    prop_assert_eq!(events[0].from, d.state);
                    prop_assert_eq!(events[0].to, next.state);
                    d = next;
                }
                Err(_) => {
                    // Errors change nothing; terminal states refuse everything.
                }
            }
            prop_assert!((1..=10).contains(&d.state.national_code()));
            prop_assert_eq!(d.ended_at.is_some(), d.state.is_terminal());
            prop_assert!(d.apologies <= p.apologies);
            prop_assert!(d.completions_requested <= p.completions_at_intake);
            for a in ["H24.11", "H24.21", "H24.22"] {
                prop_assert!(d.supplements.iter().filter(|s| s.agency.as_str() == a).count() as u32 <= p.supplements_per_agency);
            }
            if let (Some(o), Some(c)) = (d.due_original, d.due_current) {
                prop_assert!(c >= o);
            }
            prop_assert_eq!(d.state == State::AtCooperating, !d.cooperating_pending.is_empty() && d.state != State::Supplementing && !d.state.is_terminal() && d.state != State::WithdrawalRequested);
            if d.state == State::Supplementing {
                prop_assert!(d.supplements.last().is_some_and(|s| s.provided_at.is_none()));
            }
            if d.state == State::Submitted {
                prop_assert!(d.due_original.is_none());
            } else if !matches!(d.state, State::Refused | State::Withdrawn) {
                prop_assert!(d.due_original.is_some(), "accepted dossiers have an appointment");
            }
        }
    }
}

#[test]
fn every_state_is_reachable() {
    let reach = |cmds: &[Command]| run(cmds).unwrap().state;
    let acc = Command::Accept { due: due() };
    let tr = Command::Transfer { agency: ag("H24.11") };
    let mut seen = vec![
        reach(&[]),
        reach(std::slice::from_ref(&acc)),
        reach(&[acc.clone(), tr.clone()]),
        reach(&[acc.clone(), tr.clone(), Command::Forward { agency: ag("H24.21") }]),
        reach(&[acc.clone(), tr.clone(), Command::RequestSupplement { agency: ag("H24.11"), items: vec!["x".into()] }]),
        reach(&[acc.clone(), tr.clone(), Command::RequestPayment { amount_vnd: 1, due: None }]),
        reach(&[acc.clone(), Command::RequestWithdrawal]),
        reach(&[acc.clone(), tr.clone(), Command::Resolve { outcome: Outcome::Granted }]),
        reach(&[
            acc.clone(),
            tr.clone(),
            Command::Resolve { outcome: Outcome::Granted },
            Command::Return { collected_by: "A".into(), method: ReturnMethod::Postal },
        ]),
        reach(&[Command::Refuse { reasons: vec!["x".into()] }]),
        reach(&[acc, Command::Stop { reason: "x".into() }]),
        reach(&[Command::RequestWithdrawal]),
    ];
    seen.sort_by_key(|s| State::ALL.iter().position(|x| x == s));
    assert_eq!(seen, State::ALL.to_vec());
}

/// A command of `kind` with valid content, for a dossier held by H24.11 with H24.13 asked.
fn sample(kind: CommandKind) -> Option<Command> {
    use CommandKind as K;
    let later = t0() + Duration::days(30);
    Some(match kind {
        K::Submit => return None,
        K::Accept => Command::Accept { due: due() },
        K::RequestCompletion => Command::RequestCompletion { items: vec!["Tờ khai".into()] },
        K::Refuse => Command::Refuse { reasons: vec!["Không thuộc thẩm quyền".into()] },
        K::Transfer => Command::Transfer { agency: ag("H24.12") },
        K::Assign => Command::Assign { handler: "chuyenvien".into() },
        K::CompleteStep => Command::CompleteStep { note: String::new() },
        K::Forward => Command::Forward { agency: ag("H24.14") },
        K::CooperationAnswered => Command::CooperationAnswered { agency: ag("H24.13") },
        K::RequestSupplement => Command::RequestSupplement { agency: ag("H24.11"), items: vec!["Bản sao".into()] },
        K::SupplementProvided => Command::SupplementProvided,
        K::RequestPayment => Command::RequestPayment { amount_vnd: 50_000, due: None },
        K::PaymentReceived => Command::PaymentReceived { online: false },
        K::Apologise => Command::Apologise { new_due: later, reason: "Chờ xác minh".into(), notice_deadline: later },
        K::Resolve => Command::Resolve { outcome: Outcome::Granted },
        K::Return => Command::Return { collected_by: "Vũ Minh Anh".into(), method: ReturnMethod::Counter },
        K::RequestWithdrawal => Command::RequestWithdrawal,
        K::Stop => Command::Stop { reason: "Người nộp đề nghị".into() },
    })
}

/// The access rule's state table and the state machine agree: every command the table lets a
/// dossier in a state accept goes through `transition`, and every other is refused as not
/// allowed in that state (so the page never offers a button the server refuses for the state).
#[test]
fn the_access_table_is_the_state_machine() {
    for state in State::ALL {
        let d = Dossier {
            state,
            agency: Some(ag("H24.11")),
            cooperating_pending: vec![ag("H24.13")],
            due_current: Some(due()),
            due_original: Some(due()),
            ..Dossier::submitted()
        };
        for kind in CommandKind::ALL {
            let Some(cmd) = sample(kind) else { continue };
            let r = transition(&d, &cmd, t0() + Duration::hours(1), &Policy::default());
            let refused_for_state = matches!(r, Err(TransitionError::NotAllowed { .. }));
            assert_eq!(
                access::accepts_command(state, kind),
                !refused_for_state,
                "{state:?} × {kind:?}: table says {}, transition gave {r:?}",
                access::accepts_command(state, kind)
            );
        }
    }
}
