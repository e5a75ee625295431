//! The file store on a folder, in memory and on S3-compatible object storage (moto, a Python S3
//! server: `pip install 'moto[server]'`; `MOTCUA_REQUIRE_S3=1` makes its absence an error, as
//! `.ci/run` does).
#![allow(clippy::unwrap_used)]

use std::process::{Child, Command, Stdio};

use bytes::Bytes;
use motcua_files::{FileError, FileKind, FileStore, FilesConfig, StreamError};

async fn round_trip(store: &FileStore) {
    let key = format!("2026/{}/{}", uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
    let body = Bytes::from_static(b"%PDF-1.7\nGi\xe1\xba\xa5y khai sinh");
    store.put(&key, body.clone()).await.unwrap();
    assert_eq!(store.get(&key).await.unwrap(), body);
    store.delete(&key).await.unwrap();
    assert!(matches!(store.get(&key).await, Err(FileError::NotFound(_))), "{}", store.describe());
    streamed(store).await;
}

fn chunks(parts: Vec<Result<Bytes, String>>) -> impl futures_util::Stream<Item = Result<Bytes, String>> + Unpin {
    futures_util::stream::iter(parts)
}

/// A file written as it arrives (several parts on S3), its hash and size computed on the way;
/// refusals leave nothing behind.
async fn streamed(store: &FileStore) {
    let keys_before = store.list().await.unwrap().len();
    let mut body = b"%PDF-1.7\n".to_vec();
    body.extend(std::iter::repeat_n(b'x', 6 * 1024 * 1024 + 17));
    let parts: Vec<Result<Bytes, String>> = body.chunks(64 * 1024 + 3).map(|c| Ok(Bytes::copy_from_slice(c))).collect();
    let key = format!("2026/{}", uuid::Uuid::now_v7());
    let w = store.put_stream(&key, chunks(parts), 10 * 1024 * 1024).await.unwrap();
    assert_eq!(
        (w.size, w.sha256.as_str(), w.kind),
        (body.len() as u64, motcua_files::sha256_hex(&body).as_str(), FileKind::Pdf)
    );
    assert_eq!(store.get(&key).await.unwrap(), Bytes::from(body.clone()), "{}", store.describe());
    store.delete(&key).await.unwrap();

    let short = |k: &str, parts| {
        let key = format!("2026/{k}-{}", uuid::Uuid::now_v7());
        async move { (store.put_stream(&key, chunks(parts), 1024).await, key) }
    };
    let (r, k) = short("big", vec![Ok(Bytes::from_static(b"%PDF-1.7\n")), Ok(Bytes::from(vec![b'x'; 2000]))]).await;
    assert!(matches!(r, Err(StreamError::TooLarge)), "{r:?}");
    assert!(matches!(store.get(&k).await, Err(FileError::NotFound(_))));
    let (r, _) = short("exe", vec![Ok(Bytes::from_static(b"MZ\x90\x00 not a pdf"))]).await;
    assert!(matches!(r, Err(StreamError::Type)), "{r:?}");
    let (r, _) = short("cut", vec![Ok(Bytes::from_static(b"%PDF-1.7\nhalf")), Err("connection reset".into())]).await;
    assert!(matches!(r, Err(StreamError::Body(_))), "{r:?}");
    let (r, _) = short("empty", vec![]).await;
    assert!(matches!(r, Err(StreamError::Empty)), "{r:?}");
    let (r, k) = short("tiny", vec![Ok(Bytes::from_static(b"%PDF-"))]).await;
    assert_eq!(r.unwrap().kind, FileKind::Pdf, "a file shorter than the sniffed head");
    store.delete(&k).await.unwrap();
    assert_eq!(store.list().await.unwrap().len(), keys_before, "nothing left by the refusals: {}", store.describe());
}

#[tokio::test]
async fn folder_and_memory() {
    let dir = tempfile::tempdir().unwrap();
    let folder = FileStore::from_config(&FilesConfig::Local, dir.path()).unwrap();
    round_trip(&folder).await;
    assert!(dir.path().join("files").is_dir());
    round_trip(&FileStore::memory()).await;
}

struct Moto(Child);

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn s3_compatible_storage() {
    let found = Command::new("moto_server").arg("--help").stdout(Stdio::null()).stderr(Stdio::null()).status();
    if !found.is_ok_and(|s| s.success()) {
        if std::env::var_os("MOTCUA_REQUIRE_S3").is_some() {
            panic!("moto_server is required (MOTCUA_REQUIRE_S3 is set): pip install 'moto[server]'");
        }
        eprintln!("moto_server not installed (pip install 'moto[server]'): the S3 test is not run here");
        return;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let _moto = Moto(
        Command::new("moto_server")
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let endpoint = format!("http://127.0.0.1:{port}");
    // Object storage APIs do not create buckets: the operator does, once.
    let mut created = false;
    for _ in 0..100 {
        let status = Command::new("python3")
            .args([
                "-c",
                "import sys, urllib.request; urllib.request.urlopen(urllib.request.Request(sys.argv[1], method='PUT'))",
            ])
            .arg(format!("{endpoint}/dossiers"))
            .stderr(Stdio::null())
            .status()
            .unwrap();
        if status.success() {
            created = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(created, "moto did not answer on {endpoint}");
    let cfg = FilesConfig::S3 {
        endpoint,
        bucket: "dossiers".into(),
        region: "us-east-1".into(),
        access_key_id: "test".into(),
        secret_access_key: "test".into(),
        allow_http: true,
    };
    let store = FileStore::from_config(&cfg, std::path::Path::new("/nonexistent")).unwrap();
    assert!(store.describe().starts_with("S3 bucket dossiers"));
    round_trip(&store).await;
}
