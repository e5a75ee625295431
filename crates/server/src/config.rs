//! Configuration: defaults, then a TOML file, then `MOTCUA_*` environment variables, then the
//! command line. Secrets (the database password) are never printed.

use std::fmt;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

#[derive(Clone, Serialize, Deserialize)]
pub struct Config {
    /// Folder of the SQLite database and, later, of stored files.
    pub data_dir: PathBuf,
    /// `sqlite:...` or `postgres://...`; default: `sqlite:<data_dir>/motcua.db`.
    pub database_url: Option<String>,
    pub listen: String,
    /// Mark session cookies Secure (serve behind HTTPS).
    pub secure_cookies: bool,
    pub session_hours: i64,
    pub token_hours: i64,
    /// `text` or `json`.
    pub log_format: String,
    pub max_connections: u32,
    /// Milliseconds the catalog search index is trusted before checking the store for changes
    /// made by other server processes.
    pub catalog_refresh_ms: u64,
    /// Milliseconds a Decision 766 index report is served from memory while this process writes
    /// nothing (other processes' writes, and dossiers turning late, are seen after it); 0: always
    /// computed.
    pub index_refresh_ms: u64,
    /// Address citizens reach this server at (QR codes on printed forms); `http://<listen>`
    /// when not set.
    pub public_url: Option<String>,
    /// SQLite only: `full` (every commit on disk before it is acknowledged, the default) or
    /// `normal` (commits survive a process crash, not a power cut; faster).
    pub sqlite_sync: motcua_storage_sql::SqliteSync,
    /// Notices to applicants (`[notify]`).
    pub notify: Notify,
    /// Background work (`[jobs]`).
    pub jobs: Jobs,
    /// Where files of dossiers are kept (`[files]`, `kind = "local" | "folder" | "s3"`).
    pub files: motcua_files::FilesConfig,
    /// Throttles, password work, connection timeouts (`[security]`).
    pub security: Security,
    /// The variants of the uncertain rules of the Decision 766 index (`[index]`:
    /// `digitised_full_at = 0.8`, ...; docs/RULES.md §D5).
    pub index: motcua_domain::index::Rules,
    /// Petitions (`[petitions]`): the receiving office and the limits in working days.
    pub petitions: Petitions,
    /// The deadline watch (`[watch]`; thresholds in `[watch.rules]`).
    pub watch: Watch,
    /// The National Public Service Portal's sync service (`[portal]`).
    pub portal: PortalSync,
    /// The payment gateway (`[payment]`: `enabled`, `url`, `merchant`, `secret`).
    pub payment: PaymentGateway,
    /// The population database (`[population]`: `url`, `key`, `timeout_ms` ≤ 2000).
    pub population: Population,
    /// The master key sealing the agencies' signing keys (`[signing]`).
    pub signing: Signing,
    /// Sign-in through the national identity provider (`[oidc]`: `issuer`, `client_id`,
    /// `client_secret`, `redirect_url`, `scopes`, `id_claim`); none without an issuer.
    pub oidc: Oidc,
    /// The fee of a certified electronic copy by pages (`[copy_fees]`: `first_pages`,
    /// `first_page_vnd`, `next_page_vnd`, `cap_vnd`; docs/RULES.md).
    pub copy_fees: motcua_domain::certified_copy::CopyFees,
    /// The national code of the procedure of certified copies from originals.
    pub certification_procedure: String,
    /// Reference peers served under `/sandbox` for demos (`[sandbox] enabled`; never in
    /// production). `serve --demo` turns it on.
    pub sandbox: Sandbox,
}

/// Where dossiers are pushed: the portal's sync adapter and the province's credentials.
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PortalSync {
    /// Push every dossier and its status changes (through the outbox).
    pub enabled: bool,
    /// Base address of the adapter (`<url>/auth`, `<url>/DongBoHoSoMC`).
    pub url: Option<String>,
    pub username: String,
    pub password: String,
}

impl fmt::Debug for PortalSync {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PortalSync")
            .field("enabled", &self.enabled)
            .field("url", &self.url.as_deref().map(redact_url))
            .field("username", &self.username)
            .field("password", &"***")
            .finish()
    }
}

/// The province's account at its payment gateway.
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PaymentGateway {
    pub enabled: bool,
    /// Base address (`<url>/pay`, `<url>/report`).
    pub url: Option<String>,
    pub merchant: String,
    /// The HMAC-SHA512 key shared with the gateway.
    pub secret: String,
}

impl fmt::Debug for PaymentGateway {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PaymentGateway")
            .field("enabled", &self.enabled)
            .field("url", &self.url)
            .field("merchant", &self.merchant)
            .field("secret", &"***")
            .finish()
    }
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Population {
    /// Base address of the lookup service (`<url>/cong-dan/{id}`); none: not connected.
    pub url: Option<String>,
    pub key: String,
    /// The longest an intake waits for it (capped at 2000).
    pub timeout_ms: u64,
}

impl Default for Population {
    fn default() -> Self {
        Self { url: None, key: String::new(), timeout_ms: 2000 }
    }
}

/// The OpenID Connect provider (VNeID) this system is registered with. `redirect_url` defaults
/// to `<public_url>/dang-nhap/vneid/ve`, which must be the address registered with it.
#[derive(Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Oidc {
    pub issuer: Option<String>,
    pub client_id: String,
    pub client_secret: String,
    pub redirect_url: Option<String>,
    /// Scopes asked besides `openid`.
    pub scopes: Vec<String>,
    /// The claim holding the 12-digit personal ID (`sub` when the subject is the ID itself).
    pub id_claim: String,
}

impl Default for Oidc {
    fn default() -> Self {
        Self {
            issuer: None,
            client_id: String::new(),
            client_secret: String::new(),
            redirect_url: None,
            scopes: vec!["profile".into()],
            id_claim: "sub".into(),
        }
    }
}

impl fmt::Debug for Oidc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Oidc")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("client_secret", &"***")
            .field("redirect_url", &self.redirect_url)
            .field("scopes", &self.scopes)
            .field("id_claim", &self.id_claim)
            .finish()
    }
}

impl fmt::Debug for Population {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Population")
            .field("url", &self.url)
            .field("key", &"***")
            .field("timeout_ms", &self.timeout_ms)
            .finish()
    }
}

/// Where the master key that seals the agencies' signing keys comes from: `master_key` (64 hex
/// digits, e.g. from `MOTCUA_SIGNING__MASTER_KEY`), else the file `master_key_file`, else
/// `<data_dir>/signing-master.key`, made on first start (one server; several servers share one
/// database, so they must be given the same key). Never stored in the database.
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Signing {
    pub master_key: Option<String>,
    pub master_key_file: Option<PathBuf>,
}

impl fmt::Debug for Signing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signing")
            .field("master_key", &self.master_key.as_ref().map(|_| "***"))
            .field("master_key_file", &self.master_key_file)
            .finish()
    }
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Sandbox {
    pub enabled: bool,
}

/// The reference portal's credentials in a sandbox, and the sandbox gateway's merchant and key.
pub const SANDBOX_PORTAL_USER: &str = "sandbox";
pub const SANDBOX_MERCHANT: &str = "MOTCUA";
pub const SANDBOX_SECRET: &str = "sandbox-secret-not-for-production";
pub const SANDBOX_POPULATION_KEY: &str = "sandbox-population-key";

impl Config {
    /// The configuration `serve --demo` runs with: the sandbox on, and, unless a portal is
    /// configured, dossiers pushed to the sandbox's reference portal on this server.
    pub fn for_demo(&self) -> Self {
        let mut cfg = self.clone();
        cfg.sandbox.enabled = true;
        if cfg.portal.url.is_none() {
            cfg.portal = PortalSync {
                enabled: true,
                url: Some(format!("http://{}/sandbox/dvcqg", cfg.listen)),
                username: SANDBOX_PORTAL_USER.into(),
                password: SANDBOX_PORTAL_USER.into(),
            };
        }
        if cfg.population.url.is_none() {
            cfg.population.url = Some(format!("http://{}/sandbox/dan-cu", cfg.listen));
            cfg.population.key = SANDBOX_POPULATION_KEY.into();
        }
        if cfg.payment.url.is_none() {
            cfg.payment = PaymentGateway {
                enabled: true,
                url: Some(format!("http://{}/sandbox/thanh-toan", cfg.listen)),
                merchant: SANDBOX_MERCHANT.into(),
                secret: SANDBOX_SECRET.into(),
            };
        }
        cfg
    }
}

/// How often the deadline watch runs in `motcua serve`, and its thresholds.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Watch {
    /// Run the watch inside `motcua serve` (one process of several runs each pass: a lease row).
    pub in_server: bool,
    /// Seconds between two passes.
    pub every_seconds: u64,
    /// Seconds the process running the passes holds the watch's lease after each (another
    /// process takes over when it stops renewing); default two periods.
    pub lease_seconds: Option<u64>,
    /// `warn_at_percent = 80`, `apology_days_before = 1`, `apology_notice_days = 1`,
    /// `escalate_after_hours = 8`.
    pub rules: motcua_domain::dossier::watch::WatchRules,
}

impl Default for Watch {
    fn default() -> Self {
        Self { in_server: true, every_seconds: 300, lease_seconds: None, rules: Default::default() }
    }
}

/// Where petitions go and how long each step may take.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Petitions {
    /// Agency code of the office that receives them (default: the provincial committee).
    pub office: Option<String>,
    /// `refuse`, `supplement`, `handle`, `publish`: working days.
    pub limits: motcua_domain::petition::Limits,
}

/// Defences of the server; the defaults are documented in docs/RELIABILITY.md.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Security {
    /// Password guesses and public lookups (`[security.limits.login_failures_per_account]`
    /// `burst = 5`, `per_hour = 10`, ...).
    pub limits: motcua_app::throttle::Limits,
    /// Password hashes computed at once (0: one per core).
    pub password_workers: usize,
    /// Logins waiting for a hash beyond those; more are answered 503.
    pub password_queue: usize,
    /// Hours an answer to a request with an `Idempotency-Key` is replayed.
    pub idempotency_hours: i64,
    /// Seconds a client has to send a whole request head.
    pub header_read_timeout_secs: u64,
    /// Seconds a connection may stay without traffic.
    pub idle_timeout_secs: u64,
    /// Addresses of the reverse proxies in front (their `X-Forwarded-For` is believed).
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

impl Default for Security {
    fn default() -> Self {
        let app = motcua_app::AppConfig::default();
        let serve = motcua_web::serve::ServeOptions::default();
        Self {
            limits: app.limits,
            password_workers: app.password_workers,
            password_queue: app.password_queue,
            idempotency_hours: app.idempotency_hours,
            header_read_timeout_secs: serve.header_read.as_secs(),
            idle_timeout_secs: serve.idle.as_secs(),
            trusted_proxies: vec![],
        }
    }
}

/// How notices reach applicants. Without an SMTP server or an SMS gateway, a channel's messages
/// are written as files to `drop_dir` (development and demos: nothing leaves the machine).
#[derive(Clone, Serialize, Deserialize)]
pub struct Notify {
    /// Send e-mails to applicants who gave an address.
    pub email: bool,
    /// Send SMS to applicants who gave a phone number (the province's intake collects consent).
    pub sms: bool,
    /// Write SMS without Vietnamese marks (160 characters per segment instead of 70).
    pub sms_ascii: bool,
    /// `smtp://host:port`, `smtp://host:587?tls=required`, `smtps://user:password@host`.
    pub smtp_url: Option<String>,
    pub mail_from: String,
    /// The SMS gateway's HTTP endpoint (see `motcua-jobs`' `HttpSmsGateway`).
    pub sms_gateway_url: Option<String>,
    pub sms_gateway_token: Option<String>,
    /// Default: `<data_dir>/outbox`.
    pub drop_dir: Option<PathBuf>,
}

impl Default for Notify {
    fn default() -> Self {
        Self {
            email: true,
            sms: true,
            sms_ascii: true,
            smtp_url: None,
            mail_from: "Bộ phận một cửa <motcua@localhost>".into(),
            sms_gateway_url: None,
            sms_gateway_token: None,
            drop_dir: None,
        }
    }
}

/// The outbox worker.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Jobs {
    /// Run the worker inside `motcua serve` (turn off when `motcua jobs run` runs apart).
    pub in_server: bool,
    /// Milliseconds between two looks at the outbox.
    pub poll_ms: u64,
    /// Seconds a claimed message is held before another worker may take it.
    pub lease_seconds: u64,
    /// Attempts before a message is given up.
    pub max_attempts: u32,
    /// Messages a worker claims at once per channel (several workers share a busy outbox in
    /// turns of this size).
    pub batch: u32,
}

impl Default for Jobs {
    fn default() -> Self {
        // The worker's own defaults, so that the two cannot drift apart.
        let worker = motcua_jobs::WorkerOptions::default();
        Self {
            in_server: true,
            poll_ms: 2000,
            lease_seconds: worker.lease.as_secs(),
            max_attempts: worker.retry.max_attempts,
            batch: worker.batch,
        }
    }
}

impl fmt::Debug for Notify {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Notify")
            .field("email", &self.email)
            .field("sms", &self.sms)
            .field("sms_ascii", &self.sms_ascii)
            .field("smtp_url", &self.smtp_url.as_deref().map(redact_url))
            .field("mail_from", &self.mail_from)
            .field("sms_gateway_url", &self.sms_gateway_url)
            .field("sms_gateway_token", &self.sms_gateway_token.as_ref().map(|_| "***"))
            .field("drop_dir", &self.drop_dir)
            .finish()
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("data"),
            database_url: None,
            listen: "127.0.0.1:8080".into(),
            secure_cookies: false,
            session_hours: 12,
            token_hours: 24,
            log_format: "text".into(),
            max_connections: 16,
            catalog_refresh_ms: 1000,
            index_refresh_ms: 5000,
            public_url: None,
            sqlite_sync: motcua_storage_sql::SqliteSync::default(),
            notify: Notify::default(),
            jobs: Jobs::default(),
            files: motcua_files::FilesConfig::default(),
            security: Security::default(),
            index: Default::default(),
            petitions: Petitions::default(),
            watch: Watch::default(),
            portal: PortalSync::default(),
            sandbox: Sandbox::default(),
            payment: PaymentGateway::default(),
            population: Population::default(),
            signing: Signing::default(),
            oidc: Oidc::default(),
            copy_fees: Default::default(),
            certification_procedure: "2.000815".into(),
        }
    }
}

/// Hide the password of a URL (`postgres://u:secret@h/db` → `postgres://u:***@h/db`).
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let Some((cred, host)) = rest.rsplit_once('@') else { return url.to_owned() };
    match cred.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("data_dir", &self.data_dir)
            .field("database_url", &self.database_url.as_deref().map(redact_url))
            .field("listen", &self.listen)
            .field("secure_cookies", &self.secure_cookies)
            .field("session_hours", &self.session_hours)
            .field("token_hours", &self.token_hours)
            .field("log_format", &self.log_format)
            .field("max_connections", &self.max_connections)
            .field("catalog_refresh_ms", &self.catalog_refresh_ms)
            .field("index_refresh_ms", &self.index_refresh_ms)
            .field("public_url", &self.public_url)
            .field("sqlite_sync", &self.sqlite_sync)
            .field("notify", &self.notify)
            .field("jobs", &self.jobs)
            .field("security", &self.security)
            .field("portal", &self.portal)
            .field("sandbox", &self.sandbox)
            .field("payment", &self.payment)
            .field("population", &self.population)
            .field("signing", &self.signing)
            .field("oidc", &self.oidc)
            .field("copy_fees", &self.copy_fees)
            .field("certification_procedure", &self.certification_procedure)
            .field(
                "files",
                &match &self.files {
                    motcua_files::FilesConfig::S3 { endpoint, bucket, .. } => {
                        format!("S3 {bucket} at {endpoint} (keys ***)")
                    }
                    other => format!("{other:?}"),
                },
            )
            .finish()
    }
}

/// Values given on the command line (they win over everything else).
#[derive(Debug, Default, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen: Option<String>,
}

impl Config {
    /// Load: defaults, `file` (or `motcua.toml` in the working folder when present), env, flags.
    pub fn load(file: Option<&Path>, overrides: &Overrides) -> anyhow::Result<Self> {
        let mut fig = Figment::from(Serialized::defaults(Config::default()));
        match file {
            Some(f) => {
                anyhow::ensure!(f.exists(), "config file {} not found", f.display());
                fig = fig.merge(Toml::file(f));
            }
            None if Path::new("motcua.toml").exists() => fig = fig.merge(Toml::file("motcua.toml")),
            None => {}
        }
        let cfg: Config =
            fig.merge(Env::prefixed("MOTCUA_").split("__")).merge(Serialized::defaults(overrides)).extract()?;
        anyhow::ensure!(
            !cfg.portal.enabled || cfg.portal.url.is_some(),
            "[portal] enabled needs url (the sync adapter's address)"
        );
        anyhow::ensure!(
            !cfg.payment.enabled || (cfg.payment.url.is_some() && !cfg.payment.secret.is_empty()),
            "[payment] enabled needs url and secret"
        );
        cfg.watch.rules.validate().map_err(|e| anyhow::anyhow!("[watch.rules] {}: {}", e.field, e.message))?;
        if let Some(office) = &cfg.petitions.office {
            motcua_domain::ids::AgencyCode::parse(office)
                .map_err(|e| anyhow::anyhow!("[petitions] office: {}", e.message))?;
        }
        Ok(cfg)
    }

    pub fn drop_dir(&self) -> PathBuf {
        self.notify.drop_dir.clone().unwrap_or_else(|| self.data_dir.join("outbox"))
    }

    pub fn database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| format!("sqlite:{}", self.data_dir.join("motcua.db").display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_not_printed() {
        assert_eq!(redact_url("postgres://motcua:s3cret@db:5432/motcua"), "postgres://motcua:***@db:5432/motcua");
        assert_eq!(redact_url("postgres://postgres@127.0.0.1/x"), "postgres://postgres@127.0.0.1/x");
        let c = Config {
            database_url: Some("postgres://u:topsecret@h/d".into()),
            notify: Notify {
                smtp_url: Some("smtps://motcua:mailsecret@mail.gov.vn".into()),
                sms_gateway_token: Some("smstoken".into()),
                ..Notify::default()
            },
            files: motcua_files::FilesConfig::S3 {
                endpoint: "https://s3.gov.vn".into(),
                bucket: "hoso".into(),
                region: "us-east-1".into(),
                access_key_id: "AKIDSECRET".into(),
                secret_access_key: "s3secret".into(),
                allow_http: false,
            },
            ..Config::default()
        };
        let shown = format!("{c:?}");
        assert!(
            !shown.contains("topsecret") && !shown.contains("mailsecret") && !shown.contains("smstoken"),
            "{shown}"
        );
    }

    #[test]
    #[expect(clippy::result_large_err, reason = "figment's Jail error type")]
    fn layers_file_env_and_flags() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "x.toml",
                "listen = \"0.0.0.0:9000\"\nsession_hours = 2\n[files]\nkind = \"folder\"\npath = \"/srv/hoso\"\n",
            )?;
            jail.set_env("MOTCUA_SESSION_HOURS", "3");
            jail.set_env("MOTCUA_NOTIFY__SMTP_URL", "smtp://127.0.0.1:2525");
            jail.set_env("MOTCUA_JOBS__IN_SERVER", "false");
            let o = Overrides { data_dir: Some("/tmp/d".into()), ..Overrides::default() };
            let c = Config::load(Some(Path::new("x.toml")), &o).map_err(|e| e.to_string())?;
            assert_eq!(c.listen, "0.0.0.0:9000");
            assert_eq!(c.session_hours, 3);
            assert_eq!(c.database_url(), "sqlite:/tmp/d/motcua.db");
            assert_eq!(c.notify.smtp_url.as_deref(), Some("smtp://127.0.0.1:2525"));
            assert!(!c.jobs.in_server && c.notify.sms);
            assert_eq!(c.drop_dir(), PathBuf::from("/tmp/d/outbox"));
            assert_eq!(c.files, motcua_files::FilesConfig::Folder { path: "/srv/hoso".into() });
            Ok(())
        });
    }
}
