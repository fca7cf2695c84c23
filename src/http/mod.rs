//! The HTTP surface: `/graphql`, `/healthz`, `/readyz`, and the layers around them.

pub mod graphiql;
pub mod graphql;
pub mod health;
pub mod jwks;

use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, Method, Request, StatusCode, header};
use axum::routing::get;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::schema::AppSchema;
use crate::state::AppState;

/// What the handlers share.
#[derive(Clone)]
pub struct HttpState {
    /// The application state.
    pub app: AppState,
    /// The GraphQL schema.
    pub schema: AppSchema,
}

/// The router with every route and layer; tests can drive it directly too.
pub fn router(app: AppState, schema: AppSchema) -> Router {
    let config = app.config.clone();
    let state = HttpState { app, schema };
    let mut router = Router::new()
        .route("/graphql", get(graphql::get).post(graphql::post))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/graphiql/{file}", get(graphiql::asset))
        .route("/.well-known/jwks.json", get(jwks::jwks))
        .with_state(state)
        .layer(RequestBodyLimitLayer::new(config.max_body_bytes))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, config.request_timeout));
    if let Some(cors) = cors(&config.cors_origins) {
        router = router.layer(cors);
    }
    router.layer(
        TraceLayer::new_for_http()
            .make_span_with(
                |req: &Request<_>| tracing::info_span!("request", method = %req.method(), path = %req.uri().path()),
            )
            .on_request(())
            .on_response(DefaultOnResponse::new().level(Level::INFO).latency_unit(tower_http::LatencyUnit::Millis)),
    )
}

/// CORS for browser SPAs on other origins; none at all when no origin is configured, so
/// the browser's same-origin policy stays in force.
fn cors(origins: &[String]) -> Option<CorsLayer> {
    if origins.is_empty() {
        return None;
    }
    let allow = if origins.iter().any(|o| o == "*") {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()))
    };
    Some(
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
            .max_age(Duration::from_secs(3600)),
    )
}
