//! Roles: `role`, `roles` (shared/API.md).

pub mod graphql;
pub mod service;

pub use graphql::{Role, RoleQuery};
