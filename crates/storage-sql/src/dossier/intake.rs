//! Group commit of intakes.
//!
//! An intake is a handful of rows (code sequence, dossier, first event, audit, notices) whose
//! cost on one machine is not the rows but the round trips and the commit: SQLite has one writer
//! at a time and makes every commit durable with an fsync; PostgreSQL serialises the intakes of
//! one desk and day on the row of its code sequence. Intakes that arrive while a batch is being
//! written therefore wait in a queue, and the next batch writes all of them in one transaction:
//! one sequence update per desk and day (`last + k`, the k codes in arrival order), one
//! multi-row `INSERT` per table (the index's sums: one upsert per row of sums), one commit. Every caller gets its answer only after that commit.
//!
//! A batch runs in its own task, so a caller that goes away (a client that hangs up) cannot leave
//! the others without an answer. If a batch fails, it is rolled back as a whole and each of its
//! intakes is written again alone, so that an error belongs to the intake that caused it and the
//! codes stay without gaps (a rolled-back transaction gives its numbers back).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{NaiveDate, Utc};
use motcua_domain::calendar::deadline::vn_offset;
use motcua_domain::dossier::DossierCode;
use motcua_domain::dossier::record::{EventRecord, NewDossier};
use motcua_domain::index::share::Share;
use motcua_storage::{AuditEntry, NoticesFor, StoreError, StoreResult};
use sqlx::types::Json;
use tokio::sync::oneshot;
use uuid::Uuid;

use super::event::{enum_str, event_insert};
use crate::index::{Deltas, apply_deltas};
use crate::rows::bad;
use crate::{BeginWrite, Db, map_err, on_db, to_json};

/// The most intakes written in one transaction (about 20 bound values each).
const MAX_BATCH: usize = 64;

/// One intake waiting for its batch.
pub(crate) struct IntakeJob {
    pub new: NewDossier,
    pub event: EventRecord,
    pub audit: AuditEntry,
    pub notices: NoticesFor,
}

/// An intake in the queue, with the way back to its caller.
struct Queued {
    job: IntakeJob,
    reply: oneshot::Sender<StoreResult<DossierCode>>,
}

/// The intakes waiting, and the gate held while one batch is written.
#[derive(Default)]
pub(crate) struct IntakeQueue {
    pending: Mutex<Vec<Queued>>,
    gate: Arc<tokio::sync::Mutex<()>>,
}

impl std::fmt::Debug for IntakeQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IntakeQueue").finish_non_exhaustive()
    }
}

impl IntakeQueue {
    /// Queue `job` and return its code once the transaction that stored it has committed.
    ///
    /// Whoever holds the gate writes a batch; when a caller gets the gate, its intake is either
    /// answered already (an earlier batch took it) or still queued (it leads the next batch),
    /// because a batch keeps the gate until every answer of the batch is sent. A leader whose own
    /// intake did not fit in its batch leads the next one too.
    pub(crate) async fn submit(
        &self,
        writer: &Db,
        write_gate: Option<&Arc<tokio::sync::Mutex<()>>>,
        job: IntakeJob,
    ) -> StoreResult<DossierCode> {
        let (tx, mut rx) = oneshot::channel();
        self.lock_pending().push(Queued { job, reply: tx });
        loop {
            let gate = self.gate.clone().lock_owned().await;
            match rx.try_recv() {
                Ok(answer) => return answer,
                // The batch that took it stopped without answering (it panicked).
                Err(oneshot::error::TryRecvError::Closed) => return Err(lost()),
                Err(oneshot::error::TryRecvError::Empty) => {}
            }
            let batch: Vec<Queued> = {
                let mut pending = self.lock_pending();
                let n = pending.len().min(MAX_BATCH);
                pending.drain(..n).collect()
            };
            let (writer, write_gate) = (writer.clone(), write_gate.cloned());
            let batch_task = tokio::spawn(async move {
                let _turn = match &write_gate {
                    Some(g) => Some(g.lock().await),
                    None => None,
                };
                write_and_answer(&writer, batch).await;
                drop(gate);
            });
            // The batch goes on even if this caller goes away; once it is done, our answer is
            // there, or our intake is still queued and we lead the next batch.
            let _ = batch_task.await;
        }
    }

    fn lock_pending(&self) -> std::sync::MutexGuard<'_, Vec<Queued>> {
        self.pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn lost() -> StoreError {
    StoreError::Other("the intake's batch stopped before answering; nothing was acknowledged".into())
}

/// Write `batch` in one transaction and answer each caller; if that fails, write each intake
/// alone.
async fn write_and_answer(writer: &Db, batch: Vec<Queued>) {
    if batch.len() > 1 {
        match write_batch(writer, &batch.iter().map(|q| &q.job).collect::<Vec<_>>()).await {
            Ok(codes) => {
                for (job, code) in batch.into_iter().zip(codes) {
                    let _ = job.reply.send(Ok(code));
                }
                return;
            }
            Err(e) => {
                tracing::warn!(intakes = batch.len(), error = %e, "batch of intakes rolled back; writing each alone")
            }
        }
    }
    for job in batch {
        let answer = write_batch(writer, &[&job.job]).await.map(|mut codes| codes.remove(0));
        let _ = job.reply.send(answer);
    }
}

/// The values of one intake, ready to bind.
struct Row<'a> {
    id: Uuid,
    code: DossierCode,
    job: &'a IntakeJob,
    applicant: serde_json::Value,
    workflow: serde_json::Value,
    declaration: Option<serde_json::Value>,
    channel: String,
    state: String,
    form_set: String,
    from_state: Option<String>,
    to_state: String,
    share: Share,
}

fn receipt_day(new: &NewDossier) -> NaiveDate {
    new.received_at.with_timezone(&vn_offset()).date_naive()
}

/// How many codes each desk and day needs, in the one order every writer locks the sequence
/// rows in (so that two processes writing batches for the same desks on PostgreSQL cannot
/// deadlock).
fn code_groups<'a>(jobs: &[&'a IntakeJob]) -> Vec<((&'a str, NaiveDate), i32)> {
    let mut groups: Vec<((&str, NaiveDate), i32)> = Vec::new();
    let mut group_of: HashMap<(&str, NaiveDate), usize> = HashMap::new();
    for job in jobs {
        let key = (job.new.agency.as_str(), receipt_day(&job.new));
        let g = *group_of.entry(key).or_insert_with(|| {
            groups.push((key, 0));
            groups.len() - 1
        });
        groups[g].1 += 1;
    }
    groups.sort_by(|a, b| a.0.cmp(&b.0));
    groups
}

impl<'a> Row<'a> {
    fn of(job: &'a IntakeJob, code: DossierCode, deltas: &mut Deltas) -> StoreResult<Self> {
        let record = job.new.record(code.clone());
        let share = Share::of(&record);
        deltas.add(&record, None, &share);
        Ok(Row {
            share,
            id: Uuid::now_v7(),
            code,
            job,
            applicant: to_json(&job.new.applicant)?,
            workflow: to_json(&job.new.workflow)?,
            declaration: job.new.declaration.as_ref().map(to_json).transpose()?,
            channel: enum_str(&job.new.channel)?,
            state: enum_str(&job.new.workflow.state)?,
            form_set: enum_str(&job.new.form_set)?,
            from_state: job.event.from.as_ref().map(enum_str).transpose()?,
            to_state: enum_str(&job.event.to)?,
        })
    }
}

/// The rows of `jobs`, each with the next code of its desk and day (`next`: the first number of
/// each), their shares of the index added to `deltas`.
fn rows_of<'a>(
    jobs: &[&'a IntakeJob],
    mut next: HashMap<(&'a str, NaiveDate), u32>,
    deltas: &mut Deltas,
) -> StoreResult<Vec<Row<'a>>> {
    let mut rows = Vec::with_capacity(jobs.len());
    for job in jobs {
        let day = receipt_day(&job.new);
        let n = next.get_mut(&(job.new.agency.as_str(), day)).ok_or_else(|| StoreError::Other("sequence".into()))?;
        let code = DossierCode::new(&job.new.agency, day, *n).map_err(bad("sequence"))?;
        *n += 1;
        rows.push(Row::of(job, code, deltas)?);
    }
    Ok(rows)
}

/// Take the next `k` codes of each desk and day of `$groups` in the transaction `$tx`: the first
/// number of each. The row lock of the upsert serialises concurrent writers of one desk and day
/// (other processes on PostgreSQL); the batch takes k numbers at once.
macro_rules! take_codes {
    ($tx:expr, $groups:expr) => {{
        let mut next: HashMap<(&str, NaiveDate), u32> = HashMap::new();
        for ((agency, day), k) in &$groups {
            let last: i32 = sqlx::query_scalar(
                "INSERT INTO dossier_sequence (agency_code, day, last) VALUES ($1, $2, $3) \
                 ON CONFLICT (agency_code, day) DO UPDATE SET last = dossier_sequence.last + excluded.last \
                 RETURNING last",
            )
            .bind(*agency)
            .bind(*day)
            .bind(*k)
            .fetch_one(&mut *$tx)
            .await
            .map_err(map_err)?;
            next.insert((*agency, *day), u32::try_from(last - k + 1).map_err(bad("sequence"))?);
        }
        next
    }};
}

/// The time each statement of a batch took, printed to stderr as one line per batch when
/// `MOTCUA_PROFILE_INTAKES` is set (`scripts/profile-intakes.py` sums them; docs/PERFORMANCE.md).
struct Steps {
    on: bool,
    start: std::time::Instant,
    marks: Vec<(&'static str, u128)>,
}

impl Steps {
    fn start() -> Self {
        static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
        let on = *ON.get_or_init(|| std::env::var_os("MOTCUA_PROFILE_INTAKES").is_some());
        Self { on, start: std::time::Instant::now(), marks: Vec::new() }
    }

    fn mark(&mut self, step: &'static str) {
        if self.on {
            self.marks.push((step, self.start.elapsed().as_micros()));
        }
    }

    fn report(&self, intakes: usize) {
        if self.on {
            let marks: Vec<String> = self.marks.iter().map(|(s, us)| format!("{s}={us}")).collect();
            eprintln!("intake-batch n={intakes} {}", marks.join(" "));
        }
    }
}

/// Store every intake of `jobs` in one transaction; their codes, in order.
async fn write_batch(writer: &Db, jobs: &[&IntakeJob]) -> StoreResult<Vec<DossierCode>> {
    let groups = code_groups(jobs);
    on_db!(writer, |p| {
        let mut steps = Steps::start();
        let mut tx = p.begin_write().await.map_err(map_err)?;
        steps.mark("begin");
        let next = take_codes!(tx, groups);
        steps.mark("sequence");
        let mut deltas = Deltas::default();
        let rows = rows_of(jobs, next, &mut deltas)?;

        let mut q = sqlx::QueryBuilder::new(
            "INSERT INTO dossier (id, code, agency_code, competent_agency, procedure_code, procedure_number, channel, \
             applicant, phone_last4, state, workflow, received_at, due_original, due_current, ended_at, calendar_stamp, \
             form_set, submitted_by, paper_result, fee_bearing, paid_online, index_month, index_facts, open_until, \
             watch_at, population_data, vneid, declaration, revision) ",
        );
        q.push_values(&rows, |mut b, r| {
            let (new, w) = (&r.job.new, &r.job.new.workflow);
            b.push_bind(r.id)
                .push_bind(r.code.as_str())
                .push_bind(new.agency.as_str())
                .push_bind(new.competent_agency.as_str())
                .push_bind(new.procedure.as_str())
                .push_bind(new.procedure_number as i32)
                .push_bind(r.channel.as_str())
                .push_bind(Json(&r.applicant))
                .push_bind(new.applicant.phone.as_ref().map(|p| p.last4()))
                .push_bind(r.state.as_str())
                .push_bind(Json(&r.workflow))
                .push_bind(new.received_at.with_timezone(&Utc))
                .push_bind(w.due_original.map(|t| t.with_timezone(&Utc)))
                .push_bind(w.due_current.map(|t| t.with_timezone(&Utc)))
                .push_bind(w.ended_at.map(|t| t.with_timezone(&Utc)))
                .push_bind(new.calendar_stamp.as_str())
                .push_bind(r.form_set.as_str())
                .push_bind(new.submitted_by)
                .push_bind(new.traits.paper_result)
                .push_bind(new.traits.fee_bearing)
                .push_bind(w.paid_online)
                .push_bind(r.share.month as i32)
                .push_bind(r.share.bits() as i32)
                .push_bind(r.share.open_until.map(|t| t.with_timezone(&Utc)))
                .push_bind(crate::watch::watch_from(w, new.received_at))
                .push_bind(new.population_data)
                .push_bind(new.vneid)
                .push_bind(r.declaration.as_ref().map(Json))
                .push("1");
        });
        q.build().execute(&mut *tx).await.map_err(map_err)?;
        steps.mark("dossier");
        apply_deltas!(tx, &deltas);
        steps.mark("index");

        let mut q = sqlx::QueryBuilder::new(event_insert!());
        q.push_values(&rows, |mut b, r| {
            let e = &r.job.event;
            b.push_bind(Uuid::now_v7())
                .push_bind(r.id)
                .push_bind(e.agency.as_str())
                .push_bind(e.at.with_timezone(&Utc))
                .push_bind(e.actor.as_str())
                .push_bind(e.command.as_str())
                .push_bind(r.from_state.as_deref())
                .push_bind(r.to_state.as_str())
                .push_bind(Json(e.detail.to_stored()));
        });
        q.build().execute(&mut *tx).await.map_err(map_err)?;

        steps.mark("event");
        let mut q = sqlx::QueryBuilder::new(crate::audit::audit_insert!());
        q.push_values(&rows, |mut b, r| {
            let a = &r.job.audit;
            b.push_bind(Uuid::now_v7())
                .push_bind(a.at)
                .push_bind(a.actor_id)
                .push_bind(a.actor.as_str())
                .push_bind(a.action.as_str())
                .push_bind(a.entity.as_str())
                .push_bind(r.code.as_str())
                .push_bind(a.ip.as_deref())
                .push_bind(a.agency.as_ref().map(|c| c.as_str()))
                .push_bind(Json(&a.detail));
        });
        q.build().execute(&mut *tx).await.map_err(map_err)?;

        steps.mark("audit");
        let notices: Vec<(&Row<'_>, motcua_domain::notice::Notice)> =
            rows.iter().flat_map(|r| (r.job.notices)(&r.code).into_iter().map(move |n| (r, n))).collect();
        if !notices.is_empty() {
            let mut q = sqlx::QueryBuilder::new(crate::outbox::notice_insert!());
            q.push_values(&notices, |mut b, (r, n)| {
                let at = r.job.audit.at;
                b.push_bind(Uuid::now_v7())
                    .push_bind(r.job.new.agency.as_str())
                    .push_bind(r.code.as_str())
                    .push_bind(n.channel.as_str())
                    .push_bind(n.recipient.as_str())
                    .push_bind(n.subject.as_str())
                    .push_bind(n.body.as_str())
                    .push("'pending'")
                    .push_bind(at)
                    .push_bind(at)
                    .push("0");
            });
            q.build().execute(&mut *tx).await.map_err(map_err)?;
        }
        steps.mark("outbox");
        tx.commit().await.map_err(map_err)?;
        steps.mark("commit");
        steps.report(jobs.len());
        Ok::<_, StoreError>(rows.into_iter().map(|r| r.code).collect())
    })
}
