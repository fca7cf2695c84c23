//! Per-request data and the typed helpers resolvers use to reach it.

use async_graphql::Context;

use crate::error::AppError;
use crate::i18n::Locale;
use crate::state::AppState;

/// Typed access to what the HTTP handler put into each request.
pub trait ContextExt {
    /// The shared application state.
    fn state(&self) -> Result<&AppState, AppError>;
    /// The language to answer in.
    fn locale(&self) -> Locale;
}

impl ContextExt for Context<'_> {
    fn state(&self) -> Result<&AppState, AppError> {
        self.data::<AppState>()
            .map_err(|_| AppError::Internal(anyhow::anyhow!("AppState missing from the GraphQL context")))
    }

    fn locale(&self) -> Locale {
        self.data_opt::<Locale>().copied().unwrap_or_default()
    }
}
