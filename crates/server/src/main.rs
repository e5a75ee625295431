//! `motcua`: the one binary. It parses the command line, loads the configuration, wires the
//! store, the use cases and the web router, and runs. The logic lives in the library crates.

use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use motcua_app::accounts::NewAccount;
use motcua_app::{Actor, App, AppConfig, AppError, ConnectOptions, SystemClock};
use motcua_domain::procedure::Procedure;
use motcua_domain::user::Role;
use motcua_jobs::{HttpSmsGateway, RetryPolicy, Sender, SmtpSender, Worker, WorkerOptions, dir_sender};
use motcua_storage::AdminMap;

mod config;
use config::{Config, Overrides, redact_url};

#[derive(Parser, Debug)]
#[command(name = "motcua", version, about = "Hệ thống một cửa giải quyết thủ tục hành chính")]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Debug)]
struct Global {
    /// Data folder (SQLite database, files). Env: MOTCUA_DATA_DIR.
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    /// Database URL: sqlite:PATH or postgres://... Env: MOTCUA_DATABASE_URL.
    #[arg(long, global = true)]
    database_url: Option<String>,
    /// TOML configuration file (default: ./motcua.toml when present).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the web server (API and pages).
    Serve {
        /// Load the demo data (map, catalog, accounts) before serving; idempotent.
        #[arg(long)]
        demo: bool,
        /// Address to listen on, e.g. 127.0.0.1:8080. Env: MOTCUA_LISTEN.
        #[arg(long)]
        listen: Option<String>,
    },
    /// Apply pending database migrations.
    Migrate,
    /// Import data (all or nothing).
    #[command(subcommand)]
    Import(ImportCmd),
    /// Export data.
    #[command(subcommand)]
    Export(ExportCmd),
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCmd),
    /// Load the demo data without serving.
    Demo,
    /// Legal time: lunar calendar, holidays, due dates.
    #[command(subcommand)]
    Calendar(CalendarCmd),
    /// Fill the database with realistic data, made through the use cases.
    #[command(subcommand)]
    Generate(GenerateCmd),
    /// Background work: deliver the outbox (notices by e-mail and SMS).
    #[command(subcommand)]
    Jobs(JobsCmd),
    /// The province's plan (import it with `motcua import plan FILE`).
    #[command(subcommand)]
    Plan(PlanCmd),
    /// The file store.
    #[command(subcommand)]
    Files(FilesCmd),
}

#[derive(Subcommand, Debug)]
enum FilesCmd {
    /// Delete stored files no row refers to (left by a crash between the bytes and the row),
    /// written more than --older-than-minutes ago. `serve` does it every hour too.
    Sweep {
        #[arg(long, default_value_t = 60)]
        older_than_minutes: i64,
    },
}

#[derive(Subcommand, Debug)]
enum PlanCmd {
    /// Print a plan: sections, tasks (sub-items `2.1`, `2.2`, ... after their task) with lead
    /// and cooperating agencies, product, deadline and targets; the appendix's inspections.
    Show {
        /// Plan id (default: the latest plan).
        #[arg(long)]
        id: Option<uuid::Uuid>,
        #[arg(long)]
        json: bool,
    },
    /// Overdue tasks and agencies without a report for a month.
    Overview {
        #[arg(long)]
        id: Option<uuid::Uuid>,
        /// YYYY-MM (default: the current month, or the plan's last month once its year is over).
        #[arg(long)]
        month: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
enum JobsCmd {
    /// Run the outbox worker apart from the web server (set `jobs.in_server = false` there), until
    /// Ctrl-C; with --once, deliver what is due now and exit.
    Run {
        #[arg(long)]
        once: bool,
    },
}

#[derive(Subcommand, Debug)]
enum GenerateCmd {
    /// Dossiers over the last months: all channels, outcomes and timings, over the desks and
    /// procedures of the catalog (load the demo data first).
    Dossiers {
        #[arg(long)]
        count: u64,
        /// Spread the receipts over this many months up to now.
        #[arg(long, default_value_t = 6)]
        months: u32,
        /// Same seed, same dossiers.
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// Dossiers made at once.
        #[arg(long, default_value_t = 8)]
        workers: usize,
    },
}

#[derive(Subcommand, Debug)]
enum CalendarCmd {
    /// Solar date → lunar date.
    Lunar {
        /// YYYY-MM-DD
        date: String,
        #[arg(long)]
        json: bool,
    },
    /// Lunar date → solar date.
    Solar {
        /// YYYY-MM-DD of the lunar calendar
        #[arg(long)]
        lunar: String,
        /// The month is the leap month of that number.
        #[arg(long)]
        leap: bool,
        #[arg(long)]
        json: bool,
    },
    /// The holidays, compensatory days, swaps and make-up days of a year.
    Holidays {
        year: i32,
        #[arg(long)]
        json: bool,
    },
    /// The due instant of a dossier.
    Due {
        /// Receipt instant, RFC 3339 (e.g. 2025-01-24T10:00:00+07:00).
        #[arg(long)]
        from: String,
        #[arg(long, allow_negative_numbers = true)]
        working_days: Option<i64>,
        #[arg(long, allow_negative_numbers = true)]
        working_hours: Option<i64>,
        #[arg(long, allow_negative_numbers = true)]
        days: Option<i64>,
        /// A suspension FROM/TO (RFC 3339), repeatable.
        #[arg(long = "pause")]
        pauses: Vec<String>,
        /// List the days skipped and counted, and why.
        #[arg(long)]
        explain: bool,
        /// Agency whose office hours apply (default: the province's).
        #[arg(long)]
        agency: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
enum ImportCmd {
    /// The province's annual plan as published (the seed's shape: tab-separated tables with
    /// HTML fragments, page-break repeats of the header). Re-importing the same file changes
    /// nothing.
    Plan {
        file: PathBuf,
        /// Print what was imported as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Procedures with their versions (docs/IMPORT.md).
    Procedures { file: PathBuf },
    /// The administrative map: units, successor links, agencies.
    Map { file: PathBuf },
    /// Announced holiday schedules: a JSON object `{"year", "days": [{"date", "kind", "name",
    /// "source"}]}` or an array of them (calendars/vn-official.json holds them under
    /// "schedules"). Each year replaces the statutory default of that year.
    Calendar { file: PathBuf },
    /// Published national records (demo/procedures-national.json shape), converted with an
    /// assignment file (demo/assignment.json shape) and imported.
    National {
        file: PathBuf,
        #[arg(long)]
        assignment: PathBuf,
        /// Write the converted procedures here instead of importing them.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
enum ExportCmd {
    /// Every procedure with all its versions, in the import format.
    Procedures {
        /// Output file (default: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
enum UserCmd {
    /// Create an account; the password is read from standard input.
    Add {
        #[arg(long)]
        username: String,
        #[arg(long)]
        password_stdin: bool,
        /// citizen, desk-officer, specialist, leader, unit-admin, admin
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Agency electronic identifier (required for staff roles).
        #[arg(long)]
        agency: Option<String>,
        #[arg(long)]
        full_name: Option<String>,
    },
    /// Set a new password (read from standard input); open sessions end.
    Password {
        #[arg(long)]
        username: String,
        #[arg(long)]
        password_stdin: bool,
    },
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).map_err(|e| e.message)
}

fn init_tracing(cfg: &Config) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("MOTCUA_LOG").unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let b = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if cfg.log_format == "json" {
        b.json().init();
    } else {
        b.init();
    }
}

async fn open(cfg: &Config) -> anyhow::Result<App> {
    std::fs::create_dir_all(&cfg.data_dir).with_context(|| format!("creating data dir {}", cfg.data_dir.display()))?;
    let url = cfg.database_url();
    let opts = ConnectOptions {
        max_connections: cfg.max_connections,
        sqlite_sync: cfg.sqlite_sync,
        ..ConnectOptions::default()
    };
    let app_cfg = AppConfig {
        session_hours: cfg.session_hours,
        token_hours: cfg.token_hours,
        catalog_refresh: std::time::Duration::from_millis(cfg.catalog_refresh_ms),
        public_url: cfg
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", cfg.listen))
            .trim_end_matches('/')
            .to_owned(),
        notices: motcua_domain::notice::NoticeSettings {
            email: cfg.notify.email,
            sms: cfg.notify.sms,
            sms_ascii: cfg.notify.sms_ascii,
        },
        limits: cfg.security.limits,
        password_workers: cfg.security.password_workers,
        password_queue: cfg.security.password_queue,
        idempotency_hours: cfg.security.idempotency_hours.max(1),
        trusted_proxies: cfg.security.trusted_proxies.clone(),
        ..AppConfig::default()
    };
    let files = motcua_files::FileStore::from_config(&cfg.files, &cfg.data_dir).context("opening the file store")?;
    let app = App::open(&url, &opts, Arc::new(SystemClock), app_cfg)
        .await
        .map_err(|e| anyhow::anyhow!("opening database {}: {}", redact_url(&url), describe(&e)))?;
    Ok(app.with_files(files))
}

/// An application error as an operator reads it: code, field and message.
fn describe(e: &AppError) -> String {
    let b = e.body();
    match (&b.field, e) {
        (_, AppError::Internal(cause)) => cause.clone(),
        (Some(f), _) => format!("[{}] {}: {}", b.code, f, b.message),
        (None, _) => format!("[{}] {}", b.code, b.message),
    }
}

fn read_json<T: serde::de::DeserializeOwned>(path: &PathBuf) -> anyhow::Result<T> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text)
        .map_err(|e| anyhow::anyhow!("{}: line {}, column {}: {e}", path.display(), e.line(), e.column()))
}

fn read_password(stdin: bool) -> anyhow::Result<String> {
    anyhow::ensure!(stdin, "pass --password-stdin and write the password on standard input (it is never a flag)");
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s)?;
    Ok(s.trim_end_matches(['\n', '\r']).to_owned())
}

fn progress(len: usize) -> indicatif::ProgressBar {
    progress_of(len, "thủ tục")
}

fn progress_of(len: usize, what: &str) -> indicatif::ProgressBar {
    // Drawn only on a terminal (indicatif hides itself otherwise).
    let pb = indicatif::ProgressBar::new(len as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template(&format!("{{bar:40}} {{pos}}/{{len}} {what} ({{eta}})"))
    {
        pb.set_style(style);
    }
    pb
}

async fn import_procedures(app: &App, procs: &[Procedure]) -> anyhow::Result<()> {
    let pb = progress(procs.len());
    let r = app.import_procedures(&Actor::Cli, procs, &|n| pb.set_position(n as u64)).await;
    pb.finish_and_clear();
    let s = r.map_err(|e| anyhow::anyhow!(describe(&e)))?;
    println!("Đã nhập: {} mới, {} cập nhật, {} không đổi", s.created, s.updated, s.unchanged);
    Ok(())
}

/// The first line of a text, cut to 80 characters.
fn short(s: &str) -> String {
    let line = s.lines().next().unwrap_or("");
    match line.char_indices().nth(80) {
        Some((i, _)) => format!("{}…", &line[..i]),
        None => line.to_owned(),
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

fn app_err(e: AppError) -> anyhow::Error {
    anyhow::anyhow!(describe(&e))
}

fn print_json<T: serde::Serialize>(v: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(v)?);
    Ok(())
}

async fn calendar(cfg: &Config, cmd: CalendarCmd) -> anyhow::Result<()> {
    use motcua_app::calendar::{DueInput, lunar_of, parse_date, solar_of};
    match cmd {
        CalendarCmd::Lunar { date, json } => {
            let l = lunar_of(parse_date(&date, "date").map_err(app_err)?).map_err(app_err)?;
            if json {
                return print_json(&l);
            }
            println!(
                "{} {}: ngày {} tháng {}{} năm {} âm lịch (năm {}, tháng {}, ngày {})",
                l.weekday,
                l.solar.format("%d/%m/%Y"),
                l.day,
                l.month,
                if l.leap { " nhuận" } else { "" },
                l.year,
                l.year_name,
                l.month_name,
                l.day_name
            );
        }
        CalendarCmd::Solar { lunar, leap, json } => {
            let s = solar_of(&lunar, leap).map_err(app_err)?;
            if json {
                return print_json(&s);
            }
            println!("{} {} (âm lịch {} năm {})", s.weekday, s.date.format("%d/%m/%Y"), lunar, s.lunar.year_name);
        }
        CalendarCmd::Holidays { year, json } => {
            let v = open(cfg).await?.holidays(year).await.map_err(app_err)?;
            if json {
                return print_json(&v.days);
            }
            println!(
                "Năm {year} ({})",
                if v.basis == "official" {
                    "lịch nghỉ đã công bố"
                } else {
                    "mặc định theo Bộ luật Lao động"
                }
            );
            for d in &v.days {
                let src = d.source.as_deref().map(|s| format!(" — {s}")).unwrap_or_default();
                println!(
                    "  {} {:<9} {:<14} {}{src}",
                    d.date.format("%d/%m/%Y"),
                    motcua_domain::calendar::holidays::weekday_vi(d.date),
                    d.kind.label_vi(),
                    d.name
                );
            }
        }
        CalendarCmd::Due { from, working_days, working_hours, days, pauses, explain, agency, json } => {
            let q = DueInput { from, working_days, working_hours, days, pauses, explain, agency }
                .parse()
                .map_err(app_err)?;
            let a = open(cfg).await?.due(&q).await.map_err(app_err)?;
            if json {
                return print_json(&a);
            }
            for s in &a.due.explanation {
                println!("  {}", s.text);
            }
            println!("{}", a.due.due.to_rfc3339());
        }
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for SIGINT");
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => tracing::error!(error = %e, "cannot listen for SIGTERM"),
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
    tracing::info!("shutting down: finishing requests in flight");
}

/// The outbox worker of this configuration: SMTP / the SMS gateway when configured, else files
/// in the drop folder; a channel turned off has no sender.
fn outbox_worker(cfg: &Config, app: &App) -> anyhow::Result<Worker<motcua_app::SqlStore>> {
    let n = &cfg.notify;
    let email = match (&n.smtp_url, n.email) {
        (_, false) => None,
        (Some(url), true) => Some(Sender::Smtp(SmtpSender::new(url, &n.mail_from).map_err(anyhow::Error::msg)?)),
        (None, true) => Some(dir_sender(cfg.drop_dir())),
    };
    let sms = match (&n.sms_gateway_url, n.sms) {
        (_, false) => None,
        (Some(url), true) => {
            Some(Sender::HttpSms(HttpSmsGateway::new(url, n.sms_gateway_token.clone()).map_err(anyhow::Error::msg)?))
        }
        (None, true) => Some(dir_sender(cfg.drop_dir())),
    };
    let options = WorkerOptions {
        lease: std::time::Duration::from_secs(cfg.jobs.lease_seconds.max(1)),
        retry: RetryPolicy { max_attempts: cfg.jobs.max_attempts.max(1), ..RetryPolicy::default() },
        ..WorkerOptions::default()
    };
    Ok(Worker::new(app.store.clone(), email, sms, options))
}

/// One pass of the server's periodic cleaning; failures are logged, the next pass tries again.
async fn housekeeping(app: &App) {
    match app.sweep_files(&Actor::System, chrono::Duration::hours(1)).await {
        Ok(r) if r.deleted > 0 => tracing::info!(?r, "orphan files swept"),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %describe(&e), "file sweep failed"),
    }
    match app.purge_idempotency_keys().await {
        Ok(n) if n > 0 => tracing::info!(n, "expired idempotency answers purged"),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %describe(&e), "idempotency purge failed"),
    }
}

async fn serve(cfg: &Config, demo: bool) -> anyhow::Result<()> {
    let app = open(cfg).await?;
    if demo {
        let r = app.load_demo().await.map_err(|e| anyhow::anyhow!("demo data: {}", describe(&e)))?;
        tracing::info!(?r, "demo data loaded");
    }
    let (stop_jobs, stopped) = tokio::sync::watch::channel(false);
    let jobs = match cfg.jobs.in_server {
        true => {
            let worker = outbox_worker(cfg, &app)?;
            let clock = app.clock.clone();
            let every = std::time::Duration::from_millis(cfg.jobs.poll_ms.max(10));
            let mut stopped = stopped.clone();
            Some(tokio::spawn(async move {
                worker
                    .run(move || clock.now(), every, async move {
                        while stopped.changed().await.is_ok() && !*stopped.borrow() {}
                    })
                    .await;
            }))
        }
        false => None,
    };
    // Housekeeping every hour: orphan files, expired idempotency answers.
    let housekeeping = {
        let (app, mut stopped) = (app.clone(), stopped.clone());
        tokio::spawn(async move {
            let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
            loop {
                tokio::select! {
                    _ = every.tick() => housekeeping(&app).await,
                    r = stopped.changed() => if r.is_err() || *stopped.borrow() { break },
                }
            }
        })
    };
    let state = motcua_web::AppState { app: app.clone(), secure_cookies: cfg.secure_cookies };
    let listener =
        tokio::net::TcpListener::bind(&cfg.listen).await.with_context(|| format!("binding {}", cfg.listen))?;
    tracing::info!(addr = %listener.local_addr()?, database = %redact_url(&cfg.database_url()), files = app.files.describe(), "motcua listening");
    let serve_opts = motcua_web::serve::ServeOptions {
        header_read: std::time::Duration::from_secs(cfg.security.header_read_timeout_secs.max(1)),
        idle: std::time::Duration::from_secs(cfg.security.idle_timeout_secs.max(1)),
        ..Default::default()
    };
    motcua_web::serve::serve(listener, motcua_web::router(state), serve_opts, shutdown_signal()).await?;
    let _ = stop_jobs.send(true);
    let _ = housekeeping.await;
    if let Some(j) = jobs {
        // A pass in flight finishes its messages (each is settled or left to its lease).
        let _ = tokio::time::timeout(std::time::Duration::from_secs(30), j).await;
    }
    drop(stopped);
    app.store.close().await;
    Ok(())
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    // An operator reads one line with the cause chain, not a backtrace.
    match run(Cli::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Lỗi: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let listen = match &cli.command {
        Command::Serve { listen, .. } => listen.clone(),
        _ => None,
    };
    let overrides =
        Overrides { data_dir: cli.global.data_dir.clone(), database_url: cli.global.database_url.clone(), listen };
    let cfg = Config::load(cli.global.config.as_deref(), &overrides)?;
    init_tracing(&cfg);
    match cli.command {
        Command::Serve { demo, .. } => serve(&cfg, demo).await?,
        Command::Migrate => {
            open(&cfg).await?;
            println!("Cơ sở dữ liệu đã được cập nhật ({})", redact_url(&cfg.database_url()));
        }
        Command::Demo => {
            let r = open(&cfg).await?.load_demo().await.map_err(|e| anyhow::anyhow!(describe(&e)))?;
            println!("{}", serde_json::to_string_pretty(&r)?);
        }
        Command::Calendar(cmd) => calendar(&cfg, cmd).await?,
        Command::Files(FilesCmd::Sweep { older_than_minutes }) => {
            let app = open(&cfg).await?;
            let r = app
                .sweep_files(&Actor::Cli, chrono::Duration::minutes(older_than_minutes.max(1)))
                .await
                .map_err(app_err)?;
            println!("{}", serde_json::to_string_pretty(&r)?);
            app.store.close().await;
        }
        Command::Jobs(JobsCmd::Run { once }) => {
            let app = open(&cfg).await?;
            let worker = outbox_worker(&cfg, &app)?;
            let clock = app.clock.clone();
            if once {
                let r = worker.run_once(|| clock.now()).await.map_err(|e| anyhow::anyhow!("outbox: {e}"))?;
                println!("{}", serde_json::to_string_pretty(&r)?);
            } else {
                let every = std::time::Duration::from_millis(cfg.jobs.poll_ms.max(10));
                worker.run(move || clock.now(), every, shutdown_signal()).await;
            }
            app.store.close().await;
        }
        Command::Generate(GenerateCmd::Dossiers { count, months, seed, workers }) => {
            let app = open(&cfg).await?;
            let pb = progress_of(count as usize, "hồ sơ");
            let bar = pb.clone();
            let opts = motcua_app::generate::GenerateOptions { count, months, seed, workers };
            let started = std::time::Instant::now();
            let r = app.generate_dossiers(&Actor::Cli, &opts, std::sync::Arc::new(move |n| bar.set_position(n))).await;
            pb.finish_and_clear();
            let r = r.map_err(|e| anyhow::anyhow!(describe(&e)))?;
            let secs = started.elapsed().as_secs_f64();
            eprintln!("{} hồ sơ trong {secs:.1} s ({:.0} hồ sơ/s)", r.created, r.created as f64 / secs.max(1e-9));
            println!("{}", serde_json::to_string_pretty(&r)?);
        }
        Command::Import(ImportCmd::Plan { file, json }) => {
            let text = std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
            let a = open(&cfg).await?.import_plan(&Actor::Cli, &text).await.map_err(app_err)?;
            if json {
                return print_json(&a);
            }
            print_plan_import(&a);
        }
        Command::Plan(PlanCmd::Show { id, json }) => {
            let p = open(&cfg).await?.plan(&Actor::Cli, id).await.map_err(app_err)?;
            if json {
                return print_json(&p);
            }
            print_plan(&p);
        }
        Command::Plan(PlanCmd::Overview { id, month, json }) => {
            let o = open(&cfg).await?.plan_overview(&Actor::Cli, id, month.as_deref()).await.map_err(app_err)?;
            if json {
                return print_json(&o);
            }
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
        Command::Import(ImportCmd::Procedures { file }) => {
            let procs: Vec<Procedure> = read_json(&file)?;
            import_procedures(&open(&cfg).await?, &procs).await?;
        }
        Command::Import(ImportCmd::Calendar { file }) => {
            use motcua_domain::calendar::holidays::YearSchedule;
            #[derive(serde::Deserialize)]
            #[serde(untagged)]
            enum Input {
                One(YearSchedule),
                Many(Vec<YearSchedule>),
                Wrapped { schedules: Vec<YearSchedule> },
            }
            let years = match read_json::<Input>(&file)? {
                Input::One(y) => vec![y],
                Input::Many(v) | Input::Wrapped { schedules: v } => v,
            };
            let app = open(&cfg).await?;
            for y in years {
                let year = y.year;
                let v = app.put_calendar_year(&Actor::Cli, y).await.map_err(app_err)?;
                println!("Năm {year}: {} ngày đặc biệt", v.days.len());
            }
        }
        Command::Import(ImportCmd::Map { file }) => {
            let map: AdminMap = read_json(&file)?;
            let s = open(&cfg).await?.import_map(&Actor::Cli, &map).await.map_err(|e| anyhow::anyhow!(describe(&e)))?;
            println!("Đã nhập: {} mới, {} cập nhật, {} không đổi", s.created, s.updated, s.unchanged);
        }
        Command::Import(ImportCmd::National { file, assignment, out }) => {
            let records: Vec<motcua_app::national::NationalRecord> = read_json(&file)?;
            let assignment: motcua_app::national::Assignment = read_json(&assignment)?;
            let app = open(&cfg).await?;
            let agencies = app
                .agencies(&motcua_storage::AgencyQuery { on: Some(assignment.effective_from), ..Default::default() })
                .await
                .map_err(|e| anyhow::anyhow!(describe(&e)))?;
            let procs = motcua_app::national::convert(&records, &assignment, &agencies)
                .map_err(|e| anyhow::anyhow!("{}: {}", e.field, e.message))?;
            match out {
                Some(out) => {
                    std::fs::write(&out, serde_json::to_string_pretty(&procs)?)?;
                    println!("Đã chuyển đổi {} thủ tục vào {}", procs.len(), out.display());
                }
                None => import_procedures(&app, &procs).await?,
            }
        }
        Command::Export(ExportCmd::Procedures { out }) => {
            let procs = open(&cfg).await?.export_procedures().await.map_err(|e| anyhow::anyhow!(describe(&e)))?;
            let json = serde_json::to_string_pretty(&procs)?;
            match out {
                Some(out) => std::fs::write(&out, json).with_context(|| format!("writing {}", out.display()))?,
                None => println!("{json}"),
            }
        }
        Command::User(UserCmd::Add { username, password_stdin, role, agency, full_name }) => {
            let password = read_password(password_stdin)?;
            let app = open(&cfg).await?;
            let acc = NewAccount {
                full_name: full_name.unwrap_or_else(|| username.clone()),
                username,
                role,
                agency,
                password,
            };
            let u = app.add_user(&Actor::Cli, acc).await.map_err(|e| anyhow::anyhow!(describe(&e)))?;
            println!("Đã tạo tài khoản {} ({})", u.username, u.role.as_str());
        }
        Command::User(UserCmd::Password { username, password_stdin }) => {
            let password = read_password(password_stdin)?;
            open(&cfg)
                .await?
                .set_password(&Actor::Cli, &username, password)
                .await
                .map_err(|e| anyhow::anyhow!(describe(&e)))?;
            println!("Đã đặt mật khẩu mới cho {username}");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        super::Cli::command().debug_assert();
    }
}
