//! The HTTP surface: `/graphql`, `/healthz`, `/readyz`, the `/admin` console, and the
//! layers around them.

pub(crate) mod client;
pub(crate) mod console;
pub(crate) mod graphiql;
pub(crate) mod graphql;
pub(crate) mod health;
pub(crate) mod jwks;
pub(crate) mod metrics;
pub(crate) mod oauth;
pub(crate) mod server;

use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::routing::get;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

use crate::config::Config;
use crate::graphql::preflight::Limits;
use crate::schema::AppSchema;
use crate::state::AppState;

/// What the handlers share.
pub(crate) struct HttpState {
    /// The application state.
    pub app: AppState,
    /// The GraphQL schema.
    pub schema: AppSchema,
    /// What a GraphQL request may cost, checked before it runs.
    pub limits: Limits,
    /// What the last readiness probe found.
    pub readiness: std::sync::Arc<health::Readiness>,
    /// Documents parsed and costed already.
    pub documents: std::sync::Arc<crate::graphql::preflight::Documents>,
}

/// The router with every route and layer; tests can drive it directly too.
pub(crate) fn router(app: AppState, schema: AppSchema) -> Router {
    let config = app.config.clone();
    let metrics = app.metrics.clone();
    // On the public address `/metrics` exists only behind its token (shared/API.md).
    let scrape = config.metrics_token.clone().map(|token| {
        // `route_layer`: a plain `layer` would guard the merged router's fallback too.
        metrics_router(app.clone())
            .route_layer(axum::middleware::from_fn_with_state(std::sync::Arc::new(token), metrics::require_token))
    });
    let limits = Limits {
        max_batch: usize::try_from(config.max_batch).unwrap_or(usize::MAX),
        max_size: config.max_expanded_size,
        max_aliases: config.max_aliases,
        max_depth: config.max_query_depth,
    };
    // Shared, not cloned per request (the state holds a dozen Arcs).
    let state = std::sync::Arc::new(HttpState {
        app,
        schema,
        limits,
        readiness: Default::default(),
        documents: Default::default(),
    });
    let router = Router::new()
        .route("/graphql", get(graphql::get).post(graphql::post))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/graphiql/{file}", get(graphiql::asset))
        // A browser opening the bare address finds the console.
        .route("/", get(|| async { axum::response::Redirect::to("/admin") }))
        .route("/admin", get(console::page))
        .route("/admin/", get(console::page))
        .route("/admin/{*path}", get(console::route))
        .route("/.well-known/jwks.json", get(jwks::jwks))
        .route("/.well-known/oauth-authorization-server", get(oauth::metadata))
        .route("/oauth/introspect", axum::routing::post(oauth::introspect))
        .with_state(state)
        .merge(scrape.unwrap_or_default())
        .layer(RequestBodyLimitLayer::new(config.max_body_bytes))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, config.request_timeout));
    router.layer(cors(&config)).layer(metrics::ObserveLayer::new(metrics, &config.trusted_proxies))
}

/// `/metrics` alone: merged into the main router, or served on `GERBANG_METRICS_LISTEN`.
pub(crate) fn metrics_router(app: AppState) -> Router {
    Router::new().route("/metrics", get(metrics::metrics)).with_state(app)
}

/// Marks a response that needs no log line of its own (health probes, every few seconds).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Quiet;

/// CORS for the SPA at `GERBANG_APP_URL` and the origins of `GERBANG_CORS_ORIGINS`: the
/// SPA the mail links open calls `/graphql` from its own origin, so its preflights must
/// succeed without further settings. Any other origin gets no CORS headers, so the
/// browser's same-origin policy stays in force for it; a refused preflight is logged once,
/// as a browser would otherwise fail with no trace on the server.
fn cors(config: &Config) -> CorsLayer {
    let app_origin = url::Url::parse(&config.app_url).ok().map(|u| u.origin().ascii_serialization());
    let origins: Vec<String> = config.cors_origins.iter().cloned().chain(app_origin).collect();
    let allow = if origins.iter().any(|o| o == "*") {
        AllowOrigin::any()
    } else {
        let allowed: Vec<HeaderValue> = origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()).collect();
        AllowOrigin::predicate(move |origin: &HeaderValue, request: &axum::http::request::Parts| {
            // Schemes and hosts are case-insensitive (RFC 6454 §4); browsers send lower case.
            if allowed.iter().any(|a| a.as_bytes().eq_ignore_ascii_case(origin.as_bytes())) {
                return true;
            }
            // Only preflights: same-origin requests carry an `Origin` too, and need no CORS.
            if request.method == Method::OPTIONS && request.headers.contains_key(header::ACCESS_CONTROL_REQUEST_METHOD)
            {
                let shown: String = origin.to_str().unwrap_or("(not text)").chars().take(200).collect();
                tracing::warn!(
                    origin = %shown,
                    "CORS preflight refused: this origin is neither GERBANG_APP_URL's nor in GERBANG_CORS_ORIGINS"
                );
            }
            false
        })
    };
    CorsLayer::new()
        .allow_origin(allow)
        .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::ACCEPT_LANGUAGE,
            HeaderName::from_static("x-request-id"),
        ])
        .expose_headers([HeaderName::from_static("x-request-id")])
        .max_age(Duration::from_secs(3600))
}
