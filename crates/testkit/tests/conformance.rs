//! The storage conformance story on the backend the environment selects (SQLite by default;
//! PostgreSQL with MOTCUA_TEST_DATABASE_URL, as `.ci/run` does).

use motcua_testkit::{conformance, test_store};

#[tokio::test]
async fn map() {
    conformance::map_story(&*test_store().await).await;
}

#[tokio::test]
async fn catalog() {
    conformance::catalog_story(&*test_store().await).await;
}

#[tokio::test]
async fn users_sessions_and_audit() {
    conformance::user_story(&*test_store().await).await;
}

#[tokio::test]
async fn sign_ins_through_the_identity_provider() {
    conformance::sign_in_story(&*test_store().await).await;
}

#[tokio::test]
async fn calendar() {
    conformance::calendar_story(&*test_store().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn dossiers() {
    let ts = test_store().await;
    conformance::dossier_story(&ts.store).await;
}

#[tokio::test]
async fn signing_keys_results_and_verifications() {
    conformance::signing_story(&*test_store().await).await;
}

#[tokio::test]
async fn the_document_vault() {
    conformance::vault_story(&*test_store().await).await;
}

#[tokio::test]
async fn declarations_and_drafts() {
    conformance::declaration_story(&*test_store().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_deadline_watch_and_dead_letters() {
    conformance::watch_story(&test_store().await.store).await;
}

#[tokio::test]
async fn the_live_index() {
    conformance::index_story(&*test_store().await).await;
}

/// Dossiers stored before the aggregates existed (no share, no traits) are counted by a rebuild
/// with the traits of their procedure versions.
#[tokio::test]
async fn the_index_of_dossiers_stored_before_it() {
    use motcua_domain::dossier::record::ProcedureTraits;
    use motcua_storage::{Backfill, IndexRepo};
    let ts = test_store().await;
    conformance::index_story(&ts.store).await;
    let before = conformance::index_snapshot(&ts.store).await;
    ts.execute_behind(
        "UPDATE dossier SET index_month = 0, index_facts = 0, open_until = NULL, paper_result = FALSE, fee_bearing = FALSE",
    )
    .await;
    ts.execute_behind("DELETE FROM index_month").await;
    assert!(ts.store.index_pending().await.unwrap());
    let traits = ProcedureTraits { paper_result: true, fee_bearing: true };
    let backfill = Backfill::from([((motcua_testkit::fixtures::procedure_code("2.000908"), 1), traits)]);
    assert_eq!(ts.store.rebuild_index(&backfill).await.unwrap(), 4);
    assert_eq!(conformance::index_snapshot(&ts.store).await, before);
    assert!(!ts.store.index_pending().await.unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_intakes() {
    let ts = test_store().await;
    conformance::concurrent_intake_story(&ts.store).await;
}

/// Intakes are written in shared transactions; one that fails must fail alone: the others
/// arriving with it are stored, their codes without gaps.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_failing_intake_fails_alone() {
    use motcua_domain::procedure::Channel;
    use motcua_storage::{DossierRepo, StoreError, no_notices};
    use motcua_testkit::fixtures::{agency_code, audit, intake_event, new_dossier};

    let ts = test_store().await;
    let received = chrono::DateTime::parse_from_rfc3339("2026-11-26T09:00:00+07:00").unwrap();
    let at = |desk: &str| {
        let mut new = new_dossier(Channel::Counter, received, None, None);
        new.agency = agency_code(desk);
        new
    };
    let first = at("H24.02");
    ts.store.create_dossier(&first, &intake_event(&first), &audit("dossier.intake"), no_notices()).await.unwrap();
    // A lost sequence row (a table restored from an old backup): the next code of H24.02 is
    // taken already, so its intake must fail; the intakes at H24.05 must not.
    ts.execute_behind("DELETE FROM dossier_sequence WHERE agency_code = 'H24.02'").await;
    let mut tasks = Vec::new();
    for i in 0..21 {
        let new = at(if i == 10 { "H24.02" } else { "H24.05" });
        let s = ts.store.clone();
        tasks.push(tokio::spawn(async move {
            let r = s.create_dossier(&new, &intake_event(&new), &audit("dossier.intake"), no_notices()).await;
            (new.agency, r)
        }));
    }
    let mut codes = Vec::new();
    for t in tasks {
        match t.await.unwrap() {
            (desk, Ok(d)) => {
                assert_eq!(desk.as_str(), "H24.05");
                codes.push(d.code.to_string());
            }
            (desk, Err(e)) => {
                assert_eq!(desk.as_str(), "H24.02");
                assert!(matches!(e, StoreError::Conflict { .. }), "{e}");
            }
        }
    }
    codes.sort();
    assert_eq!(codes, (1..=20).map(|n| format!("H24.05-261126-{n:04}")).collect::<Vec<_>>());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn outbox() {
    let ts = test_store().await;
    conformance::outbox_story(&ts.store).await;
}

#[tokio::test]
async fn plan() {
    conformance::plan_story(&*test_store().await).await;
}
