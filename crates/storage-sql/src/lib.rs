//! SQL backends of the storage contract: SQLite (embedded, the default) and PostgreSQL.
//!
//! One crate holds both because the data-manipulation SQL is the same text on both: sqlx binds
//! `$N` by number on SQLite too, and the encodings (UUID, timestamps, dates, JSON) are chosen per
//! driver. The [`on_db!`] macro expands one body once per backend, so each statement exists once
//! and is compiled against both drivers. What really differs lives apart: the DDL (one migration
//! folder per backend), connection setup, and the write-transaction start (`BEGIN IMMEDIATE` on
//! SQLite so that concurrent writers queue on the busy timeout instead of failing to upgrade a
//! read lock). The conformance story in `motcua-testkit` runs every method on both.
//!
//! SQL stays in the distributed-safe subset (docs/ARCHITECTURE.md): UUID keys, no sequences,
//! no LISTEN/NOTIFY, no advisory locks (migrations run with locking off, from one process).

use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use motcua_storage::{StoreError, StoreResult};
use sqlx::postgres::{PgPool, PgPoolOptions};

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};

mod audit;
mod calendar;
mod catalog;
mod declaration;
mod dossier;
mod files;
mod idempotency;
mod index;
mod map;
mod outbox;
mod payment;
mod petition;
mod plan;
mod rating;
mod report;
mod rows;
mod sign_in;
mod signing;
mod users;
mod vault;
mod watch;

/// Expand `$body` once per backend with `$p` bound to the pool of that backend.
macro_rules! on_db {
    ($db:expr, |$p:ident| $body:expr) => {
        match $db {
            $crate::Db::Sqlite($p) => $body,
            $crate::Db::Pg($p) => $body,
        }
    };
}
pub(crate) use on_db;

#[derive(Clone, Debug)]
pub(crate) enum Db {
    Sqlite(SqlitePool),
    Pg(PgPool),
}

/// Start a write transaction in the way each backend needs.
pub(crate) trait BeginWrite {
    type Database: sqlx::Database;
    fn begin_write(&self) -> impl Future<Output = sqlx::Result<sqlx::Transaction<'static, Self::Database>>> + Send;
}

impl BeginWrite for SqlitePool {
    type Database = sqlx::Sqlite;
    fn begin_write(&self) -> impl Future<Output = sqlx::Result<sqlx::Transaction<'static, sqlx::Sqlite>>> + Send {
        self.begin_with("BEGIN IMMEDIATE")
    }
}

impl BeginWrite for PgPool {
    type Database = sqlx::Postgres;
    fn begin_write(&self) -> impl Future<Output = sqlx::Result<sqlx::Transaction<'static, sqlx::Postgres>>> + Send {
        self.begin()
    }
}

/// Which database a URL selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> StoreResult<Self> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres)
        } else if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else {
            Err(StoreError::Other("database URL must start with sqlite: or postgres:// (postgresql://)".into()))
        }
    }
}

/// Connection settings.
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    pub max_connections: u32,
    pub busy_timeout: Duration,
    pub sqlite_sync: SqliteSync,
}

/// When SQLite makes a commit durable (WAL mode).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SqliteSync {
    /// Every commit is on disk before it is acknowledged (fsync of the WAL per commit).
    #[default]
    Full,
    /// Commits survive a crash of the process, not a power cut (fsync at checkpoints only).
    Normal,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        Self { max_connections: 16, busy_timeout: Duration::from_secs(10), sqlite_sync: SqliteSync::default() }
    }
}

/// The storage contract on a SQL database.
#[derive(Clone, Debug)]
pub struct SqlStore {
    /// Where reads go: a pool of connections.
    db: Db,
    /// Where writes go, through [`SqlStore::write_turn`]. On SQLite, one connection of its own:
    /// SQLite has one writer at a time anyway, and a connection that is the only one writing
    /// keeps its page cache across transactions (a connection drops its cache when another one
    /// has written), so each write starts warm instead of re-reading the B-trees it touches
    /// (issue 18: +10 % intakes). On PostgreSQL, the same pool as `db`.
    writer: Db,
    /// SQLite has one writer at a time: writers of this process queue here (fairly, without
    /// sleeping) instead of polling the database lock; other processes still meet the busy
    /// timeout. `None` on PostgreSQL.
    write_gate: Option<Arc<tokio::sync::Mutex<()>>>,
    /// Intakes waiting for the next group commit (see `intake`).
    intakes: Arc<dossier::intake::IntakeQueue>,
    /// Writes finished through this handle (see `Store::write_generation`).
    writes: Arc<AtomicU64>,
}

impl SqlStore {
    /// Connect to `url` (`sqlite:PATH`, `sqlite::memory:`, `postgres://...`). SQLite files are
    /// created when missing and opened in WAL mode with foreign keys on.
    pub async fn connect(url: &str, opts: &ConnectOptions) -> StoreResult<Self> {
        let writes: Arc<AtomicU64> = Arc::default();
        let (db, writer) = match Backend::of_url(url)? {
            Backend::Sqlite => {
                let co = SqliteConnectOptions::from_str(url)
                    .map_err(map_err)?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(match opts.sqlite_sync {
                        SqliteSync::Normal => SqliteSynchronous::Normal,
                        SqliteSync::Full => SqliteSynchronous::Full,
                    })
                    .foreign_keys(true)
                    .busy_timeout(opts.busy_timeout)
                    // 32 MiB of page cache per connection (the default is 2 MiB).
                    .pragma("cache_size", "-32000")
                    // Statement journals (a multi-row insert that may have to be undone) and
                    // temporary indexes in memory, not in temporary files: each batch of intakes
                    // wrote its statement journal to a file (issue 18 profile).
                    .pragma("temp_store", "memory")
                    // The WAL is copied back into the database by `checkpoints` off the writer's
                    // path; the commit that finds it this long does it itself (a safety net).
                    .pragma("wal_autocheckpoint", WAL_SAFETY_PAGES)
                    // Pages read through a memory map of the file (up to SQLite's 2 GiB cap)
                    // instead of a copy into each connection's cache: a page at province scale
                    // (a book's hundred dossiers spread over the file) was mostly `pread` and
                    // page-buffer allocation (issue 18).
                    .pragma("mmap_size", "2147418112");
                // An in-memory database exists per connection: keep exactly one.
                let max =
                    if url.contains(":memory:") || url.contains("mode=memory") { 1 } else { opts.max_connections };
                // An embedded database does not drop connections: no liveness ping (one round
                // trip to the connection's thread) before each use.
                let pool_of = |n: u32| SqlitePoolOptions::new().max_connections(n).test_before_acquire(false);
                let pool = pool_of(max).connect_with(co.clone()).await.map_err(map_err)?;
                let writer =
                    if max == 1 { pool.clone() } else { pool_of(1).connect_with(co).await.map_err(map_err)? };
                if max > 1 {
                    tokio::spawn(checkpoints(pool.clone(), Arc::downgrade(&writes)));
                }
                (Db::Sqlite(pool), Db::Sqlite(writer))
            }
            Backend::Postgres => {
                let pool = PgPoolOptions::new()
                    .max_connections(opts.max_connections)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect(url)
                    .await
                    .map_err(map_err)?;
                (Db::Pg(pool.clone()), Db::Pg(pool))
            }
        };
        let write_gate = matches!(db, Db::Sqlite(_)).then(|| Arc::new(tokio::sync::Mutex::new(())));
        Ok(Self { db, writer, write_gate, intakes: Arc::default(), writes })
    }

    /// The turn to write: wait for it (see `write_gate`) and write through `turn.db`.
    pub(crate) async fn write_turn(&self) -> WriteTurn<'_> {
        let gate = match &self.write_gate {
            Some(g) => Some(g.lock().await),
            None => None,
        };
        WriteTurn { _gate: gate, db: &self.writer, store: self }
    }

    /// Count a write that has finished (committed or not): the end of a [`WriteTurn`], or of an
    /// intake, whose group commit takes the gate itself.
    pub(crate) fn wrote(&self) {
        self.writes.fetch_add(1, Ordering::Release);
    }

    pub fn backend(&self) -> Backend {
        match self.db {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Pg(_) => Backend::Postgres,
        }
    }

    /// The disk the database takes: its pages on SQLite (the WAL aside), its files on PostgreSQL.
    pub async fn database_bytes(&self) -> StoreResult<u64> {
        let (bytes,): (i64,) = match &self.db {
            Db::Sqlite(p) => {
                sqlx::query_as("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")
                    .fetch_one(p)
                    .await
            }
            Db::Pg(p) => sqlx::query_as("SELECT pg_database_size(current_database())").fetch_one(p).await,
        }
        .map_err(map_err)?;
        Ok(u64::try_from(bytes).unwrap_or(0))
    }

    /// After a bulk load, what PostgreSQL's autovacuum would do in its own time: the planner's
    /// statistics and the visibility map (index-only scans) of every table (`VACUUM (ANALYZE)`),
    /// so that what is measured next is the steady state, also on a server where autovacuum is
    /// off. SQLite plans without statistics: nothing to do.
    pub async fn settle(&self) -> StoreResult<()> {
        match &self.db {
            Db::Sqlite(_) => Ok(()),
            Db::Pg(p) => sqlx::query("VACUUM (ANALYZE)").execute(p).await.map(|_| ()).map_err(map_err),
        }
    }

    pub async fn close(&self) {
        on_db!(&self.db, |p| p.close().await);
        on_db!(&self.writer, |p| p.close().await)
    }
}

/// A writer's turn: held while writing, with the connection(s) writes go through. Its end
/// counts a write (after the commit, so that a figure computed before it is seen as old).
pub(crate) struct WriteTurn<'a> {
    _gate: Option<tokio::sync::MutexGuard<'a, ()>>,
    pub(crate) db: &'a Db,
    store: &'a SqlStore,
}

impl Drop for WriteTurn<'_> {
    fn drop(&mut self) {
        self.store.wrote();
    }
}

#[async_trait::async_trait]
impl motcua_storage::Store for SqlStore {
    async fn migrate(&self) -> StoreResult<()> {
        match &self.writer {
            Db::Sqlite(p) => sqlx::migrate!("./migrations/sqlite").run(p).await,
            Db::Pg(p) => {
                // No advisory locks (distributed-safe): migrations run from one process.
                let mut m = sqlx::migrate!("./migrations/postgres");
                m.set_locking(false);
                m.run(p).await
            }
        }
        .map_err(|e| StoreError::Other(format!("migration failed: {e}")))
    }

    async fn ping(&self) -> StoreResult<()> {
        on_db!(&self.db, |p| sqlx::query("SELECT 1").execute(p).await.map(|_| ()).map_err(map_err))
    }

    fn write_generation(&self) -> u64 {
        self.writes.load(Ordering::Acquire)
    }
}

/// WAL pages past which a committing writer copies the WAL back itself (64 MiB of 4 KiB pages;
/// SQLite's default is 1,000, which made every 40th batch of intakes pay for a checkpoint).
const WAL_SAFETY_PAGES: &str = "16384";
/// How often the WAL is copied back into the database file off the writer's path.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(200);

/// Copy the WAL back into the database file every [`CHECKPOINT_EVERY`] on a reader's
/// connection (`PASSIVE`: it never waits for the writer nor makes it wait), until the store is
/// dropped (`alive` has no other owner) or closed. The issue 18 profile found checkpoints in the
/// writer's commits; here they run beside them.
async fn checkpoints(pool: SqlitePool, alive: std::sync::Weak<AtomicU64>) {
    let mut tick = tokio::time::interval(CHECKPOINT_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if alive.strong_count() == 0 || pool.is_closed() {
            return;
        }
        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&pool).await {
            if pool.is_closed() {
                return;
            }
            tracing::warn!(error = %e, "WAL checkpoint failed; the writers' own checkpoint takes over");
        }
    }
}

/// Convert a driver error at the boundary.
pub(crate) fn map_err(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::RowNotFound => StoreError::NotFound("row".into()),
        sqlx::Error::Database(d) => {
            use sqlx::error::ErrorKind;
            let constraint = d.constraint().map(str::to_owned).unwrap_or_else(|| d.message().to_owned());
            match d.kind() {
                ErrorKind::UniqueViolation | ErrorKind::ForeignKeyViolation => StoreError::Conflict { constraint },
                _ => StoreError::Other(e.to_string()),
            }
        }
        _ => StoreError::Other(e.to_string()),
    }
}

/// A JSON column read back into a domain value.
pub(crate) fn to_json<T: serde::Serialize>(v: &T) -> StoreResult<serde_json::Value> {
    serde_json::to_value(v).map_err(|e| StoreError::Other(e.to_string()))
}

pub(crate) fn from_json<T: serde::de::DeserializeOwned>(v: serde_json::Value, what: &str) -> StoreResult<T> {
    serde_json::from_value(v).map_err(|e| StoreError::Other(format!("stored {what} is unreadable: {e}")))
}
