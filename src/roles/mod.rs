//! Roles: `role`, `roles`, `createRole`, `updateRole`, `deleteRole` (shared/API.md).

pub(crate) mod domain;
pub(crate) mod graphql;
pub(crate) mod service;

pub(crate) use graphql::{RoleMutation, RoleQuery};
