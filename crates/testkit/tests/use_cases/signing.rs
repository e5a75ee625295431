//! Signed electronic results through the use cases: issued by a leader of the handling agency,
//! verified by anyone, every change caught, keys sealed and rotated.

use bytes::Bytes;
use motcua_app::dossier_commands::{CommandInput, CommandRequest};
use motcua_app::signing::MasterKey;
use motcua_domain::signature::{Verdict, VerifyChannel};
use motcua_files::FileStore;
use motcua_storage::SigningRepo;

use super::*;

async fn signing_app(master: [u8; 32], files: FileStore, ts: Option<TestStore>) -> (App, TestStore) {
    let ts = match ts {
        Some(ts) => ts,
        None => test_store().await,
    };
    let config = AppConfig { master_key: Some(MasterKey::from_bytes(master)), ..AppConfig::default() };
    let app = App::new(ts.store.clone(), Arc::new(FixedClock(instant(2026, 11, 27, 3))), config).with_files(files);
    motcua_demo::load(&app).await.unwrap();
    (app, ts)
}

/// A counter dossier of 2.000908 transferred to the Department of Justice: its code.
async fn processing_dossier(app: &App) -> String {
    let desk = login_as(app, "motcua").await;
    let input = counter_intake("2.000908");
    let d = app.intake(&desk, input).await.unwrap();
    let req = CommandRequest { revision: d.revision, input: CommandInput::Transfer { agency: "H24.11".into() } };
    app.command(&desk, d.code.as_str(), req).await.unwrap();
    d.code.to_string()
}

#[tokio::test]
async fn a_leader_signs_the_result_and_anyone_verifies_it() {
    let files = FileStore::memory();
    let (app, ts) = signing_app([9; 32], files.clone(), None).await;
    let code = processing_dossier(&app).await;
    let (specialist, leader, citizen) =
        (login_as(&app, "chuyenvien").await, login_as(&app, "lanhdao").await, login_as(&app, "congdan").await);

    // Only a leader of the handling agency signs.
    let e = app.issue_signed_result(&specialist, &code).await.unwrap_err();
    assert!(matches!(e, AppError::Forbidden(_)), "{e:?}");
    assert!(app.dossier_page(&leader, &code).await.unwrap().can_sign);
    let r = app.issue_signed_result(&leader, &code).await.unwrap();
    assert_eq!((r.agency.as_str(), r.signed_by.as_str(), r.dossier.as_str()), ("H24.11", "lanhdao", code.as_str()));
    let e = app.issue_signed_result(&leader, &code).await.unwrap_err();
    assert!(matches!(e, AppError::NotAllowed { code: "already_signed", .. }), "{e:?}");
    let page = app.dossier_page(&leader, &code).await.unwrap();
    assert!(!page.can_sign && page.signed_results == vec![r.clone()]);
    assert!(page.dossier.facts.e_result, "the signed PDF is the dossier's electronic result (766)");
    let vault = app.my_vault(&citizen).await.unwrap();
    let kept = vault.items.iter().find(|i| i.kind == motcua_domain::vault::VaultKind::Result).unwrap();
    assert_eq!(
        (kept.file.sha256.as_str(), kept.dossier.as_ref()),
        (r.sha256.as_str(), Some(&r.dossier)),
        "in the holder's vault"
    );

    // The PDF: kept as the result file, prints its QR code to the verification page.
    let docs = app.documents(&specialist, &code).await.unwrap();
    let doc = docs.iter().find(|d| d.id == r.document).unwrap();
    let (_, pdf) = app.document_file(&specialist, &code, &doc.id.to_string()).await.unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    assert_eq!(motcua_files::sha256_hex(&pdf), r.sha256);

    // Anyone verifies: the kept file, a faithful copy, a changed copy; each is recorded.
    let v = app.verify_result(&r.id.to_string(), None, VerifyChannel::Page).await.unwrap();
    assert_eq!(
        (v.verdict, v.title.as_str(), v.agency_name.as_str()),
        (Verdict::Valid, r.title.as_str(), "Sở Tư pháp thành phố Hải Phòng")
    );
    let v = app.verify_result(&r.id.to_string(), Some(pdf.clone()), VerifyChannel::Api).await.unwrap();
    assert_eq!((v.verdict, v.with_copy), (Verdict::Valid, true));
    let mut changed = pdf.to_vec();
    let i = changed.len() / 2;
    changed[i] ^= 1;
    let v = app.verify_result(&r.id.to_string(), Some(Bytes::from(changed.clone())), VerifyChannel::Api).await.unwrap();
    assert_eq!(v.verdict, Verdict::Altered);
    // A forged QR code: a clear not-found, nothing recorded.
    for forged in ["00000000-0000-7000-8000-000000000000", "not-a-uuid", ""] {
        let e = app.verify_result(forged, None, VerifyChannel::Page).await.unwrap_err();
        assert!(matches!(e, AppError::NotFound(ref m) if m.contains("làm giả")), "{forged}: {e:?}");
    }
    let log = app.result_verifications(&specialist, &r.id.to_string()).await.unwrap();
    let verdicts: Vec<(Verdict, bool)> = log.iter().map(|v| (v.verdict, v.with_copy)).collect();
    assert_eq!(verdicts, [(Verdict::Altered, true), (Verdict::Valid, true), (Verdict::Valid, false)]);
    assert!(matches!(app.result_verifications(&citizen, &r.id.to_string()).await, Err(AppError::Forbidden(_))));

    // The file kept by the agency changed behind its back: the page says so.
    files.put(&doc.file.storage_key, Bytes::from(changed)).await.unwrap();
    let v = app.verify_result(&r.id.to_string(), None, VerifyChannel::Page).await.unwrap();
    assert_eq!(v.verdict, Verdict::Altered);

    // The private key is sealed: its bytes are not in the store, and another master key
    // cannot open it.
    let key = ts.store.active_key(&r.agency).await.unwrap().unwrap();
    assert_eq!(key.sealed.len(), 24 + 32 + 16, "nonce, sealed seed, tag");
    // Kept to the end: the store's folder goes with it.
    let (other, _kept) = signing_app([8; 32], FileStore::memory(), Some(ts)).await;
    let code2 = processing_dossier(&other).await;
    let e = other.issue_signed_result(&login_as(&other, "lanhdao").await, &code2).await.unwrap_err();
    assert!(matches!(e, AppError::Internal(ref m) if m.contains("master key")), "{e:?}");
    assert!(other.signed_results(&leader, &code2).await.unwrap().is_empty(), "nothing half-signed");
}

#[tokio::test]
async fn a_rotated_key_signs_what_follows_and_what_it_signed_still_verifies() {
    let (app, _ts) = signing_app([9; 32], FileStore::memory(), None).await;
    let leader = login_as(&app, "lanhdao").await;
    let first = app.issue_signed_result(&leader, &processing_dossier(&app).await).await.unwrap();
    let e = app.rotate_signing_key(&leader, "H24.11").await.unwrap_err();
    assert!(matches!(e, AppError::Forbidden(_)), "a leader signs, an admin rotates: {e:?}");
    let unit_admin = login_as(&app, "quantri.sotp").await;
    let e = app.rotate_signing_key(&unit_admin, "H24.12").await.unwrap_err();
    assert!(matches!(e, AppError::Forbidden(_)), "another agency's key: {e:?}");
    let new = app.rotate_signing_key(&unit_admin, "H24.11").await.unwrap();
    assert_ne!(new.id, first.key);
    let second = app.issue_signed_result(&leader, &processing_dossier(&app).await).await.unwrap();
    assert_eq!(second.key, new.id, "the new key signs from now");
    for r in [&first, &second] {
        let v = app.verify_result(&r.id.to_string(), None, VerifyChannel::Api).await.unwrap();
        assert_eq!(v.verdict, Verdict::Valid, "{}", r.id);
    }
    let keys = app.public_keys().await.unwrap();
    let of_agency: Vec<_> = keys.iter().filter(|k| k.agency.as_str() == "H24.11").collect();
    assert_eq!(of_agency.len(), 2);
    assert!(of_agency[0].retired_at.is_some() && of_agency[1].retired_at.is_none());
    assert_eq!(of_agency[0].public_key.len(), 64, "hex of 32 bytes");

    // Without a master key nothing is signed, and the reason is clear.
    let (plain, _ts2) = demo_app().await;
    let code = processing_dossier(&plain).await;
    let e = plain.issue_signed_result(&login_as(&plain, "lanhdao").await, &code).await.unwrap_err();
    assert!(matches!(e, AppError::NotAllowed { code: "signing_off", .. }), "{e:?}");
}
