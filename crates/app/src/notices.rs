//! Notices to applicants (Decree 224/2026 Art. 15(1)(g)): composed by the domain from the change
//! a use case makes, written to the outbox in the same transaction, delivered by `motcua-jobs`.
//! The office reads the outbox here.

use motcua_domain::dossier::DossierCode;
use motcua_domain::dossier::record::{Applicant, DossierRecord};
use motcua_domain::ids::AgencyCode;
use motcua_domain::notice::{Change, Notice, NoticeChannel, NoticeInput, NoticeSettings, compose};
use motcua_domain::user::Role;
use motcua_storage::{DeadLetterAction, NoticesFor, OutboxMessage, OutboxQuery, OutboxState, no_notices};
use serde::Serialize;
use uuid::Uuid;

use crate::{Actor, App, AppError, AppResult};

/// The names a notice shows, looked up once per change.
pub(crate) struct NoticeContext {
    procedure_name: String,
    receiving: String,
    handling: String,
    officer: String,
}

/// The notices of a change of the dossier `code`, with the names of `ctx`.
fn compose_for(
    settings: &NoticeSettings,
    public_url: &str,
    ctx: &NoticeContext,
    code: &DossierCode,
    applicant: &Applicant,
    change: &Change<'_>,
) -> Vec<Notice> {
    let lookup_url = format!("{}/tra-cuu?ma={code}", public_url.trim_end_matches('/'));
    let rating_url = format!("{}/danh-gia/{code}", public_url.trim_end_matches('/'));
    compose(
        &NoticeInput {
            code,
            procedure_name: &ctx.procedure_name,
            applicant,
            change,
            receiving_agency: &ctx.receiving,
            handling_agency: &ctx.handling,
            officer: &ctx.officer,
            lookup_url: &lookup_url,
            rating_url: &rating_url,
        },
        settings,
    )
}

impl App {
    /// Whether a change sends notices: it is notified, and the applicant can be reached on a
    /// channel the province uses.
    pub(crate) fn wants_notices(&self, applicant: &Applicant, change: &Change<'_>) -> bool {
        let s = &self.config.notices;
        let reachable = (s.email && applicant.email.as_deref().is_some_and(|e| !e.trim().is_empty()))
            || (s.sms && applicant.phone.is_some());
        reachable && change.is_notified()
    }

    /// The names the notices of a change show.
    pub(crate) async fn notice_context(
        &self,
        actor: &Actor,
        procedure_name: &str,
        receiving: &AgencyCode,
        handling: &AgencyCode,
    ) -> AppResult<NoticeContext> {
        let receiving_name = self.agency_name(receiving).await?;
        let handling_name =
            if handling == receiving { receiving_name.clone() } else { self.agency_name(handling).await? };
        let officer = match actor.user() {
            Some(u) if u.role == Role::Citizen => "Cổng dịch vụ công (người nộp tự thực hiện)".to_owned(),
            Some(u) => u.full_name.clone(),
            None => actor.name(),
        };
        Ok(NoticeContext {
            procedure_name: procedure_name.to_owned(),
            receiving: receiving_name,
            handling: handling_name,
            officer,
        })
    }

    /// The notices of a change of the dossier `code`.
    pub(crate) fn compose_notices(
        &self,
        ctx: Option<&NoticeContext>,
        code: &DossierCode,
        applicant: &Applicant,
        change: &Change<'_>,
    ) -> Vec<Notice> {
        let Some(ctx) = ctx else { return vec![] };
        compose_for(&self.config.notices, &self.config.public_url, ctx, code, applicant, change)
    }

    /// The notices of a new dossier, for the store to compose once it has allocated the code.
    pub(crate) fn intake_notices(
        &self,
        ctx: Option<NoticeContext>,
        applicant: &Applicant,
        change: &Change<'_>,
    ) -> NoticesFor {
        let Some(ctx) = ctx else { return no_notices() };
        let (settings, public_url) = (self.config.notices, self.config.public_url.clone());
        let (applicant, workflow) = (applicant.clone(), change.workflow.clone());
        let (from, to, at, received_at) = (change.from, change.to, change.at, change.received_at);
        std::sync::Arc::new(move |code: &DossierCode| {
            let change = Change { command: None, from, to, workflow: &workflow, at, received_at };
            compose_for(&settings, &public_url, &ctx, code, &applicant, &change)
        })
    }

    /// The notices of one dossier, newest first: whoever may read the dossier may see them.
    pub async fn dossier_notices(&self, actor: &Actor, code: &str) -> AppResult<Vec<OutboxMessage>> {
        let d: DossierRecord = self.dossier(actor, code).await?;
        let all =
            self.store.outbox(&OutboxQuery { dossier: Some(d.code), limit: 200, ..OutboxQuery::default() }).await?;
        Ok(self.notices_for(actor, all))
    }

    /// What of a dossier's outbox `actor` sees: the applicant their notices, the agencies also
    /// the portal pushes and the deadline watch's warnings.
    pub(crate) fn notices_for(&self, actor: &Actor, all: Vec<OutboxMessage>) -> Vec<OutboxMessage> {
        match actor.user().map(|u| u.role) {
            Some(Role::Citizen) | None => all
                .into_iter()
                .filter(|m| {
                    m.notice.channel != NoticeChannel::Portal
                        && !m.notice.subject.starts_with(motcua_domain::dossier::watch::SUBJECT_PREFIX)
                })
                .collect(),
            Some(_) => all,
        }
    }

    /// The outbox as the office watches it: counts per channel and state, and the latest
    /// messages (optionally of one state). Administrators only.
    pub async fn outbox_overview(
        &self,
        actor: &Actor,
        state: Option<OutboxState>,
        channel: Option<NoticeChannel>,
        limit: u32,
    ) -> AppResult<OutboxOverview> {
        actor.require_admin()?;
        if !(1..=500).contains(&limit) {
            return Err(AppError::invalid("invalid_query", "limit", "Số thông báo từ 1 đến 500"));
        }
        let counts = self
            .store
            .outbox_counts()
            .await?
            .into_iter()
            .map(|(channel, state, count)| OutboxCount { channel, state, count })
            .collect();
        let messages = self.store.outbox(&OutboxQuery { state, channel, limit, ..OutboxQuery::default() }).await?;
        Ok(OutboxOverview { counts, messages })
    }
}

impl App {
    /// Replay or cancel a message the worker gave up (a dead letter), audited. Administrators
    /// only; a message that is not failed (sent, pending, or already settled by another
    /// administrator) is refused with `not_dead_letter`.
    pub async fn settle_dead_letter(
        &self,
        actor: &Actor,
        id: Uuid,
        action: DeadLetterAction,
    ) -> AppResult<OutboxMessage> {
        actor.require_admin()?;
        let not_found = || AppError::NotFound(format!("thông báo {id}"));
        let m = self.store.outbox_message(id).await?.ok_or_else(not_found)?;
        let refused = |m: &OutboxMessage| AppError::NotAllowed {
            code: "not_dead_letter",
            message: format!(
                "Chỉ gửi lại hoặc huỷ được thông báo «Gửi không được»; thông báo này đang ở tình trạng «{}»",
                m.state.label_vi()
            ),
        };
        if m.state != OutboxState::Failed {
            return Err(refused(&m));
        }
        let now = self.now();
        let detail = serde_json::json!({
            "channel": m.notice.channel.as_str(), "recipient": m.notice.recipient,
            "dossier": m.dossier.as_ref().map(ToString::to_string), "attempts": m.attempts, "last_error": m.last_error,
        });
        let audit = actor.audit(now, &format!("outbox.{}", action.as_str()), "outbox", id.to_string(), detail);
        if !self.store.settle_dead_letter(id, action, now, &audit).await? {
            let m = self.store.outbox_message(id).await?.ok_or_else(not_found)?;
            return Err(refused(&m));
        }
        self.store.outbox_message(id).await?.ok_or_else(not_found)
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct OutboxCount {
    pub channel: NoticeChannel,
    pub state: OutboxState,
    pub count: u64,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct OutboxOverview {
    pub counts: Vec<OutboxCount>,
    pub messages: Vec<OutboxMessage>,
}
