//! Database access: one connection type over SQLite and PostgreSQL, chosen by
//! the URL scheme, a pool, embedded migrations, and a helper that runs diesel
//! work off the async workers.
//!
//! Insertables bind `None` as NULL (`treat_none_as_default_value = false`;
//! every nullable column defaults to NULL anyway): their SQL then does not
//! vary with which fields are set, so diesel keeps them as prepared
//! statements instead of having PostgreSQL parse and plan each insert.

pub mod campaigns;
pub mod filing;
pub mod meetings;
pub mod models;
pub mod reports;
pub mod schema;
pub mod surveys;
pub mod teams;
pub mod tokens;
pub mod users;
mod writer;

use std::sync::Arc;
use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::pg::PgConnection;
use diesel::r2d2::{self, ManageConnection};
use diesel::sqlite::SqliteConnection;
use diesel::{Connection, RunQueryDsl};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::config::{Config, DatabaseKind};
use crate::error::{ApiError, ApiResult};
use crate::gate::Gate;

#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

/// The connection pool, and on SQLite the writer thread.
#[derive(Clone)]
pub struct Pool {
    connections: r2d2::Pool<Manager>,
    /// Turns for the connections, handed out in arrival order: requests
    /// wait here, as tasks, instead of in r2d2 as blocked threads. r2d2 wakes
    /// one waiting thread when a connection comes back, but a thread that has
    /// just arrived may take it first; with many waiting, the same requests
    /// lose again and again and the slowest answers take several times the
    /// average. A few turns per connection: the requests after the one a
    /// connection serves already wait beside it on threads, so the connection
    /// is not idle while the next task is scheduled, and only those few
    /// compete in r2d2's unfair wait.
    turns: Arc<Semaphore>,
    /// Turns of their own for the few requests that come with a password
    /// hash (see [`run_write_for_hash`]).
    hash_turns: Arc<Semaphore>,
    writer: Option<writer::Writer>,
    /// On PostgreSQL, the filing lane (see [`filing`]).
    filing: Option<filing::Lane>,
    /// Where requests wait for their turn at the database (see [`crate::gate`]).
    gate: Gate,
}

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/postgres");

/// Settings every SQLite connection needs: wait for a lock instead of
/// failing (first: switching to WAL takes a lock too, and a connection opened
/// while another migrates would fail and be retried only after r2d2's
/// back-off), enforce foreign keys, let readers and the writer work side by
/// side (WAL).
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; \
     PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;";

/// SQLite's process-wide settings, made once, before this process opens its
/// first SQLite connection (every connection opens through [`establish`]):
/// - no memory statistics: they take one global mutex around every
///   allocation SQLite makes, which the writer thread and the readers then
///   queue on;
/// - multi-thread mode: a connection is only ever used by one thread at a time
///   (the pool hands each out to one request; the writer thread owns its own),
///   so the per-connection mutexes of the default serialized mode guard
///   nothing.
///
/// Both only take effect before SQLite initialises; should anything have
/// initialised it first, SQLite refuses them (SQLITE_MISUSE) and keeps its
/// safe defaults.
fn configure_sqlite() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        use libsqlite3_sys as ffi;
        const OFF: std::os::raw::c_int = 0;
        // SAFETY: sqlite3_config must not run while another thread calls into
        // SQLite. Only `establish` opens connections, and it comes here first:
        // `call_once` holds every other caller until this has returned.
        let (memstatus, threading) = unsafe {
            (
                ffi::sqlite3_config(ffi::SQLITE_CONFIG_MEMSTATUS, OFF),
                ffi::sqlite3_config(ffi::SQLITE_CONFIG_MULTITHREAD),
            )
        };
        if memstatus != ffi::SQLITE_OK || threading != ffi::SQLITE_OK {
            tracing::warn!(
                memstatus,
                threading,
                "SQLite was initialised early; its defaults stay"
            );
        }
    });
}

/// Builds the right variant from the URL itself; `MultiConnection::establish`
/// would try each backend in turn and hide the real error.
#[derive(Debug)]
pub struct Manager {
    url: String,
    kind: DatabaseKind,
    statement_timeout: Duration,
}

impl Manager {
    pub fn new(url: &str, kind: DatabaseKind, statement_timeout: Duration) -> Self {
        Manager {
            url: url.to_owned(),
            kind,
            statement_timeout,
        }
    }
}

pub fn sqlite_path(url: &str) -> &str {
    url.strip_prefix("sqlite://").unwrap_or(url)
}

/// A PostgreSQL URL naming `database` in place of the one in `url`; options
/// such as `?sslmode=disable` carry over. Tests and benchmarks make scratch
/// databases next to the one they are given.
pub fn postgres_url_with_database(url: &str, database: &str) -> String {
    let (location, options) = url.split_once('?').map_or((url, ""), |(l, o)| (l, o));
    let base = location.rsplit_once('/').map_or(location, |(b, _)| b);
    let sep = if options.is_empty() { "" } else { "?" };
    format!("{base}/{database}{sep}{options}")
}

/// The database a PostgreSQL URL names (the last path segment, before any options).
pub fn postgres_database_name(url: &str) -> &str {
    let location = url.split_once('?').map_or(url, |(l, _)| l);
    location.rsplit_once('/').map_or(location, |(_, name)| name)
}

pub fn establish(url: &str, kind: DatabaseKind) -> diesel::ConnectionResult<DbConnection> {
    match kind {
        DatabaseKind::Postgres => PgConnection::establish(url).map(DbConnection::Pg),
        DatabaseKind::Sqlite => {
            let path = sqlite_path(url);
            if let Some(parent) = std::path::Path::new(path).parent() {
                let _ = std::fs::create_dir_all(parent);
            }
            configure_sqlite();
            let mut conn = SqliteConnection::establish(path)?;
            conn.batch_execute(SQLITE_PRAGMAS)
                .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
            Ok(DbConnection::Sqlite(conn))
        }
    }
}

/// A connection that serves requests: [`establish`]ed, with a limit on how
/// long one statement may run (PostgreSQL) or wait for the write lock
/// (SQLite). Past it the statement fails, and its request gets 503 (see
/// `ApiError::from`), instead of keeping the connection from everyone else.
/// Migrations and the command-line tasks use [`establish`] alone: they may
/// take longer.
pub fn establish_serving(
    url: &str,
    kind: DatabaseKind,
    statement_timeout: Duration,
) -> diesel::ConnectionResult<DbConnection> {
    let mut conn = establish(url, kind)?;
    let ms = statement_timeout.as_millis();
    let setting = match kind {
        DatabaseKind::Postgres => format!("SET statement_timeout = {ms}"),
        DatabaseKind::Sqlite => format!("PRAGMA busy_timeout = {ms}"),
    };
    conn.batch_execute(&setting)
        .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
    Ok(conn)
}

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<DbConnection, Self::Error> {
        establish_serving(&self.url, self.kind, self.statement_timeout)
            .map_err(diesel::r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), Self::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(diesel::r2d2::Error::QueryError)
    }

    /// Connections are not tested on checkout (a round trip per request);
    /// instead [`run`] marks one broken when a query on it found the
    /// connection lost, and the pool drops it instead of handing it out again.
    fn has_broken(&self, _conn: &mut DbConnection) -> bool {
        LOST.with(|lost| lost.replace(false))
    }
}

/// See [`Pool::turns`]. SQLite's reads take tens of microseconds, so a
/// connection waiting for the next task to be scheduled idles for a larger
/// share of its time: with two turns per connection the SQLite mix at 256
/// connections lost a quarter of its throughput, with four it kept most of
/// it and still cut the p99. On PostgreSQL four turns gave the same mix and a
/// worse filing p99 than two.
fn turns_per_connection(kind: DatabaseKind) -> usize {
    match kind {
        DatabaseKind::Sqlite => 4,
        DatabaseKind::Postgres => 2,
    }
}

/// How long a request waits for a connection before it is answered 503.
const POOL_TIMEOUT: Duration = Duration::from_secs(5);

pub fn build_pool(config: &Config) -> anyhow::Result<Pool> {
    let manager = Manager::new(
        config.database_url.expose(),
        config.database_kind,
        config.db_statement_timeout,
    );
    let connections = r2d2::Pool::builder()
        .max_size(config.db_pool_size)
        // Validating on every checkout costs ~16% of write throughput on
        // PostgreSQL; a broken connection surfaces as an error and is replaced.
        .test_on_check_out(false)
        .connection_timeout(POOL_TIMEOUT)
        .build_unchecked(manager);
    let turns = Arc::new(Semaphore::new(
        turns_per_connection(config.database_kind) * config.db_pool_size as usize,
    ));
    let gate = Gate::new(config.max_in_flight);
    let url = config.database_url.expose().to_owned();
    let (writer, filing) = match config.database_kind {
        DatabaseKind::Sqlite => (
            Some(writer::Writer::start(
                url,
                config.database_kind,
                config.db_statement_timeout,
            )?),
            None,
        ),
        DatabaseKind::Postgres => (
            None,
            Some(filing::Lane::start(
                url,
                config.db_statement_timeout,
                gate.clone(),
            )?),
        ),
    };
    Ok(Pool {
        connections,
        turns,
        hash_turns: Arc::new(Semaphore::new(HASH_TURNS)),
        writer,
        filing,
        gate,
    })
}

/// Runs pending migrations; on PostgreSQL under an advisory lock, so that
/// instances starting together do not race.
pub fn run_migrations(conn: &mut DbConnection) -> anyhow::Result<Vec<String>> {
    const LOCK: &str = "SELECT pg_advisory_lock(7423001)";
    const UNLOCK: &str = "SELECT pg_advisory_unlock(7423001)";
    let applied = match conn {
        DbConnection::Sqlite(c) => c
            .run_pending_migrations(SQLITE_MIGRATIONS)
            .map_err(|e| anyhow::anyhow!("migration failed: {e}"))?
            .iter()
            .map(|v| v.to_string())
            .collect(),
        DbConnection::Pg(c) => {
            diesel::sql_query(LOCK).execute(c)?;
            let result = c
                .run_pending_migrations(POSTGRES_MIGRATIONS)
                .map(|v| v.iter().map(|v| v.to_string()).collect::<Vec<_>>())
                .map_err(|e| anyhow::anyhow!("migration failed: {e}"));
            diesel::sql_query(UNLOCK).execute(c)?;
            result?
        }
    };
    Ok(applied)
}

/// Runs `f` with a pooled connection on the blocking thread pool, keeping the
/// caller's tracing span, once the request has its place at the gate. For
/// reads: work that writes goes through [`run_write`], so that SQLite's
/// writers queue instead of sleeping.
pub async fn run<T, F>(pool: &Pool, f: F) -> ApiResult<T>
where
    F: FnOnce(&mut DbConnection) -> ApiResult<T> + Send + 'static,
    T: Send + 'static,
{
    pool.gate.enter().await?;
    run_with(pool, f, None).await
}

/// Requests with a password hash that may skip the queue for a turn at once.
const HASH_TURNS: usize = 4;

/// [`run_write`] for the database work of a request that comes with a
/// password hash: login's and sign-up's lookups before it (once the hasher
/// has admitted it), and the session stored after it. The hasher lets
/// only a few such requests through, and they are the slowest a user waits
/// for: on a busy server a turn costs ~150 ms, and a login took three. So
/// while one of [`HASH_TURNS`] is free they wait only for a connection (on
/// SQLite: they join the writer thread's next batch); past those they queue
/// like any other request, so that a flood of them (say, attempts already
/// over their rate limit) cannot crowd out the rest. They take no place at
/// the request gate ([`crate::gate`]): the hasher's admission is theirs.
pub async fn run_write_for_hash<T, F>(pool: &Pool, f: F) -> ApiResult<T>
where
    F: FnOnce(&mut DbConnection) -> ApiResult<T> + Send + 'static,
    T: Send + 'static,
{
    let turn = pool.hash_turns.clone().try_acquire_owned().ok();
    match &pool.writer {
        Some(writer) => {
            let lane = match turn {
                Some(_) => writer::Lane::Ahead,
                None => writer::Lane::Queue,
            };
            let answer = writer.run(lane, f).await;
            drop(turn);
            answer
        }
        None => run_with(pool, f, turn).await,
    }
}

/// Runs `f` on a pooled connection, in the turn given, or else after
/// queueing for one of [`Pool::turns`].
async fn run_with<T, F>(pool: &Pool, f: F, turn: Option<OwnedSemaphorePermit>) -> ApiResult<T>
where
    F: FnOnce(&mut DbConnection) -> ApiResult<T> + Send + 'static,
    T: Send + 'static,
{
    // One wait in all: for a turn, then for the connection.
    let deadline = std::time::Instant::now() + POOL_TIMEOUT;
    let turn = match turn {
        Some(turn) => turn,
        None => tokio::time::timeout(POOL_TIMEOUT, pool.turns.clone().acquire_owned())
            .await
            .map_err(|_| {
                ApiError::Unavailable("database pool: timed out waiting for a connection".into())
            })?
            .map_err(|_| ApiError::Internal(anyhow::anyhow!("the pool's turns were closed")))?,
    };
    let connections = pool.connections.clone();
    let span = tracing::Span::current();
    actix_web::web::block(move || {
        let _entered = span.enter();
        let _turn = turn;
        let mut conn = connections
            .get_timeout(deadline.saturating_duration_since(std::time::Instant::now()))?;
        let result = f(&mut conn);
        if matches!(&result, Err(ApiError::Unavailable(_))) {
            // Returning the connection (below, on this thread) asks `has_broken`.
            LOST.with(|lost| lost.set(true));
        }
        drop(conn);
        LOST.with(|lost| lost.set(false));
        result
    })
    .await?
}

/// [`run`] for work that writes; every write of the server goes through
/// here. On SQLite `f` runs on the writer thread (see [`writer`]), possibly
/// in a batch with other writes: its [`write_tx`] is then a savepoint, and
/// the answer comes once the batch is committed.
pub async fn run_write<T, F>(pool: &Pool, f: F) -> ApiResult<T>
where
    F: FnOnce(&mut DbConnection) -> ApiResult<T> + Send + 'static,
    T: Send + 'static,
{
    match &pool.writer {
        Some(writer) => {
            pool.gate.enter().await?;
            writer.run(writer::Lane::Queue, f).await
        }
        None => run(pool, f).await,
    }
}

impl Pool {
    /// The PostgreSQL filing lane (behind the same gate); `None` on SQLite,
    /// which files on its writer thread ([`run_write`]).
    pub fn filing_lane(&self) -> Option<&filing::Lane> {
        self.filing.as_ref()
    }
}

thread_local! {
    /// Set while a connection whose query found it lost goes back to the pool.
    static LOST: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// A write transaction. On SQLite it starts with `BEGIN IMMEDIATE`, so it
/// takes the write lock up front (waiting via busy_timeout) instead of failing
/// with SQLITE_BUSY when a read inside the transaction turns into a write.
/// `f` must not open nested transactions.
pub fn write_tx<T, E>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    match conn {
        DbConnection::Sqlite(c) => {
            let in_batch = AnsiTransactionManager::transaction_manager_status_mut(c)
                .transaction_depth()?
                .is_some();
            if in_batch {
                // Inside the writer thread's batch: a savepoint.
                AnsiTransactionManager::begin_transaction(c)?
            } else {
                AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?
            }
        }
        DbConnection::Pg(c) => AnsiTransactionManager::begin_transaction(c)?,
    }
    let result = f(conn);
    let end = match (&result, &mut *conn) {
        (Ok(_), DbConnection::Sqlite(c)) => AnsiTransactionManager::commit_transaction(c),
        (Ok(_), DbConnection::Pg(c)) => AnsiTransactionManager::commit_transaction(c),
        (Err(_), DbConnection::Sqlite(c)) => AnsiTransactionManager::rollback_transaction(c),
        (Err(_), DbConnection::Pg(c)) => AnsiTransactionManager::rollback_transaction(c),
    };
    match (result, end) {
        (Ok(v), Ok(())) => Ok(v),
        (Ok(_), Err(e)) => Err(e.into()),
        (Err(e), _) => Err(e),
    }
}

/// `SELECT 1` through the pool, for readiness checks.
pub async fn ping(pool: &Pool) -> ApiResult<()> {
    run(pool, |conn| {
        conn.batch_execute("SELECT 1")
            .map_err(|e| ApiError::Unavailable(format!("database: {e}")))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_urls_swap_the_database_and_keep_options() {
        assert_eq!(
            postgres_url_with_database("postgres://u@h:5432/postgres", "wv_1"),
            "postgres://u@h:5432/wv_1"
        );
        assert_eq!(
            postgres_url_with_database("postgres://u@h/postgres?sslmode=disable&x=1", "wv_1"),
            "postgres://u@h/wv_1?sslmode=disable&x=1"
        );
        assert_eq!(
            postgres_database_name("postgres://u@h/wv_1?sslmode=disable"),
            "wv_1"
        );
        assert_eq!(postgres_database_name("postgres://u@h/wv_1"), "wv_1");
    }
}
