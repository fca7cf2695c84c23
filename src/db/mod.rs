//! Database connection, migrations and readiness, the same over SQLite, PostgreSQL and
//! MySQL/MariaDB.

pub mod entities;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex, PoisonError, Weak};
use std::time::Duration;

use anyhow::Context as _;
use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};

use crate::config::{Backend, DatabaseUrl};

/// The pool plus what readiness needs to know about it.
#[derive(Debug, Clone)]
pub struct Db {
    /// The SeaORM pool.
    pub conn: DatabaseConnection,
    url: DatabaseUrl,
    sqlite_file: Option<SqliteFile>,
    statements: Arc<AtomicU64>,
}

/// The SQLite file as opened at start-up. If the path later names another file (deleted,
/// moved, replaced), writes would go to an orphaned inode: the instance is not ready.
#[derive(Debug, Clone)]
struct SqliteFile {
    path: PathBuf,
    identity: Option<(u64, u64)>,
}

#[cfg(unix)]
fn file_identity(path: &std::path::Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn file_identity(path: &std::path::Path) -> Option<(u64, u64)> {
    std::fs::metadata(path).ok().map(|_| (0, 0))
}

/// Opens the pool. SQLite gets WAL, a busy timeout (concurrent writers wait instead of
/// failing) and enforced foreign keys; its file is created when missing.
pub async fn connect(url: &DatabaseUrl, max_connections: u32) -> anyhow::Result<Db> {
    if let Some(path) = url.sqlite_path()
        && let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.is_dir()
    {
        anyhow::bail!("cannot open database {url}: directory {} does not exist", dir.display());
    }
    let mut opt = ConnectOptions::new(url.as_str());
    opt.max_connections(max_connections)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(30))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .busy_timeout(Duration::from_secs(10))
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .create_if_missing(true)
                // 1 MiB of page cache per connection instead of 2: ten connections reading a
                // large database would otherwise hold 20 MiB; the OS caches the file anyway.
                .pragma("cache_size", "-1024")
        });
    let mut conn = Database::connect(opt)
        .await
        .map_err(|e| anyhow::anyhow!("cannot open database {url}: {}", one_line(&e.to_string())))?;
    // Every statement is counted: the cheapest proof that a request costs a fixed number
    // of them (no N+1), in tests and benchmarks alike.
    let statements = Arc::new(AtomicU64::new(0));
    let counter = statements.clone();
    conn.set_metric_callback(move |_| {
        counter.fetch_add(1, Ordering::Relaxed);
    });
    // SQLite creates the file lazily; make sure it is really there and writable now.
    conn.execute_unprepared("SELECT 1")
        .await
        .map_err(|e| anyhow::anyhow!("cannot use database {url}: {}", one_line(&e.to_string())))?;
    let sqlite_file = url.sqlite_path().map(|path| SqliteFile { identity: file_identity(&path), path });
    Ok(Db { conn, url: url.clone(), sqlite_file, statements })
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Db {
    /// The database kind.
    pub fn backend(&self) -> Backend {
        match self.conn.get_database_backend() {
            DbBackend::Postgres => Backend::Postgres,
            DbBackend::MySql => Backend::MySql,
            _ => Backend::Sqlite,
        }
    }

    /// How many SQL statements this pool has run since it was opened.
    pub fn statement_count(&self) -> u64 {
        self.statements.load(Ordering::Relaxed)
    }

    /// Whether the database answers (and, for SQLite, is still the file at its path).
    pub async fn ping(&self) -> anyhow::Result<()> {
        if let Some(file) = &self.sqlite_file {
            let now = file_identity(&file.path);
            anyhow::ensure!(
                now.is_some() && now == file.identity,
                "database file {} is gone or replaced",
                file.path.display()
            );
        }
        let stmt = Statement::from_string(self.conn.get_database_backend(), "SELECT 1");
        tokio::time::timeout(Duration::from_secs(2), self.conn.query_one_raw(stmt))
            .await
            .context("database did not answer within 2s")?
            .context("database query failed")?;
        Ok(())
    }

    /// Applies pending migrations. On PostgreSQL and MySQL a database-wide lock makes
    /// instances that start together migrate one after another.
    pub async fn migrate_up(&self) -> anyhow::Result<()> {
        // Most starts find nothing to do. Finding that out needs no lock, and the lock needs
        // a connection of its own (on PostgreSQL with TLS, ~90 ms to open); one plain read
        // of the migration table answers on the pool's first connection. A missing table
        // (a new database) reads as "pending".
        let applied = self
            .conn
            .query_all_raw(Statement::from_string(
                self.conn.get_database_backend(),
                "SELECT version FROM seaql_migrations",
            ))
            .await
            .map(|rows| rows.iter().filter_map(|r| r.try_get::<String>("", "version").ok()).collect::<Vec<_>>())
            .unwrap_or_default();
        if Migrator::migrations().iter().all(|m| applied.iter().any(|v| v == m.name())) {
            return Ok(());
        }
        self.with_migration_lock(Migrator::up(&self.conn, None)).await.context("applying migrations")
    }

    /// Undoes every migration.
    pub async fn migrate_down(&self) -> anyhow::Result<()> {
        self.with_migration_lock(Migrator::down(&self.conn, None)).await.context("undoing migrations")
    }

    /// Each migration with whether it is applied.
    pub async fn migration_status(&self) -> anyhow::Result<Vec<(String, bool)>> {
        let applied: Vec<String> =
            Migrator::get_applied_migrations(&self.conn).await?.iter().map(|m| m.name().to_owned()).collect();
        Ok(Migrator::migrations()
            .iter()
            .map(|m| {
                let name = m.name().to_owned();
                let done = applied.contains(&name);
                (name, done)
            })
            .collect())
    }

    async fn with_migration_lock<F>(&self, work: F) -> anyhow::Result<()>
    where
        F: Future<Output = Result<(), sea_orm::DbErr>>,
    {
        let backend = self.conn.get_database_backend();
        let (lock, unlock) = match backend {
            DbBackend::Postgres => ("SELECT pg_advisory_lock(7171717171)", "SELECT pg_advisory_unlock(7171717171)"),
            DbBackend::MySql => {
                ("SELECT GET_LOCK('gerbang_migrations', 60)", "SELECT RELEASE_LOCK('gerbang_migrations')")
            }
            _ => return Ok(work.await?),
        };
        // Session-level locks belong to one connection: a pool of one holds it throughout.
        let mut opt = ConnectOptions::new(self.url.as_str());
        opt.max_connections(1).sqlx_logging(false);
        let guard = Database::connect(opt).await?;
        guard.query_one_raw(Statement::from_string(backend, lock)).await?;
        let result = work.await;
        guard.query_one_raw(Statement::from_string(backend, unlock)).await?;
        guard.close().await?;
        Ok(result?)
    }
}

/// Begins a transaction that will write, and takes this process's turn to write first.
/// Keep the turn until the transaction ends.
///
/// On SQLite the transaction takes the write lock up front (`BEGIN IMMEDIATE`): a deferred
/// transaction that reads first and writes later fails with SQLITE_BUSY under concurrency
/// instead of waiting. SQLite has one writer at a time, and its busy handler waits by
/// sleeping (1, 2, 5, 10… ms) between retries, so a burst of writers contending for the
/// lock stalls for milliseconds each; queued in-process, in order, they each wait only
/// for the transaction ahead. Other processes on the same file still meet the busy
/// handler. PostgreSQL and MySQL have row locks and need no turn.
pub async fn begin_write(
    conn: &DatabaseConnection,
) -> Result<(sea_orm::DatabaseTransaction, WriteTurn), sea_orm::DbErr> {
    use sea_orm::{SqliteTransactionMode, TransactionOptions, TransactionTrait};
    let sqlite = conn.get_database_backend() == DbBackend::Sqlite;
    let turn = if sqlite { WriteTurn::take(conn).await } else { WriteTurn { _held: None } };
    let txn = conn
        .begin_with_options(TransactionOptions {
            isolation_level: None,
            access_mode: None,
            sqlite_transaction_mode: sqlite.then_some(SqliteTransactionMode::Immediate),
        })
        .await?;
    Ok((txn, turn))
}

/// This process's turn to write to one SQLite file; the next writer's turn starts when
/// it is dropped.
#[must_use = "the turn ends when dropped: keep it until the transaction ends"]
pub struct WriteTurn {
    _held: Option<tokio::sync::OwnedMutexGuard<()>>,
}

/// One queue per SQLite file, shared by every pool of the process on that file. An entry
/// lives while someone holds or awaits its turn.
static WRITE_QUEUES: LazyLock<Mutex<HashMap<PathBuf, Weak<tokio::sync::Mutex<()>>>>> = LazyLock::new(Default::default);

impl WriteTurn {
    async fn take(conn: &DatabaseConnection) -> Self {
        let path = conn.get_sqlite_connection_pool().connect_options().get_filename().to_owned();
        let queue = {
            let mut queues = WRITE_QUEUES.lock().unwrap_or_else(PoisonError::into_inner);
            match queues.get(&path).and_then(Weak::upgrade) {
                Some(queue) => queue,
                None => {
                    queues.retain(|_, q| q.strong_count() > 0);
                    let queue = Arc::new(tokio::sync::Mutex::new(()));
                    queues.insert(path, Arc::downgrade(&queue));
                    queue
                }
            }
        };
        Self { _held: Some(queue.lock_owned().await) }
    }
}
