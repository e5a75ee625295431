//! Demo data: the administrative map of Hải Dương (2024) and Hải Phòng (from 1 July 2025), the
//! catalog converted from the 112 published national records, and one account per role.
//! Loading is idempotent: a second run changes nothing.
//!
//! Also here, because only the demo, the benchmarks and the command line use them: the dossier
//! generator ([`generate`]), which replays months of work through the use cases, and the [`national`]
//! converter of published procedure records into the catalog's import format.

pub mod generate;
pub mod national;

use motcua_app::accounts::NewAccount;
use motcua_app::{Actor, App, AppError, AppResult};
use motcua_domain::user::Role;
use motcua_storage::{AdminMap, AgencyQuery, ImportSummary};

use crate::national::{Assignment, NationalRecord, convert};

pub const MAP_JSON: &str = include_str!("../../../demo/map.json");
pub const NATIONAL_JSON: &str = include_str!("../../../demo/procedures-national.json");
pub const ASSIGNMENT_JSON: &str = include_str!("../../../demo/assignment.json");
/// Demo declaration forms by procedure code (see its notes).
pub const EFORMS_JSON: &str = include_str!("../../../demo/eforms.json");
/// Demo additions to procedures published without them (see its notes).
pub const ADDITIONS_JSON: &str = include_str!("../../../demo/catalog-additions.json");

/// Password of every demo account. Demo only: documented in the README, never for production.
pub const DEMO_PASSWORD: &str = "motcua-demo-2026";

/// The demo accounts: username, full name, role, agency.
pub const DEMO_USERS: [(&str, &str, Role, Option<&str>); 8] = [
    ("admin", "Quản trị viên Văn phòng UBND thành phố", Role::Admin, None),
    ("motcua", "Nguyễn Thị Lan (Bộ phận Một cửa)", Role::DeskOfficer, Some("H24.02")),
    // A commune: its one-stop desk, and the justice officer who certifies copies.
    ("motcua.xa", "Đỗ Thị Hoa (Một cửa phường Hải Dương)", Role::DeskOfficer, Some("H24.101.01")),
    ("tuphap.xa", "Bùi Văn Nam (Tư pháp phường Hải Dương)", Role::Leader, Some("H24.101")),
    ("chuyenvien", "Trần Văn Minh (Sở Tư pháp)", Role::Specialist, Some("H24.11")),
    ("lanhdao", "Phạm Quốc Hùng (Lãnh đạo Sở Tư pháp)", Role::Leader, Some("H24.11")),
    ("quantri.sotp", "Lê Thu Hà (Quản trị Sở Tư pháp)", Role::UnitAdmin, Some("H24.11")),
    ("congdan", "Vũ Minh Anh", Role::Citizen, None),
];

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

#[derive(serde::Deserialize)]
struct DemoEForms {
    forms: std::collections::BTreeMap<String, motcua_domain::procedure::eform::EForm>,
}

#[derive(serde::Deserialize)]
struct DemoAdditions {
    time_limits: std::collections::BTreeMap<String, motcua_domain::procedure::TimeLimit>,
    conditional_components: std::collections::BTreeMap<String, Vec<usize>>,
}

/// The demo's additions to the converted catalog: declaration forms, time limits and
/// conditional components the published records leave out.
pub fn with_demo_overlays(procedures: &mut [motcua_domain::procedure::Procedure]) -> AppResult<()> {
    with_demo_eforms(procedures)?;
    let add: DemoAdditions = parse("catalog additions", ADDITIONS_JSON)?;
    let find = |procedures: &mut [motcua_domain::procedure::Procedure], code: &str| {
        let i = procedures.iter().position(|p| p.code.as_str() == code);
        i.ok_or_else(|| AppError::Internal(format!("demo catalog additions: no procedure {code} in the catalog")))
    };
    for (code, limit) in add.time_limits {
        let i = find(procedures, &code)?;
        for v in &mut procedures[i].versions {
            v.content.time_limit = Some(limit.clone());
        }
    }
    for (code, positions) in add.conditional_components {
        let i = find(procedures, &code)?;
        for v in &mut procedures[i].versions {
            for &n in &positions {
                let c = v.content.components.get_mut(n).ok_or_else(|| {
                    AppError::Internal(format!("demo catalog additions: {code} has no component {n}"))
                })?;
                c.conditional = true;
            }
            v.content.validate().map_err(|e| AppError::Internal(format!("demo catalog additions: {code}: {e}")))?;
        }
    }
    Ok(())
}

/// Give the procedures the demo has a declaration form for that form (every version), checked
/// with the version; a code the catalog lacks is an error of the demo data.
pub fn with_demo_eforms(procedures: &mut [motcua_domain::procedure::Procedure]) -> AppResult<()> {
    let forms: DemoEForms = parse("e-forms", EFORMS_JSON)?;
    for (code, form) in forms.forms {
        let p = procedures
            .iter_mut()
            .find(|p| p.code.as_str() == code)
            .ok_or_else(|| AppError::Internal(format!("demo e-forms: no procedure {code} in the catalog")))?;
        for v in &mut p.versions {
            v.content.declaration = Some(form.clone());
            v.content.validate().map_err(|e| AppError::Internal(format!("demo e-forms: {code}: {e}")))?;
        }
    }
    Ok(())
}

/// Load the demo data into `app`'s store (as the system): the map, the catalog, the accounts
/// and the plan. A second run changes nothing.
pub async fn load(app: &App) -> AppResult<DemoReport> {
    let actor = Actor::System;
    app.seed_calendars().await?;
    let map = app.import_map(&actor, &demo_map()?).await?;
    let a = assignment()?;
    let agencies = app.agencies(&AgencyQuery { on: Some(a.effective_from), ..AgencyQuery::default() }).await?;
    let mut procs = convert(&national_records()?, &a, &agencies)?;
    with_demo_overlays(&mut procs)?;
    let procedures = app.import_procedures(&actor, &procs, &|_| {}).await?;
    let mut users_created = 0;
    for (username, full_name, role, agency) in DEMO_USERS {
        let account = NewAccount {
            username: username.into(),
            full_name: full_name.into(),
            role,
            agency: agency.map(str::to_owned),
            // Staff receive the deadline watch's warnings (a demo domain: nothing leaves the
            // machine unless SMTP is configured).
            email: agency.map(|_| format!("{username}@motcua.haiphong.example")),
            password: DEMO_PASSWORD.into(),
        };
        match app.add_user(&actor, account).await {
            Ok(_) => users_created += 1,
            Err(AppError::NotAllowed { code: "username_taken", .. }) => {}
            Err(e) => return Err(e),
        }
    }
    // The demo citizen's account remembers its applicant details, as after a first filing
    // (written again at each load: the same values).
    {
        let me = motcua_app::dossiers::ApplicantInput {
            kind: "citizen".into(),
            id: "031095001234".into(),
            name: "Vũ Minh Anh".into(),
            phone: Some("0912345678".into()),
            email: Some("vu.minh.anh@example.vn".into()),
            address: Some("Xã Kẻ Sặt, thành phố Hải Phòng".into()),
        };
        app.set_account_applicant(&actor, "congdan", &me).await?;
        // Their identity checked (as the identity provider would at sign-in): the vault opens.
        app.link_identity(&actor, "congdan", "citizen", "031095001234").await?;
    }
    let plan = app.import_plan(&actor, DEMO_PLAN).await?.imported.outcome;
    Ok(DemoReport { map, procedures, users_created, plan })
}
