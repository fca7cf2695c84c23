//! `POST /graphql` and `GET /graphql` (queries only): per-request data in, errors
//! presented once on the way out.

use async_graphql::parser::types::{DocumentOperations, OperationType};
use async_graphql::{BatchRequest, BatchResponse};
use async_graphql_axum::{GraphQLBatchRequest, GraphQLResponse};
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::HttpState;
use crate::graphql::errors::present;
use crate::i18n::Locale;

fn locale(headers: &HeaderMap) -> Locale {
    Locale::from_accept_language(headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()))
}

async fn execute(state: &HttpState, headers: &HeaderMap, batch: BatchRequest) -> GraphQLResponse {
    let locale = locale(headers);
    let batch = batch.data(state.app.clone()).data(locale);
    let mut response = state.schema.execute_batch(batch).await;
    match &mut response {
        BatchResponse::Single(r) => present(r, locale),
        BatchResponse::Batch(rs) => rs.iter_mut().for_each(|r| present(r, locale)),
    }
    response.into()
}

/// `POST /graphql`: one request or a batch.
pub async fn post(State(state): State<HttpState>, headers: HeaderMap, req: GraphQLBatchRequest) -> GraphQLResponse {
    execute(&state, &headers, req.into_inner()).await
}

/// `GET /graphql?query=…`: queries only, since a GET must not change anything
/// (GraphQL over HTTP: a mutation over GET is 405).
pub async fn get(State(state): State<HttpState>, headers: HeaderMap, RawQuery(query): RawQuery) -> Response {
    let request = match async_graphql::http::parse_query_string(query.as_deref().unwrap_or_default()) {
        Ok(r) => r,
        Err(e) => return (StatusCode::BAD_REQUEST, e.to_string()).into_response(),
    };
    if is_mutation(&request) {
        return (StatusCode::METHOD_NOT_ALLOWED, [(header::ALLOW, "POST")], "mutations are only accepted over POST")
            .into_response();
    }
    execute(&state, &headers, BatchRequest::Single(request)).await.into_response()
}

/// Whether the operation the request selects is a mutation or subscription. A document
/// that does not parse is left to the executor, which reports the syntax error.
fn is_mutation(request: &async_graphql::Request) -> bool {
    let Ok(doc) = async_graphql::parser::parse_query(&request.query) else { return false };
    let selected = match (&doc.operations, request.operation_name.as_deref()) {
        (DocumentOperations::Single(op), _) => Some(&op.node.ty),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name).map(|op| &op.node.ty),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops.values().next().map(|op| &op.node.ty),
        (DocumentOperations::Multiple(_), None) => None,
    };
    selected.is_some_and(|ty| *ty != OperationType::Query)
}
