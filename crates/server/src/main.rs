//! `motcua`: the one binary. It parses the command line ([`cli`]), loads the configuration
//! ([`config`]), builds the store and hands it to the use cases, the web router and the outbox
//! worker, and runs a subcommand ([`commands`]). The logic lives in the library crates.

use clap::Parser;

/// mimalloc instead of glibc's malloc: the allocations of a request (JSON, headers, rows) were
/// 13 % of an intake's CPU time (docs/PERFORMANCE.md, issue 18).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod cli;
mod commands;
mod config;

use cli::{Cli, Command, ExportCmd, FilesCmd, GenerateCmd, ImportCmd, IndexCmd, JobsCmd};
use config::{Config, Overrides};

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
        Command::Serve { demo, .. } => commands::serve::serve(&cfg, demo).await,
        Command::Jobs(JobsCmd::Run { once }) => commands::serve::jobs(&cfg, once).await,
        Command::Jobs(JobsCmd::Watch) => commands::serve::watch_once(&cfg).await,
        Command::Jobs(JobsCmd::Reconcile { day }) => commands::serve::reconcile(&cfg, day).await,
        Command::Migrate => commands::data::migrate(&cfg).await,
        Command::Demo => commands::data::demo(&cfg).await,
        Command::Generate(GenerateCmd::Dossiers { count, months, seed, workers }) => {
            let opts = motcua_demo::generate::GenerateOptions { count, months, seed, workers };
            commands::data::generate(&cfg, opts).await
        }
        Command::Files(FilesCmd::Sweep { older_than_minutes }) => {
            commands::data::sweep_files(&cfg, older_than_minutes).await
        }
        Command::Index(IndexCmd::Rebuild) => commands::data::index_rebuild(&cfg).await,
        Command::Index(IndexCmd::Check { period }) => commands::data::index_check(&cfg, &period).await,
        Command::Calendar(cmd) => commands::calendar::run(&cfg, cmd).await,
        Command::Plan(cmd) => commands::plan::run(&cfg, cmd).await,
        Command::User(cmd) => commands::users::run(&cfg, cmd).await,
        Command::Import(ImportCmd::Plan { file, json }) => commands::plan::import(&cfg, &file, json).await,
        Command::Import(ImportCmd::Procedures { file }) => commands::catalog::import(&cfg, &file).await,
        Command::Import(ImportCmd::Calendar { file }) => commands::calendar::import(&cfg, &file).await,
        Command::Import(ImportCmd::Map { file }) => commands::catalog::import_map(&cfg, &file).await,
        Command::Import(ImportCmd::National { file, assignment, out }) => {
            commands::catalog::import_national(&cfg, &file, &assignment, out).await
        }
        Command::Export(ExportCmd::Procedures { out }) => commands::catalog::export(&cfg, out).await,
    }
}
