//! Users: `me`, `user`, `users`, `createUser`, `updateUser`, `setUserPassword`,
//! `deleteUser` (shared/API.md).

pub mod domain;
pub mod graphql;
pub mod service;

pub use graphql::{User, UserMutation, UserQuery};
