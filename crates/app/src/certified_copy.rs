//! Electronic certified copies (issue 17, item 5): in a dossier of the certification procedure
//! (received at a commune's desk, appointment the same day — the next working day after the
//! cut-off, from the catalog's limit of 0 working days), the certifying officer scans the
//! original presented, states they compared it, and issues the copy: the scan signed with the
//! commune's key, in the holder's vault with the original's validity, the fee by pages
//! (`[copy_fees]`), the register's row.

use bytes::Bytes;
use chrono::NaiveDate;
use motcua_domain::certified_copy::{CertifiedCopy, MAX_PAGES};
use motcua_domain::dossier::access::{self, Action};
use motcua_domain::dossier::record::DossierRecord;
use motcua_domain::user::Role;
use motcua_domain::vault::VaultKind;
use uuid::Uuid;

use crate::signing::Signer;
use crate::{Actor, App, AppError, AppResult};

/// A copy to certify: the original's name, its pages, the last day it may be used (when it has
/// one), the officer's statement that the scan was compared with the original, the scan.
#[derive(Debug, Clone)]
pub struct CopyInput {
    pub original: String,
    pub pages: u32,
    pub valid_until: Option<NaiveDate>,
    pub compared: bool,
    pub file_name: String,
    pub bytes: Bytes,
}

impl App {
    /// Whether dossier `d` is of the certification procedure.
    pub(crate) fn is_certification(&self, d: &DossierRecord) -> bool {
        d.procedure.as_str() == self.config.certification_procedure
    }

    /// The caller may certify copies in `d` now: its handling agency's leader, signing set up.
    pub(crate) fn may_certify(&self, actor: &Actor, d: &DossierRecord, attach_result: bool) -> bool {
        self.is_certification(d) && self.may_sign(actor, attach_result, false)
    }

    /// Issue a certified electronic copy in dossier `code`.
    pub async fn certify_copy(&self, actor: &Actor, code: &str, input: CopyInput) -> AppResult<CertifiedCopy> {
        let (app, actor, code) = (self.clone(), actor.clone(), code.to_owned());
        self.to_completion(async move { app.certify_copy_now(&actor, &code, input).await }).await
    }

    async fn certify_copy_now(&self, actor: &Actor, code: &str, input: CopyInput) -> AppResult<CertifiedCopy> {
        let d = self.dossier(actor, code).await?;
        if !self.is_certification(&d) {
            return Err(AppError::NotAllowed {
                code: "not_a_certification",
                message: format!("Hồ sơ {} không phải hồ sơ chứng thực bản sao từ bản chính", d.code),
            });
        }
        self.check_may(actor, &d, Action::AttachResult, "certify_copy").await?;
        if !actor.user().is_some_and(|u| u.role == Role::Leader) {
            return Err(AppError::Forbidden("Người có thẩm quyền của cơ quan chứng thực ký bản sao".into()));
        }
        if !access::accepts(&d, actor.who(), Action::AttachResult) || d.workflow.state.is_terminal() {
            return Err(AppError::NotAllowed {
                code: "not_accepting_files",
                message: "Bản sao được chứng thực khi hồ sơ đang xử lý".into(),
            });
        }
        let original = input.original.trim();
        if original.is_empty() {
            return Err(AppError::invalid("required", "original", "Cần tên giấy tờ, văn bản gốc"));
        }
        if !(1..=MAX_PAGES).contains(&input.pages) {
            return Err(AppError::invalid("invalid_pages", "pages", format!("Số trang từ 1 đến {MAX_PAGES}")));
        }
        if !input.compared {
            return Err(AppError::invalid(
                "not_compared",
                "compared",
                "Cần đối chiếu bản chụp với bản chính trước khi chứng thực",
            ));
        }
        let today = self.today();
        if input.valid_until.is_some_and(|d| d < today) {
            return Err(AppError::invalid(
                "original_expired",
                "valid_until",
                "Bản chính đã hết hạn sử dụng: không chứng thực bản sao",
            ));
        }
        self.check_upload(&input.bytes)?;
        let agency = d.workflow.agency.clone().unwrap_or_else(|| d.competent_agency.clone());
        let (key, signing) = self.key_in_use(&agency, actor).await?;
        let signer = Signer {
            agency: &agency,
            key: &key,
            signing: &signing,
            id: Uuid::now_v7(),
            signed_at: self.signing_time(),
        };
        let title = format!("Bản sao chứng thực điện tử: {original}");
        let (result, record) =
            self.sign_file(actor, &d, &signer, title.clone(), &title, &input.file_name, input.bytes).await?;
        let mut vault = self.vault_copy(&d, &record, VaultKind::CertifiedCopy, motcua_domain::text::fold_vi(original));
        vault.name = format!("{original} (bản sao chứng thực điện tử)");
        vault.valid_until = input.valid_until;
        let copy = CertifiedCopy {
            id: Uuid::now_v7(),
            agency: agency.clone(),
            dossier: d.code.clone(),
            original: original.to_owned(),
            pages: input.pages,
            fee_vnd: self.config.copy_fees.fee(input.pages),
            valid_until: input.valid_until,
            result: result.id,
            issued_at: signer.signed_at,
            issued_by: actor.name(),
        };
        let audit = actor.audit(
            self.now(),
            "dossier.copy_certified",
            "dossier",
            d.code.as_str(),
            serde_json::json!({ "copy": copy.id, "result": result.id, "pages": copy.pages, "fee_vnd": copy.fee_vnd }),
        );
        self.keep_upload(&record.file, self.store.add_certified_copy(&record, &result, &vault, &copy, &audit)).await?;
        Ok(copy)
    }

    /// The copies certified in a dossier (whoever may read it).
    pub async fn certified_copies(&self, actor: &Actor, code: &str) -> AppResult<Vec<CertifiedCopy>> {
        let d = self.dossier(actor, code).await?;
        Ok(self.store.certified_copies(&d.code).await?)
    }
}
