//! Declarations: the answers filed with a dossier are stored with it in the intake's transaction
//! and read back as they were; a draft is kept per account and procedure, replaced by the next
//! save, and gone once discarded.

use chrono::{DateTime, FixedOffset};
use motcua_domain::procedure::Channel;
use motcua_domain::procedure::eform::{Answer, Answers, RawAnswers};
use motcua_storage::{Store, StoreError, no_notices};

use crate::fixtures::{audit, intake_event, new_dossier, procedure_code};

fn t(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap_or_else(|e| panic!("{e}"))
}

pub async fn declaration_story(s: &impl Store) {
    let received = t("2026-11-27T09:00:00+07:00");
    let answers: Answers = [
        ("ho_ten_tre".to_owned(), Answer::Text("Vũ An".into())),
        ("so_con".to_owned(), Answer::Number(2)),
        ("dang_ky_lai".to_owned(), Answer::Yes(false)),
    ]
    .into();
    let with = motcua_domain::dossier::record::NewDossier {
        declaration: Some(answers.clone()),
        ..new_dossier(Channel::Online, received, None, None)
    };
    let without = new_dossier(Channel::Online, received, None, None);
    let a = s.create_dossier(&with, &intake_event(&with), &audit("dossier.intake"), no_notices()).await;
    let a = a.unwrap_or_else(|e| panic!("{e}"));
    let b = s.create_dossier(&without, &intake_event(&without), &audit("dossier.intake"), no_notices()).await;
    let b = b.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.declaration(&a.code).await.unwrap_or_else(|e| panic!("{e}")), Some(answers), "kept as filed");
    assert_eq!(s.declaration(&b.code).await.unwrap_or_else(|e| panic!("{e}")), None);
    let unknown = motcua_domain::dossier::DossierCode::parse("H24.02-261127-9999").unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(s.declaration(&unknown).await, Err(StoreError::NotFound(_))));

    // Drafts: one per account and procedure, the later save replacing the earlier.
    let (me, other) = (uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
    let (p, q) = (procedure_code("2.000908"), procedure_code("1.001193"));
    let raw = |pairs: &[(&str, &str)]| -> RawAnswers {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    };
    let ok = |r: Result<(), StoreError>| r.unwrap_or_else(|e| panic!("{e}"));
    ok(s.save_draft(me, &p, &raw(&[("ho_ten_tre", "Vũ")]), received).await);
    ok(s.save_draft(me, &p, &raw(&[("ho_ten_tre", "Vũ An"), ("so_con", "2")]), t("2026-11-27T10:00:00+07:00")).await);
    ok(s.save_draft(other, &p, &raw(&[("ho_ten_tre", "Lê")]), received).await);
    let d = s.draft(me, &p).await.unwrap_or_else(|e| panic!("{e}")).unwrap_or_else(|| panic!("kept"));
    assert_eq!(d.answers, raw(&[("ho_ten_tre", "Vũ An"), ("so_con", "2")]));
    assert_eq!(d.saved_at, t("2026-11-27T10:00:00+07:00"));
    assert!(s.draft(me, &q).await.unwrap_or_else(|e| panic!("{e}")).is_none(), "per procedure");
    assert!(s.discard_draft(me, &p).await.unwrap_or_else(|e| panic!("{e}")));
    assert!(!s.discard_draft(me, &p).await.unwrap_or_else(|e| panic!("{e}")));
    assert!(s.draft(me, &p).await.unwrap_or_else(|e| panic!("{e}")).is_none());
    let theirs = s.draft(other, &p).await.unwrap_or_else(|e| panic!("{e}")).unwrap_or_else(|| panic!("kept"));
    assert_eq!(theirs.answers, raw(&[("ho_ten_tre", "Lê")]), "another account's draft untouched");
}
