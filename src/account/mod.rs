//! What a person does with their own account: `register`, `login`, `refreshToken`,
//! `logout`, `changePassword` (shared/API.md).

pub(crate) mod graphql;
pub(crate) mod service;

pub(crate) use graphql::AccountMutation;
