//! What each subcommand does, over the store and use cases the configuration opens. Shared here:
//! opening the store, and how errors and progress are shown to an operator.

use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use motcua_app::{Actor, App, AppConfig, AppError, SystemClock};
use motcua_domain::procedure::Procedure;
use motcua_storage_sql::{ConnectOptions, SqlStore};

use crate::config::{Config, redact_url};

pub mod calendar;
pub mod catalog;
pub mod data;
pub mod plan;
pub mod serve;
pub mod users;

/// The store this configuration names, migrated, and the use cases over it. The store is kept
/// apart so the outbox worker shares its pool and the process closes it on the way out.
pub struct Opened {
    pub app: App,
    pub store: SqlStore,
}

impl Opened {
    pub async fn close(self) {
        self.store.close().await;
    }
}

/// The use cases' settings from the configuration file.
pub fn app_config(cfg: &Config) -> AppConfig {
    AppConfig {
        session_hours: cfg.session_hours,
        token_hours: cfg.token_hours,
        catalog_refresh: std::time::Duration::from_millis(cfg.catalog_refresh_ms),
        index_refresh: std::time::Duration::from_millis(cfg.index_refresh_ms),
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
        index_rules: cfg.index.clone(),
        petition_office: cfg.petitions.office.as_deref().and_then(|c| motcua_domain::ids::AgencyCode::parse(c).ok()),
        petition_limits: cfg.petitions.limits,
        watch_rules: cfg.watch.rules,
        copy_fees: cfg.copy_fees,
        certification_procedure: cfg.certification_procedure.clone(),
        portal_sync: cfg.portal.enabled,
        population_timeout: std::time::Duration::from_millis(cfg.population.timeout_ms.clamp(100, 2000)),
        payment: match (&cfg.payment.url, cfg.payment.enabled) {
            (Some(url), true) => Some(motcua_app::payment::Gateway {
                url: url.clone(),
                merchant: cfg.payment.merchant.clone(),
                secret: cfg.payment.secret.clone(),
            }),
            _ => None,
        },
        ..AppConfig::default()
    }
}

/// Connect to the configured database, apply pending migrations, seed the default calendars.
pub async fn open(cfg: &Config) -> anyhow::Result<Opened> {
    std::fs::create_dir_all(&cfg.data_dir).with_context(|| format!("creating data dir {}", cfg.data_dir.display()))?;
    let url = cfg.database_url();
    let opts = ConnectOptions {
        max_connections: cfg.max_connections,
        sqlite_sync: cfg.sqlite_sync,
        ..ConnectOptions::default()
    };
    let files = motcua_files::FileStore::from_config(&cfg.files, &cfg.data_dir).context("opening the file store")?;
    let store = SqlStore::connect(&url, &opts)
        .await
        .map_err(|e| anyhow::anyhow!("opening database {}: {}", redact_url(&url), describe(&e.into())))?;
    let config = AppConfig { master_key: Some(master_key(cfg)?), ..app_config(cfg) };
    let mut app = App::new(store.clone(), Arc::new(SystemClock), config).with_files(files);
    if let Some(url) = &cfg.population.url {
        let registry =
            motcua_jobs::population::HttpRegistry::new(url, &cfg.population.key).map_err(anyhow::Error::msg)?;
        app = app.with_population(Arc::new(registry));
    }
    if let Some(provider) = identity_provider(cfg, &app.config.public_url)? {
        app = app.with_identity_provider(Arc::new(provider));
    }
    app.prepare().await.map_err(|e| anyhow::anyhow!("opening database {}: {}", redact_url(&url), describe(&e)))?;
    Ok(Opened { app, store })
}

/// The national identity provider (`[oidc]`), when an issuer is configured.
fn identity_provider(cfg: &Config, public_url: &str) -> anyhow::Result<Option<motcua_jobs::oidc::OidcProvider>> {
    let Some(issuer) = &cfg.oidc.issuer else { return Ok(None) };
    let settings = motcua_jobs::oidc::OidcSettings {
        issuer: issuer.clone(),
        client_id: cfg.oidc.client_id.clone(),
        client_secret: cfg.oidc.client_secret.clone(),
        redirect_url: cfg.oidc.redirect_url.clone().unwrap_or_else(|| format!("{public_url}/dang-nhap/vneid/ve")),
        scopes: cfg.oidc.scopes.clone(),
        id_claim: cfg.oidc.id_claim.clone(),
    };
    let provider = motcua_jobs::oidc::OidcProvider::new(settings).map_err(|e| anyhow::anyhow!("[oidc] {e}"))?;
    Ok(Some(provider))
}

/// The master key sealing the agencies' signing keys (`[signing]`): given, read from its file,
/// or — the default file missing — made and written there (readable by the owner only).
pub fn master_key(cfg: &Config) -> anyhow::Result<motcua_app::signing::MasterKey> {
    use motcua_app::signing::MasterKey;
    if let Some(hex) = &cfg.signing.master_key {
        return MasterKey::from_hex(hex).map_err(|e| anyhow::anyhow!("[signing] master_key: {e}"));
    }
    let (path, given) = match &cfg.signing.master_key_file {
        Some(p) => (p.clone(), true),
        None => (cfg.data_dir.join("signing-master.key"), false),
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => MasterKey::from_hex(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !given => {
            let key = MasterKey::generate().map_err(anyhow::Error::msg)?;
            write_private(&path, &key.to_hex()).with_context(|| format!("writing {}", path.display()))?;
            tracing::info!(path = %path.display(), "made the master key of the signing keys (keep a copy: without it nothing can be signed with the stored keys)");
            Ok(key)
        }
        Err(e) => Err(anyhow::anyhow!("reading the master key {}: {e}", path.display())),
    }
}

/// A new file only its owner reads.
fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    opts.open(path)?.write_all(text.as_bytes())
}

/// Open, run `f` over the use cases, close.
pub async fn with_app<T, F>(cfg: &Config, f: impl FnOnce(App) -> F) -> anyhow::Result<T>
where
    F: Future<Output = anyhow::Result<T>>,
{
    let opened = open(cfg).await?;
    let r = f(opened.app.clone()).await;
    opened.close().await;
    r
}

/// An application error as an operator reads it: code, field and message.
pub fn describe(e: &AppError) -> String {
    let b = e.body();
    match (&b.field, e) {
        (_, AppError::Internal(cause)) => cause.clone(),
        (Some(f), _) => format!("[{}] {}: {}", b.code, f, b.message),
        (None, _) => format!("[{}] {}", b.code, b.message),
    }
}

pub fn app_err(e: AppError) -> anyhow::Error {
    anyhow::anyhow!(describe(&e))
}

pub fn read_json<T: serde::de::DeserializeOwned>(path: &PathBuf) -> anyhow::Result<T> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text)
        .map_err(|e| anyhow::anyhow!("{}: line {}, column {}: {e}", path.display(), e.line(), e.column()))
}

pub fn read_password(stdin: bool) -> anyhow::Result<String> {
    anyhow::ensure!(stdin, "pass --password-stdin and write the password on standard input (it is never a flag)");
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s)?;
    Ok(s.trim_end_matches(['\n', '\r']).to_owned())
}

pub fn progress(len: usize) -> indicatif::ProgressBar {
    progress_of(len, "thủ tục")
}

pub fn progress_of(len: usize, what: &str) -> indicatif::ProgressBar {
    // Drawn only on a terminal (indicatif hides itself otherwise).
    let pb = indicatif::ProgressBar::new(len as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template(&format!("{{bar:40}} {{pos}}/{{len}} {what} ({{eta}})"))
    {
        pb.set_style(style);
    }
    pb
}

pub async fn import_procedures(app: &App, procs: &[Procedure]) -> anyhow::Result<()> {
    let pb = progress(procs.len());
    let r = app.import_procedures(&Actor::Cli, procs, &|n| pb.set_position(n as u64)).await;
    pb.finish_and_clear();
    let s = r.map_err(|e| anyhow::anyhow!(describe(&e)))?;
    println!("Đã nhập: {} mới, {} cập nhật, {} không đổi", s.created, s.updated, s.unchanged);
    Ok(())
}

/// The first line of a text, cut to 80 characters.
pub fn short(s: &str) -> String {
    let line = s.lines().next().unwrap_or("");
    match line.char_indices().nth(80) {
        Some((i, _)) => format!("{}…", &line[..i]),
        None => line.to_owned(),
    }
}

pub fn print_json<T: serde::Serialize>(v: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(v)?);
    Ok(())
}
