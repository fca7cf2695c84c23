#![allow(dead_code)] // shared by many test files; not every file uses every helper
//! `TestApp`: a real gerbang on 127.0.0.1:0 over a database of its own.

#[macro_use]
pub mod macros;
pub mod assert;
pub mod authenticator;
pub mod backends;
pub mod fixtures;
pub mod process;
pub mod proxy;
pub mod secrets;
pub mod smtp;
pub mod templates;

use std::net::SocketAddr;
use std::sync::{Arc, Once};

use gerbang::app::App;
use gerbang::clock::ManualClock;
use gerbang::config::Config;
use gerbang::state::AppState;
use serde_json::{Value, json};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use backends::{Backend, TestDb};

/// Logs go nowhere unless TEST_LOG is set.
pub fn init_logs() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        if std::env::var_os("TEST_LOG").is_some() {
            let _ = gerbang::telemetry::init(
                "info,gerbang=debug",
                gerbang::config::LogFormat::Text,
                std::io::stderr,
                false,
            );
        }
    });
}

/// Cheap argon2 for tests: the hashing logic is the same, the cost is not what is tested.
pub fn test_config(db: &TestDb) -> Config {
    let mut config = Config::for_database(db.url.clone());
    config.argon2_memory_kib = 64;
    config.argon2_iterations = 1;
    config.database_max_connections = 5;
    config.admin_email = Some(fixtures::DEV_EMAIL.parse().expect("email"));
    config.admin_password = Some(fixtures::DEV_PASSWORD.into());
    // Tests make many logins from one address; the per-IP limit has its own test.
    config.auth_rate_per_ip = 100_000;
    config.metrics_token = Some(METRICS_TOKEN.into());
    config
}

/// `GERBANG_METRICS_TOKEN` of the test configuration.
pub const METRICS_TOKEN: &str = "scrape-me-with-this-token";

/// A running app.
pub struct TestApp {
    /// Where it listens.
    pub addr: SocketAddr,
    /// Where `/metrics` is served apart, when `GERBANG_METRICS_LISTEN` is set.
    pub metrics_addr: Option<SocketAddr>,
    /// Its shared state (database pool, config, clock).
    pub state: AppState,
    /// The clock it reads; advance it to move time.
    pub clock: ManualClock,
    /// An HTTP client.
    pub http: reqwest::Client,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<anyhow::Result<()>>>,
}

impl TestApp {
    /// Starts the app over `db` with the test configuration.
    pub async fn spawn(db: &TestDb) -> TestApp {
        Self::spawn_with(db, |_| {}).await
    }

    /// Starts the app over `db` after `tweak` adjusts the configuration.
    pub async fn spawn_with(db: &TestDb, tweak: impl FnOnce(&mut Config)) -> TestApp {
        init_logs();
        let mut config = test_config(db);
        tweak(&mut config);
        let clock = ManualClock::new();
        let app = App::build_with_clock(config, Arc::new(clock.clone())).await.expect("the app builds");
        let addr = app.local_addr().expect("bound");
        let metrics_addr = app.metrics_addr();
        let state = app.state().clone();
        let (tx, rx) = oneshot::channel();
        let server = tokio::spawn(app.serve(async {
            let _ = rx.await;
        }));
        TestApp {
            addr,
            metrics_addr,
            state,
            clock,
            http: reqwest::Client::new(),
            shutdown: Some(tx),
            server: Some(server),
        }
    }

    /// `http://127.0.0.1:port{path}`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// POSTs a GraphQL operation anonymously and returns the whole JSON response.
    pub async fn gql(&self, query: &str, variables: Value) -> Value {
        self.gql_as(None, query, variables).await
    }

    /// POSTs a GraphQL operation with a bearer token. Every error in every response is
    /// checked to carry one of shared/API.md's codes.
    pub async fn gql_as(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let mut req = self.http.post(self.url("/graphql")).json(&json!({ "query": query, "variables": variables }));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let resp: Value = req.send().await.expect("request sent").json().await.expect("a JSON response");
        assert::every_error_has_an_api_code(&resp);
        secrets::remember(&variables, &resp);
        resp
    }

    /// Sends `n` operations at the same moment, the way an attacker would: each on its own
    /// connection, opened and warmed up beforehand, all released by one barrier. `make(i)`
    /// gives the i-th request's token, query and variables. Responses come back in order.
    pub async fn all_at_once(&self, n: usize, make: impl Fn(usize) -> (Option<String>, String, Value)) -> Vec<Value> {
        let barrier = Arc::new(tokio::sync::Barrier::new(n));
        let mut tasks = Vec::with_capacity(n);
        for i in 0..n {
            let (token, query, variables) = make(i);
            let (barrier, url, health) = (barrier.clone(), self.url("/graphql"), self.url("/healthz"));
            tasks.push(tokio::spawn(async move {
                let client = reqwest::Client::builder().pool_max_idle_per_host(1).build().expect("a client");
                client.get(health).send().await.expect("warm-up").bytes().await.expect("warm-up body");
                let mut req = client.post(url).json(&json!({ "query": query, "variables": variables }));
                if let Some(t) = token {
                    req = req.bearer_auth(t);
                }
                barrier.wait().await;
                let resp: Value = req.send().await.expect("request sent").json().await.expect("a JSON response");
                resp
            }));
        }
        let mut out = Vec::with_capacity(n);
        for t in tasks {
            let resp = t.await.expect("request task");
            assert::every_error_has_an_api_code(&resp);
            secrets::remember(&Value::Null, &resp);
            out.push(resp);
        }
        out
    }

    /// `/metrics` as Prometheus scrapes it: on its own address when there is one, else on
    /// the main address with the token.
    pub async fn metrics_text(&self) -> String {
        let req = match self.metrics_addr {
            Some(apart) => self.http.get(format!("http://{apart}/metrics")),
            None => self.http.get(self.url("/metrics")).bearer_auth(METRICS_TOKEN),
        };
        let resp = req.send().await.expect("scraped");
        assert_eq!(resp.status(), 200, "/metrics answers");
        resp.text().await.expect("a text body")
    }

    /// Stops the server and waits for it to finish.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            server.await.expect("server task").expect("server stopped cleanly");
        }
    }
}
