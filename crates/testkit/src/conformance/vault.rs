//! The document vault: a holder's documents newest first, a copy of a dossier's file written in
//! its transaction, one account per holder, the vault's log read from the audit rows.

use chrono::{DateTime, FixedOffset};
use motcua_domain::dossier::record::{DocumentKind, DocumentRecord, DocumentSource};
use motcua_domain::ids::AgencyCode;
use motcua_domain::procedure::Channel;
use motcua_domain::vault::{Holder, VaultItem, VaultKind};
use motcua_storage::{AuditEntry, Store, StoreError, no_notices};
use uuid::Uuid;

use crate::fixtures::{audit, intake_event, new_dossier, pdf_file};

fn t(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap_or_else(|e| panic!("{e}"))
}

fn ok<T>(r: Result<T, StoreError>) -> T {
    r.unwrap_or_else(|e| panic!("{e}"))
}

pub async fn vault_story(s: &impl Store) {
    let received = t("2026-11-27T09:00:00+07:00");
    let n = new_dossier(Channel::Online, received, None, None);
    let d = ok(s.create_dossier(&n, &intake_event(&n), &audit("dossier.intake"), no_notices()).await);
    let holder = Holder::of(&d.applicant.id);
    assert!(ok(s.vault_items(&holder).await).is_empty());
    let doc = |name: &str, at: &str| DocumentRecord {
        id: Uuid::now_v7(),
        dossier: d.code.clone(),
        kind: DocumentKind::Component,
        name: name.into(),
        file: pdf_file(&format!("{name}.pdf"), &format!("2026/{}", Uuid::now_v7())),
        source: DocumentSource::Upload,
        at: t(at),
        by: "congdan".into(),
    };
    let copy = |doc: &DocumentRecord, valid_until| VaultItem {
        id: Uuid::now_v7(),
        holder: holder.clone(),
        kind: VaultKind::Component,
        doc_type: "ban sao the can cuoc".into(),
        name: doc.name.clone(),
        file: doc.file.clone(),
        valid_until,
        dossier: Some(d.code.clone()),
        agency: AgencyCode::parse("H24.02").unwrap_or_else(|e| panic!("{e:?}")),
        added_at: doc.at,
    };
    let (a, b) =
        (doc("Bản sao Thẻ Căn cước", "2026-11-27T09:05:00+07:00"), doc("Giấy khai sinh", "2026-11-27T09:06:00+07:00"));
    let (va, vb) = (copy(&a, chrono::NaiveDate::from_ymd_opt(2030, 1, 1)), copy(&b, None));
    ok(s.add_document(&a, Some(&va), &audit("dossier.document")).await);
    ok(s.add_document(&b, Some(&vb), &audit("dossier.document")).await);
    assert_eq!(ok(s.vault_items(&holder).await), vec![vb.clone(), va.clone()], "newest first, read back as written");
    assert_eq!(ok(s.vault_item(va.id).await), Some(va.clone()));
    assert_eq!(ok(s.vault_item(Uuid::now_v7()).await), None);
    let other = Holder::parse("citizen:031095009999").unwrap_or_else(|| panic!());
    assert!(ok(s.vault_items(&other).await).is_empty());
    // The file of a dossier that does not exist: neither it nor its vault copy is kept.
    let mut orphan = doc("Mất", "2026-11-27T09:07:00+07:00");
    orphan.dossier = motcua_domain::dossier::DossierCode::parse("H24.02-261127-9999").unwrap_or_else(|e| panic!("{e}"));
    let vo = copy(&orphan, None);
    assert!(matches!(
        s.add_document(&orphan, Some(&vo), &audit("dossier.document")).await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(ok(s.vault_item(vo.id).await), None);

    // One account per holder; an account's link may be replaced.
    let (me, them) = (Uuid::now_v7(), Uuid::now_v7());
    ok(s.link_identity(me, &holder, "admin", &audit("identity.link")).await);
    assert_eq!(ok(s.identity_of(me).await), Some(holder.clone()));
    let e = s.link_identity(them, &holder, "oidc", &audit("identity.link")).await;
    assert!(matches!(e, Err(StoreError::Conflict { .. })), "{e:?}");
    assert_eq!(ok(s.identity_of(them).await), None);
    ok(s.link_identity(me, &other, "oidc", &audit("identity.link")).await);
    assert_eq!(ok(s.identity_of(me).await), Some(other.clone()));

    // The vault's log: its audit rows only, newest first.
    for (i, action) in ["vault.reuse", "vault.download"].into_iter().enumerate() {
        let mut e: AuditEntry = audit(action);
        e.entity = "vault".into();
        e.entity_id = holder.as_str().into();
        e.at += chrono::Duration::seconds(i as i64);
        ok(s.record_audit(&e).await);
    }
    let log = ok(s.vault_log(&holder, 10).await);
    assert_eq!(log.iter().map(|r| r.entry.action.as_str()).collect::<Vec<_>>(), ["vault.download", "vault.reuse"]);
    assert!(ok(s.vault_log(&other, 10).await).is_empty());
}
