//! Issue 12, item 17: the real binary is killed with SIGKILL in the middle of a burst of
//! concurrent intakes, then started again. Every intake that was answered 201 must be stored with
//! its first event, its audit row and its notice, and the desk's codes must stay gapless (the
//! number a killed transaction had taken is given again, never skipped). On SQLite, or on
//! PostgreSQL with MOTCUA_TEST_DATABASE_URL (a schema of its own). Figures: docs/RELIABILITY.md.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeSet, HashSet};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use motcua_domain::dossier::DossierCode;
use motcua_storage::{AuditRepo, DossierRepo, OutboxQuery, OutboxRepo};
use motcua_testkit::test_store;
use serde_json::{Value, json};

mod common;
use common::{Server, free_port};

async fn start(data: &std::path::Path, database_url: &str, demo: bool) -> Server {
    let port = free_port();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_motcua"));
    cmd.arg("--data-dir").arg(data).args(["--database-url", database_url, "serve", "--listen"]);
    cmd.arg(format!("127.0.0.1:{port}"));
    if demo {
        cmd.arg("--demo");
    }
    // Notices stay in the outbox, where the test counts them.
    cmd.env("MOTCUA_JOBS__IN_SERVER", "false").env("MOTCUA_LOG", "warn").stdout(Stdio::null()).stderr(Stdio::inherit());
    Server::spawn(cmd, port, None).await
}

async fn token(client: &reqwest::Client, url: &str) -> String {
    let r: Value = client
        .post(format!("{url}/api/v1/auth/token"))
        .json(&json!({"username": "motcua", "password": motcua_demo::DEMO_PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    r["token"].as_str().unwrap().to_owned()
}

fn intake() -> Value {
    json!({"procedure": "2.000908", "channel": "counter",
        "applicant": {"kind": "citizen", "id": "031095001234", "name": "Vũ Minh Anh", "phone": "0912345678"}})
}

/// (prefix `<desk>-<YYMMDD>`, number) of a code.
fn split(code: &str) -> (String, u32) {
    let (prefix, n) = code.rsplit_once('-').unwrap();
    (prefix.to_owned(), n.parse().unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn intakes_answered_201_survive_a_sigkill_and_codes_stay_gapless() {
    let ts = test_store().await;
    let data = tempfile::tempdir().unwrap();
    let mut server = start(data.path(), &ts.url, true).await;
    let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();
    let bearer = token(&client, &server.url).await;

    // 16 clients send intakes as fast as they are answered; the server is killed mid-burst.
    let acked: Arc<Mutex<Vec<String>>> = Arc::default();
    let sent = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let mut clients = vec![];
    for _ in 0..16 {
        let (client, url, bearer, acked, sent) =
            (client.clone(), server.url.clone(), bearer.clone(), acked.clone(), sent.clone());
        clients.push(tokio::spawn(async move {
            loop {
                sent.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let r = client.post(format!("{url}/api/v1/dossiers")).bearer_auth(&bearer).json(&intake()).send().await;
                let Ok(r) = r else { break };
                if r.status() != reqwest::StatusCode::CREATED {
                    break;
                }
                let Ok(body) = r.json::<Value>().await else { break };
                acked.lock().unwrap().push(body["code"].as_str().unwrap().to_owned());
            }
        }));
    }
    let started = Instant::now();
    while acked.lock().unwrap().len() < 300 && started.elapsed() < Duration::from_secs(30) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.child.kill().unwrap(); // SIGKILL
    server.child.wait().unwrap();
    futures_util::future::join_all(clients).await;
    let acked: Vec<String> = acked.lock().unwrap().clone();
    let sent = sent.load(std::sync::atomic::Ordering::SeqCst);
    assert!(acked.len() >= 300, "the burst was under way: {} answered", acked.len());

    // What the database holds after the kill.
    let (prefix, _) = split(&acked[0]);
    let mut stored = BTreeSet::new();
    for n in 1.. {
        let code = DossierCode::parse(&format!("{prefix}-{n:04}")).unwrap();
        if ts.store.dossier(&code).await.unwrap().is_none() {
            break;
        }
        stored.insert(n);
    }
    let audited: HashSet<String> = ts
        .store
        .audit_log(100_000)
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.entry.action == "dossier.intake")
        .map(|a| a.entry.entity_id)
        .collect();
    for code in &acked {
        let (p, n) = split(code);
        assert_eq!(p, prefix, "one desk, one day");
        assert!(stored.contains(&n), "{code} was answered 201 and is not stored");
        let code = DossierCode::parse(code).unwrap();
        assert!(!ts.store.dossier_events(&code).await.unwrap().is_empty(), "{code} has no event");
        assert!(audited.contains(code.as_str()), "{code} has no audit row");
        let notices = ts
            .store
            .outbox(&OutboxQuery { dossier: Some(code.clone()), limit: 10, ..OutboxQuery::default() })
            .await
            .unwrap();
        assert!(!notices.is_empty(), "{code} has no notice");
    }
    let max = stored.iter().next_back().copied().unwrap_or(0);
    assert_eq!(stored.len() as u32, max, "codes 1..{max} without a gap");

    // Started again: it takes the next number.
    let server = start(data.path(), &ts.url, false).await;
    let bearer = token(&client, &server.url).await;
    let r = client
        .post(format!("{}/api/v1/dossiers", server.url))
        .bearer_auth(&bearer)
        .json(&intake())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), reqwest::StatusCode::CREATED);
    let next: Value = r.json().await.unwrap();
    assert_eq!(split(next["code"].as_str().unwrap()).1, max + 1, "no gap after the restart");
    eprintln!(
        "SIGKILL ({}): {sent} intakes sent, {} answered 201, {} stored ({} stored but never answered: the kill came \
         between the commit and the answer), every answered one with its event, audit row and notice; codes 1..{max} gapless",
        if ts.url.starts_with("sqlite:") { "SQLite" } else { "PostgreSQL" },
        acked.len(),
        stored.len(),
        stored.len() - acked.len(),
    );
}
