//! TOTP secrets at rest: sealed with AES-256-GCM, bound to their user (the user's id is the
//! associated data, so a row copied to another account does not open), under a key derived
//! from the server secret: `GERBANG_SECRET_KEY` when it is set (a database dump alone then
//! yields no codes), else the `sealing` secret kept in the database.
//!
//! Stored as `v1.<key id>.<base64url(nonce ‖ ciphertext ‖ tag)>`. The key id says which key
//! sealed it, so `GERBANG_SECRET_KEY_PREVIOUS` (and the database's key, for rows sealed
//! before `GERBANG_SECRET_KEY` was set) still open; such a row, and a plaintext one from
//! before sealing existed, is sealed again under the current key when next used.

use aes_gcm::aead::{Aead as _, KeyInit as _, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine as _;
use hmac::{Hmac, Mac as _};
use rand_core::{OsRng, RngCore as _};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use secrecy::ExposeSecret as _;
use sha2::Sha256;
use uuid::Uuid;

use crate::db::entities::mfa_totp;
use crate::error::{AppError, Result};
use crate::state::AppState;

/// What a sealing key is derived for: a key of its own per purpose and format version.
const PURPOSE: &[u8] = b"gerbang totp secret v1";
/// The format of a sealed value.
const VERSION: &str = "v1";
const NONCE_BYTES: usize = 12;

/// One key that may have sealed a value.
struct SealKey {
    /// 8 hex characters naming the key (not the key: a MAC of a label under it).
    id: String,
    cipher: Aes256Gcm,
}

impl SealKey {
    /// Derives the sealing key from a root secret (HMAC-SHA256 under the root, of the purpose).
    fn derive(root: &[u8]) -> Option<Self> {
        let mac = |label: &[u8]| -> Option<[u8; 32]> {
            let mut mac = Hmac::<Sha256>::new_from_slice(root).ok()?;
            mac.update(label);
            Some(mac.finalize().into_bytes().into())
        };
        let key = mac(PURPOSE)?;
        let id = hex::encode(&mac(&[PURPOSE, b" key id"].concat())?[..4]);
        Some(Self { id, cipher: Aes256Gcm::new_from_slice(&key).ok()? })
    }
}

/// The keys of this deployment: the one that seals first, then those that only open.
pub(crate) struct Sealer(Vec<SealKey>);

/// A secret read back, and whether it should be sealed again (plaintext, or an older key).
#[derive(Debug)]
pub(crate) struct Opened {
    /// The base32 secret.
    pub secret: String,
    /// Not sealed under the current key.
    pub stale: bool,
}

fn unopenable() -> AppError {
    AppError::Internal(anyhow::anyhow!(
        "a TOTP secret does not open: sealed under a key no longer configured, or for another user"
    ))
}

impl Sealer {
    /// The keys from the configuration and the database.
    pub(crate) fn of(state: &AppState) -> Self {
        let config = &state.config;
        let roots = [config.secret_key.as_ref(), config.secret_key_previous.as_ref()];
        let mut keys: Vec<SealKey> =
            roots.into_iter().flatten().filter_map(|k| SealKey::derive(k.expose_secret().as_bytes())).collect();
        keys.extend(SealKey::derive(&state.secrets.sealing.mac(&[PURPOSE])));
        Self(keys)
    }

    /// Seals `secret` for `user` under the current key.
    pub(crate) fn seal(&self, user: Uuid, secret: &str) -> Result<String> {
        let key = self.0.first().ok_or_else(|| AppError::Internal(anyhow::anyhow!("no sealing key")))?;
        let mut nonce = [0u8; NONCE_BYTES];
        OsRng.fill_bytes(&mut nonce);
        let sealed = key
            .cipher
            .encrypt(&Nonce::from(nonce), Payload { msg: secret.as_bytes(), aad: user.as_bytes() })
            .map_err(|_| AppError::Internal(anyhow::anyhow!("sealing a TOTP secret")))?;
        let body = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode([nonce.as_slice(), &sealed].concat());
        Ok(format!("{VERSION}.{}.{body}", key.id))
    }

    /// Opens what `seal` stored for `user`; a value from before sealing (base32, no
    /// version) is taken as it is, and reported stale.
    pub(crate) fn open(&self, user: Uuid, stored: &str) -> Result<Opened> {
        let Some(rest) = stored.strip_prefix(VERSION).and_then(|r| r.strip_prefix('.')) else {
            return Ok(Opened { secret: stored.to_owned(), stale: true });
        };
        let (id, body) = rest.split_once('.').ok_or_else(unopenable)?;
        let position = self.0.iter().position(|k| k.id == id).ok_or_else(unopenable)?;
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(body).map_err(|_| unopenable())?;
        if bytes.len() <= NONCE_BYTES {
            return Err(unopenable());
        }
        let (nonce, sealed) = bytes.split_at(NONCE_BYTES);
        let nonce = Nonce::try_from(nonce).map_err(|_| unopenable())?;
        let secret = self.0[position]
            .cipher
            .decrypt(&nonce, Payload { msg: sealed, aad: user.as_bytes() })
            .map_err(|_| unopenable())?;
        Ok(Opened { secret: String::from_utf8(secret).map_err(|_| unopenable())?, stale: position > 0 })
    }
}

/// Seals a new secret for `user` (see the module's notes).
pub(crate) fn seal(state: &AppState, user: Uuid, secret: &str) -> Result<String> {
    Sealer::of(state).seal(user, secret)
}

/// The secret of `row`, read only.
pub(crate) fn open(state: &AppState, row: &mfa_totp::Model) -> Result<String> {
    Ok(Sealer::of(state).open(row.user_id, &row.secret)?.secret)
}

/// The secret of `row`, outside any transaction; a stale row is sealed again under the
/// current key on the way (once: the update is conditional on the value read, so a
/// concurrent enrolment is not undone).
pub(crate) async fn open_in_use(state: &AppState, row: &mfa_totp::Model) -> Result<String> {
    let sealer = Sealer::of(state);
    let opened = sealer.open(row.user_id, &row.secret)?;
    if opened.stale {
        let resealed = sealer.seal(row.user_id, &opened.secret)?;
        let _turn = state.db.write_turn().await;
        mfa_totp::Entity::update_many()
            .col_expr(mfa_totp::Column::Secret, Expr::value(resealed))
            .filter(mfa_totp::Column::UserId.eq(row.user_id))
            .filter(mfa_totp::Column::Secret.eq(row.secret.as_str()))
            .exec(&state.db.conn)
            .await?;
    }
    Ok(opened.secret)
}

/// Seals again, under the current key, every stored secret that is not (plaintext from
/// before sealing, or a retired key's); returns how many. A secret no configured key opens
/// is left as it is and logged: its user needs `resetUserMfa`.
pub(crate) async fn reseal_stale(state: &AppState) -> Result<u64> {
    let sealer = Sealer::of(state);
    let current = sealer.0.first().map(|k| format!("{VERSION}.{}.", k.id)).unwrap_or_default();
    let rows = mfa_totp::Entity::find()
        .filter(mfa_totp::Column::Secret.not_like(format!("{current}%")))
        .all(&state.db.conn)
        .await?;
    let mut resealed = 0;
    for row in rows {
        match sealer.open(row.user_id, &row.secret) {
            Err(e) => {
                tracing::warn!(user = %row.user_id, error = %crate::error::describe(&e), "a stored TOTP secret does not open")
            }
            Ok(opened) if !opened.stale => {}
            Ok(_) => {
                open_in_use(state, &row).await?;
                resealed += 1;
            }
        }
    }
    Ok(resealed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sealer(roots: &[&[u8]]) -> Sealer {
        Sealer(roots.iter().filter_map(|r| SealKey::derive(r)).collect())
    }

    const SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

    #[test]
    fn a_sealed_secret_opens_for_its_user_only_and_hides_the_secret() {
        let s = sealer(&[b"a root secret of thirty-two bytes"]);
        let user = Uuid::now_v7();
        let stored = s.seal(user, SECRET).unwrap();
        assert!(stored.starts_with("v1.") && !stored.contains(SECRET), "{stored}");
        assert!(stored.len() <= 255, "fits the column: {}", stored.len());
        let opened = s.open(user, &stored).unwrap();
        assert_eq!((opened.secret.as_str(), opened.stale), (SECRET, false));
        assert!(s.open(Uuid::now_v7(), &stored).is_err(), "another user's id does not open it");
        assert_ne!(s.seal(user, SECRET).unwrap(), stored, "a fresh nonce every time");
    }

    #[test]
    fn a_tampered_or_unknown_value_does_not_open() {
        let s = sealer(&[b"a root secret of thirty-two bytes"]);
        let user = Uuid::now_v7();
        let stored = s.seal(user, SECRET).unwrap();
        let mut tampered = stored.clone().into_bytes();
        let last = tampered.len() - 1;
        tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
        assert!(s.open(user, &String::from_utf8(tampered).unwrap()).is_err());
        assert!(s.open(user, "v1.00000000.AAAA").is_err());
        assert!(sealer(&[b"another root"]).open(user, &stored).is_err(), "another key does not open it");
    }

    #[test]
    fn older_keys_and_plaintext_open_as_stale() {
        let user = Uuid::now_v7();
        let old = sealer(&[b"the old root secret"]);
        let stored = old.seal(user, SECRET).unwrap();
        let rotated = sealer(&[b"the new root secret", b"the old root secret"]);
        let opened = rotated.open(user, &stored).unwrap();
        assert_eq!((opened.secret.as_str(), opened.stale), (SECRET, true));
        let opened = rotated.open(user, SECRET).unwrap();
        assert_eq!((opened.secret.as_str(), opened.stale), (SECRET, true), "plaintext from before sealing");
        assert!(rotated.seal(user, SECRET).unwrap().starts_with(&format!("v1.{}.", rotated.0[0].id)));
    }
}
