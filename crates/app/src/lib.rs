//! Use cases of motcua.
//!
//! Each public method of [`App`] is one use case: it checks who may do it, validates the input
//! with the domain, and performs its writes through one storage call, which runs in one
//! transaction together with the audit row. The web handlers and the CLI are thin adapters over
//! these methods. Errors are [`AppError`], whose stable codes the API and pages show.

use std::sync::Arc;

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

pub mod accounts;
pub mod actor;

pub mod calendar;
pub mod catalog;
mod catalog_cache;
pub mod certified_copy;
pub mod declaration;
pub mod documents;
pub mod dossier_commands;
pub mod dossier_page;
pub mod dossiers;
pub mod error;
pub mod filing;
pub mod forms;
pub mod idempotency;
pub mod index;
pub mod map;
pub mod notices;
pub mod payment;
pub mod petition;
pub mod plan;
pub mod population;
mod portal;
pub mod profile;
pub mod rating;
pub mod report;
pub mod sign_in;
pub mod signing;
mod stamped;
pub mod throttle;
mod ttl_cache;
pub mod vault;
pub mod watch;

pub use actor::Actor;
pub use error::AppError;
pub use motcua_storage::Store;

pub type AppResult<T> = Result<T, AppError>;

/// Vietnam is UTC+7 all year (no daylight saving).
pub fn vn_offset() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).unwrap_or_else(|| unreachable!("7 h is a valid offset"))
}

/// The source of "now". Use cases take the instant from here, never from the system clock, so
/// tests can fix it.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
    /// Today's date in Vietnam.
    fn today(&self) -> NaiveDate {
        self.now().with_timezone(&vn_offset()).date_naive()
    }
}

#[derive(Debug, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock stopped at one instant (tests, reproducible demos).
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

/// A clock set by hand: the dossier generator replays months of work through the use cases,
/// moving it to the instant of each step.
#[derive(Debug, Default)]
pub struct ManualClock(std::sync::atomic::AtomicI64);

impl ManualClock {
    pub fn at(t: DateTime<Utc>) -> Self {
        Self(std::sync::atomic::AtomicI64::new(t.timestamp_micros()))
    }
    pub fn set(&self, t: DateTime<Utc>) {
        self.0.store(t.timestamp_micros(), std::sync::atomic::Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_micros(self.0.load(std::sync::atomic::Ordering::SeqCst)).unwrap_or_default()
    }
}

/// Settings of the use cases.
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// Lifetime of a browser session.
    pub session_hours: i64,
    /// Lifetime of an API token.
    pub token_hours: i64,
    /// How long the catalog search index and the working calendar are trusted before the store
    /// is asked whether they changed (changes made through this process are seen at once).
    pub catalog_refresh: std::time::Duration,
    /// How long a Decision 766 index report is served from memory while no write of this
    /// process happened (writes of other processes, and the dossiers that turn late with the
    /// clock, are seen after it). Zero: computed on every request.
    pub index_refresh: std::time::Duration,
    /// The choices the Labour Code leaves open for the default holiday calendar.
    pub holiday_rules: motcua_domain::calendar::holidays::HolidayRules,
    /// Dossiers received from this date print the forms of Thông tư 03/2025/TT-VPCP; earlier
    /// ones those of Thông tư 01/2018. Default: the date of Thông tư 03/2025 (15/9/2025); the
    /// exact transition is not confirmed (docs/RULES.md §R2), so it is a setting.
    pub forms_tt03_from: NaiveDate,
    /// Address of this server as citizens reach it; printed forms carry a QR code to
    /// `<public_url>/tra-cuu?ma=<code>`.
    pub public_url: String,
    /// Which channels notices to applicants use, and how SMS are written.
    pub notices: motcua_domain::notice::NoticeSettings,
    /// Largest file accepted for a dossier.
    pub max_file_bytes: u64,
    /// Work queues count their dossiers up to this many ("more than N" beyond).
    pub queue_count_limit: u32,
    /// Decision 766 metric 1.1: a publishing decision is on time when it is dated at least this
    /// many working days before the version takes effect (5 for provinces, 20 for ministries).
    pub publish_lead_working_days: u32,
    /// Decision 766 metric 1.2: a published version is publicised on time when it is on the
    /// national procedure database within this many working days of its decision (5 for
    /// provinces, 10 for ministries).
    pub publicise_within_working_days: u32,
    /// Answers of requests sent with an `Idempotency-Key` are replayed for this many hours.
    pub idempotency_hours: i64,
    /// Throttles of password guesses and of the public lookup.
    pub limits: throttle::Limits,
    /// Password hashes computed at once (0: one per core); more wait in a queue of
    /// `password_queue`, beyond which a login is `503 busy`.
    pub password_workers: usize,
    pub password_queue: usize,
    /// Reverse proxies in front of the server: for a request from one of them, the client's
    /// address (for the throttles and the audit) is the last `X-Forwarded-For` entry that is not
    /// itself a trusted proxy. Empty: the peer address is the client's.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// The variants of the uncertain rules of the Decision 766 index (docs/RULES.md §D5).
    pub index_rules: motcua_domain::index::Rules,
    /// The office that receives petitions (phản ánh, kiến nghị); the provincial committee in
    /// force when not set.
    pub petition_office: Option<motcua_domain::ids::AgencyCode>,
    /// The petitions' limits in working days (docs/RULES.md §D7: the National Portal's rules).
    pub petition_limits: motcua_domain::petition::Limits,
    /// The longest a population database lookup may take (at most 2 s).
    pub population_timeout: std::time::Duration,
    /// The payment gateway (`[payment]`); none: fees are paid at the desk only.
    pub payment: Option<payment::Gateway>,
    /// Push every dossier and its status changes to the National Public Service Portal (through
    /// the outbox; `[portal]`).
    pub portal_sync: bool,
    /// The deadline watch's thresholds (`[watch]`).
    pub watch_rules: motcua_domain::dossier::watch::WatchRules,
    /// The master key sealing the agencies' signing keys (`[signing]`); none: results are not
    /// signed here (`signing_off`).
    pub master_key: Option<signing::MasterKey>,
    /// The national code of the procedure of certified copies from originals (2.000815).
    pub certification_procedure: String,
    /// The fee of a certified copy by its pages (`[copy_fees]`; docs/RULES.md).
    pub copy_fees: motcua_domain::certified_copy::CopyFees,
}

impl Default for AppConfig {
    fn default() -> Self {
        Self {
            session_hours: 12,
            token_hours: 24,
            catalog_refresh: std::time::Duration::from_secs(1),
            index_refresh: std::time::Duration::from_secs(5),
            holiday_rules: Default::default(),
            forms_tt03_from: NaiveDate::from_ymd_opt(2025, 9, 15).unwrap_or(NaiveDate::MIN),
            public_url: "http://127.0.0.1:8080".into(),
            notices: Default::default(),
            max_file_bytes: 20 * 1024 * 1024,
            queue_count_limit: 1000,
            publish_lead_working_days: 5,
            publicise_within_working_days: 5,
            idempotency_hours: 24,
            limits: throttle::Limits::default(),
            password_workers: 0,
            password_queue: 64,
            trusted_proxies: vec![],
            index_rules: Default::default(),
            petition_office: None,
            petition_limits: Default::default(),
            watch_rules: Default::default(),
            portal_sync: false,
            payment: None,
            population_timeout: population::MAX_TIMEOUT,
            master_key: None,
            certification_procedure: "2.000815".into(),
            copy_fees: Default::default(),
        }
    }
}

/// The application: a store, a clock and settings.
///
/// The store is any implementation of the storage contract ([`Store`]); the application never
/// sees which database is behind it (the binary builds the store and hands it over).
#[derive(Clone)]
pub struct App {
    store: Arc<dyn Store>,
    /// Files of dossiers; in memory unless set with [`App::with_files`] (the server always sets it).
    pub files: motcua_files::FileStore,
    pub clock: Arc<dyn Clock>,
    /// Shared, not copied: every request clones the application.
    pub config: Arc<AppConfig>,
    caches: Arc<Caches>,
    /// The population database's adapter, when the province connects one.
    population: Option<Arc<dyn population::Registry>>,
    /// The national identity provider (VNeID, OpenID Connect), when configured.
    identity: Option<Arc<dyn sign_in::IdentityProvider>>,
}

/// Values derived from the store, kept in memory (see `stamped`), and the in-memory gates.
struct Caches {
    catalog: stamped::Stamped<i64, motcua_domain::procedure::search::CatalogIndex>,
    calendar: stamped::Stamped<String, calendar::Calendars>,
    procedures: stamped::Stamped<i64, catalog_cache::ProcedureCache>,
    whole_catalog: stamped::Stamped<i64, Vec<motcua_domain::procedure::Procedure>>,
    /// `(token hash, cookie?)` → the session's user.
    sessions: ttl_cache::TtlCache<(String, bool), Option<motcua_domain::user::User>>,
    agencies: ttl_cache::TtlCache<motcua_domain::ids::AgencyCode, Option<motcua_domain::admin::Agency>>,
    /// `(period, unit, time of asking in steps of index_refresh)` → the Decision 766 index report
    /// (a few hundred kB each: few kept).
    index: ttl_cache::TtlCache<(String, Option<String>, i64), index::IndexReport>,
    passwords: accounts::PasswordGate,
    throttles: throttle::Throttles,
}

impl Caches {
    fn new(config: &AppConfig) -> Self {
        Self {
            catalog: Default::default(),
            calendar: Default::default(),
            procedures: Default::default(),
            whole_catalog: Default::default(),
            sessions: Default::default(),
            agencies: Default::default(),
            index: ttl_cache::TtlCache::bounded(64),
            passwords: accounts::PasswordGate::new(config.password_workers, config.password_queue),
            throttles: throttle::Throttles::new(&config.limits),
        }
    }
}

impl App {
    pub fn new(store: impl Store + 'static, clock: Arc<dyn Clock>, config: AppConfig) -> Self {
        Self::over(Arc::new(store), clock, config)
    }

    /// The application over a store shared with other parts of the process (the outbox worker).
    pub fn over(store: Arc<dyn Store>, clock: Arc<dyn Clock>, config: AppConfig) -> Self {
        let caches = Arc::new(Caches::new(&config));
        Self {
            store,
            files: motcua_files::FileStore::memory(),
            clock,
            caches,
            config: Arc::new(config),
            population: None,
            identity: None,
        }
    }

    /// The same application (store, caches, settings) seen through another clock.
    pub fn with_clock(&self, clock: Arc<dyn Clock>) -> Self {
        Self {
            store: self.store.clone(),
            files: self.files.clone(),
            clock,
            caches: self.caches.clone(),
            config: self.config.clone(),
            population: self.population.clone(),
            identity: self.identity.clone(),
        }
    }

    /// The same application looking identities up in the population database through `registry`.
    pub fn with_population(self, registry: Arc<dyn population::Registry>) -> Self {
        Self { population: Some(registry), ..self }
    }

    /// The same application signing people in through the national identity provider.
    pub fn with_identity_provider(self, provider: Arc<dyn sign_in::IdentityProvider>) -> Self {
        Self { identity: Some(provider), ..self }
    }

    /// The same application keeping its files in `files`.
    pub fn with_files(self, files: motcua_files::FileStore) -> Self {
        Self { files, ..self }
    }

    /// Apply the store's pending migrations and seed the default holiday calendars: what a
    /// freshly opened store needs before it serves.
    pub async fn prepare(&self) -> AppResult<()> {
        self.store.migrate().await?;
        self.seed_calendars().await?;
        self.rebuild_index_if_pending().await?;
        Ok(())
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub fn today(&self) -> NaiveDate {
        self.clock.today()
    }

    pub async fn ready(&self) -> AppResult<()> {
        Ok(self.store.ping().await?)
    }
}
