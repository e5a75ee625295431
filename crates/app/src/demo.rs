//! Demo data: the administrative map of Hải Dương (2024) and Hải Phòng (from 1 July 2025), the
//! catalog converted from the 112 published national records, and one account per role.
//! Loading is idempotent: a second run changes nothing.

use motcua_domain::ids::Username;
use motcua_domain::user::Role;
use motcua_storage::{AdminMap, AgencyQuery, ImportSummary, MapRepo, UserRepo};

use crate::accounts::NewAccount;
use crate::national::{Assignment, NationalRecord, convert};
use crate::{Actor, App, AppError, AppResult};

pub const MAP_JSON: &str = include_str!("../../../demo/map.json");
pub const NATIONAL_JSON: &str = include_str!("../../../demo/procedures-national.json");
pub const ASSIGNMENT_JSON: &str = include_str!("../../../demo/assignment.json");

/// Password of every demo account. Demo only: documented in the README, never for production.
pub const DEMO_PASSWORD: &str = "motcua-demo-2026";

/// The demo accounts: username, full name, role, agency.
pub const DEMO_USERS: [(&str, &str, Role, Option<&str>); 6] = [
    ("admin", "Quản trị viên Văn phòng UBND thành phố", Role::Admin, None),
    ("motcua", "Nguyễn Thị Lan (Bộ phận Một cửa)", Role::DeskOfficer, Some("H24.02")),
    ("chuyenvien", "Trần Văn Minh (Sở Tư pháp)", Role::Specialist, Some("H24.11")),
    ("lanhdao", "Phạm Quốc Hùng (Lãnh đạo Sở Tư pháp)", Role::Leader, Some("H24.11")),
    ("quantri.sotp", "Lê Thu Hà (Quản trị Sở Tư pháp)", Role::UnitAdmin, Some("H24.11")),
    ("congdan", "Vũ Minh Anh", Role::Citizen, None),
];

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, serde::Serialize)]
pub struct DemoReport {
    pub map: ImportSummary,
    pub procedures: ImportSummary,
    pub users_created: u32,
    /// The seed plan (Hải Dương 2024): created, or unchanged when already imported.
    pub plan: motcua_storage::PlanOutcome,
}

/// The province's plan the demo imports: the seed document as published.
pub const DEMO_PLAN: &str = include_str!("../../../demo/plan-2024.txt");

fn parse<T: serde::de::DeserializeOwned>(what: &str, json: &str) -> AppResult<T> {
    serde_json::from_str(json).map_err(|e| AppError::Internal(format!("demo {what}: {e}")))
}

pub fn demo_map() -> AppResult<AdminMap> {
    parse("map", MAP_JSON)
}

pub fn national_records() -> AppResult<Vec<NationalRecord>> {
    parse("national records", NATIONAL_JSON)
}

pub fn assignment() -> AppResult<Assignment> {
    parse("assignment", ASSIGNMENT_JSON)
}

impl App {
    pub async fn load_demo(&self) -> AppResult<DemoReport> {
        let actor = Actor::System;
        self.seed_calendars().await?;
        let map = self.import_map(&actor, &demo_map()?).await?;
        let a = assignment()?;
        let agencies =
            self.store.agencies(&AgencyQuery { on: Some(a.effective_from), ..AgencyQuery::default() }).await?;
        let procs = convert(&national_records()?, &a, &agencies)?;
        let procedures = self.import_procedures(&actor, &procs, &|_| {}).await?;
        let mut users_created = 0;
        for (username, full_name, role, agency) in DEMO_USERS {
            let u = Username::parse(username)?;
            if self.store.user_credentials(&u).await?.is_some() {
                continue;
            }
            self.add_user(
                &actor,
                NewAccount {
                    username: username.into(),
                    full_name: full_name.into(),
                    role,
                    agency: agency.map(str::to_owned),
                    password: DEMO_PASSWORD.into(),
                },
            )
            .await?;
            users_created += 1;
        }
        let plan = self.import_plan(&actor, DEMO_PLAN).await?.imported.outcome;
        Ok(DemoReport { map, procedures, users_created, plan })
    }
}
