//! The tracking book of a desk: the dossiers received in a period, each with its events, in
//! three reads whatever their number (the count, the dossiers, their events; one row per dossier
//! was one read of the dossier and one of its events each: thousands for a month of a busy desk).
//! A window of it (a page on screen) reads only its rows.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, Utc};
use motcua_domain::dossier::record::{DossierRecord, EventRecord};
use motcua_domain::ids::AgencyCode;
use motcua_storage::{BookWindow, StoreResult};
use uuid::Uuid;

use super::{COLS, DossierRow, EventRow};
use crate::{SqlStore, map_err, on_db};

impl SqlStore {
    pub(super) async fn book(
        &self,
        desk: &AgencyCode,
        from: DateTime<FixedOffset>,
        before: DateTime<FixedOffset>,
        window: BookWindow,
    ) -> StoreResult<(Vec<(DossierRecord, Vec<EventRecord>)>, u64)> {
        const COUNT: &str = "SELECT CAST(COUNT(*) AS BIGINT) FROM dossier \
            WHERE agency_code = $1 AND received_at >= $2 AND received_at < $3";
        // From the index on (agency_code, received_at, code) alone.
        const CODES: &str = "SELECT code FROM dossier WHERE agency_code = $1 AND received_at >= $2 \
            AND received_at < $3 ORDER BY received_at, code LIMIT $4 OFFSET $5";
        const EVENT_COLS: &str = "SELECT d.code, e.id, e.at, e.actor, e.agency_code, e.command, e.from_state, \
            e.to_state, e.detail FROM dossier d JOIN dossier_event e ON e.dossier_id = d.id";
        let (from, before) = (from.with_timezone(&Utc), before.with_timezone(&Utc));
        let (total, rows, events): (i64, Vec<DossierRow>, Vec<EventRow>) = on_db!(&self.db, |p| {
            let total = sqlx::query_scalar(COUNT)
                .bind(desk.as_str())
                .bind(from)
                .bind(before)
                .fetch_one(p)
                .await
                .map_err(map_err)?;
            let (rows, events) = match window.limit {
                // The whole book: by the period (a list of its codes could pass the limit on
                // bound values of a busy centre's two months).
                None => {
                    let range = "agency_code = $1 AND received_at >= $2 AND received_at < $3";
                    let dossiers = format!("{COLS} WHERE {range}");
                    let events = format!("{EVENT_COLS} WHERE d.{range}");
                    let mut read = Vec::with_capacity(2);
                    for sql in [dossiers, events] {
                        read.push(
                            sqlx::query(sqlx::AssertSqlSafe(sql))
                                .bind(desk.as_str())
                                .bind(from)
                                .bind(before)
                                .fetch_all(p)
                                .await
                                .map_err(map_err)?,
                        );
                    }
                    let events = read.pop().unwrap_or_default();
                    (read.pop().unwrap_or_default(), events)
                }
                // A page: its codes first, then their rows by code.
                Some(limit) => {
                    let codes: Vec<String> = sqlx::query_scalar(CODES)
                        .bind(desk.as_str())
                        .bind(from)
                        .bind(before)
                        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
                        .bind(i64::try_from(window.offset).unwrap_or(i64::MAX))
                        .fetch_all(p)
                        .await
                        .map_err(map_err)?;
                    let list = (1..=codes.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
                    let list = if list.is_empty() { "NULL".to_owned() } else { list };
                    let dossiers = format!("{COLS} WHERE code IN ({list})");
                    let events = format!("{EVENT_COLS} WHERE d.code IN ({list})");
                    let mut read = Vec::with_capacity(2);
                    for sql in [dossiers, events] {
                        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                        for c in &codes {
                            q = q.bind(c.as_str());
                        }
                        read.push(q.fetch_all(p).await.map_err(map_err)?);
                    }
                    let events = read.pop().unwrap_or_default();
                    (read.pop().unwrap_or_default(), events)
                }
            };
            let rows = rows.iter().map(sqlx::FromRow::from_row).collect::<Result<Vec<DossierRow>, _>>();
            let events = events.iter().map(sqlx::FromRow::from_row).collect::<Result<Vec<EventRow>, _>>();
            (total, rows.map_err(map_err)?, events.map_err(map_err)?)
        });
        let mut by_dossier: HashMap<String, Vec<(DateTime<Utc>, Uuid, EventRow)>> = HashMap::with_capacity(rows.len());
        for mut e in events {
            let code = e.code.take().unwrap_or_default();
            by_dossier.entry(code).or_default().push((e.at, e.id.unwrap_or_default(), e));
        }
        // Rows and events are put in order here, not by the database: a sort there holds every
        // row, JSON and all, in a temporary B-tree.
        let mut book = rows
            .into_iter()
            .map(|r| {
                let d = DossierRecord::try_from(r)?;
                let mut events = by_dossier.remove(d.code.as_str()).unwrap_or_default();
                // The order of `dossier_events`: by instant, then as written (UUIDv7 ids).
                events.sort_by_key(|(at, id, _)| (*at, *id));
                let events =
                    events.into_iter().map(|(_, _, e)| EventRecord::try_from(e)).collect::<StoreResult<_>>()?;
                Ok((d, events))
            })
            .collect::<StoreResult<Vec<_>>>()?;
        book.sort_by(|(a, _), (b, _)| (a.received_at, a.code.as_str()).cmp(&(b.received_at, b.code.as_str())));
        Ok((book, u64::try_from(total).unwrap_or(0)))
    }
}
