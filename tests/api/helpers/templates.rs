//! The migrated databases that test databases are cloned from: one per backend and run of
//! the test binary, made on first use. Only the migration crate writes to them, and no app
//! ever starts on them, so what an app makes at its first start (signing keys, secrets,
//! the first account) is made anew in every test.

use std::path::Path;
use std::time::Duration;

use sea_orm::ConnectionTrait;
use sea_orm::sqlx::{self, AssertSqlSafe, Connection, Executor, Row};
use tokio::sync::OnceCell;

use super::Backend;

/// Server templates are named with CI's `gerbang_test_` prefix, so that CI's sweep of
/// leftover test databases takes them too.
const PREFIX: &str = "gerbang_test_template_";

/// The migrated SQLite file's bytes.
static SQLITE: OnceCell<Vec<u8>> = OnceCell::const_new();
static POSTGRES: OnceCell<ServerTemplate> = OnceCell::const_new();
static MYSQL: OnceCell<ServerTemplate> = OnceCell::const_new();

/// Writes a migrated SQLite database to `path`, a new file private to its owner (as the
/// app creates one).
pub async fn sqlite_copy(path: &Path) {
    let bytes = SQLITE.get_or_init(migrated_sqlite).await;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).unwrap_or_else(|e| panic!("creating {}: {e}", path.display()));
    std::io::Write::write_all(&mut file, bytes).expect("the migrated database written");
}

async fn migrated_sqlite() -> Vec<u8> {
    let dir = tempfile::tempdir().expect("a temp dir");
    let url = format!("sqlite://{}", dir.path().join("template.db").display());
    let db = migrate(&url).await;
    // One self-contained file, whatever the WAL still holds.
    let snapshot = dir.path().join("snapshot.db");
    db.execute_unprepared(&format!("VACUUM INTO '{}'", snapshot.display())).await.expect("VACUUM INTO");
    db.close().await.ok();
    std::fs::read(&snapshot).expect("the migrated SQLite file")
}

/// Applies every migration to the database at `url`, as the app does at start-up.
async fn migrate(url: &str) -> sea_orm::DatabaseConnection {
    let url = url.parse().expect("database url");
    let db = gerbang::db::connect(&url, 1, Duration::from_secs(60)).await.expect("the template opens");
    db.migrate_up().await.unwrap_or_else(|e| panic!("migrating the template {url}: {e:#}"));
    db.conn
}

/// `server` with the database `name`.
pub fn database_url(server: &url::Url, name: &str) -> url::Url {
    let mut url = server.clone();
    url.set_path(&format!("/{name}"));
    url
}

/// The statement that creates an empty MariaDB/MySQL database named `name`.
pub fn create_mysql_database(name: &str) -> String {
    format!("CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
}

/// A migrated database on a PostgreSQL or MariaDB server.
pub struct ServerTemplate {
    /// Its name; PostgreSQL copies it with `CREATE DATABASE … TEMPLATE`.
    pub name: String,
    /// MariaDB has no templates: each table's `CREATE TABLE` as the server shows it
    /// (foreign keys included, which `CREATE TABLE … LIKE` would leave out)…
    creates: Vec<String>,
    /// …and the tables that hold rows (the migrations' bookkeeping and seeds).
    filled: Vec<String>,
}

/// This run's template on `backend`'s server, made on first use. It is made, and its
/// lock held, on a thread of its own: each test has its own runtime, and the lock must
/// outlive every one of them.
pub async fn on_server(backend: Backend, server: &url::Url) -> &'static ServerTemplate {
    let cell = match backend {
        Backend::Postgres => &POSTGRES,
        Backend::MySql => &MYSQL,
        Backend::Sqlite => unreachable!("SQLite's template is a file"),
    };
    cell.get_or_init(|| async {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let server = server.clone();
        std::thread::Builder::new()
            .name(format!("{backend:?} template"))
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
                runtime.block_on(async move {
                    let (template, lock) = match backend {
                        Backend::Postgres => postgres(&server).await,
                        _ => mysql(&server).await,
                    };
                    let _ = tx.send(template);
                    // The lock's connection stays open until the process ends.
                    let _lock = lock;
                    std::future::pending::<()>().await;
                });
            })
            .expect("a template thread");
        rx.await.unwrap_or_else(|_| panic!("making the {backend:?} template failed (its panic is above)"))
    })
    .await
}

/// A connection whose session lock says the template it names is in use.
enum Lock {
    Postgres(sqlx::PgConnection),
    MySql(sqlx::MySqlConnection),
}

/// A new template name and the number its lock is taken by.
fn new_name() -> (String, u64) {
    let id = uuid::Uuid::new_v4().as_u64_pair().0;
    (format!("{PREFIX}{id:016x}"), id)
}

/// The lock number of another run's template, from its name.
fn id_of(name: &str) -> Option<u64> {
    name.strip_prefix(PREFIX).and_then(|hex| u64::from_str_radix(hex, 16).ok())
}

fn like_prefix() -> String {
    format!("{}%", PREFIX.replace('_', "\\_"))
}

async fn postgres(server: &url::Url) -> (ServerTemplate, Lock) {
    let (name, id) = new_name();
    let mut lock = sqlx::PgConnection::connect(server.as_str()).await.expect("a PostgreSQL connection");
    sqlx::query("SELECT pg_advisory_lock($1)").bind(id.cast_signed()).execute(&mut lock).await.expect("a lock");
    // Templates of runs that ended (their locks are free); a running one's is left alone.
    let others: Vec<String> = sqlx::query_scalar("SELECT datname::text FROM pg_database WHERE datname LIKE $1")
        .bind(like_prefix())
        .fetch_all(&mut lock)
        .await
        .expect("the databases");
    for other in others.into_iter().filter(|o| *o != name) {
        let Some(key) = id_of(&other).map(u64::cast_signed) else { continue };
        let free: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
            .bind(key)
            .fetch_one(&mut lock)
            .await
            .expect("a lock check");
        if free {
            if let Err(e) =
                lock.execute(AssertSqlSafe(format!("DROP DATABASE IF EXISTS \"{other}\" WITH (FORCE)"))).await
            {
                eprintln!("could not drop the old template {other}: {e}");
            }
            sqlx::query("SELECT pg_advisory_unlock($1)").bind(key).execute(&mut lock).await.expect("an unlock");
        }
    }
    lock.execute(AssertSqlSafe(format!("CREATE DATABASE \"{name}\""))).await.expect("the template database");
    // Closed before any copy: PostgreSQL copies only a database nobody is connected to.
    migrate(database_url(server, &name).as_str()).await.close().await.expect("the template closed");
    (ServerTemplate { name, creates: Vec::new(), filled: Vec::new() }, Lock::Postgres(lock))
}

async fn mysql(server: &url::Url) -> (ServerTemplate, Lock) {
    let (name, _) = new_name();
    let mut lock = sqlx::MySqlConnection::connect(server.as_str()).await.expect("a MariaDB connection");
    let got: Option<i64> = sqlx::query_scalar("SELECT CAST(GET_LOCK(?, 0) AS SIGNED)")
        .bind(&name)
        .fetch_one(&mut lock)
        .await
        .expect("a lock");
    assert_eq!(got, Some(1), "the lock of a new template name is free");
    let others: Vec<String> =
        sqlx::query_scalar("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ?")
            .bind(like_prefix())
            .fetch_all(&mut lock)
            .await
            .expect("the databases");
    for other in others.into_iter().filter(|o| *o != name && id_of(o).is_some()) {
        let free: Option<i64> = sqlx::query_scalar("SELECT CAST(IS_FREE_LOCK(?) AS SIGNED)")
            .bind(&other)
            .fetch_one(&mut lock)
            .await
            .expect("a lock check");
        if free == Some(1)
            && let Err(e) = lock.execute(AssertSqlSafe(format!("DROP DATABASE IF EXISTS `{other}`"))).await
        {
            eprintln!("could not drop the old template {other}: {e}");
        }
    }
    lock.execute(AssertSqlSafe(create_mysql_database(&name))).await.expect("the template database");
    let url = database_url(server, &name);
    migrate(url.as_str()).await.close().await.ok();

    let mut conn = sqlx::MySqlConnection::connect(url.as_str()).await.expect("a template connection");
    let others: i64 = sqlx::query_scalar(
        "SELECT CAST((SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE())
                   + (SELECT COUNT(*) FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE())
                   + (SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE())
                   + (SELECT COUNT(*) FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE()) AS SIGNED)",
    )
    .fetch_one(&mut conn)
    .await
    .expect("the template's other objects");
    assert_eq!(others, 0, "the migrations made triggers, views, routines or events, which clones would miss");
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT TABLE_NAME FROM information_schema.TABLES
         WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME",
    )
    .fetch_all(&mut conn)
    .await
    .expect("the template's tables");
    assert!(!tables.is_empty(), "the migrations made tables");
    let (mut creates, mut filled) = (Vec::new(), Vec::new());
    for table in tables {
        let row = sqlx::query(AssertSqlSafe(format!("SHOW CREATE TABLE `{table}`")))
            .fetch_one(&mut conn)
            .await
            .expect("a CREATE TABLE");
        creates.push(row.try_get::<String, _>(1).expect("its text"));
        let rows: Option<i64> =
            sqlx::query_scalar(AssertSqlSafe(format!("SELECT CAST(EXISTS(SELECT 1 FROM `{table}`) AS SIGNED)")))
                .fetch_one(&mut conn)
                .await
                .expect("a row check");
        if rows == Some(1) {
            filled.push(table);
        }
    }
    conn.close().await.ok();
    (ServerTemplate { name, creates, filled }, Lock::MySql(lock))
}

impl ServerTemplate {
    /// Makes the empty MariaDB database at `url` a copy of this template: its tables, then
    /// their rows, in one round trip.
    pub async fn fill_mysql(&self, url: &gerbang::config::DatabaseUrl) {
        // Tables are created in name order; a foreign key may name one not created yet.
        let mut sql = String::from("SET FOREIGN_KEY_CHECKS = 0;\n");
        for create in &self.creates {
            sql.push_str(create);
            sql.push_str(";\n");
        }
        for table in &self.filled {
            sql.push_str(&format!("INSERT INTO `{table}` SELECT * FROM `{}`.`{table}`;\n", self.name));
        }
        sql.push_str("SET FOREIGN_KEY_CHECKS = 1;\n");
        let mut conn = sqlx::MySqlConnection::connect(url.as_str()).await.expect("a connection to the new database");
        conn.execute(AssertSqlSafe(sql)).await.unwrap_or_else(|e| panic!("copying {}: {e}", self.name));
        conn.close().await.ok();
    }
}
