//! Issue 16, item 6: two `motcua serve` processes on one database serve the same province.
//! Intakes go through both; every notice and every portal push is delivered once (the outbox's
//! leases), and the deadline watch runs in one process at a time (its lease row), raising each
//! alarm once. On SQLite, or on PostgreSQL with MOTCUA_TEST_DATABASE_URL (as `.ci/run` does).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use motcua_domain::notice::NoticeChannel;
use motcua_peers::portal::Portal;
use motcua_storage::{AlarmQuery, OutboxQuery, OutboxRepo, OutboxState, WatchRepo};
use motcua_testkit::test_store;
use serde_json::{Value, json};

mod common;
use common::{Server, free_port};

struct Started {
    server: Server,
    log: PathBuf,
    drop_dir: PathBuf,
}

async fn start(dir: &Path, database_url: &str, portal_url: &str, poll_ms: u32) -> Started {
    let port = free_port();
    std::fs::create_dir_all(dir).unwrap();
    let (log, drop_dir) = (dir.join("server.log"), dir.join("outbox"));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_motcua"));
    cmd.arg("--data-dir")
        .arg(dir)
        .args(["--database-url", database_url, "serve", "--listen", &format!("127.0.0.1:{port}")])
        .env("MOTCUA_LOG", "info,sqlx=warn")
        // Polls of different periods, so that one worker's pass does not always come just
        // before the other's.
        .env("MOTCUA_JOBS__POLL_MS", poll_ms.to_string())
        // Two messages per claim: a pass claims by twos, so the other worker's pass running
        // meanwhile takes its share (with 50, one claim could take every notice there is).
        .env("MOTCUA_JOBS__BATCH", "2")
        .env("MOTCUA_WATCH__EVERY_SECONDS", "1")
        // A takeover needs the holder to stop renewing for this long: not under a busy CI.
        .env("MOTCUA_WATCH__LEASE_SECONDS", "60")
        .env("MOTCUA_NOTIFY__DROP_DIR", &drop_dir)
        .env("MOTCUA_PORTAL__ENABLED", "true")
        .env("MOTCUA_PORTAL__URL", portal_url)
        .env("MOTCUA_PORTAL__USERNAME", "haiphong")
        .env("MOTCUA_PORTAL__PASSWORD", "mat-khau")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap());
    Started { server: Server::spawn(cmd, port, Some(&log)).await, log, drop_dir }
}

async fn token(client: &reqwest::Client, url: &str) -> String {
    let body = json!({"username": "motcua", "password": motcua_demo::DEMO_PASSWORD});
    let r: Value =
        client.post(format!("{url}/api/v1/auth/token")).json(&body).send().await.unwrap().json().await.unwrap();
    r["token"].as_str().unwrap().to_owned()
}

/// The outbox ids of the files a server's worker wrote to its drop folder.
fn dropped(server: &Started) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(&server.drop_dir) else { return vec![] };
    entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".json") && !n.starts_with('.'))
        .filter_map(|n| n.trim_end_matches(".json").split_once('-').map(|(_, id)| id.to_owned()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_one_database_deliver_each_message_once_and_watch_once() {
    let ts = test_store().await;
    let root = tempfile::tempdir().unwrap();
    let demo = Command::new(env!("CARGO_BIN_EXE_motcua"))
        .arg("--data-dir")
        .arg(root.path().join("cli"))
        .args(["--database-url", &ts.url, "demo"])
        .output()
        .unwrap();
    assert!(demo.status.success(), "{}", String::from_utf8_lossy(&demo.stderr));
    let portal = Portal::new("haiphong", "mat-khau");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let portal_url = format!("http://{}", listener.local_addr().unwrap());
    let router = portal.router();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let (dir_a, dir_b) = (root.path().join("a"), root.path().join("b"));
    let servers = [start(&dir_a, &ts.url, &portal_url, 200).await, start(&dir_b, &ts.url, &portal_url, 130).await];

    // Twenty intakes, alternately through each server.
    let client = reqwest::Client::new();
    let tokens = [token(&client, &servers[0].server.url).await, token(&client, &servers[1].server.url).await];
    let mut codes = Vec::new();
    for i in 0..20 {
        let (server, token) = (&servers[i % 2], &tokens[i % 2]);
        let body = json!({"procedure": "2.000908", "channel": "counter", "applicant": {"kind": "citizen",
            "id": "031095001234", "name": "Vũ Minh Anh", "phone": "0912345678", "email": "anh@example.vn"}});
        let r = client
            .post(format!("{}/api/v1/dossiers", server.server.url))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        codes.push(r.json::<Value>().await.unwrap()["code"].as_str().unwrap().to_owned());
        // The intakes spread over several polls of each worker.
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    let mut sorted = codes.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), 20, "one code per intake: {codes:?}");

    // Wait until both workers have emptied the outbox and the portal has every dossier.
    let started = Instant::now();
    let pending = OutboxQuery { state: Some(OutboxState::Pending), limit: 500, ..OutboxQuery::default() };
    loop {
        let left = ts.store.outbox(&pending).await.unwrap().len();
        let alarms = ts.store.alarms(&AlarmQuery { limit: 500, ..AlarmQuery::default() }).await.unwrap().len();
        if left == 0 && portal.dossiers().len() == 20 && alarms >= 20 {
            break;
        }
        if started.elapsed() > Duration::from_secs(60) {
            // Short, so that a CI summary keeps it: what is missing, then each server's warnings.
            let warnings = |s: &Started| -> Vec<String> {
                let log = std::fs::read_to_string(&s.log).unwrap_or_default();
                log.lines().filter(|l| l.contains("WARN") || l.contains("ERROR")).take(10).map(str::to_owned).collect()
            };
            panic!(
                "after 60 s: {left} messages pending, {alarms} alarms, {} dossiers on the portal, refused {:?}; \
                 warnings of A {:?}; of B {:?}",
                portal.dossiers().len(),
                portal.refused(),
                warnings(&servers[0]),
                warnings(&servers[1])
            );
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // Each e-mail and SMS delivered once, by one of the two workers.
    let mut delivered: BTreeMap<String, u32> = BTreeMap::new();
    for id in dropped(&servers[0]).into_iter().chain(dropped(&servers[1])) {
        *delivered.entry(id).or_default() += 1;
    }
    let sent = |channel| OutboxQuery { channel: Some(channel), limit: 500, ..OutboxQuery::default() };
    let mut applicant_notices = 0;
    for channel in [NoticeChannel::Email, NoticeChannel::Sms] {
        for m in ts.store.outbox(&sent(channel)).await.unwrap() {
            if m.notice.subject.starts_with(motcua_domain::dossier::watch::SUBJECT_PREFIX) {
                continue;
            }
            applicant_notices += 1;
            assert_eq!(m.state, OutboxState::Sent);
            assert_eq!(delivered.get(&m.id.to_string()), Some(&1), "{} delivered once", m.id);
        }
    }
    assert_eq!(applicant_notices, 40, "an e-mail and an SMS per intake");
    assert!(delivered.values().all(|n| *n == 1), "no message delivered twice");
    assert!(!dropped(&servers[0]).is_empty() && !dropped(&servers[1]).is_empty(), "both workers delivered");

    // Each dossier pushed once to the portal (status 2), none refused.
    for code in &codes {
        let statuses: Vec<u8> = portal.dossiers()[code].iter().map(|t| t.status).collect();
        assert_eq!(statuses, vec![2], "{code}");
    }
    assert!(portal.refused().is_empty(), "{:?}", portal.refused());

    // The deadline watch: each dossier's apology alarm raised once; passes in one process only.
    let alarms = ts.store.alarms(&AlarmQuery { limit: 500, ..AlarmQuery::default() }).await.unwrap();
    for code in &codes {
        let apology = alarms.iter().filter(|a| a.dossier.as_str() == code && a.kind.as_str() == "apology_due").count();
        assert_eq!(apology, 1, "{code}: {alarms:?}");
    }
    let passes = |s: &Started| std::fs::read_to_string(&s.log).unwrap().matches("deadline watch pass").count();
    let (a, b) = (passes(&servers[0]), passes(&servers[1]));
    assert!((a == 0) != (b == 0), "the watch ran in one process: {a} and {b} passes");
}
