//! Database access: one `DbConn` over SQLite and PostgreSQL (diesel `MultiConnection`), a pool,
//! embedded migrations, and `Db::run`, which moves blocking diesel work off the async executor.
//!
//! Backend-specific SQL is confined to this module (`pragmas`, migrations) and to the few query
//! functions that `match` on the variant; everything else is written once against `DbConn`.

mod literal;
pub mod models;
pub mod schema;
pub mod statements;
mod writers;

pub(crate) use literal::sql_literal;
pub use writers::write_transaction;

use std::time::Duration;

use anyhow::Context as _;
use diesel::connection::SimpleConnection;
use diesel::r2d2::{self, ManageConnection, Pool, PooledConnection, R2D2Connection};
use diesel::{Connection, PgConnection, SqliteConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::config::DatabaseUrl;

/// A connection to either backend. The variant is chosen from the URL scheme, never guessed.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

/// Diesel's backend type for [`DbConn`].
pub type Backend = multi_connection_impl::MultiBackend;

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");

/// Per-connection SQLite settings. WAL lets readers proceed while one writer commits;
/// `synchronous = NORMAL` is durable across process crashes in WAL mode (only an OS crash or
/// power loss can drop the last transactions); the busy timeout makes concurrent writers wait
/// for the lock instead of failing with SQLITE_BUSY.
/// The busy timeout comes first so that the journal-mode switch itself waits for the lock.
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 5000; \
     PRAGMA journal_mode = WAL; \
     PRAGMA synchronous = NORMAL; \
     PRAGMA foreign_keys = ON;";

/// How long a caller of [`Db::run`] waits for a connection before the work fails as
/// unavailable (503).
const CONNECTION_TIMEOUT: Duration = Duration::from_secs(5);

/// How many SQLite connections work at once: one more than the machine has cores, so that a
/// query waiting on storage leaves no core idle, and no more, because SQLite work is CPU work
/// and more threads only share the same cores. With 8 at once on 2 cores, the vote's writer,
/// whom every other vote waits for, lost its core to readers in the middle of its transaction:
/// the 99th percentile of 32 voters was 44-46 ms with 8 and 35-42 ms with 3, with warm or
/// dropped page caches alike (`scripts/bench --rows votes --no-web-app --skip-paint`, runs
/// alternated). The pool keeps its 8 connections; callers beyond the permits wait in
/// [`Db::run`], in the order they came.
fn sqlite_permits(pool_size: u32) -> u32 {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    u32::try_from(cores + 1)
        .unwrap_or(u32::MAX)
        .clamp(2, pool_size.max(2))
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Settings of a read-only SQLite connection: no journal-mode switch (a write), and every
/// statement that would write refused.
const SQLITE_READ_ONLY_PRAGMAS: &str = "PRAGMA busy_timeout = 5000; \
     PRAGMA query_only = ON; \
     PRAGMA foreign_keys = ON;";

/// How the database is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Access {
    /// Reads and writes; on a disk that turns out read-only, SQLite falls back to reading (the
    /// server then serves reads and answers writes with 503 `storage_unavailable`).
    #[default]
    ReadWrite,
    /// Reads only (`--read-only`): maintenance windows, replicas, read-only media.
    ReadOnly,
}

/// An r2d2 manager that opens the backend named by the URL and keeps the real connection error
/// (diesel's derived `establish` would try each variant in turn and report only the last).
#[derive(Debug, Clone)]
pub struct Manager {
    url: DatabaseUrl,
    access: Access,
}

impl Manager {
    pub fn new(url: DatabaseUrl, access: Access) -> Self {
        Self { url, access }
    }

    /// Opens one connection to the configured backend, with statement counting and logging.
    pub fn establish(&self) -> Result<DbConn, diesel::ConnectionError> {
        let mut conn = self.open()?;
        conn.set_instrumentation(statements::StatementLog::new(statements::database_key(
            &self.url.to_string(),
        )));
        Ok(conn)
    }

    fn open(&self) -> Result<DbConn, diesel::ConnectionError> {
        match &self.url {
            DatabaseUrl::Postgres(url) => {
                let mut conn = PgConnection::establish(url)?;
                if self.access == Access::ReadOnly {
                    conn.batch_execute("SET default_transaction_read_only = on")
                        .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
                }
                Ok(DbConn::Pg(conn))
            }
            DatabaseUrl::Sqlite(path) => {
                if self.access == Access::ReadWrite {
                    let writable = SqliteConnection::establish(&path.to_string_lossy()).and_then(
                        |mut conn| {
                            conn.batch_execute(SQLITE_PRAGMAS)
                                .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
                            Ok(conn)
                        },
                    );
                    match writable {
                        Ok(conn) => return Ok(DbConn::Sqlite(conn)),
                        Err(err) if !path_is_writable(path) => {
                            tracing::warn!(error = %err, "the database is on read-only storage: serving reads only");
                        }
                        Err(err) => return Err(err),
                    }
                }
                open_sqlite_read_only(path).map(DbConn::Sqlite)
            }
        }
    }
}

/// Whether the database file (or, before it exists, its directory) can be written.
fn path_is_writable(path: &std::path::Path) -> bool {
    let target = if path.exists() {
        path
    } else {
        path.parent().unwrap_or(path)
    };
    std::fs::metadata(target).is_ok_and(|m| !m.permissions().readonly())
        && std::fs::OpenOptions::new()
            .append(true)
            .open(if path.exists() { path } else { target })
            .is_ok()
}

/// A read-only SQLite connection. A WAL database on storage where its `-shm` file cannot be made
/// is opened `immutable` (nobody may write it meanwhile: maintenance or read-only media).
fn open_sqlite_read_only(
    path: &std::path::Path,
) -> Result<SqliteConnection, diesel::ConnectionError> {
    let escaped: String = path
        .to_string_lossy()
        .chars()
        .flat_map(|c| match c {
            '%' => "%25".chars().collect::<Vec<_>>(),
            '?' => "%3f".chars().collect(),
            '#' => "%23".chars().collect(),
            c => vec![c],
        })
        .collect();
    let open = |uri: String| {
        SqliteConnection::establish(&uri).and_then(|mut conn| {
            conn.batch_execute(SQLITE_READ_ONLY_PRAGMAS)
                .and_then(|()| conn.batch_execute("SELECT count(*) FROM sqlite_master"))
                .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
            Ok(conn)
        })
    };
    open(format!("file:{escaped}?mode=ro"))
        .or_else(|_| open(format!("file:{escaped}?mode=ro&immutable=1")))
}

impl ManageConnection for Manager {
    type Connection = DbConn;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConn, r2d2::Error> {
        self.establish().map_err(r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), r2d2::Error> {
        conn.ping().map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConn) -> bool {
        conn.is_broken()
    }
}

pub type DbPool = Pool<Manager>;
pub type PooledConn = PooledConnection<Manager>;

/// The shared database handle given to handlers.
#[derive(Clone)]
pub struct Db {
    pool: DbPool,
    backend: &'static str,
    /// The site's totals and when they were counted (see `domain::browse::stats`).
    pub(crate) site_totals: std::sync::Arc<
        std::sync::Mutex<Option<(std::time::Instant, shortscience_types::SiteStats)>>,
    >,
    /// Held while the totals are counted, so that one reader counts and the others wait.
    pub(crate) site_totals_counting: std::sync::Arc<tokio::sync::Mutex<()>>,
    /// How many callers of [`Db::run`] may use a connection at once; the others wait here, in
    /// the order they came.
    permits: std::sync::Arc<tokio::sync::Semaphore>,
}

impl Db {
    /// Opens the pool. For SQLite, creates the file's directory first.
    pub fn connect(url: &DatabaseUrl) -> anyhow::Result<Self> {
        Self::connect_with(url, Access::ReadWrite)
    }

    /// Opens the pool with the given access.
    pub fn connect_with(url: &DatabaseUrl, access: Access) -> anyhow::Result<Self> {
        let max_size = match url {
            DatabaseUrl::Sqlite(path) => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    if access == Access::ReadWrite && !dir.exists() {
                        std::fs::create_dir_all(dir).with_context(|| {
                            format!("could not create the database directory {}", dir.display())
                        })?;
                    }
                }
                8
            }
            DatabaseUrl::Postgres(_) => 16,
        };
        let permits = match url {
            DatabaseUrl::Sqlite(_) => sqlite_permits(max_size),
            DatabaseUrl::Postgres(_) => max_size,
        };
        let manager = Manager::new(url.clone(), access);
        // One connection up front: it reports the real error (wrong password, no such file
        // directory, server down) instead of a pool timeout, and switches SQLite to WAL once.
        drop(
            manager
                .establish()
                .with_context(|| format!("could not connect to {url}"))?,
        );
        let pool = Pool::builder()
            .max_size(max_size)
            // No `SELECT 1` before every checkout: a broken connection shows itself by failing
            // (`has_broken` then drops it), and saves a round trip on every request.
            .test_on_check_out(false)
            // No idle connections kept warm: with a minimum, every checkout that empties the
            // pool starts a replacement on r2d2's background thread, and a command that returns
            // while one is still connecting exits under it (libpq's SCRAM then fails in OpenSSL's
            // exit-time cleanup: "could not calculate client proof", or SIGSEGV). Connections are
            // opened on demand, by the caller that waits for one, and kept until idle for 10 min.
            .min_idle(Some(0))
            .connection_timeout(CONNECTION_TIMEOUT)
            .build(manager)
            .with_context(|| format!("could not connect to {url}"))?;
        Ok(Self {
            pool,
            backend: url.backend(),
            site_totals: Default::default(),
            site_totals_counting: Default::default(),
            permits: std::sync::Arc::new(tokio::sync::Semaphore::new(permits as usize)),
        })
    }

    /// `sqlite` or `postgres`.
    pub fn backend(&self) -> &'static str {
        self.backend
    }

    /// The most connections the pool opens.
    pub fn max_connections(&self) -> u32 {
        self.pool.max_size()
    }

    /// Idle and total connections of the pool (for metrics).
    pub fn pool_state(&self) -> (u32, u32) {
        let state = self.pool.state();
        (state.idle_connections, state.connections)
    }

    /// A pooled connection, for start-up work and tests (handlers use [`Db::run`]).
    pub fn get(&self) -> anyhow::Result<PooledConn> {
        self.pool.get().context("no database connection available")
    }

    /// Runs blocking diesel work on the runtime's blocking thread pool, never on the async
    /// executor. The closure's error type says what else it can fail with; a pool that has no
    /// connection to give becomes `E::from(DbError::Unavailable)`.
    ///
    /// Callers first take a permit, on the async side, in the order they came (tokio's
    /// semaphore is fair): the pool's own wait wakes whichever thread the OS runs first, and a
    /// request could wait far longer than those that came after it.
    pub async fn run<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConn) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let pool = self.pool.clone();
        let permit = tokio::time::timeout(
            CONNECTION_TIMEOUT,
            std::sync::Arc::clone(&self.permits).acquire_owned(),
        )
        .await
        .map_err(|_| DbError::Unavailable(anyhow::anyhow!("no database connection came free")))?
        .map_err(|e| DbError::Unavailable(anyhow::Error::new(e)))?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let mut conn = pool
                .get()
                .map_err(|e| DbError::Unavailable(anyhow::Error::new(e)))?;
            f(&mut conn)
        })
        .await
        .map_err(|e| DbError::Task(anyhow::anyhow!("blocking database task failed: {e}")))?
    }
}

/// Why database work could not run or failed.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// No connection could be had (pool exhausted, server down).
    #[error("the database is unavailable")]
    Unavailable(#[source] anyhow::Error),
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
    /// The blocking task panicked or was cancelled.
    #[error("database task failed")]
    Task(#[source] anyhow::Error),
}

/// One row of `migrate status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationState {
    pub version: String,
    pub applied: bool,
}

fn migrations_for(conn: &DbConn) -> EmbeddedMigrations {
    match conn {
        DbConn::Sqlite(_) => SQLITE_MIGRATIONS,
        DbConn::Pg(_) => POSTGRES_MIGRATIONS,
    }
}

/// Applies pending migrations; returns the versions applied. On PostgreSQL an advisory lock
/// makes processes that start together take turns: the first applies, the others find nothing
/// left to do.
pub fn run_migrations(conn: &mut DbConn) -> anyhow::Result<Vec<String>> {
    use diesel::RunQueryDsl as _;
    let locked = matches!(conn, DbConn::Pg(_));
    if locked {
        diesel::sql_query(format!("SELECT pg_advisory_lock({MIGRATION_LOCK})")).execute(conn)?;
    }
    let migrations = migrations_for(conn);
    let applied: anyhow::Result<Vec<String>> = conn
        .run_pending_migrations(migrations)
        .map(|versions| versions.into_iter().map(|v| v.to_string()).collect())
        .map_err(|e: BoxError| anyhow::anyhow!(e))
        .context("running migrations failed");
    if locked {
        diesel::sql_query(format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})")).execute(conn)?;
    }
    applied
}

/// The PostgreSQL advisory lock key migrations run under ("ShortSci" in ASCII).
const MIGRATION_LOCK: i64 = 0x5368_6f72_7453_6369;

/// Embedded migrations not yet applied, read without writing anything (diesel's own listing
/// first creates its bookkeeping table, which a read-only database refuses).
pub fn pending_migrations(conn: &mut DbConn) -> anyhow::Result<Vec<String>> {
    use diesel::migration::MigrationSource;
    let applied = applied_versions(conn)?;
    let migrations = migrations_for(conn);
    let all = MigrationSource::<Backend>::migrations(&migrations)
        .map_err(|e: BoxError| anyhow::anyhow!(e))?;
    let mut pending: Vec<String> = all
        .iter()
        .map(|m| m.name().version().to_string())
        .filter(|v| !applied.contains(v))
        .collect();
    pending.sort();
    Ok(pending)
}

/// Reverts the newest applied migration; returns its version.
pub fn revert_last_migration(conn: &mut DbConn) -> anyhow::Result<String> {
    let migrations = migrations_for(conn);
    let version = conn
        .revert_last_migration(migrations)
        .map_err(|e: BoxError| anyhow::anyhow!(e))
        .context("reverting the last migration failed")?;
    Ok(version.to_string())
}

/// Reverts every applied migration; returns the versions reverted, newest first.
pub fn revert_all_migrations(conn: &mut DbConn) -> anyhow::Result<Vec<String>> {
    let migrations = migrations_for(conn);
    let reverted = conn
        .revert_all_migrations(migrations)
        .map_err(|e: BoxError| anyhow::anyhow!(e))
        .context("reverting migrations failed")?;
    Ok(reverted.into_iter().map(|v| v.to_string()).collect())
}

/// The newest applied migration's version, if any. Read with a plain query: diesel's own
/// listing first creates its bookkeeping table, which a read-only database refuses.
pub fn latest_migration(conn: &mut DbConn) -> anyhow::Result<Option<String>> {
    Ok(applied_versions(conn)?.into_iter().max())
}

/// Versions of the applied migrations (none when the bookkeeping table does not exist yet).
fn applied_versions(conn: &mut DbConn) -> anyhow::Result<Vec<String>> {
    use diesel::RunQueryDsl as _;
    #[derive(diesel::QueryableByName)]
    struct Version {
        #[diesel(sql_type = diesel::sql_types::Text)]
        version: String,
    }
    let exists = match conn {
        DbConn::Sqlite(_) => "SELECT name AS version FROM sqlite_master WHERE type = 'table' AND name = '__diesel_schema_migrations'",
        DbConn::Pg(_) => "SELECT table_name::text AS version FROM information_schema.tables WHERE table_name = '__diesel_schema_migrations' AND table_schema = current_schema()",
    };
    if diesel::sql_query(exists).load::<Version>(conn)?.is_empty() {
        return Ok(Vec::new());
    }
    Ok(
        diesel::sql_query("SELECT version FROM __diesel_schema_migrations")
            .load::<Version>(conn)?
            .into_iter()
            .map(|v| v.version)
            .collect(),
    )
}

/// Every embedded migration and whether it is applied, oldest first.
pub fn migration_status(conn: &mut DbConn) -> anyhow::Result<Vec<MigrationState>> {
    use diesel::migration::MigrationSource;
    let migrations = migrations_for(conn);
    let applied: Vec<String> = conn
        .applied_migrations()
        .map_err(|e: BoxError| anyhow::anyhow!(e))?
        .iter()
        .map(|v| v.to_string())
        .collect();
    let all = MigrationSource::<Backend>::migrations(&migrations)
        .map_err(|e: BoxError| anyhow::anyhow!(e))?;
    let mut states: Vec<MigrationState> = all
        .iter()
        .map(|m| {
            let version = m.name().version().to_string();
            MigrationState {
                applied: applied.contains(&version),
                version,
            }
        })
        .collect();
    states.sort_by(|a, b| a.version.cmp(&b.version));
    Ok(states)
}

diesel::define_sql_function! {
    /// SQL `lower()`, the same on both backends for ASCII text.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    /// `Db::run` lets no more callers at the database than it has permits, and the rest wait
    /// for one instead of failing.
    #[tokio::test]
    async fn run_admits_callers_up_to_its_permits_and_the_rest_wait() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let dir = tempfile::tempdir().unwrap();
        let db = super::Db::connect(&crate::config::DatabaseUrl::Sqlite(
            dir.path().join("permits.db"),
        ))
        .unwrap();
        let permits = db.permits.available_permits();
        assert!((2..=8).contains(&permits), "{permits} permits");
        let (active, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let calls = (0..4 * permits).map(|i| {
            let (db, active, most) = (db.clone(), Arc::clone(&active), Arc::clone(&most));
            async move {
                db.run(move |_conn| -> Result<usize, super::DbError> {
                    let now = active.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(50));
                    active.fetch_sub(1, Ordering::SeqCst);
                    Ok(i)
                })
                .await
            }
        });
        let done = futures_util::future::join_all(calls).await;
        assert!(done.iter().all(Result::is_ok));
        assert_eq!(most.load(Ordering::SeqCst), permits);
    }
}
