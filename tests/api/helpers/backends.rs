//! A fresh database per test on each backend, cloned from a template that this run of the
//! test binary migrates once per backend (migrating every test's database took most of a
//! test's time). Tests of migrations and of a first start ask for an empty one.

use std::sync::Arc;

use gerbang::config::{Backend as Kind, DatabaseUrl};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};

use super::templates;

/// The backends tests run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A temporary SQLite file.
    Sqlite,
    /// A new database on GERBANG_TEST_POSTGRES_URL's server.
    Postgres,
    /// A new database on GERBANG_TEST_MYSQL_URL's server.
    MySql,
}

impl Backend {
    fn env(self) -> Option<&'static str> {
        match self {
            Self::Sqlite => None,
            Self::Postgres => Some("GERBANG_TEST_POSTGRES_URL"),
            Self::MySql => Some("GERBANG_TEST_MYSQL_URL"),
        }
    }
}

/// One test's own database. Clones share it; `cleanup` drops it.
#[derive(Clone)]
pub struct TestDb {
    /// Which backend.
    pub backend: Backend,
    /// The URL the app is given.
    pub url: DatabaseUrl,
    /// The server URL without a database name (for PostgreSQL and MySQL).
    server: Option<url::Url>,
    /// The database's name on its server.
    pub name: String,
    _dir: Option<Arc<tempfile::TempDir>>,
}

/// What a new test database holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// Every migration applied and nothing else, as `gerbang migrate up` leaves it.
    Migrated,
    /// Nothing at all (SQLite: not even the file).
    Empty,
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

impl TestDb {
    /// Creates a migrated database, or `None` when the backend is not configured (outside CI).
    pub async fn create(backend: Backend) -> Option<TestDb> {
        Self::create_as(backend, Start::Migrated).await
    }

    /// Creates an empty database, for tests that migrate it or start on nothing.
    pub async fn create_empty(backend: Backend) -> Option<TestDb> {
        Self::create_as(backend, Start::Empty).await
    }

    /// Creates a database that starts as `start` says.
    pub async fn create_as(backend: Backend, start: Start) -> Option<TestDb> {
        let name = format!("gerbang_test_{}", uuid::Uuid::now_v7().simple());
        let Some(env) = backend.env() else {
            let dir = tempfile::tempdir().expect("a temp dir");
            let path = dir.path().join("gerbang.db");
            if start == Start::Migrated {
                templates::sqlite_copy(&path).await;
            }
            let url = format!("sqlite://{}", path.display()).parse().expect("sqlite url");
            return Some(TestDb { backend, url, server: None, name, _dir: Some(Arc::new(dir)) });
        };
        let Ok(base) = std::env::var(env) else {
            assert!(!in_ci(), "{env} is not set, and CI=true requires every backend");
            eprintln!("skipping: {env} is not set");
            return None;
        };
        let server = url::Url::parse(&base).unwrap_or_else(|e| panic!("{env} is not a URL: {e}"));
        let template = match start {
            Start::Migrated => Some(templates::on_server(backend, &server).await),
            Start::Empty => None,
        };
        let admin = Database::connect(base.as_str())
            .await
            .unwrap_or_else(|e| panic!("{env}: cannot connect to the test server: {e}"));
        let create = match (backend, template) {
            (Backend::Postgres, Some(t)) => format!("CREATE DATABASE \"{name}\" TEMPLATE \"{}\"", t.name),
            (Backend::Postgres, None) => format!("CREATE DATABASE \"{name}\""),
            _ => templates::create_mysql_database(&name),
        };
        admin.execute_unprepared(&create).await.unwrap_or_else(|e| panic!("creating {name}: {e}"));
        admin.close().await.ok();
        let url: DatabaseUrl = templates::database_url(&server, &name).as_str().parse().expect("database url");
        assert_ne!(url.backend(), Kind::Sqlite);
        if let (Backend::MySql, Some(t)) = (backend, template) {
            t.fill_mysql(&url).await;
        }
        Some(TestDb { backend, url, server: Some(server), name, _dir: None })
    }

    /// A SQLite database in a file of the test's choosing (on a small disk, say).
    pub fn sqlite_at(path: &std::path::Path) -> TestDb {
        let url = format!("sqlite://{}", path.display()).parse().expect("sqlite url");
        let name = format!("gerbang_test_{}", uuid::Uuid::now_v7().simple());
        TestDb { backend: Backend::Sqlite, url, server: None, name, _dir: None }
    }

    /// This database's URL with host and port replaced (to route it through a proxy).
    pub fn url_via(&self, addr: std::net::SocketAddr) -> DatabaseUrl {
        let mut url = url::Url::parse(self.url.as_str()).expect("url");
        url.set_ip_host(addr.ip()).expect("ip host");
        url.set_port(Some(addr.port())).expect("port");
        url.as_str().parse().expect("database url")
    }

    /// The server's address, for PostgreSQL and MySQL.
    pub fn server_addr(&self) -> Option<std::net::SocketAddr> {
        let server = self.server.as_ref()?;
        let host = server.host_str()?;
        let port = server.port_or_known_default().or(match self.backend {
            Backend::Postgres => Some(5432),
            Backend::MySql => Some(3306),
            Backend::Sqlite => None,
        })?;
        std::net::ToSocketAddrs::to_socket_addrs(&(host, port)).ok()?.next()
    }

    /// A connection that bypasses the app, for arranging and checking rows.
    pub async fn connect(&self) -> DatabaseConnection {
        gerbang::db::connect(&self.url, 2, std::time::Duration::from_secs(10))
            .await
            .expect("connect to the test database")
            .conn
    }

    /// Drops the database (the SQLite directory goes with the last clone).
    pub async fn cleanup(self) {
        let Some(server) = &self.server else { return };
        let Ok(admin) = Database::connect(server.as_str()).await else { return };
        let drop = match self.backend {
            Backend::Postgres => format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name),
            _ => format!("DROP DATABASE IF EXISTS `{}`", self.name),
        };
        if let Err(e) = admin.execute_unprepared(&drop).await {
            eprintln!("could not drop {}: {e}", self.name);
        }
        admin.close().await.ok();
    }
}

/// Runs one test body on `backend` over a database that starts as `start` says, then drops
/// the database.
pub async fn run<F, Fut>(backend: Backend, start: Start, test: F)
where
    F: FnOnce(TestDb) -> Fut,
    Fut: Future<Output = ()>,
{
    let Some(db) = TestDb::create_as(backend, start).await else { return };
    test(db.clone()).await;
    super::secrets::assert_none_in_the_audit_log(&db).await;
    db.cleanup().await;
}
