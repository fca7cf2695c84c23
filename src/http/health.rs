//! `GET /healthz` (the process is up) and `GET /readyz` (the database is reachable and, on
//! SQLite, takes writes). Probes run every few seconds: they log nothing per request, and a
//! readiness change is one WARN (or INFO when ready again), not a line per probe.

use std::sync::atomic::{AtomicU8, Ordering};

use axum::Json;
use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::{HttpState, Quiet};

/// What the last readiness probe found: not probed yet (0), ready, or not.
#[derive(Debug, Default)]
pub(crate) struct Readiness(AtomicU8);

const READY: u8 = 1;
const UNREADY: u8 = 2;

/// Always 200 while the process serves requests.
pub(crate) async fn healthz() -> Response {
    (axum::Extension(Quiet), Json(json!({ "status": "ok" }))).into_response()
}

/// 200 when the database answers, 503 when it does not; a load balancer stops routing
/// to an instance that cannot reach its data.
pub(crate) async fn readyz(State(state): State<Arc<HttpState>>) -> Response {
    let result = state.app.db.ping().await;
    let now = if result.is_ok() { READY } else { UNREADY };
    let before = state.readiness.0.swap(now, Ordering::AcqRel);
    match &result {
        Err(e) if before != UNREADY => tracing::warn!(error = %format!("{e:#}"), "not ready"),
        Ok(()) if before == UNREADY => tracing::info!("ready again"),
        _ => {}
    }
    let (status, body) = match result {
        Ok(()) => (StatusCode::OK, json!({ "status": "ready" })),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, json!({ "status": "unavailable" })),
    };
    (status, axum::Extension(Quiet), Json(body)).into_response()
}
