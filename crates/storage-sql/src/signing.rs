//! Signed electronic results: keys (private halves sealed by the application), results,
//! verifications.

use chrono::{DateTime, Utc};
use motcua_domain::certified_copy::CertifiedCopy;
use motcua_domain::dossier::DossierCode;
use motcua_domain::dossier::record::DocumentRecord;
use motcua_domain::ids::AgencyCode;
use motcua_domain::signature::{AgencyKey, SignedResult, Verdict, Verification, VerifyChannel};
use motcua_storage::{AuditEntry, CopyRepo, SigningRepo, StoreError, StoreResult};
use uuid::Uuid;

use crate::audit::write_audit;
use crate::dossier::local;
use crate::rows::bad;
use crate::{BeginWrite, SqlStore, map_err, on_db};

/// Insert one signed result on a transaction (`&mut *tx`), with the document that holds it.
macro_rules! insert_signed {
    ($conn:expr, $r:expr) => {{
        let r: &motcua_domain::signature::SignedResult = $r;
        sqlx::query(
            "INSERT INTO signed_result (id, agency_code, dossier_code, document_id, key_id, title, sha256, \
             signature, signed_at, signed_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(r.id)
        .bind(r.agency.as_str())
        .bind(r.dossier.as_str())
        .bind(r.document)
        .bind(r.key)
        .bind(r.title.as_str())
        .bind(r.sha256.as_str())
        .bind(r.signature.as_slice())
        .bind(r.signed_at.with_timezone(&chrono::Utc))
        .bind(r.signed_by.as_str())
        .execute($conn)
        .await
        .map_err($crate::map_err)
    }};
}
pub(crate) use insert_signed;

/// Insert one certified copy's register row on a transaction (`&mut *tx`).
macro_rules! insert_copy {
    ($conn:expr, $c:expr) => {{
        let c: &motcua_domain::certified_copy::CertifiedCopy = $c;
        sqlx::query(
            "INSERT INTO certified_copy (id, agency_code, dossier_code, original, pages, fee_vnd, valid_until, \
             result_id, issued_at, issued_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(c.id)
        .bind(c.agency.as_str())
        .bind(c.dossier.as_str())
        .bind(c.original.as_str())
        .bind(i64::from(c.pages))
        .bind(i64::try_from(c.fee_vnd).unwrap_or(i64::MAX))
        .bind(c.valid_until)
        .bind(c.result)
        .bind(c.issued_at.with_timezone(&chrono::Utc))
        .bind(c.issued_by.as_str())
        .execute($conn)
        .await
        .map_err($crate::map_err)
    }};
}
pub(crate) use insert_copy;

/// What is written with a dossier's file, in its transaction.
#[derive(Default, Clone, Copy)]
pub(crate) struct WithDocument<'a> {
    pub signed: Option<&'a SignedResult>,
    pub vault: Option<&'a motcua_domain::vault::VaultItem>,
    pub copy: Option<&'a motcua_domain::certified_copy::CertifiedCopy>,
}

macro_rules! key_cols {
    () => {
        "SELECT id, agency_code, public_key, sealed, created_at, retired_at FROM signing_key"
    };
}
macro_rules! result_cols {
    () => {
        "SELECT id, agency_code, dossier_code, document_id, key_id, title, sha256, signature, signed_at, \
         signed_by FROM signed_result"
    };
}

#[derive(sqlx::FromRow)]
struct KeyRow {
    id: Uuid,
    agency_code: String,
    public_key: Vec<u8>,
    sealed: Vec<u8>,
    created_at: DateTime<Utc>,
    retired_at: Option<DateTime<Utc>>,
}

impl TryFrom<KeyRow> for AgencyKey {
    type Error = StoreError;
    fn try_from(r: KeyRow) -> StoreResult<Self> {
        Ok(AgencyKey {
            id: r.id,
            agency: AgencyCode::parse(&r.agency_code).map_err(bad("agency"))?,
            public_key: r.public_key,
            sealed: r.sealed,
            created_at: local(r.created_at),
            retired_at: r.retired_at.map(local),
        })
    }
}

#[derive(sqlx::FromRow)]
struct ResultRow {
    id: Uuid,
    agency_code: String,
    dossier_code: String,
    document_id: Uuid,
    key_id: Uuid,
    title: String,
    sha256: String,
    signature: Vec<u8>,
    signed_at: DateTime<Utc>,
    signed_by: String,
}

impl TryFrom<ResultRow> for SignedResult {
    type Error = StoreError;
    fn try_from(r: ResultRow) -> StoreResult<Self> {
        Ok(SignedResult {
            id: r.id,
            dossier: DossierCode::parse(&r.dossier_code).map_err(bad("dossier code"))?,
            agency: AgencyCode::parse(&r.agency_code).map_err(bad("agency"))?,
            key: r.key_id,
            document: r.document_id,
            title: r.title,
            sha256: r.sha256,
            signature: r.signature,
            signed_at: local(r.signed_at),
            signed_by: r.signed_by,
        })
    }
}

#[derive(sqlx::FromRow)]
struct VerificationRow {
    id: Uuid,
    agency_code: String,
    result_id: Uuid,
    at: DateTime<Utc>,
    verdict: String,
    channel: String,
    with_copy: bool,
}

impl TryFrom<VerificationRow> for Verification {
    type Error = StoreError;
    fn try_from(r: VerificationRow) -> StoreResult<Self> {
        Ok(Verification {
            id: r.id,
            result: r.result_id,
            agency: AgencyCode::parse(&r.agency_code).map_err(bad("agency"))?,
            at: local(r.at),
            verdict: Verdict::parse(&r.verdict).ok_or_else(|| StoreError::Other(format!("verdict «{}»", r.verdict)))?,
            channel: VerifyChannel::parse(&r.channel)
                .ok_or_else(|| StoreError::Other(format!("verification channel «{}»", r.channel)))?,
            with_copy: r.with_copy,
        })
    }
}

fn keys(rows: Vec<KeyRow>) -> StoreResult<Vec<AgencyKey>> {
    rows.into_iter().map(AgencyKey::try_from).collect()
}

#[async_trait::async_trait]
impl SigningRepo for SqlStore {
    async fn active_key(&self, agency: &AgencyCode) -> StoreResult<Option<AgencyKey>> {
        let sql = concat!(key_cols!(), " WHERE agency_code = $1 AND retired_at IS NULL");
        let rows: Vec<KeyRow> =
            on_db!(&self.db, |p| sqlx::query_as(sql).bind(agency.as_str()).fetch_all(p).await.map_err(map_err))?;
        Ok(keys(rows)?.into_iter().next())
    }

    async fn signing_key(&self, id: Uuid) -> StoreResult<Option<AgencyKey>> {
        let sql = concat!(key_cols!(), " WHERE id = $1");
        let rows: Vec<KeyRow> = on_db!(&self.db, |p| sqlx::query_as(sql).bind(id).fetch_all(p).await.map_err(map_err))?;
        Ok(keys(rows)?.into_iter().next())
    }

    async fn signing_keys(&self) -> StoreResult<Vec<AgencyKey>> {
        let sql = concat!(key_cols!(), " ORDER BY created_at, id");
        let rows: Vec<KeyRow> = on_db!(&self.db, |p| sqlx::query_as(sql).fetch_all(p).await.map_err(map_err))?;
        keys(rows)
    }

    async fn add_signing_key(&self, key: &AgencyKey, audit: &AuditEntry) -> StoreResult<()> {
        let turn = self.write_turn().await;
        let at = key.created_at.with_timezone(&Utc);
        on_db!(turn.db, |p| {
            let mut tx = p.begin_write().await.map_err(map_err)?;
            sqlx::query("UPDATE signing_key SET retired_at = $2 WHERE agency_code = $1 AND retired_at IS NULL")
                .bind(key.agency.as_str())
                .bind(at)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
            sqlx::query(
                "INSERT INTO signing_key (id, agency_code, public_key, sealed, created_at, retired_at) \
                 VALUES ($1, $2, $3, $4, $5, NULL)",
            )
            .bind(key.id)
            .bind(key.agency.as_str())
            .bind(key.public_key.as_slice())
            .bind(key.sealed.as_slice())
            .bind(at)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
            write_audit!(&mut *tx, audit)?;
            tx.commit().await.map_err(map_err)
        })
    }

    async fn add_signed_result(
        &self,
        doc: &DocumentRecord,
        result: &SignedResult,
        vault: &motcua_domain::vault::VaultItem,
        audit: &AuditEntry,
    ) -> StoreResult<()> {
        self.insert_document(doc, WithDocument { signed: Some(result), vault: Some(vault), copy: None }, audit).await
    }

    async fn signed_result(&self, id: Uuid) -> StoreResult<Option<SignedResult>> {
        let sql = concat!(result_cols!(), " WHERE id = $1");
        let row: Option<ResultRow> =
            on_db!(&self.db, |p| sqlx::query_as(sql).bind(id).fetch_optional(p).await.map_err(map_err))?;
        row.map(SignedResult::try_from).transpose()
    }

    async fn signed_results(&self, dossier: &DossierCode) -> StoreResult<Vec<SignedResult>> {
        let sql = concat!(result_cols!(), " WHERE dossier_code = $1 ORDER BY signed_at, id");
        let rows: Vec<ResultRow> =
            on_db!(&self.db, |p| sqlx::query_as(sql).bind(dossier.as_str()).fetch_all(p).await.map_err(map_err))?;
        rows.into_iter().map(SignedResult::try_from).collect()
    }

    async fn record_verification(&self, v: &Verification) -> StoreResult<()> {
        let turn = self.write_turn().await;
        on_db!(turn.db, |p| sqlx::query(
            "INSERT INTO result_verification (id, agency_code, result_id, at, verdict, channel, with_copy) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)"
        )
        .bind(v.id)
        .bind(v.agency.as_str())
        .bind(v.result)
        .bind(v.at.with_timezone(&Utc))
        .bind(v.verdict.as_str())
        .bind(v.channel.as_str())
        .bind(v.with_copy)
        .execute(p)
        .await
        .map(|_| ())
        .map_err(map_err))
    }

    async fn verifications(&self, result: Uuid, limit: u32) -> StoreResult<Vec<Verification>> {
        let rows: Vec<VerificationRow> = on_db!(&self.db, |p| sqlx::query_as(
            "SELECT id, agency_code, result_id, at, verdict, channel, with_copy FROM result_verification \
             WHERE result_id = $1 ORDER BY at DESC, id DESC LIMIT $2"
        )
        .bind(result)
        .bind(i64::from(limit))
        .fetch_all(p)
        .await
        .map_err(map_err))?;
        rows.into_iter().map(Verification::try_from).collect()
    }
}

#[derive(sqlx::FromRow)]
struct CopyRow {
    id: Uuid,
    agency_code: String,
    dossier_code: String,
    original: String,
    pages: i64,
    fee_vnd: i64,
    valid_until: Option<chrono::NaiveDate>,
    result_id: Uuid,
    issued_at: DateTime<Utc>,
    issued_by: String,
}

#[async_trait::async_trait]
impl CopyRepo for SqlStore {
    async fn add_certified_copy(
        &self,
        doc: &DocumentRecord,
        result: &SignedResult,
        vault: &motcua_domain::vault::VaultItem,
        copy: &CertifiedCopy,
        audit: &AuditEntry,
    ) -> StoreResult<()> {
        let with = WithDocument { signed: Some(result), vault: Some(vault), copy: Some(copy) };
        self.insert_document(doc, with, audit).await
    }

    async fn certified_copies(&self, dossier: &DossierCode) -> StoreResult<Vec<CertifiedCopy>> {
        let rows: Vec<CopyRow> = on_db!(&self.db, |p| sqlx::query_as(
            "SELECT id, agency_code, dossier_code, original, pages, fee_vnd, valid_until, result_id, issued_at, \
             issued_by FROM certified_copy WHERE dossier_code = $1 ORDER BY issued_at, id"
        )
        .bind(dossier.as_str())
        .fetch_all(p)
        .await
        .map_err(map_err))?;
        rows.into_iter()
            .map(|r| {
                Ok(CertifiedCopy {
                    id: r.id,
                    agency: AgencyCode::parse(&r.agency_code).map_err(bad("agency"))?,
                    dossier: DossierCode::parse(&r.dossier_code).map_err(bad("dossier code"))?,
                    original: r.original,
                    pages: u32::try_from(r.pages).map_err(bad("pages"))?,
                    fee_vnd: u64::try_from(r.fee_vnd).map_err(bad("fee"))?,
                    valid_until: r.valid_until,
                    result: r.result_id,
                    issued_at: local(r.issued_at),
                    issued_by: r.issued_by,
                })
            })
            .collect()
    }
}
