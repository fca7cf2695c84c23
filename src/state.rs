//! `AppState`: what every request handler shares. Cheap to clone (Arcs inside).

use std::sync::Arc;

use crate::auth::keys::Keys;
use crate::auth::password::Hasher;
use crate::auth::throttle::{IpLimiter, LockoutPolicy};
use crate::auth::tokens::TokenSettings;
use crate::clock::SharedClock;
use crate::config::Config;
use crate::db::Db;

/// Shared state of one running instance.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// The configuration it was started with.
    pub config: Arc<Config>,
    /// Password hashing, bounded by a semaphore.
    pub hasher: Hasher,
    /// The source of "now".
    pub clock: SharedClock,
    /// Access-token signing and verifying keys.
    pub keys: Arc<Keys>,
    /// Issuer, audience and lifetime of access tokens.
    pub tokens: TokenSettings,
    /// Per-IP limit on login and register.
    pub ip_limiter: IpLimiter,
    /// Per-account lockout after failed logins.
    pub lockout: LockoutPolicy,
}
