//! `GET /.well-known/jwks.json`: the public keys that verify access tokens (RFC 7517).

use std::sync::Arc;

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;

use super::HttpState;

/// The JWKS document of every key that currently verifies.
pub(crate) async fn jwks(State(state): State<Arc<HttpState>>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "public, max-age=300")],
        state.app.keys.jwks().as_ref().clone(),
    )
}
