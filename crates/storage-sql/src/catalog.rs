//! The procedure catalog: procedures, their versions, search.
//!
//! A version is stored as its content (JSON) plus the columns that are filtered or ranked on:
//! status and validity dates, name, folded search text, field, levels (`|commune|province|`),
//! online level, and one row per implementing agency.

use chrono::NaiveDate;
use motcua_domain::ids::ProcedureCode;
use motcua_domain::procedure::{
    Level, OnlineLevel, Procedure, ProcedureVersion, Publication, TimeLimit, VersionContent, VersionStatus,
};
use motcua_domain::text::fold_vi;
use motcua_storage::{
    AuditEntry, CatalogRepo, ImportSummary, Page, ProcedureQuery, ProcedureSummary, StoreError, StoreResult,
    StoredProcedure,
};
use sqlx::types::Json;
use uuid::Uuid;

use crate::audit::write_audit;
use crate::rows::{Bind, Where, bad, bind_all};
use crate::{BeginWrite, SqlStore, from_json, map_err, on_db};

/// Folded name without the "Thủ tục" that most published names start with, so that ranking
/// compares what people type.
fn name_key(name: &str) -> String {
    let f = fold_vi(name);
    f.strip_prefix("thu tuc ").map(str::to_owned).unwrap_or(f)
}

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
            },
            content: from_json::<VersionContent>(r.content.0, "procedure content")?,
        })
    }
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    code: String,
    number: i32,
    status: String,
    name: String,
    field: Option<String>,
    levels: String,
    online_level: String,
    time_limit: Option<Json<serde_json::Value>>,
}

impl TryFrom<SummaryRow> for ProcedureSummary {
    type Error = StoreError;
    fn try_from(r: SummaryRow) -> StoreResult<Self> {
        let time_limit = match r.time_limit.map(|j| j.0) {
            None | Some(serde_json::Value::Null) => None,
            Some(v) => Some(from_json::<TimeLimit>(v, "time limit")?),
        };
        Ok(ProcedureSummary {
            code: ProcedureCode::parse(&r.code).map_err(bad("procedure code"))?,
            version: u32::try_from(r.number).map_err(bad("version number"))?,
            name: r.name,
            field: r.field,
            levels: parse_levels(&r.levels)?,
            online_level: OnlineLevel::parse(&r.online_level).map_err(bad("online level"))?,
            time_limit,
            status: VersionStatus::parse(&r.status).map_err(bad("status"))?,
        })
    }
}

const VERSION_COLS: &str = "SELECT number, status, decision_no, decision_date, effective_from, effective_to, content \
    FROM procedure_version WHERE procedure_id = $1 ORDER BY number";

const INSERT_VERSION: &str = "INSERT INTO procedure_version (id, procedure_id, code, number, status, decision_no, \
    decision_date, effective_from, effective_to, name, name_key, field, levels, online_level, full_process_eligible, \
    search_text, content) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)";

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
        let content = serde_json::to_value(c).map_err(|e| StoreError::Other(e.to_string()))?;
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
            .bind(name_key(&c.name))
            .bind(c.field.as_deref())
            .bind(levels_col(&c.levels))
            .bind(c.online_level.as_str())
            .bind(c.full_process_eligible)
            .bind(fold_vi(&c.search_source(code)))
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

/// How an imported procedure relates to the stored one.
enum Change {
    Same,
    /// Versions from this index on are new or replace a draft.
    From(usize),
}

fn compare(
    code: &ProcedureCode,
    idx: usize,
    stored: &[ProcedureVersion],
    new: &[ProcedureVersion],
) -> StoreResult<Change> {
    for (i, s) in stored.iter().enumerate() {
        let Some(n) = new.get(i) else {
            if s.status == VersionStatus::Draft && i + 1 == stored.len() {
                // The file lacks only the stored draft: keep the draft, nothing to write.
                return Ok(Change::Same);
            }
            return Err(StoreError::Invalid {
                code: "versions_missing",
                field: format!("[{idx}] {code}.versions"),
                message: format!("Tệp thiếu phiên bản {} đã lưu của thủ tục {code}", s.number),
            });
        };
        if s.status == VersionStatus::Draft {
            return Ok(if n == s {
                if new.len() == stored.len() { Change::Same } else { Change::From(i + 1) }
            } else {
                Change::From(i)
            });
        }
        // A later publication may close the stored version in force; anything else differing
        // would rewrite history, which an import never does.
        let closes = s.status == VersionStatus::Published
            && matches!(n.status, VersionStatus::Amended | VersionStatus::Abolished)
            && s.publication.effective_to.is_none()
            && s.content == n.content
            && s.publication.decision_no == n.publication.decision_no
            && s.publication.effective_from == n.publication.effective_from;
        if closes {
            return Ok(Change::From(i));
        }
        if n != s {
            return Err(StoreError::Invalid {
                code: "version_differs",
                field: format!("[{idx}] {code}.versions[{i}]"),
                message: format!(
                    "Phiên bản {} của thủ tục {code} khác bản đã lưu; hãy tạo phiên bản mới thay vì sửa phiên bản đã công bố",
                    s.number
                ),
            });
        }
    }
    Ok(if new.len() > stored.len() { Change::From(stored.len()) } else { Change::Same })
}

impl CatalogRepo for SqlStore {
    async fn import_procedures(
        &self,
        procedures: &[Procedure],
        audit: &AuditEntry,
        progress: &(dyn Fn(usize) + Sync),
    ) -> StoreResult<ImportSummary> {
        let mut summary = ImportSummary::default();
        let now = audit.at;
        on_db!(&self.db, |p| {
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
                        sqlx::query("INSERT INTO procedure (id, code, revision, updated_at) VALUES ($1, $2, 1, $3)")
                            .bind(pid)
                            .bind(code.as_str())
                            .bind(now)
                            .execute(&mut *tx)
                            .await
                            .map_err(|e| match map_err(e) {
                                StoreError::Conflict { .. } => StoreError::Invalid {
                                    code: "duplicate_procedure",
                                    field: format!("[{idx}] {code}.code"),
                                    message: format!("Mã thủ tục {code} xuất hiện hai lần trong tệp"),
                                },
                                e => e,
                            })?;
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
                        match compare(code, idx, &stored, &proc_.versions)? {
                            Change::Same => summary.unchanged += 1,
                            Change::From(i) => {
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
        on_db!(&self.db, |p| {
            let mut tx = p.begin_write().await.map_err(map_err)?;
            let pid: Uuid = if expected_revision == 0 {
                let pid = Uuid::now_v7();
                sqlx::query("INSERT INTO procedure (id, code, revision, updated_at) VALUES ($1, $2, 1, $3)")
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

    async fn search_procedures(&self, q: &ProcedureQuery) -> StoreResult<Page<ProcedureSummary>> {
        let mut w = Where::default();
        let on = w.bind(Bind::Date(q.on));
        w.and_raw(format!(
            "v.status <> 'draft' AND v.effective_from <= {on} AND (v.effective_to IS NULL OR v.effective_to > {on})"
        ));
        if let Some(f) = &q.field {
            w.and("v.field = {}", Bind::Text(f.clone()));
        }
        if let Some(l) = q.level {
            w.and("v.levels LIKE {}", Bind::Text(format!("%|{}|%", l.as_str())));
        }
        if let Some(o) = q.online_level {
            w.and("v.online_level = {}", Bind::Text(o.as_str().into()));
        }
        if let Some(a) = &q.agency {
            w.and(
                "EXISTS (SELECT 1 FROM procedure_version_agency a WHERE a.version_id = v.id AND a.agency_code = {})",
                Bind::Text(a.to_string()),
            );
        }
        // Words are folded to [a-z0-9.] by the caller, so they carry no LIKE wildcard.
        let mut word_phs = Vec::new();
        for word in &q.words {
            let ph = w.bind(Bind::Text(format!("%{word}%")));
            w.and_raw(format!("v.search_text LIKE {ph}"));
            word_phs.push(ph);
        }
        let rank = if q.words.is_empty() {
            "0".to_owned()
        } else {
            let phrase = q.words.join(" ");
            let exact = w.bind(Bind::Text(phrase.clone()));
            let prefix = w.bind(Bind::Text(format!("{phrase}%")));
            let inside = w.bind(Bind::Text(format!("%{phrase}%")));
            let all_in_name =
                word_phs.iter().map(|ph| format!("v.name_key LIKE {ph}")).collect::<Vec<_>>().join(" AND ");
            format!(
                "CASE WHEN v.code = {exact} THEN 0 WHEN v.name_key = {exact} THEN 1 WHEN v.name_key LIKE {prefix} THEN 2 \
                 WHEN v.name_key LIKE {inside} THEN 3 WHEN {all_in_name} THEN 4 ELSE 5 END"
            )
        };
        let where_sql = w.sql();
        let count_sql = format!("SELECT COUNT(*) FROM procedure_version v{where_sql}");
        let per_page = q.per_page.clamp(1, 200);
        let page = q.page.max(1);
        let limit = w.bind(Bind::Int(i64::from(per_page)));
        let offset = w.bind(Bind::Int(i64::from(page - 1) * i64::from(per_page)));
        let list_sql = format!(
            "SELECT v.code, v.number, v.status, v.name, v.field, v.levels, v.online_level, \
             {time_limit} AS time_limit, {rank} AS rank \
             FROM procedure_version v{where_sql} ORDER BY rank, LENGTH(v.name_key), v.name_key, v.code LIMIT {limit} OFFSET {offset}",
            time_limit = self.json_field("v.content", "time_limit"),
        );
        let n_where = w.binds.len() - 2 - if q.words.is_empty() { 0 } else { 3 };
        let count_binds = &w.binds[..n_where];
        let (total, rows): (i64, Vec<SummaryRow>) = on_db!(&self.db, |p| {
            let total: i64 = bind_all!(sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql)), count_binds)
                .fetch_one(p)
                .await
                .map_err(map_err)?;
            let rows = bind_all!(sqlx::query_as(sqlx::AssertSqlSafe(list_sql)), &w.binds)
                .fetch_all(p)
                .await
                .map_err(map_err)?;
            Ok::<_, StoreError>((total, rows))
        })?;
        Ok(Page {
            items: rows.into_iter().map(ProcedureSummary::try_from).collect::<StoreResult<_>>()?,
            total: u64::try_from(total).unwrap_or(0),
            page,
            per_page,
        })
    }

    async fn procedure_fields(&self, on: NaiveDate) -> StoreResult<Vec<String>> {
        const SQL: &str = "SELECT DISTINCT field FROM procedure_version v WHERE v.field IS NOT NULL \
            AND v.status <> 'draft' AND v.effective_from <= $1 AND (v.effective_to IS NULL OR v.effective_to > $1) \
            ORDER BY field";
        on_db!(&self.db, |p| sqlx::query_scalar(SQL).bind(on).fetch_all(p).await.map_err(map_err))
    }

    async fn export_procedures(&self) -> StoreResult<Vec<Procedure>> {
        const SQL: &str = "SELECT v.code, v.number, v.status, v.decision_no, v.decision_date, v.effective_from, \
            v.effective_to, v.content FROM procedure_version v ORDER BY v.code, v.number";
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

impl SqlStore {
    /// SQL for one key of a JSON column (the one JSON expression that differs per backend).
    fn json_field(&self, col: &str, key: &str) -> String {
        match self.db {
            crate::Db::Sqlite(_) => format!("json_extract({col}, '$.{key}')"),
            crate::Db::Pg(_) => format!("({col} -> '{key}')"),
        }
    }
}
