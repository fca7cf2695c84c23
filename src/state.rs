//! `AppState`: what every request handler and service shares. Cheap to clone (Arcs inside).

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::auth::keys::Keys;
use crate::auth::live::LiveSessions;
use crate::auth::password::Hasher;
use crate::auth::secrets::Secrets;
use crate::auth::session_chain::Lifetimes;
use crate::auth::throttle::{IpLimits, Throttle};
use crate::auth::tokens::Tokens;
use crate::clock::SharedClock;
use crate::config::Config;
use crate::db::Db;
use crate::metrics::Metrics;

/// Shared state of one running instance; the one context every service function takes.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// The configuration it was started with.
    pub(crate) config: Arc<Config>,
    /// Password hashing, bounded by a semaphore.
    pub hasher: Hasher,
    /// The source of "now".
    pub clock: SharedClock,
    /// Access-token signing and verifying keys.
    pub keys: Arc<Keys>,
    /// Server-side keys shared by every instance (refresh tokens, sign-in counters).
    pub(crate) secrets: Arc<Secrets>,
    /// Access tokens: issuer, audience, lifetime, and the ones verified already.
    pub(crate) tokens: Arc<Tokens>,
    /// Sessions known to be live, kept until something changes them.
    pub(crate) live: Arc<LiveSessions>,
    /// How long sessions and refresh tokens live.
    pub(crate) lifetimes: Lifetimes,
    /// Per-address limits (sign-in, reset mails, introspection).
    pub(crate) ip_limits: IpLimits,
    /// Mails: where they go, and the worker's doorbell.
    pub(crate) outbox: Arc<crate::mailer::Mailer>,
    /// Per-account (and per-identifier) sign-in counters and lockout.
    pub(crate) throttle: Throttle,
    /// This instance's Prometheus series.
    pub(crate) metrics: Arc<Metrics>,
    /// The WebAuthn relying party; None when passkeys are off.
    pub(crate) webauthn: Option<Arc<webauthn_rs::Webauthn>>,
}

impl AppState {
    /// Now, by the app's clock.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// What resolves a request's credentials.
    pub(crate) fn resolver(&self) -> crate::auth::caller::Resolver<'_> {
        crate::auth::caller::Resolver {
            db: &self.db,
            keys: &self.keys,
            tokens: &self.tokens,
            live: &self.live,
            clock: self.clock.as_ref(),
            lifetimes: &self.lifetimes,
        }
    }
}
