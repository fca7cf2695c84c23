//! SeaORM entities: storage only, no GraphQL derives (each feature defines its API types).

pub mod login_failure;
pub mod refresh_token;
pub mod role;
pub mod session;
pub mod signing_key;
pub mod user;
pub mod user_role;
