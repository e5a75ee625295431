//! `/kho-giay-to`: the citizen's document vault — their documents, and every access to them.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::Response;
use motcua_app::vault::VaultView;

use super::{Layout, PageError, page_err};
use crate::AppState;
use crate::auth::Caller;

#[derive(Template, WebTemplate)]
#[template(path = "vault.html")]
pub struct VaultPage {
    layout: Layout,
    v: VaultView,
}

impl VaultPage {
    fn when(&self, t: &chrono::DateTime<chrono::Utc>) -> String {
        super::vn_time(t)
    }
    fn action_vi(&self, action: &str) -> &'static str {
        match action {
            "vault.reuse" => "Dùng cho hồ sơ",
            "vault.download" => "Tải về",
            _ => "Truy cập",
        }
    }
}

pub async fn show(State(s): State<AppState>, caller: Caller) -> Result<VaultPage, PageError> {
    let v = s.app.my_vault(&caller.actor).await.map_err(page_err(&caller, "vault"))?;
    Ok(VaultPage { layout: Layout::of(&caller.actor, "vault"), v })
}

/// `/kho-giay-to/{id}`: download one of the holder's documents.
pub async fn download(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let (item, bytes) = s.app.vault_file(&caller.actor, &id).await.map_err(page_err(&caller, "vault"))?;
    Ok(crate::http::files::stored_file_response(&item.file, bytes))
}
