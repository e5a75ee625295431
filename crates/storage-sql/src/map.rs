//! The administrative map: units, successor links and agencies.

use motcua_domain::admin::{AdminUnit, Agency, SuccessorLink, unknown_unit};
use motcua_domain::ids::{AgencyCode, UnitCode};
use motcua_storage::{AdminMap, AgencyQuery, AuditEntry, ImportSummary, MapRepo, StoreError, StoreResult, UnitQuery};

use crate::audit::write_audit;
use crate::rows::{AgencyRow, Bind, LinkRow, UnitRow, Where, bind_all};
use crate::{BeginWrite, SqlStore, map_err, on_db};

const UNIT_COLS: &str = "SELECT code, name, level, parent_code, valid_from, valid_to FROM admin_unit";
const AGENCY_COLS: &str = "SELECT code, name, kind, parent_code, unit_code, valid_from, valid_to FROM agency";

/// Add the "valid on" clause of a dated table.
fn valid_on(w: &mut Where, on: Option<chrono::NaiveDate>) {
    if let Some(d) = on {
        let ph = w.bind(Bind::Date(d));
        w.and_raw(format!("valid_from <= {ph} AND (valid_to IS NULL OR valid_to > {ph})"));
    }
}

const UPSERT_UNIT: &str = "INSERT INTO admin_unit (code, name, level, parent_code, valid_from, valid_to) \
    VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level, \
    parent_code = excluded.parent_code, valid_from = excluded.valid_from, valid_to = excluded.valid_to";

const UPSERT_SUCCESSOR: &str = "INSERT INTO unit_successor (from_code, to_code, share) VALUES ($1, $2, $3) \
    ON CONFLICT (from_code, to_code) DO UPDATE SET share = excluded.share";

const UPSERT_AGENCY: &str = "INSERT INTO agency (code, name, kind, parent_code, unit_code, valid_from, valid_to) \
    VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind, \
    parent_code = excluded.parent_code, unit_code = excluded.unit_code, valid_from = excluded.valid_from, \
    valid_to = excluded.valid_to";

#[async_trait::async_trait]
impl MapRepo for SqlStore {
    async fn import_map(&self, map: &AdminMap, audit: &AuditEntry) -> StoreResult<ImportSummary> {
        // Units first without parents, so that references inside the file resolve in any order.
        let known = |c: &UnitCode| map.units.iter().any(|u| &u.code == c);
        for (i, l) in map.successors.iter().enumerate() {
            l.check(format!("successors[{i}]"))?;
        }
        let mut summary = ImportSummary::default();
        let turn = self.write_turn().await;
        on_db!(turn.db, |p| {
            let mut tx = p.begin_write().await.map_err(map_err)?;
            for u in &map.units {
                let existing: Option<UnitRow> = sqlx::query_as(
                    "SELECT code, name, level, parent_code, valid_from, valid_to FROM admin_unit WHERE code = $1",
                )
                .bind(u.code.as_str())
                .fetch_optional(&mut *tx)
                .await
                .map_err(map_err)?;
                let same = match existing.map(AdminUnit::try_from).transpose()? {
                    Some(old) if old == *u => true,
                    Some(_) => {
                        summary.updated += 1;
                        false
                    }
                    None => {
                        summary.created += 1;
                        false
                    }
                };
                if same {
                    summary.unchanged += 1;
                    continue;
                }
                sqlx::query(UPSERT_UNIT)
                    .bind(u.code.as_str())
                    .bind(u.name.as_str())
                    .bind(u.level.as_str())
                    .bind(u.parent.as_ref().map(|c| c.as_str()))
                    .bind(u.validity.valid_from)
                    .bind(u.validity.valid_to)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
            }
            for (i, u) in map.units.iter().enumerate() {
                if let Some(parent) = &u.parent
                    && !known(parent)
                {
                    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM admin_unit WHERE code = $1")
                        .bind(parent.as_str())
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    if n == 0 {
                        return Err(unknown_unit(format!("units[{i}].parent"), parent).into());
                    }
                }
            }
            for (i, l) in map.successors.iter().enumerate() {
                sqlx::query(UPSERT_SUCCESSOR)
                    .bind(l.from.as_str())
                    .bind(l.to.as_str())
                    .bind(l.share.as_deref())
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| match map_err(e) {
                        StoreError::Conflict { .. } => l.dangling(format!("successors[{i}]")).into(),
                        e => e,
                    })?;
            }
            for (i, a) in map.agencies.iter().enumerate() {
                let existing: Option<AgencyRow> = sqlx::query_as(
                    "SELECT code, name, kind, parent_code, unit_code, valid_from, valid_to FROM agency WHERE code = $1",
                )
                .bind(a.code.as_str())
                .fetch_optional(&mut *tx)
                .await
                .map_err(map_err)?;
                match existing.map(Agency::try_from).transpose()? {
                    Some(old) if old == *a => {
                        summary.unchanged += 1;
                        continue;
                    }
                    Some(_) => summary.updated += 1,
                    None => summary.created += 1,
                }
                sqlx::query(UPSERT_AGENCY)
                    .bind(a.code.as_str())
                    .bind(a.name.as_str())
                    .bind(a.kind.as_str())
                    .bind(a.parent.as_ref().map(|c| c.as_str()))
                    .bind(a.unit.as_str())
                    .bind(a.validity.valid_from)
                    .bind(a.validity.valid_to)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| match map_err(e) {
                        StoreError::Conflict { .. } => unknown_unit(format!("agencies[{i}].unit"), &a.unit).into(),
                        e => e,
                    })?;
            }
            write_audit!(&mut *tx, audit)?;
            tx.commit().await.map_err(map_err)?;
            Ok::<_, StoreError>(())
        })?;
        Ok(summary)
    }

    async fn units(&self, query: &UnitQuery) -> StoreResult<Vec<AdminUnit>> {
        let mut w = Where::default();
        if let Some(l) = query.level {
            w.and("level = {}", Bind::Text(l.as_str().into()));
        }
        if let Some(p) = &query.parent {
            w.and("parent_code = {}", Bind::Text(p.to_string()));
        }
        valid_on(&mut w, query.on);
        let sql = format!("{UNIT_COLS}{} ORDER BY code", w.sql());
        let rows: Vec<UnitRow> = on_db!(&self.db, |p| bind_all!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), &w.binds)
            .fetch_all(p)
            .await
            .map_err(map_err))?;
        rows.into_iter().map(AdminUnit::try_from).collect()
    }

    async fn unit(&self, code: &UnitCode) -> StoreResult<Option<AdminUnit>> {
        const SQL: &str = "SELECT code, name, level, parent_code, valid_from, valid_to FROM admin_unit WHERE code = $1";
        let row: Option<UnitRow> =
            on_db!(&self.db, |p| sqlx::query_as(SQL).bind(code.as_str()).fetch_optional(p).await.map_err(map_err))?;
        row.map(AdminUnit::try_from).transpose()
    }

    async fn successor_links(&self) -> StoreResult<Vec<SuccessorLink>> {
        const SQL: &str = "SELECT from_code, to_code, share FROM unit_successor ORDER BY from_code, to_code";
        let rows: Vec<LinkRow> = on_db!(&self.db, |p| sqlx::query_as(SQL).fetch_all(p).await.map_err(map_err))?;
        rows.into_iter().map(SuccessorLink::try_from).collect()
    }

    async fn agencies(&self, query: &AgencyQuery) -> StoreResult<Vec<Agency>> {
        let mut w = Where::default();
        if let Some(k) = query.kind {
            w.and("kind = {}", Bind::Text(k.as_str().into()));
        }
        if let Some(u) = &query.unit {
            w.and("unit_code = {}", Bind::Text(u.to_string()));
        }
        valid_on(&mut w, query.on);
        let sql = format!("{AGENCY_COLS}{} ORDER BY code", w.sql());
        let rows: Vec<AgencyRow> = on_db!(&self.db, |p| bind_all!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), &w.binds)
            .fetch_all(p)
            .await
            .map_err(map_err))?;
        rows.into_iter().map(Agency::try_from).collect()
    }

    async fn agency(&self, code: &AgencyCode) -> StoreResult<Option<Agency>> {
        const SQL: &str =
            "SELECT code, name, kind, parent_code, unit_code, valid_from, valid_to FROM agency WHERE code = $1";
        let row: Option<AgencyRow> =
            on_db!(&self.db, |p| sqlx::query_as(SQL).bind(code.as_str()).fetch_optional(p).await.map_err(map_err))?;
        row.map(Agency::try_from).transpose()
    }
}
