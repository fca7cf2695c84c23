//! API key secrets: `gbk_` and 256 random bits (base64url), recognisable in logs and by
//! secret scanners; stored as SHA-256 only. A secret has as much entropy as a key, so a
//! fast hash suffices (a slow one would only slow every request), and a lookup by hash is
//! one index probe.

use std::sync::Arc;
use std::sync::atomic::AtomicI64;

use base64::Engine as _;
use chrono::{DateTime, Utc};
use rand_core::{OsRng, RngCore as _};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use secrecy::SecretString;
use sha2::{Digest, Sha256};

use super::live::{LiveKey, LiveSession, with_owner_and_roles};
use crate::db::entities::{api_key, role, user};

/// What every secret starts with.
pub(crate) const PREFIX: &str = "gbk_";

/// How many characters of a secret are kept to recognise it by (`gbk_` and 8 more).
const SHOWN: usize = PREFIX.len() + 8;

/// A new secret, its SHA-256 (hex) and its recognisable beginning.
pub(crate) fn generate() -> (SecretString, String, String) {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let secret = format!("{PREFIX}{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes));
    let hash = hash(&secret);
    let shown = secret[..SHOWN].to_owned();
    (SecretString::from(secret), hash, shown)
}

/// The stored form of a secret.
pub(crate) fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Whether a bearer credential is an API key rather than an access token.
pub(crate) fn looks_like_key(credential: &str) -> bool {
    credential.starts_with(PREFIX)
}

/// One statement: the key with this secret hash, its owner if active, and the owner's roles.
/// Expiry is checked by the caller (a cached key expires too).
pub(crate) async fn live_key(db: &impl ConnectionTrait, secret_hash: &str) -> Result<Option<LiveKey>, sea_orm::DbErr> {
    let rows: Vec<(api_key::Model, Option<user::Model>, Option<role::Model>)> = api_key::Entity::find()
        .filter(api_key::Column::SecretHash.eq(secret_hash))
        .filter(user::Column::IsActive.eq(true))
        .find_also_related(user::Entity)
        .find_also(user::Entity, role::Entity)
        .all(db)
        .await?;
    let Some((key, owner, roles)) = with_owner_and_roles(rows) else { return Ok(None) };
    let last_used = key.last_used_at.map_or(0, |t| t.timestamp());
    let owner = LiveSession::of(owner, roles, key.expires_at.unwrap_or(DateTime::<Utc>::MAX_UTC), key.created_at);
    Ok(Some(LiveKey { key: Arc::new(key), owner, last_used: Arc::new(AtomicI64::new(last_used)) }))
}
