//! Database connection, migrations and readiness, the same over SQLite, PostgreSQL and
//! MySQL/MariaDB.

pub(crate) mod changes;
pub mod entities;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::Context as _;
use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};

use crate::config::DatabaseUrl;
use changes::{Change, ChangeBus};

/// The pool plus what readiness and writing need to know about it.
#[derive(Debug, Clone)]
pub struct Db {
    /// The SeaORM pool.
    pub conn: DatabaseConnection,
    url: DatabaseUrl,
    sqlite_file: Option<SqliteFile>,
    statements: Arc<AtomicU64>,
    /// SQLite's one writer: this instance's writers take turns here (see [`Db::begin_write`]).
    writer: Option<Arc<tokio::sync::Mutex<()>>>,
    /// What changed, here and in the other instances over this database.
    pub(crate) changes: Arc<ChangeBus>,
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
/// failing) and enforced foreign keys; its file is created when missing, readable by its
/// owner only. Waiting for a connection and running a statement are bounded by `timeout`,
/// so an unreachable database fails requests fast instead of queueing them.
pub async fn connect(url: &DatabaseUrl, max_connections: u32, timeout: Duration) -> anyhow::Result<Db> {
    if let Some(path) = url.sqlite_path() {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
            && !dir.is_dir()
        {
            anyhow::bail!("cannot open database {url}: directory {} does not exist", dir.display());
        }
        create_private(&path).with_context(|| format!("cannot create database {url}"))?;
    }
    let mut opt = ConnectOptions::new(url.as_str());
    let statement_timeout = format!("{}ms", timeout.as_millis());
    let mariadb_timeout = format!("SET SESSION max_statement_time = {}", timeout.as_secs_f64());
    opt.max_connections(max_connections)
        .min_connections(1)
        .connect_timeout(timeout)
        .acquire_timeout(timeout)
        // A ping before every use is a round trip per statement on PostgreSQL and MariaDB;
        // only a connection idle for a while is checked (a dead one is dropped when it fails).
        .test_before_acquire_if_idle_for(Duration::from_secs(10))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(move |o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .busy_timeout(timeout)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .create_if_missing(true)
                // 1 MiB of page cache per connection instead of 2: ten connections reading a
                // large database would otherwise hold 20 MiB; the OS caches the file anyway.
                .pragma("cache_size", "-1024")
        })
        .map_sqlx_postgres_opts(move |o| o.options([("statement_timeout", statement_timeout.clone())]))
        .map_sqlx_sqlite_pool_opts(|o| o.after_release(|conn, _| Box::pin(release_sqlite(conn))))
        .map_sqlx_postgres_pool_opts(|o| {
            o.after_release(|conn, _| Box::pin(async { Ok(!sea_orm::sqlx::Connection::is_in_transaction(conn)) }))
        })
        .map_sqlx_mysql_pool_opts(move |o| {
            let set = mariadb_timeout.clone();
            o.after_release(|conn, _| Box::pin(async { Ok(!sea_orm::sqlx::Connection::is_in_transaction(conn)) }))
                .after_connect(move |conn, _| {
                    let set = set.clone();
                    Box::pin(async move {
                        // MariaDB's statement limit; MySQL has none by this name, and refuses it.
                        let _ = sea_orm::sqlx::Executor::execute(conn, sea_orm::sqlx::AssertSqlSafe(set)).await;
                        Ok(())
                    })
                })
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
    let writer = sqlite_file.is_some().then(|| Arc::new(tokio::sync::Mutex::new(())));
    Ok(Db { conn, url: url.clone(), sqlite_file, statements, writer, changes: Arc::default() })
}

/// Creates a missing SQLite file with mode 0600 before SQLite opens it: SQLite gives the
/// WAL and shared-memory files it creates later the database file's mode, so the password
/// hashes and signing keys inside are readable by the service's user only.
fn create_private(path: &std::path::Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Whether a connection may go back to the pool: not while sqlx still counts it inside a
/// transaction. After a failed `COMMIT` (a full disk) SQLite may have rolled back on its
/// own, sqlx's queued `ROLLBACK` then fails, and the connection keeps a transaction depth
/// of one: its next "transaction" would be a savepoint inside nothing, acknowledged and
/// never committed. Such a connection is closed instead; the pool opens a fresh one.
async fn release_sqlite(conn: &mut sea_orm::sqlx::SqliteConnection) -> Result<bool, sea_orm::sqlx::Error> {
    use sea_orm::sqlx::Connection as _;
    if !conn.is_in_transaction() {
        return Ok(true);
    }
    // A rollback queued on drop runs on the connection's worker; a ping queued after it
    // returns once it has.
    conn.ping().await?;
    Ok(!conn.is_in_transaction())
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Db {
    /// Whether changes made by other instances reach this one now (when not, nothing cached
    /// is trusted and every request asks the database).
    pub fn changes_flowing(&self) -> bool {
        self.changes.link_up()
    }

    /// The pool's connections: (in use, idle).
    pub(crate) fn pool_usage(&self) -> (u32, u32) {
        let (size, idle) = match self.conn.get_database_backend() {
            DbBackend::Postgres => {
                let p = self.conn.get_postgres_connection_pool();
                (p.size(), p.num_idle())
            }
            DbBackend::MySql => {
                let p = self.conn.get_mysql_connection_pool();
                (p.size(), p.num_idle())
            }
            _ => {
                let p = self.conn.get_sqlite_connection_pool();
                (p.size(), p.num_idle())
            }
        };
        let idle = u32::try_from(idle).unwrap_or(u32::MAX);
        (size.saturating_sub(idle), idle)
    }

    /// How many SQL statements this pool has run since it was opened.
    pub fn statement_count(&self) -> u64 {
        self.statements.load(Ordering::Relaxed)
    }

    /// Whether the database answers (and, for SQLite, is still the file at its path and
    /// still takes writes: a full disk makes it unready, a freed one ready again).
    pub(crate) async fn ping(&self) -> anyhow::Result<()> {
        if let Some(file) = &self.sqlite_file {
            let now = file_identity(&file.path);
            anyhow::ensure!(
                now.is_some() && now == file.identity,
                "database file {} is gone or replaced",
                file.path.display()
            );
        }
        let probe = async {
            match &self.writer {
                Some(_) => {
                    let _turn = self.write_turn().await;
                    self.conn
                        // About what a sign-up writes: a disk with room for a few pages but not
                        // for a real write must not pass.
                        .execute_unprepared(
                            "UPDATE health_checks SET checked_at = CURRENT_TIMESTAMP, padding = randomblob(65536) WHERE id = 1",
                        )
                        .await
                        .map(drop)
                        .context("writing to the database failed")
                }
                None => self
                    .conn
                    .query_one_raw(Statement::from_string(self.conn.get_database_backend(), "SELECT 1"))
                    .await
                    .map(drop)
                    .context("database query failed"),
            }
        };
        tokio::time::timeout(Duration::from_secs(2), probe).await.context("database did not answer within 2s")?
    }

    /// Begins a transaction that will write, after taking this instance's turn to write.
    ///
    /// On SQLite the transaction takes the write lock up front (`BEGIN IMMEDIATE`): a
    /// deferred transaction that reads first and writes later fails with SQLITE_BUSY under
    /// concurrency instead of waiting. SQLite has one writer at a time, and its busy handler
    /// waits by sleeping (1, 2, 5, 10… ms) between retries, so a burst of writers contending
    /// for the lock stalls for milliseconds each; queued in-process, in order, they each wait
    /// only for the transaction ahead. Other processes on the same file still meet the busy
    /// handler. PostgreSQL and MySQL have row locks and need no turn.
    pub async fn begin_write(&self) -> Result<WriteTxn, sea_orm::DbErr> {
        use sea_orm::{SqliteTransactionMode, TransactionOptions, TransactionTrait};
        let turn = self.write_turn().await;
        let txn = self
            .conn
            .begin_with_options(TransactionOptions {
                isolation_level: None,
                access_mode: None,
                sqlite_transaction_mode: self.writer.is_some().then_some(SqliteTransactionMode::Immediate),
            })
            .await?;
        Ok(WriteTxn { txn, _turn: turn, bus: self.changes.clone(), pending: Vec::new(), events: Vec::new() })
    }

    /// This instance's turn to write to SQLite, for a write of one statement outside a
    /// transaction; nothing to wait for on PostgreSQL and MySQL.
    pub(crate) async fn write_turn(&self) -> WriteTurn {
        match &self.writer {
            Some(writer) => WriteTurn(Some(writer.clone().lock_owned().await)),
            None => WriteTurn(None),
        }
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

/// Rows a writing transaction locks before it checks a rule that spans many rows, so that
/// two such transactions run one after the other (the second sees what the first wrote).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lock {
    /// Any change that could leave no active user holding ROLE_WRITE.
    RoleWriters,
}

impl Lock {
    fn name(self) -> &'static str {
        match self {
            Self::RoleWriters => "role_writers",
        }
    }
}

/// Takes `which` until the transaction ends. Take it first in the transaction: on MariaDB
/// a transaction's snapshot starts at its first plain read, and it must start after the
/// lock is held. SQLite needs no row lock: a writing transaction holds the only write lock.
pub async fn lock(txn: &impl ConnectionTrait, which: Lock) -> Result<(), sea_orm::DbErr> {
    let backend = txn.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => "SELECT name FROM locks WHERE name = $1 FOR UPDATE",
        DbBackend::MySql => "SELECT name FROM locks WHERE name = ? FOR UPDATE",
        _ => return Ok(()),
    };
    txn.query_one_raw(Statement::from_sql_and_values(backend, sql, [which.name().into()])).await?;
    Ok(())
}

/// A writing transaction holding its writer's turn; derefs to the transaction. The turn
/// ends with the transaction (commit, or rollback on drop), never before.
///
/// What a transaction records besides its change (audit events, the changes other
/// instances must hear of) is written at commit, in one round trip where the backend
/// allows: on SQLite the whole instance waits for each statement of a writing transaction,
/// so one more round trip inside it costs every writer.
#[must_use = "dropping it rolls the transaction back"]
pub struct WriteTxn {
    txn: sea_orm::DatabaseTransaction,
    _turn: WriteTurn,
    bus: Arc<ChangeBus>,
    pending: Vec<Change>,
    events: Vec<entities::audit_event::Model>,
}

/// One `INSERT` of audit events, written by hand: it runs with most writes, so it is not
/// built anew by the query builder each time.
fn audit_insert(backend: DbBackend, rows: Vec<entities::audit_event::Model>) -> Statement {
    const COLUMNS: &str = "id, at, action, actor_id, subject_user_id, subject_role_id, ip_address, user_agent, details";
    let mut values: Vec<sea_orm::Value> = Vec::with_capacity(rows.len() * 9);
    let mut groups = Vec::with_capacity(rows.len());
    for row in rows {
        let marks: Vec<String> = (values.len() + 1..=values.len() + 9)
            .map(|n| if backend == DbBackend::Postgres { format!("${n}") } else { "?".to_owned() })
            .collect();
        groups.push(format!("({})", marks.join(", ")));
        values.extend([
            row.id.into(),
            row.at.into(),
            row.action.into(),
            row.actor_id.into(),
            row.subject_user_id.into(),
            row.subject_role_id.into(),
            row.ip_address.into(),
            row.user_agent.into(),
            row.details.into(),
        ]);
    }
    Statement::from_sql_and_values(
        backend,
        format!("INSERT INTO audit_events ({COLUMNS}) VALUES {}", groups.join(", ")),
        values,
    )
}

impl std::ops::Deref for WriteTxn {
    type Target = sea_orm::DatabaseTransaction;

    fn deref(&self) -> &Self::Target {
        &self.txn
    }
}

impl WriteTxn {
    /// Records that this transaction changes what instances may have cached: other
    /// instances learn it if the transaction commits, this one right after it does.
    pub(crate) fn changed(&mut self, change: Change) {
        self.pending.push(change);
    }

    /// Writes an audit event with this transaction: it exists if and only if the
    /// transaction commits.
    pub(crate) fn record(&mut self, event: entities::audit_event::Model) {
        self.events.push(event);
    }

    /// The recorded events and changes, written in as few statements as the backend allows.
    async fn write_recorded(&mut self) -> Result<(), sea_orm::DbErr> {
        let backend = self.txn.get_database_backend();
        let events = (!self.events.is_empty()).then(|| audit_insert(backend, std::mem::take(&mut self.events)));
        let changes: Vec<sea_orm::Value> = self.pending.iter().map(|c| c.encode().into()).collect();
        let mut statements: Vec<Statement> = Vec::new();
        match backend {
            DbBackend::Postgres => {
                // One statement: the events inserted by a data-modifying WITH (run whether
                // or not it is referenced), then one notification per change.
                let (mut sql, mut values) = match events {
                    Some(s) => {
                        (format!("WITH events AS ({}) SELECT 1", s.sql), s.values.map(|v| v.0).unwrap_or_default())
                    }
                    None => ("SELECT 1".to_owned(), Vec::new()),
                };
                for change in changes {
                    values.push(changes::CHANNEL.into());
                    values.push(change);
                    sql.push_str(&format!(", pg_notify(${}, ${})", values.len() - 1, values.len()));
                }
                if sql != "SELECT 1" {
                    statements.push(Statement::from_sql_and_values(backend, sql, values));
                }
            }
            _ => {
                let changes = (!changes.is_empty()).then(|| {
                    let marks = vec!["(?)"; changes.len()].join(", ");
                    Statement::from_sql_and_values(
                        backend,
                        format!("INSERT INTO change_events (payload) VALUES {marks}"),
                        changes,
                    )
                });
                match (backend, events, changes) {
                    // SQLite runs several statements of one query, binding its values in order.
                    (DbBackend::Sqlite, Some(e), Some(c)) => {
                        let mut values = e.values.map(|v| v.0).unwrap_or_default();
                        values.extend(c.values.map(|v| v.0).unwrap_or_default());
                        statements.push(Statement::from_sql_and_values(
                            backend,
                            format!("{}; {}", e.sql, c.sql),
                            values,
                        ));
                    }
                    (_, e, c) => statements.extend(e.into_iter().chain(c)),
                }
            }
        }
        for statement in statements {
            self.txn.execute_raw(statement).await?;
        }
        Ok(())
    }

    /// Writes what was recorded, commits, then applies the recorded changes to this
    /// instance; the turn passes to the next writer afterwards.
    pub async fn commit(mut self) -> Result<(), sea_orm::DbErr> {
        self.write_recorded().await?;
        let Self { txn, _turn, bus, pending, .. } = self;
        txn.commit().await?;
        for change in &pending {
            bus.deliver(change);
        }
        Ok(())
    }
}

/// This instance's turn to write to SQLite; the next writer's turn starts when it is dropped.
#[must_use = "the turn ends when dropped"]
pub(crate) struct WriteTurn(#[allow(dead_code)] Option<tokio::sync::OwnedMutexGuard<()>>);
