//! The document vault through the use cases: filled by filings and results, offered for reuse
//! to its holder, refused for anyone else's document, an expired one or the wrong type; every
//! access in the holder's log.

use bytes::Bytes;
use motcua_app::documents::UploadInput;
use motcua_app::dossiers::{ApplicantInput, IntakeInput};
use motcua_app::vault::VaultReuse;
use motcua_domain::dossier::record::{DocumentKind, DocumentSource};
use motcua_domain::procedure::Channel;
use motcua_storage::DossierRepo;

use super::*;

const PDF: &[u8] = b"%PDF-1.4\n% ban sao\n%%EOF\n";

fn online(procedure: &str, id: &str, name: &str, vault: Vec<VaultReuse>) -> IntakeInput {
    IntakeInput {
        procedure: procedure.into(),
        channel: Channel::Online,
        applicant: ApplicantInput {
            kind: "citizen".into(),
            id: id.into(),
            name: name.into(),
            phone: Some("0912345678".into()),
            email: None,
            address: None,
        },
        desk: Some("H24.02".into()),
        competent_agency: None,
        population: false,
        answers: Default::default(),
        vault,
    }
}

fn upload(name: &str) -> UploadInput {
    UploadInput {
        kind: DocumentKind::Component,
        name: name.into(),
        file_name: "giay-to.pdf".into(),
        source: None,
        bytes: Bytes::from_static(PDF),
    }
}

/// A second citizen, their identity linked to `id`.
async fn other_citizen(app: &App, id: &str) -> Actor {
    let account = NewAccount {
        username: "congdan2".into(),
        full_name: "Lê Văn Bình".into(),
        role: Role::Citizen,
        agency: None,
        email: None,
        password: DEMO_PASSWORD.into(),
    };
    app.add_user(&Actor::System, account).await.unwrap();
    app.link_identity(&Actor::System, "congdan2", "citizen", id).await.unwrap();
    login_as(app, "congdan2").await
}

#[tokio::test]
async fn the_vault_is_filled_by_filings_and_offered_back_to_its_holder_only() {
    let (app, ts) = demo_app().await;
    let citizen = login_as(&app, "congdan").await;
    let desk = login_as(&app, "motcua").await;
    let procedure = app.procedure_on("2.000908", None).await.unwrap();
    let content = procedure.version.content.clone();
    let names: Vec<String> = content.components.iter().map(|c| c.name.clone()).collect();
    assert!(app.my_vault(&citizen).await.unwrap().items.is_empty());
    assert!(app.vault_offers(&citizen, &content).await.unwrap().is_empty());

    // A first filing: the files uploaded are kept in the holder's vault.
    let files = names.iter().map(|n| upload(n)).collect();
    let first =
        app.file_online(&citizen, online("2.000908", "031095001234", "Vũ Minh Anh", vec![]), files).await.unwrap();
    let vault = app.my_vault(&citizen).await.unwrap();
    assert_eq!(vault.holder.as_str(), "citizen:031095001234");
    assert_eq!(vault.items.len(), names.len());
    assert!(vault.items.iter().all(|i| i.dossier.as_ref() == Some(&first.dossier.code)));

    // The next filing is offered them, and takes one without uploading it.
    let offers = app.vault_offers(&citizen, &content).await.unwrap();
    assert_eq!(offers.len(), names.len(), "one offer per component");
    let item = offers[&0][0].clone();
    let rest = names.iter().skip(1).map(|n| upload(n)).collect();
    let reuse = vec![VaultReuse { component: 0, item: item.id }];
    let second = app
        .file_online(&citizen, online("2.000908", "031095001234", "Vũ Minh Anh", reuse.clone()), rest)
        .await
        .unwrap();
    let docs = app.documents(&citizen, second.dossier.code.as_str()).await.unwrap();
    let reused = docs.iter().find(|d| d.source == DocumentSource::Vault).unwrap();
    assert_eq!((reused.name.as_str(), reused.file.sha256.as_str()), (names[0].as_str(), item.file.sha256.as_str()));
    let facts = ts.store.dossier(&second.dossier.code).await.unwrap().unwrap().facts;
    assert!(facts.reused_data, "the 766 reuse metric counts it");
    let (got, bytes) = app.vault_file(&citizen, &item.id.to_string()).await.unwrap();
    assert_eq!((got.id, bytes.as_ref()), (item.id, PDF));
    let log = app.my_vault(&citizen).await.unwrap().log;
    let seen: Vec<(&str, Option<&str>)> = log.iter().map(|a| (a.action.as_str(), a.dossier.as_deref())).collect();
    assert_eq!(seen, [("vault.download", None), ("vault.reuse", Some(second.dossier.code.as_str()))]);
    assert_eq!(log[1].by, "congdan");

    // Refused, and nothing stored: another holder's document, the wrong type, an expired one,
    // a desk officer reaching into a citizen's vault.
    let them = other_citizen(&app, "031095009999").await;
    let before = app.my_vault(&citizen).await.unwrap().items.len();
    let e = app.intake(&them, online("2.000908", "031095009999", "Lê Văn Bình", reuse.clone())).await.unwrap_err();
    assert!(matches!(e, AppError::Forbidden(_)), "another person's vault document: {e:?}");
    let e = app.intake(&citizen, online("2.000908", "031095009999", "Lê Văn Bình", reuse.clone())).await.unwrap_err();
    assert!(matches!(e, AppError::Forbidden(_)), "for another applicant: {e:?}");
    assert!(matches!(app.vault_file(&them, &item.id.to_string()).await, Err(AppError::Forbidden(_))));
    if names.len() > 1 {
        let wrong = vec![VaultReuse { component: 1, item: item.id }];
        let e = app.intake(&citizen, online("2.000908", "031095001234", "Vũ Minh Anh", wrong)).await.unwrap_err();
        assert!(matches!(e, AppError::Invalid(ref f) if f.code == "wrong_document_type"), "{e:?}");
    }
    let mut expired = item.clone();
    expired.id = uuid::Uuid::now_v7();
    expired.valid_until = Some(date("2026-11-26"));
    let mut holder_doc = reused.clone();
    holder_doc.id = uuid::Uuid::now_v7();
    ts.store.add_document(&holder_doc, Some(&expired), &motcua_testkit::fixtures::audit("test")).await.unwrap();
    let old = vec![VaultReuse { component: 0, item: expired.id }];
    let e = app.intake(&citizen, online("2.000908", "031095001234", "Vũ Minh Anh", old)).await.unwrap_err();
    assert!(
        matches!(e, AppError::Invalid(ref f) if f.code == "document_expired" && f.message.contains("26/11/2026")),
        "{e:?}"
    );
    assert!(!app.vault_offers(&citizen, &content).await.unwrap()[&0].iter().any(|i| i.id == expired.id), "not offered");
    let counter = IntakeInput {
        channel: Channel::Counter,
        desk: None,
        ..online("2.000908", "031095001234", "Vũ Minh Anh", reuse)
    };
    assert!(matches!(app.intake(&desk, counter).await, Err(AppError::Forbidden(_))));
    let all = motcua_app::dossiers::ListParams { finished: true, ..Default::default() };
    let mine = app.list_dossiers(&citizen, &all).await.unwrap().total;
    assert_eq!(mine, 2, "no dossier from the refused filings");
    assert_eq!(app.my_vault(&citizen).await.unwrap().items.len(), before + 1, "only the expired one added by the test");

    // An account without a checked identity has no vault.
    let app2 = app.clone();
    let account = NewAccount {
        username: "congdan3".into(),
        full_name: "Trần Thị C".into(),
        role: Role::Citizen,
        agency: None,
        email: None,
        password: DEMO_PASSWORD.into(),
    };
    app2.add_user(&Actor::System, account).await.unwrap();
    let unlinked = login_as(&app2, "congdan3").await;
    let e = app2.my_vault(&unlinked).await.unwrap_err();
    assert!(matches!(e, AppError::NotAllowed { code: "identity_not_linked", .. }), "{e:?}");
    let e = app.link_identity(&Actor::System, "congdan3", "citizen", "031095001234").await.unwrap_err();
    assert!(matches!(e, AppError::NotAllowed { code: "identity_taken", .. }), "{e:?}");
}
