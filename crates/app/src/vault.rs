//! The document vault as its holder lives it (issue 17, item 3): their digitised components,
//! signed results and certified e-copies; offered for reuse when a new dossier needs a document
//! of the same type still valid, taken only by the holder (filing online is their consent); every
//! access written to the audit log, which the holder reads.
//!
//! A citizen's account stands for a holder once its identity is checked: an admin links it
//! (`link_identity`), or the identity provider does at sign-in.

use std::collections::BTreeMap;

use bytes::Bytes;
use chrono::NaiveDate;
use motcua_domain::calendar::deadline::vn_offset;
use motcua_domain::dossier::record::{Applicant, DocumentKind, DocumentRecord, DocumentSource, DossierRecord};
use motcua_domain::procedure::{Component, VersionContent};
use motcua_domain::user::Role;
use motcua_domain::vault::{Holder, ReuseRefusal, VaultItem, VaultKind, check_reuse, doc_type_of};
use motcua_storage::AuditRecord;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Actor, App, AppError, AppResult};

/// A component taken from the vault: its position in the procedure's list, and the document.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VaultReuse {
    pub component: usize,
    pub item: Uuid,
}

/// A holder's vault as they see it: the documents and who used them.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct VaultView {
    pub holder: Holder,
    pub items: Vec<VaultItem>,
    pub log: Vec<VaultAccess>,
}

/// One access to the vault, from the audit log.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct VaultAccess {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub at: chrono::DateTime<chrono::Utc>,
    /// Who (user name).
    pub by: String,
    /// `vault.reuse`, `vault.add`, `vault.download`.
    pub action: String,
    /// The dossier it was for, when one.
    pub dossier: Option<String>,
    /// The vault document.
    pub item: Option<String>,
}

impl From<AuditRecord> for VaultAccess {
    fn from(r: AuditRecord) -> Self {
        let text = |k: &str| r.entry.detail.get(k).and_then(|v| v.as_str()).map(str::to_owned);
        Self {
            at: r.entry.at,
            by: r.entry.actor.clone(),
            action: r.entry.action.clone(),
            dossier: text("dossier"),
            item: text("item"),
        }
    }
}

fn refusal(r: ReuseRefusal, i: usize, item: &VaultItem) -> AppError {
    let field = format!("vault[{i}]");
    match r {
        ReuseRefusal::NotHolders => AppError::Forbidden("Giấy tờ trong kho của người khác: không được dùng".into()),
        ReuseRefusal::Expired => AppError::invalid(
            "document_expired",
            field,
            format!(
                "«{}» hết hiệu lực từ {}",
                item.name,
                item.valid_until.map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_default()
            ),
        ),
        ReuseRefusal::WrongType => AppError::invalid(
            "wrong_document_type",
            field,
            format!("«{}» không phải loại giấy tờ thành phần này cần", item.name),
        ),
    }
}

impl App {
    /// The holder the caller's account stands for.
    pub(crate) async fn holder_of(&self, actor: &Actor) -> AppResult<Holder> {
        let user = match actor.user() {
            None => return Err(AppError::Unauthenticated),
            Some(u) if u.role != Role::Citizen => {
                return Err(AppError::Forbidden("Kho giấy tờ dành cho công dân, tổ chức".into()));
            }
            Some(u) => u,
        };
        self.store.identity_of(user.id).await?.ok_or_else(|| AppError::NotAllowed {
            code: "identity_not_linked",
            message: "Tài khoản chưa được xác thực định danh (đăng nhập bằng định danh điện tử hoặc đề nghị bộ phận một cửa xác nhận) nên chưa mở được kho giấy tờ".into(),
        })
    }

    /// Link a citizen account to the holder of personal id (or tax code) `id`, its identity
    /// checked by the provincial admin (or the operator, loading the demo).
    pub async fn link_identity(&self, actor: &Actor, username: &str, kind: &str, id: &str) -> AppResult<Holder> {
        let user = self.citizen_account(actor, username).await?;
        let parsed = crate::dossiers::ApplicantInput {
            kind: kind.into(),
            id: id.into(),
            name: user.full_name.clone(),
            phone: None,
            email: None,
            address: None,
        }
        .parse(chrono::Datelike::year(&self.today()))?;
        let holder = Holder::of(&parsed.id);
        let audit = actor.audit(
            self.now(),
            "identity.link",
            "user",
            user.id.to_string(),
            serde_json::json!({ "holder": holder, "source": "admin" }),
        );
        match self.store.link_identity(user.id, &holder, "admin", &audit).await {
            Err(motcua_storage::StoreError::Conflict { .. }) => Err(AppError::NotAllowed {
                code: "identity_taken",
                message: "Số định danh này đã gắn với một tài khoản khác".into(),
            }),
            r => Ok(r.map(|_| holder)?),
        }
    }

    /// The caller's vault: documents newest first, and every access (newest first).
    pub async fn my_vault(&self, actor: &Actor) -> AppResult<VaultView> {
        let holder = self.holder_of(actor).await?;
        let items = self.store.vault_items(&holder).await?;
        let log = self.store.vault_log(&holder, 200).await?.into_iter().map(VaultAccess::from).collect();
        Ok(VaultView { holder, items, log })
    }

    /// One of the caller's vault documents with its bytes (recorded in the vault's log).
    pub async fn vault_file(&self, actor: &Actor, id: &str) -> AppResult<(VaultItem, Bytes)> {
        let holder = self.holder_of(actor).await?;
        let item = self.own_item(&holder, id).await?;
        let bytes = self.stored_file(&item.file).await?;
        let audit = self.vault_audit(actor, &holder, "vault.download", &item, None);
        self.store.record_audit(&audit).await?;
        Ok((item, bytes))
    }

    async fn own_item(&self, holder: &Holder, id: &str) -> AppResult<VaultItem> {
        let uuid = Uuid::parse_str(id.trim()).map_err(|_| AppError::NotFound(format!("giấy tờ {id} trong kho")))?;
        let item =
            self.store.vault_item(uuid).await?.ok_or_else(|| AppError::NotFound(format!("giấy tờ {id} trong kho")))?;
        if &item.holder != holder {
            return Err(AppError::Forbidden("Giấy tờ trong kho của người khác".into()));
        }
        Ok(item)
    }

    /// For the online filing of a procedure: by component position, the caller's vault
    /// documents of its type still valid today (empty when the account has no linked identity).
    pub async fn vault_offers(
        &self,
        actor: &Actor,
        content: &VersionContent,
    ) -> AppResult<BTreeMap<usize, Vec<VaultItem>>> {
        let holder = match self.holder_of(actor).await {
            Ok(h) => h,
            Err(AppError::NotAllowed { .. } | AppError::Forbidden(_) | AppError::Unauthenticated) => {
                return Ok(BTreeMap::new());
            }
            Err(e) => return Err(e),
        };
        let items = self.store.vault_items(&holder).await?;
        let today = self.today();
        let mut offers = BTreeMap::new();
        for (i, c) in content.components.iter().enumerate() {
            let fit: Vec<VaultItem> = items.iter().filter(|it| it.offered_for(c, today)).cloned().collect();
            if !fit.is_empty() {
                offers.insert(i, fit);
            }
        }
        Ok(offers)
    }

    /// Check the vault documents chosen for an intake (before anything is stored): the
    /// caller's own, for the applicant they are, valid today, of the component's type.
    pub(crate) async fn check_reuse(
        &self,
        actor: &Actor,
        applicant: &Applicant,
        content: &VersionContent,
        chosen: &[VaultReuse],
        today: NaiveDate,
    ) -> AppResult<Vec<(Component, VaultItem)>> {
        if chosen.is_empty() {
            return Ok(vec![]);
        }
        let holder = self.holder_of(actor).await?;
        let mut out = Vec::with_capacity(chosen.len());
        for (i, r) in chosen.iter().enumerate() {
            let c = content.components.get(r.component).ok_or_else(|| {
                AppError::invalid(
                    "unknown_component",
                    format!("vault[{i}].component"),
                    "Thủ tục không có thành phần này",
                )
            })?;
            let item = self.store.vault_item(r.item).await?.ok_or_else(|| {
                AppError::invalid("unknown_document", format!("vault[{i}].item"), "Không có giấy tờ này trong kho")
            })?;
            if holder != Holder::of(&applicant.id) {
                return Err(AppError::Forbidden("Chỉ dùng kho giấy tờ của chính người nộp hồ sơ".into()));
            }
            check_reuse(&item, &holder, c, today).map_err(|e| refusal(e, i, &item))?;
            out.push((c.clone(), item));
        }
        Ok(out)
    }

    /// Attach the vault documents checked by [`check_reuse`] to the new dossier: each a file of
    /// the dossier taken from the vault (the 766 reuse fact), recorded in the vault's log.
    pub(crate) async fn attach_reused(
        &self,
        actor: &Actor,
        d: &DossierRecord,
        reused: Vec<(Component, VaultItem)>,
    ) -> AppResult<Vec<DocumentRecord>> {
        let holder = Holder::of(&d.applicant.id);
        let mut docs = Vec::with_capacity(reused.len());
        for (c, item) in reused {
            let doc = DocumentRecord {
                id: Uuid::now_v7(),
                dossier: d.code.clone(),
                kind: DocumentKind::Component,
                name: c.name.clone(),
                file: item.file.clone(),
                source: DocumentSource::Vault,
                at: self.now().with_timezone(&vn_offset()),
                by: actor.name(),
            };
            let audit = self.vault_audit(actor, &holder, "vault.reuse", &item, Some(d));
            self.store.add_document(&doc, None, &audit).await?;
            docs.push(doc);
        }
        Ok(docs)
    }

    fn vault_audit(
        &self,
        actor: &Actor,
        holder: &Holder,
        action: &str,
        item: &VaultItem,
        d: Option<&DossierRecord>,
    ) -> motcua_storage::AuditEntry {
        let detail = serde_json::json!({ "item": item.id.to_string(), "name": item.name, "dossier": d.map(|d| d.code.to_string()) });
        actor.audit(self.now(), action, "vault", holder.as_str(), detail)
    }

    /// The copy of a dossier's file the holder's vault keeps (same bytes): a digitised
    /// component, or the signed result.
    pub(crate) fn vault_copy(
        &self,
        d: &DossierRecord,
        doc: &DocumentRecord,
        kind: VaultKind,
        doc_type: String,
    ) -> VaultItem {
        VaultItem {
            id: Uuid::now_v7(),
            holder: Holder::of(&d.applicant.id),
            kind,
            doc_type,
            name: doc.name.clone(),
            file: doc.file.clone(),
            valid_until: None,
            dossier: Some(d.code.clone()),
            agency: d.workflow.agency.clone().unwrap_or_else(|| d.agency.clone()),
            added_at: doc.at,
        }
    }

    /// The type a dossier's component file is kept under: the procedure's component of that
    /// name, else the name itself.
    pub(crate) async fn component_type(&self, d: &DossierRecord, name: &str) -> AppResult<String> {
        let version = self.version_view(d.procedure.as_str(), Some(d.procedure_number)).await?;
        let c = version.version.content.components.iter().find(|c| c.name == name);
        Ok(c.map(doc_type_of).unwrap_or_else(|| motcua_domain::text::fold_vi(name)))
    }
}
