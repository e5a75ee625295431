//! `motcua import procedures|map|national` and `motcua export procedures`: the catalog and the
//! administrative map from files.

use std::path::PathBuf;

use anyhow::Context;
use motcua_app::Actor;
use motcua_domain::procedure::Procedure;
use motcua_storage::AdminMap;

use super::{app_err, import_procedures, read_json, with_app};
use crate::config::Config;

/// Procedures with their versions (docs/IMPORT.md).
pub async fn import(cfg: &Config, file: &PathBuf) -> anyhow::Result<()> {
    let procs: Vec<Procedure> = read_json(file)?;
    with_app(cfg, |app| async move { import_procedures(&app, &procs).await }).await
}

/// The administrative map: units, successor links, agencies.
pub async fn import_map(cfg: &Config, file: &PathBuf) -> anyhow::Result<()> {
    let map: AdminMap = read_json(file)?;
    let s = with_app(cfg, |app| async move { app.import_map(&Actor::Cli, &map).await.map_err(app_err) }).await?;
    println!("Đã nhập: {} mới, {} cập nhật, {} không đổi", s.created, s.updated, s.unchanged);
    Ok(())
}

/// Published national records converted with an assignment file, then imported or written out.
pub async fn import_national(
    cfg: &Config,
    file: &PathBuf,
    assignment: &PathBuf,
    out: Option<PathBuf>,
) -> anyhow::Result<()> {
    let records: Vec<motcua_demo::national::NationalRecord> = read_json(file)?;
    let assignment: motcua_demo::national::Assignment = read_json(assignment)?;
    with_app(cfg, |app| async move {
        let on = motcua_storage::AgencyQuery { on: Some(assignment.effective_from), ..Default::default() };
        let agencies = app.agencies(&on).await.map_err(app_err)?;
        let procs = motcua_demo::national::convert(&records, &assignment, &agencies)
            .map_err(|e| anyhow::anyhow!("{}: {}", e.field, e.message))?;
        match out {
            Some(out) => {
                std::fs::write(&out, serde_json::to_string_pretty(&procs)?)?;
                println!("Đã chuyển đổi {} thủ tục vào {}", procs.len(), out.display());
                Ok(())
            }
            None => import_procedures(&app, &procs).await,
        }
    })
    .await
}

/// Every procedure with all its versions, in the import format.
pub async fn export(cfg: &Config, out: Option<PathBuf>) -> anyhow::Result<()> {
    let procs = with_app(cfg, |app| async move { app.export_procedures(&Actor::Cli).await.map_err(app_err) }).await?;
    let json = serde_json::to_string_pretty(&procs)?;
    match out {
        Some(out) => std::fs::write(&out, json).with_context(|| format!("writing {}", out.display()))?,
        None => println!("{json}"),
    }
    Ok(())
}
