//! Evaluating a returned dossier: `/danh-gia/{code}` for the applicant (their account, or the
//! phone digits of the public lookup; the notice sent with the result links here) and
//! `/mot-cua/danh-gia` for the kiosk at the counter.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::Form;
use motcua_app::AppError;
use motcua_app::rating::{Rater, RatingView};
use motcua_domain::rating::{INDICATORS, MARKS, Rating, RatingInput, Satisfaction};
use serde::Deserialize;

use super::Layout;
use crate::AppState;
use crate::auth::Caller;

#[derive(Debug, Default, Deserialize)]
pub struct DigitsQuery {
    /// The last four digits of the applicant's phone.
    #[serde(default)]
    so: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct KioskQuery {
    #[serde(default)]
    ma: String,
}

/// The evaluation form as posted: `muc` (satisfaction), `tc1`..`tc9` (the indicators' marks),
/// `thich` (`co` / `khong`), `y_kien`, and `so` (the phone digits).
#[derive(Debug, Clone, Default)]
pub struct RatingForm {
    so: String,
    muc: String,
    /// The nine marks, in order ("" when not chosen).
    tc: Vec<String>,
    thich: String,
    y_kien: String,
}

impl RatingForm {
    fn of(pairs: Vec<(String, String)>) -> Self {
        let mut f = RatingForm { tc: vec![String::new(); INDICATORS.len()], ..RatingForm::default() };
        for (k, v) in pairs {
            match k.as_str() {
                "so" => f.so = v,
                "muc" => f.muc = v,
                "thich" => f.thich = v,
                "y_kien" => f.y_kien = v,
                k => {
                    let slot =
                        k.strip_prefix("tc").and_then(|n| n.parse::<usize>().ok()).filter(|n| (1..=9).contains(n));
                    if let Some(n) = slot {
                        f.tc[n - 1] = v;
                    }
                }
            }
        }
        f
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "rating/form.html")]
pub(super) struct RatingPage {
    layout: Layout,
    code: String,
    /// The page's form address (the applicant's or the kiosk's).
    action: String,
    kiosk: bool,
    /// Set once the evaluator is known.
    view: Option<RatingView>,
    form: RatingForm,
    digits: String,
    error: Option<String>,
    /// Just recorded.
    done: Option<Rating>,
}

impl RatingPage {
    fn indicators(&self) -> Vec<(usize, &'static str)> {
        INDICATORS.iter().copied().enumerate().collect()
    }
    fn marks(&self) -> &'static [(u8, &'static str)] {
        &MARKS
    }
    fn levels(&self) -> [Satisfaction; 3] {
        Satisfaction::ALL
    }
    fn level_checked(&self, l: &Satisfaction) -> bool {
        self.form.muc == l.as_str()
    }
    fn mark_checked(&self, i: &usize, m: &u8) -> bool {
        self.form.tc.get(*i).is_some_and(|v| v == &m.to_string())
    }
    fn unhappy(&self) -> bool {
        self.done.as_ref().is_some_and(Rating::is_unhappy)
    }
}

/// The input of the form: an indicator left blank or a level not chosen is told by field.
fn input(f: &RatingForm) -> Result<RatingInput, AppError> {
    let satisfaction = Satisfaction::parse(&f.muc)
        .ok_or_else(|| AppError::invalid("invalid_rating", "muc", "Chọn mức độ hài lòng"))?;
    let mut indicators = Vec::with_capacity(INDICATORS.len());
    for i in 0..INDICATORS.len() {
        let mark = f.tc.get(i).and_then(|v| v.parse::<u8>().ok()).ok_or_else(|| {
            AppError::invalid("invalid_rating", format!("indicators[{i}]"), format!("Chấm điểm tiêu chí {}", i + 1))
        })?;
        indicators.push(mark);
    }
    let liked = match f.thich.as_str() {
        "co" => Some(true),
        "khong" => Some(false),
        _ => None,
    };
    Ok(RatingInput { satisfaction, indicators, liked, comment: Some(f.y_kien.clone()) })
}

fn page(caller: &Caller, code: &str, kiosk: bool) -> RatingPage {
    let action = if kiosk { format!("/mot-cua/danh-gia/{code}") } else { format!("/danh-gia/{code}") };
    RatingPage {
        layout: Layout::of(&caller.actor, if kiosk { "desk" } else { "track" }),
        code: code.to_owned(),
        action,
        kiosk,
        view: None,
        form: RatingForm::default(),
        digits: String::new(),
        error: None,
        done: None,
    }
}

fn rater<'a>(kiosk: bool, digits: &'a str) -> Rater<'a> {
    if kiosk { Rater::Kiosk } else { Rater::Online { phone_last4: Some(digits).filter(|d| !d.is_empty()) } }
}

/// Show the form, or ask for the phone digits when the applicant is not known yet.
async fn show(s: &AppState, caller: &Caller, code: &str, kiosk: bool, digits: &str) -> Response {
    let mut p = page(caller, code, kiosk);
    p.digits = digits.trim().to_owned();
    let signed_in = caller.actor.user().is_some();
    if !kiosk && p.digits.is_empty() && !signed_in {
        return p.into_response();
    }
    match s.app.rating_view(&caller.actor, code, rater(kiosk, &p.digits)).await {
        Ok(v) => {
            p.view = Some(v);
            p.into_response()
        }
        // Not the filer and no digits yet: ask for them.
        Err(AppError::NotFound(_)) if p.digits.is_empty() => p.into_response(),
        Err(AppError::NotFound(_)) => {
            p.error = Some("Mã hồ sơ và số điện thoại không khớp".into());
            (StatusCode::NOT_FOUND, p).into_response()
        }
        Err(e) => super::page_err(caller, "track")(e).into_response(),
    }
}

pub async fn form(
    State(s): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    Query(q): Query<DigitsQuery>,
) -> Response {
    show(&s, &caller, &code, false, &q.so).await
}

pub async fn kiosk(State(s): State<AppState>, caller: Caller, Query(q): Query<KioskQuery>) -> Response {
    let code = q.ma.trim();
    if code.is_empty() {
        return page(&caller, "", true).into_response();
    }
    show(&s, &caller, code, true, "").await
}

async fn submit(s: &AppState, caller: &Caller, code: &str, kiosk: bool, f: RatingForm) -> Response {
    let digits = f.so.trim().to_owned();
    let result = match input(&f) {
        Ok(i) => s.app.rate(&caller.actor, code, rater(kiosk, &digits), &i).await,
        Err(e) => Err(e),
    };
    let mut p = page(caller, code, kiosk);
    p.digits = digits;
    match result {
        Ok(r) => {
            p.done = Some(r);
            p.into_response()
        }
        Err(e) => {
            let status = crate::error::status_of(&e);
            p.view = s.app.rating_view(&caller.actor, code, rater(kiosk, &p.digits)).await.ok();
            p.error = Some(e.body().message);
            p.form = f;
            (status, p).into_response()
        }
    }
}

pub async fn submit_online(
    State(s): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    Form(f): Form<Vec<(String, String)>>,
) -> Response {
    submit(&s, &caller, &code, false, RatingForm::of(f)).await
}

pub async fn submit_kiosk(
    State(s): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    Form(f): Form<Vec<(String, String)>>,
) -> Response {
    submit(&s, &caller, &code, true, RatingForm::of(f)).await
}
