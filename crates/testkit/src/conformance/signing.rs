//! Signed results: one key in use per agency (a new one retires it, in one transaction), keys
//! and results read back byte for byte, a result stored with its document (and the dossier's
//! e-result fact) or not at all, verifications newest first.

use chrono::{DateTime, FixedOffset};
use motcua_domain::dossier::record::{DocumentKind, DocumentRecord, DocumentSource};
use motcua_domain::ids::AgencyCode;
use motcua_domain::procedure::Channel;
use motcua_domain::signature::{AgencyKey, SignedResult, Verdict, Verification, VerifyChannel};
use motcua_domain::vault::{Holder, VaultItem, VaultKind};
use motcua_storage::{Store, StoreError, no_notices};
use uuid::Uuid;

use crate::fixtures::{audit, intake_event, new_dossier, pdf_file};

fn t(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap_or_else(|e| panic!("{e}"))
}

fn ok<T>(r: Result<T, StoreError>) -> T {
    r.unwrap_or_else(|e| panic!("{e}"))
}

/// One key in use per agency, the next retiring it: the agency and its key in use.
async fn keys_story(s: &impl Store) -> (AgencyCode, AgencyKey) {
    let agency = AgencyCode::parse("H24.11").unwrap_or_else(|e| panic!("{e:?}"));
    let key = |at: &str, byte: u8| AgencyKey {
        id: Uuid::now_v7(),
        agency: agency.clone(),
        public_key: vec![byte; 32],
        sealed: vec![byte.wrapping_add(1); 72],
        created_at: t(at),
        retired_at: None,
    };
    assert_eq!(ok(s.active_key(&agency).await), None);
    let first = key("2026-11-27T09:00:00+07:00", 1);
    ok(s.add_signing_key(&first, &audit("signing.key_created")).await);
    assert_eq!(ok(s.active_key(&agency).await), Some(first.clone()), "read back byte for byte");
    let second = key("2026-11-28T09:00:00+07:00", 2);
    ok(s.add_signing_key(&second, &audit("signing.key_rotated")).await);
    assert_eq!(ok(s.active_key(&agency).await), Some(second.clone()));
    let retired = ok(s.signing_key(first.id).await).unwrap_or_else(|| panic!("kept"));
    assert_eq!(retired.retired_at, Some(second.created_at), "retired when the next came");
    assert_eq!(ok(s.signing_keys().await).iter().map(|k| k.id).collect::<Vec<_>>(), [first.id, second.id]);

    (agency, second)
}

pub async fn signing_story(s: &impl Store) {
    let (agency, second) = keys_story(s).await;
    // A result with its document, in one transaction: the dossier's e-result fact moves.
    let received = t("2026-11-27T09:00:00+07:00");
    let n = new_dossier(Channel::Counter, received, None, None);
    let d = ok(s.create_dossier(&n, &intake_event(&n), &audit("dossier.intake"), no_notices()).await);
    let doc = DocumentRecord {
        id: Uuid::now_v7(),
        dossier: d.code.clone(),
        kind: DocumentKind::Result,
        name: "Bản sao (bản điện tử có chữ ký số)".into(),
        file: pdf_file("ket-qua.pdf", &format!("2026/{}", Uuid::now_v7())),
        source: DocumentSource::Issued,
        at: received,
        by: "lanhdao".into(),
    };
    let result = SignedResult {
        id: Uuid::now_v7(),
        dossier: d.code.clone(),
        agency: agency.clone(),
        key: second.id,
        document: doc.id,
        title: "Bản sao được cấp từ sổ gốc".into(),
        sha256: doc.file.sha256.clone(),
        signature: (0..64).collect(),
        signed_at: t("2026-11-28T10:00:00+07:00"),
        signed_by: "lanhdao".into(),
    };
    let vault = VaultItem {
        id: Uuid::now_v7(),
        holder: Holder::of(&d.applicant.id),
        kind: VaultKind::Result,
        doc_type: "ban sao duoc cap tu so goc".into(),
        name: doc.name.clone(),
        file: doc.file.clone(),
        valid_until: None,
        dossier: Some(d.code.clone()),
        agency: agency.clone(),
        added_at: received,
    };
    ok(s.add_signed_result(&doc, &result, &vault, &audit("dossier.result_signed")).await);
    assert_eq!(ok(s.vault_items(&vault.holder).await), vec![vault.clone()], "the result is in the holder's vault");
    assert_eq!(ok(s.signed_result(result.id).await), Some(result.clone()));
    assert_eq!(ok(s.signed_results(&d.code).await), vec![result.clone()]);
    assert!(ok(s.documents(&d.code).await).iter().any(|x| x.id == doc.id));
    assert!(ok(s.dossier(&d.code).await).unwrap_or_else(|| panic!("stored")).facts.e_result);
    assert_eq!(ok(s.signed_result(Uuid::now_v7()).await), None);

    // The same result id again: refused whole, the second document not kept either.
    let again = DocumentRecord { id: Uuid::now_v7(), ..doc.clone() };
    let vault_again = VaultItem { id: Uuid::now_v7(), ..vault.clone() };
    let e = s.add_signed_result(&again, &result, &vault_again, &audit("dossier.result_signed")).await;
    assert!(matches!(e, Err(StoreError::Conflict { .. })), "{e:?}");
    assert!(!ok(s.documents(&d.code).await).iter().any(|x| x.id == again.id), "nothing half-written");
    assert_eq!(ok(s.vault_items(&vault.holder).await).len(), 1, "nor in the vault");

    // A certified copy: its register row with its file, signature and vault copy.
    let scan =
        DocumentRecord {
            id: Uuid::now_v7(), name: "Bản sao chứng thực điện tử: Giấy khai sinh".into(), ..doc.clone()
        };
    let signed_copy = SignedResult { id: Uuid::now_v7(), document: scan.id, ..result.clone() };
    let kept = VaultItem {
        id: Uuid::now_v7(),
        kind: VaultKind::CertifiedCopy,
        valid_until: chrono::NaiveDate::from_ymd_opt(2031, 1, 1),
        ..vault.clone()
    };
    let copy = motcua_domain::certified_copy::CertifiedCopy {
        id: Uuid::now_v7(),
        agency: agency.clone(),
        dossier: d.code.clone(),
        original: "Giấy khai sinh".into(),
        pages: 3,
        fee_vnd: 5_000,
        valid_until: kept.valid_until,
        result: signed_copy.id,
        issued_at: t("2026-11-28T11:00:00+07:00"),
        issued_by: "tuphap.xa".into(),
    };
    ok(s.add_certified_copy(&scan, &signed_copy, &kept, &copy, &audit("dossier.copy_certified")).await);
    assert_eq!(ok(s.certified_copies(&d.code).await), vec![copy.clone()]);
    assert_eq!(ok(s.signed_result(signed_copy.id).await), Some(signed_copy.clone()));
    assert!(ok(s.vault_items(&vault.holder).await).contains(&kept));
    let twice = s
        .add_certified_copy(
            &DocumentRecord { id: Uuid::now_v7(), ..scan.clone() },
            &SignedResult { id: Uuid::now_v7(), ..signed_copy.clone() },
            &VaultItem { id: Uuid::now_v7(), ..kept.clone() },
            &copy,
            &audit("x"),
        )
        .await;
    assert!(matches!(twice, Err(StoreError::Conflict { .. })), "the same register row twice: {twice:?}");
    assert_eq!(ok(s.certified_copies(&d.code).await).len(), 1);
    assert_eq!(ok(s.signed_results(&d.code).await).len(), 2, "nothing of the refused copy kept");

    // Verifications, newest first.
    for (i, verdict) in [Verdict::Valid, Verdict::Altered].into_iter().enumerate() {
        let v = Verification {
            id: Uuid::now_v7(),
            result: result.id,
            agency: agency.clone(),
            at: t(&format!("2026-11-29T1{i}:00:00+07:00")),
            verdict,
            channel: VerifyChannel::Page,
            with_copy: i == 1,
        };
        ok(s.record_verification(&v).await);
    }
    let log = ok(s.verifications(result.id, 10).await);
    assert_eq!(
        log.iter().map(|v| (v.verdict, v.with_copy)).collect::<Vec<_>>(),
        [(Verdict::Altered, true), (Verdict::Valid, false)]
    );
    assert_eq!(ok(s.verifications(result.id, 1).await).len(), 1);
}
