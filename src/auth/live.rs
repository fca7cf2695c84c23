//! Live sessions this instance has checked: a session, its user and roles, kept so the next
//! request with the same session costs no statement. Everything that could change the answer
//! is a [`Change`]: applied here at once when this instance made it, and within a poll (or a
//! notification) when another did. While the link to the other instances is down nothing
//! is served from here, and when it comes back everything is dropped.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::app_permission::AppPermissions;
use super::permission::PermissionSet;
use crate::db::changes::{Change, ChangeBus};
use crate::db::entities::{api_key, role, user};

/// Most sessions kept; past it the cache starts over.
const CAPACITY: usize = 10_000;

/// Longest an entry is served without a fresh read, whatever the notifications say: a
/// backstop, not the mechanism.
const MAX_AGE: Duration = Duration::from_secs(60);

/// What one check of a live session found.
#[derive(Debug, Clone)]
pub(crate) struct LiveSession {
    /// The user.
    pub user: Arc<user::Model>,
    /// Its roles, by name.
    pub roles: Arc<Vec<role::Model>>,
    /// The union of the roles' permissions.
    pub permissions: PermissionSet,
    /// The union of the roles' application permissions.
    pub app_permissions: AppPermissions,
    /// When the session expires unless refreshed.
    pub expires_at: DateTime<Utc>,
    /// When the session was signed in (its maximum lifetime counts from here).
    pub created_at: DateTime<Utc>,
}

/// The rows of a credential joined with its active owner and each of the owner's roles (one
/// row per role, or one with no role): the credential, the owner and the roles, once each.
pub(crate) fn with_owner_and_roles<T>(
    rows: Vec<(T, Option<user::Model>, Option<role::Model>)>,
) -> Option<(T, user::Model, Vec<role::Model>)> {
    let mut rows = rows.into_iter();
    let (credential, owner, first_role) = rows.next()?;
    let roles = first_role.into_iter().chain(rows.filter_map(|(_, _, r)| r)).collect();
    Some((credential, owner?, roles))
}

impl LiveSession {
    /// A user and its roles as a live session holds them.
    pub(crate) fn of(
        user: user::Model,
        mut roles: Vec<role::Model>,
        expires_at: DateTime<Utc>,
        created_at: DateTime<Utc>,
    ) -> Self {
        roles.sort_by(|a, b| a.name_lower.cmp(&b.name_lower));
        let permissions = PermissionSet::union_of(roles.iter().map(|r| r.permissions.as_str()));
        let app_permissions = AppPermissions::of_roles(&roles);
        Self { user: Arc::new(user), roles: Arc::new(roles), permissions, app_permissions, expires_at, created_at }
    }
}

struct Entry {
    live: LiveSession,
    read_at: Instant,
}

/// What one check of an API key found: the key, and its owner as a live session would have it
/// (`expires_at` is the key's expiry, `created_at` its creation).
#[derive(Debug, Clone)]
pub(crate) struct LiveKey {
    /// The key's row as read.
    pub key: Arc<api_key::Model>,
    /// Its owner, the owner's roles and permissions.
    pub owner: LiveSession,
    /// When `last_used_at` was last written or read (Unix seconds), shared by every copy:
    /// it is written at most once a minute, not per request.
    pub last_used: Arc<AtomicI64>,
}

struct KeyEntry {
    live: LiveKey,
    read_at: Instant,
}

/// The sessions this instance knows to be live.
pub(crate) struct LiveSessions {
    entries: Mutex<HashMap<Uuid, Entry>>,
    /// API keys by the SHA-256 of their secret (hex).
    keys: Mutex<HashMap<String, KeyEntry>>,
    /// Moves on with every change: a read that began before a change must not be kept.
    epoch: AtomicU64,
    bus: Arc<ChangeBus>,
}

impl std::fmt::Debug for LiveSessions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveSessions").field("len", &self.len()).finish_non_exhaustive()
    }
}

impl LiveSessions {
    /// A cache that follows `bus`.
    pub(crate) fn new(bus: Arc<ChangeBus>) -> Arc<Self> {
        let cache = Arc::new(Self {
            entries: Mutex::new(HashMap::new()),
            keys: Mutex::new(HashMap::new()),
            epoch: AtomicU64::new(0),
            bus: bus.clone(),
        });
        let weak = Arc::downgrade(&cache);
        bus.subscribe(Arc::new(move |change| {
            if let Some(cache) = weak.upgrade() {
                cache.apply(change);
            }
        }));
        cache
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Uuid, Entry>> {
        self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn lock_keys(&self) -> std::sync::MutexGuard<'_, HashMap<String, KeyEntry>> {
        self.keys.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn apply(&self, change: &Change) {
        self.epoch.fetch_add(1, Ordering::AcqRel);
        {
            let mut entries = self.lock();
            match change {
                Change::Session(id) => {
                    entries.remove(id);
                }
                Change::User(id) => entries.retain(|_, e| e.live.user.id != *id),
                Change::Everything => entries.clear(),
                Change::Keys | Change::ApiKey(_) => {}
            }
        }
        let mut keys = self.lock_keys();
        match change {
            Change::User(id) => keys.retain(|_, e| e.live.owner.user.id != *id),
            Change::ApiKey(id) => keys.retain(|_, e| e.live.key.id != *id),
            Change::Everything => keys.clear(),
            Change::Session(_) | Change::Keys => {}
        }
    }

    /// The API key with this secret hash as last read, if it may still be trusted (see
    /// [`LiveSessions::get`]); its expiry is checked by the caller.
    pub(crate) fn get_key(&self, secret_hash: &str) -> Option<LiveKey> {
        if !self.bus.link_up() {
            return None;
        }
        let keys = self.lock_keys();
        let entry = keys.get(secret_hash)?;
        (entry.read_at.elapsed() < MAX_AGE).then(|| entry.live.clone())
    }

    /// Keeps what a read of an API key found, unless something changed since `epoch`.
    pub(crate) fn keep_key(&self, epoch: u64, live: LiveKey) {
        if !self.bus.link_up() {
            return;
        }
        let mut keys = self.lock_keys();
        if self.epoch.load(Ordering::Acquire) != epoch {
            return;
        }
        if keys.len() >= CAPACITY {
            keys.clear();
        }
        keys.insert(live.key.secret_hash.clone(), KeyEntry { live, read_at: Instant::now() });
    }

    /// The session as last read, if it may still be trusted: the link to the other instances
    /// is up, nothing changed since, and it is neither expired nor past `born_after`.
    pub(crate) fn get(
        &self,
        session_id: Uuid,
        user_id: Uuid,
        now: DateTime<Utc>,
        born_after: DateTime<Utc>,
    ) -> Option<LiveSession> {
        if !self.bus.link_up() {
            return None;
        }
        let entries = self.lock();
        let entry = entries.get(&session_id)?;
        let fresh = entry.read_at.elapsed() < MAX_AGE;
        let live = &entry.live;
        (fresh && live.user.id == user_id && live.expires_at > now && live.created_at > born_after)
            .then(|| live.clone())
    }

    /// Where the changes stand before a read; pass it to [`LiveSessions::keep`].
    pub(crate) fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::Acquire)
    }

    /// Keeps what a read found, unless something changed since `epoch` (the read may have
    /// raced with the change) or the link is down.
    pub(crate) fn keep(&self, epoch: u64, session_id: Uuid, live: LiveSession) {
        if !self.bus.link_up() {
            return;
        }
        let mut entries = self.lock();
        if self.epoch.load(Ordering::Acquire) != epoch {
            return;
        }
        if entries.len() >= CAPACITY {
            entries.clear();
        }
        entries.insert(session_id, Entry { live, read_at: Instant::now() });
    }

    /// How many sessions are kept.
    pub(crate) fn len(&self) -> usize {
        self.lock().len()
    }
}
