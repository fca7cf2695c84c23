//! Access-token signing keys (Ed25519). From a PEM file when configured; otherwise
//! generated on the first start and kept in the database, so every instance over the
//! same database signs and verifies alike. `gerbang keys rotate` adds a key; the previous
//! one keeps verifying until the tokens it signed have expired.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use ed25519_dalek::SigningKey;
use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey, KeypairBytes};
use jsonwebtoken::jwk::{Jwk, JwkSet, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey};
use rand_core::OsRng;
use sea_orm::sea_query::ExprTrait as _;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use sha2::{Digest, Sha256};

use crate::clock::Clock;
use crate::db::entities::signing_key;

/// The one algorithm gerbang signs and accepts (RFC 8725 §3.1: pin it).
pub(crate) const ALGORITHM: Algorithm = Algorithm::EdDSA;

struct Ring {
    kid: String,
    encoding: EncodingKey,
    decoding: HashMap<String, DecodingKey>,
    jwks: Arc<String>,
    /// Which build of the ring this is: whatever was verified with another one (a key since
    /// retired, say) must be verified again.
    generation: u64,
}

/// Counts ring builds across the process.
static RING_GENERATION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// The current signing key, every key that still verifies, and the JWKS document.
pub struct Keys {
    ring: RwLock<Arc<Ring>>,
    from_file: bool,
    /// When a token with an unknown kid last made us re-read the keys.
    last_unknown_reload: std::sync::Mutex<Option<Instant>>,
    /// How long a retired key keeps verifying: the longest an access token lives, plus
    /// the time other instances may take to notice a rotation.
    verify_retired_for: chrono::Duration,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keys").field("kid", &self.kid()).finish_non_exhaustive()
    }
}

/// How often instances look for keys added by others.
pub(crate) const RELOAD_EVERY: Duration = Duration::from_secs(60);

struct Material {
    kid: String,
    signing: SigningKey,
}

impl Material {
    fn kid_for(signing: &SigningKey) -> String {
        let digest = Sha256::digest(signing.verifying_key().as_bytes());
        hex::encode(&digest[..12])
    }

    fn generate() -> Self {
        let signing = SigningKey::generate(&mut OsRng);
        Self { kid: Self::kid_for(&signing), signing }
    }

    /// jsonwebtoken wants the 48-byte PKCS#8 v1 form (without the public key) for both
    /// signing and building a JWK (shared/STACK.md §5).
    fn encoding_key(&self) -> anyhow::Result<EncodingKey> {
        let der = KeypairBytes { secret_key: self.signing.to_bytes(), public_key: None }
            .to_pkcs8_der()
            .map_err(|e| anyhow::anyhow!("encoding the signing key: {e}"))?;
        Ok(EncodingKey::from_ed_der(der.as_bytes()))
    }

    fn decoding_key(&self) -> DecodingKey {
        DecodingKey::from_ed_der(self.signing.verifying_key().as_bytes())
    }

    fn jwk(&self) -> anyhow::Result<Jwk> {
        let mut jwk = Jwk::from_encoding_key(&self.encoding_key()?, ALGORITHM)?;
        jwk.common.key_id = Some(self.kid.clone());
        jwk.common.public_key_use = Some(PublicKeyUse::Signature);
        Ok(jwk)
    }

    fn from_row(row: &signing_key::Model) -> anyhow::Result<Self> {
        let signing = SigningKey::from_pkcs8_pem(&row.private_key_pem)
            .map_err(|e| anyhow::anyhow!("signing key {} in the database is unreadable: {e}", row.kid))?;
        Ok(Self { kid: row.kid.clone(), signing })
    }

    fn to_row(&self, now: DateTime<Utc>) -> anyhow::Result<signing_key::ActiveModel> {
        let private = KeypairBytes { secret_key: self.signing.to_bytes(), public_key: None }
            .to_pkcs8_pem(LineEnding::LF)
            .map_err(|e| anyhow::anyhow!("encoding the signing key: {e}"))?;
        let public = self
            .signing
            .verifying_key()
            .to_public_key_pem(LineEnding::LF)
            .map_err(|e| anyhow::anyhow!("encoding the public key: {e}"))?;
        Ok(signing_key::ActiveModel {
            kid: Set(self.kid.clone()),
            algorithm: Set("EdDSA".into()),
            private_key_pem: Set(private.to_string()),
            public_key_pem: Set(public),
            created_at: Set(now),
            retired_at: Set(None),
        })
    }
}

fn build_ring(signer: &Material, verifiers: &[Material]) -> anyhow::Result<Ring> {
    let mut decoding = HashMap::new();
    let mut jwks = JwkSet { keys: Vec::new() };
    for m in std::iter::once(signer).chain(verifiers.iter().filter(|m| m.kid != signer.kid)) {
        decoding.insert(m.kid.clone(), m.decoding_key());
        jwks.keys.push(m.jwk()?);
    }
    Ok(Ring {
        kid: signer.kid.clone(),
        encoding: signer.encoding_key()?,
        decoding,
        jwks: Arc::new(serde_json::to_string(&jwks)?),
        generation: RING_GENERATION.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
    })
}

/// The keys as of one moment, for verifying one token.
pub(crate) struct Verifier(Arc<Ring>);

impl Verifier {
    /// The verifying key for `kid`, if it is trusted.
    pub(crate) fn decoding_key(&self, kid: &str) -> Option<DecodingKey> {
        self.0.decoding.get(kid).cloned()
    }

    /// Which build of the keys this is.
    pub(crate) fn generation(&self) -> u64 {
        self.0.generation
    }
}

impl Keys {
    /// Loads the configured PEM file, or the database's keys (generating the first one).
    pub(crate) async fn load(
        db: &impl ConnectionTrait,
        file: Option<&std::path::Path>,
        access_token_ttl: Duration,
        clock: &dyn Clock,
    ) -> anyhow::Result<Self> {
        let verify_retired_for = chrono::Duration::from_std(access_token_ttl + RELOAD_EVERY * 2)?;
        if let Some(path) = file {
            return Self::from_file(path, access_token_ttl);
        }
        let ring = Self::ring_from_db(db, clock, verify_retired_for).await?;
        Ok(Self {
            ring: RwLock::new(Arc::new(ring)),
            from_file: false,
            last_unknown_reload: std::sync::Mutex::new(None),
            verify_retired_for,
        })
    }

    /// The key of `GERBANG_SIGNING_KEY_FILE`; read before start-up touches the database,
    /// so a bad file stops it with nothing changed.
    pub(crate) fn from_file(path: &std::path::Path, access_token_ttl: Duration) -> anyhow::Result<Self> {
        let verify_retired_for = chrono::Duration::from_std(access_token_ttl + RELOAD_EVERY * 2)?;
        let pem = std::fs::read_to_string(path)
            .with_context(|| format!("GERBANG_SIGNING_KEY_FILE: cannot read {}", path.display()))?;
        let signing = SigningKey::from_pkcs8_pem(&pem).map_err(|e| {
            anyhow::anyhow!("GERBANG_SIGNING_KEY_FILE: {} is not an Ed25519 PKCS#8 PEM key: {e}", path.display())
        })?;
        let m = Material { kid: Material::kid_for(&signing), signing };
        Ok(Self {
            ring: RwLock::new(Arc::new(build_ring(&m, &[])?)),
            from_file: true,
            last_unknown_reload: std::sync::Mutex::new(None),
            verify_retired_for,
        })
    }

    async fn ring_from_db(
        db: &impl ConnectionTrait,
        clock: &dyn Clock,
        keep: chrono::Duration,
    ) -> anyhow::Result<Ring> {
        let now = clock.now();
        let mut rows = usable_rows(db, now - keep).await?;
        if !rows.iter().any(|r| r.retired_at.is_none()) {
            // First start (or every key retired by hand): make one. Two instances racing
            // here both insert a key; both verify everywhere and the newest signs.
            let m = Material::generate();
            m.to_row(now)?.insert(db).await.context("storing a new signing key")?;
            tracing::info!(kid = %m.kid, "generated a signing key");
            rows = usable_rows(db, now - keep).await?;
        }
        let materials: Vec<Material> = rows.iter().map(Material::from_row).collect::<anyhow::Result<_>>()?;
        let signer_row = rows.iter().filter(|r| r.retired_at.is_none()).max_by_key(|r| (r.created_at, r.kid.clone()));
        let signer =
            signer_row.and_then(|row| materials.iter().find(|m| m.kid == row.kid)).context("no active signing key")?;
        build_ring(signer, &materials)
    }

    /// Re-reads the database's keys (no-op for a file key).
    pub async fn reload(&self, db: &impl ConnectionTrait, clock: &dyn Clock) -> anyhow::Result<()> {
        if self.from_file {
            return Ok(());
        }
        let ring = Self::ring_from_db(db, clock, self.verify_retired_for).await?;
        *self.ring.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(ring);
        Ok(())
    }

    /// Re-reads the keys when a token names a kid we do not know (another instance or
    /// `gerbang keys rotate` added it), at most once a second.
    pub(crate) async fn reload_for_unknown(&self, db: &impl ConnectionTrait, clock: &dyn Clock, kid: &str) -> bool {
        if self.from_file || self.decoding_key(kid).is_some() {
            return self.decoding_key(kid).is_some();
        }
        // Forged kids must not turn into a database query each: one re-read a second.
        let allowed = {
            let mut last = self.last_unknown_reload.lock().unwrap_or_else(|p| p.into_inner());
            let allowed = last.is_none_or(|t| t.elapsed() >= Duration::from_secs(1));
            if allowed {
                *last = Some(Instant::now());
            }
            allowed
        };
        if allowed && let Err(e) = self.reload(db, clock).await {
            tracing::warn!(error = %format!("{e:#}"), "reloading signing keys");
        }
        self.decoding_key(kid).is_some()
    }

    fn ring(&self) -> Arc<Ring> {
        self.ring.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The id of the key that signs now.
    pub(crate) fn kid(&self) -> String {
        self.ring().kid.clone()
    }

    /// The signing key and its id.
    pub fn signer(&self) -> (String, EncodingKey) {
        let ring = self.ring();
        (ring.kid.clone(), ring.encoding.clone())
    }

    /// The verifying key for `kid`, if it is still trusted.
    pub(crate) fn decoding_key(&self, kid: &str) -> Option<DecodingKey> {
        self.ring().decoding.get(kid).cloned()
    }

    /// The keys as they are now.
    pub(crate) fn verifier(&self) -> Verifier {
        Verifier(self.ring())
    }

    /// The JWKS document (RFC 7517) of every key that verifies.
    pub(crate) fn jwks(&self) -> Arc<String> {
        self.ring().jwks.clone()
    }
}

async fn usable_rows(
    db: &impl ConnectionTrait,
    retired_after: DateTime<Utc>,
) -> anyhow::Result<Vec<signing_key::Model>> {
    signing_key::Entity::find()
        .filter(signing_key::Column::RetiredAt.is_null().or(signing_key::Column::RetiredAt.gt(retired_after)))
        .order_by_asc(signing_key::Column::CreatedAt)
        .all(db)
        .await
        .context("reading signing keys")
}

/// Adds a new signing key and retires the others; returns the new kid.
pub async fn rotate(db: &crate::db::Db, clock: &dyn Clock) -> anyhow::Result<String> {
    let now = clock.now();
    let mut txn = db.begin_write().await?;
    signing_key::Entity::update_many()
        .col_expr(signing_key::Column::RetiredAt, sea_orm::sea_query::Expr::value(now))
        .filter(signing_key::Column::RetiredAt.is_null())
        .exec(&*txn)
        .await
        .context("retiring the current signing key")?;
    let m = Material::generate();
    m.to_row(now)?.insert(&*txn).await.context("storing the new signing key")?;
    super::audit::Event::new(super::audit::AuditAction::SigningKeyRotated)
        .details(serde_json::json!({ "kid": m.kid }))
        .record(&mut txn, &super::audit::Origin::system(), now);
    txn.changed(crate::db::changes::Change::Keys);
    txn.commit().await?;
    Ok(m.kid)
}
