//! `motcua import plan` and `motcua plan ...`: the province's plan from the command line.

use std::path::PathBuf;

use anyhow::Context;
use motcua_app::Actor;

use super::{app_err, print_json, short, with_app};
use crate::cli::PlanCmd;
use crate::config::Config;

/// `motcua import plan FILE`.
pub async fn import(cfg: &Config, file: &PathBuf, json: bool) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let a = with_app(cfg, |app| async move { app.import_plan(&Actor::Cli, &text).await.map_err(app_err) }).await?;
    if json {
        return print_json(&a);
    }
    print_plan_import(&a);
    Ok(())
}

/// `motcua plan show|overview`.
pub async fn run(cfg: &Config, cmd: PlanCmd) -> anyhow::Result<()> {
    match cmd {
        PlanCmd::Show { id, json } => {
            let p = with_app(cfg, |app| async move { app.plan(&Actor::Cli, id).await.map_err(app_err) }).await?;
            if json {
                return print_json(&p);
            }
            print_plan(&p);
        }
        PlanCmd::Overview { id, month, json } => {
            let o = with_app(cfg, |app| async move {
                app.plan_overview(&Actor::Cli, id, month.as_deref()).await.map_err(app_err)
            })
            .await?;
            if json {
                return print_json(&o);
            }
            print_overview(&o);
        }
    }
    Ok(())
}

fn print_overview(o: &motcua_app::plan::PlanOverview) {
    println!("Tháng {} (hôm nay {})", o.month, o.today.format("%d/%m/%Y"));
    println!("Nhiệm vụ quá hạn: {}", o.overdue.len());
    for t in &o.overdue {
        println!(
            "  {} {} — {}; chưa hoàn thành: {}/{}",
            t.key,
            short(&t.title),
            t.deadline.text,
            t.not_done.len(),
            t.leads
        );
    }
    println!("Cơ quan chưa báo cáo: {}", o.missing.len());
    for m in &o.missing {
        println!("  {} ({}): {}", m.name, m.agency, m.tasks.join(", "));
    }
}

fn print_plan_import(a: &motcua_app::plan::PlanImportAnswer) {
    use motcua_storage::PlanOutcome;
    let r = &a.report;
    let outcome = match a.imported.outcome {
        PlanOutcome::Created => "đã tạo",
        PlanOutcome::Updated => "đã cập nhật",
        PlanOutcome::Unchanged => "không đổi (đã nhập nội dung này)",
    };
    println!("Kế hoạch {}: {outcome}", a.imported.id);
    println!(
        "{} mục, {} nhiệm vụ, {} nội dung con, {} chỉ tiêu ({} chưa gắn chỉ số), {} cơ quan được kiểm tra; {} tên cơ quan khớp bản đồ",
        r.sections, r.tasks, r.sub_items, r.targets, r.targets_without_metric, r.inspections, r.agencies_matched
    );
    for k in &a.imported.removed {
        println!("  Bỏ (không còn trong tệp): {k}");
    }
    if !r.unmatched_agencies.is_empty() {
        println!("Tên cơ quan không khớp bản đồ (giữ nguyên văn):");
        for f in &r.unmatched_agencies {
            println!("  {}: {}", f.at, f.text);
        }
    }
    if !r.deadlines_not_understood.is_empty() {
        println!("Thời hạn chưa đọc được (giữ nguyên văn):");
        for f in &r.deadlines_not_understood {
            println!("  {}: {}", f.at, f.text);
        }
    }
    if r.deadlines_not_understood.is_empty() {
        println!("Mọi thời hạn đều đọc được.");
    }
    if !r.notes.is_empty() {
        println!("Ghi chú khi đọc:");
        for f in &r.notes {
            println!("  {}: {}", f.at, f.text);
        }
    }
}

fn print_plan(p: &motcua_storage::StoredPlan) {
    println!("{} (năm {}, {})", p.plan.title, p.plan.year, p.id);
    for s in &p.plan.sections {
        println!("{}. {}", s.number, s.title);
        for t in &s.tasks {
            let lead: Vec<&str> = t.lead.iter().map(|x| x.label()).collect();
            println!("  {} {}", t.number, short(&t.title));
            println!("      chủ trì: {}; thời hạn: {} ({})", lead.join("; "), t.deadline.text, t.deadline.reading_vi());
        }
    }
    println!("{}", p.plan.inspection_title);
    for i in &p.plan.inspections {
        println!("  {}.{} {}", i.group, i.number, i.text);
    }
}
