//! `GET /metrics` (Prometheus text format), the per-request HTTP series, and request ids.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use secrecy::{ExposeSecret, SecretString};
use subtle::ConstantTimeEq;
use tower_http::request_id::{MakeRequestId, RequestId};

use super::Quiet;
use crate::db::entities::session;
use crate::metrics::{Metrics, ROUTES};
use crate::state::AppState;

/// The route label's place in [`ROUTES`].
fn route_of(path: &str) -> usize {
    let path = if path.starts_with("/graphiql/") {
        "/graphiql/{file}"
    } else if path == "/admin" || path.starts_with("/admin/") {
        "/admin"
    } else {
        path
    };
    ROUTES.iter().position(|r| *r == path).unwrap_or(ROUTES.len() - 1)
}

/// Counts and times every response, whichever layer produced it (a timeout's 408 too).
/// First, a client's `X-Request-Id` that does not look like an id (at most 128 of
/// `A-Za-z0-9._:-`) is dropped, to be replaced by one of ours: a log line never carries a
/// client's free text under that name.
pub(crate) async fn track(State(metrics): State<Arc<Metrics>>, mut request: Request, next: Next) -> Response {
    let valid = |v: &HeaderValue| {
        let b = v.as_bytes();
        !b.is_empty() && b.len() <= 128 && b.iter().all(|c| c.is_ascii_alphanumeric() || b"._:-".contains(c))
    };
    if request.headers().get("x-request-id").is_some_and(|v| !valid(v)) {
        request.headers_mut().remove("x-request-id");
    }
    let route = route_of(request.uri().path());
    let started = Instant::now();
    let response = next.run(request).await;
    metrics.http_request(route, response.status().as_u16(), started.elapsed());
    response
}

/// Request ids of our own making: UUIDv7 (they sort by time in a log search), made from
/// the clock, a random number drawn once per process and a counter: no lock, no system
/// call for randomness per request.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct MakeRequestUuid7;

impl MakeRequestId for MakeRequestUuid7 {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        use std::sync::atomic::{AtomicU64, Ordering};
        static SEED: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let seed = *SEED.get_or_init(|| rand_core::RngCore::next_u64(&mut rand_core::OsRng));
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        // The wall clock, not the app's: an id orders log lines as they were written.
        #[allow(clippy::disallowed_methods)]
        let millis = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis());
        // 48 bits of milliseconds, version 7, then 74 bits: 42 of the seed and 32 of the count.
        let rand = (u128::from(seed & ((1 << 42) - 1)) << 32) | u128::from(n as u32);
        let bits = ((millis & ((1 << 48) - 1)) << 80)
            | (0x7 << 76)
            | ((rand >> 62) << 64)
            | (0b10 << 62)
            | (rand & ((1 << 62) - 1));
        HeaderValue::from_str(&uuid::Uuid::from_u128(bits).to_string()).ok().map(RequestId::new)
    }
}

/// Lets a request through only with `Authorization: Bearer <GERBANG_METRICS_TOKEN>`,
/// compared in constant time; anything else is 401.
pub(crate) async fn require_token(State(token): State<Arc<SecretString>>, request: Request, next: Next) -> Response {
    let sent = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    let expected = token.expose_secret().as_bytes();
    // `ct_eq` on slices of different lengths is false without comparing contents: the
    // length of the token is not a secret worth the padding.
    if bool::from(sent.as_bytes().ct_eq(expected)) {
        return next.run(request).await;
    }
    (StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"))]).into_response()
}

/// `GET /metrics`: the series, with the gauges sampled now.
pub(crate) async fn metrics(State(app): State<AppState>) -> Response {
    let m = &app.metrics;
    let (in_use, idle) = app.db.pool_usage();
    m.gauge("gerbang_db_connections", &[("state", "in_use")]).set(f64::from(in_use));
    m.gauge("gerbang_db_connections", &[("state", "idle")]).set(f64::from(idle));
    m.gauge("gerbang_live_sessions_cached", &[]).set(app.live.len() as f64);
    m.gauge("gerbang_changes_link_up", &[]).set(if app.db.changes_flowing() { 1.0 } else { 0.0 });
    let live = match m.recent_live_count() {
        Some(n) => Some(n),
        None => count_live(&app).await,
    };
    if let Some(n) = live {
        m.gauge("gerbang_live_sessions", &[]).set(n as f64);
    }
    let mut response = (
        StatusCode::OK,
        [(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"))],
        m.render(),
    )
        .into_response();
    // Scraped every few seconds: like the health probes, not a log line each time.
    response.extensions_mut().insert(Quiet);
    response
}

/// Counts live sessions (a scan of the sessions table: at most once a minute, bounded).
async fn count_live(app: &AppState) -> Option<u64> {
    let now = app.now();
    let count = session::Entity::find()
        .filter(session::Column::RevokedAt.is_null())
        .filter(session::Column::ExpiresAt.gt(now))
        .filter(session::Column::CreatedAt.gt(app.lifetimes.born_after(now)))
        .count(&app.db.conn);
    match tokio::time::timeout(Duration::from_secs(2), count).await {
        Ok(Ok(n)) => {
            app.metrics.set_live_count(n);
            Some(n)
        }
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "counting live sessions for /metrics");
            None
        }
        Err(_) => None,
    }
}
