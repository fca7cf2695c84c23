//! Users: `me`, `user`, `users`, `createUser`, `updateUser`, `setUserPassword`,
//! `deleteUser` (shared/API.md).

pub mod domain;
pub(crate) mod graphql;
pub mod service;

pub(crate) use graphql::{UserMutation, UserQuery};
