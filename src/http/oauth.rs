//! What the deployment's own APIs (resource servers) need from gerbang besides the JWKS:
//! `GET /.well-known/oauth-authorization-server` (RFC 8414) to find the keys and the
//! introspection endpoint, and `POST /oauth/introspect` (RFC 7662) for a live answer about a
//! token: its claims are a snapshot for at most an access token's lifetime, introspection
//! says what holds now (a session ended a moment ago is `{"active": false}`).

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::HttpState;
use super::client::client_ip;
use crate::auth::app_permission::INTROSPECT;
use crate::auth::caller::{Authenticated, Caller};
use crate::auth::keys::ALGORITHM;
use crate::auth::throttle::IpBucket;
use crate::error::AppError;
use crate::state::AppState;

/// The base URL of this service: `GERBANG_PUBLIC_URL`, else the issuer when it is a URL
/// (as RFC 8414 wants it to be), else as the client reached it; the flag says whether it
/// came from the request (and so must not be cached for other clients).
fn base_url(app: &AppState, headers: &HeaderMap, peer: SocketAddr) -> (String, bool) {
    if let Some(url) = &app.config.public_url {
        return (url.clone(), false);
    }
    let issuer = &app.tokens.settings.issuer;
    if url::Url::parse(issuer).is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some()) {
        return (issuer.trim_end_matches('/').to_owned(), false);
    }
    let trusted = app.config.trusted_proxies.iter().any(|net| net.contains(&peer.ip()));
    let https = trusted
        && headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|p| p.eq_ignore_ascii_case("https"));
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c)))
        .map_or_else(|| app.config.listen.to_string(), str::to_owned);
    (format!("{}://{host}", if https { "https" } else { "http" }), true)
}

/// `GET /.well-known/oauth-authorization-server`.
pub(crate) async fn metadata(
    State(state): State<Arc<HttpState>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> impl IntoResponse {
    let app = &state.app;
    let (base, from_request) = base_url(app, &headers, peer);
    let alg = serde_json::to_value(ALGORITHM).unwrap_or(Value::Null);
    let document = json!({
        "issuer": app.tokens.settings.issuer,
        "jwks_uri": format!("{base}/.well-known/jwks.json"),
        "introspection_endpoint": format!("{base}/oauth/introspect"),
        "introspection_endpoint_auth_methods_supported": ["bearer"],
        "access_token_signing_alg_values_supported": [alg],
        "response_types_supported": [],
        "grant_types_supported": [],
    });
    // Built from the request's Host, it is that client's answer only: a shared cache must
    // not hand it to anyone else.
    let cache = if from_request { "no-store" } else { "public, max-age=300" };
    ([(header::CACHE_CONTROL, cache)], axum::Json(document))
}

/// 401 with the challenge RFC 6750 describes; `error` when a credential was sent.
fn unauthorized(error: Option<&str>) -> Response {
    let challenge = match error {
        Some(e) => format!("Bearer realm=\"gerbang\", error=\"{e}\""),
        None => "Bearer realm=\"gerbang\"".to_owned(),
    };
    let mut response =
        (StatusCode::UNAUTHORIZED, axum::Json(json!({ "error": error.unwrap_or("invalid_client") }))).into_response();
    if let Ok(value) = HeaderValue::from_str(&challenge) {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, value);
    }
    response
}

fn no_store(body: Value) -> Response {
    ([(header::CACHE_CONTROL, "no-store")], axum::Json(body)).into_response()
}

/// `POST /oauth/introspect` with `token=…`, by an API key holding `gerbang:introspect`.
pub(crate) async fn introspect(
    State(state): State<Arc<HttpState>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let app = &state.app;
    let ip = client_ip(peer.ip(), &headers, &app.config.trusted_proxies);
    if let Err(AppError::TooManyRequests { retry_after }) = app.ip_limits.check(IpBucket::Introspection, ip) {
        let secs = retry_after.as_secs().max(1).to_string();
        return (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, secs)],
            axum::Json(json!({ "error": "slow_down" })),
        )
            .into_response();
    }
    let authorization = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    let resolver = app.resolver();
    match resolver.resolve(authorization).await {
        Caller::Authenticated(a) if a.api_key.is_some() && a.app_permissions.contains(INTROSPECT) => {}
        Caller::Anonymous => return unauthorized(None),
        Caller::Unavailable => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
        Caller::Authenticated(_) => return unauthorized(Some("insufficient_scope")),
        Caller::Rejected(_) => return unauthorized(Some("invalid_token")),
    }
    let Some(token) = url::form_urlencoded::parse(&body).find(|(k, _)| k == "token").map(|(_, v)| v.into_owned())
    else {
        return (StatusCode::BAD_REQUEST, axum::Json(json!({ "error": "invalid_request" }))).into_response();
    };
    let inactive = || no_store(json!({ "active": false }));
    let subject = match resolver.inspect(Some(&format!("Bearer {token}"))).await {
        Caller::Authenticated(s) => s,
        Caller::Unavailable => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
        _ => return inactive(),
    };
    match answer(app, &subject).await {
        Ok(body) => no_store(body),
        Err(e) => {
            tracing::error!(error = ?e, "introspecting a token");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// What is true of a live token or key now.
async fn answer(app: &AppState, subject: &Authenticated) -> crate::error::Result<Value> {
    let settings = &app.tokens.settings;
    let mut body = Map::new();
    body.insert("active".into(), json!(true));
    body.insert("sub".into(), json!(subject.user_id));
    if let Some(sid) = subject.session_id {
        body.insert("sid".into(), json!(sid));
    }
    body.insert("iat".into(), json!(subject.issued_at));
    if let Some(exp) = subject.expires_at {
        body.insert("exp".into(), json!(exp));
    }
    body.insert("iss".into(), json!(settings.issuer));
    body.insert("aud".into(), json!(settings.audience));
    if let Some(username) = &subject.user.username {
        body.insert("username".into(), json!(username));
    }
    // A key holds permissions, not roles: its owner's roles say nothing of what it may do.
    let roles: Vec<&str> = match subject.api_key {
        Some(_) => Vec::new(),
        None => subject.roles.iter().map(|r| r.name.as_str()).collect(),
    };
    body.insert("roles".into(), json!(roles));
    let permissions = crate::auth::app_permission::spell_out(&app.db.conn, &subject.app_permissions).await?;
    body.insert("permissions".into(), json!(permissions));
    body.insert("token_type".into(), json!("Bearer"));
    // Which kind of credential it is, for APIs that accept people's tokens only.
    let kind = if subject.api_key.is_some() { "api_key" } else { "access_token" };
    body.insert("gerbang_credential".into(), json!(kind));
    Ok(Value::Object(body))
}
