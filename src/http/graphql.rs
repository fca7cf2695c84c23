//! `POST /graphql` and `GET /graphql` (queries only; GraphiQL for browsers): per-request
//! data in, errors presented once on the way out.

use std::net::SocketAddr;

use async_graphql::parser::types::OperationType;
use async_graphql::{BatchRequest, BatchResponse, Response, ServerError};
use async_graphql_axum::{GraphQLBatchRequest, GraphQLResponse};
use axum::extract::{ConnectInfo, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response as HttpResponse};

use super::{HttpState, graphiql};
use crate::auth::caller::Resolver;
use crate::auth::sessions::ClientInfo;
use crate::graphql::context::RequestInfo;
use crate::graphql::errors::present;
use crate::graphql::loaders::Loaders;
use crate::graphql::preflight;
use crate::i18n::Locale;

fn header_str(headers: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

async fn execute(
    state: &HttpState,
    headers: &HeaderMap,
    peer: Option<SocketAddr>,
    batch: BatchRequest,
) -> HttpResponse {
    let locale = Locale::from_accept_language(header_str(headers, header::ACCEPT_LANGUAGE));
    if let Err(refused) = preflight::check(&batch, state.app.config.max_aliases) {
        let mut response = Response::from_errors(vec![ServerError::new(refused.0.text(locale), None)]);
        present(&mut response, locale);
        return GraphQLResponse::from(response).into_response();
    }
    let app = &state.app;
    let resolver = Resolver { db: &app.db.conn, keys: &app.keys, settings: &app.tokens, clock: app.clock.as_ref() };
    let caller = resolver.resolve(header_str(headers, header::AUTHORIZATION)).await;
    let request = RequestInfo {
        caller,
        locale,
        client: ClientInfo {
            user_agent: header_str(headers, header::USER_AGENT).map(str::to_owned),
            ip: peer.map(|p| p.ip().to_string()),
        },
        ip: peer.map(|p| p.ip()),
    };
    let batch = match batch {
        // Loaders are per request, so a batch gets one set per operation.
        BatchRequest::Single(r) => BatchRequest::Single(r.data(Loaders::new(&app.db.conn))),
        BatchRequest::Batch(rs) => {
            BatchRequest::Batch(rs.into_iter().map(|r| r.data(Loaders::new(&app.db.conn))).collect())
        }
    };
    let batch = batch.data(app.clone()).data(request);
    let mut response = state.schema.execute_batch(batch).await;
    match &mut response {
        BatchResponse::Single(r) => present(r, locale),
        BatchResponse::Batch(rs) => rs.iter_mut().for_each(|r| present(r, locale)),
    }
    GraphQLResponse::from(response).into_response()
}

/// `POST /graphql`: one request or a batch.
pub async fn post(
    State(state): State<HttpState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    req: GraphQLBatchRequest,
) -> HttpResponse {
    execute(&state, &headers, Some(peer), req.into_inner()).await
}

/// `GET /graphql`: GraphiQL for a browser; otherwise `?query=…`, queries only, since a
/// GET must not change anything (GraphQL over HTTP: a mutation over GET is 405).
pub async fn get(
    State(state): State<HttpState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> HttpResponse {
    let query = query.unwrap_or_default();
    let wants_html = header_str(&headers, header::ACCEPT).is_some_and(|a| a.contains("text/html"));
    let has_query = query.split('&').any(|kv| kv.starts_with("query="));
    if wants_html && !has_query {
        return graphiql::page().into_response();
    }
    let request = match async_graphql::http::parse_query_string(&query) {
        Ok(r) => r,
        Err(e) => return (StatusCode::BAD_REQUEST, e.to_string()).into_response(),
    };
    if preflight::operation_type(&request).is_some_and(|t| t != OperationType::Query) {
        return (StatusCode::METHOD_NOT_ALLOWED, [(header::ALLOW, "POST")], "mutations are only accepted over POST")
            .into_response();
    }
    execute(&state, &headers, Some(peer), BatchRequest::Single(request)).await
}
