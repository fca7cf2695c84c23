//! `GET /metrics` (Prometheus text format), the per-request HTTP series, and request ids.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use secrecy::{ExposeSecret, SecretString};
use subtle::ConstantTimeEq;
use tracing::{Instrument as _, Level};

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

/// The one layer every request passes first: it gives the request an id (the client's
/// `X-Request-Id` when that looks like an id, else one of ours), opens its span when INFO is
/// logged, counts and times the response whichever layer produced it (a timeout's 408 too),
/// logs one line for it, and returns the id and `X-Content-Type-Options: nosniff` on it.
/// One layer, not one per concern: each of axum's router layers costs a boxed future per
/// request, and this one allocates nothing of its own on the way through.
#[derive(Clone)]
pub(crate) struct ObserveLayer {
    metrics: Arc<Metrics>,
    trusted: Arc<[ipnet::IpNet]>,
}

impl ObserveLayer {
    /// Counts into `metrics`; a client address is read through the `trusted` proxies.
    pub(crate) fn new(metrics: Arc<Metrics>, trusted: &[ipnet::IpNet]) -> Self {
        Self { metrics, trusted: trusted.into() }
    }
}

impl<S> tower::Layer<S> for ObserveLayer {
    type Service = Observe<S>;

    fn layer(&self, inner: S) -> Observe<S> {
        Observe { inner, layer: self.clone() }
    }
}

/// [`ObserveLayer`]'s service.
#[derive(Clone)]
pub(crate) struct Observe<S> {
    inner: S,
    layer: ObserveLayer,
}

const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// A client's request id is kept only when it looks like one (at most 128 of
/// `A-Za-z0-9._:-`): a log line never carries a client's free text under that name.
fn looks_like_an_id(v: &HeaderValue) -> bool {
    let b = v.as_bytes();
    !b.is_empty() && b.len() <= 128 && b.iter().all(|c| c.is_ascii_alphanumeric() || b"._:-".contains(c))
}

impl<S, B> tower::Service<axum::http::Request<B>> for Observe<S>
where
    S: tower::Service<axum::http::Request<B>, Response = Response>,
{
    type Response = Response;
    type Error = S::Error;
    type Future = ObserveFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut std::task::Context<'_>) -> std::task::Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: axum::http::Request<B>) -> Self::Future {
        let id = match request.headers().get(X_REQUEST_ID) {
            Some(v) if looks_like_an_id(v) => v.clone(),
            Some(_) => {
                request.headers_mut().remove(X_REQUEST_ID);
                new_request_id()
            }
            None => new_request_id(),
        };
        let route = route_of(request.uri().path());
        let span = if tracing::enabled!(Level::INFO) {
            let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
            let client = peer.map(|ip| super::client::client_ip(ip, request.headers(), &self.layer.trusted));
            tracing::info_span!(
                "request",
                request_id = id.to_str().unwrap_or_default(),
                method = %request.method(),
                path = %request.uri().path(),
                client = client.map(tracing::field::display),
            )
        } else {
            tracing::Span::none()
        };
        ObserveFuture {
            inner: self.inner.call(request).instrument(span),
            metrics: self.layer.metrics.clone(),
            route,
            started: Instant::now(),
            id: Some(id),
        }
    }
}

pin_project_lite::pin_project! {
    /// [`Observe`]'s future: the inner one, inside the request's span.
    pub(crate) struct ObserveFuture<F> {
        #[pin]
        inner: tracing::instrument::Instrumented<F>,
        metrics: Arc<Metrics>,
        route: usize,
        started: Instant,
        id: Option<HeaderValue>,
    }
}

impl<F, E> Future for ObserveFuture<F>
where
    F: Future<Output = Result<Response, E>>,
{
    type Output = Result<Response, E>;

    fn poll(self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Self::Output> {
        let mut this = self.project();
        let mut response = std::task::ready!(this.inner.as_mut().poll(cx))?;
        let elapsed = this.started.elapsed();
        this.metrics.http_request(*this.route, response.status().as_u16(), elapsed);
        let headers = response.headers_mut();
        if let Some(id) = this.id.take() {
            headers.entry(X_REQUEST_ID).or_insert(id);
        }
        // No response of ours is meant to be sniffed into another type.
        headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
        let span = this.inner.as_ref().get_ref().span();
        // Health probes and scrapes (every few seconds) get no line of their own.
        if !span.is_none() && response.extensions().get::<Quiet>().is_none() {
            let _entered = span.enter();
            tracing::info!(
                latency = %format_args!("{} ms", elapsed.as_millis()),
                status = response.status().as_u16(),
                "finished processing request"
            );
        }
        std::task::Poll::Ready(Ok(response))
    }
}

/// A request id of our own making: UUIDv7 (they sort by time in a log search), made from
/// the clock, a random number drawn once per process and a counter: no lock, no system
/// call for randomness per request. Its text is cut from a per-thread buffer of a thousand
/// ids, so making one allocates once per thousand requests rather than every time.
fn new_request_id() -> HeaderValue {
    use std::sync::atomic::{AtomicU64, Ordering};
    static SEED: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    thread_local! {
        static TEXT: std::cell::RefCell<bytes::BytesMut> = std::cell::RefCell::new(bytes::BytesMut::new());
    }
    const LEN: usize = uuid::fmt::Hyphenated::LENGTH;
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
    let mut text = [0u8; LEN];
    uuid::Uuid::from_u128(bits).hyphenated().encode_lower(&mut text);
    let bytes = TEXT.with_borrow_mut(|buffer| {
        if buffer.capacity() - buffer.len() < LEN {
            // Ids still in flight keep the old buffer alive; this one is new.
            *buffer = bytes::BytesMut::with_capacity(LEN * 1024);
        }
        buffer.extend_from_slice(&text);
        buffer.split().freeze()
    });
    // Hex digits and hyphens: always a valid header value.
    HeaderValue::from_maybe_shared(bytes).unwrap_or_else(|_| HeaderValue::from_static("x"))
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
