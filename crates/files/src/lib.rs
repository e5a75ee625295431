//! Stored files of motcua: digitised papers of a dossier and electronic results.
//!
//! One [`FileStore`] over `object_store`: a local folder (the default, next to the SQLite
//! database), S3-compatible object storage (production: MinIO, Ceph, a cloud bucket), or memory
//! (tests and tools). Keys are ASCII (`<yyyy>/<dossier id>/<document id>`); the original
//! Vietnamese file name is kept in the database, never in the key (object_store would
//! percent-encode it). The database row is the truth about a file: the bytes are written first,
//! then the row in its transaction; a failed transaction leaves an orphan object, never a row
//! without its bytes.

use std::path::Path;
use std::sync::Arc;

use bytes::Bytes;
use object_store::path::Path as Key;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("không tìm thấy tệp {0}")]
    NotFound(String),
    #[error("kho tệp: {0}")]
    Store(String),
}

impl From<object_store::Error> for FileError {
    fn from(e: object_store::Error) -> Self {
        match e {
            object_store::Error::NotFound { path, .. } => Self::NotFound(path),
            e => Self::Store(e.to_string()),
        }
    }
}

/// Where files are kept (`[files]` in the configuration).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum FilesConfig {
    /// `<data_dir>/files`, or `path`.
    #[default]
    Local,
    /// A folder given explicitly.
    Folder { path: std::path::PathBuf },
    /// An S3-compatible bucket (created beforehand: object storage APIs do not create buckets).
    S3 {
        endpoint: String,
        bucket: String,
        #[serde(default = "default_region")]
        region: String,
        access_key_id: String,
        secret_access_key: String,
        /// Allow `http://` endpoints (a bucket inside the province's network).
        #[serde(default)]
        allow_http: bool,
    },
}

fn default_region() -> String {
    "us-east-1".into()
}

/// The files of the deployment.
#[derive(Clone)]
pub struct FileStore {
    inner: Arc<dyn ObjectStore>,
    describe: String,
    /// The part a streamed write holds before passing it on (S3's smallest is 5 MiB).
    part_size: usize,
}

impl std::fmt::Debug for FileStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe)
    }
}

impl FileStore {
    /// Files in a folder (created when missing).
    pub fn folder(root: &Path) -> Result<Self, FileError> {
        std::fs::create_dir_all(root).map_err(|e| FileError::Store(format!("{}: {e}", root.display())))?;
        let fs = object_store::local::LocalFileSystem::new_with_prefix(root)?;
        Ok(Self { inner: Arc::new(fs), describe: format!("folder {}", root.display()), part_size: SMALL_PART })
    }

    /// Files in memory: tests and tools only (gone when the process ends).
    pub fn memory() -> Self {
        Self {
            inner: Arc::new(object_store::memory::InMemory::new()),
            describe: "memory".into(),
            part_size: SMALL_PART,
        }
    }

    /// The store a configuration names; `data_dir` anchors the local default.
    pub fn from_config(cfg: &FilesConfig, data_dir: &Path) -> Result<Self, FileError> {
        match cfg {
            FilesConfig::Local => Self::folder(&data_dir.join("files")),
            FilesConfig::Folder { path } => Self::folder(path),
            FilesConfig::S3 { endpoint, bucket, region, access_key_id, secret_access_key, allow_http } => {
                let s3 = object_store::aws::AmazonS3Builder::new()
                    .with_endpoint(endpoint)
                    .with_bucket_name(bucket)
                    .with_region(region)
                    .with_access_key_id(access_key_id)
                    .with_secret_access_key(secret_access_key)
                    .with_allow_http(*allow_http)
                    .with_virtual_hosted_style_request(false)
                    .build()?;
                Ok(Self {
                    inner: Arc::new(s3),
                    describe: format!("S3 bucket {bucket} at {endpoint}"),
                    part_size: S3_PART,
                })
            }
        }
    }

    pub fn describe(&self) -> &str {
        &self.describe
    }

    pub async fn put(&self, key: &str, bytes: Bytes) -> Result<(), FileError> {
        self.inner.put(&Key::from(key), PutPayload::from_bytes(bytes)).await?;
        Ok(())
    }

    /// Write the chunks of `body` under `key` as they come, never holding the whole file: at
    /// most two parts are in memory. The SHA-256 and the size are computed on the way, the type
    /// is recognised from the first bytes; a body over `max_bytes`, of another type, empty or
    /// broken off is refused and what was written is taken out again.
    pub async fn put_stream<S, E>(&self, key: &str, mut body: S, max_bytes: u64) -> Result<Written, StreamError>
    where
        S: futures_util::Stream<Item = Result<Bytes, E>> + Unpin,
        E: std::fmt::Display,
    {
        use futures_util::StreamExt;
        let upload = self.inner.put_multipart(&Key::from(key)).await.map_err(|e| StreamError::Store(e.into()))?;
        let mut write = object_store::WriteMultipart::new_with_chunk_size(upload, self.part_size);
        let mut hasher = Sha256::new();
        let (mut size, mut head, mut kind) = (0u64, Vec::with_capacity(SNIFF), None);
        let refusal = loop {
            let chunk = match body.next().await {
                None => break None,
                Some(Err(e)) => break Some(StreamError::Body(e.to_string())),
                Some(Ok(c)) => c,
            };
            size += chunk.len() as u64;
            if size > max_bytes {
                break Some(StreamError::TooLarge);
            }
            if kind.is_none() {
                head.extend_from_slice(&chunk[..chunk.len().min(SNIFF - head.len().min(SNIFF))]);
                if head.len() >= SNIFF {
                    kind = FileKind::sniff(&head);
                    if kind.is_none() {
                        break Some(StreamError::Type);
                    }
                }
            }
            hasher.update(&chunk);
            if let Err(e) = write.wait_for_capacity(1).await {
                break Some(StreamError::Store(e.into()));
            }
            write.put(chunk);
        };
        let kind = match (refusal, kind) {
            (Some(r), _) => {
                let _ = write.abort().await;
                return Err(r);
            }
            (None, Some(k)) => k,
            (None, None) if size == 0 => {
                let _ = write.abort().await;
                return Err(StreamError::Empty);
            }
            (None, None) => match FileKind::sniff(&head) {
                Some(k) => k,
                None => {
                    let _ = write.abort().await;
                    return Err(StreamError::Type);
                }
            },
        };
        write.finish().await.map_err(|e| StreamError::Store(e.into()))?;
        let sha256 = hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();
        Ok(Written { size, sha256, kind })
    }

    pub async fn get(&self, key: &str) -> Result<Bytes, FileError> {
        Ok(self.inner.get(&Key::from(key)).await?.bytes().await?)
    }

    pub async fn delete(&self, key: &str) -> Result<(), FileError> {
        self.inner.delete(&Key::from(key)).await?;
        Ok(())
    }

    /// Every object of the store, with its key and when it was written (for the sweep of
    /// objects no row refers to).
    pub async fn list(&self) -> Result<Vec<StoredObject>, FileError> {
        use futures_util::TryStreamExt;
        let objects: Vec<object_store::ObjectMeta> = self.inner.list(None).try_collect().await?;
        Ok(objects
            .into_iter()
            .map(|m| StoredObject { key: m.location.to_string(), written_at: m.last_modified, size: m.size })
            .collect())
    }
}

/// A streamed part's size outside S3, and S3's smallest part.
const SMALL_PART: usize = 1024 * 1024;
const S3_PART: usize = 5 * 1024 * 1024;
/// The bytes a file's type is recognised from.
const SNIFF: usize = 8;

/// What a streamed write stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub size: u64,
    pub sha256: String,
    pub kind: FileKind,
}

/// Why a streamed write was refused (nothing is left in the store).
#[derive(Debug, thiserror::Error)]
pub enum StreamError {
    #[error("tệp vượt quá dung lượng cho phép")]
    TooLarge,
    #[error("chỉ nhận tệp PDF, PNG hoặc JPEG")]
    Type,
    #[error("tệp rỗng")]
    Empty,
    #[error("tệp gửi lên bị gián đoạn: {0}")]
    Body(String),
    #[error("{0}")]
    Store(FileError),
}

/// An object of the file store as a listing gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredObject {
    pub key: String,
    pub written_at: chrono::DateTime<chrono::Utc>,
    pub size: u64,
}

/// The SHA-256 of the bytes, in lower-case hex (stored with each file to prove it unchanged).
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The kinds of file a dossier accepts, recognised by their first bytes (a declared content
/// type is not trusted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    Pdf,
    Png,
    Jpeg,
}

impl FileKind {
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(b"%PDF-") {
            Some(Self::Pdf)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else {
            None
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_recognised_by_content() {
        assert_eq!(FileKind::sniff(b"%PDF-1.7\n..."), Some(FileKind::Pdf));
        assert_eq!(FileKind::sniff(b"\x89PNG\r\n\x1a\n...."), Some(FileKind::Png));
        assert_eq!(FileKind::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(FileKind::Jpeg));
        assert_eq!(FileKind::sniff(b"MZ\x90\x00"), None);
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
