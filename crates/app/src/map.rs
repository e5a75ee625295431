//! Administrative map use cases.

use chrono::NaiveDate;
use motcua_domain::admin::{AdminUnit, Agency, Successor, resolve_on};
use motcua_domain::ids::{AgencyCode, UnitCode};
use motcua_storage::{AdminMap, AgencyQuery, ImportSummary, UnitQuery};
use serde::Serialize;

use crate::{Actor, App, AppError, AppResult};

/// "What is unit X on date D": the unit itself and the units it became.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct UnitOnDate {
    pub unit: AdminUnit,
    pub date: NaiveDate,
    /// Valid units on the date, reached by following successor links (the unit itself when it
    /// is still valid).
    pub current: Vec<CurrentUnit>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct CurrentUnit {
    pub unit: AdminUnit,
    pub path: Vec<UnitCode>,
    pub partial: bool,
}

impl App {
    pub async fn import_map(&self, actor: &Actor, map: &AdminMap) -> AppResult<ImportSummary> {
        actor.require_admin()?;
        for (i, u) in map.units.iter().enumerate() {
            u.validity.check(&format!("units[{i}].valid_to"))?;
            if u.name.trim().is_empty() {
                return Err(AppError::invalid(
                    "required",
                    format!("units[{i}].name"),
                    "Tên đơn vị không được để trống",
                ));
            }
        }
        for (i, a) in map.agencies.iter().enumerate() {
            a.validity.check(&format!("agencies[{i}].valid_to"))?;
        }
        let audit = actor.audit(
            self.now(),
            "map.import",
            "admin_map",
            "*",
            serde_json::json!({ "units": map.units.len(), "successors": map.successors.len(), "agencies": map.agencies.len() }),
        );
        let summary = self.store.import_map(map, &audit).await?;
        self.caches.agencies.clear();
        Ok(summary)
    }

    pub async fn units(&self, query: &UnitQuery) -> AppResult<Vec<AdminUnit>> {
        Ok(self.store.units(query).await?)
    }

    pub async fn agencies(&self, query: &AgencyQuery) -> AppResult<Vec<Agency>> {
        Ok(self.store.agencies(query).await?)
    }

    /// The name of an agency (its code when it is not on the map).
    pub async fn agency_name(&self, code: &AgencyCode) -> AppResult<String> {
        Ok(self.agency(code).await?.map(|a| a.name).unwrap_or_else(|| code.to_string()))
    }

    /// An agency of the map, kept in memory for the refresh delay (intake and notices read one
    /// per request).
    pub async fn agency(&self, code: &AgencyCode) -> AppResult<Option<Agency>> {
        self.caches
            .agencies
            .get(code, self.config.catalog_refresh, || async { Ok(self.store.agency(code).await?) })
            .await
    }

    /// Follow successor links from `code` to the units valid on `date` (default today).
    pub async fn unit_on(&self, code: &str, date: Option<NaiveDate>) -> AppResult<UnitOnDate> {
        let code = UnitCode::parse(code)?;
        let date = date.unwrap_or_else(|| self.today());
        let unit =
            self.store.unit(&code).await?.ok_or_else(|| AppError::NotFound(format!("đơn vị hành chính {code}")))?;
        // The map of a province is a few hundred units: load it once and resolve in memory.
        let all = self.store.units(&UnitQuery::default()).await?;
        let links = self.store.successor_links().await?;
        let found: Vec<Successor> = resolve_on(
            &code,
            date,
            |c| all.iter().find(|u| &u.code == c),
            |c| links.iter().filter(|l| &l.from == c).collect(),
        );
        let current = found
            .into_iter()
            .filter_map(|s| {
                all.iter().find(|u| u.code == s.code).map(|u| CurrentUnit {
                    unit: u.clone(),
                    path: s.path,
                    partial: s.partial,
                })
            })
            .collect();
        Ok(UnitOnDate { unit, date, current })
    }
}
