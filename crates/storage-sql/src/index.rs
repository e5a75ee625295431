//! The live Decision 766 index: each dossier's share kept on its row, and the sums of the shares
//! in `index_month`, moved in the transaction of every dossier write (intake, command, file).

use std::collections::BTreeMap;
use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use motcua_domain::dossier::record::DossierRecord;
use motcua_domain::ids::{AgencyCode, ProcedureCode};
use motcua_domain::index::share::{Fact, Share, Sums, day_of};
use motcua_storage::{Backfill, IndexQuery, IndexRepo, IndexRow, StoreError, StoreResult};
use uuid::Uuid;

use crate::dossier::{DossierRow, STORED};
use crate::rows::{Bind, Where, bad, bind_all};
use crate::{BeginWrite, SqlStore, map_err, on_db};

/// The column of `index_month` that sums `f` (migrations 0021, 0022).
fn column(f: Fact) -> &'static str {
    match f {
        Fact::Received => "received",
        Fact::Timed => "timed",
        Fact::OnTime => "on_time",
        Fact::Late => "late",
        Fact::Open => "running",
        Fact::Online => "online",
        Fact::OnlineCounted => "online_counted",
        Fact::FeeBearing => "fee_bearing",
        Fact::PaidOnline => "paid_online",
        Fact::Synced => "synced",
        Fact::FeeSynced => "fee_synced",
        Fact::PaperResult => "paper_result",
        Fact::EResult => "e_result",
        Fact::Digitised => "digitised",
        Fact::Reused => "reused",
        Fact::ResultSynced => "result_synced",
        Fact::PopulationData => "population_data",
        Fact::Rated => "rated",
        Fact::Satisfied => "satisfied",
        Fact::Complained => "complained",
    }
}

/// The share stored on a dossier row (`index_month` 0: none yet).
pub(crate) fn stored_share(month: i32, bits: i32, open_until: Option<DateTime<Utc>>) -> Option<Share> {
    (month != 0).then(|| {
        Share::from_bits(
            u32::try_from(month).unwrap_or(0),
            u32::try_from(bits).unwrap_or(0),
            open_until.map(crate::dossier::local),
        )
    })
}

/// The row of sums a dossier's share goes to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Key {
    pub(crate) agency: String,
    pub(crate) month: u32,
    pub(crate) competent: String,
    pub(crate) procedure: String,
}

impl Key {
    pub(crate) fn of(d: &DossierRecord, month: u32) -> Self {
        Key {
            agency: d.agency.as_str().to_owned(),
            month,
            competent: d.competent_agency.as_str().to_owned(),
            procedure: d.procedure.as_str().to_owned(),
        }
    }
}

/// What to add to rows of sums, by row, in the one order every writer takes the rows in (so that
/// writers of several rows on PostgreSQL cannot deadlock).
#[derive(Debug, Default)]
pub(crate) struct Deltas {
    sums: BTreeMap<Key, [i64; Fact::ALL.len()]>,
    /// Running dossiers by the day they turn late.
    open: BTreeMap<OpenDay, i64>,
}

/// A bucket of `index_open_day`: competent agency, month, procedure, day (`yyyymmdd`).
pub(crate) type OpenDay = (String, u32, String, u32);

impl Deltas {
    /// Add the move of `d` from its `old` share to `new`.
    pub(crate) fn add(&mut self, d: &DossierRecord, old: Option<&Share>, new: &Share) {
        let row = self.sums.entry(Key::of(d, new.month)).or_insert([0; Fact::ALL.len()]);
        for (f, n) in new.delta(old) {
            row[f as usize] += n;
        }
        let bucket = |s: &Share| {
            s.open_until
                .map(|u| (d.competent_agency.as_str().to_owned(), s.month, d.procedure.as_str().to_owned(), day_of(u)))
        };
        let (before, after) = (old.and_then(bucket), bucket(new));
        if before != after {
            if let Some(b) = before {
                *self.open.entry(b).or_default() -= 1;
            }
            if let Some(a) = after {
                *self.open.entry(a).or_default() += 1;
            }
        }
    }

    /// The rows of sums in writing order, in chunks small enough for the bind limit of SQLite.
    pub(crate) fn chunks(&self) -> Vec<Vec<(&Key, &[i64; Fact::ALL.len()])>> {
        let rows: Vec<_> = self.sums.iter().filter(|(_, v)| v.iter().any(|n| *n != 0)).collect();
        rows.chunks(400).map(<[_]>::to_vec).collect()
    }

    /// The day buckets to move, in writing order and chunks.
    pub(crate) fn open_chunks(&self) -> Vec<Vec<(&OpenDay, &i64)>> {
        let rows: Vec<_> = self.open.iter().filter(|(_, n)| **n != 0).collect();
        rows.chunks(2000).map(<[_]>::to_vec).collect()
    }
}

/// `INSERT INTO index_month (...) ` and the `ON CONFLICT` tail that adds to the existing sums.
pub(crate) static UPSERT: LazyLock<(String, String)> = LazyLock::new(|| {
    let cols: Vec<&str> = Fact::ALL.iter().map(|f| column(*f)).collect();
    let head = format!(
        "INSERT INTO index_month (id, month, agency_code, competent_agency, procedure_code, {}) ",
        cols.join(", ")
    );
    let sets: Vec<String> = cols.iter().map(|c| format!("{c} = index_month.{c} + excluded.{c}")).collect();
    let tail = format!(
        " ON CONFLICT (agency_code, month, competent_agency, procedure_code) DO UPDATE SET {}",
        sets.join(", ")
    );
    (head, tail)
});

/// Add `$deltas` to the sums, in the transaction `$tx`.
macro_rules! apply_deltas {
    ($tx:expr, $deltas:expr) => {{
        let deltas: &$crate::index::Deltas = $deltas;
        for chunk in deltas.chunks() {
            let (head, tail) = &*$crate::index::UPSERT;
            let mut q = sqlx::QueryBuilder::new(head.as_str());
            q.push_values(chunk, |mut b, (k, v)| {
                b.push_bind(uuid::Uuid::now_v7())
                    .push_bind(i64::from(k.month))
                    .push_bind(k.agency.as_str())
                    .push_bind(k.competent.as_str())
                    .push_bind(k.procedure.as_str());
                for n in v.iter() {
                    b.push_bind(*n);
                }
            });
            q.push(tail.as_str());
            q.build().execute(&mut *$tx).await.map_err($crate::map_err)?;
        }
        for chunk in deltas.open_chunks() {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO index_open_day (id, competent_agency, month, procedure_code, day, n) ",
            );
            q.push_values(chunk, |mut b, ((competent, month, procedure, day), n)| {
                b.push_bind(uuid::Uuid::now_v7())
                    .push_bind(competent.as_str())
                    .push_bind(i64::from(*month))
                    .push_bind(procedure.as_str())
                    .push_bind(i64::from(*day))
                    .push_bind(*n);
            });
            q.push(
                " ON CONFLICT (competent_agency, month, procedure_code, day) DO UPDATE SET n = index_open_day.n + excluded.n",
            );
            q.build().execute(&mut *$tx).await.map_err($crate::map_err)?;
        }
    }};
}
pub(crate) use apply_deltas;

/// Store the share `$share` on the dossier `$id`, in the transaction `$tx`.
macro_rules! store_share {
    ($tx:expr, $id:expr, $share:expr) => {{
        let share: &motcua_domain::index::share::Share = $share;
        sqlx::query("UPDATE dossier SET index_month = $2, index_facts = $3, open_until = $4 WHERE id = $1")
            .bind($id)
            .bind(share.month as i32)
            .bind(share.bits() as i32)
            .bind(share.open_until.map(|t| t.with_timezone(&chrono::Utc)))
            .execute(&mut *$tx)
            .await
            .map_err($crate::map_err)?;
    }};
}
pub(crate) use store_share;

/// After a write of the dossier row `$row` (its values after the write, its stored share before):
/// store its new share and move the sums, in the transaction `$tx`. Evaluates to the record.
macro_rules! reshare {
    ($tx:expr, $id:expr, $row:expr) => {{
        let row: $crate::dossier::DossierRow = $row;
        let old = $crate::index::stored_share(row.index_month, row.index_facts, row.open_until);
        let record = motcua_domain::dossier::record::DossierRecord::try_from(row)?;
        let new = motcua_domain::index::share::Share::of(&record);
        if old.as_ref() != Some(&new) {
            $crate::index::store_share!($tx, $id, &new);
            let mut deltas = $crate::index::Deltas::default();
            deltas.add(&record, old.as_ref(), &new);
            $crate::index::apply_deltas!($tx, &deltas);
        }
        record
    }};
}
pub(crate) use reshare;

#[derive(sqlx::FromRow)]
struct SumRow {
    month: i32,
    competent_agency: String,
    procedure_code: String,
    #[sqlx(flatten)]
    values: Values,
}

/// One column per fact, in the order of `Fact::ALL`.
struct Values(Vec<i64>);

impl<'r, R: sqlx::Row> sqlx::FromRow<'r, R> for Values
where
    &'r str: sqlx::ColumnIndex<R>,
    i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    fn from_row(row: &'r R) -> sqlx::Result<Self> {
        Fact::ALL.iter().map(|f| row.try_get::<i64, _>(column(*f))).collect::<sqlx::Result<Vec<_>>>().map(Values)
    }
}

#[derive(sqlx::FromRow)]
struct LateRow {
    index_month: i32,
    competent_agency: String,
    procedure_code: String,
    late: i64,
}

type RowKey = (u32, String, String);

/// The first instant of the Vietnam day of `t`, in UTC.
fn start_of_day(t: motcua_domain::calendar::deadline::Instant) -> DateTime<Utc> {
    let vn = t.with_timezone(&motcua_domain::calendar::deadline::vn_offset());
    motcua_domain::calendar::deadline::day_start(vn.date_naive())
        .map_or_else(|| t.with_timezone(&Utc), |d| d.with_timezone(&Utc))
}

fn filter(q: &IndexQuery, month_col: &str) -> Where {
    let mut w = Where::default();
    w.and(&format!("{month_col} >= {{}}"), Bind::Int(i64::from(q.months.0)));
    w.and(&format!("{month_col} <= {{}}"), Bind::Int(i64::from(q.months.1)));
    if let Some(agencies) = &q.agencies {
        w.and_in("competent_agency", agencies.iter().map(|a| a.as_str().to_owned()));
    }
    w
}

#[async_trait::async_trait]
impl IndexRepo for SqlStore {
    async fn index_rows(&self, q: &IndexQuery) -> StoreResult<Vec<IndexRow>> {
        let sums: Vec<String> =
            Fact::ALL.iter().map(|f| format!("CAST(SUM({0}) AS BIGINT) AS {0}", column(*f))).collect();
        let sums_filter = filter(q, "month");
        let sql = format!(
            "SELECT month, competent_agency, procedure_code, {} FROM index_month{} \
             GROUP BY month, competent_agency, procedure_code",
            sums.join(", "),
            sums_filter.sql()
        );
        // Running dossiers late at the time of asking: those due on an earlier day, from the day
        // buckets; those due earlier today, from their rows (the partial index on open_until).
        let today = day_of(q.at);
        let mut days = filter(q, "month");
        let before_today = days.bind(Bind::Int(i64::from(today)));
        let days_sql = format!(
            "SELECT month AS index_month, competent_agency, procedure_code, CAST(SUM(n) AS BIGINT) AS late \
             FROM index_open_day{} AND day < {before_today} GROUP BY month, competent_agency, procedure_code",
            days.sql()
        );
        // `+index_month`: not a key to search by (both backends read it as the column), so that
        // the search ranges over today's instants in the partial index on open_until.
        let mut w = filter(q, "+index_month");
        let start = w.bind(Bind::Instant(start_of_day(q.at)));
        let at = w.bind(Bind::Instant(q.at.with_timezone(&Utc)));
        let late_sql = format!(
            "SELECT index_month, competent_agency, procedure_code, COUNT(*) AS late FROM dossier{} \
             AND open_until IS NOT NULL AND open_until >= {start} AND open_until < {at} \
             GROUP BY index_month, competent_agency, procedure_code",
            w.sql()
        );
        let (rows, late): (Vec<SumRow>, Vec<LateRow>) = on_db!(&self.db, |p| {
            let rows = bind_all!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), &sums_filter.binds)
                .fetch_all(p)
                .await
                .map_err(map_err)?;
            let mut late: Vec<LateRow> = bind_all!(sqlx::query_as(sqlx::AssertSqlSafe(late_sql)), &w.binds)
                .fetch_all(p)
                .await
                .map_err(map_err)?;
            let earlier: Vec<LateRow> = bind_all!(sqlx::query_as(sqlx::AssertSqlSafe(days_sql)), &days.binds)
                .fetch_all(p)
                .await
                .map_err(map_err)?;
            late.extend(earlier);
            (rows, late)
        });
        let mut by_key: BTreeMap<RowKey, i64> = BTreeMap::new();
        for l in late {
            *by_key.entry((l.index_month as u32, l.competent_agency, l.procedure_code)).or_default() += l.late;
        }
        let late = by_key;
        rows.into_iter()
            .map(|r| {
                let mut sums = Sums::default();
                for (f, n) in Fact::ALL.iter().zip(&r.values.0) {
                    sums.add(*f, u64::try_from(*n).map_err(bad("index sum"))?);
                }
                let key = (r.month as u32, r.competent_agency, r.procedure_code);
                sums.open_late = late.get(&key).map_or(0, |n| u64::try_from(*n).unwrap_or(0));
                Ok(IndexRow {
                    month: key.0,
                    competent_agency: AgencyCode::parse(&key.1).map_err(bad("agency"))?,
                    procedure: ProcedureCode::parse(&key.2).map_err(bad("procedure"))?,
                    sums,
                })
            })
            .collect()
    }

    async fn rebuild_index(&self, backfill: &Backfill) -> StoreResult<u64> {
        let sql = format!("{STORED} WHERE id > $1 ORDER BY id LIMIT 500");
        let turn = self.write_turn().await;
        on_db!(turn.db, |p| {
            let mut tx = p.begin_write().await.map_err(map_err)?;
            sqlx::query("DELETE FROM index_month").execute(&mut *tx).await.map_err(map_err)?;
            sqlx::query("DELETE FROM index_open_day").execute(&mut *tx).await.map_err(map_err)?;
            let mut deltas = Deltas::default();
            let (mut after, mut counted) = (Uuid::nil(), 0u64);
            loop {
                let page: Vec<Stored> = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(after)
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(map_err)?;
                let Some(last) = page.last() else { break };
                after = last.id;
                for Stored { id, row } in page {
                    let old = stored_share(row.index_month, row.index_facts, row.open_until);
                    let mut record = DossierRecord::try_from(row)?;
                    if old.is_none()
                        && let Some(traits) = backfill.get(&(record.procedure.clone(), record.procedure_number))
                        && *traits != record.traits
                    {
                        record.traits = *traits;
                        sqlx::query("UPDATE dossier SET paper_result = $2, fee_bearing = $3 WHERE id = $1")
                            .bind(id)
                            .bind(traits.paper_result)
                            .bind(traits.fee_bearing)
                            .execute(&mut *tx)
                            .await
                            .map_err(map_err)?;
                    }
                    let new = Share::of(&record);
                    if old.as_ref() != Some(&new) {
                        store_share!(tx, id, &new);
                    }
                    deltas.add(&record, None, &new);
                    counted += 1;
                }
            }
            apply_deltas!(tx, &deltas);
            tx.commit().await.map_err(map_err)?;
            Ok::<_, StoreError>(counted)
        })
    }

    async fn scan_dossiers(
        &self,
        from: motcua_domain::calendar::deadline::Instant,
        before: motcua_domain::calendar::deadline::Instant,
        after: Option<&motcua_domain::dossier::DossierCode>,
        limit: u32,
    ) -> StoreResult<Vec<DossierRecord>> {
        let sql = format!("{STORED} WHERE received_at >= $1 AND received_at < $2 AND code > $3 ORDER BY code LIMIT $4");
        let rows: Vec<Stored> = on_db!(&self.db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(from.with_timezone(&Utc))
            .bind(before.with_timezone(&Utc))
            .bind(after.map_or("", |c| c.as_str()))
            .bind(i64::from(limit))
            .fetch_all(p)
            .await
            .map_err(map_err))?;
        rows.into_iter().map(|s| DossierRecord::try_from(s.row)).collect()
    }

    async fn index_pending(&self) -> StoreResult<bool> {
        on_db!(&self.db, |p| {
            let n: Option<i32> = sqlx::query_scalar("SELECT 1 FROM dossier WHERE index_month = 0 LIMIT 1")
                .fetch_optional(p)
                .await
                .map_err(map_err)?;
            Ok(n.is_some())
        })
    }
}

/// A dossier row with its id.
#[derive(sqlx::FromRow)]
pub(crate) struct Stored {
    pub id: Uuid,
    #[sqlx(flatten)]
    pub row: DossierRow,
}
