//! Signed results and verifications per second (issue 17, item 6), through the use cases on a
//! real store and a file folder.
//!
//! `cargo bench -p motcua-testkit --bench signing` (SQLite in a temporary file; set
//! `MOTCUA_BENCH_DATABASE_URL=postgres://...` for PostgreSQL). Issues one signed result in each
//! of 40 dossiers (render the PDF, sign, store the file, the signature and the vault copy in one
//! transaction), then verifies each (re-read and hash the kept file, check the signature,
//! record the verification). Baseline in the same run: attaching the same PDF bytes to a dossier
//! as a plain file (store the file and its row).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use motcua_app::documents::UploadInput;
use motcua_app::dossier_commands::{CommandInput, CommandRequest};
use motcua_app::signing::MasterKey;
use motcua_app::{App, AppConfig, FixedClock};
use motcua_domain::dossier::record::DocumentKind;
use motcua_domain::signature::VerifyChannel;

#[path = "../tests/common/mod.rs"]
mod common;
use common::{counter_intake, login_as};

const DOSSIERS: usize = 40;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let (ts, label) = motcua_testkit::bench_store().await;
    let store = ts.store.clone();
    let files_dir = tempfile::tempdir().unwrap();
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-27T03:00:00Z").unwrap().to_utc();
    let config = AppConfig { master_key: Some(MasterKey::from_bytes([1; 32])), ..AppConfig::default() };
    let app = App::new(store, Arc::new(FixedClock(now)), config)
        .with_files(motcua_files::FileStore::folder(files_dir.path()).unwrap());
    motcua_demo::load(&app).await.unwrap();
    let (desk, leader, specialist) =
        (login_as(&app, "motcua").await, login_as(&app, "lanhdao").await, login_as(&app, "chuyenvien").await);
    let mut codes = vec![];
    for _ in 0..DOSSIERS * 2 {
        let d = app.intake(&desk, counter_intake("2.000908")).await.unwrap();
        let req = CommandRequest { revision: d.revision, input: CommandInput::Transfer { agency: "H24.11".into() } };
        app.command(&desk, d.code.as_str(), req).await.unwrap();
        codes.push(d.code.to_string());
    }
    let (signed_codes, plain_codes) = codes.split_at(DOSSIERS);

    let mut sign = vec![];
    let mut results = vec![];
    let t_all = Instant::now();
    for code in signed_codes {
        let t = Instant::now();
        results.push(app.issue_signed_result(&leader, code).await.unwrap());
        sign.push(t.elapsed());
    }
    let sign_total = t_all.elapsed();
    let pdf = {
        let docs = app.documents(&leader, &signed_codes[0]).await.unwrap();
        app.document_file(&leader, &signed_codes[0], &docs[0].id.to_string()).await.unwrap().1
    };
    let mut verify = vec![];
    let t_all = Instant::now();
    for r in &results {
        let t = Instant::now();
        let v = app.verify_result(&r.id.to_string(), None, VerifyChannel::Api).await.unwrap();
        assert!(v.verdict.is_valid());
        verify.push(t.elapsed());
    }
    let verify_total = t_all.elapsed();
    let mut plain = vec![];
    for code in plain_codes {
        let input = UploadInput {
            kind: DocumentKind::Result,
            name: "Kết quả".into(),
            file_name: "ket-qua.pdf".into(),
            source: None,
            bytes: pdf.clone(),
        };
        let t = Instant::now();
        app.attach_document(&specialist, code, input).await.unwrap();
        plain.push(t.elapsed());
    }
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let (ms_sign, ms_verify, ms_plain) = (median(sign), median(verify), median(plain));
    println!("{label}, {DOSSIERS} dossiers, result PDF of {} bytes", pdf.len());
    println!(
        "sign (render, sign, store): median {:.2} ms, {:.1} per second",
        ms(ms_sign),
        DOSSIERS as f64 / sign_total.as_secs_f64()
    );
    println!(
        "verify (read, hash, check, record): median {:.2} ms, {:.1} per second",
        ms(ms_verify),
        DOSSIERS as f64 / verify_total.as_secs_f64()
    );
    println!("baseline, attach the same PDF as a plain file: median {:.2} ms", ms(ms_plain));
    println!(
        "ratios to the baseline: sign {:.1}, verify {:.1}",
        ms(ms_sign) / ms(ms_plain),
        ms(ms_verify) / ms(ms_plain)
    );
}
