//! The deadline watch (issue 16, item 4): a scheduled pass over the running dossiers whose next
//! alarm has come (`dossier.watch_at`), raising each alarm once — in the in-app list and by e-mail
//! to the handler and the leaders of the agency holding the dossier; escalations to the competent
//! agency's leaders and the provincial office. One server process runs each pass: the one holding
//! the job's lease row.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use motcua_domain::dossier::record::DossierRecord;
use motcua_domain::dossier::watch::{self, Alarm, Clocks, StepClock};
use motcua_domain::dossier::{CommandKind, State};
use motcua_domain::ids::AgencyCode;
use motcua_domain::notice::{Notice, NoticeChannel};
use motcua_domain::user::Role;
use motcua_storage::{AlarmQuery, AlarmRecord, WatchOutcome};
use serde::Serialize;
use uuid::Uuid;

use crate::{Actor, App, AppError, AppResult};

/// The name of the watch's lease row.
pub const WATCH_JOB: &str = "deadline_watch";
/// Dossiers read at once.
const BATCH: u32 = 500;

/// What one pass did.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct WatchReport {
    /// Dossiers looked at.
    pub looked: u32,
    /// Alarms raised (each once).
    pub raised: u32,
    /// E-mails written to the outbox.
    pub emails: u32,
}

impl App {
    /// One pass of the deadline watch, when `holder` (this process) holds the job's lease or
    /// takes it (for `lease`); `None` when another process holds it.
    pub async fn watch_deadlines(&self, holder: Uuid, lease: std::time::Duration) -> AppResult<Option<WatchReport>> {
        let now = self.now();
        let office = self.province_office().await?;
        let until = now + chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::minutes(5));
        if !self.store.take_lease(&office, WATCH_JOB, holder, now, until).await? {
            return Ok(None);
        }
        let mut report = WatchReport::default();
        let mut seen = HashSet::new();
        loop {
            let due = self.store.watch_due(now, BATCH).await?;
            let full = due.len() as u32 == BATCH;
            let mut progress = false;
            for (d, watch_at) in due {
                if !seen.insert(d.code.clone()) {
                    continue;
                }
                progress = true;
                report.looked += 1;
                let outcome = self.watch_one(&d, watch_at, &office).await?;
                let new = self.store.record_watch(&outcome, now).await?;
                report.raised += new.len() as u32;
                report.emails += outcome
                    .alarms
                    .iter()
                    .filter(|(a, _)| new.iter().any(|n| n.id == a.id))
                    .map(|(_, n)| n.len() as u32)
                    .sum::<u32>();
            }
            // A dossier changed while the pass ran is looked at again by the next pass.
            if !full || !progress {
                break;
            }
        }
        Ok(Some(report))
    }

    /// The alarms of one dossier due now, with their e-mails, and when to look again.
    async fn watch_one(&self, d: &DossierRecord, seen: DateTime<Utc>, office: &AgencyCode) -> AppResult<WatchOutcome> {
        let now = self.now();
        let mut outcome = WatchOutcome { dossier: d.code.clone(), seen, alarms: vec![], next: None };
        let w = &d.workflow;
        // The applicant's turn (a supplement) stops the agency's clocks; a new look comes with the
        // change that gives the dossier back.
        if !w.state.is_open() || w.state == State::Supplementing {
            return Ok(outcome);
        }
        let alarms = match self.schedule_of(d).await {
            Ok(a) => a,
            Err(e) => {
                // A dossier the calendar cannot place (years outside it) is looked at again
                // tomorrow rather than on every pass.
                tracing::warn!(dossier = %d.code, error = %e, "deadline watch: dossier skipped");
                outcome.next = Some(now + chrono::Duration::days(1));
                return Ok(outcome);
            }
        };
        let (fired, next) = watch::due_at(alarms, now.with_timezone(&motcua_domain::calendar::deadline::vn_offset()));
        outcome.next = next.map(|t| t.with_timezone(&Utc));
        let holder = w.agency.clone().unwrap_or_else(|| d.competent_agency.clone());
        let procedure = self.version_view(d.procedure.as_str(), Some(d.procedure_number)).await?.version.content.name;
        let link = format!("{}/ho-so/{}", self.config.public_url.trim_end_matches('/'), d.code);
        for a in fired {
            let record = AlarmRecord {
                id: Uuid::now_v7(),
                dossier: d.code.clone(),
                holder: holder.clone(),
                competent: d.competent_agency.clone(),
                handler: w.handler.clone(),
                kind: a.kind,
                step: a.step.clone(),
                due_at: a.due.with_timezone(&Utc),
                raised_at: now,
            };
            let (subject, body) = a.email_vi(d.code.as_str(), &procedure, &link);
            let notices = self
                .alarm_recipients(&a, &record, office)
                .await?
                .into_iter()
                .map(|recipient| Notice {
                    channel: NoticeChannel::Email,
                    recipient,
                    subject: subject.clone(),
                    body: body.clone(),
                })
                .collect();
            outcome.alarms.push((record, notices));
        }
        Ok(outcome)
    }

    /// Every alarm of a running dossier: its pending step on the calendar of the step's agency,
    /// the whole dossier on the competent agency's.
    async fn schedule_of(&self, d: &DossierRecord) -> AppResult<Vec<Alarm>> {
        let rules = &self.config.watch_rules;
        let cals = self.calendars().await?;
        let w = &d.workflow;
        let holder = w.agency.clone().unwrap_or_else(|| d.competent_agency.clone());
        let mut alarms = Vec::new();
        if w.state == State::InProcessing
            && let Some(p) = self.pending_step(d).await?
        {
            let cal = cals.of(Some(p.step.agency.as_ref().unwrap_or(&holder)));
            let step = StepClock { name: p.step.name.clone(), started: p.started, budget_hours: p.step.budget_hours };
            alarms.extend(watch::schedule(&Clocks { step: Some(step), ..Clocks::default() }, rules, cal)?);
        }
        if let Some(due) = w.due_current {
            let clocks = Clocks {
                step: None,
                total: Some((d.received_at, due)),
                apologised: w.due_original.is_some_and(|o| o != due),
            };
            alarms.extend(watch::schedule(&clocks, rules, cals.of(Some(&d.competent_agency)))?);
        }
        Ok(alarms)
    }

    /// The e-mail addresses an alarm goes to: the handler and the leaders of the agency holding
    /// the dossier; for an escalation, the leaders of the competent agency and the provincial
    /// office's leaders and administrators.
    async fn alarm_recipients(&self, a: &Alarm, r: &AlarmRecord, office: &AgencyCode) -> AppResult<Vec<String>> {
        let mut to = Vec::new();
        let mut add = |contacts: Vec<(motcua_domain::user::User, Option<String>)>,
                       pick: &dyn Fn(&motcua_domain::user::User) -> bool| {
            for (u, email) in contacts {
                if let Some(e) = email
                    && pick(&u)
                    && !to.contains(&e)
                {
                    to.push(e);
                }
            }
        };
        let handler = r.handler.as_deref();
        if a.kind.escalates() {
            add(self.store.contacts_of_agency(&r.competent).await?, &|u| u.role == Role::Leader);
            add(self.store.contacts_of_agency(office).await?, &|u| matches!(u.role, Role::Leader | Role::Admin));
        } else {
            let pick = |u: &motcua_domain::user::User| {
                u.role == Role::Leader || handler.is_some_and(|h| h == u.username.as_str())
            };
            add(self.store.contacts_of_agency(&r.holder).await?, &pick);
        }
        Ok(to)
    }

    /// The alarms an officer sees: those of dossiers their agency holds or is competent for
    /// (the provincial administrator: all, or only the escalated ones).
    pub async fn alarms_for(&self, actor: &Actor, escalated_only: bool, limit: u32) -> AppResult<Vec<AlarmRecord>> {
        let user = actor.user().ok_or(AppError::Unauthenticated)?;
        if !(1..=500).contains(&limit) {
            return Err(AppError::invalid("invalid_query", "limit", "Số cảnh báo từ 1 đến 500"));
        }
        let agencies = match (user.role, &user.agency) {
            (Role::Admin, _) => vec![],
            (Role::Citizen, _) | (_, None) => {
                return Err(AppError::Forbidden("Chỉ cán bộ xem được cảnh báo hạn xử lý".into()));
            }
            (_, Some(a)) => vec![a.clone()],
        };
        Ok(self.store.alarms(&AlarmQuery { agencies, escalated_only, limit }).await?)
    }
}

/// The step a dossier waits for ([`App::pending_step`]).
pub(crate) struct PendingStep {
    pub step: motcua_domain::procedure::WorkflowStep,
    pub index: u32,
    pub started: motcua_domain::calendar::deadline::Instant,
}

impl App {
    /// The step of the procedure's internal workflow the dossier waits for, with its 1-based
    /// number and the hand-off that started it (the transfer, or the previous step's end).
    pub(crate) async fn pending_step(&self, d: &DossierRecord) -> AppResult<Option<PendingStep>> {
        let version = self.version_view(d.procedure.as_str(), Some(d.procedure_number)).await?;
        let Some(w) = version.version.content.workflow.as_ref() else { return Ok(None) };
        let Some(step) = w.handling_steps().get(d.workflow.steps_done as usize) else { return Ok(None) };
        let events = self.store.dossier_events(&d.code).await?;
        let started = events
            .iter()
            .rev()
            .find(|e| matches!(e.command, CommandKind::Transfer | CommandKind::CompleteStep))
            .map(|e| e.at);
        Ok(started.map(|started| PendingStep {
            step: step.clone(),
            index: w.desk_steps() as u32 + d.workflow.steps_done + 1,
            started,
        }))
    }
}
