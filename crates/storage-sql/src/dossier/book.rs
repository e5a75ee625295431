//! The tracking book of a desk: the dossiers received in a period, one row each, in three reads
//! whatever their number (the count, the dossiers' columns the book shows, the times of their
//! transfer, result and return; a page on screen one more, its keys). A window of it reads only
//! its rows.
//!
//! The book reads no workflow document and no event detail: a page of 100 rows read whole
//! records and every event, and spent most of its time parsing their JSON.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, FixedOffset, Utc};
use motcua_domain::dossier::record::{Applicant, BookLine, FormSet};
use motcua_domain::dossier::{CommandKind, DossierCode, State};
use motcua_domain::ids::{AgencyCode, ProcedureCode};
use motcua_storage::{BookWindow, StoreResult};
use sqlx::types::Json;
use uuid::Uuid;

use super::{enum_parse, local};
use crate::rows::{Bind, Where, bad, bind_all};
use crate::{SqlStore, from_json, map_err, on_db};

/// The events whose first time the book shows.
const TIMES: [CommandKind; 3] = [CommandKind::Transfer, CommandKind::Resolve, CommandKind::Return];

#[derive(sqlx::FromRow)]
struct LineRow {
    id: Uuid,
    code: String,
    procedure_code: String,
    procedure_number: i32,
    applicant: Json<serde_json::Value>,
    competent_agency: String,
    form_set: String,
    state: String,
    received_at: DateTime<Utc>,
    due_current: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct TimeRow {
    dossier_id: Uuid,
    command: String,
    at: DateTime<Utc>,
}

impl SqlStore {
    pub(super) async fn book(
        &self,
        desk: &AgencyCode,
        from: DateTime<FixedOffset>,
        before: DateTime<FixedOffset>,
        window: BookWindow,
    ) -> StoreResult<(Vec<BookLine>, u64)> {
        const LINE_COLS: &str = "SELECT id, code, procedure_code, procedure_number, applicant, competent_agency, \
            form_set, state, received_at, due_current FROM dossier";
        let period = || {
            let mut w = Where::default();
            w.and("agency_code = {}", Bind::Text(desk.to_string()));
            w.and("received_at >= {}", Bind::Instant(from.with_timezone(&Utc)));
            w.and("received_at < {}", Bind::Instant(before.with_timezone(&Utc)));
            w
        };
        let (total, rows, times): (i64, Vec<LineRow>, Vec<TimeRow>) = on_db!(&self.db, |p| {
            let whole = period();
            let count = format!("SELECT CAST(COUNT(*) AS BIGINT) FROM dossier{}", whole.sql());
            let total = bind_all!(sqlx::query_scalar(sqlx::AssertSqlSafe(count)), &whole.binds)
                .fetch_one(p)
                .await
                .map_err(map_err)?;
            // The whole book: by the period (a list of its codes or ids could pass the limit on
            // bound values of a busy centre's two months). A page: its keys first, from the index
            // on (agency_code, received_at, code) alone, then its rows as the range of that index
            // from its first to its last time (no search by code per row), less any row of the
            // same instants that is not on the page.
            let (rows_of, page) = match window.limit {
                None => (whole, None),
                Some(limit) => {
                    let mut w = whole;
                    let limit = w.bind(Bind::Int(i64::try_from(limit).unwrap_or(i64::MAX)));
                    let offset = w.bind(Bind::Int(i64::try_from(window.offset).unwrap_or(i64::MAX)));
                    let sql = format!(
                        "SELECT received_at, code FROM dossier{} ORDER BY received_at, code LIMIT {limit} OFFSET {offset}",
                        w.sql()
                    );
                    let keys: Vec<(DateTime<Utc>, String)> =
                        bind_all!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), &w.binds)
                            .fetch_all(p)
                            .await
                            .map_err(map_err)?;
                    let mut range = Where::default();
                    match (keys.first(), keys.last()) {
                        (Some((first, _)), Some((last, _))) => {
                            range.and("agency_code = {}", Bind::Text(desk.to_string()));
                            range.and("received_at >= {}", Bind::Instant(*first));
                            range.and("received_at <= {}", Bind::Instant(*last));
                        }
                        _ => range.and_raw("1 = 0".into()),
                    }
                    (range, Some(keys.into_iter().map(|(_, code)| code).collect::<HashSet<String>>()))
                }
            };
            let lines = format!("{LINE_COLS}{}", rows_of.sql());
            let mut rows: Vec<LineRow> = bind_all!(sqlx::query_as(sqlx::AssertSqlSafe(lines)), &rows_of.binds)
                .fetch_all(p)
                .await
                .map_err(map_err)?;
            if let Some(codes) = &page {
                rows.retain(|r| codes.contains(&r.code));
            }
            // The times by the dossiers' ids, from the events' index on (dossier_id, at): a page's
            // ids bound, the whole book's by the period.
            let mut of = match window.limit {
                Some(_) => {
                    let mut w = Where::default();
                    w.and_in_binds("dossier_id", rows.iter().map(|r| Bind::Uuid(r.id)));
                    w
                }
                None => period().nest("dossier_id IN (SELECT id FROM dossier{})"),
            };
            let commands = TIMES.iter().map(|c| format!("'{}'", c.as_str())).collect::<Vec<_>>().join(", ");
            of.and_raw(format!("command IN ({commands})"));
            let times = format!("SELECT dossier_id, command, at FROM dossier_event{}", of.sql());
            let times =
                bind_all!(sqlx::query_as(sqlx::AssertSqlSafe(times)), &of.binds).fetch_all(p).await.map_err(map_err)?;
            (total, rows, times)
        });
        // The first time of each of the three commands, per dossier.
        let mut first: HashMap<Uuid, [Option<DateTime<Utc>>; 3]> = HashMap::with_capacity(rows.len());
        for t in times {
            let Some(i) = TIMES.iter().position(|c| c.as_str() == t.command) else { continue };
            let at = &mut first.entry(t.dossier_id).or_default()[i];
            *at = Some(at.map_or(t.at, |a| a.min(t.at)));
        }
        // Rows are put in order here, not by the database: a sort there holds every row in a
        // temporary B-tree.
        let mut book = rows
            .into_iter()
            .map(|r| {
                let [transferred_at, resolved_at, returned_at] =
                    first.remove(&r.id).unwrap_or_default().map(|at| at.map(local));
                Ok(BookLine {
                    code: DossierCode::parse(&r.code).map_err(bad("dossier code"))?,
                    procedure: ProcedureCode::parse(&r.procedure_code).map_err(bad("procedure"))?,
                    procedure_number: u32::try_from(r.procedure_number).map_err(bad("version"))?,
                    applicant: from_json::<Applicant>(r.applicant.0, "applicant")?,
                    competent_agency: AgencyCode::parse(&r.competent_agency).map_err(bad("agency"))?,
                    form_set: enum_parse::<FormSet>(&r.form_set, "form set")?,
                    state: enum_parse::<State>(&r.state, "state")?,
                    received_at: local(r.received_at),
                    due_current: r.due_current.map(local),
                    transferred_at,
                    resolved_at,
                    returned_at,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        book.sort_by(|a, b| (a.received_at, a.code.as_str()).cmp(&(b.received_at, b.code.as_str())));
        Ok((book, u64::try_from(total).unwrap_or(0)))
    }
}
