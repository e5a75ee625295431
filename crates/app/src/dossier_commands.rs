//! Commands on a dossier after intake: who may give each, and the transition with its event,
//! audit row and optimistic lock in one store call.

use motcua_domain::calendar::deadline::at_vi;
use motcua_domain::dossier::access::{self, Action};
use motcua_domain::dossier::event::{ShareUse, StepUse};
use motcua_domain::dossier::record::{DossierRecord, EventRecord};
use motcua_domain::dossier::steps;
use motcua_domain::dossier::{
    Command, CommandKind, DossierCode, EventDetail, Outcome, Policy, ReturnMethod, transition,
};
use motcua_domain::ids::AgencyCode;
use motcua_domain::user::{Role, User};
use serde::Deserialize;

use crate::calendar::instant;
use crate::watch::PendingStep;

/// A command ready to store ([`App::prepare_command`]).
pub(crate) struct PreparedCommand {
    pub after: DossierRecord,
    pub event: EventRecord,
    pub audit: motcua_storage::AuditEntry,
    pub notices: Vec<motcua_domain::notice::Notice>,
}

use crate::{Actor, App, AppError, AppResult};
use motcua_domain::notice::Change;

/// A command as the API and the pages give it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum CommandInput {
    /// The desk's check of a dossier filed online or by post: accepted, the appointment is
    /// counted from now.
    Accept,
    /// The desk's check: every missing or wrong item, in one go (Mẫu 02).
    RequestCompletion {
        items: Vec<String>,
    },
    /// The desk's check: refused with its reasons (Mẫu 03).
    Refuse {
        reasons: Vec<String>,
    },
    Transfer {
        agency: String,
    },
    Assign {
        handler: String,
    },
    CompleteStep {
        note: String,
    },
    Forward {
        agency: String,
    },
    CooperationAnswered {
        agency: String,
    },
    /// `agency` defaults to the agency of the officer asking.
    RequestSupplement {
        items: Vec<String>,
        agency: Option<String>,
    },
    SupplementProvided,
    /// Fees and charges to pay: the procedure's fee list less the fees at the `exempt`
    /// positions (0-based), or, when the list gives no amount, `amount_vnd` set by the officer
    /// (đồng, at most 10^12).
    RequestPayment {
        #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1_000_000_000_000u64))]
        #[serde(default)]
        amount_vnd: Option<u64>,
        #[serde(default)]
        exempt: Vec<u32>,
    },
    /// `online`: paid through an online payment (Decision 766 group 4).
    PaymentReceived {
        #[serde(default)]
        online: bool,
    },
    /// `new_due` in RFC 3339.
    Apologise {
        new_due: String,
        reason: String,
    },
    Resolve {
        outcome: Outcome,
    },
    Return {
        collected_by: String,
        method: ReturnMethod,
    },
    RequestWithdrawal,
    Stop {
        reason: String,
    },
}

/// A command with the revision the client read.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Deserialize)]
pub struct CommandRequest {
    pub revision: i64,
    #[serde(flatten)]
    pub input: CommandInput,
}

/// The listed items or reasons, cleaned (`text::clean_line`); at least one, each at most
/// [`MAX_ITEM`] characters, at most [`MAX_ITEMS`] of them.
fn non_empty(items: Vec<String>, field: &str) -> AppResult<Vec<String>> {
    let items: Vec<String> = items.iter().filter_map(|i| motcua_domain::text::clean_line(i)).collect();
    if items.is_empty() {
        return Err(AppError::invalid("required", field, "Cần nêu ít nhất một nội dung"));
    }
    if items.len() > MAX_ITEMS || items.iter().any(|i| i.chars().count() > MAX_ITEM) {
        return Err(AppError::invalid(
            "too_long",
            field,
            format!("Tối đa {MAX_ITEMS} nội dung, mỗi nội dung không quá {MAX_ITEM} ký tự"),
        ));
    }
    Ok(items)
}

/// The largest amount a payment request may ask (đồng).
pub const MAX_AMOUNT_VND: u64 = 1_000_000_000_000;

/// Longest item of a supplement request, a refusal reason, a note (characters).
pub const MAX_ITEM: usize = 1000;
const MAX_ITEMS: usize = 50;

/// A free text of a command (a note, a reason, who collected the result): cleaned, capped.
fn text(s: &str, field: &str) -> AppResult<String> {
    Ok(motcua_domain::text::optional_line(Some(s), field, MAX_ITEM, "Nội dung")?.unwrap_or_default())
}

fn agency(s: &str, field: &str) -> AppResult<AgencyCode> {
    AgencyCode::parse(s).map_err(|e| AppError::Invalid(e.under(field)))
}

/// Which agency a command may name.
enum Named {
    /// Where the dossier goes (transfer, forward): an agency of today's map that handles
    /// dossiers (not a desk or a service centre).
    Destination,
    /// The agency the command acts for (a cooperating answer, a supplement request): the
    /// caller's own agency, unless the caller is the provincial admin or the operator.
    Acting,
}
impl App {
    /// Check an agency named in a command (issue 12: a body naming another agency let an officer
    /// answer for it, and dossiers were sent to agencies that do not exist or ended in 2025).
    async fn named_agency(
        &self,
        actor: &Actor,
        d: &DossierRecord,
        what: &str,
        code: &str,
        role: Named,
    ) -> AppResult<AgencyCode> {
        let a = agency(code, "agency")?;
        match role {
            Named::Acting => {
                let own = actor.user().filter(|u| u.role != Role::Admin).map(|u| u.agency.clone());
                if let Some(own) = own
                    && own.as_ref() != Some(&a)
                {
                    let message = format!("Chỉ được thực hiện «{what}» cho cơ quan của mình, không cho cơ quan {a}");
                    return Err(self.deny(actor, d.code.as_str(), what, message).await);
                }
            }
            Named::Destination => {
                let found = self.agency(&a).await?;
                let today = self.today();
                let Some(found) = found else {
                    return Err(AppError::invalid("unknown_agency", "agency", format!("Không có cơ quan mã {a}")));
                };
                if !found.validity.contains(today) {
                    return Err(AppError::invalid(
                        "agency_not_in_force",
                        "agency",
                        format!(
                            "Cơ quan {} ({a}) không còn hoạt động (từ {})",
                            found.name,
                            found.validity.valid_to.map_or_else(String::new, |d| d.format("%d/%m/%Y").to_string())
                        ),
                    ));
                }
                if found.kind.receives_dossiers() {
                    return Err(AppError::invalid(
                        "agency_cannot_handle",
                        "agency",
                        format!("{} là nơi tiếp nhận, không giải quyết hồ sơ", found.name),
                    ));
                }
            }
        }
        Ok(a)
    }

    /// The officer a dossier is assigned to: an account of the agency holding it, specialist or
    /// leader.
    async fn assignee(&self, d: &DossierRecord, handler: &str) -> AppResult<String> {
        let holder = d.workflow.agency.as_ref().unwrap_or(&d.competent_agency);
        let refuse = || {
            AppError::invalid(
                "unknown_officer",
                "handler",
                format!("Không có chuyên viên hoặc lãnh đạo «{}» của cơ quan {holder}", handler.trim()),
            )
        };
        let username = motcua_domain::ids::Username::parse(handler.trim()).map_err(|_| refuse())?;
        let staff = self.officers_of(&Actor::System, holder).await?;
        staff.into_iter().find(|u| u.username == username).map(|u| u.username.to_string()).ok_or_else(refuse)
    }

    pub(crate) async fn deny(&self, actor: &Actor, code: &str, what: &str, message: String) -> AppError {
        let audit = actor.audit(self.now(), "access.denied", "dossier", code, serde_json::json!({ "action": what }));
        if let Err(e) = self.store.record_audit(&audit).await {
            tracing::error!(error = %e, "could not audit a refused access");
        }
        AppError::Forbidden(message)
    }

    /// Refuse and audit unless the access rule lets `actor` take `action` on `d` (as far as
    /// sides go; the state is checked by the transition or the use case, with its own error).
    pub(crate) async fn check_may(
        &self,
        actor: &Actor,
        d: &DossierRecord,
        action: Action,
        what: &str,
    ) -> AppResult<()> {
        let user: &User = match actor {
            Actor::Cli | Actor::System => return Ok(()),
            Actor::Anonymous { .. } => return Err(AppError::Unauthenticated),
            Actor::User { user, .. } => user,
        };
        if access::may(actor.who(), d, action) {
            return Ok(());
        }
        let Some(own) = user.agency.as_ref() else {
            return Err(self
                .deny(actor, d.code.as_str(), what, "Tài khoản không thuộc cơ quan xử lý hồ sơ này".into())
                .await);
        };
        let message =
            format!("Vai trò {} của cơ quan {own} không được thực hiện «{what}» với hồ sơ này", user.role.label_vi());
        Err(self.deny(actor, d.code.as_str(), what, message).await)
    }

    /// Apply a command to a dossier (one transaction: state, event, audit).
    pub async fn command(&self, actor: &Actor, code: &str, req: CommandRequest) -> AppResult<DossierRecord> {
        let code = DossierCode::parse(code)?;
        let d = self.store.dossier(&code).await?.ok_or_else(|| AppError::NotFound(format!("hồ sơ {code}")))?;
        let kind = req.input.kind();
        let name = kind.as_str();
        self.check_may(actor, &d, Action::Command(kind), name).await?;
        if d.revision != req.revision {
            return Err(AppError::Stale);
        }
        let p = self.prepare_command(actor, d, req.input).await?;
        let revision = self
            .store
            .update_dossier(&p.after.code, req.revision, &p.after.workflow, &p.event, &p.audit, &p.notices)
            .await?;
        Ok(DossierRecord { revision, ..p.after })
    }

    /// What a command makes of dossier `d` (access already checked): the dossier after it, its
    /// event, audit row and notices (the applicant's, the portal's push), for the store to write
    /// in one transaction.
    pub(crate) async fn prepare_command(
        &self,
        actor: &Actor,
        d: DossierRecord,
        input: CommandInput,
    ) -> AppResult<PreparedCommand> {
        let code = d.code.clone();
        let name = input.kind().as_str();
        let now = self.now().with_timezone(&motcua_domain::calendar::deadline::vn_offset());
        let cmd = self.to_command(actor, &d, input, now).await?;
        let step_warning = self.check_steps(actor, &d, &cmd).await?;
        let (next, events) = transition(&d.workflow, &cmd, now, &Policy::default())
            .map_err(|e| AppError::NotAllowed { code: e.code(), message: e.to_string() })?;
        let (step, share) = self.budget_used(&d, &cmd, now).await?;
        let ev = events.into_iter().next().ok_or_else(|| AppError::Internal("transition without event".into()))?;
        let acting_agency = actor.user().and_then(|u| u.agency.clone()).unwrap_or_else(|| d.agency.clone());
        let warnings = ev.warnings.iter().chain(&step_warning).map(|w| (*w).to_owned()).collect();
        let record = EventRecord {
            at: now,
            actor: actor.name(),
            agency: acting_agency,
            command: ev.command,
            from: Some(ev.from),
            to: ev.to,
            detail: EventDetail::Command {
                command: cmd.clone(),
                warnings,
                step: step.map(Box::new),
                share: share.map(Box::new),
            },
        };
        let audit = actor.audit(
            self.now(),
            &format!("dossier.{name}"),
            "dossier",
            code.as_str(),
            serde_json::json!({ "from": ev.from, "to": ev.to }),
        );
        let change = Change {
            command: Some(&cmd),
            from: Some(ev.from),
            to: ev.to,
            workflow: &next,
            at: now,
            received_at: d.received_at,
        };
        let holder = next.agency.as_ref().unwrap_or(&d.competent_agency);
        let mut notices = if self.wants_notices(&d.applicant, &change) {
            let version = self.version_view(d.procedure.as_str(), Some(d.procedure_number)).await?;
            let ctx = self.notice_context(actor, &version.version.content.name, &d.agency, holder).await?;
            self.compose_notices(Some(&ctx), &code, &d.applicant, &change)
        } else {
            vec![]
        };
        let before = d.workflow.clone();
        let after = DossierRecord { workflow: next, ..d };
        notices.extend(self.portal_update(&before, &after).await?);
        Ok(PreparedCommand { after, event: record, audit, notices })
    }

    /// The domain command of a request: texts checked, agencies and officers looked up, the
    /// appointment or the new appointment computed on the working calendar.
    async fn to_command(
        &self,
        actor: &Actor,
        d: &DossierRecord,
        input: CommandInput,
        now: motcua_domain::calendar::deadline::Instant,
    ) -> AppResult<Command> {
        let name = input.kind().as_str();
        let own_agency = actor.user().and_then(|u| u.agency.clone());
        Ok(match input {
            CommandInput::Accept => {
                let version = self.version_view(d.procedure.as_str(), Some(d.procedure_number)).await?;
                let (due, _, _) = self.appointment(&d.competent_agency, &version.version.content, now).await?;
                Command::Accept { due }
            }
            CommandInput::RequestCompletion { items } => {
                Command::RequestCompletion { items: non_empty(items, "items")? }
            }
            CommandInput::Refuse { reasons } => Command::Refuse { reasons: non_empty(reasons, "reasons")? },
            CommandInput::Transfer { agency: a } => {
                Command::Transfer { agency: self.named_agency(actor, d, name, &a, Named::Destination).await? }
            }
            CommandInput::Assign { handler } => Command::Assign { handler: self.assignee(d, &handler).await? },
            CommandInput::CompleteStep { note } => Command::CompleteStep { note: text(&note, "note")? },
            CommandInput::Forward { agency: a } => {
                Command::Forward { agency: self.named_agency(actor, d, name, &a, Named::Destination).await? }
            }
            CommandInput::CooperationAnswered { agency: a } => {
                Command::CooperationAnswered { agency: self.named_agency(actor, d, name, &a, Named::Acting).await? }
            }
            CommandInput::RequestSupplement { items, agency: a } => {
                let agency = match (a, own_agency) {
                    (Some(a), _) => self.named_agency(actor, d, name, &a, Named::Acting).await?,
                    (None, Some(own)) => own,
                    (None, None) => d.workflow.agency.clone().unwrap_or_else(|| d.competent_agency.clone()),
                };
                Command::RequestSupplement { agency, items: non_empty(items, "items")? }
            }
            CommandInput::SupplementProvided => Command::SupplementProvided,
            CommandInput::RequestPayment { amount_vnd, exempt } => self.payment_request(d, amount_vnd, &exempt).await?,
            CommandInput::PaymentReceived { online } => Command::PaymentReceived { online },
            CommandInput::Apologise { new_due, reason } => {
                let due = d.workflow.due_current.ok_or_else(|| AppError::NotAllowed {
                    code: "no_appointment",
                    message: "Hồ sơ chưa có ngày hẹn".into(),
                })?;
                let cals = self.calendars().await?;
                let cal = cals.of(Some(&d.competent_agency));
                let notice_deadline = cal.end_of_working_day_before(due, 1)?;
                let new_due = instant(&new_due, "new_due")?;
                // A new appointment is a time the applicant can come: office hours of a working day.
                if !cal.in_office_hours(new_due)? {
                    let next = cal.next_office_time(new_due)?;
                    let why = match cal.reason(new_due.date_naive())? {
                        Some(r) => format!("ngày nghỉ ({r})"),
                        None => "ngoài giờ làm việc".to_owned(),
                    };
                    return Err(AppError::invalid(
                        "not_working_time",
                        "new_due",
                        format!(
                            "Ngày hẹn mới {} rơi vào {why}; hãy chọn giờ làm việc, sớm nhất là {}",
                            at_vi(new_due),
                            at_vi(next)
                        ),
                    ));
                }
                Command::Apologise { new_due, reason: text(&reason, "reason")?, notice_deadline }
            }
            CommandInput::Resolve { outcome } => Command::Resolve { outcome },
            CommandInput::Return { collected_by, method } => {
                Command::Return { collected_by: text(&collected_by, "collected_by")?, method }
            }
            CommandInput::RequestWithdrawal => Command::RequestWithdrawal,
            CommandInput::Stop { reason } => Command::Stop { reason: text(&reason, "reason")? },
        })
    }
}

impl App {
    /// The rules of the internal workflow: a step is completed by the person it belongs to (a
    /// leader taking it over is recorded: the warning returned), and a dossier is resolved only
    /// when its last step is done and, where its result is a paper document, with the electronic
    /// result attached.
    async fn check_steps(&self, actor: &Actor, d: &DossierRecord, cmd: &Command) -> AppResult<Option<&'static str>> {
        if !matches!(cmd, Command::CompleteStep { .. } | Command::Resolve { .. }) {
            return Ok(None);
        }
        let version = self.version_view(d.procedure.as_str(), Some(d.procedure_number)).await?;
        let content = &version.version.content;
        let pending = content.workflow.as_ref().and_then(|w| w.handling_steps().get(d.workflow.steps_done as usize));
        if let Command::Resolve { .. } = cmd {
            if let Some(step) = pending {
                return Err(AppError::NotAllowed {
                    code: "steps_pending",
                    message: format!(
                        "Còn bước «{}» ({}) chưa hoàn thành; hồ sơ được ghi đã xử lý xong sau bước cuối",
                        step.name,
                        step.role.label_vi()
                    ),
                });
            }
            if content.results.iter().any(|r| r.paper == Some(true)) && !d.facts.e_result {
                return Err(AppError::NotAllowed {
                    code: "result_file_required",
                    message: "Kết quả là giấy tờ: cần đính kèm kết quả điện tử trước khi ghi đã xử lý xong".into(),
                });
            }
            return Ok(None);
        }
        let (Some(step), Some(user)) = (pending, actor.user()) else {
            return match (content.workflow.as_ref(), pending) {
                (Some(_), None) => Err(AppError::NotAllowed {
                    code: "no_step_pending",
                    message: "Các bước của quy trình nội bộ đã hoàn thành".into(),
                }),
                _ => Ok(None),
            };
        };
        let holder = d.workflow.agency.as_ref().unwrap_or(&d.competent_agency);
        match steps::turn(step, user, holder, d.workflow.handler.as_deref()) {
            steps::Turn::Own => Ok(None),
            steps::Turn::TakeOver => Ok(Some(steps::TAKEN_OVER)),
            steps::Turn::NotYours => {
                let message = format!(
                    "Bước «{}» là của {}; chỉ người đó (hoặc lãnh đạo làm thay) hoàn thành bước này",
                    step.name,
                    steps::waiting_for_vi(step, d.workflow.handler.as_deref())
                );
                Err(self.deny(actor, d.code.as_str(), "complete_step", message).await)
            }
        }
    }

    /// What the processing control sheet records of the time budgets a command closes or opens:
    /// a completed step of the procedure's internal workflow against its budget in working hours
    /// (from the hand-off that started it), a forward to a cooperating agency with its share of
    /// the dossier's working time, and that agency's answer against its share.
    async fn budget_used(
        &self,
        d: &DossierRecord,
        cmd: &Command,
        now: motcua_domain::calendar::deadline::Instant,
    ) -> AppResult<(Option<StepUse>, Option<ShareUse>)> {
        use motcua_domain::calendar::deadline::split_minutes;
        let hours = |m: i64| (m as f64 / 60.0 * 100.0).round() / 100.0;
        if !matches!(cmd, Command::CompleteStep { .. } | Command::Forward { .. } | Command::CooperationAnswered { .. })
        {
            return Ok((None, None));
        }
        let cals = self.calendars().await?;
        let holder = d.workflow.agency.clone().unwrap_or_else(|| d.competent_agency.clone());
        match cmd {
            Command::CompleteStep { .. } => {
                let Some(PendingStep { step, index, started }) = self.pending_step(d).await? else {
                    return Ok((None, None));
                };
                let cal = cals.of(Some(step.agency.as_ref().unwrap_or(&holder)));
                let budget = (step.budget_hours * 60.0).round() as i64;
                let used = cal.working_minutes_between(started, now)?;
                let due = cal.add_working_minutes(started, budget)?;
                let step = StepUse {
                    index,
                    name: step.name.clone(),
                    role: step.role,
                    budget_hours: step.budget_hours,
                    used_hours: hours(used),
                    started,
                    due,
                    within_budget: used <= budget,
                };
                Ok((Some(step), None))
            }
            Command::Forward { agency } => {
                let version = self.version_view(d.procedure.as_str(), Some(d.procedure_number)).await?;
                let Some(inter) = version.version.content.workflow.as_ref().and_then(|w| w.inter_agency.as_ref())
                else {
                    return Ok((None, None));
                };
                let Some(i) = inter.cooperating.iter().position(|c| &c.agency == agency) else {
                    return Ok((None, None));
                };
                let (Some(due_original), cal) = (d.workflow.due_original, cals.of(Some(&d.competent_agency))) else {
                    return Ok((None, None));
                };
                let total = cal.working_minutes_between(d.received_at, due_original)?;
                let shares: Vec<f64> = inter.cooperating.iter().map(|c| c.share_percent).collect();
                let minutes = split_minutes(total, &shares)[i + 1];
                let due = cals.of(Some(agency)).add_working_minutes(now, minutes)?;
                let share = ShareUse {
                    agency: agency.clone(),
                    share_percent: Some(inter.cooperating[i].share_percent),
                    budget_hours: Some(hours(minutes)),
                    used_hours: None,
                    due: Some(due),
                    within_budget: None,
                };
                Ok((None, Some(share)))
            }
            Command::CooperationAnswered { agency } => {
                let events = self.store.dossier_events(&d.code).await?;
                let Some(forward) = events
                    .iter()
                    .rev()
                    .find(|e| matches!(e.detail.command(), Some(Command::Forward { agency: a }) if a == agency))
                else {
                    return Ok((None, None));
                };
                let used = cals.of(Some(agency)).working_minutes_between(forward.at, now)?;
                let opened = forward.detail.share();
                let due = opened.and_then(|s| s.due);
                let share = ShareUse {
                    agency: agency.clone(),
                    share_percent: None,
                    budget_hours: opened.and_then(|s| s.budget_hours),
                    used_hours: Some(hours(used)),
                    due,
                    within_budget: due.map(|due| now <= due),
                };
                Ok((None, Some(share)))
            }
            _ => Ok((None, None)),
        }
    }
}

impl CommandInput {
    /// The command's kind, before it is converted (the access rule needs it first).
    pub fn kind(&self) -> CommandKind {
        use CommandInput::*;
        match self {
            Accept => CommandKind::Accept,
            RequestCompletion { .. } => CommandKind::RequestCompletion,
            Refuse { .. } => CommandKind::Refuse,
            Transfer { .. } => CommandKind::Transfer,
            Assign { .. } => CommandKind::Assign,
            CompleteStep { .. } => CommandKind::CompleteStep,
            Forward { .. } => CommandKind::Forward,
            CooperationAnswered { .. } => CommandKind::CooperationAnswered,
            RequestSupplement { .. } => CommandKind::RequestSupplement,
            SupplementProvided => CommandKind::SupplementProvided,
            RequestPayment { .. } => CommandKind::RequestPayment,
            PaymentReceived { .. } => CommandKind::PaymentReceived,
            Apologise { .. } => CommandKind::Apologise,
            Resolve { .. } => CommandKind::Resolve,
            Return { .. } => CommandKind::Return,
            RequestWithdrawal => CommandKind::RequestWithdrawal,
            Stop { .. } => CommandKind::Stop,
        }
    }
}
