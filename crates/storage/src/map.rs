//! The administrative map: units, agencies and the successor links between them.

use chrono::NaiveDate;
use motcua_domain::admin::{AdminUnit, Agency, AgencyKind, SuccessorLink, UnitLevel};
use motcua_domain::ids::{AgencyCode, UnitCode};
use serde::Serialize;

use crate::{AuditEntry, ImportSummary, StoreResult};

/// Filters of the unit list.
#[derive(Debug, Clone, Default)]
pub struct UnitQuery {
    pub level: Option<UnitLevel>,
    pub parent: Option<UnitCode>,
    /// Only units valid on this date.
    pub on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default)]
pub struct AgencyQuery {
    pub kind: Option<AgencyKind>,
    pub unit: Option<UnitCode>,
    pub on: Option<NaiveDate>,
}

/// The administrative map: units, successor links, agencies.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct AdminMap {
    #[serde(default)]
    pub units: Vec<AdminUnit>,
    #[serde(default)]
    pub successors: Vec<SuccessorLink>,
    #[serde(default)]
    pub agencies: Vec<Agency>,
}

#[async_trait::async_trait]
pub trait MapRepo {
    /// Insert or update units, links and agencies, all or nothing.
    async fn import_map(&self, map: &AdminMap, audit: &AuditEntry) -> StoreResult<ImportSummary>;
    async fn units(&self, query: &UnitQuery) -> StoreResult<Vec<AdminUnit>>;
    async fn unit(&self, code: &UnitCode) -> StoreResult<Option<AdminUnit>>;
    /// Every successor link (the graph is small: a province has a few hundred units).
    async fn successor_links(&self) -> StoreResult<Vec<SuccessorLink>>;
    async fn agencies(&self, query: &AgencyQuery) -> StoreResult<Vec<Agency>>;
    async fn agency(&self, code: &AgencyCode) -> StoreResult<Option<Agency>>;
}
