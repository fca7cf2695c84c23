//! The GraphQL schema: the features' roots merged, with the request limits.

use async_graphql::{EmptySubscription, MergedObject, Schema};

use crate::account::AccountMutation;
use crate::api_keys::ApiKeyMutation;
use crate::audit::AuditQuery;
use crate::email::EmailMutation;
use crate::graphql::extensions::RequestExtensions;
use crate::mfa::MfaMutation;
use crate::roles::{RoleMutation, RoleQuery};
use crate::sessions::SessionMutation;
use crate::state::AppState;
use crate::users::{UserMutation, UserQuery};

/// The queries.
#[derive(MergedObject, Default)]
pub(crate) struct Query(UserQuery, RoleQuery, AuditQuery);

/// The mutations.
#[derive(MergedObject, Default)]
pub(crate) struct Mutation(
    AccountMutation,
    UserMutation,
    RoleMutation,
    SessionMutation,
    ApiKeyMutation,
    EmailMutation,
    MfaMutation,
);

/// The executable schema.
pub(crate) type AppSchema = Schema<Query, Mutation, EmptySubscription>;

/// Builds the schema with the configured limits; a query over a limit is refused before
/// it runs. Depth, size and aliases are checked before async-graphql sees a document
/// (`graphql::preflight`); complexity here. Per-request data (state, caller, locale,
/// loaders) is added by the handler.
pub(crate) fn build(state: &AppState) -> AppSchema {
    Schema::build(Query::default(), Mutation::default(), EmptySubscription)
        .data(state.clone())
        .limit_complexity(state.config.max_query_complexity)
        .limit_recursive_depth(64)
        .limit_directives(16)
        .extension(RequestExtensions)
        .finish()
}

/// The schema in SDL, as `gerbang print-schema` prints it and `schema.graphql` holds it.
pub fn sdl() -> String {
    Schema::build(Query::default(), Mutation::default(), EmptySubscription).finish().sdl()
}

/// The names of every query and mutation field.
pub(crate) fn root_fields() -> Vec<String> {
    use async_graphql::parser::types::{TypeKind, TypeSystemDefinition};
    let Ok(doc) = async_graphql::parser::parse_schema(sdl()) else { return Default::default() };
    doc.definitions
        .iter()
        .filter_map(|d| match d {
            TypeSystemDefinition::Type(t) if ["Query", "Mutation"].contains(&t.node.name.node.as_str()) => {
                match &t.node.kind {
                    TypeKind::Object(o) => {
                        Some(o.fields.iter().map(|f| f.node.name.node.to_string()).collect::<Vec<_>>())
                    }
                    _ => None,
                }
            }
            _ => None,
        })
        .flatten()
        .collect()
}
