//! `POST /graphql` and `GET /graphql` (queries only; GraphiQL for browsers), following
//! GraphQL over HTTP: per-request data in, errors presented once on the way out, and the
//! response's media type and status chosen from the client's `Accept`.

use std::net::SocketAddr;
use std::sync::Arc;

use async_graphql::parser::types::OperationType;
use async_graphql::{BatchRequest, BatchResponse, Request, Response, ServerError};
use axum::body::Bytes;
use axum::extract::{ConnectInfo, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response as HttpResponse};

use super::client::client_ip;
use super::{HttpState, graphiql};
use crate::auth::caller::Caller;
use crate::auth::client::ClientInfo;
use crate::graphql::context::RequestInfo;
use crate::graphql::errors::present;
use crate::graphql::extensions::{DryRun, SpecNulls};
use crate::graphql::loaders::LazyLoaders;
use crate::graphql::preflight::{self, RootSelection};
use crate::i18n::{Locale, Message};
use crate::metrics::{Metrics, Operation};

fn header_str(headers: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// The two response media types of GraphQL over HTTP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Media {
    /// `application/json`: every result is 200, as legacy clients expect.
    Json,
    /// `application/graphql-response+json`: a request that could not run is 400, without `data`.
    GraphQLResponse,
}

impl Media {
    fn from_accept(headers: &HeaderMap) -> Self {
        let accept = header_str(headers, header::ACCEPT).unwrap_or_default();
        if accept.contains("application/graphql-response+json") { Self::GraphQLResponse } else { Self::Json }
    }

    fn content_type(self) -> HeaderValue {
        match self {
            Self::Json => HeaderValue::from_static("application/json; charset=utf-8"),
            Self::GraphQLResponse => HeaderValue::from_static("application/graphql-response+json; charset=utf-8"),
        }
    }
}

/// A request that did not run at all: it has errors, no data, and no error has a path.
fn is_request_error(r: &Response) -> bool {
    r.data == async_graphql::Value::Null && !r.errors.is_empty() && r.errors.iter().all(|e| e.path.is_empty())
}

fn render(media: Media, response: BatchResponse) -> HttpResponse {
    let (status, body) = match response {
        BatchResponse::Single(r) if media == Media::GraphQLResponse && is_request_error(&r) => {
            let mut body = serde_json::to_value(&r).unwrap_or_default();
            if let Some(obj) = body.as_object_mut() {
                obj.remove("data");
            }
            (StatusCode::BAD_REQUEST, serde_json::to_vec(&body).unwrap_or_default())
        }
        BatchResponse::Single(r) => (StatusCode::OK, serde_json::to_vec(&r).unwrap_or_default()),
        BatchResponse::Batch(rs) => (StatusCode::OK, serde_json::to_vec(&rs).unwrap_or_default()),
    };
    let mut res = (status, body).into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, media.content_type());
    res
}

/// A transport-level refusal (body or parameters that are not a GraphQL request).
fn refuse(media: Media, status: StatusCode, locale: Locale, detail: &str) -> HttpResponse {
    tracing::debug!(%detail, "request refused before parsing");
    let mut response = Response::from_errors(vec![ServerError::new(Message::BadRequest.text(locale), None)]);
    present(&mut response, locale);
    let mut res = render(media, BatchResponse::Single(response));
    *res.status_mut() = status;
    res
}

/// Refuses a request before it runs, with one BAD_USER_INPUT error.
fn refuse_request(media: Media, locale: Locale, message: Message) -> HttpResponse {
    let mut response = Response::from_errors(vec![ServerError::new(message.text(locale), None)]);
    present(&mut response, locale);
    render(media, BatchResponse::Single(response))
}

/// Parses and validates every request of a batch without running any, and returns their
/// complexity together: the budget of one request is the budget of the whole batch.
async fn batch_complexity(state: &HttpState, batch: &mut BatchRequest) -> usize {
    let total = DryRun::default();
    let dry: Vec<Request> = batch
        .iter_mut()
        .map(|request| {
            let mut dry = Request::new(request.query.clone()).variables(request.variables.clone());
            dry.operation_name.clone_from(&request.operation_name);
            if let Ok(doc) = request.parsed_query() {
                dry.set_parsed_query(doc.clone());
            }
            dry.data(total.clone())
        })
        .collect();
    for request in dry {
        // A request that fails validation is refused again, with its message, when it runs.
        let _ = state.schema.execute(request).await;
    }
    total.0.load(std::sync::atomic::Ordering::Relaxed)
}

async fn execute(state: &HttpState, headers: &HeaderMap, peer: SocketAddr, mut batch: BatchRequest) -> HttpResponse {
    let media = Media::from_accept(headers);
    let locale = Locale::from_accept_language(header_str(headers, header::ACCEPT_LANGUAGE));
    let app = &state.app;
    let checked = match preflight::check(&mut batch, &state.limits, &state.documents) {
        Ok(checked) => checked,
        Err(refused) => return refuse_request(media, locale, refused.0),
    };
    if let BatchRequest::Batch(requests) = &batch
        && requests.len() > 1
        && batch_complexity(state, &mut batch).await > app.config.max_query_complexity
    {
        return refuse_request(media, locale, Message::BatchTooComplex { max: app.config.max_query_complexity });
    }
    // A storm of sign-ins waits here holding its connection and request only, not the
    // execution state of each one waiting for a hash.
    let _admitted = if checked.hashes_password { app.hasher.admit().await } else { None };
    let mut caller = app.resolver().resolve(header_str(headers, header::AUTHORIZATION)).await;
    let ip = client_ip(peer.ip(), headers, &app.config.trusted_proxies);
    let client = Arc::new(ClientInfo::new(header_str(headers, header::USER_AGENT), Some(ip)));
    if let Caller::Authenticated(actor) = &mut caller {
        actor.client = client.clone();
    }
    let request = RequestInfo { caller, client, ip: Some(ip), locale };
    // Loaders are per operation (their cache lives for one), made when first needed.
    let mut nulls = Vec::new();
    let mut batch = match batch {
        BatchRequest::Single(r) => {
            let n = Arc::new(SpecNulls::default());
            nulls.push(n.clone());
            BatchRequest::Single(r.data(LazyLoaders::default()).data(n))
        }
        BatchRequest::Batch(rs) => {
            let mut out = Vec::with_capacity(rs.len());
            for r in rs {
                let n = Arc::new(SpecNulls::default());
                nulls.push(n.clone());
                out.push(r.data(LazyLoaders::default()).data(n));
            }
            BatchRequest::Batch(out)
        }
    };
    let labels: Vec<Operation> = match &mut batch {
        BatchRequest::Single(r) => vec![operation_label(r, &app.metrics)],
        BatchRequest::Batch(rs) => rs.iter_mut().map(|r| operation_label(r, &app.metrics)).collect(),
    };
    let batch = batch.data(request);
    let started = std::time::Instant::now();
    let mut response = state.schema.execute_batch(batch).await;
    let elapsed = started.elapsed();
    let responses: Vec<&mut Response> = match &mut response {
        BatchResponse::Single(r) => vec![r],
        BatchResponse::Batch(rs) => rs.iter_mut().collect(),
    };
    for ((r, n), label) in responses.into_iter().zip(&nulls).zip(&labels) {
        n.finish(r);
        present(r, locale);
        app.metrics.graphql_operation(*label, outcome(r), elapsed);
    }
    render(media, response)
}

/// How an operation is named in metrics: its one root field when the schema has it,
/// `introspection` when it selects only `__schema`/`__type`/`__typename`, `multiple` for
/// several root fields, `other` for anything else: a bounded set, whatever clients send.
fn operation_label(request: &mut Request, metrics: &Metrics) -> Operation {
    match preflight::root_selection(request) {
        RootSelection::One(name) => metrics.operation(name),
        RootSelection::Introspection => metrics.operation("introspection"),
        RootSelection::Several => metrics.operation("multiple"),
        RootSelection::Unknown => metrics.operation("other"),
    }
}

/// `ok`, or the first error's code.
fn outcome(response: &Response) -> &str {
    let Some(first) = response.errors.first() else { return "ok" };
    match first.extensions.as_ref().and_then(|x| x.get("code")) {
        Some(async_graphql::Value::String(c)) => c,
        _ => "error",
    }
}

/// `POST /graphql`: one request or a batch, as `application/json`.
pub(crate) async fn post(
    State(state): State<Arc<HttpState>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> HttpResponse {
    let media = Media::from_accept(&headers);
    let locale = Locale::from_accept_language(header_str(&headers, header::ACCEPT_LANGUAGE));
    let content_type = header_str(&headers, header::CONTENT_TYPE).unwrap_or_default().to_ascii_lowercase();
    if !content_type.starts_with("application/json") {
        return refuse(media, StatusCode::UNSUPPORTED_MEDIA_TYPE, locale, "POST needs Content-Type: application/json");
    }
    let batch: BatchRequest = match serde_json::from_slice(&body) {
        Ok(b) => b,
        Err(e) => return refuse(media, StatusCode::BAD_REQUEST, locale, &e.to_string()),
    };
    execute(&state, &headers, peer, batch).await
}

/// `GET /graphql`: GraphiQL for a browser; otherwise `?query=…`, queries only, since a
/// GET must not change anything (a mutation over GET is 405).
pub(crate) async fn get(
    State(state): State<Arc<HttpState>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> HttpResponse {
    let media = Media::from_accept(&headers);
    let locale = Locale::from_accept_language(header_str(&headers, header::ACCEPT_LANGUAGE));
    let query = query.unwrap_or_default();
    let wants_html = header_str(&headers, header::ACCEPT).is_some_and(|a| a.contains("text/html"));
    let has_query = query.split('&').any(|kv| kv.starts_with("query="));
    if wants_html && !has_query {
        return graphiql::page().into_response();
    }
    if !has_query {
        return refuse(media, StatusCode::BAD_REQUEST, locale, "GET needs a query parameter");
    }
    let mut request = match async_graphql::http::parse_query_string(&query) {
        Ok(r) => r,
        Err(e) => return refuse(media, StatusCode::BAD_REQUEST, locale, &e.to_string()),
    };
    if preflight::operation_type(&mut request).is_some_and(|t| t != OperationType::Query) {
        return (StatusCode::METHOD_NOT_ALLOWED, [(header::ALLOW, "POST")], "mutations are only accepted over POST")
            .into_response();
    }
    execute(&state, &headers, peer, BatchRequest::Single(request)).await
}
