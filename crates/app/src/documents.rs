//! Files of a dossier: papers digitised at the desk, components filed online or reused from the
//! applicant's vault or a national database, and the electronic result. The bytes go to the file
//! store first, then the row (with the dossier's 766 facts) in one transaction; a failed
//! transaction leaves no row pointing at nothing.

use bytes::Bytes;
use motcua_domain::dossier::record::{DocumentKind, DocumentRecord, DocumentSource, DossierRecord};
use motcua_domain::file::AttachedFile;
use motcua_domain::user::Role;
use motcua_files::{FileKind, sha256_hex};
use serde::Deserialize;

use crate::{Actor, App, AppError, AppResult};
use motcua_domain::dossier::access::{self, Action};

/// A file to attach.
#[derive(Debug, Clone)]
pub struct UploadInput {
    pub kind: DocumentKind,
    /// The component's name in the procedure's list (or the result's name).
    pub name: String,
    pub file_name: String,
    /// Default: scanned at the desk, uploaded by a citizen, issued for a result.
    pub source: Option<DocumentSource>,
    pub bytes: Bytes,
}

/// What a streamed upload says before its bytes.
#[derive(Debug, Clone)]
pub struct UploadMeta {
    pub kind: DocumentKind,
    pub name: String,
    pub file_name: String,
    pub source: Option<DocumentSource>,
}

/// The metadata fields of an upload, as forms and multipart bodies give them.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Deserialize)]
pub struct UploadFields {
    pub kind: DocumentKind,
    pub name: String,
    pub source: Option<DocumentSource>,
}

impl App {
    /// Attach a file to a dossier. Components: the receiving desk (digitising the papers, or
    /// taking them from a national database or the applicant's vault) while the dossier is open,
    /// and the citizen who filed it while it waits for the desk's check or for a supplement.
    /// Results: the agency handling it, once processing started. Runs to its end even when the
    /// caller goes away (a client that hangs up after sending the whole file): either the row is
    /// written with its bytes, or the bytes are taken out again — never an object without a row.
    pub async fn attach_document(&self, actor: &Actor, code: &str, input: UploadInput) -> AppResult<DocumentRecord> {
        let (app, actor, code) = (self.clone(), actor.clone(), code.to_owned());
        self.to_completion(async move { app.attach_document_now(&actor, &code, input).await }).await
    }

    async fn attach_document_now(&self, actor: &Actor, code: &str, input: UploadInput) -> AppResult<DocumentRecord> {
        let (d, source, name) = self.may_attach(actor, code, input.kind, input.source, &input.name).await?;
        let now = self.now();
        let id = uuid::Uuid::now_v7();
        let file =
            self.put_upload(format!("{}/{}/{id}", now.format("%Y"), d.code), &input.file_name, input.bytes).await?;
        self.record_document(actor, &d, id, input.kind, name, source, file).await
    }

    /// Attach a file whose bytes come as a stream (an upload as it arrives): checked first,
    /// written to the file store chunk by chunk (never whole in memory), then recorded. The
    /// metadata must come before the bytes.
    pub async fn attach_document_streamed<S>(
        &self,
        actor: &Actor,
        code: &str,
        meta: UploadMeta,
        body: S,
    ) -> AppResult<DocumentRecord>
    where
        S: futures_util::Stream<Item = Result<Bytes, String>> + Send + Unpin + 'static,
    {
        let (app, actor, code) = (self.clone(), actor.clone(), code.to_owned());
        self.to_completion(async move {
            let (d, source, name) = app.may_attach(&actor, &code, meta.kind, meta.source, &meta.name).await?;
            let id = uuid::Uuid::now_v7();
            let key = format!("{}/{}/{id}", app.now().format("%Y"), d.code);
            let file = app.put_upload_stream(key, &meta.file_name, body).await?;
            app.record_document(&actor, &d, id, meta.kind, name, source, file).await
        })
        .await
    }

    /// A streamed write's refusal as the caller reads it.
    fn stream_refusal(&self, e: motcua_files::StreamError) -> AppError {
        use motcua_files::StreamError;
        match e {
            StreamError::TooLarge => {
                AppError::TooLarge(format!("Tệp lớn hơn {} MB", self.config.max_file_bytes / (1024 * 1024)))
            }
            StreamError::Type => AppError::invalid("unsupported_file_type", "file", "Chỉ nhận tệp PDF, PNG hoặc JPEG"),
            StreamError::Empty => AppError::invalid("empty_file", "file", "Tệp rỗng"),
            StreamError::Body(m) => {
                AppError::invalid("incomplete_body", "file", format!("Tệp gửi lên bị gián đoạn: {m}"))
            }
            StreamError::Store(e) => AppError::Internal(e.to_string()),
        }
    }

    /// Whether `actor` may attach a file of `kind` to dossier `code` now: the dossier, the
    /// source it is recorded under, the name.
    async fn may_attach(
        &self,
        actor: &Actor,
        code: &str,
        kind: DocumentKind,
        given_source: Option<DocumentSource>,
        given_name: &str,
    ) -> AppResult<(DossierRecord, DocumentSource, String)> {
        let d = self.dossier(actor, code).await?;
        let citizen = actor.user().is_some_and(|u| u.role == Role::Citizen);
        if d.workflow.state.is_terminal() {
            return Err(AppError::NotAllowed {
                code: "dossier_closed",
                message: format!("Hồ sơ đã kết thúc («{}»); không nhận thêm tệp", d.workflow.state.label_vi()),
            });
        }
        let source = match kind {
            DocumentKind::Component => {
                self.check_may(actor, &d, Action::AttachComponent, "attach_component").await?;
                if !access::accepts(&d, actor.who(), Action::AttachComponent) {
                    return Err(AppError::NotAllowed {
                        code: "not_accepting_files",
                        message: "Người nộp chỉ gửi thêm giấy tờ khi hồ sơ chờ kiểm tra hoặc được yêu cầu bổ sung"
                            .into(),
                    });
                }
                let default = if citizen { DocumentSource::Upload } else { DocumentSource::Scan };
                let source = given_source.unwrap_or(default);
                let allowed: &[DocumentSource] = if citizen {
                    &[DocumentSource::Upload, DocumentSource::Vault]
                } else {
                    &[DocumentSource::Scan, DocumentSource::Vault, DocumentSource::NationalData]
                };
                if !allowed.contains(&source) {
                    return Err(AppError::invalid(
                        "invalid_source",
                        "source",
                        format!("Nguồn «{}» không dùng cho giấy tờ do bạn đính kèm", source.label_vi()),
                    ));
                }
                source
            }
            DocumentKind::Result => {
                self.check_may(actor, &d, Action::AttachResult, "attach_result").await?;
                if !access::accepts(&d, actor.who(), Action::AttachResult) {
                    return Err(AppError::NotAllowed {
                        code: "not_accepting_files",
                        message: "Kết quả điện tử được đính kèm khi hồ sơ đang xử lý hoặc đã xử lý xong".into(),
                    });
                }
                if given_source.is_some_and(|s| s != DocumentSource::Issued) {
                    return Err(AppError::invalid(
                        "invalid_source",
                        "source",
                        "Kết quả do cơ quan giải quyết phát hành",
                    ));
                }
                DocumentSource::Issued
            }
        };
        let name = given_name.trim();
        if name.is_empty() {
            return Err(AppError::invalid("required", "name", "Cần tên giấy tờ (theo thành phần hồ sơ của thủ tục)"));
        }
        Ok((d, source, name.to_owned()))
    }

    /// Record a stored file as a document of `d` (its vault copy with it), or take the bytes out.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn record_document(
        &self,
        actor: &Actor,
        d: &DossierRecord,
        id: uuid::Uuid,
        kind: DocumentKind,
        name: String,
        source: DocumentSource,
        file: AttachedFile,
    ) -> AppResult<DocumentRecord> {
        let now = self.now();
        let doc = DocumentRecord {
            id,
            dossier: d.code.clone(),
            kind,
            name,
            file,
            source,
            at: now.with_timezone(&motcua_domain::calendar::deadline::vn_offset()),
            by: actor.name(),
        };
        let audit = actor.audit(
            now,
            "dossier.document",
            "dossier",
            d.code.as_str(),
            serde_json::json!({ "document": id, "kind": doc.kind, "source": source, "size": doc.file.size, "sha256": doc.file.sha256 }),
        );
        // A component digitised or uploaded is kept in the applicant's vault too (TT 01/2023).
        let vault = match (doc.kind, doc.source) {
            (DocumentKind::Component, DocumentSource::Scan | DocumentSource::Upload) => {
                let doc_type = self.component_type(d, &doc.name).await?;
                Some(self.vault_copy(d, &doc, motcua_domain::vault::VaultKind::Component, doc_type))
            }
            _ => None,
        };
        self.keep_upload(&doc.file, self.store.add_document(&doc, vault.as_ref(), &audit)).await?;
        Ok(doc)
    }

    /// The files of a dossier (whoever may read the dossier).
    pub async fn documents(&self, actor: &Actor, code: &str) -> AppResult<Vec<DocumentRecord>> {
        let d: DossierRecord = self.dossier(actor, code).await?;
        Ok(self.store.documents(&d.code).await?)
    }

    /// One file with its bytes; the checksum is verified on the way out.
    pub async fn document_file(&self, actor: &Actor, code: &str, id: &str) -> AppResult<(DocumentRecord, Bytes)> {
        let id = uuid::Uuid::parse_str(id)
            .map_err(|_| AppError::invalid("invalid_document_id", "id", "Mã tệp không hợp lệ"))?;
        let doc = self
            .documents(actor, code)
            .await?
            .into_iter()
            .find(|d| d.id == id)
            .ok_or_else(|| AppError::NotFound(format!("tệp {id} của hồ sơ {code}")))?;
        let bytes = self.stored_file(&doc.file).await?;
        Ok((doc, bytes))
    }

    /// An uploaded file this system keeps: not empty, within the size limit, a PDF, PNG or
    /// JPEG by its content (not its name).
    pub(crate) fn check_upload(&self, bytes: &[u8]) -> AppResult<FileKind> {
        if bytes.is_empty() {
            return Err(AppError::invalid("empty_file", "file", "Tệp rỗng"));
        }
        if bytes.len() as u64 > self.config.max_file_bytes {
            return Err(AppError::TooLarge(format!("Tệp lớn hơn {} MB", self.config.max_file_bytes / (1024 * 1024))));
        }
        FileKind::sniff(bytes)
            .ok_or_else(|| AppError::invalid("unsupported_file_type", "file", "Chỉ nhận tệp PDF, PNG hoặc JPEG"))
    }

    /// The bytes of a stored file, checked against the SHA-256 recorded with it.
    pub(crate) async fn stored_file(&self, file: &AttachedFile) -> AppResult<Bytes> {
        let key = &file.storage_key;
        let bytes = self.files.get(key).await.map_err(|e| AppError::Internal(e.to_string()))?;
        if sha256_hex(&bytes) != file.sha256 {
            return Err(AppError::Internal(format!("tệp {key} không khớp mã băm đã lưu")));
        }
        Ok(bytes)
    }

    /// Run `work` in its own task and wait for it: dropping the caller's future (the client went
    /// away) does not cut the work between the bytes and the row.
    pub(crate) async fn to_completion<T: Send + 'static>(
        &self,
        work: impl Future<Output = AppResult<T>> + Send + 'static,
    ) -> AppResult<T> {
        tokio::spawn(work).await.map_err(|e| AppError::Internal(format!("upload task: {e}")))?
    }

    /// Delete objects of the file store that no row refers to and that were written more than
    /// `older_than` ago (the bytes of an upload whose row is still being written are younger).
    /// Objects are left by a crash between the bytes and the row.
    pub async fn sweep_files(&self, actor: &Actor, older_than: chrono::Duration) -> AppResult<SweepReport> {
        actor.require_admin()?;
        let cutoff = self.now() - older_than;
        let listed = self.files.list().await.map_err(|e| AppError::Internal(e.to_string()))?;
        let old: Vec<_> = listed.iter().filter(|o| o.written_at < cutoff).collect();
        let keys: Vec<String> = old.iter().map(|o| o.key.clone()).collect();
        let used = self.store.file_keys_in_use(&keys).await?;
        let mut report = SweepReport { listed: listed.len() as u64, ..Default::default() };
        for o in old.into_iter().filter(|o| !used.contains(&o.key)) {
            match self.files.delete(&o.key).await {
                Ok(()) => {
                    report.deleted += 1;
                    report.deleted_bytes += o.size;
                    tracing::info!(key = %o.key, size = o.size, "orphan file deleted");
                }
                Err(e) => tracing::warn!(key = %o.key, error = %e, "cannot delete an orphan file"),
            }
        }
        if report.deleted > 0 {
            let audit =
                actor.audit(self.now(), "files.sweep", "file_store", self.files.describe(), serde_json::json!(report));
            self.store.record_audit(&audit).await?;
        }
        Ok(report)
    }

    /// Check an upload and put its bytes in the file store under `key`: what is kept about it
    /// (the sender's name cleaned, the type by content, size, SHA-256). The bytes go first; the
    /// row that refers to them is written after, with [`App::keep_upload`].
    pub(crate) async fn put_upload(&self, key: String, given_name: &str, bytes: Bytes) -> AppResult<AttachedFile> {
        let kind = self.check_upload(&bytes)?;
        let file = AttachedFile {
            file_name: clean_file_name(given_name, kind),
            content_type: kind.content_type().to_owned(),
            size: bytes.len() as u64,
            sha256: sha256_hex(&bytes),
            storage_key: key,
        };
        self.files.put(&file.storage_key, bytes).await.map_err(|e| AppError::Internal(e.to_string()))?;
        Ok(file)
    }

    /// The same for bytes that come as a stream: checked and hashed on the way, written chunk by
    /// chunk (never whole in memory); refused (too large, another type, empty, cut off) with
    /// nothing left in the store.
    pub(crate) async fn put_upload_stream<S>(&self, key: String, given_name: &str, body: S) -> AppResult<AttachedFile>
    where
        S: futures_util::Stream<Item = Result<Bytes, String>> + Send + Unpin + 'static,
    {
        let written =
            self.files.put_stream(&key, body, self.config.max_file_bytes).await.map_err(|e| self.stream_refusal(e))?;
        Ok(AttachedFile {
            file_name: clean_file_name(given_name, written.kind),
            content_type: written.kind.content_type().to_owned(),
            size: written.size,
            sha256: written.sha256,
            storage_key: key,
        })
    }

    /// Write the row of an uploaded file; if that fails, take its bytes out of the file store
    /// again (a warning when even that fails), so that nothing is half-stored.
    pub(crate) async fn keep_upload<T>(
        &self,
        file: &AttachedFile,
        write: impl Future<Output = motcua_storage::StoreResult<T>>,
    ) -> AppResult<T> {
        match write.await {
            Ok(v) => Ok(v),
            Err(e) => {
                let key = &file.storage_key;
                if let Err(del) = self.files.delete(key).await {
                    tracing::warn!(key, error = %del, "orphan file left after a failed attach");
                }
                Err(e.into())
            }
        }
    }
}

/// The sender's file name without any folder part or control characters, with the extension
/// of what the file really is.
pub(crate) fn clean_file_name(given: &str, kind: FileKind) -> String {
    let base = given.rsplit(['/', '\\']).next().unwrap_or("").trim();
    let base: String = motcua_domain::text::clean_line(base).unwrap_or_default().chars().take(150).collect();
    let ext = match kind {
        FileKind::Pdf => "pdf",
        FileKind::Png => "png",
        FileKind::Jpeg => "jpg",
    };
    let stem = base.rsplit_once('.').map(|(s, _)| s).unwrap_or(&base);
    let stem = if stem.trim().is_empty() { "tep" } else { stem.trim() };
    format!("{stem}.{ext}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn file_names_keep_vietnamese_and_lose_folders() {
        use motcua_files::FileKind::*;
        assert_eq!(super::clean_file_name("C:\\Users\\a\\Giấy khai sinh.PDF", Pdf), "Giấy khai sinh.pdf");
        assert_eq!(super::clean_file_name("../../etc/passwd", Png), "passwd.png");
        assert_eq!(super::clean_file_name("", Jpeg), "tep.jpg");
        assert_eq!(super::clean_file_name("ảnh.chụp.jpeg", Jpeg), "ảnh.chụp.jpg");
        assert_eq!(super::clean_file_name("hoa-don\u{202E}gpj.exe", Jpeg), "hoa-dongpj.jpg", "no bidi reversal");
        assert_eq!(super::clean_file_name("\u{200B}\u{200B}.pdf", Pdf), "tep.pdf");
    }
}

/// What a sweep of the file store did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct SweepReport {
    /// Objects in the store.
    pub listed: u64,
    /// Objects no row referred to, deleted.
    pub deleted: u64,
    pub deleted_bytes: u64,
}
