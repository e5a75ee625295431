//! Dossiers, their events and the daily code sequence.

mod book;
pub(crate) mod event;
pub(crate) mod intake;

use chrono::{DateTime, FixedOffset, Utc};
use motcua_domain::calendar::deadline::vn_offset;
use motcua_domain::dossier::record::{
    Applicant, DocumentKind, DocumentRecord, DocumentSource, DossierFacts, DossierLine, DossierQuery, DossierRecord,
    DossierSort, EventRecord, FormSet, NewDossier, ProcedureTraits,
};
use motcua_domain::dossier::{Dossier, DossierCode, State};
use motcua_domain::ids::{AgencyCode, ProcedureCode};
use motcua_domain::index::share::{Fact, IndexFilter, Part};
use motcua_domain::notice::Notice;
use motcua_domain::procedure::Channel;
use motcua_domain::rating::Satisfaction;
use motcua_storage::{AuditEntry, DossierRepo, NoticesFor, StoreError, StoreResult};
use sqlx::types::Json;
use uuid::Uuid;

use crate::audit::write_audit;
use crate::index::{Stored, reshare};

use crate::rows::{Bind, Where, bad, bind_all};
use crate::{BeginWrite, SqlStore, from_json, map_err, on_db, to_json};
use event::enum_str;
use intake::IntakeJob;

fn enum_parse<T: serde::de::DeserializeOwned>(s: &str, what: &str) -> StoreResult<T> {
    from_json(serde_json::Value::String(s.to_owned()), what)
}

pub(crate) fn local(t: DateTime<Utc>) -> DateTime<FixedOffset> {
    t.with_timezone(&vn_offset())
}

#[derive(sqlx::FromRow)]
pub(crate) struct DossierRow {
    code: String,
    agency_code: String,
    competent_agency: String,
    procedure_code: String,
    procedure_number: i32,
    channel: String,
    applicant: Json<serde_json::Value>,
    workflow: Json<serde_json::Value>,
    received_at: DateTime<Utc>,
    calendar_stamp: String,
    form_set: String,
    submitted_by: Option<Uuid>,
    component_files: i32,
    reused_data: bool,
    e_result: bool,
    paid_online: bool,
    synced_at: Option<DateTime<Utc>>,
    vneid: bool,
    paper_result: bool,
    fee_bearing: bool,
    satisfaction: Option<String>,
    disliked: bool,
    petitioned: bool,
    revision: i64,
    pub(crate) index_month: i32,
    pub(crate) index_facts: i32,
    pub(crate) open_until: Option<DateTime<Utc>>,
    population_data: bool,
}

impl TryFrom<DossierRow> for DossierRecord {
    type Error = StoreError;
    fn try_from(r: DossierRow) -> StoreResult<Self> {
        Ok(DossierRecord {
            code: DossierCode::parse(&r.code).map_err(bad("dossier code"))?,
            agency: AgencyCode::parse(&r.agency_code).map_err(bad("agency"))?,
            competent_agency: AgencyCode::parse(&r.competent_agency).map_err(bad("agency"))?,
            procedure: ProcedureCode::parse(&r.procedure_code).map_err(bad("procedure"))?,
            procedure_number: u32::try_from(r.procedure_number).map_err(bad("version"))?,
            channel: enum_parse::<Channel>(&r.channel, "channel")?,
            applicant: from_json::<Applicant>(r.applicant.0, "applicant")?,
            workflow: from_json::<Dossier>(r.workflow.0, "workflow")?,
            received_at: local(r.received_at),
            calendar_stamp: r.calendar_stamp,
            form_set: enum_parse::<FormSet>(&r.form_set, "form set")?,
            submitted_by: r.submitted_by,
            traits: ProcedureTraits { paper_result: r.paper_result, fee_bearing: r.fee_bearing },
            facts: DossierFacts {
                component_files: u32::try_from(r.component_files).unwrap_or(0),
                reused_data: r.reused_data,
                e_result: r.e_result,
                paid_online: r.paid_online,
                synced_at: r.synced_at.map(local),
                vneid: r.vneid,
                satisfaction: r
                    .satisfaction
                    .as_deref()
                    .map(|s| {
                        Satisfaction::parse(s)
                            .ok_or_else(|| StoreError::Other(format!("stored satisfaction «{s}» is unknown")))
                    })
                    .transpose()?,
                disliked: r.disliked,
                petitioned: r.petitioned,
                population_data: r.population_data,
            },
            revision: r.revision,
        })
    }
}

#[derive(sqlx::FromRow)]
struct EventRow {
    at: DateTime<Utc>,
    actor: String,
    agency_code: String,
    command: String,
    from_state: Option<String>,
    to_state: String,
    detail: Json<serde_json::Value>,
}

impl TryFrom<EventRow> for EventRecord {
    type Error = StoreError;

    fn try_from(r: EventRow) -> StoreResult<Self> {
        Ok(EventRecord {
            at: local(r.at),
            actor: r.actor,
            agency: AgencyCode::parse(&r.agency_code).map_err(bad("agency"))?,
            command: motcua_domain::dossier::CommandKind::parse(&r.command).map_err(bad("command"))?,
            from: r.from_state.as_deref().map(|s| enum_parse::<State>(s, "state")).transpose()?,
            to: enum_parse::<State>(&r.to_state, "state")?,
            detail: motcua_domain::dossier::EventDetail::from_stored(r.detail.0).map_err(bad("detail"))?,
        })
    }
}

/// The columns of a [`DossierRow`].
macro_rules! fields {
    () => {
        "code, agency_code, competent_agency, procedure_code, procedure_number, channel, applicant, workflow, \
         received_at, calendar_stamp, form_set, submitted_by, component_files, reused_data, e_result, paid_online, \
         synced_at, vneid, paper_result, fee_bearing, satisfaction, disliked, petitioned, revision, index_month, \
         index_facts, open_until, population_data"
    };
}

pub(crate) use fields;

const COLS: &str = concat!("SELECT ", fields!(), " FROM dossier");
/// A dossier row with its id ([`crate::index::Stored`]).
pub(crate) const STORED: &str = concat!("SELECT id, ", fields!(), " FROM dossier");

/// The dossiers behind a count of the index, by the share stored on each (migration 0021).
fn index_filter(w: &mut Where, f: &IndexFilter) {
    w.and("index_month >= {}", Bind::Int(i64::from(f.months.0)));
    w.and("index_month <= {}", Bind::Int(i64::from(f.months.1)));
    if let Some(agencies) = &f.agencies {
        w.and_in("competent_agency", agencies.iter().map(|a| a.as_str().to_owned()));
    }
    let has = |fact: Fact| format!("(index_facts & {}) <> 0", fact.bit());
    let (meets, base) = f.facts;
    w.and_raw(has(base));
    let mut meets_sql = has(meets);
    if meets == Fact::OnTime {
        let at = w.bind(Bind::Instant(f.at.with_timezone(&Utc)));
        meets_sql = format!("({meets_sql} OR ({} AND open_until >= {at}))", has(Fact::Open));
    }
    match f.part {
        Part::Base => {}
        Part::Meets => w.and_raw(meets_sql),
        Part::Misses => w.and_raw(format!("NOT {meets_sql}")),
    }
}

/// Store a dossier's new workflow with its event, audit row and notices on the transaction
/// `tx`, if its revision is still the one read (else `Err(Stale)` from the enclosing function):
/// `(tx, code, expected revision, workflow, workflow JSON, state, event, audit, notices)`; the
/// new revision. Shared by a command and by the confirmation of an online payment.
macro_rules! update_in_tx {
    ($tx:expr, $code:expr, $rev:expr, $workflow:expr, $json:expr, $state:expr, $event:expr, $audit:expr, $notices:expr) => {{
        let (code, workflow, event, audit): (
            &motcua_domain::dossier::DossierCode,
            &motcua_domain::dossier::Dossier,
            &motcua_domain::dossier::record::EventRecord,
            &motcua_storage::AuditEntry,
        ) = ($code, $workflow, $event, $audit);
        let sql = concat!(
            "UPDATE dossier SET workflow = $3, state = $4, due_original = $5, due_current = $6, ended_at = $7, \
             paid_online = $8, watch_at = $9, revision = revision + 1 WHERE code = $1 AND revision = $2 \
             RETURNING id, ",
            $crate::dossier::fields!()
        );
        let row: Option<$crate::index::Stored> = sqlx::query_as(sql)
            .bind(code.as_str())
            .bind($rev)
            .bind(sqlx::types::Json($json))
            .bind($state)
            .bind(workflow.due_original.map(|t| t.with_timezone(&chrono::Utc)))
            .bind(workflow.due_current.map(|t| t.with_timezone(&chrono::Utc)))
            .bind(workflow.ended_at.map(|t| t.with_timezone(&chrono::Utc)))
            .bind(workflow.paid_online)
            .bind($crate::watch::watch_from(workflow, event.at))
            .fetch_optional(&mut *$tx)
            .await
            .map_err($crate::map_err)?;
        let Some($crate::index::Stored { id, row }) = row else {
            return Err(motcua_storage::StoreError::Stale);
        };
        let record = $crate::index::reshare!($tx, id, row);
        let (revision, desk) = (record.revision, record.agency);
        $crate::dossier::event::insert_event!($tx, id, event);
        $crate::audit::write_audit!(&mut *$tx, audit)?;
        for n in $notices {
            $crate::outbox::insert_notice!(&mut *$tx, desk.as_str(), Some(code.as_str()), n, audit.at)?;
        }
        revision
    }};
}
pub(crate) use update_in_tx;

#[async_trait::async_trait]
impl DossierRepo for SqlStore {
    async fn create_dossier(
        &self,
        new: &NewDossier,
        event: &EventRecord,
        audit: &AuditEntry,
        notices: NoticesFor,
    ) -> StoreResult<DossierRecord> {
        let job = IntakeJob { new: new.clone(), event: event.clone(), audit: audit.clone(), notices };
        let code = self.intakes.submit(&self.writer, self.write_gate.as_ref(), job).await;
        self.wrote();
        Ok(new.record(code?))
    }

    async fn dossier(&self, code: &DossierCode) -> StoreResult<Option<DossierRecord>> {
        let sql = format!("{COLS} WHERE code = $1");
        let row: Option<DossierRow> = on_db!(&self.db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(code.as_str())
            .fetch_optional(p)
            .await
            .map_err(map_err))?;
        row.map(DossierRecord::try_from).transpose()
    }

    async fn update_dossier(
        &self,
        code: &DossierCode,
        expected_revision: i64,
        workflow: &Dossier,
        event: &EventRecord,
        audit: &AuditEntry,
        notices: &[Notice],
    ) -> StoreResult<i64> {
        let json = to_json(workflow)?;
        let state = enum_str(&workflow.state)?;
        let turn = self.write_turn().await;
        on_db!(turn.db, |p| {
            let mut tx = p.begin_write().await.map_err(map_err)?;
            let revision =
                update_in_tx!(tx, code, expected_revision, workflow, &json, state.as_str(), event, audit, notices);
            tx.commit().await.map_err(map_err)?;
            Ok(revision)
        })
    }

    async fn dossier_events(&self, code: &DossierCode) -> StoreResult<Vec<EventRecord>> {
        const SQL: &str = "SELECT e.at, e.actor, e.agency_code, e.command, e.from_state, e.to_state, e.detail \
            FROM dossier_event e JOIN dossier d ON d.id = e.dossier_id WHERE d.code = $1 ORDER BY e.at, e.id";
        let rows: Vec<EventRow> =
            on_db!(&self.db, |p| sqlx::query_as(SQL).bind(code.as_str()).fetch_all(p).await.map_err(map_err))?;
        rows.into_iter().map(EventRecord::try_from).collect()
    }

    async fn desk_book(
        &self,
        desk: &AgencyCode,
        from: DateTime<FixedOffset>,
        before: DateTime<FixedOffset>,
        window: motcua_storage::BookWindow,
    ) -> StoreResult<(Vec<motcua_domain::dossier::record::BookLine>, u64)> {
        self.book(desk, from, before, window).await
    }

    async fn add_document(
        &self,
        doc: &DocumentRecord,
        vault: Option<&motcua_domain::vault::VaultItem>,
        audit: &AuditEntry,
    ) -> StoreResult<()> {
        self.insert_document(doc, crate::signing::WithDocument { vault, ..Default::default() }, audit).await
    }

    async fn documents(&self, code: &DossierCode) -> StoreResult<Vec<DocumentRecord>> {
        #[derive(sqlx::FromRow)]
        struct DocRow {
            id: Uuid,
            kind: String,
            name: String,
            file_name: String,
            content_type: String,
            size: i64,
            sha256: String,
            storage_key: String,
            source: String,
            created_at: DateTime<Utc>,
            created_by: String,
        }
        const SQL: &str = "SELECT f.id, f.kind, f.name, f.file_name, f.content_type, f.size, f.sha256, f.storage_key, \
            f.source, f.created_at, f.created_by FROM dossier_document f JOIN dossier d ON d.id = f.dossier_id \
            WHERE d.code = $1 ORDER BY f.created_at, f.id";
        let rows: Vec<DocRow> =
            on_db!(&self.db, |p| sqlx::query_as(SQL).bind(code.as_str()).fetch_all(p).await.map_err(map_err))?;
        rows.into_iter()
            .map(|r| {
                Ok(DocumentRecord {
                    id: r.id,
                    dossier: code.clone(),
                    kind: enum_parse(&r.kind, "document kind")?,
                    name: r.name,
                    file: motcua_domain::file::AttachedFile {
                        file_name: r.file_name,
                        content_type: r.content_type,
                        size: u64::try_from(r.size).unwrap_or(0),
                        sha256: r.sha256,
                        storage_key: r.storage_key,
                    },
                    source: DocumentSource::ALL
                        .into_iter()
                        .find(|s| s.as_str() == r.source)
                        .ok_or_else(|| StoreError::Other(format!("stored source «{}» is unknown", r.source)))?,
                    at: local(r.created_at),
                    by: r.created_by,
                })
            })
            .collect()
    }

    async fn list_dossiers(&self, q: &DossierQuery) -> StoreResult<(Vec<DossierLine>, u64)> {
        const FINISHED: &str = "('returned', 'refused', 'stopped', 'withdrawn', 'resolved')";
        // The predicate of the partial queue indexes (migration 0007), word for word.
        const OPEN: &str = "state NOT IN ('returned', 'refused', 'stopped', 'withdrawn')";
        let mut w = Where::default();
        if q.open_only {
            w.and_raw(OPEN.to_owned());
        }
        if let Some(s) = q.state {
            w.and("state = {}", Bind::Text(enum_str(&s)?));
        }
        if let Some(a) = &q.desk {
            w.and("agency_code = {}", Bind::Text(a.to_string()));
        }
        if let Some(a) = &q.handler {
            w.and("competent_agency = {}", Bind::Text(a.to_string()));
        }
        if let Some(u) = q.submitted_by {
            w.and("submitted_by = {}", Bind::Uuid(u));
        }
        if let Some(p) = &q.procedure {
            w.and("procedure_code = {}", Bind::Text(p.to_string()));
        }
        if let Some(c) = q.channel {
            w.and("channel = {}", Bind::Text(enum_str(&c)?));
        }
        // `due_current < t` written on the indexed expression (equal when due_current is set),
        // so it is a range of the queue indexes (migration 0010).
        const DUE: &str = "due_current IS NOT NULL AND COALESCE(due_current, received_at) <";
        if let Some(t) = q.due_before {
            let ph = w.bind(Bind::Instant(t.with_timezone(&Utc)));
            w.and_raw(format!("{DUE} {ph}"));
        }
        if let Some(t) = q.overdue_at {
            let ph = w.bind(Bind::Instant(t.with_timezone(&Utc)));
            w.and_raw(format!("{DUE} {ph} AND state NOT IN {FINISHED}"));
        }
        if let Some(t) = q.received_from {
            w.and("received_at >= {}", Bind::Instant(t.with_timezone(&Utc)));
        }
        if let Some(t) = q.received_before {
            w.and("received_at < {}", Bind::Instant(t.with_timezone(&Utc)));
        }
        if let Some(f) = &q.index {
            index_filter(&mut w, f);
        }
        let order = match q.sort {
            DossierSort::Due => "COALESCE(due_current, received_at), code",
            DossierSort::Received => "received_at, code",
        };
        let where_sql = w.sql();
        let count_sql = match q.count_limit {
            // Stops after limit + 1 rows of the index instead of counting the whole queue.
            Some(limit) => format!(
                "SELECT COUNT(*) FROM (SELECT 1 FROM dossier{where_sql} LIMIT {}) AS capped",
                u64::from(limit) + 1
            ),
            None => format!("SELECT COUNT(*) FROM dossier{where_sql}"),
        };
        let n = w.binds.len();
        let per_page = q.per_page.clamp(1, 200);
        let limit = w.bind(Bind::Int(i64::from(per_page)));
        let offset = w.bind(Bind::Int(i64::from(q.page.max(1) - 1) * i64::from(per_page)));
        let list_sql = format!(
            "SELECT code, agency_code, competent_agency, procedure_code, channel, applicant, state, received_at, due_current, revision \
             FROM dossier{where_sql} ORDER BY {order} LIMIT {limit} OFFSET {offset}"
        );
        #[derive(sqlx::FromRow)]
        struct LineRow {
            code: String,
            agency_code: String,
            competent_agency: String,
            procedure_code: String,
            channel: String,
            applicant: Json<serde_json::Value>,
            state: String,
            received_at: DateTime<Utc>,
            due_current: Option<DateTime<Utc>>,
            revision: i64,
        }
        let (rows, total): (Vec<LineRow>, i64) = on_db!(&self.db, |p| {
            let rows = bind_all!(sqlx::query_as(sqlx::AssertSqlSafe(list_sql)), &w.binds)
                .fetch_all(p)
                .await
                .map_err(map_err)?;
            let total = bind_all!(sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql)), &w.binds[..n])
                .fetch_one(p)
                .await
                .map_err(map_err)?;
            Ok::<_, StoreError>((rows, total))
        })?;
        let lines = rows
            .into_iter()
            .map(|r| {
                let applicant: Applicant = from_json(r.applicant.0, "applicant")?;
                Ok(DossierLine {
                    code: DossierCode::parse(&r.code).map_err(bad("dossier code"))?,
                    agency: AgencyCode::parse(&r.agency_code).map_err(bad("agency"))?,
                    competent_agency: AgencyCode::parse(&r.competent_agency).map_err(bad("agency"))?,
                    procedure: ProcedureCode::parse(&r.procedure_code).map_err(bad("procedure"))?,
                    channel: enum_parse::<Channel>(&r.channel, "channel")?,
                    applicant_name: applicant.name,
                    state: enum_parse::<State>(&r.state, "state")?,
                    received_at: local(r.received_at),
                    due_current: r.due_current.map(local),
                    revision: r.revision,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        Ok((lines, u64::try_from(total).unwrap_or(0)))
    }
}

impl SqlStore {
    /// A dossier's file, with what goes with it (its signature, its vault copy, the certified
    /// copy's register row), its audit row and the dossier's 766 facts, in one transaction.
    pub(crate) async fn insert_document(
        &self,
        doc: &DocumentRecord,
        with: crate::signing::WithDocument<'_>,
        audit: &AuditEntry,
    ) -> StoreResult<()> {
        let code = &doc.dossier;
        let component = doc.kind == DocumentKind::Component;
        let turn = self.write_turn().await;
        on_db!(turn.db, |p| {
            let mut tx = p.begin_write().await.map_err(map_err)?;
            // The facts move with the file, in its transaction.
            let sql = concat!(
                "UPDATE dossier SET component_files = component_files + $2, reused_data = (reused_data OR $3), \
                 e_result = (e_result OR $4) WHERE code = $1 RETURNING id, ",
                fields!()
            );
            let row: Option<Stored> = sqlx::query_as(sql)
                .bind(code.as_str())
                .bind(i32::from(component))
                .bind(component && doc.source.is_reuse())
                .bind(doc.kind == DocumentKind::Result)
                .fetch_optional(&mut *tx)
                .await
                .map_err(map_err)?;
            let Some(Stored { id: dossier_id, row }) = row else {
                return Err(StoreError::NotFound(format!("dossier {code}")));
            };
            let record = reshare!(tx, dossier_id, row);
            let agency = record.agency;
            sqlx::query(
                "INSERT INTO dossier_document (id, dossier_id, agency_code, kind, name, file_name, content_type, size, \
                 sha256, storage_key, source, created_at, created_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            )
            .bind(doc.id)
            .bind(dossier_id)
            .bind(agency.as_str())
            .bind(enum_str(&doc.kind)?)
            .bind(doc.name.as_str())
            .bind(doc.file.file_name.as_str())
            .bind(doc.file.content_type.as_str())
            .bind(i64::try_from(doc.file.size).unwrap_or(i64::MAX))
            .bind(doc.file.sha256.as_str())
            .bind(doc.file.storage_key.as_str())
            .bind(doc.source.as_str())
            .bind(doc.at.with_timezone(&Utc))
            .bind(doc.by.as_str())
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
            if let Some(r) = with.signed {
                crate::signing::insert_signed!(&mut *tx, r)?;
            }
            if let Some(v) = with.vault {
                crate::vault::insert_vault_item!(&mut *tx, v)?;
            }
            if let Some(c) = with.copy {
                crate::signing::insert_copy!(&mut *tx, c)?;
            }
            write_audit!(&mut *tx, audit)?;
            tx.commit().await.map_err(map_err)?;
            Ok(())
        })
    }
}
