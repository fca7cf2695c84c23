//! `App`: the running service, built the same way by the binary and the tests.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context as _;
use axum::Router;
use secrecy::ExposeSecret;
use tokio::net::TcpListener;

use crate::auth::password::Hasher;
use crate::clock::{SharedClock, SystemClock};
use crate::config::Config;
use crate::state::AppState;
use crate::users::domain::Password;
use crate::users::service::{Bootstrap, bootstrap_developer};
use crate::{db, http, schema};

/// A bound, migrated, ready-to-serve instance.
pub struct App {
    listener: TcpListener,
    router: Router,
    state: AppState,
}

impl App {
    /// Connects, migrates, creates the first account if needed, and binds the listener.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        Self::build_with_clock(config, Arc::new(SystemClock)).await
    }

    /// As `build`, with a chosen clock (tests pass a `ManualClock`).
    pub async fn build_with_clock(config: Config, clock: SharedClock) -> anyhow::Result<Self> {
        // Fail on a bad admin password before touching anything.
        let admin_password = config
            .admin_password
            .as_ref()
            .map(|p| {
                Password::parse(p.expose_secret())
                    .map_err(|m| anyhow::anyhow!("GERBANG_ADMIN_PASSWORD: {}", m.text(Default::default())))
            })
            .transpose()?;
        let db = db::connect(&config.database_url, config.database_max_connections).await?;
        db.migrate_up().await?;
        let hasher = Hasher::new(&config)?;
        let state = AppState { db, config: Arc::new(config), hasher, clock };

        match bootstrap_developer(
            &state.db.conn,
            &state.hasher,
            state.clock.as_ref(),
            state.config.admin_email.clone(),
            admin_password,
        )
        .await
        .map_err(|e| anyhow::anyhow!("creating the first account: {e:?}"))?
        {
            Bootstrap::NotNeeded => {}
            Bootstrap::Created { email, generated_password: Some(password), .. } => tracing::warn!(
                %email,
                password = password.expose_secret(),
                "created the first account (developer role) with a generated password; it is shown only this once: sign in and change it"
            ),
            Bootstrap::Created { email, generated_password: None, .. } => {
                tracing::info!(%email, "created the first account (developer role) from GERBANG_ADMIN_EMAIL/GERBANG_ADMIN_PASSWORD");
            }
        }

        let listener = TcpListener::bind(state.config.listen)
            .await
            .with_context(|| format!("cannot listen on {} (GERBANG_LISTEN)", state.config.listen))?;
        let router = http::router(state.clone(), schema::build());
        Ok(Self { listener, router, state })
    }

    /// The address actually bound (port 0 becomes a real port).
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// The shared state.
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` completes, then lets in-flight requests finish, for at
    /// most `GERBANG_SHUTDOWN_GRACE`.
    pub async fn serve(self, shutdown: impl Future<Output = ()> + Send + 'static) -> anyhow::Result<()> {
        let addr = self.local_addr()?;
        let grace = self.state.config.shutdown_grace;
        tracing::info!(%addr, graphiql = %format!("http://{addr}/graphql"), "gerbang is listening");
        let (stopping_tx, mut stopping_rx) = tokio::sync::watch::channel(false);
        let server = axum::serve(self.listener, self.router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(async move {
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
        self.state.db.conn.clone().close().await.ok();
        tracing::info!("stopped");
        Ok(())
    }
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
