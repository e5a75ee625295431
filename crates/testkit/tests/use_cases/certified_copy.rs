//! Certified electronic copies through the use cases: received at a commune's desk with the
//! same-day appointment (15:00 cut-off), issued by the commune's certifying officer, fee by
//! pages, signed, in the holder's vault; every refusal clear and nothing kept.

use bytes::Bytes;
use motcua_app::certified_copy::CopyInput;
use motcua_app::dossier_commands::{CommandInput, CommandRequest};
use motcua_app::dossiers::IntakeInput;
use motcua_app::signing::MasterKey;
use motcua_domain::signature::{Verdict, VerifyChannel};
use motcua_domain::vault::VaultKind;

use super::*;

const SCAN: &[u8] = b"%PDF-1.4\n% ban chup giay khai sinh\n%%EOF\n";

async fn app_at(at: chrono::DateTime<chrono::Utc>) -> (App, TestStore) {
    let ts = test_store().await;
    let config = AppConfig { master_key: Some(MasterKey::from_bytes([5; 32])), ..AppConfig::default() };
    let app = App::new(ts.store.clone(), Arc::new(FixedClock(at)), config);
    motcua_demo::load(&app).await.unwrap();
    (app, ts)
}

/// A certification dossier received at the commune's desk: its code and appointment.
async fn received(app: &App) -> (String, String) {
    let desk = login_as(app, "motcua.xa").await;
    let input = counter_intake("2.000815");
    let d = app.intake(&desk, input).await.unwrap();
    assert_eq!(d.competent_agency.as_str(), "H24.101", "the desk's own commune decides");
    let req = CommandRequest { revision: d.revision, input: CommandInput::Transfer { agency: "H24.101".into() } };
    app.command(&desk, d.code.as_str(), req).await.unwrap();
    (d.code.to_string(), d.workflow.due_original.unwrap().to_rfc3339())
}

fn copy(pages: u32) -> CopyInput {
    CopyInput {
        original: "Giấy khai sinh".into(),
        pages,
        valid_until: None,
        compared: true,
        file_name: "giay-khai-sinh.pdf".into(),
        bytes: Bytes::from_static(SCAN),
    }
}

#[tokio::test]
async fn a_commune_certifies_a_copy_the_same_day_with_its_fee_and_signature() {
    // Friday 27/11/2026 10:00: due the same day at the end of office hours.
    let (app, _ts) = app_at(instant(2026, 11, 27, 3)).await;
    let (code, due) = received(&app).await;
    assert_eq!(due, "2026-11-27T17:30:00+07:00");
    let officer = login_as(&app, "tuphap.xa").await;
    let citizen = login_as(&app, "congdan").await;

    // Refused, nothing kept.
    let desk = login_as(&app, "motcua.xa").await;
    let cases: Vec<(Actor, CopyInput, &str)> = vec![
        (officer.clone(), CopyInput { compared: false, ..copy(3) }, "not_compared"),
        (officer.clone(), copy(0), "invalid_pages"),
        (officer.clone(), CopyInput { valid_until: Some(date("2026-11-26")), ..copy(3) }, "original_expired"),
        (officer.clone(), CopyInput { bytes: Bytes::from_static(b"MZ\x90\x00"), ..copy(3) }, "unsupported_file_type"),
        (officer.clone(), CopyInput { original: " ".into(), ..copy(3) }, "required"),
    ];
    for (who, input, want) in cases {
        let e = app.certify_copy(&who, &code, input).await.unwrap_err();
        assert!(matches!(e, AppError::Invalid(ref f) if f.code == want), "{want}: {e:?}");
    }
    assert!(matches!(app.certify_copy(&desk, &code, copy(3)).await, Err(AppError::Forbidden(_))));
    assert!(app.certified_copies(&officer, &code).await.unwrap().is_empty());
    assert!(app.documents(&officer, &code).await.unwrap().is_empty(), "no file kept");

    // Issued: fee by pages, signed, in the holder's vault with the original's validity.
    assert!(app.dossier_page(&officer, &code).await.unwrap().can_certify);
    let until = date("2031-01-01");
    let c = app.certify_copy(&officer, &code, CopyInput { valid_until: Some(until), ..copy(3) }).await.unwrap();
    assert_eq!((c.fee_vnd, c.pages, c.agency.as_str(), c.issued_by.as_str()), (5_000, 3, "H24.101", "tuphap.xa"));
    let c2 =
        app.certify_copy(&officer, &code, CopyInput { original: "Bằng tốt nghiệp".into(), ..copy(250) }).await.unwrap();
    assert_eq!(c2.fee_vnd, 200_000, "capped");
    assert_eq!(app.certified_copies(&officer, &code).await.unwrap(), vec![c.clone(), c2]);
    let v = app.verify_result(&c.result.to_string(), Some(Bytes::from_static(SCAN)), VerifyChannel::Api).await.unwrap();
    assert_eq!((v.verdict, v.agency.as_str()), (Verdict::Valid, "H24.101"));
    let vault = app.my_vault(&citizen).await.unwrap();
    let kept = vault.items.iter().find(|i| i.kind == VaultKind::CertifiedCopy && i.valid_until == Some(until)).unwrap();
    assert_eq!(kept.name, "Giấy khai sinh (bản sao chứng thực điện tử)");

    // Only in a certification dossier.
    let leader = login_as(&app, "lanhdao").await;
    let other = app
        .intake(
            &login_as(&app, "motcua").await,
            IntakeInput {
                procedure: "2.000908".into(),
                desk: None,
                competent_agency: None,
                ..counter_intake("2.000815")
            },
        )
        .await
        .unwrap();
    let e = app.certify_copy(&leader, other.code.as_str(), copy(1)).await.unwrap_err();
    assert!(matches!(e, AppError::NotAllowed { code: "not_a_certification", .. }), "{e:?}");
}

#[tokio::test]
async fn received_at_the_cut_off_or_on_a_friday_afternoon_it_is_due_the_next_working_day() {
    // 15:00 sharp on Friday 27/11/2026: the next working day is Monday 30/11.
    let (app, _ts) = app_at(instant(2026, 11, 27, 8)).await;
    let (_, due) = received(&app).await;
    assert_eq!(due, "2026-11-30T17:30:00+07:00");
    // 14:00 on Thursday 26/11: the same day.
    let (app, _ts) = app_at(instant(2026, 11, 26, 7)).await;
    let (_, due) = received(&app).await;
    assert_eq!(due, "2026-11-26T17:30:00+07:00");
}
