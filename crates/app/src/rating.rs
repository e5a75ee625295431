//! The applicant's evaluation of a returned dossier: online by the applicant (their account, or
//! the code and the last four digits of their phone as in the public lookup, which the link of
//! the notice sent with the result opens), or at the kiosk of the desk that received it.

use motcua_domain::dossier::{DossierCode, State};
use motcua_domain::rating::{Rating, RatingChannel, RatingInput};
use motcua_domain::user::Role;
use motcua_storage::StoreError;

use crate::{Actor, App, AppError, AppResult};

/// Who evaluates: the applicant online (with the phone digits when not signed in as the filer)
/// or at the counter's kiosk.
#[derive(Debug, Clone, Copy)]
pub enum Rater<'a> {
    Online { phone_last4: Option<&'a str> },
    Kiosk,
}

/// What the evaluation page shows before and after.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, serde::Serialize)]
pub struct RatingView {
    pub code: String,
    pub procedure_name: String,
    /// Whether the dossier can be evaluated now (its result returned).
    pub open: bool,
    /// The evaluation given, if any.
    pub rating: Option<Rating>,
}

impl App {
    /// Record the evaluation of the dossier `code`. Refused before the result is returned
    /// (`not_returned`) and a second time (`already_rated`).
    pub async fn rate(&self, actor: &Actor, code: &str, rater: Rater<'_>, input: &RatingInput) -> AppResult<Rating> {
        let (code, channel) = self.check_rater(actor, code, rater).await?;
        let d = self.store.dossier(&code).await?.ok_or_else(|| AppError::NotFound(format!("hồ sơ {code}")))?;
        if d.workflow.state != State::Returned {
            return Err(AppError::NotAllowed {
                code: "not_returned",
                message: "Hồ sơ chưa trả kết quả; mời Ông/Bà đánh giá sau khi nhận kết quả".into(),
            });
        }
        let rating = input.check(
            code.clone(),
            channel,
            self.now().with_timezone(&motcua_domain::calendar::deadline::vn_offset()),
        )?;
        let audit = actor.audit(
            self.now(),
            "dossier.rate",
            "dossier",
            code.as_str(),
            serde_json::json!({ "channel": channel.as_str(), "satisfaction": rating.satisfaction.as_str(), "score": rating.score() }),
        );
        match self.store.add_rating(&rating, &audit).await {
            Ok(()) => Ok(rating),
            Err(StoreError::Conflict { .. }) => Err(AppError::NotAllowed {
                code: "already_rated",
                message: "Hồ sơ này đã được đánh giá".into(),
            }),
            Err(e) => Err(e.into()),
        }
    }

    /// The evaluation page of a dossier for whoever may evaluate it.
    pub async fn rating_view(&self, actor: &Actor, code: &str, rater: Rater<'_>) -> AppResult<RatingView> {
        let (code, _) = self.check_rater(actor, code, rater).await?;
        let d = self.store.dossier(&code).await?.ok_or_else(|| AppError::NotFound(format!("hồ sơ {code}")))?;
        let names = self.procedure_names(std::slice::from_ref(&d.procedure)).await?;
        Ok(RatingView {
            code: code.to_string(),
            procedure_name: names.get(&d.procedure).cloned().unwrap_or_else(|| d.procedure.to_string()),
            open: d.workflow.state == State::Returned,
            rating: self.store.rating(&code).await?,
        })
    }

    /// Whether `actor` may evaluate `code` as `rater`: the applicant (the filing account, or the
    /// phone digits, throttled like the public lookup), or a desk officer of the receiving desk
    /// at the kiosk. A wrong pair of code and digits is a 404, as in the lookup.
    async fn check_rater(
        &self,
        actor: &Actor,
        code: &str,
        rater: Rater<'_>,
    ) -> AppResult<(DossierCode, RatingChannel)> {
        let code = DossierCode::parse(code)?;
        let d = self.store.dossier(&code).await?;
        let user = actor.user();
        match rater {
            Rater::Kiosk => {
                let d = d.ok_or_else(|| AppError::NotFound(format!("hồ sơ {code}")))?;
                let desk = user.filter(|u| u.role == Role::DeskOfficer && u.agency.as_ref() == Some(&d.agency));
                desk.map(|_| (code, RatingChannel::Kiosk)).ok_or_else(|| {
                    AppError::Forbidden(
                        "Chỉ cán bộ Bộ phận Một cửa tiếp nhận hồ sơ mở được trang đánh giá tại quầy".into(),
                    )
                })
            }
            Rater::Online { phone_last4 } => {
                let owner = d.as_ref().is_some_and(|d| user.is_some_and(|u| d.submitted_by == Some(u.id)));
                if owner {
                    return Ok((code, RatingChannel::Online));
                }
                let digits = phone_last4.unwrap_or_default();
                self.track(code.as_str(), digits, actor.ip().as_deref()).await?;
                Ok((code, RatingChannel::Online))
            }
        }
    }
}
