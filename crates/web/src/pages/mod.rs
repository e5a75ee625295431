//! Vietnamese server-rendered pages: one layout, a small design system (static/app.css),
//! readable on a phone and at a desk. One askama template per page (templates/ mirrors this
//! module).

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use motcua_app::{Actor, AppError};
use motcua_domain::user::User;

use crate::AppState;
use crate::auth::Caller;
use crate::error::PageError;

mod admin;
mod alarms;
mod calendar;
mod catalog;
mod dossiers;
mod due;
mod edit_form;
pub(crate) mod forms;
mod intake;
mod login;
mod monthly;
mod outbox;
mod payments;
mod petition;
mod plan;
mod rating;
mod reports;
mod sign_in;
mod table;
mod vault;
mod verify;

/// What the layout needs: who is logged in and which section is active.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    pub user: Option<User>,
    pub section: &'static str,
}

impl Layout {
    pub fn of(actor: &Actor, section: &'static str) -> Self {
        Self { user: actor.user().cloned(), section }
    }
    pub fn is_admin(&self) -> bool {
        self.user.as_ref().is_some_and(User::can_manage_catalog)
    }
    pub fn is_desk(&self) -> bool {
        self.user.as_ref().is_some_and(|u| matches!(u.role, motcua_domain::user::Role::DeskOfficer))
    }
    pub fn user_label(&self) -> String {
        self.user.as_ref().map(|u| format!("{} ({})", u.full_name, u.role.label_vi())).unwrap_or_default()
    }
}

/// Turn a use-case error into a page in the layout of the caller.
pub(crate) fn page_err<'a>(caller: &'a Caller, section: &'static str) -> impl Fn(AppError) -> PageError + 'a {
    move |error| PageError { error, layout: Box::new(Layout::of(&caller.actor, section)) }
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(catalog::search))
        .route("/thu-tuc", get(catalog::search))
        .route("/thu-tuc/{code}", get(catalog::detail))
        .route("/dang-nhap", get(login::form).post(login::submit))
        .route("/dang-nhap/vneid", get(sign_in::start))
        .route("/dang-nhap/vneid/ve", get(sign_in::finish))
        .route("/dang-xuat", post(login::logout))
        .route("/quan-tri/thu-tuc/moi", get(admin::new_form).post(admin::create))
        .route("/quan-tri/thu-tuc/{code}", get(admin::edit).post(admin::save))
        .route("/quan-tri/thu-tuc/{code}/cong-bo", post(admin::publish))
        .route("/quan-tri/thu-tuc/{code}/bai-bo", post(admin::abolish))
        .route("/quan-tri/thong-bao", get(outbox::outbox))
        .route("/canh-bao-han", get(alarms::list))
        .route("/ho-so/{code}/thanh-toan", post(payments::pay))
        .route("/ho-so/{code}/bien-lai/{id}", get(payments::receipt))
        .route("/thanh-toan/ket-qua", get(payments::result))
        .route("/quan-tri/thanh-toan", get(payments::ledger))
        .route("/quan-tri/thong-bao/{id}/{action}", post(outbox::settle))
        .route("/ke-hoach", get(plan::show))
        .route("/ke-hoach/nhap", post(plan::import))
        .route("/ke-hoach/nhiem-vu", get(plan::tasks))
        .route("/ke-hoach/nhiem-vu/{task}/bao-cao", post(plan::report))
        .route("/ke-hoach/tep/{plan}/{file}", get(plan::download))
        .route("/ke-hoach/tong-hop", get(plan::overview))
        .route("/ke-hoach/chi-tieu", get(monthly::targets))
        .route("/ke-hoach/tong-hop.pdf", get(plan::overview_pdf))
        .route("/ke-hoach/tong-hop.csv", get(plan::overview_csv))
        .route("/ke-hoach/tong-hop.xlsx", get(plan::overview_xlsx))
        .route("/ke-hoach/chi-phi", get(plan::costs).post(plan::save_cost))
        .route("/ke-hoach/chi-phi.csv", get(plan::costs_csv))
        .route("/ke-hoach/chi-phi.xlsx", get(plan::costs_xlsx))
        .route("/ke-hoach/kiem-tra", get(plan::inspections).post(plan::save_inspection))
        .route("/ke-hoach/cong-bo", get(plan::publication))
        .route("/ke-hoach/danh-gia-tac-dong", get(plan::assessments))
        .route("/ke-hoach/danh-gia-tac-dong/{code}/{version}/phieu", get(plan::assessment_document))
        .route("/mot-cua/tiep-nhan", get(intake::intake_form).post(intake::intake_submit))
        .route("/mot-cua/ban-nhap/{procedure}/xoa", post(intake::discard_draft))
        .route("/ho-so", get(dossiers::queue))
        .route("/tra-cuu", get(dossiers::track))
        .route("/xac-thuc/{id}", get(verify::show))
        .route("/kho-giay-to", get(vault::show))
        .route("/kho-giay-to/{id}", get(vault::download))
        .route("/ho-so/{code}/ky-ket-qua", post(verify::sign))
        .route("/ho-so/{code}", get(dossiers::show))
        .route("/ho-so/{code}/{action}", post(dossiers::act))
        .merge(
            Router::new()
                .route("/ho-so/{code}/tep", post(dossiers::upload))
                .route("/mot-cua/nop-truc-tuyen", post(intake::file_online))
                .route("/xac-thuc/{id}", post(verify::check_copy))
                .route("/ho-so/{code}/chung-thuc", post(verify::certify))
                .route("/ke-hoach/nhiem-vu/{task}/tep", post(plan::attach))
                .route("/ke-hoach/danh-gia-tac-dong", post(plan::save_assessment))
                .layer(axum::extract::DefaultBodyLimit::max(crate::http::files::MAX_UPLOAD_BODY)),
        )
        .route("/ho-so/{code}/tep/{id}", get(dossiers::download))
        .route("/ho-so/{code}/mau/{form}", get(forms::form_page))
        .route("/ho-so/{code}/mau/{form}/pdf", get(forms::form_pdf))
        .route("/mot-cua/so-theo-doi/{desk}", get(forms::book_page))
        .route("/chi-so-766", get(reports::index_page))
        .route("/bao-cao", get(monthly::months))
        .route("/bao-cao/{period}", get(monthly::month))
        .route("/bao-cao/{period}/{format}", get(monthly::download))
        .route("/danh-gia/{code}", get(rating::form).post(rating::submit_online))
        .route("/phan-anh", get(petition::published))
        .route("/phan-anh/gui", get(petition::send_form).post(petition::send))
        .route("/phan-anh/xu-ly", get(petition::to_handle))
        .route("/phan-anh/{id}", get(petition::show))
        .route("/phan-anh/{id}/xu-ly", post(petition::act))
        .route("/phan-anh/{id}/binh-chon", post(petition::vote))
        .route("/mot-cua/danh-gia", get(rating::kiosk))
        .route("/mot-cua/danh-gia/{code}", post(rating::submit_kiosk))
        .route("/lich-lam-viec", get(calendar::current))
        .route("/lich-lam-viec/tinh-han", get(due::due_page))
        .route("/lich-lam-viec/{year}", get(calendar::show).post(calendar::save))
        .route("/lich-lam-viec/{year}/mac-dinh", post(calendar::restore_default))
        .route("/static/app.css", get(css))
        .route("/static/app.js", get(js))
        .layer(axum::middleware::from_fn(login::keep_next))
}

/// A static asset compiled into the binary, cacheable for an hour.
fn asset(content_type: &'static str, body: &'static str) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "public, max-age=3600")], body)
}

async fn js() -> impl IntoResponse {
    asset("text/javascript; charset=utf-8", include_str!("../../static/app.js"))
}

async fn css() -> impl IntoResponse {
    asset("text/css; charset=utf-8", include_str!("../../static/app.css"))
}

#[derive(Template, WebTemplate)]
#[template(path = "not_found.html")]
struct NotFound {
    layout: Layout,
}

pub async fn not_found(caller: Caller) -> impl IntoResponse {
    (StatusCode::NOT_FOUND, NotFound { layout: Layout::of(&caller.actor, "") })
}

/// An instant stored in UTC, as Vietnamese pages show it (`HH:MM dd/mm/yyyy`, UTC+7).
pub fn vn_time(t: &chrono::DateTime<chrono::Utc>) -> String {
    dossiers::when(&t.with_timezone(&motcua_domain::calendar::deadline::vn_offset()))
}

/// `dd/mm/yyyy`, the way Vietnamese documents write dates.
pub fn vn_date(d: &chrono::NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

pub use motcua_domain::text::vnd;

/// An amount in đồng for templates (which pass values by reference): `50.000`.
pub fn money(v: &u64) -> String {
    vnd(*v)
}

#[cfg(test)]
mod tests {
    #[test]
    fn money_and_dates() {
        assert_eq!(super::vnd(0), "0");
        assert_eq!(super::vnd(8000), "8.000");
        assert_eq!(super::vnd(1_234_567), "1.234.567");
        let d = chrono::NaiveDate::from_ymd_opt(2025, 7, 1).unwrap();
        assert_eq!(super::vn_date(&d), "01/07/2025");
    }
}
