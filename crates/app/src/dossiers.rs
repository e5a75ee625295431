//! Dossier use cases: intake at the desk and online, reading a dossier, its event log and
//! notices, work queues and the tracking book, public tracking. Commands are in
//! `dossier_commands`, the dossier page in `dossier_page`, files in `documents`, forms in `forms`.

use motcua_domain::calendar::deadline::Limit;
use motcua_domain::dossier::record::{Applicant, ApplicantId, DossierRecord, EventRecord, FormSet, NewDossier};
use motcua_domain::dossier::{Command, CommandKind, Dossier, DossierCode, EventDetail, Policy, State, transition};
use motcua_domain::ids::{AgencyCode, ProcedureCode};
use motcua_domain::person::{CitizenId, Phone, TaxCode};
use motcua_domain::procedure::{Channel, TimeUnit, VersionContent};
use motcua_domain::text::{optional_line, required_line};
use motcua_domain::user::Role;
use serde::{Deserialize, Serialize};

use crate::calendar::DueQuestion;
use crate::{Actor, App, AppError, AppResult};
use motcua_domain::notice::Change;

/// The applicant as a form or an API client gives it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Deserialize)]
pub struct ApplicantInput {
    /// `citizen` (12-digit personal identification number) or `organisation` (tax code).
    pub kind: String,
    pub id: String,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
}

pub use motcua_domain::dossier::access::{may_read, may_read_internal};

/// Longest name, address or e-mail address accepted (characters).
pub const MAX_LINE: usize = 200;

/// An optional e-mail address: one line with an `@`.
pub(crate) fn email_address(text: Option<&str>, field: &str) -> AppResult<Option<String>> {
    let email = optional_line(text, field, MAX_LINE, "Địa chỉ thư điện tử")?;
    if email.as_deref().is_some_and(|e| !e.contains('@')) {
        return Err(AppError::invalid("invalid_email", field, "Địa chỉ thư điện tử không hợp lệ"));
    }
    Ok(email)
}

impl ApplicantInput {
    /// The applicant, checked: identification number of its kind, name, phone, e-mail, address.
    pub(crate) fn parse(&self, current_year: i32) -> AppResult<Applicant> {
        let under = |e: motcua_domain::FieldError| AppError::Invalid(e.under("applicant"));
        let id = match self.kind.as_str() {
            "citizen" => ApplicantId::Citizen { citizen_id: CitizenId::parse(&self.id, current_year).map_err(under)? },
            "organisation" => ApplicantId::Organisation { tax_code: TaxCode::parse(&self.id).map_err(under)? },
            other => {
                return Err(AppError::invalid(
                    "invalid_applicant_kind",
                    "applicant.kind",
                    format!("Loại người nộp «{other}» phải là citizen hoặc organisation"),
                ));
            }
        };
        let name = required_line(&self.name, "applicant.name", MAX_LINE, "họ tên người nộp hoặc tên tổ chức")?;
        let phone =
            self.phone.as_deref().filter(|p| !p.trim().is_empty()).map(Phone::parse).transpose().map_err(under)?;
        let email = email_address(self.email.as_deref(), "applicant.email")?;
        let address = optional_line(self.address.as_deref(), "applicant.address", MAX_LINE, "Địa chỉ")?;
        Ok(Applicant { id, name, phone, email, address })
    }
}

/// A dossier received at a desk and accepted.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Deserialize)]
pub struct IntakeInput {
    pub procedure: String,
    pub channel: Channel,
    pub applicant: ApplicantInput,
    /// Receiving desk (agency identifier); a desk officer's own desk when omitted.
    pub desk: Option<String>,
    /// Competent agency; the first implementing agency of the procedure when omitted.
    pub competent_agency: Option<String>,
    /// The desk took the applicant from the population database: the dossier is marked as
    /// using population data when the database confirms the number and name (a failed or slow
    /// lookup never blocks the intake).
    #[serde(default)]
    pub population: bool,
    /// The declaration form's answers as typed, by field key, when the procedure has an
    /// e-form: required online, checked when given at the counter (where the paper form may
    /// be received instead).
    #[serde(default)]
    pub answers: motcua_domain::procedure::eform::RawAnswers,
    /// Components taken from the applicant's own document vault (online, by the holder):
    /// the component's position in the procedure's list and the vault document.
    #[serde(default)]
    pub vault: Vec<crate::vault::VaultReuse>,
}

/// What the public lookup shows: status and appointment only.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct TrackView {
    pub code: String,
    pub status: &'static str,
    pub national_status: u8,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub appointment: Option<motcua_domain::calendar::deadline::Instant>,
}

fn limit_of(unit: TimeUnit, value: f64) -> AppResult<Limit> {
    let n = value.round() as u32;
    match unit {
        TimeUnit::WorkingDays if value.fract() == 0.0 => Ok(Limit::WorkingDays(n)),
        TimeUnit::WorkingDays => Ok(Limit::WorkingHours((value * 8.0).round() as u32)),
        TimeUnit::WorkingHours => Ok(Limit::WorkingHours(n)),
        TimeUnit::Days => Ok(Limit::Days(n)),
        TimeUnit::Months | TimeUnit::Unspecified => Err(AppError::NotAllowed {
            code: "time_limit_unusable",
            message: "Thời hạn của thủ tục chưa có đơn vị ngày làm việc, giờ hoặc ngày; quản trị viên cần xác định trước khi tiếp nhận".into(),
        }),
    }
}

impl App {
    /// The desk whose officer acts, checked against the actor.
    fn desk_of(&self, actor: &Actor, desk: Option<&str>) -> AppResult<AgencyCode> {
        let given = desk.map(AgencyCode::parse).transpose()?;
        match actor {
            Actor::User { user, .. } if user.role == Role::DeskOfficer => {
                let own = user
                    .agency
                    .clone()
                    .ok_or_else(|| AppError::Forbidden("Tài khoản chưa gắn với bộ phận một cửa".into()))?;
                match given {
                    Some(g) if g != own => {
                        Err(AppError::Forbidden("Công chức một cửa chỉ tiếp nhận tại bộ phận của mình".into()))
                    }
                    _ => Ok(own),
                }
            }
            Actor::User { user, .. } if user.role == Role::Admin => {
                given.ok_or_else(|| AppError::invalid("required", "desk", "Cần mã bộ phận tiếp nhận"))
            }
            Actor::Cli | Actor::System => {
                given.ok_or_else(|| AppError::invalid("required", "desk", "Cần mã bộ phận tiếp nhận"))
            }
            Actor::Anonymous { .. } => Err(AppError::Unauthenticated),
            Actor::User { .. } => Err(AppError::Forbidden("Chỉ công chức bộ phận một cửa tiếp nhận hồ sơ".into())),
        }
    }

    /// Receive a dossier. At the counter the desk officer checks it on the spot and it is
    /// accepted: bound to the procedure version in force, given its code and the appointment
    /// computed with the competent agency's working calendar. Filed online (by the citizen's
    /// account, or registered by the desk) or by post, it is stored as submitted (national
    /// status one) with its code — the code the portal gives on submission — and waits for the
    /// desk's check: `accept`, `request_completion` (Mẫu 02) or `refuse` (Mẫu 03).
    pub async fn intake(&self, actor: &Actor, input: IntakeInput) -> AppResult<DossierRecord> {
        let citizen = actor.user().filter(|u| u.role == Role::Citizen);
        let desk = match citizen {
            Some(_) => {
                if input.channel != Channel::Online {
                    return Err(AppError::invalid(
                        "channel_not_allowed",
                        "channel",
                        "Công dân tự nộp hồ sơ qua kênh trực tuyến (online)",
                    ));
                }
                let d = input.desk.as_deref().ok_or_else(|| {
                    AppError::invalid("required", "desk", "Cần chọn bộ phận một cửa nhận hồ sơ trực tuyến")
                })?;
                AgencyCode::parse(d).map_err(|e| AppError::Invalid(e.under("desk")))?
            }
            None => self.desk_of(actor, input.desk.as_deref())?,
        };
        let now = self.now().with_timezone(&motcua_domain::calendar::deadline::vn_offset());
        let today = self.today();
        let desk_agency =
            self.agency(&desk).await?.filter(|a| a.validity.contains(today) && a.kind.receives_dossiers());
        let Some(desk_agency) = desk_agency else {
            return Err(AppError::invalid("unknown_agency", "desk", format!("Không có bộ phận tiếp nhận mã {desk}")));
        };
        let (code, version) = self.version_to_receive(&input, today).await?;
        let competent = Self::competent_of(&input, &version.content, &code, desk_agency.parent.as_ref())?;
        let applicant = input.applicant.parse(chrono::Datelike::year(&today))?;
        let reused = self.check_reuse(actor, &applicant, &version.content, &input.vault, today).await?;
        let declaration = Self::declaration_at_intake(&version.content, &code, &input, today)?;
        let (workflow, ev, calendar_stamp) = if input.channel == Channel::Counter {
            let (due, stamp, limit) = self.appointment(&competent, &version.content, now).await?;
            let (workflow, events) =
                transition(&Dossier::submitted(), &Command::Accept { due }, now, &Policy::default())
                    .map_err(|e| AppError::NotAllowed { code: e.code(), message: e.to_string() })?;
            let ev = EventRecord {
                at: now,
                actor: actor.name(),
                agency: desk.clone(),
                command: CommandKind::Accept,
                from: events.first().map(|e| e.from),
                to: State::Accepted,
                detail: EventDetail::Intake {
                    procedure_version: version.number,
                    channel: input.channel,
                    limit: Some(limit),
                    calendar: Some(stamp.clone()),
                },
            };
            (workflow, ev, stamp)
        } else {
            let stamp = self.calendars().await?.stamp.clone();
            let ev = EventRecord {
                at: now,
                actor: actor.name(),
                agency: desk.clone(),
                command: CommandKind::Submit,
                from: None,
                to: State::Submitted,
                detail: EventDetail::Intake {
                    procedure_version: version.number,
                    channel: input.channel,
                    limit: None,
                    calendar: None,
                },
            };
            (Dossier::submitted(), ev, stamp)
        };
        let population_data = match (input.population, &applicant.id) {
            (true, ApplicantId::Citizen { citizen_id }) => {
                self.confirmed_resident(citizen_id.as_str(), &applicant.name).await
            }
            _ => false,
        };
        let new = NewDossier {
            agency: desk,
            competent_agency: competent,
            procedure: code,
            procedure_number: version.number,
            channel: input.channel,
            applicant,
            workflow,
            received_at: now,
            calendar_stamp,
            form_set: if today >= self.config.forms_tt03_from { FormSet::Tt03_2025 } else { FormSet::Tt01_2018 },
            submitted_by: citizen.map(|u| u.id),
            traits: version.content.index_traits(),
            population_data,
            vneid: citizen.is_some_and(|u| u.signed_in_with == motcua_domain::user::SignIn::NationalId),
            declaration,
        };
        let audit = actor.audit(
            self.now(),
            "dossier.intake",
            "dossier",
            "",
            serde_json::json!({ "procedure": new.procedure, "channel": new.channel }),
        );
        let change =
            Change { command: None, from: ev.from, to: ev.to, workflow: &new.workflow, at: now, received_at: now };
        let ctx = match self.wants_notices(&new.applicant, &change) {
            true => Some(self.notice_context(actor, &version.content.name, &new.agency, &new.competent_agency).await?),
            false => None,
        };
        let notices = self.intake_notices(ctx, &new.applicant, &change);
        let notices = self.with_portal_intake(notices, &new, &version.content);
        let dossier = self.store.create_dossier(&new, &ev, &audit, notices).await?;
        self.attach_reused(actor, &dossier, reused).await?;
        self.drop_filed_draft(actor, &dossier.procedure).await;
        Ok(dossier)
    }

    /// The agency that decides the dossier: the one the desk names (it must decide the
    /// procedure), else the desk's own committee when it decides it (a commune's desk receives
    /// for its commune), else the first of the procedure's agencies in the province.
    fn competent_of(
        input: &IntakeInput,
        content: &VersionContent,
        code: &ProcedureCode,
        desk_parent: Option<&AgencyCode>,
    ) -> AppResult<AgencyCode> {
        let own = desk_parent.filter(|p| content.agencies.contains(p)).cloned();
        let competent = match (input.competent_agency.as_deref(), own) {
            (Some(a), _) => AgencyCode::parse(a).map_err(|e| AppError::Invalid(e.under("competent_agency")))?,
            (None, Some(own)) => own,
            (None, None) => content.agencies.first().cloned().ok_or_else(|| {
                AppError::invalid(
                    "required",
                    "competent_agency",
                    "Thủ tục chưa có cơ quan giải quyết trong tỉnh; cần chỉ định",
                )
            })?,
        };
        if !content.agencies.is_empty() && !content.agencies.contains(&competent) {
            return Err(AppError::invalid(
                "unknown_agency",
                "competent_agency",
                format!("Cơ quan {competent} không giải quyết thủ tục {code}"),
            ));
        }
        Ok(competent)
    }

    /// The procedure version in force `today` that a dossier of `input` is received under; an
    /// online filing only for a procedure that accepts one.
    async fn version_to_receive(
        &self,
        input: &IntakeInput,
        today: chrono::NaiveDate,
    ) -> AppResult<(ProcedureCode, motcua_domain::procedure::ProcedureVersion)> {
        let code = ProcedureCode::parse(&input.procedure).map_err(|e| AppError::Invalid(e.under("procedure")))?;
        let stored = self.stored_procedure(&code).await?.ok_or_else(|| {
            AppError::invalid("unknown_procedure", "procedure", format!("Không có thủ tục mã {code} trong danh mục"))
        })?;
        let version = stored.procedure.version_on(today).cloned().ok_or_else(|| {
            AppError::invalid(
                "unknown_procedure",
                "procedure",
                format!("Thủ tục {code} không có hiệu lực ngày {}", today.format("%d/%m/%Y")),
            )
        })?;
        if input.channel == Channel::Online && !version.content.accepts_online() {
            return Err(AppError::invalid(
                "online_not_offered",
                "procedure",
                format!("Thủ tục {code} không nhận hồ sơ trực tuyến; hãy nộp tại bộ phận một cửa hoặc qua bưu chính"),
            ));
        }
        Ok((code, version))
    }

    /// The appointment of a dossier accepted `now`: the procedure's time limit counted on the
    /// competent agency's working calendar. Returns the due instant, the calendar's stamp and
    /// the limit used.
    pub(crate) async fn appointment(
        &self,
        competent: &AgencyCode,
        content: &VersionContent,
        now: motcua_domain::calendar::deadline::Instant,
    ) -> AppResult<(motcua_domain::calendar::deadline::Instant, String, Limit)> {
        let tl = content.time_limit.clone().ok_or_else(|| AppError::NotAllowed {
            code: "time_limit_unusable",
            message: "Thủ tục chưa có thời hạn giải quyết".into(),
        })?;
        let limit = limit_of(tl.unit, tl.value)?;
        let due = self
            .due(&DueQuestion { agency: Some(competent.clone()), received: now, limit, pauses: vec![], explain: false })
            .await?;
        Ok((due.due.due, due.calendar, limit))
    }

    /// A dossier, for staff of the agencies it involves and the provincial admin.
    pub async fn dossier(&self, actor: &Actor, code: &str) -> AppResult<DossierRecord> {
        if let Actor::Anonymous { .. } = actor {
            // Before anything is read: an anonymous caller learns nothing, not even whether the
            // code exists (the public lookup, which needs the phone digits, is for that).
            return Err(AppError::Unauthenticated);
        }
        let code = DossierCode::parse(code)?;
        let d = self.store.dossier(&code).await?.ok_or_else(|| AppError::NotFound(format!("hồ sơ {code}")))?;
        match actor {
            Actor::Cli | Actor::System => {}
            Actor::User { user, .. } if may_read(user, &d) => {}
            Actor::User { user, .. } => {
                let message = match user.is_staff() {
                    true => "Hồ sơ không thuộc cơ quan của bạn",
                    false => "Hồ sơ không do tài khoản của bạn nộp; tra cứu bằng mã hồ sơ và số điện thoại",
                };
                return Err(self.deny(actor, code.as_str(), "read", message.into()).await);
            }
            Actor::Anonymous { .. } => return Err(AppError::Unauthenticated),
        }
        Ok(d)
    }

    /// Refuse (403, audited) a record kept for the agencies only — the processing control sheet
    /// and the tracking book — to a citizen, even the one who filed the dossier.
    pub async fn check_internal_record(&self, actor: &Actor, d: &DossierRecord, what: &str) -> AppResult<()> {
        match actor.user() {
            Some(u) if !may_read_internal(u, d) => Err(self
                .deny(
                    actor,
                    d.code.as_str(),
                    what,
                    format!("«{what}» là sổ sách nội bộ của cơ quan, không cấp cho người nộp hồ sơ"),
                )
                .await),
            _ => Ok(()),
        }
    }

    pub async fn dossier_events(&self, actor: &Actor, code: &str) -> AppResult<Vec<EventRecord>> {
        let d = self.dossier(actor, code).await?;
        Ok(self.store.dossier_events(&d.code).await?)
    }

    /// Public lookup by code and the last four digits of the applicant's phone: status and
    /// appointment only. A wrong pair is a 404, so codes cannot be probed for phone numbers.
    /// The public lookup by code and the last four digits of the phone. Throttled per client
    /// address and, for wrong digits, per code (`crate::throttle`): four digits are guessable.
    pub async fn track(&self, code: &str, phone_last4: &str, ip: Option<&str>) -> AppResult<TrackView> {
        let now = self.now();
        if let Some(ip) = ip {
            self.caches.throttles.lookups.take(ip, now)?;
        }
        let not_found = || AppError::NotFound("hồ sơ với mã và số điện thoại này".into());
        let code = DossierCode::parse(code)?;
        self.caches.throttles.lookup_failures.check(code.as_str(), now)?;
        let d = self.store.dossier(&code).await?;
        let Some(d) = d.filter(|d| d.applicant.phone.as_ref().is_some_and(|p| p.last4() == phone_last4.trim())) else {
            let _ = self.caches.throttles.lookup_failures.take(code.as_str(), now);
            return Err(not_found());
        };
        Ok(TrackView {
            code: d.code.to_string(),
            status: d.workflow.state.label_vi(),
            national_status: d.workflow.state.national_code(),
            appointment: d.workflow.due_current,
        })
    }
}

/// Work-queue filters as the API receives them.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ListParams {
    pub state: Option<State>,
    pub procedure: Option<String>,
    pub channel: Option<Channel>,
    /// RFC 3339.
    pub due_before: Option<String>,
    #[serde(default)]
    pub overdue: bool,
    /// Also list finished dossiers (returned, refused, stopped, withdrawn); without it the
    /// queue holds open dossiers only, unless `state` names a finished one.
    #[serde(default)]
    pub finished: bool,
    /// Handling agency (provincial admin only; staff see their own agency).
    pub agency: Option<String>,
    /// The dossiers behind a count of the Decision 766 index: a metric counted over dossiers,
    /// with `period` (`YYYY-MM`, `YYYY-Qn`, `YYYY`) and the `part` of its count (the base by
    /// default); finished dossiers included.
    pub metric: Option<motcua_domain::index::Code>,
    pub period: Option<String>,
    pub part: Option<motcua_domain::index::share::Part>,
    /// With `metric`: the unit of the index (an agency or administrative unit code).
    pub unit: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

impl App {
    async fn index_filter(
        &self,
        metric: motcua_domain::index::Code,
        p: &ListParams,
    ) -> AppResult<motcua_domain::index::share::IndexFilter> {
        let facts = metric.dossier_facts().ok_or_else(|| {
            AppError::invalid("not_a_dossier_metric", "metric", "Chỉ số này không đếm trên từng hồ sơ")
        })?;
        let period = motcua_domain::index::Period::parse(p.period.as_deref().unwrap_or_default(), self.today())?;
        let agencies = match p.unit.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            Some(u) => Some(self.index_unit(u).await?.1),
            None => None,
        };
        Ok(motcua_domain::index::share::IndexFilter {
            months: period.month_range(),
            facts,
            part: p.part.unwrap_or_default(),
            at: self.now().with_timezone(&motcua_domain::calendar::deadline::vn_offset()),
            agencies,
        })
    }

    /// A work queue: the dossiers of the caller's desk or agency, soonest appointment first.
    pub async fn list_dossiers(
        &self,
        actor: &Actor,
        p: &ListParams,
    ) -> AppResult<motcua_domain::procedure::search::Page<motcua_domain::dossier::record::DossierLine>> {
        use motcua_domain::dossier::record::DossierQuery;
        let mut q = DossierQuery {
            state: p.state,
            procedure: p.procedure.as_deref().map(ProcedureCode::parse).transpose()?,
            channel: p.channel,
            due_before: p.due_before.as_deref().map(|t| crate::calendar::instant(t, "due_before")).transpose()?,
            overdue_at: p.overdue.then(|| self.now().with_timezone(&motcua_domain::calendar::deadline::vn_offset())),
            open_only: !p.finished && p.state.is_none_or(|s| !s.is_terminal()),
            page: p.page.unwrap_or(1).max(1),
            per_page: p.per_page.unwrap_or(20).clamp(1, 100),
            count_limit: Some(self.config.queue_count_limit),
            ..DossierQuery::default()
        };
        if let Some(metric) = p.metric {
            q.index = Some(self.index_filter(metric, p).await?);
            q.open_only = false;
        }
        let filter_agency = p.agency.as_deref().map(AgencyCode::parse).transpose()?;
        match actor {
            Actor::Anonymous { .. } => return Err(AppError::Unauthenticated),
            Actor::Cli | Actor::System => q.handler = filter_agency,
            Actor::User { user, .. } => match user.role {
                Role::Admin => q.handler = filter_agency,
                Role::DeskOfficer => q.desk = user.agency.clone(),
                Role::Specialist | Role::Leader | Role::UnitAdmin => q.handler = user.agency.clone(),
                Role::Citizen => q.submitted_by = Some(user.id),
            },
        }
        let (items, total) = self.store.list_dossiers(&q).await?;
        let limit = u64::from(self.config.queue_count_limit);
        Ok(motcua_domain::procedure::search::Page {
            items,
            total: total.min(limit),
            total_capped: total > limit,
            page: q.page,
            per_page: q.per_page,
        })
    }
}

impl App {
    /// The dossiers a desk received from `from` to `to` (inclusive, Vietnamese days), in order
    /// of receipt, one row each: the tracking book (sổ theo dõi hồ sơ), or the
    /// `window` of it, with the number of dossiers of the whole book. Desk officers read their
    /// own desk's book, the provincial admin any desk's.
    pub async fn desk_book(
        &self,
        actor: &Actor,
        desk: &str,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
        window: motcua_storage::BookWindow,
    ) -> AppResult<(AgencyCode, Vec<motcua_domain::dossier::record::BookLine>, u64)> {
        let desk = AgencyCode::parse(desk).map_err(|e| AppError::Invalid(e.under("desk")))?;
        match actor {
            Actor::Anonymous { .. } => return Err(AppError::Unauthenticated),
            Actor::Cli | Actor::System => {}
            Actor::User { user, .. } if user.role == Role::Admin => {}
            Actor::User { user, .. } if user.role == Role::DeskOfficer && user.agency.as_ref() == Some(&desk) => {}
            Actor::User { .. } => {
                return Err(AppError::Forbidden("Sổ theo dõi hồ sơ chỉ dành cho bộ phận một cửa đó".into()));
            }
        }
        let start = motcua_domain::calendar::deadline::day_start;
        let bad_day = || AppError::invalid("invalid_period", "to", "Ngày ngoài khoảng lịch hỗ trợ");
        let from = start(from).ok_or_else(bad_day)?;
        let before = to.succ_opt().and_then(start).ok_or_else(bad_day)?;
        let (rows, total) = self.store.desk_book(&desk, from, before, window).await?;
        Ok((desk, rows, total))
    }
}

/// A dossier with what is derived from it: the national status and the Decision 766
/// timeliness against the original appointment (evaluated now while it runs).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct DossierView {
    #[serde(flatten)]
    pub record: DossierRecord,
    pub national_status: u8,
    pub timeliness: Option<motcua_domain::calendar::deadline::Timeliness>,
}

impl App {
    pub async fn dossier_view(&self, actor: &Actor, code: &str) -> AppResult<DossierView> {
        use motcua_domain::calendar::deadline::{Supplement, classify};
        let record = self.dossier(actor, code).await?;
        let w = &record.workflow;
        let supplements: Vec<Supplement> =
            w.supplements.iter().map(|s| Supplement { requested: s.requested_at, provided: s.provided_at }).collect();
        // The end of processing is the decision, else the end (stop, refusal, withdrawal).
        let end = w.resolved_at.or(w.ended_at);
        let now = self.now().with_timezone(&motcua_domain::calendar::deadline::vn_offset());
        let timeliness = w.due_original.map(|due| classify(due, end, now, &supplements));
        Ok(DossierView { national_status: w.state.national_code(), timeliness, record })
    }
}
