//! Filing online with the component files in one form (the citizen's "Nộp hồ sơ trực tuyến").
//!
//! Every file is checked (not empty, within the size limit, a PDF, PNG or JPEG by its content,
//! named after a component of the procedure) before the dossier is created, so that a bad file
//! refuses the whole filing and nothing is stored; then the dossier is received as submitted and
//! each file attached to it by the same rule as a later upload (`documents`).

use motcua_domain::dossier::record::{DocumentKind, DocumentRecord, DossierRecord};
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

impl App {
    /// File a dossier online with its component files (`files[i]` named after a component).
    pub async fn file_online(&self, actor: &Actor, input: IntakeInput, files: Vec<UploadInput>) -> AppResult<Filed> {
        if input.channel != Channel::Online {
            return Err(AppError::invalid(
                "channel_not_allowed",
                "channel",
                "Nộp kèm tệp chỉ dùng cho hồ sơ trực tuyến",
            ));
        }
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
