//! The command line of `motcua`: subcommands and their arguments (clap).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use motcua_domain::user::Role;

#[derive(Parser, Debug)]
#[command(name = "motcua", version, about = "Hệ thống một cửa giải quyết thủ tục hành chính")]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Debug)]
pub struct Global {
    /// Data folder (SQLite database, files). Env: MOTCUA_DATA_DIR.
    #[arg(long, global = true)]
    pub data_dir: Option<PathBuf>,
    /// Database URL: sqlite:PATH or postgres://... Env: MOTCUA_DATABASE_URL.
    #[arg(long, global = true)]
    pub database_url: Option<String>,
    /// TOML configuration file (default: ./motcua.toml when present).
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
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
    /// The live Decision 766 index.
    #[command(subcommand)]
    Index(IndexCmd),
}

#[derive(Subcommand, Debug)]
pub enum IndexCmd {
    /// Recompute every dossier's share and the monthly sums from the dossiers (run with the
    /// servers stopped; `serve` does it at start when dossiers predate the index).
    Rebuild,
    /// Compare the live sums of a period with a scan of its dossiers; exits with an error when
    /// they differ.
    Check {
        /// `YYYY-MM`, `YYYY-Qn` or `YYYY`.
        #[arg(long)]
        period: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum FilesCmd {
    /// Delete stored files no row refers to (left by a crash between the bytes and the row),
    /// written more than --older-than-minutes ago. `serve` does it every hour too.
    Sweep {
        #[arg(long, default_value_t = 60)]
        older_than_minutes: i64,
    },
}

#[derive(Subcommand, Debug)]
pub enum PlanCmd {
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
pub enum JobsCmd {
    /// Run the outbox worker apart from the web server (set `jobs.in_server = false` there), until
    /// Ctrl-C; with --once, deliver what is due now and exit.
    Run {
        #[arg(long)]
        once: bool,
    },
    /// One pass of the deadline watch now (alarms of dossiers nearly due or late, e-mails to the
    /// outbox), unless another process holds the watch's lease; prints what it did.
    Watch,
    /// Reconcile the online payments of a day (default: yesterday) with the gateway's report;
    /// prints the differences.
    Reconcile {
        /// YYYY-MM-DD.
        #[arg(long)]
        day: Option<chrono::NaiveDate>,
    },
}

#[derive(Subcommand, Debug)]
pub enum GenerateCmd {
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
pub enum CalendarCmd {
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
pub enum ImportCmd {
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
pub enum ExportCmd {
    /// Every procedure with all its versions, in the import format.
    Procedures {
        /// Output file (default: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum UserCmd {
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
        /// Where the deadline watch's warnings go (staff).
        #[arg(long)]
        email: Option<String>,
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

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        super::Cli::command().debug_assert();
    }
}
