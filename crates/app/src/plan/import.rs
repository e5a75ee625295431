//! Importing the plan document: the province on the map of its date, agencies matched by name.

use motcua_domain::admin::{AgencyKind, UnitLevel};
use motcua_domain::plan::ImportReport;
use motcua_domain::plan::parties::{Matcher, name_key};
use motcua_storage::{AgencyQuery, PlanImported, UnitQuery};
use serde::Serialize;

use crate::{Actor, App, AppError, AppResult};

/// What `import plan` did and read.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct PlanImportAnswer {
    #[serde(flatten)]
    pub imported: PlanImported,
    pub report: ImportReport,
}

impl App {
    /// Import the plan document (`motcua import plan FILE`, `POST /api/v1/plans`).
    pub async fn import_plan(&self, actor: &Actor, text: &str) -> AppResult<PlanImportAnswer> {
        actor.require_admin()?;
        let draft = motcua_domain::plan::import::document::read(text)?;
        let on = draft.effective();
        let agencies = self.store.agencies(&AgencyQuery { on: Some(on), ..AgencyQuery::default() }).await?;
        let units = self.store.units(&UnitQuery { on: Some(on), ..UnitQuery::default() }).await?;
        let province = units
            .iter()
            .filter(|u| u.level == UnitLevel::Province)
            .find(|u| name_key(&u.name, "") == name_key(&draft.province, ""))
            .ok_or_else(|| {
                AppError::invalid(
                    "plan_province_unknown",
                    "file",
                    format!("Bản đồ hành chính không có «{}» vào ngày {}", draft.province, on.format("%d/%m/%Y")),
                )
            })?;
        let owner =
            agencies.iter().find(|a| a.kind == AgencyKind::ProvincialCommittee && a.unit == province.code).ok_or_else(
                || AppError::invalid("plan_province_unknown", "file", format!("Không có UBND của {}", province.name)),
            )?;
        let (plan, report) = draft.resolve(&Matcher::new(&agencies, &province.name), owner.code.clone());
        let content = serde_json::to_string(&plan).map_err(|e| AppError::Internal(e.to_string()))?;
        let hash = motcua_files::sha256_hex(content.as_bytes());
        let audit = actor.audit(
            self.now(),
            "plan.import",
            "plan",
            "-",
            serde_json::json!({ "year": plan.year, "title": plan.title, "tasks": report.tasks + report.sub_items }),
        );
        let imported = self.store.import_plan(&plan, &hash, self.now(), &audit).await?;
        Ok(PlanImportAnswer { imported, report })
    }
}
