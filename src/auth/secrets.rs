//! Server-side keys every instance over one database shares: generated on the first start,
//! kept in the database next to the signing keys (whoever reads the database can forge
//! tokens either way, so it is protected like them).

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use rand_core::{OsRng, RngCore};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set, SqlErr};
use sha2::Sha256;

use crate::db::entities::app_secret;

/// A 256-bit key.
#[derive(Clone)]
pub(crate) struct Key([u8; 32]);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key([REDACTED])")
    }
}

impl Key {
    /// HMAC-SHA256 of the parts, each length-prefixed so no two inputs run together.
    pub(crate) fn mac(&self, parts: &[&[u8]]) -> [u8; 32] {
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.0) else { return [0; 32] };
        for part in parts {
            mac.update(&u64::try_from(part.len()).unwrap_or(u64::MAX).to_be_bytes());
            mac.update(part);
        }
        mac.finalize().into_bytes().into()
    }
}

/// The shared keys.
#[derive(Debug, Clone)]
pub(crate) struct Secrets {
    /// Derives refresh tokens from (session, generation).
    pub refresh: Key,
    /// Names sign-in counters without storing what they count.
    pub throttle: Key,
    /// Derives the key that seals secrets at rest when `GERBANG_SECRET_KEY` is not set.
    pub sealing: Key,
}

impl Secrets {
    /// Reads the keys, creating the missing ones (instances starting together agree: the
    /// first insert wins and everyone reads it back).
    pub(crate) async fn load(db: &impl ConnectionTrait, now: DateTime<Utc>) -> anyhow::Result<Self> {
        Ok(Self {
            refresh: key(db, "refresh_token_mac", now).await?,
            throttle: key(db, "login_throttle", now).await?,
            sealing: key(db, "sealing", now).await?,
        })
    }
}

async fn key(db: &impl ConnectionTrait, name: &str, now: DateTime<Utc>) -> anyhow::Result<Key> {
    if let Some(row) = app_secret::Entity::find_by_id(name).one(db).await? {
        return parse(&row);
    }
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let inserted =
        app_secret::ActiveModel { name: Set(name.into()), value: Set(hex::encode(bytes)), created_at: Set(now) }
            .insert(db)
            .await;
    match inserted {
        Ok(_) => Ok(Key(bytes)),
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            let row = app_secret::Entity::find_by_id(name).one(db).await?.context("a secret vanished")?;
            parse(&row)
        }
        Err(e) => Err(e).with_context(|| format!("storing the {name} secret")),
    }
}

fn parse(row: &app_secret::Model) -> anyhow::Result<Key> {
    let bytes = hex::decode(&row.value).ok().and_then(|b| <[u8; 32]>::try_from(b).ok());
    bytes.map(Key).with_context(|| format!("the {} secret in the database is malformed", row.name))
}

#[cfg(test)]
impl Secrets {
    /// Keys made up on the spot.
    pub(crate) fn for_tests(refresh: [u8; 32], throttle: [u8; 32]) -> Self {
        let sealing = Key(refresh).mac(&[b"sealing"]);
        Self { refresh: Key(refresh), throttle: Key(throttle), sealing: Key(sealing) }
    }
}
