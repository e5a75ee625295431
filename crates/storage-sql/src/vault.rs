//! The document vault and the accounts' identity links.

use chrono::{DateTime, NaiveDate, Utc};
use motcua_domain::dossier::DossierCode;
use motcua_domain::file::AttachedFile;
use motcua_domain::ids::AgencyCode;
use motcua_domain::vault::{Holder, VaultItem, VaultKind};
use motcua_storage::{AuditEntry, AuditRecord, StoreError, StoreResult, VaultRepo};
use uuid::Uuid;

use crate::audit::write_audit;
use crate::dossier::local;
use crate::rows::bad;
use crate::{BeginWrite, SqlStore, map_err, on_db};

/// Insert one vault document on a transaction (`&mut *tx`).
macro_rules! insert_vault_item {
    ($conn:expr, $v:expr) => {{
        let v: &motcua_domain::vault::VaultItem = $v;
        sqlx::query(
            "INSERT INTO vault_item (id, holder, agency_code, kind, doc_type, name, file_name, content_type, size, \
             sha256, storage_key, valid_until, dossier_code, added_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        )
        .bind(v.id)
        .bind(v.holder.as_str())
        .bind(v.agency.as_str())
        .bind(v.kind.as_str())
        .bind(v.doc_type.as_str())
        .bind(v.name.as_str())
        .bind(v.file.file_name.as_str())
        .bind(v.file.content_type.as_str())
        .bind(i64::try_from(v.file.size).unwrap_or(i64::MAX))
        .bind(v.file.sha256.as_str())
        .bind(v.file.storage_key.as_str())
        .bind(v.valid_until)
        .bind(v.dossier.as_ref().map(|d| d.as_str()))
        .bind(v.added_at.with_timezone(&chrono::Utc))
        .execute($conn)
        .await
        .map_err($crate::map_err)
    }};
}
pub(crate) use insert_vault_item;

macro_rules! item_cols {
    () => {
        "SELECT id, holder, agency_code, kind, doc_type, name, file_name, content_type, size, sha256, storage_key, \
         valid_until, dossier_code, added_at FROM vault_item"
    };
}

#[derive(sqlx::FromRow)]
struct ItemRow {
    id: Uuid,
    holder: String,
    agency_code: String,
    kind: String,
    doc_type: String,
    name: String,
    file_name: String,
    content_type: String,
    size: i64,
    sha256: String,
    storage_key: String,
    valid_until: Option<NaiveDate>,
    dossier_code: Option<String>,
    added_at: DateTime<Utc>,
}

impl TryFrom<ItemRow> for VaultItem {
    type Error = StoreError;
    fn try_from(r: ItemRow) -> StoreResult<Self> {
        Ok(VaultItem {
            id: r.id,
            holder: Holder::parse(&r.holder)
                .ok_or_else(|| StoreError::Other(format!("vault holder «{}»", r.holder)))?,
            kind: VaultKind::parse(&r.kind).ok_or_else(|| StoreError::Other(format!("vault kind «{}»", r.kind)))?,
            doc_type: r.doc_type,
            name: r.name,
            file: AttachedFile {
                file_name: r.file_name,
                content_type: r.content_type,
                size: u64::try_from(r.size).map_err(bad("size"))?,
                sha256: r.sha256,
                storage_key: r.storage_key,
            },
            valid_until: r.valid_until,
            dossier: r.dossier_code.as_deref().map(DossierCode::parse).transpose().map_err(bad("dossier code"))?,
            agency: AgencyCode::parse(&r.agency_code).map_err(bad("agency"))?,
            added_at: local(r.added_at),
        })
    }
}

#[async_trait::async_trait]
impl VaultRepo for SqlStore {
    async fn vault_items(&self, holder: &Holder) -> StoreResult<Vec<VaultItem>> {
        let sql = concat!(item_cols!(), " WHERE holder = $1 ORDER BY added_at DESC, id DESC");
        let rows: Vec<ItemRow> =
            on_db!(&self.db, |p| sqlx::query_as(sql).bind(holder.as_str()).fetch_all(p).await.map_err(map_err))?;
        rows.into_iter().map(VaultItem::try_from).collect()
    }

    async fn vault_item(&self, id: Uuid) -> StoreResult<Option<VaultItem>> {
        let sql = concat!(item_cols!(), " WHERE id = $1");
        let row: Option<ItemRow> =
            on_db!(&self.db, |p| sqlx::query_as(sql).bind(id).fetch_optional(p).await.map_err(map_err))?;
        row.map(VaultItem::try_from).transpose()
    }

    async fn link_identity(&self, user: Uuid, holder: &Holder, source: &str, audit: &AuditEntry) -> StoreResult<()> {
        let turn = self.write_turn().await;
        on_db!(turn.db, |p| {
            let mut tx = p.begin_write().await.map_err(map_err)?;
            sqlx::query(
                "INSERT INTO identity_link (user_id, holder, source, linked_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (user_id) DO UPDATE SET holder = excluded.holder, source = excluded.source, \
                 linked_at = excluded.linked_at",
            )
            .bind(user)
            .bind(holder.as_str())
            .bind(source)
            .bind(audit.at)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
            write_audit!(&mut *tx, audit)?;
            tx.commit().await.map_err(map_err)
        })
    }

    async fn identity_of(&self, user: Uuid) -> StoreResult<Option<Holder>> {
        let row: Option<(String,)> =
            on_db!(&self.db, |p| sqlx::query_as("SELECT holder FROM identity_link WHERE user_id = $1")
                .bind(user)
                .fetch_optional(p)
                .await
                .map_err(map_err))?;
        Ok(row.and_then(|(h,)| Holder::parse(&h)))
    }

    async fn vault_log(&self, holder: &Holder, limit: u32) -> StoreResult<Vec<AuditRecord>> {
        self.audit_of("vault", holder.as_str(), limit).await
    }
}
