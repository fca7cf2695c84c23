//! Database connection, migrations and readiness, the same over SQLite, PostgreSQL and
//! MySQL/MariaDB.

pub(crate) mod changes;
mod connect;
pub mod entities;
mod write;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::Context as _;
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};

use crate::config::DatabaseUrl;
use changes::ChangeBus;
pub use connect::connect;
use connect::{SqliteFile, file_identity};
pub(crate) use write::WriteTurn;
pub use write::{Lock, WriteTxn, lock};

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
