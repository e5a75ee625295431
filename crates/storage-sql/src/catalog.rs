//! The procedure catalog: procedures, their versions, search.
//!
//! A version is stored as its content (JSON) plus the columns that are filtered or ranked on:
//! status and validity dates, name, folded search text, field, levels (`|commune|province|`),
//! online level, and one row per implementing agency.

use std::collections::HashMap;

use chrono::NaiveDate;
use motcua_domain::FieldError;
use motcua_domain::ids::{AgencyCode, ProcedureCode};
use motcua_domain::procedure::search::{CatalogEntry, ProcedureSummary, search_text};
use motcua_domain::procedure::{
    HistoryChange, Level, OnlineLevel, Procedure, ProcedureVersion, Publication, TimeLimit, VersionContent,
    VersionStatus,
};
use motcua_storage::{AuditEntry, CatalogRepo, ImportSummary, StoreError, StoreResult, StoredProcedure};
use sqlx::types::Json;
use uuid::Uuid;

use crate::audit::write_audit;
use crate::rows::bad;
use crate::{BeginWrite, SqlStore, from_json, map_err, on_db};

fn levels_col(levels: &[Level]) -> String {
    let mut s = String::from("|");
    for l in levels {
        s.push_str(l.as_str());
        s.push('|');
    }
    s
}

fn parse_levels(s: &str) -> StoreResult<Vec<Level>> {
    s.split('|').filter(|p| !p.is_empty()).map(|p| Level::parse(p).map_err(bad("level"))).collect()
}

#[derive(sqlx::FromRow)]
struct VersionRow {
    number: i32,
    status: String,
    decision_no: Option<String>,
    decision_date: Option<NaiveDate>,
    effective_from: Option<NaiveDate>,
    effective_to: Option<NaiveDate>,
    publicised_on: Option<NaiveDate>,
    content: Json<serde_json::Value>,
}

impl TryFrom<VersionRow> for ProcedureVersion {
    type Error = StoreError;
    fn try_from(r: VersionRow) -> StoreResult<Self> {
        Ok(ProcedureVersion {
            number: u32::try_from(r.number).map_err(bad("version number"))?,
            status: VersionStatus::parse(&r.status).map_err(bad("status"))?,
            publication: Publication {
                decision_no: r.decision_no,
                decision_date: r.decision_date,
                effective_from: r.effective_from,
                effective_to: r.effective_to,
                publicised_on: r.publicised_on,
            },
            content: from_json::<VersionContent>(r.content.0, "procedure content")?,
        })
    }
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    id: Uuid,
    code: String,
    number: i32,
    status: String,
    name: String,
    field: Option<String>,
    levels: String,
    online_level: String,
    time_limit: Option<Json<serde_json::Value>>,
    effective_from: Option<NaiveDate>,
    effective_to: Option<NaiveDate>,
    search_text: String,
}

impl EntryRow {
    fn into_entry(self, agencies: Vec<AgencyCode>) -> StoreResult<CatalogEntry> {
        let time_limit = match self.time_limit.map(|j| j.0) {
            None | Some(serde_json::Value::Null) => None,
            Some(v) => Some(from_json::<TimeLimit>(v, "time limit")?),
        };
        Ok(CatalogEntry {
            summary: ProcedureSummary {
                code: ProcedureCode::parse(&self.code).map_err(bad("procedure code"))?,
                version: u32::try_from(self.number).map_err(bad("version number"))?,
                name: self.name,
                field: self.field,
                levels: parse_levels(&self.levels)?,
                online_level: OnlineLevel::parse(&self.online_level).map_err(bad("online level"))?,
                time_limit,
                status: VersionStatus::parse(&self.status).map_err(bad("status"))?,
            },
            effective_from: self
                .effective_from
                .ok_or_else(|| StoreError::Other(format!("published version of {} without a start date", self.code)))?,
            effective_to: self.effective_to,
            agencies,
            search_text: self.search_text,
        })
    }
}

const VERSION_COLS: &str = "SELECT v.number, v.status, v.decision_no, v.decision_date, v.effective_from, \
    v.effective_to, v.publicised_on, c.content FROM procedure_version v JOIN procedure_version_content c ON c.version_id = v.id \
    WHERE v.procedure_id = $1 ORDER BY v.number";

/// A new procedure starts at revision 1.
const INSERT_PROCEDURE: &str = "INSERT INTO procedure (id, code, revision, updated_at) VALUES ($1, $2, 1, $3)";

const INSERT_VERSION: &str = "INSERT INTO procedure_version (id, procedure_id, code, number, status, decision_no, \
    decision_date, effective_from, effective_to, name, field, levels, online_level, full_process_eligible, \
    search_text, time_limit, publicised_on) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)";

/// Insert or replace version `$v` of procedure `$pid` inside transaction `$tx`.
macro_rules! put_version {
    ($tx:expr, $pid:expr, $code:expr, $v:expr) => {{
        let v: &ProcedureVersion = $v;
        let code: &ProcedureCode = $code;
        let old: Option<Uuid> =
            sqlx::query_scalar("SELECT id FROM procedure_version WHERE procedure_id = $1 AND number = $2")
                .bind($pid)
                .bind(v.number as i32)
                .fetch_optional(&mut *$tx)
                .await
                .map_err(map_err)?;
        if let Some(old) = old {
            sqlx::query("DELETE FROM procedure_version_agency WHERE version_id = $1")
                .bind(old)
                .execute(&mut *$tx)
                .await
                .map_err(map_err)?;
            sqlx::query("DELETE FROM procedure_version WHERE id = $1")
                .bind(old)
                .execute(&mut *$tx)
                .await
                .map_err(map_err)?;
        }
        let id = Uuid::now_v7();
        let c = &v.content;
        let content = crate::to_json(c)?;
        sqlx::query(INSERT_VERSION)
            .bind(id)
            .bind($pid)
            .bind(code.as_str())
            .bind(v.number as i32)
            .bind(v.status.as_str())
            .bind(v.publication.decision_no.as_deref())
            .bind(v.publication.decision_date)
            .bind(v.publication.effective_from)
            .bind(v.publication.effective_to)
            .bind(c.name.as_str())
            .bind(c.field.as_deref())
            .bind(levels_col(&c.levels))
            .bind(c.online_level.as_str())
            .bind(c.full_process_eligible)
            .bind(search_text(&c.search_source(code)))
            .bind(c.time_limit.as_ref().map(Json))
            .bind(v.publication.publicised_on)
            .execute(&mut *$tx)
            .await
            .map_err(map_err)?;
        sqlx::query("INSERT INTO procedure_version_content (version_id, content) VALUES ($1, $2)")
            .bind(id)
            .bind(Json(content))
            .execute(&mut *$tx)
            .await
            .map_err(map_err)?;
        let mut agencies: Vec<&str> = c.agencies.iter().map(|a| a.as_str()).collect();
        agencies.sort_unstable();
        agencies.dedup();
        for a in agencies {
            sqlx::query("INSERT INTO procedure_version_agency (version_id, agency_code) VALUES ($1, $2)")
                .bind(id)
                .bind(a)
                .execute(&mut *$tx)
                .await
                .map_err(map_err)?;
        }
    }};
}

/// A rule's error on the `idx`-th procedure of an imported file, naming the record.
fn in_record(idx: usize, e: FieldError) -> StoreError {
    StoreError::from(FieldError { field: format!("[{idx}] {}", e.field), ..e })
}

#[async_trait::async_trait]
impl CatalogRepo for SqlStore {
    async fn import_procedures(
        &self,
        procedures: &[Procedure],
        audit: &AuditEntry,
        progress: &(dyn Fn(usize) + Sync),
    ) -> StoreResult<ImportSummary> {
        let mut summary = ImportSummary::default();
        let now = audit.at;
        let turn = self.write_turn().await;
        on_db!(turn.db, |p| {
            let mut tx = p.begin_write().await.map_err(map_err)?;
            for (idx, proc_) in procedures.iter().enumerate() {
                let code = &proc_.code;
                let existing: Option<(Uuid, i64)> =
                    sqlx::query_as("SELECT id, revision FROM procedure WHERE code = $1")
                        .bind(code.as_str())
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(map_err)?;
                match existing {
                    None => {
                        let pid = Uuid::now_v7();
                        sqlx::query(INSERT_PROCEDURE)
                            .bind(pid)
                            .bind(code.as_str())
                            .bind(now)
                            .execute(&mut *tx)
                            .await
                            .map_err(map_err)?;
                        for v in &proc_.versions {
                            put_version!(tx, pid, code, v);
                        }
                        summary.created += 1;
                    }
                    Some((pid, _)) => {
                        let rows: Vec<VersionRow> =
                            sqlx::query_as(VERSION_COLS).bind(pid).fetch_all(&mut *tx).await.map_err(map_err)?;
                        let stored =
                            rows.into_iter().map(ProcedureVersion::try_from).collect::<StoreResult<Vec<_>>>()?;
                        let change = proc_.import_over(&stored).map_err(|e| in_record(idx, e))?;
                        match change {
                            HistoryChange::Same => summary.unchanged += 1,
                            HistoryChange::From(i) => {
                                for v in &proc_.versions[i..] {
                                    put_version!(tx, pid, code, v);
                                }
                                sqlx::query(
                                    "UPDATE procedure SET revision = revision + 1, updated_at = $2 WHERE id = $1",
                                )
                                .bind(pid)
                                .bind(now)
                                .execute(&mut *tx)
                                .await
                                .map_err(map_err)?;
                                summary.updated += 1;
                            }
                        }
                    }
                }
                progress(idx + 1);
            }
            let mut a = audit.clone();
            a.detail = serde_json::json!({ "count": procedures.len(), "summary": &summary, "detail": a.detail });
            write_audit!(&mut *tx, &a)?;
            tx.commit().await.map_err(map_err)?;
            Ok::<_, StoreError>(())
        })?;
        Ok(summary)
    }

    async fn procedure(&self, code: &ProcedureCode) -> StoreResult<Option<StoredProcedure>> {
        let found: Option<(Uuid, i64, Vec<VersionRow>)> = on_db!(&self.db, |p| {
            let head: Option<(Uuid, i64)> = sqlx::query_as("SELECT id, revision FROM procedure WHERE code = $1")
                .bind(code.as_str())
                .fetch_optional(p)
                .await
                .map_err(map_err)?;
            match head {
                None => Ok::<_, StoreError>(None),
                Some((id, rev)) => {
                    let rows = sqlx::query_as(VERSION_COLS).bind(id).fetch_all(p).await.map_err(map_err)?;
                    Ok(Some((id, rev, rows)))
                }
            }
        })?;
        let Some((_, revision, rows)) = found else { return Ok(None) };
        let versions = rows.into_iter().map(ProcedureVersion::try_from).collect::<StoreResult<Vec<_>>>()?;
        Ok(Some(StoredProcedure { procedure: Procedure { code: code.clone(), versions }, revision }))
    }

    async fn save_versions(
        &self,
        code: &ProcedureCode,
        expected_revision: i64,
        versions: &[ProcedureVersion],
        audit: &AuditEntry,
    ) -> StoreResult<i64> {
        let at = audit.at;
        let turn = self.write_turn().await;
        on_db!(turn.db, |p| {
            let mut tx = p.begin_write().await.map_err(map_err)?;
            let pid: Uuid = if expected_revision == 0 {
                let pid = Uuid::now_v7();
                sqlx::query(INSERT_PROCEDURE)
                    .bind(pid)
                    .bind(code.as_str())
                    .bind(at)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                pid
            } else {
                let pid: Option<Uuid> = sqlx::query_scalar(
                    "UPDATE procedure SET revision = revision + 1, updated_at = $3 WHERE code = $1 AND revision = $2 RETURNING id",
                )
                .bind(code.as_str())
                .bind(expected_revision)
                .bind(at)
                .fetch_optional(&mut *tx)
                .await
                .map_err(map_err)?;
                pid.ok_or(StoreError::Stale)?
            };
            for v in versions {
                put_version!(tx, pid, code, v);
            }
            write_audit!(&mut *tx, audit)?;
            tx.commit().await.map_err(map_err)?;
            Ok::<_, StoreError>(())
        })?;
        Ok(if expected_revision == 0 { 1 } else { expected_revision + 1 })
    }

    async fn catalog_entries(&self) -> StoreResult<Vec<CatalogEntry>> {
        const ENTRIES: &str = "SELECT v.id, v.code, v.number, v.status, v.name, v.field, v.levels, v.online_level, \
            v.time_limit, v.effective_from, v.effective_to, v.search_text \
            FROM procedure_version v WHERE v.status <> 'draft' ORDER BY v.code, v.number";
        const AGENCIES: &str = "SELECT a.version_id, a.agency_code FROM procedure_version_agency a \
            JOIN procedure_version v ON v.id = a.version_id WHERE v.status <> 'draft'";
        let (rows, links): (Vec<EntryRow>, Vec<(Uuid, String)>) = on_db!(&self.db, |p| {
            let rows = sqlx::query_as(ENTRIES).fetch_all(p).await.map_err(map_err)?;
            let links = sqlx::query_as(AGENCIES).fetch_all(p).await.map_err(map_err)?;
            Ok::<_, StoreError>((rows, links))
        })?;
        let mut by_version: HashMap<Uuid, Vec<AgencyCode>> = HashMap::new();
        for (id, code) in links {
            by_version.entry(id).or_default().push(AgencyCode::parse(&code).map_err(bad("agency code"))?);
        }
        rows.into_iter()
            .map(|r| {
                let agencies = by_version.remove(&r.id).unwrap_or_default();
                r.into_entry(agencies)
            })
            .collect()
    }

    async fn catalog_stamp(&self) -> StoreResult<i64> {
        // Every catalog write creates a procedure or raises its revision.
        const SQL: &str = "SELECT CAST(COALESCE(SUM(revision), 0) + COUNT(*) AS BIGINT) FROM procedure";
        on_db!(&self.db, |p| sqlx::query_scalar(SQL).fetch_one(p).await.map_err(map_err))
    }

    async fn export_procedures(&self) -> StoreResult<Vec<Procedure>> {
        const SQL: &str = "SELECT v.code, v.number, v.status, v.decision_no, v.decision_date, v.effective_from, \
            v.effective_to, v.publicised_on, c.content FROM procedure_version v JOIN procedure_version_content c ON c.version_id = v.id \
            ORDER BY v.code, v.number";
        #[derive(sqlx::FromRow)]
        struct Row {
            code: String,
            #[sqlx(flatten)]
            v: VersionRow,
        }
        let rows: Vec<Row> = on_db!(&self.db, |p| sqlx::query_as(SQL).fetch_all(p).await.map_err(map_err))?;
        let mut out: Vec<Procedure> = Vec::new();
        for r in rows {
            let v = ProcedureVersion::try_from(r.v)?;
            match out.last_mut() {
                Some(last) if last.code.as_str() == r.code => last.versions.push(v),
                _ => out.push(Procedure {
                    code: ProcedureCode::parse(&r.code).map_err(bad("procedure code"))?,
                    versions: vec![v],
                }),
            }
        }
        Ok(out)
    }
}
