//! The GraphQL schema: the features' roots merged, with the request limits.

use async_graphql::{EmptyMutation, EmptySubscription, MergedObject, Schema};

use crate::roles::RoleQuery;

/// The queries.
#[derive(MergedObject, Default)]
pub struct Query(RoleQuery);

/// The executable schema.
pub type AppSchema = Schema<Query, EmptyMutation, EmptySubscription>;

/// Builds the schema. Per-request data (state, locale) is added by the HTTP handler.
pub fn build() -> AppSchema {
    Schema::build(Query::default(), EmptyMutation, EmptySubscription)
        .limit_depth(12)
        .limit_complexity(2_000)
        .limit_recursive_depth(32)
        .limit_directives(8)
        .finish()
}

/// The schema in SDL, as `gerbang print-schema` prints it and `schema.graphql` holds it.
pub fn sdl() -> String {
    build().sdl()
}
