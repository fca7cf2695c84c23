//! Security primitives, with no GraphQL types: permissions, password hashing, signing
//! keys, access tokens, sessions, throttling, and resolving the caller.

pub(crate) mod api_key;
pub mod app_permission;
pub mod caller;
pub mod keys;
pub(crate) mod live;
pub mod password;
pub mod permission;
pub(crate) mod secrets;
pub(crate) mod sessions;
pub mod throttle;
pub mod tokens;

/// Which of an account's credentials (passkeys, TOTP, API keys) an operation removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Which {
    /// Every one: an administrator's reset.
    All,
    /// Those added while the address was unverified: a password reset proved the address,
    /// and whoever added these before the owner did must not keep a way in.
    AddedUnverified,
}
