//! Filing online with the component files in one form (the citizen's "Nộp hồ sơ trực tuyến").
//!
//! Every file is checked (not empty, within the size limit, a PDF, PNG or JPEG by its content,
//! named after a component of the procedure) before the dossier is created, so that a bad file
//! refuses the whole filing and nothing is stored; then the dossier is received as submitted and
//! each file attached to it by the same rule as a later upload (`documents`).
//!
//! The filing page streams its files instead ([`App::spool_filing_file`]): each is checked and
//! written to the file store as it arrives, never whole in memory, before the form's other
//! fields are all read; [`App::file_online_spooled`] then receives the dossier and records the
//! files already stored, and [`App::drop_spooled`] takes them out again when the filing does not
//! go ahead (a refusal, a missing paper, a draft saved). A crash in between leaves objects no
//! row refers to, which `files sweep` removes.

use bytes::Bytes;
use motcua_domain::dossier::record::{DocumentKind, DocumentRecord, DocumentSource, DossierRecord};
use motcua_domain::file::AttachedFile;
use motcua_domain::procedure::Channel;

use crate::documents::UploadInput;
use crate::dossiers::IntakeInput;
use crate::{Actor, App, AppError, AppResult};

/// What a filing stored.
#[derive(Debug, Clone)]
pub struct Filed {
    pub dossier: DossierRecord,
    pub documents: Vec<DocumentRecord>,
}

/// Files come with a filing only online.
fn online_only(input: &IntakeInput) -> AppResult<()> {
    match input.channel {
        Channel::Online => Ok(()),
        _ => Err(AppError::invalid("channel_not_allowed", "channel", "Nộp kèm tệp chỉ dùng cho hồ sơ trực tuyến")),
    }
}

/// A file of an online filing already in the file store, waiting for its dossier.
#[derive(Debug, Clone)]
pub struct Spooled {
    pub id: uuid::Uuid,
    pub file: AttachedFile,
}

impl App {
    /// Check one file of an online filing and write it to the file store as it arrives (before
    /// the dossier exists); refused (type by content, size, empty, cut off): nothing is kept.
    pub async fn spool_filing_file<S>(&self, file_name: &str, body: S) -> AppResult<Spooled>
    where
        S: futures_util::Stream<Item = Result<Bytes, String>> + Send + Unpin + 'static,
    {
        let (app, file_name) = (self.clone(), file_name.to_owned());
        self.to_completion(async move {
            let id = uuid::Uuid::now_v7();
            let key = format!("{}/truc-tuyen/{id}", app.now().format("%Y"));
            Ok(Spooled { id, file: app.put_upload_stream(key, &file_name, body).await? })
        })
        .await
    }

    /// Take spooled files out of the store (the filing did not go ahead).
    pub async fn drop_spooled(&self, files: impl IntoIterator<Item = Spooled>) {
        for s in files {
            if let Err(e) = self.files.delete(&s.file.storage_key).await {
                tracing::warn!(key = %s.file.storage_key, error = %e, "cannot delete a spooled file");
            }
        }
    }

    /// File a dossier online with its component files already spooled (`files`: the component's
    /// name and the file). If the dossier is refused, the files are taken out of the store.
    pub async fn file_online_spooled(
        &self,
        actor: &Actor,
        input: IntakeInput,
        files: Vec<(String, Spooled)>,
    ) -> AppResult<Filed> {
        if let Err(e) = online_only(&input) {
            self.drop_spooled(files.into_iter().map(|(_, s)| s)).await;
            return Err(e);
        }
        let dossier = match self.intake(actor, input).await {
            Ok(d) => d,
            Err(e) => {
                self.drop_spooled(files.into_iter().map(|(_, s)| s)).await;
                return Err(e);
            }
        };
        let mut documents = Vec::with_capacity(files.len());
        let mut files = files.into_iter();
        while let Some((name, s)) = files.next() {
            let (kind, source) = (DocumentKind::Component, DocumentSource::Upload);
            match self.record_document(actor, &dossier, s.id, kind, name, source, s.file).await {
                Ok(doc) => documents.push(doc),
                Err(e) => {
                    // `record_document` took its own file out; the rest go too.
                    self.drop_spooled(files.map(|(_, s)| s)).await;
                    return Err(e);
                }
            }
        }
        Ok(Filed { dossier, documents })
    }

    /// File a dossier online with its component files (`files[i]` named after a component).
    pub async fn file_online(&self, actor: &Actor, input: IntakeInput, files: Vec<UploadInput>) -> AppResult<Filed> {
        online_only(&input)?;
        for (i, f) in files.iter().enumerate() {
            let field = format!("files[{i}]");
            if f.kind != DocumentKind::Component {
                return Err(AppError::invalid("invalid_field", field, "Người nộp chỉ gửi thành phần hồ sơ"));
            }
            if f.name.trim().is_empty() {
                return Err(AppError::invalid("required", field, "Cần tên giấy tờ của tệp"));
            }
            self.check_upload(&f.bytes).map_err(|e| match e {
                AppError::Invalid(fe) => AppError::Invalid(fe.under(&field)),
                e => e,
            })?;
        }
        let dossier = self.intake(actor, input).await?;
        let mut documents = Vec::with_capacity(files.len());
        for f in files {
            documents.push(self.attach_document(actor, dossier.code.as_str(), f).await?);
        }
        Ok(Filed { dossier, documents })
    }
}
