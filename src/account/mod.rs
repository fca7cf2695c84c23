//! What a person does with their own account: `register`, `login`, `refreshToken`,
//! `logout`, `changePassword` (shared/API.md).

pub mod graphql;
pub mod service;

pub use graphql::AccountMutation;
