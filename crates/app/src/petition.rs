//! Feedback and petitions (phản ánh, kiến nghị): intake from anyone, handling by the provincial
//! office and the agency it assigns, deadlines in working days on the legal calendar, the
//! published answers for everyone, likes and dislikes of them (docs/RULES.md §D7).

use motcua_domain::calendar::deadline::{Instant, Limit, vn_offset};
use motcua_domain::dossier::DossierCode;
use motcua_domain::ids::AgencyCode;
use motcua_domain::petition::{Deadlines, Petition, PetitionAction, PetitionInput, PetitionState};
use motcua_domain::user::Role;
use motcua_storage::{AgencyQuery, PetitionQuery, StoreError};
use serde::Deserialize;

use crate::calendar::DueQuestion;
use crate::{Actor, App, AppError, AppResult};

/// Which petitions a list shows.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PetitionListParams {
    pub state: Option<PetitionState>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// A page of petitions.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, serde::Serialize)]
pub struct PetitionPage {
    pub items: Vec<Petition>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

impl App {
    /// The provincial office: it receives petitions and publishes the monthly reports (the setting,
    /// or the provincial committee in force).
    pub(crate) async fn province_office(&self) -> AppResult<AgencyCode> {
        if let Some(a) = &self.config.petition_office {
            return Ok(a.clone());
        }
        let today = Some(self.today());
        let committees = self
            .store
            .agencies(&AgencyQuery {
                kind: Some(motcua_domain::admin::AgencyKind::ProvincialCommittee),
                on: today,
                unit: None,
            })
            .await?;
        committees.into_iter().next().map(|a| a.code).ok_or_else(|| {
            AppError::Internal("no provincial committee on the map to receive petitions (set petition_office)".into())
        })
    }

    /// The instant `n` working days after `at` on the legal calendar of `agency`.
    async fn working_days_after(&self, agency: &AgencyCode, at: Instant, n: u32) -> AppResult<Instant> {
        let q = DueQuestion {
            agency: Some(agency.clone()),
            received: at,
            limit: Limit::WorkingDays(n),
            pauses: vec![],
            explain: false,
        };
        Ok(self.due(&q).await?.due.due)
    }

    /// Receive a petition; about a dossier, it is assigned at once to the dossier's competent
    /// agency and the dossier counts as petitioned about (metric 5.4).
    pub async fn file_petition(&self, actor: &Actor, input: &PetitionInput) -> AppResult<Petition> {
        let input = input.check()?;
        let now = self.now().with_timezone(&vn_offset());
        let dossier = match &input.dossier {
            Some(code) => {
                let code = DossierCode::parse(code)?;
                Some(self.store.dossier(&code).await?.ok_or_else(|| {
                    AppError::invalid("unknown_dossier", "dossier", format!("Không có hồ sơ mã «{code}»"))
                })?)
            }
            None => None,
        };
        let office = self.province_office().await?;
        let limits = self.config.petition_limits;
        let deadlines = Deadlines {
            refuse_by: self.working_days_after(&office, now, limits.refuse).await?,
            supplement_by: self.working_days_after(&office, now, limits.supplement).await?,
            handle_by: self.working_days_after(&office, now, limits.handle).await?,
            publish_by: None,
        };
        let dossier_code = dossier.as_ref().map(|d| d.code.clone());
        let assigned = dossier.as_ref().map(|d| d.competent_agency.clone());
        let p = Petition::received(uuid::Uuid::now_v7(), office, input, dossier_code, assigned, now, deadlines);
        let audit = actor.audit(
            self.now(),
            "petition.file",
            "petition",
            p.id.to_string(),
            serde_json::json!({ "dossier": p.dossier }),
        );
        match self.store.create_petition(&p, &audit).await {
            Ok(()) => Ok(p),
            Err(StoreError::NotFound(_)) => {
                Err(AppError::invalid("unknown_dossier", "dossier", "Không có hồ sơ với mã đã nhập"))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// A petition as its viewer may see it: staff of the office or the assigned agency see it
    /// whole; anyone else sees its state and deadlines, and its question and answer once the
    /// answer is published (never the petitioner's contacts).
    pub async fn petition_for(&self, actor: &Actor, id: &str) -> AppResult<Petition> {
        let p = self.load_petition(id).await?;
        if self.may_handle_petition(actor, &p) {
            return Ok(p);
        }
        Ok(p.public())
    }

    async fn load_petition(&self, id: &str) -> AppResult<Petition> {
        let not_found = || AppError::NotFound("phản ánh, kiến nghị".into());
        let id = uuid::Uuid::parse_str(id.trim()).map_err(|_| not_found())?;
        self.store.petition(id).await?.ok_or_else(not_found)
    }

    /// The provincial office's administrators handle every petition; the staff of the agency it
    /// is assigned to handle theirs.
    pub fn may_handle_petition(&self, actor: &Actor, p: &Petition) -> bool {
        match actor {
            Actor::Cli | Actor::System => true,
            Actor::Anonymous { .. } => false,
            Actor::User { user, .. } => match user.role {
                Role::Admin => true,
                Role::Citizen | Role::DeskOfficer => false,
                Role::Specialist | Role::Leader | Role::UnitAdmin => {
                    user.agency.as_ref().is_some_and(|a| p.assigned.as_ref() == Some(a) || &p.agency == a)
                }
            },
        }
    }

    /// Apply an officer's action; assignment is the provincial office's, publication a leader's
    /// or the office's.
    pub async fn act_on_petition(
        &self,
        actor: &Actor,
        id: &str,
        expected_revision: i64,
        action: &PetitionAction,
    ) -> AppResult<Petition> {
        let p = self.load_petition(id).await?;
        if !self.may_handle_petition(actor, &p) {
            return Err(AppError::Forbidden("Phản ánh, kiến nghị này không thuộc cơ quan của Ông/Bà".into()));
        }
        let role = actor.user().map(|u| u.role);
        let office_only = matches!(action, PetitionAction::Assign { .. });
        let leader_only = matches!(action, PetitionAction::Publish);
        if (office_only && role.is_some_and(|r| r != Role::Admin))
            || (leader_only && role.is_some_and(|r| !matches!(r, Role::Admin | Role::Leader)))
        {
            return Err(AppError::Forbidden("Việc này do lãnh đạo hoặc Văn phòng thực hiện".into()));
        }
        if let PetitionAction::Assign { agency } = action
            && self.agency(agency).await?.is_none()
        {
            return Err(AppError::invalid("unknown_agency", "agency", format!("Không có cơ quan mã «{agency}»")));
        }
        let now = self.now().with_timezone(&vn_offset());
        let calendar_of = p.assigned.clone().unwrap_or_else(|| p.agency.clone());
        // The limits the action may start, computed before applying it (the rule is pure).
        let mut after = std::collections::BTreeMap::new();
        let limits = self.config.petition_limits;
        for n in [limits.handle, limits.publish] {
            after.insert(n, self.working_days_after(&calendar_of, now, n).await?);
        }
        let by = actor.user().map(|u| u.full_name.clone()).unwrap_or_else(|| actor.name());
        let next = p.apply(
            action,
            now,
            &by,
            |n| after.get(&n).copied().ok_or_else(|| motcua_domain::FieldError::new("limit", "action", "limit")),
            &limits,
        )?;
        let audit = actor.audit(
            self.now(),
            "petition.act",
            "petition",
            p.id.to_string(),
            serde_json::to_value(action).unwrap_or_default(),
        );
        let url = format!("{}/phan-anh/{}", self.config.public_url.trim_end_matches('/'), next.id);
        let notices = next.notices(action, &url, &self.config.notices);
        let revision = self.store.update_petition(&next, expected_revision, &audit, &notices).await?;
        Ok(Petition { revision, ..next })
    }

    /// The petitions the caller handles, oldest first.
    pub async fn petitions_to_handle(&self, actor: &Actor, p: &PetitionListParams) -> AppResult<PetitionPage> {
        let agencies = match actor.user() {
            None => return Err(AppError::Unauthenticated),
            Some(u) if u.role == Role::Admin => None,
            Some(u) if matches!(u.role, Role::Specialist | Role::Leader | Role::UnitAdmin) => {
                Some(u.agency.iter().cloned().collect())
            }
            Some(_) => return Err(AppError::Forbidden("Chỉ cán bộ xử lý phản ánh, kiến nghị".into())),
        };
        self.petition_page(PetitionQuery { state: p.state, agencies, newest_first: false, ..page_of(p) }).await
    }

    /// The published answers, newest first (public).
    pub async fn published_petitions(&self, p: &PetitionListParams) -> AppResult<PetitionPage> {
        let q = PetitionQuery { state: Some(PetitionState::Published), newest_first: true, ..page_of(p) };
        let mut page = self.petition_page(q).await?;
        page.items = page.items.into_iter().map(Petition::public).collect();
        Ok(page)
    }

    async fn petition_page(&self, q: PetitionQuery) -> AppResult<PetitionPage> {
        let (page, per_page) = (q.page, q.per_page);
        let (items, total) = self.store.petitions(&q).await?;
        Ok(PetitionPage { items, total, page, per_page })
    }

    /// Like or dislike a published answer, once per voter (the account, or the client's
    /// address); whether the vote was counted.
    pub async fn vote_petition(&self, actor: &Actor, id: &str, liked: bool) -> AppResult<bool> {
        let p = self.load_petition(id).await?;
        if p.state != PetitionState::Published {
            return Err(AppError::NotAllowed {
                code: "petition_not_published",
                message: "Chỉ đánh giá được kết quả đã công khai".into(),
            });
        }
        let voter = match (actor.user(), actor.ip()) {
            (Some(u), _) => format!("user:{}", u.id),
            (None, Some(ip)) => format!("ip:{ip}"),
            (None, None) => return Err(AppError::Unauthenticated),
        };
        let now = self.now();
        self.caches.throttles.lookups.take(&voter, now)?;
        Ok(self.store.vote_petition(p.id, &voter, liked, now.with_timezone(&vn_offset())).await?)
    }

    /// The petitions received in `[from, before)` among `agencies` (all when `None`), for the
    /// index's group 5.
    pub(crate) async fn petitions_received(
        &self,
        from: Instant,
        before: Instant,
        agencies: Option<Vec<AgencyCode>>,
    ) -> AppResult<Vec<Petition>> {
        let mut out = Vec::new();
        let mut page = 1;
        loop {
            let q = PetitionQuery {
                agencies: agencies.clone(),
                received_from: Some(from),
                received_before: Some(before),
                page,
                per_page: 200,
                ..PetitionQuery::default()
            };
            let (items, total) = self.store.petitions(&q).await?;
            let n = items.len();
            out.extend(items);
            if n == 0 || out.len() as u64 >= total {
                return Ok(out);
            }
            page += 1;
        }
    }
}

fn page_of(p: &PetitionListParams) -> PetitionQuery {
    PetitionQuery {
        page: p.page.unwrap_or(1).max(1),
        per_page: p.per_page.unwrap_or(20).clamp(1, 100),
        ..Default::default()
    }
}
