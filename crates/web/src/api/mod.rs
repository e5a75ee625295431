//! The JSON API under `/api/v1`, with its OpenAPI 3 document.
//!
//! Errors are always `{"code", "message", "field"}` (see `motcua_app::error`); bodies and query
//! strings that cannot be read are `422 invalid_json` / `422 invalid_query`, never axum's
//! plain-text rejections.

use motcua_app::AppError;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::ApiError;

mod alarms;
mod auth;
mod calendar;
pub(crate) mod contract;
mod declarations;
pub(crate) mod documents;
mod dossiers;
mod map;
mod outbox;
mod payments;
mod petitions;
pub(crate) mod plans;
mod population;
mod procedures;
mod ratings;
mod reports;
mod signing;
mod vault;
pub(crate) mod wire;

#[derive(OpenApi)]
#[openapi(
    info(title = "motcua API", description = "Hệ thống một cửa: danh mục thủ tục hành chính, bản đồ hành chính, tài khoản."),
    modifiers(&BearerAuth),
    // The commands on a dossier, with their fields and bounds (the command endpoint takes the
    // fields of one, its name in the path).
    // Schemas named only by path or query parameters.
    components(schemas(
        motcua_app::dossier_commands::CommandInput,
        motcua_storage::DeadLetterAction,
        motcua_domain::index::share::Part
    )),
    tags(
        (name = "procedures", description = "Danh mục thủ tục hành chính"),
        (name = "map", description = "Đơn vị hành chính và cơ quan"),
        (name = "auth", description = "Xác thực"),
        (name = "calendar", description = "Âm lịch, lịch nghỉ, tính hạn giải quyết"),
        (name = "dossiers", description = "Hồ sơ: tiếp nhận, tra cứu"),
        (name = "notices", description = "Thông báo cho người nộp hồ sơ (thư điện tử, SMS)"),
        (name = "plans", description = "Kế hoạch kiểm soát TTHC của tỉnh: nhiệm vụ, báo cáo tiến độ"),
        (name = "petitions", description = "Phản ánh, kiến nghị"),
        (name = "vault", description = "Kho giấy tờ điện tử của công dân, tổ chức"),
        (name = "results", description = "Kết quả điện tử có chữ ký số: phát hành, xác thực, khóa công khai"),
        (name = "reports", description = "Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)")
    )
)]
struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(procedures::search))
        .routes(routes!(procedures::create))
        .routes(routes!(procedures::export))
        .routes(routes!(procedures::import))
        .routes(routes!(procedures::get_one))
        .routes(routes!(procedures::get_version))
        .routes(routes!(procedures::save_draft))
        .routes(routes!(procedures::publish))
        .routes(routes!(procedures::abolish))
        .routes(routes!(procedures::publicised))
        .routes(routes!(map::units))
        .routes(routes!(map::unit))
        .routes(routes!(map::agencies))
        .routes(routes!(auth::token))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::me))
        .routes(routes!(calendar::lunar))
        .routes(routes!(calendar::solar))
        .routes(routes!(calendar::holidays, calendar::put_holidays, calendar::delete_holidays))
        .routes(routes!(calendar::due))
        .routes(routes!(calendar::get_working_time, calendar::put_working_time))
        .routes(routes!(dossiers::intake, dossiers::list))
        .routes(routes!(dossiers::get_one))
        .routes(routes!(dossiers::events))
        .routes(routes!(dossiers::notices))
        .routes(routes!(outbox::outbox))
        .routes(routes!(outbox::settle))
        .routes(routes!(alarms::alarms))
        .routes(routes!(payments::start, payments::of_dossier))
        .routes(routes!(payments::receipt))
        .routes(routes!(payments::callback))
        .routes(routes!(payments::ledger))
        .routes(routes!(population::population))
        .routes(routes!(dossiers::command))
        .routes(routes!(dossiers::form))
        .routes(routes!(declarations::get_draft, declarations::put_draft, declarations::delete_draft))
        .routes(routes!(declarations::declaration))
        .routes(routes!(dossiers::tracking_book))
        .routes(routes!(dossiers::track))
        .routes(routes!(plans::import, plans::list))
        .routes(routes!(plans::get_one))
        .routes(routes!(plans::my_tasks))
        .routes(routes!(plans::report))
        .routes(routes!(plans::overview))
        .routes(routes!(plans::costings))
        .routes(routes!(plans::put_costing))
        .routes(routes!(plans::inspections))
        .routes(routes!(plans::put_inspection))
        .routes(routes!(plans::publication))
        .routes(routes!(plans::download))
        .routes(routes!(plans::assessment::put))
        .routes(routes!(plans::assessment::document))
        .routes(routes!(plans::assessment::report))
        .routes(routes!(reports::index))
        .routes(routes!(reports::monthly))
        .routes(routes!(reports::targets))
        .routes(routes!(reports::publish))
        .routes(routes!(ratings::rate, ratings::view))
        .routes(routes!(petitions::file, petitions::list))
        .routes(routes!(petitions::published))
        .routes(routes!(petitions::get_one))
        .routes(routes!(petitions::act))
        .routes(routes!(petitions::vote))
        .routes(routes!(signing::issue))
        .routes(routes!(signing::of_dossier))
        .routes(routes!(signing::verify))
        .routes(routes!(signing::log))
        .routes(routes!(signing::keys))
        .routes(routes!(signing::rotate))
        .routes(routes!(vault::mine))
        .routes(routes!(vault::file))
        .routes(routes!(vault::link))
        .routes(routes!(documents::list))
        .routes(routes!(documents::download))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(documents::upload))
                .routes(routes!(signing::verify_copy))
                .routes(routes!(signing::certify, signing::copies))
                .routes(routes!(plans::attach))
                .routes(routes!(plans::assessment::attach))
                .layer(axum::extract::DefaultBodyLimit::max(crate::http::files::MAX_UPLOAD_BODY)),
        )
}

/// The last page number a list accepts (beyond any real list; a bound the OpenAPI document
/// states).
pub(crate) const MAX_PAGE: u32 = 100_000;

/// Paging limits are checked, not silently clamped, so a client learns its request was wrong.
pub(crate) fn check_paging(page: Option<u32>, per_page: Option<u32>) -> Result<(), ApiError> {
    if page.is_some_and(|p| !(1..=MAX_PAGE).contains(&p)) {
        return Err(ApiError(AppError::invalid("invalid_query", "page", format!("Số trang từ 1 đến {MAX_PAGE}"))));
    }
    if per_page.is_some_and(|n| !(1..=100).contains(&n)) {
        return Err(ApiError(AppError::invalid("invalid_query", "per_page", "Mỗi trang có từ 1 đến 100 dòng")));
    }
    Ok(())
}
