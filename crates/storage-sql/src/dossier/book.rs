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
use crate::rows::{Bind, Where, bind_all};
use crate::{SqlStore, map_err, on_db};

impl SqlStore {
    pub(super) async fn book(
        &self,
        desk: &AgencyCode,
        from: DateTime<FixedOffset>,
        before: DateTime<FixedOffset>,
        window: BookWindow,
    ) -> StoreResult<(Vec<(DossierRecord, Vec<EventRecord>)>, u64)> {
        const EVENT_COLS: &str = "SELECT d.code, e.id, e.at, e.actor, e.agency_code, e.command, e.from_state, \
            e.to_state, e.detail FROM dossier_event e JOIN dossier d ON d.id = e.dossier_id";
        let period = || {
            let mut w = Where::default();
            w.and("agency_code = {}", Bind::Text(desk.to_string()));
            w.and("received_at >= {}", Bind::Instant(from.with_timezone(&Utc)));
            w.and("received_at < {}", Bind::Instant(before.with_timezone(&Utc)));
            w
        };
        let (total, rows, events): (i64, Vec<DossierRow>, Vec<EventRow>) = on_db!(&self.db, |p| {
            let w = period();
            let count = format!("SELECT CAST(COUNT(*) AS BIGINT) FROM dossier{}", w.sql());
            let total = bind_all!(sqlx::query_scalar(sqlx::AssertSqlSafe(count)), &w.binds)
                .fetch_one(p)
                .await
                .map_err(map_err)?;
            // The whole book: by the period (a list of its codes could pass the limit on bound
            // values of a busy centre's two months). A page: its codes first, from the index on
            // (agency_code, received_at, code) alone, then their rows by code.
            let rows_of = match window.limit {
                None => w,
                Some(limit) => {
                    let mut w = w;
                    let limit = w.bind(Bind::Int(i64::try_from(limit).unwrap_or(i64::MAX)));
                    let offset = w.bind(Bind::Int(i64::try_from(window.offset).unwrap_or(i64::MAX)));
                    let sql = format!(
                        "SELECT code FROM dossier{} ORDER BY received_at, code LIMIT {limit} OFFSET {offset}",
                        w.sql()
                    );
                    let codes: Vec<String> = bind_all!(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)), &w.binds)
                        .fetch_all(p)
                        .await
                        .map_err(map_err)?;
                    let mut by_code = Where::default();
                    by_code.and_in("code", codes);
                    by_code
                }
            };
            let dossiers = format!("{COLS}{}", rows_of.sql());
            let events = format!("{EVENT_COLS} WHERE e.dossier_id IN (SELECT id FROM dossier{})", rows_of.sql());
            let rows = bind_all!(sqlx::query_as(sqlx::AssertSqlSafe(dossiers)), &rows_of.binds)
                .fetch_all(p)
                .await
                .map_err(map_err)?;
            let events = bind_all!(sqlx::query_as(sqlx::AssertSqlSafe(events)), &rows_of.binds)
                .fetch_all(p)
                .await
                .map_err(map_err)?;
            (total, rows, events)
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
