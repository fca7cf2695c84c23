//! Opening the pool: the same meaning over SQLite, PostgreSQL and MySQL/MariaDB.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::Context as _;
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, ConnectionTrait, Database};

use super::Db;
use crate::config::DatabaseUrl;

/// The SQLite file as opened at start-up. If the path later names another file (deleted,
/// moved, replaced), writes would go to an orphaned inode: the instance is not ready.
#[derive(Debug, Clone)]
pub(super) struct SqliteFile {
    pub(super) path: PathBuf,
    pub(super) identity: Option<(u64, u64)>,
}

#[cfg(unix)]
pub(super) fn file_identity(path: &std::path::Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
pub(super) fn file_identity(path: &std::path::Path) -> Option<(u64, u64)> {
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
