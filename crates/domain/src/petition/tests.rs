use chrono::Duration;

use super::*;

fn t(s: &str) -> Instant {
    chrono::DateTime::parse_from_rfc3339(s).unwrap_or_else(|e| panic!("{e}"))
}

/// `n` days later, standing for `n` working days (the calendar is the app's business).
fn after(at: Instant) -> impl Fn(u32) -> Result<Instant, FieldError> {
    move |n| Ok(at + Duration::days(i64::from(n)))
}

fn received() -> Petition {
    let at = t("2026-11-02T09:00:00+07:00");
    let d = |n: i64| at + Duration::days(n);
    let input = PetitionInput {
        petitioner: Petitioner {
            name: "Vũ Minh Anh".into(),
            phone: Some("0912345678".into()),
            email: None,
            address: None,
        },
        title: "Thời gian giải quyết".into(),
        content: "Hồ sơ bị trả lại nhiều lần".into(),
        dossier: None,
    };
    let deadlines = Deadlines { refuse_by: d(2), supplement_by: d(5), handle_by: d(15), publish_by: None };
    let agency = AgencyCode::parse("H24.01").unwrap_or_else(|e| panic!("{e}"));
    Petition::received(uuid::Uuid::nil(), agency, input, None, None, at, deadlines)
}

fn act(p: &Petition, a: PetitionAction, at: &str) -> Result<Petition, FieldError> {
    p.apply(&a, t(at), "Trần Thị Bình", after(t(at)), &Limits::default())
}

#[test]
fn from_intake_to_a_published_answer_on_time() {
    let p = received();
    let p = act(&p, PetitionAction::Classify { kind: PetitionKind::Regulation }, "2026-11-02T10:00:00+07:00").unwrap();
    let agency = AgencyCode::parse("H24.11").unwrap();
    let p = act(&p, PetitionAction::Assign { agency: agency.clone() }, "2026-11-03T10:00:00+07:00").unwrap();
    assert_eq!(p.deadlines.handle_by, t("2026-11-18T10:00:00+07:00"), "counted again from the assignment");
    let p =
        act(&p, PetitionAction::RequestSupplement { items: "Bản chụp giấy hẹn".into() }, "2026-11-04T10:00:00+07:00")
            .unwrap();
    assert_eq!(p.state, PetitionState::AwaitingSupplement);
    let e = act(&p, PetitionAction::Publish, "2026-11-04T11:00:00+07:00").unwrap_err();
    assert_eq!(e.code, "petition_state");
    let p = act(&p, PetitionAction::Supplemented { note: String::new() }, "2026-11-05T10:00:00+07:00").unwrap();
    let p = act(&p, PetitionAction::Answer { answer: "Đã chấn chỉnh".into() }, "2026-11-10T10:00:00+07:00").unwrap();
    assert_eq!((p.state, p.deadlines.publish_by), (PetitionState::Answered, Some(t("2026-11-12T10:00:00+07:00"))));
    let p = act(&p, PetitionAction::Publish, "2026-11-11T10:00:00+07:00").unwrap();
    assert_eq!(p.state, PetitionState::Published);
    assert!(p.on_time(t("2026-12-01T00:00:00+07:00")));
    assert_eq!(p.history.len(), 6);
    assert_eq!(p.history[3].text, "Đã nhận thông tin bổ sung.");
    assert_eq!(p.assigned, Some(agency));
    let public = p.public();
    assert_eq!((public.petitioner.name.as_str(), public.petitioner.phone), ("V. M. Anh", None));
    assert_eq!(public.answer.as_deref(), Some("Đã chấn chỉnh"), "published: the answer is public");
    assert!(public.history.is_empty());
    assert_eq!(received().public().content, "", "unpublished: the question is not");
}

#[test]
fn late_steps_and_dislikes_count_against() {
    let p = received();
    // Still open past its handling limit: late.
    assert!(p.on_time(t("2026-11-10T00:00:00+07:00")));
    assert!(!p.on_time(t("2026-11-20T00:00:00+07:00")));
    // Refused after the two days allowed.
    let refused =
        act(&p, PetitionAction::Refuse { reason: "Không thuộc phạm vi".into() }, "2026-11-06T09:00:00+07:00").unwrap();
    assert!(!refused.on_time(t("2026-11-06T10:00:00+07:00")));
    assert!(act(&p, PetitionAction::Refuse { reason: " ".into() }, "2026-11-06T09:00:00+07:00").is_err());
    // Answered on time, published late.
    let a = act(&p, PetitionAction::Answer { answer: "Trả lời".into() }, "2026-11-05T09:00:00+07:00").unwrap();
    let late = act(&a, PetitionAction::Publish, "2026-11-09T09:00:00+07:00").unwrap();
    assert!(!late.on_time(t("2026-11-10T00:00:00+07:00")));
    let on_time = act(&a, PetitionAction::Publish, "2026-11-06T09:00:00+07:00").unwrap();
    let disliked = Petition { likes: 1, dislikes: 2, ..on_time.clone() };
    let at = t("2026-11-30T00:00:00+07:00");
    let c = petition_counts([&on_time, &late, &disliked], at);
    use crate::index::{Code, Count};
    assert_eq!(c[&Code::PetitionProcessingOnTime], Count { numerator: 2, denominator: 3 });
    assert_eq!(c[&Code::PetitionHandlingSatisfaction], Count { numerator: 1, denominator: 3 });
}

#[test]
fn an_input_needs_a_name_a_title_and_content() {
    let input = PetitionInput {
        petitioner: Petitioner { name: "  ".into(), phone: None, email: None, address: None },
        title: "Tiêu đề".into(),
        content: "Nội dung".into(),
        dossier: Some(" ".into()),
    };
    assert_eq!(input.check().map_err(|e| e.field), Err("petitioner.name".to_owned()));
    let ok = PetitionInput { petitioner: Petitioner { name: "An".into(), ..input.petitioner.clone() }, ..input };
    assert_eq!(ok.check().map(|i| i.dossier), Ok(None), "a blank dossier is none");
}

#[test]
fn the_petitioner_is_told_of_a_supplement_request_a_refusal_and_the_answer() {
    let mut p = received();
    p.petitioner.email = Some("anh@example.vn".into());
    let settings = crate::notice::NoticeSettings::default();
    let url = "https://dvc.example.vn/phan-anh/x";
    assert!(p.notices(&PetitionAction::Classify { kind: PetitionKind::Conduct }, url, &settings).is_empty());
    let refused =
        act(&p, PetitionAction::Refuse { reason: "Không thuộc phạm vi".into() }, "2026-11-03T09:00:00+07:00").unwrap();
    let n = refused.notices(&PetitionAction::Refuse { reason: String::new() }, url, &settings);
    assert_eq!(n.len(), 2, "e-mail and SMS");
    assert!(n[0].body.contains("Không thuộc phạm vi") && n[0].body.contains(url), "{}", n[0].body);
    assert!(n[1].body.is_ascii() && n[1].body.contains("khong duoc tiep nhan"), "{}", n[1].body);
}
