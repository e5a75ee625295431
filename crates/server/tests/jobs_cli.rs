//! `motcua jobs run --once` delivers what the use cases wrote to the outbox; with no SMTP server
//! or SMS gateway configured, into the drop folder.
#![allow(clippy::unwrap_used)]

use motcua_app::Actor;
use motcua_app::dossiers::{ApplicantInput, IntakeInput};
use motcua_domain::procedure::Channel;

mod common;
use common::cli_env as cli;

#[tokio::test]
async fn the_worker_delivers_the_outbox_once() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, _, err) = cli(dir.path(), &["demo"], &[]);
    assert!(ok, "{err}");
    let (app, store) = common::open_app(dir.path()).await;
    let input = IntakeInput {
        procedure: "2.000908".into(),
        channel: Channel::Counter,
        applicant: ApplicantInput {
            kind: "citizen".into(),
            id: "031095001234".into(),
            name: "Vũ Minh Anh".into(),
            phone: Some("0912345678".into()),
            email: Some("anh@example.vn".into()),
            address: None,
        },
        desk: Some("H24.02".into()),
        competent_agency: None,
        population: false,
        answers: Default::default(),
        vault: vec![],
    };
    let d = app.intake(&Actor::Cli, input).await.unwrap();
    store.close().await;

    // SMS turned off for this run: only the e-mail goes; the SMS waits.
    let (ok, out, err) = cli(dir.path(), &["jobs", "run", "--once"], &[("MOTCUA_NOTIFY__SMS", "false")]);
    assert!(ok, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report, serde_json::json!({"sent": 1, "retried": 0, "failed": 0, "lost": 0}));
    let (ok, out, err) = cli(dir.path(), &["jobs", "run", "--once"], &[]);
    assert!(ok, "{err}");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&out).unwrap()["sent"],
        1,
        "the SMS, and not the e-mail again"
    );

    let mut files: Vec<String> = std::fs::read_dir(dir.path().join("outbox"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files.len(), 2, "{files:?}");
    let mail: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("outbox").join(&files[0])).unwrap()).unwrap();
    assert_eq!(mail["dossier"], d.code.as_str());
    assert_eq!(mail["subject"], format!("Hồ sơ {}: Được tiếp nhận", d.code));
    let sms: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("outbox").join(&files[1])).unwrap()).unwrap();
    assert!(
        sms["body"].as_str().unwrap().starts_with(&format!("Ho so {}: Duoc tiep nhan.", d.code)),
        "{}",
        sms["body"]
    );
}
