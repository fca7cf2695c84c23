//! Security primitives, with no GraphQL types: permissions, password hashing, signing
//! keys, access tokens, sessions, single-use secrets, throttling, and resolving the caller.

pub mod app_permission;
pub(crate) mod audit;
pub mod caller;
pub(crate) mod client;
pub(crate) mod credentials;
pub(crate) mod key_secret;
pub mod keys;
pub(crate) mod live;
pub(crate) mod one_time;
pub mod password;
pub mod permission;
pub(crate) mod secrets;
pub(crate) mod session_chain;
pub mod throttle;
pub mod tokens;
