//! Per-request data and the typed helpers resolvers use to reach it.

use async_graphql::Context;

use super::loaders::{LazyLoaders, Loaders};
use crate::auth::caller::{Authenticated, Caller};
use crate::auth::client::ClientInfo;
use crate::error::AppError;
use crate::state::AppState;

/// What the HTTP handler learns about a request before running it.
#[derive(Debug, Clone)]
pub(crate) struct RequestInfo {
    /// Who is calling, resolved once.
    pub caller: Caller,
    /// Where the request came from.
    pub client: std::sync::Arc<ClientInfo>,
    /// The peer's IP address (for per-IP limits).
    pub ip: Option<std::net::IpAddr>,
    /// The language the client asked for (`Accept-Language`).
    pub locale: crate::i18n::Locale,
}

/// Typed access to what the HTTP handler put into each request.
pub(crate) trait ContextExt {
    /// The shared application state.
    fn state(&self) -> Result<&AppState, AppError>;
    /// The request's caller and client.
    fn request(&self) -> Result<&RequestInfo, AppError>;
    /// The signed-in caller, or UNAUTHENTICATED.
    fn actor(&self) -> Result<&Authenticated, AppError> {
        self.request()?.caller.authenticated()
    }
    /// This request's DataLoaders.
    fn loaders(&self) -> Result<&Loaders, AppError>;
}

fn missing(what: &str) -> AppError {
    AppError::Internal(anyhow::anyhow!("{what} missing from the GraphQL context"))
}

impl ContextExt for Context<'_> {
    fn state(&self) -> Result<&AppState, AppError> {
        self.data::<AppState>().map_err(|_| missing("AppState"))
    }

    fn request(&self) -> Result<&RequestInfo, AppError> {
        self.data::<RequestInfo>().map_err(|_| missing("RequestInfo"))
    }

    fn loaders(&self) -> Result<&Loaders, AppError> {
        let lazy = self.data::<LazyLoaders>().map_err(|_| missing("Loaders"))?;
        Ok(lazy.get(&self.state()?.db.conn))
    }
}
