//! What a citizen account remembers of its applicant (identification number, name, phone,
//! e-mail, address), so that the filing form is filled in for them the next time.

use motcua_domain::dossier::record::Applicant;
use motcua_domain::user::{Role, User};

use crate::dossiers::ApplicantInput;
use crate::{Actor, App, AppError, AppResult};

fn citizen(actor: &Actor) -> AppResult<&User> {
    match actor.user() {
        Some(u) if u.role == Role::Citizen => Ok(u),
        Some(_) => Err(AppError::Forbidden("Chỉ tài khoản công dân lưu thông tin người nộp".into())),
        None => Err(AppError::Unauthenticated),
    }
}

impl App {
    /// The applicant details the caller's citizen account remembers (none for other callers).
    pub async fn my_applicant(&self, actor: &Actor) -> AppResult<Option<Applicant>> {
        match actor.user() {
            Some(u) if u.role == Role::Citizen => Ok(self.store.applicant_profile(u.id).await?),
            _ => Ok(None),
        }
    }

    /// Remember the caller's applicant details, checked as at intake (a citizen account only).
    pub async fn remember_applicant(&self, actor: &Actor, input: &ApplicantInput) -> AppResult<Applicant> {
        let user = citizen(actor)?;
        self.store_applicant(actor, user, input).await
    }

    /// The provincial admin (or the operator, loading demo data) records the applicant details of
    /// the citizen account `username`.
    pub async fn set_account_applicant(
        &self,
        actor: &Actor,
        username: &str,
        input: &ApplicantInput,
    ) -> AppResult<Applicant> {
        let user = self.citizen_account(actor, username).await?;
        self.store_applicant(actor, &user, input).await
    }

    /// The citizen account `username`, for the provincial admin (or the operator) to act on.
    pub(crate) async fn citizen_account(&self, actor: &Actor, username: &str) -> AppResult<User> {
        actor.require_admin()?;
        let name = motcua_domain::ids::Username::parse(username)?;
        let (user, _) = self
            .store
            .user_credentials(&name)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("tài khoản {username}")))?;
        if user.role != Role::Citizen {
            return Err(AppError::invalid("not_a_citizen", "username", "Chỉ tài khoản công dân, tổ chức"));
        }
        Ok(user)
    }

    async fn store_applicant(&self, actor: &Actor, user: &User, input: &ApplicantInput) -> AppResult<Applicant> {
        let applicant = input.parse(chrono::Datelike::year(&self.today()))?;
        let audit =
            actor.audit(self.now(), "account.applicant", "app_user", user.id.to_string(), serde_json::json!({}));
        self.store.set_applicant_profile(user.id, &applicant, &audit).await?;
        Ok(applicant)
    }
}
