//! The outbox worker against real servers: an SMTP server (aiosmtpd, Python; the test needs
//! `pip install aiosmtpd`, and `MOTCUA_REQUIRE_SMTP_SINK=1` makes its absence an error, as
//! `.ci/run` does) and an SMS gateway (an HTTP server in the test), on the store the environment
//! selects (SQLite, or PostgreSQL with MOTCUA_TEST_DATABASE_URL).
#![allow(clippy::unwrap_used)]

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use motcua_domain::dossier::DossierCode;
use motcua_domain::notice::{Notice, NoticeChannel};
use motcua_domain::procedure::Channel;
use motcua_jobs::{HttpSmsGateway, Report, RetryPolicy, Sender, SmtpSender, Worker, WorkerOptions, dir_sender};
use motcua_storage::{DossierRepo, OutboxQuery, OutboxRepo, OutboxState};
use motcua_testkit::fixtures::{audit, intake_event, new_dossier};
use motcua_testkit::{TestStore, test_store};

fn t(seconds: i64) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-27T02:00:00Z").unwrap().to_utc() + chrono::Duration::seconds(seconds)
}

/// One dossier per list of notices, each written with its dossier.
async fn fill(ts: &TestStore, notices: Vec<Vec<Notice>>) -> Vec<DossierCode> {
    let mut codes = Vec::new();
    for list in notices {
        let new = new_dossier(
            Channel::Online,
            t(0).with_timezone(&motcua_domain::calendar::deadline::vn_offset()),
            None,
            None,
        );
        let mut a = audit("dossier.intake");
        a.at = t(0);
        let d = ts
            .store
            .create_dossier(&new, &intake_event(&new), &a, std::sync::Arc::new(move |_: &DossierCode| list.clone()))
            .await
            .unwrap();
        codes.push(d.code);
    }
    codes
}

fn mail(to: &str, subject: &str, body: &str) -> Notice {
    Notice { channel: NoticeChannel::Email, recipient: to.into(), subject: subject.into(), body: body.into() }
}

fn sms(to: &str, body: &str) -> Notice {
    Notice { channel: NoticeChannel::Sms, recipient: to.into(), subject: String::new(), body: body.into() }
}

async fn messages(ts: &TestStore, state: OutboxState) -> Vec<motcua_storage::OutboxMessage> {
    ts.store.outbox(&OutboxQuery { state: Some(state), limit: 100, ..OutboxQuery::default() }).await.unwrap()
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// aiosmtpd storing what it receives in a maildir.
struct SmtpSink {
    child: Child,
    maildir: std::path::PathBuf,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl SmtpSink {
    fn start() -> Option<Self> {
        Self::start_on(free_port())
    }

    /// On a given port (a test reserves it while the server is "down").
    fn start_on(port: u16) -> Option<Self> {
        let found = Command::new("python3").args(["-c", "import aiosmtpd"]).status().is_ok_and(|s| s.success());
        if !found {
            if std::env::var_os("MOTCUA_REQUIRE_SMTP_SINK").is_some() {
                panic!("aiosmtpd is required (MOTCUA_REQUIRE_SMTP_SINK is set): pip install aiosmtpd");
            }
            eprintln!("aiosmtpd not installed (pip install aiosmtpd): the SMTP delivery test is not run here");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        // Maildir creates its folders only when the path does not exist yet.
        let maildir = dir.path().join("maildir");
        let child = Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .args(["-l", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let sink = Self { child, maildir, port, _dir: dir };
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Some(sink);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("aiosmtpd did not start on port {port}");
    }

    /// The received messages, decoded by Python's e-mail parser: (Message-ID, To, Subject, body).
    fn received(&self) -> Vec<serde_json::Value> {
        const READ: &str = r#"
import json, mailbox, sys
from email.header import decode_header, make_header
out = []
for m in mailbox.Maildir(sys.argv[1], create=False):
    out.append({
        "id": m["Message-ID"], "to": m["To"], "from": str(make_header(decode_header(m["From"]))),
        "subject": str(make_header(decode_header(m["Subject"]))),
        "body": m.get_payload(decode=True).decode(m.get_content_charset()),
    })
print(json.dumps(out))
"#;
        let out = Command::new("python3").args(["-c", READ]).arg(&self.maildir).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

#[tokio::test]
async fn e_mails_go_through_smtp_in_vietnamese_once_each() {
    let Some(sink) = SmtpSink::start() else { return };
    let ts = test_store().await;
    let codes = fill(
        &ts,
        vec![
            vec![
                mail(
                    "anh@example.vn",
                    "Hồ sơ 1: Được tiếp nhận",
                    "Kính gửi Ông/Bà Vũ Minh Anh,\nHẹn trả kết quả: 17:30",
                ),
                sms("0912345678", "Ho so 1"),
            ],
            vec![mail("binh@example.vn", "Hồ sơ 2: Yêu cầu bổ sung giấy tờ", "Nội dung cần bổ sung: bản sao")],
        ],
    )
    .await;
    let smtp = SmtpSender::new(&format!("smtp://127.0.0.1:{}", sink.port), "Bộ phận một cửa <motcua@haiphong.gov.vn>")
        .unwrap();
    let worker = Worker::new(ts.store.clone(), Some(Sender::Smtp(smtp)), None, WorkerOptions::default());
    let r = worker.run_once(|| t(1)).await.unwrap();
    assert_eq!(r, Report { sent: 2, ..Report::default() });
    // A second pass finds nothing to send: no duplicates.
    assert_eq!(worker.run_once(|| t(2)).await.unwrap(), Report::default());

    let sent = messages(&ts, OutboxState::Sent).await;
    assert_eq!(sent.len(), 2);
    assert!(sent.iter().all(|m| m.sent_at == Some(t(1)) && m.attempts == 1));
    assert_eq!(sent.iter().filter(|m| m.dossier.as_ref() == Some(&codes[0])).count(), 1);
    // The SMS stays pending: this worker has no SMS sender.
    assert_eq!(messages(&ts, OutboxState::Pending).await.len(), 1);

    let mut got = sink.received();
    got.sort_by_key(|m| m["to"].as_str().unwrap().to_owned());
    assert_eq!(got.len(), 2);
    assert_eq!(got[0]["to"], "anh@example.vn");
    assert_eq!(got[0]["subject"], "Hồ sơ 1: Được tiếp nhận");
    // Mail lines end in CRLF.
    assert_eq!(
        got[0]["body"].as_str().unwrap().replace("\r\n", "\n").trim_end(),
        "Kính gửi Ông/Bà Vũ Minh Anh,\nHẹn trả kết quả: 17:30"
    );
    assert_eq!(got[0]["from"], "Bộ phận một cửa <motcua@haiphong.gov.vn>");
    let anh = sent.iter().find(|m| m.notice.recipient == "anh@example.vn").unwrap();
    assert_eq!(got[0]["id"], format!("<{}@haiphong.gov.vn>", anh.id));
    assert_eq!(got[1]["subject"], "Hồ sơ 2: Yêu cầu bổ sung giấy tờ");
}

#[tokio::test]
async fn an_unreachable_smtp_server_is_tried_again_later() {
    let ts = test_store().await;
    fill(&ts, vec![vec![mail("anh@example.vn", "Hồ sơ", "x")], vec![mail("không phải địa chỉ", "Hồ sơ", "y")]]).await;
    let smtp = SmtpSender::new(&format!("smtp://127.0.0.1:{}", free_port()), "motcua@haiphong.gov.vn").unwrap();
    let worker = Worker::new(ts.store.clone(), Some(Sender::Smtp(smtp)), None, WorkerOptions::default());
    let r = worker.run_once(|| t(0)).await.unwrap();
    assert_eq!(r, Report { retried: 1, failed: 1, ..Report::default() });
    let pending = messages(&ts, OutboxState::Pending).await;
    assert_eq!(pending[0].available_at, t(30));
    assert!(pending[0].last_error.as_deref().unwrap().starts_with("SMTP"), "{:?}", pending[0].last_error);
    let failed = messages(&ts, OutboxState::Failed).await;
    assert!(failed[0].last_error.as_deref().unwrap().contains("không hợp lệ"), "{:?}", failed[0].last_error);
}

/// A request the gateway got: Authorization, Idempotency-Key, the JSON body.
type Got = (Option<String>, Option<String>, serde_json::Value);

/// An SMS gateway: records what it gets; answers by recipient (…503: busy, …400: rejected).
#[derive(Clone, Default)]
struct Gateway {
    got: Arc<Mutex<Vec<Got>>>,
    recovered: Arc<std::sync::atomic::AtomicBool>,
    /// Every request answered 503 (an outage of the provider).
    down: Arc<std::sync::atomic::AtomicBool>,
    /// The idempotency keys of the messages it accepted (answered 200).
    delivered: Arc<Mutex<Vec<String>>>,
}

async fn start_gateway() -> (Gateway, String) {
    use axum::http::{HeaderMap, StatusCode};
    let gw = Gateway::default();
    let state = gw.clone();
    let app = axum::Router::new().route(
        "/sms",
        axum::routing::post(move |headers: HeaderMap, axum::Json(body): axum::Json<serde_json::Value>| {
            let state = state.clone();
            async move {
                let h = |n: &str| headers.get(n).and_then(|v| v.to_str().ok()).map(str::to_owned);
                state.got.lock().unwrap().push((h("authorization"), h("idempotency-key"), body.clone()));
                if state.down.load(std::sync::atomic::Ordering::SeqCst) {
                    return (StatusCode::SERVICE_UNAVAILABLE, "maintenance");
                }
                let answer = match body["to"].as_str().unwrap_or_default() {
                    "0912000503" if !state.recovered.load(std::sync::atomic::Ordering::SeqCst) => {
                        (StatusCode::SERVICE_UNAVAILABLE, "busy")
                    }
                    "0912000400" => (StatusCode::BAD_REQUEST, "số thuê bao không tồn tại"),
                    _ => (StatusCode::OK, "ok"),
                };
                if answer.0 == StatusCode::OK {
                    state.delivered.lock().unwrap().push(h("idempotency-key").unwrap_or_default());
                }
                answer
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/sms", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (gw, url)
}

#[tokio::test]
async fn sms_are_retried_with_back_off_and_given_up_when_rejected() {
    let ts = test_store().await;
    fill(
        &ts,
        vec![
            vec![sms("0912345678", "Ho so 1: Duoc tiep nhan.")],
            vec![sms("0912000503", "Ho so 2")],
            vec![sms("0912000400", "Ho so 3")],
        ],
    )
    .await;
    let (gw, url) = start_gateway().await;
    let sender = Sender::HttpSms(HttpSmsGateway::new(&url, Some("t0k3n".into())).unwrap());
    let options = WorkerOptions {
        retry: RetryPolicy {
            max_attempts: 3,
            first_delay: Duration::from_secs(30),
            max_delay: Duration::from_secs(3600),
        },
        ..WorkerOptions::default()
    };
    let worker = Worker::new(ts.store.clone(), None, Some(sender), options);

    assert_eq!(worker.run_once(|| t(0)).await.unwrap(), Report { sent: 1, retried: 1, failed: 1, lost: 0 });
    {
        let got = gw.got.lock().unwrap();
        let ok = got.iter().find(|g| g.2["to"] == "0912345678").unwrap();
        assert_eq!(ok.0.as_deref(), Some("Bearer t0k3n"));
        assert_eq!(ok.2["to_e164"], "+84912345678");
        assert_eq!(ok.2["text"], "Ho so 1: Duoc tiep nhan.");
        assert_eq!(ok.1.as_deref(), ok.2["id"].as_str(), "the outbox id is the idempotency key");
    }
    // Not before its retry instant; then still busy: the delay doubles.
    assert_eq!(worker.run_once(|| t(29)).await.unwrap(), Report::default());
    assert_eq!(worker.run_once(|| t(30)).await.unwrap(), Report { retried: 1, ..Report::default() });
    let busy = messages(&ts, OutboxState::Pending).await;
    assert_eq!((busy[0].attempts, busy[0].available_at), (2, t(90)));
    assert!(busy[0].last_error.as_deref().unwrap().contains("503"));
    // The gateway is back: delivered on the third attempt.
    gw.recovered.store(true, std::sync::atomic::Ordering::SeqCst);
    assert_eq!(worker.run_once(|| t(90)).await.unwrap(), Report { sent: 1, ..Report::default() });

    let failed = messages(&ts, OutboxState::Failed).await;
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].notice.recipient, "0912000400");
    assert!(failed[0].last_error.as_deref().unwrap().contains("số thuê bao không tồn tại"));
    assert_eq!(messages(&ts, OutboxState::Sent).await.len(), 2);
    assert_eq!(gw.got.lock().unwrap().len(), 5);
}

#[tokio::test]
async fn a_message_that_keeps_failing_is_given_up_after_the_last_attempt() {
    let ts = test_store().await;
    fill(&ts, vec![vec![sms("0912000503", "Ho so")]]).await;
    let (_gw, url) = start_gateway().await;
    let options = WorkerOptions {
        retry: RetryPolicy {
            max_attempts: 2,
            first_delay: Duration::from_secs(10),
            max_delay: Duration::from_secs(60),
        },
        ..WorkerOptions::default()
    };
    let worker =
        Worker::new(ts.store.clone(), None, Some(Sender::HttpSms(HttpSmsGateway::new(&url, None).unwrap())), options);
    assert_eq!(worker.run_once(|| t(0)).await.unwrap().retried, 1);
    assert_eq!(worker.run_once(|| t(10)).await.unwrap().failed, 1);
    assert_eq!(worker.run_once(|| t(1000)).await.unwrap(), Report::default());
    assert_eq!(messages(&ts, OutboxState::Failed).await[0].attempts, 2);
}

#[tokio::test]
async fn the_folder_sender_writes_one_file_per_message() {
    let ts = test_store().await;
    fill(&ts, vec![vec![mail("anh@example.vn", "Hồ sơ: Đã trả kết quả", "Kết quả"), sms("0912345678", "Ho so")]]).await;
    let dir = tempfile::tempdir().unwrap();
    let worker = Worker::new(
        ts.store.clone(),
        Some(dir_sender(dir.path())),
        Some(dir_sender(dir.path())),
        WorkerOptions::default(),
    );
    assert_eq!(worker.run_once(|| t(0)).await.unwrap().sent, 2);
    let mut names: Vec<String> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names.len(), 2);
    assert!(names[0].starts_with("email-") && names[1].starts_with("sms-"), "{names:?}");
    let mail: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.path().join(&names[0])).unwrap()).unwrap();
    assert_eq!(mail["subject"], "Hồ sơ: Đã trả kết quả");
    assert_eq!(mail["recipient"], "anh@example.vn");
}

/// Issue 12, item 18: the SMS gateway and the SMTP server are down for a while (ten minutes of
/// the worker's time) while dossiers keep coming; once they are back every notice is delivered,
/// each exactly once, none lost. Figures in docs/RELIABILITY.md.
#[tokio::test]
async fn after_an_outage_of_both_providers_every_notice_is_delivered_exactly_once() {
    let smtp_port = free_port();
    let (gw, url) = start_gateway().await;
    gw.down.store(true, std::sync::atomic::Ordering::SeqCst);
    let ts = test_store().await;
    let smtp = SmtpSender::new(&format!("smtp://127.0.0.1:{smtp_port}"), "motcua@haiphong.gov.vn").unwrap();
    let options = WorkerOptions {
        retry: RetryPolicy {
            max_attempts: 50,
            first_delay: Duration::from_secs(10),
            max_delay: Duration::from_secs(60),
        },
        ..WorkerOptions::default()
    };
    let sms_sender = Sender::HttpSms(HttpSmsGateway::new(&url, None).unwrap());
    let worker = Worker::new(ts.store.clone(), Some(Sender::Smtp(smtp)), Some(sms_sender), options);
    let (mut composed, mut n) = (0usize, 0);
    let mut flow = || {
        let batch: Vec<Vec<Notice>> = (0..5)
            .map(|_| {
                n += 1;
                vec![
                    mail(&format!("nguoi{n}@example.vn"), &format!("Hồ sơ {n}"), "Được tiếp nhận"),
                    sms(&format!("09120{n:05}"), &format!("Ho so {n}")),
                ]
            })
            .collect();
        composed += 10;
        batch
    };
    // Ten minutes of outage: dossiers flow, nothing goes out, nothing is given up.
    for minute in 0..10 {
        let batch = flow();
        fill(&ts, batch).await;
        let r = worker.run_once(|| t(minute * 60)).await.unwrap();
        assert_eq!((r.sent, r.failed), (0, 0), "minute {minute}: {r:?}");
    }
    // The providers come back; dossiers keep flowing.
    let Some(sink) = SmtpSink::start_on(smtp_port) else { return };
    gw.down.store(false, std::sync::atomic::Ordering::SeqCst);
    let mut passes = 0;
    for minute in 10..40 {
        if minute < 15 {
            let batch = flow();
            fill(&ts, batch).await;
        }
        worker.run_once(|| t(minute * 60)).await.unwrap();
        passes += 1;
        if minute >= 15 && messages(&ts, OutboxState::Pending).await.is_empty() {
            break;
        }
    }
    let sent = ts
        .store
        .outbox(&OutboxQuery { state: Some(OutboxState::Sent), limit: 1000, ..OutboxQuery::default() })
        .await
        .unwrap();
    assert_eq!(sent.len(), composed, "every notice composed is sent ({passes} passes after the return)");
    assert!(
        messages(&ts, OutboxState::Failed).await.is_empty() && messages(&ts, OutboxState::Pending).await.is_empty()
    );
    // Exactly once per id on each side.
    let delivered = gw.delivered.lock().unwrap().clone();
    let unique: std::collections::HashSet<&String> = delivered.iter().collect();
    assert_eq!((delivered.len(), unique.len()), (composed / 2, composed / 2), "SMS accepted once each");
    let sms_ids: std::collections::HashSet<String> =
        sent.iter().filter(|m| m.notice.channel == NoticeChannel::Sms).map(|m| m.id.to_string()).collect();
    assert_eq!(unique.into_iter().cloned().collect::<std::collections::HashSet<_>>(), sms_ids);
    let mails = sink.received();
    let ids: std::collections::HashSet<String> = mails.iter().map(|m| m["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!((mails.len(), ids.len()), (composed / 2, composed / 2), "e-mails received once each");
    let attempts: u32 = sent.iter().map(|m| m.attempts).sum();
    eprintln!(
        "outage: {composed} notices composed, {} sent, {} SMS and {} e-mails received, {attempts} attempts, {} gateway requests",
        sent.len(),
        delivered.len(),
        mails.len(),
        gw.got.lock().unwrap().len()
    );
}
