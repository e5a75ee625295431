//! The tracking book of a desk: the dossiers received in a period, each with its events, in
//! two reads whatever their number (one row per dossier was one read of the dossier and one of
//! its events each: thousands for a month of a busy desk).

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, Utc};
use motcua_domain::dossier::record::{DossierRecord, EventRecord};
use motcua_domain::ids::AgencyCode;
use motcua_storage::StoreResult;
use uuid::Uuid;

use super::{COLS, DossierRow, EventRow};
use crate::{SqlStore, map_err, on_db};

impl SqlStore {
    pub(super) async fn book(
        &self,
        desk: &AgencyCode,
        from: DateTime<FixedOffset>,
        before: DateTime<FixedOffset>,
    ) -> StoreResult<Vec<(DossierRecord, Vec<EventRecord>)>> {
        // Sorted here, not by the database: a sort there holds every row, JSON and all, in a
        // temporary B-tree (most of the time of a month's book at 1,000,000 dossiers).
        const EVENTS: &str = "SELECT d.code, e.id, e.at, e.actor, e.agency_code, e.command, e.from_state, \
            e.to_state, e.detail FROM dossier d JOIN dossier_event e ON e.dossier_id = d.id \
            WHERE d.agency_code = $1 AND d.received_at >= $2 AND d.received_at < $3";
        let dossiers = format!("{COLS} WHERE agency_code = $1 AND received_at >= $2 AND received_at < $3");
        let (from, before) = (from.with_timezone(&Utc), before.with_timezone(&Utc));
        let (rows, events): (Vec<DossierRow>, Vec<EventRow>) = on_db!(&self.db, |p| {
            let rows = sqlx::query_as(sqlx::AssertSqlSafe(dossiers))
                .bind(desk.as_str())
                .bind(from)
                .bind(before)
                .fetch_all(p)
                .await
                .map_err(map_err)?;
            let events = sqlx::query_as(EVENTS)
                .bind(desk.as_str())
                .bind(from)
                .bind(before)
                .fetch_all(p)
                .await
                .map_err(map_err)?;
            (rows, events)
        });
        let mut by_dossier: HashMap<String, Vec<(DateTime<Utc>, Uuid, EventRow)>> = HashMap::with_capacity(rows.len());
        for mut e in events {
            let code = e.code.take().unwrap_or_default();
            by_dossier.entry(code).or_default().push((e.at, e.id.unwrap_or_default(), e));
        }
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
        Ok(book)
    }
}
