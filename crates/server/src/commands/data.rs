//! `motcua migrate`, `motcua demo`, `motcua generate dossiers` and `motcua files sweep`: the
//! database, its demo content and its files.

use motcua_app::Actor;

use super::{app_err, open, print_json, progress_of, with_app};
use crate::config::{Config, redact_url};

pub async fn migrate(cfg: &Config) -> anyhow::Result<()> {
    open(cfg).await?.close().await;
    println!("Cơ sở dữ liệu đã được cập nhật ({})", redact_url(&cfg.database_url()));
    Ok(())
}

pub async fn demo(cfg: &Config) -> anyhow::Result<()> {
    let r = with_app(cfg, |app| async move { motcua_demo::load(&app).await.map_err(app_err) }).await?;
    print_json(&r)
}

pub async fn generate(cfg: &Config, opts: motcua_demo::generate::GenerateOptions) -> anyhow::Result<()> {
    let pb = progress_of(opts.count as usize, "hồ sơ");
    let bar = pb.clone();
    let started = std::time::Instant::now();
    let r = with_app(cfg, |app| async move {
        let progress = std::sync::Arc::new(move |n| bar.set_position(n));
        motcua_demo::generate::generate_dossiers(&app, &Actor::Cli, &opts, progress).await.map_err(app_err)
    })
    .await;
    pb.finish_and_clear();
    let r = r?;
    let secs = started.elapsed().as_secs_f64();
    eprintln!("{} hồ sơ trong {secs:.1} s ({:.0} hồ sơ/s)", r.created, r.created as f64 / secs.max(1e-9));
    print_json(&r)
}

pub async fn sweep_files(cfg: &Config, older_than_minutes: i64) -> anyhow::Result<()> {
    let older = chrono::Duration::minutes(older_than_minutes.max(1));
    let r = with_app(cfg, |app| async move { app.sweep_files(&Actor::Cli, older).await.map_err(app_err) }).await?;
    print_json(&r)
}

pub async fn index_rebuild(cfg: &Config) -> anyhow::Result<()> {
    let n = with_app(cfg, |app| async move { app.rebuild_index().await.map_err(app_err) }).await?;
    println!("Đã tính lại chỉ số 766 từ {n} hồ sơ");
    Ok(())
}

pub async fn index_check(cfg: &Config, period: &str) -> anyhow::Result<()> {
    let period = period.to_owned();
    let r = with_app(cfg, |app| async move { app.index_check(&Actor::Cli, &period).await.map_err(app_err) }).await?;
    print_json(&r)?;
    anyhow::ensure!(r.differences.is_empty(), "the live sums differ from the dossiers: {:?}", r.differences);
    Ok(())
}
