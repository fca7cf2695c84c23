//! `App`: the running service, built the same way by the binary and the tests.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context as _;
use axum::Router;
use secrecy::{ExposeSecret, SecretString};
use tokio::net::TcpListener;

use crate::auth::keys::Keys;
use crate::auth::live::LiveSessions;
use crate::auth::one_time;
use crate::auth::password::Hasher;
use crate::auth::secrets::Secrets;
use crate::auth::session_chain::Lifetimes;
use crate::auth::throttle::{IpLimits, LockoutPolicy, Throttle};
use crate::auth::tokens::{TokenSettings, Tokens};
use crate::clock::{SharedClock, SystemClock};
use crate::config::Config;
use crate::db::changes::Change;
use crate::metrics::Metrics;
use crate::state::AppState;
use crate::users::domain::{Email, Password};
use crate::users::service::{Bootstrap, bootstrap_developer};
use crate::{db, http, schema};

/// A bound, migrated, ready-to-serve instance.
pub struct App {
    listener: TcpListener,
    /// `GERBANG_METRICS_LISTEN`'s listener, when metrics are served apart.
    metrics_listener: Option<TcpListener>,
    router: Router,
    state: AppState,
    /// The account this start created, for the banner.
    first_account: Option<FirstAccount>,
}

/// The account a first start created.
#[derive(Debug, Clone)]
pub struct FirstAccount {
    /// Its username.
    pub username: String,
    /// Its email.
    pub email: String,
    /// Its password, when gerbang generated it: shown this once.
    pub generated_password: Option<SecretString>,
}

/// What start-up checks and prepares before it touches the database: whatever can fail
/// on a bad setting fails here, with nothing written.
struct Prepared {
    admin_email: Option<Email>,
    admin_password: Option<Password>,
    outbox: Arc<crate::mailer::Mailer>,
    webauthn: Option<Arc<webauthn_rs::Webauthn>>,
    metrics: Arc<Metrics>,
    hasher: Hasher,
    file_keys: Option<Keys>,
}

impl Prepared {
    fn check(config: &Config) -> anyhow::Result<Self> {
        let admin_password = config
            .admin_password
            .as_ref()
            .map(|p| {
                Password::parse(p.expose_secret())
                    .map_err(|m| anyhow::anyhow!("GERBANG_ADMIN_PASSWORD: {}", m.text(Default::default())))
            })
            .transpose()?;
        let admin_email = config
            .admin_email
            .as_deref()
            .map(|e| {
                Email::parse(e).map_err(|m| anyhow::anyhow!("GERBANG_ADMIN_EMAIL: {}", m.text(Default::default())))
            })
            .transpose()?;
        let outbox = crate::mailer::Mailer::from_config(config)?;
        let webauthn = crate::mfa::passkey::relying_party(config)?;
        let metrics = Metrics::new(schema::root_fields());
        let hasher = Hasher::new(config)?.observed(&metrics);
        let file_keys = config
            .signing_key_file
            .as_deref()
            .map(|path| Keys::from_file(path, config.access_token_ttl))
            .transpose()?;
        Ok(Self { admin_email, admin_password, outbox, webauthn, metrics, hasher, file_keys })
    }
}

impl App {
    /// Checks the configuration, binds the listeners, then connects, migrates and creates
    /// the first account if needed: a start that cannot serve changes nothing.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        Self::build_with_clock(config, Arc::new(SystemClock)).await
    }

    /// As `build`, with a chosen clock (tests pass a `ManualClock`).
    pub async fn build_with_clock(config: Config, clock: SharedClock) -> anyhow::Result<Self> {
        let mut prepared = Prepared::check(&config)?;
        // Bound before the database is touched: a busy port must not leave a first account
        // behind whose generated password nobody saw.
        let listener = TcpListener::bind(config.listen)
            .await
            .with_context(|| format!("cannot listen on {} (GERBANG_LISTEN)", config.listen))?;
        let metrics_listener = match config.metrics_listen {
            Some(addr) => Some(
                TcpListener::bind(addr)
                    .await
                    .with_context(|| format!("cannot listen on {addr} (GERBANG_METRICS_LISTEN)"))?,
            ),
            None => None,
        };
        let (admin_email, admin_password) = (prepared.admin_email.take(), prepared.admin_password.take());
        let state = open(config, clock, prepared).await?;

        let first_account = match bootstrap_developer(&state, admin_email, admin_password)
            .await
            .map_err(|e| anyhow::anyhow!("creating the first account: {}", crate::error::describe(&e)))?
        {
            Bootstrap::NotNeeded => {
                if state.config.admin_password.is_some() {
                    tracing::warn!(
                        "GERBANG_ADMIN_PASSWORD is ignored: accounts exist already (to set a password, use `gerbang users set-password`)"
                    );
                }
                None
            }
            Bootstrap::Created { username, email, generated_password } => {
                Some(FirstAccount { username, email, generated_password })
            }
        };
        // TOTP secrets stored before sealing, or under a key since retired, are sealed under
        // the current key now rather than at each user's next sign-in.
        let resealed = crate::mfa::reseal_stale(&state)
            .await
            .map_err(|e| anyhow::anyhow!("sealing stored TOTP secrets: {}", crate::error::describe(&e)))?;
        if resealed > 0 {
            tracing::info!(resealed, "sealed stored TOTP secrets under the current key");
        }
        let router = http::router(state.clone(), schema::build(&state));
        Ok(Self { listener, metrics_listener, router, state, first_account })
    }

    /// The address actually bound (port 0 becomes a real port).
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Where `/metrics` is served apart (`GERBANG_METRICS_LISTEN`), if it is.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics_listener.as_ref().and_then(|l| l.local_addr().ok())
    }

    /// The shared state.
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// What an operator needs to know once the service is up.
    pub fn banner(&self) -> anyhow::Result<Banner> {
        let addr = self.local_addr()?;
        let base = match &self.state.config.public_url {
            Some(url) => url.clone(),
            // 0.0.0.0 is where it listens, not an address a browser can open.
            // Passkeys want a domain name: http://localhost works where http://127.0.0.1 does not.
            None if addr.ip().is_unspecified() || addr.ip().is_loopback() => {
                format!("http://localhost:{}", addr.port())
            }
            None => format!("http://{addr}"),
        };
        Ok(Banner {
            addr,
            graphql: format!("{base}/graphql"),
            admin: format!("{base}/admin"),
            database: self.state.config.database_url.to_string(),
            first_account: self.first_account.clone(),
        })
    }

    /// Serves until `shutdown` completes, then lets in-flight requests finish, for at
    /// most `GERBANG_SHUTDOWN_GRACE`.
    pub async fn serve(self, shutdown: impl Future<Output = ()> + Send + 'static) -> anyhow::Result<()> {
        let addr = self.local_addr()?;
        let grace = self.state.config.shutdown_grace;
        tracing::debug!(%addr, "serving");
        let (stopping_tx, mut stopping_rx) = tokio::sync::watch::channel(false);
        let reload = tokio::spawn(reload_keys(self.state.clone()));
        let changes = tokio::spawn(self.state.db.changes.clone().run(self.state.db.clone()));
        let prune = tokio::spawn(prune_counters(self.state.clone()));
        let prune_audit = tokio::spawn(prune_audit(self.state.clone()));
        let upkeep = tokio::spawn(metrics_upkeep(self.state.clone()));
        let mails = tokio::spawn(crate::email::outbox::run(self.state.clone()));
        let limits = http::server::ConnectionLimits {
            header_read_timeout: self.state.config.header_read_timeout,
            max_connections: usize::try_from(self.state.config.max_connections).unwrap_or(usize::MAX),
        };
        let metrics = self.metrics_listener.map(|listener| {
            let router = http::metrics_router(self.state.clone());
            tokio::spawn(async move {
                if let Err(e) = http::server::serve(listener, router, limits, std::future::pending()).await {
                    tracing::error!(error = %e, "serving /metrics");
                }
            })
        });
        let server = http::server::serve(self.listener, self.router, limits, async move {
            shutdown.await;
            tracing::info!("shutting down: finishing in-flight requests");
            let _ = stopping_tx.send(true);
        });
        let deadline = async move {
            let _ = stopping_rx.wait_for(|s| *s).await;
            tokio::time::sleep(grace).await;
        };
        tokio::select! {
            result = server => result.context("serving HTTP")?,
            () = deadline => tracing::warn!(?grace, "shutdown grace elapsed; stopping with requests still open"),
        }
        reload.abort();
        changes.abort();
        prune.abort();
        prune_audit.abort();
        upkeep.abort();
        mails.abort();
        if let Some(metrics) = metrics {
            metrics.abort();
        }
        self.state.db.conn.clone().close().await.ok();
        tracing::info!("stopped");
        Ok(())
    }
}

/// The state over a migrated database, for `serve` and the commands that act on users.
pub(crate) async fn open_state(config: Config, clock: SharedClock) -> anyhow::Result<AppState> {
    let prepared = Prepared::check(&config)?;
    open(config, clock, prepared).await
}

/// Connects, migrates, and loads the keys and secrets (made on the first start).
async fn open(config: Config, clock: SharedClock, prepared: Prepared) -> anyhow::Result<AppState> {
    let Prepared { outbox, webauthn, metrics, hasher, file_keys, .. } = prepared;
    let db = db::connect(&config.database_url, config.database_max_connections, config.database_timeout).await?;
    db.migrate_up().await?;
    // Both may write (a first key, first secrets): this instance's writer's turn first.
    let turn = db.write_turn().await;
    let keys = match file_keys {
        Some(keys) => keys,
        None => Keys::load(&db.conn, None, config.access_token_ttl, clock.as_ref()).await?,
    };
    let secrets = Secrets::load(&db.conn, clock.now()).await?;
    drop(turn);
    let tokens = Arc::new(Tokens::new(TokenSettings {
        issuer: config.jwt_issuer.clone(),
        audience: config.jwt_audience.clone(),
        ttl: config.access_token_ttl,
    }));
    let live = LiveSessions::new(db.changes.clone());
    let keys = Arc::new(keys);
    // Another instance rotated the keys: sign with the new one now, not within a minute.
    let (ring, conn, ring_clock) = (Arc::downgrade(&keys), db.conn.clone(), clock.clone());
    db.changes.subscribe(Arc::new(move |change| {
        if *change == Change::Keys
            && let Some(keys) = ring.upgrade()
        {
            let (conn, clock) = (conn.clone(), ring_clock.clone());
            tokio::spawn(async move {
                if let Err(e) = keys.reload(&conn, clock.as_ref()).await {
                    tracing::warn!(error = %format!("{e:#}"), "reloading signing keys");
                }
            });
        }
    }));
    let lifetimes = Lifetimes {
        idle: config.refresh_token_ttl,
        max: config.session_max_lifetime,
        grace: config.refresh_reuse_grace,
    };
    let policy =
        LockoutPolicy { threshold: config.lockout_threshold, base: config.lockout_base, cap: config.lockout_max };
    let throttle = Throttle::new(secrets.throttle.clone(), policy);
    let ip_limits = IpLimits::new(&config);
    Ok(AppState {
        db,
        config: Arc::new(config),
        hasher,
        clock,
        keys,
        secrets: Arc::new(secrets),
        tokens,
        live,
        lifetimes,
        ip_limits,
        outbox,
        throttle,
        metrics,
        webauthn,
    })
}

/// The start-up banner: where the service is, which database it uses, and the account a
/// first start created. The database URL is shown with its password masked.
#[derive(Debug)]
pub struct Banner {
    /// The bound address.
    pub addr: SocketAddr,
    /// GraphQL (and GraphiQL in a browser).
    pub graphql: String,
    /// The admin console.
    pub admin: String,
    /// The database URL, password masked.
    pub database: String,
    /// The account this start created.
    pub first_account: Option<FirstAccount>,
}

impl Banner {
    /// Logs the banner as one event (for `GERBANG_LOG_FORMAT=json`); a generated password
    /// is a warning, so a filter of `warn` still shows it.
    pub fn log(&self) {
        let (addr, graphql, admin, database) = (self.addr, &self.graphql, &self.admin, &self.database);
        match &self.first_account {
            Some(FirstAccount { username, email, generated_password: Some(password) }) => tracing::warn!(
                %addr, %graphql, %admin, %database, %username, %email, password = password.expose_secret(),
                "gerbang is listening; created the first account (developer role) with this generated password, shown only this once: sign in and change it"
            ),
            Some(FirstAccount { username, email, generated_password: None }) => tracing::info!(
                %addr, %graphql, %admin, %database, %username, %email,
                "gerbang is listening; created the first account (developer role) from GERBANG_ADMIN_EMAIL/GERBANG_ADMIN_PASSWORD"
            ),
            None => tracing::info!(%addr, %graphql, %admin, %database, "gerbang is listening"),
        }
    }
}

impl std::fmt::Display for Banner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "gerbang {} is listening on {}", env!("CARGO_PKG_VERSION"), self.addr)?;
        writeln!(f, "  GraphQL   {}", self.graphql)?;
        writeln!(f, "  Console   {}", self.admin)?;
        write!(f, "  Database  {}", self.database)?;
        if let Some(account) = &self.first_account {
            writeln!(f)?;
            writeln!(f, "  First account (developer role) created:")?;
            writeln!(f, "    username  {}", account.username)?;
            write!(f, "    email     {}", account.email)?;
            if let Some(password) = &account.generated_password {
                writeln!(f)?;
                write!(
                    f,
                    "    password  {}   (generated; shown only this once: sign in and change it)",
                    password.expose_secret()
                )?;
            }
        }
        Ok(())
    }
}

/// Picks up keys added by other instances or `gerbang keys rotate`, so signing moves to
/// the newest key everywhere.
async fn reload_keys(state: AppState) {
    let mut every = tokio::time::interval(crate::auth::keys::RELOAD_EVERY);
    every.tick().await;
    loop {
        every.tick().await;
        if let Err(e) = state.keys.reload(&state.db.conn, state.clock.as_ref()).await {
            tracing::warn!(error = %format!("{e:#}"), "reloading signing keys");
        }
    }
}

/// Forgets sign-in counters nobody has touched for a day, and mail-link and second-step
/// tokens a day past their expiry.
async fn prune_counters(state: AppState) {
    let mut every = every_ten_minutes();
    loop {
        every.tick().await;
        match crate::auth::throttle::prune(&state.db, state.now()).await {
            Ok(0) => {}
            Ok(n) => tracing::debug!(counters = n, "forgot idle sign-in counters"),
            Err(e) => tracing::warn!(error = %e, "pruning sign-in counters"),
        }
        let turn = state.db.write_turn().await;
        match one_time::prune(&state.db.conn, &one_time::MAIL_LINKS, state.now()).await {
            Ok(0) => {}
            Ok(n) => tracing::debug!(tokens = n, "deleted expired mail-link tokens"),
            Err(e) => tracing::warn!(error = %e, "pruning mail-link tokens"),
        }
        match one_time::prune(&state.db.conn, &one_time::MFA_TOKENS, state.now()).await {
            Ok(0) => {}
            Ok(n) => tracing::debug!(tokens = n, "deleted expired second-step tokens"),
            Err(e) => tracing::warn!(error = %e, "pruning second-step tokens"),
        }
        match one_time::prune(&state.db.conn, &one_time::PASSKEY_CEREMONIES, state.now()).await {
            Ok(0) => {}
            Ok(n) => tracing::debug!(ceremonies = n, "deleted expired passkey ceremonies"),
            Err(e) => tracing::warn!(error = %e, "pruning passkey ceremonies"),
        }
        drop(turn);
    }
}

/// Folds histogram samples into buckets every five seconds, scraped or not.
async fn metrics_upkeep(state: AppState) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(5));
    loop {
        every.tick().await;
        state.metrics.upkeep();
    }
}

/// Deletes audit events past `GERBANG_AUDIT_RETENTION`, in small batches, every ten minutes.
async fn prune_audit(state: AppState) {
    let mut every = every_ten_minutes();
    loop {
        every.tick().await;
        match crate::audit::service::prune_expired(&state).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(events = n, "deleted audit events past their retention"),
            Err(e) => tracing::warn!(error = %e, "pruning the audit log"),
        }
    }
}

/// Ten minutes apart, the first ten minutes after start-up: housekeeping stays out of the
/// way of a starting instance (and of tests counting statements).
fn every_ten_minutes() -> tokio::time::Interval {
    let period = std::time::Duration::from_secs(600);
    tokio::time::interval_at(tokio::time::Instant::now() + period, period)
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
