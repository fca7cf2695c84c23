//! API keys: `createApiKey`, `revokeApiKey`, `User.apiKeys` (shared/API.md, "Application
//! permissions, token claims, API keys, introspection"). Recognising a key on a request is
//! `auth::key_secret` and `auth::caller`.

pub(crate) mod graphql;
pub(crate) mod service;

pub(crate) use graphql::ApiKeyMutation;
