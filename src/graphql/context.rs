//! Per-request data and the typed helpers resolvers use to reach it.

use async_graphql::Context;

use super::loaders::Loaders;
use crate::auth::caller::{Authenticated, Caller};
use crate::auth::sessions::ClientInfo;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::state::AppState;

/// What the HTTP handler learns about a request before running it.
#[derive(Debug, Clone)]
pub struct RequestInfo {
    /// Who is calling, resolved once.
    pub caller: Caller,
    /// The language to answer in.
    pub locale: Locale,
    /// Where the request came from.
    pub client: ClientInfo,
    /// The peer's IP address (for per-IP limits).
    pub ip: Option<std::net::IpAddr>,
}

/// Typed access to what the HTTP handler put into each request.
pub trait ContextExt {
    /// The shared application state.
    fn state(&self) -> Result<&AppState, AppError>;
    /// The request's caller, locale and client.
    fn request(&self) -> Result<&RequestInfo, AppError>;
    /// The signed-in caller, or UNAUTHENTICATED.
    fn actor(&self) -> Result<&Authenticated, AppError> {
        self.request()?.caller.authenticated()
    }
    /// The language to answer in.
    fn locale(&self) -> Locale;
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

    fn locale(&self) -> Locale {
        self.data_opt::<RequestInfo>().map(|r| r.locale).unwrap_or_default()
    }

    fn loaders(&self) -> Result<&Loaders, AppError> {
        self.data::<Loaders>().map_err(|_| missing("Loaders"))
    }
}
