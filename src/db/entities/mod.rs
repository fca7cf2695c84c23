//! SeaORM entities: storage only, no GraphQL derives (each feature defines its API types).

pub mod api_key;
pub mod app_secret;
pub mod audit_event;
pub mod email_token;
pub mod login_throttle;
pub mod mail;
pub mod mfa_challenge;
pub mod mfa_totp;
pub mod passkey;
pub mod passkey_challenge;
pub mod recovery_code;
pub mod role;
pub mod session;
pub mod signing_key;
pub mod user;
pub mod user_role;
