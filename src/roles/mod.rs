//! Roles: `role`, `roles`, `createRole`, `updateRole`, `deleteRole` (shared/API.md).

pub mod domain;
pub mod graphql;
pub mod service;

pub use graphql::{Role, RoleMutation, RoleQuery};
