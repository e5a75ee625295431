//! The declaration form (tờ khai) through the use cases: checked at intake, kept as a draft,
//! filed with the dossier, shown and printed.

use motcua_app::dossiers::{ApplicantInput, IntakeInput};
use motcua_domain::procedure::Channel;
use motcua_domain::procedure::eform::RawAnswers;

use super::*;

/// The demo's procedure with a declaration: Cấp Phiếu lý lịch tư pháp.
const LLTP: &str = "3.000333";

fn answers(pairs: &[(&str, &str)]) -> RawAnswers {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn complete() -> RawAnswers {
    answers(&[
        ("ho_ten", "VŨ MINH ANH"),
        ("gioi_tinh", "Nữ"),
        ("ngay_sinh", "1995-03-14"),
        ("noi_sinh", "Hải Dương"),
        ("quoc_tich", "Việt Nam"),
        ("so_dinh_danh", "031195001234"),
        ("noi_thuong_tru", "Xã Kẻ Sặt, thành phố Hải Phòng"),
        ("qua_trinh_cu_tru", "2009–2013: Xã Kẻ Sặt, học sinh\n2013–nay: Hải Phòng, kế toán"),
        ("loai_phieu", "Phiếu lý lịch tư pháp số 1"),
        ("so_luong", "2"),
        ("muc_dich", "Bổ sung hồ sơ xin việc"),
        ("xac_nhan_cam", "có"),
    ])
}

fn filing(channel: Channel, answers: RawAnswers) -> IntakeInput {
    IntakeInput {
        procedure: LLTP.into(),
        channel,
        applicant: ApplicantInput {
            kind: "citizen".into(),
            id: "031195001234".into(),
            name: "Vũ Minh Anh".into(),
            phone: Some("0912345678".into()),
            email: None,
            address: Some("Xã Kẻ Sặt".into()),
        },
        desk: (channel == Channel::Online).then(|| "H24.02".into()),
        competent_agency: None,
        population: false,
        answers,
        vault: vec![],
    }
}

fn refused_fields(e: AppError) -> Vec<(String, &'static str)> {
    match e {
        AppError::InvalidAnswers(errors) => errors.into_iter().map(|f| (f.field, f.code)).collect(),
        other => panic!("expected invalid_answers, got {other:?}"),
    }
}

#[tokio::test]
async fn a_declaration_is_checked_at_intake_kept_as_a_draft_filed_shown_and_printed() {
    let (app, _ts) = demo_app().await;
    let citizen = login_as(&app, "congdan").await;
    let desk = login_as(&app, "motcua").await;

    // Online, the declaration is required; every refusal at once, each naming its field.
    let missing = refused_fields(app.intake(&citizen, filing(Channel::Online, RawAnswers::new())).await.unwrap_err());
    for key in ["ho_ten", "ngay_sinh", "so_dinh_danh", "qua_trinh_cu_tru", "loai_phieu", "so_luong", "muc_dich"] {
        assert!(missing.contains(&(format!("answers.{key}"), "required")), "{key} missing: {missing:?}");
    }
    assert!(!missing.iter().any(|(f, _)| f == "answers.noi_tam_tru"), "an optional field is not required");
    let mut wrong = complete();
    wrong.insert("ngay_sinh".into(), "2027-01-01".into());
    wrong.insert("so_luong".into(), "0".into());
    wrong.insert("loai_phieu".into(), "Phiếu số 3".into());
    wrong.insert("so_dinh_danh".into(), "0311".into());
    wrong.insert("ghi_chu".into(), "?".into());
    let mut refused = refused_fields(app.intake(&citizen, filing(Channel::Online, wrong)).await.unwrap_err());
    refused.sort();
    assert_eq!(
        refused,
        vec![
            ("answers.ghi_chu".to_string(), "unknown_field"),
            ("answers.loai_phieu".to_string(), "invalid_answer"),
            ("answers.ngay_sinh".to_string(), "invalid_answer"),
            ("answers.so_dinh_danh".to_string(), "invalid_answer"),
            ("answers.so_luong".to_string(), "invalid_answer"),
        ]
    );
    // Answers for a procedure without a form are refused, not dropped.
    let other = IntakeInput { procedure: "2.000908".into(), ..filing(Channel::Online, complete()) };
    let e = app.intake(&citizen, other).await.unwrap_err();
    assert!(matches!(e, AppError::Invalid(ref f) if f.code == "unknown_field"), "{e:?}");

    // A draft keeps what the citizen typed (only the form's fields), to finish later.
    let mut partial = answers(&[("ho_ten", "VŨ MINH ANH"), ("ngay_sinh", "14/03/1995"), ("khong_co", "x")]);
    let saved = app.save_declaration_draft(&citizen, LLTP, &partial).await.unwrap();
    partial.remove("khong_co");
    assert_eq!(saved.answers, partial, "unchecked, but only the form's keys");
    assert_eq!(app.declaration_draft(&citizen, LLTP).await.unwrap().unwrap().answers, partial);
    let huge = answers(&[("qua_trinh_cu_tru", &"x".repeat(motcua_domain::procedure::eform::DRAFT_MAX_CHARS + 1))]);
    let e = app.save_declaration_draft(&citizen, LLTP, &huge).await.unwrap_err();
    assert!(matches!(e, AppError::Invalid(ref f) if f.code == "draft_too_large"), "{e:?}");
    assert_eq!(app.declaration_draft(&citizen, LLTP).await.unwrap().unwrap().answers, partial, "kept as it was");
    assert!(matches!(app.save_declaration_draft(&desk, LLTP, &partial).await, Err(AppError::Forbidden(_))));
    let anonymous = Actor::Anonymous { ip: None };
    assert!(matches!(app.declaration_draft(&anonymous, LLTP).await, Err(AppError::Unauthenticated)));
    let e = app.save_declaration_draft(&citizen, "2.000908", &partial).await.unwrap_err();
    assert!(matches!(e, AppError::NotAllowed { code: "no_eform", .. }), "{e:?}");

    // Filed: nothing refused was stored (the first dossier of the day), the draft is gone.
    let d = app.intake(&citizen, filing(Channel::Online, complete())).await.unwrap();
    assert_eq!(d.code.as_str(), "H24.02-261127-0001");
    assert_eq!(app.declaration_draft(&citizen, LLTP).await.unwrap(), None, "the draft went with the filing");
    let shown = app.dossier_declaration(&citizen, d.code.as_str()).await.unwrap().unwrap();
    assert_eq!(shown.title, "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp");
    let value = |key: &str| shown.lines.iter().find(|l| l.key == key).unwrap().value.clone();
    assert_eq!(value("ngay_sinh"), "14/03/1995");
    assert_eq!(value("so_luong"), "2");
    assert_eq!(value("xac_nhan_cam"), "Có");
    assert_eq!(value("noi_tam_tru"), "", "an optional field left empty");
    assert_eq!(shown.lines.first().unwrap().key, "ho_ten", "in the form's order");
    let specialist = login_as(&app, "chuyenvien").await;
    let page = app.dossier_page(&specialist, d.code.as_str()).await.unwrap();
    assert_eq!(page.declaration.unwrap().lines, shown.lines, "the page shows it to the agency");
    assert!(matches!(app.dossier_declaration(&anonymous, d.code.as_str()).await, Err(AppError::Unauthenticated)));

    // Printed as the form `to-khai`.
    let doc = app.dossier_form(&citizen, d.code.as_str(), "to-khai").await.unwrap();
    let text = motcua_print::layout::layout(&doc).lines().concat().join(" ");
    for s in ["TỜ KHAI YÊU CẦU CẤP PHIẾU LÝ LỊCH TƯ PHÁP", "VŨ MINH ANH", "14/03/1995", "NGƯỜI KHAI", d.code.as_str()]
    {
        assert!(text.contains(s), "{s:?} in the printed declaration: {text}");
    }

    // At the counter the paper form is the declaration: none is required.
    let counter = app.intake(&desk, filing(Channel::Counter, RawAnswers::new())).await.unwrap();
    assert_eq!(app.dossier_declaration(&desk, counter.code.as_str()).await.unwrap(), None);
    let e = app.dossier_form(&desk, counter.code.as_str(), "to-khai").await.unwrap_err();
    assert!(matches!(e, AppError::NotFound(_)), "{e:?}");
}
