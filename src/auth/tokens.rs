//! Access tokens: JWTs signed with Ed25519, carrying `kid`, shaped as RFC 9068 says
//! (`typ: at+jwt`, `jti`, `nbf`); verification pins the algorithm, refuses critical header
//! extensions, and checks issuer, audience and the token's times against the app's clock
//! (RFC 8725).

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use jsonwebtoken::{Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::keys::{ALGORITHM, Keys, Verifier};
use crate::error::AuthFailure;

/// The claims gerbang puts in an access token.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct Claims {
    /// The user id.
    pub sub: String,
    /// The session id: what logout and revocation end.
    pub sid: String,
    /// Issuer.
    pub iss: String,
    /// Audience.
    pub aud: String,
    /// Issued at (Unix seconds).
    pub iat: i64,
    /// Not valid before (Unix seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
    /// Expires at (Unix seconds).
    pub exp: i64,
    /// This token's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jti: Option<String>,
    /// The user's roles, by name, as of issue time.
    #[serde(default)]
    pub roles: Vec<String>,
    /// The user's effective application permissions as of issue time: what the
    /// deployment's own APIs authorise with, without calling back.
    #[serde(default)]
    pub permissions: Vec<String>,
}

/// What an access token says its user may do, as of issue time (RFC 9068 §2.2.3.1).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Grants {
    /// Role names.
    pub roles: Vec<String>,
    /// Effective application permissions, spelled out.
    pub permissions: Vec<String>,
}

/// How far apart two clocks (ours and another instance's) may be.
const CLOCK_SKEW: i64 = 60;

/// The `typ` gerbang writes (RFC 9068 §2.1).
const TYP: &str = "at+jwt";

/// Who a verified token speaks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Subject {
    /// The user.
    pub user_id: Uuid,
    /// The session.
    pub session_id: Uuid,
    /// When the token was issued.
    pub issued_at: i64,
    /// When the token starts to be valid.
    pub not_before: i64,
    /// When the token expires.
    pub expires_at: i64,
}

/// Bytes the verified tokens kept may hold (their text and entries); when full, the cache
/// starts over. Only tokens whose signature is ours are kept, but a client picks which.
const VERIFIED_BYTES: usize = 4 * 1024 * 1024;

/// Verified tokens: token → (the key ring generation that verified it, what it says).
type Verified = HashMap<Box<str>, (u64, Subject)>;

/// Access tokens of this instance: how they are made, and the ones already verified (a
/// signature check is the same for every request carrying the same token; only the
/// session behind it must be checked live).
#[derive(Debug)]
pub(crate) struct Tokens {
    /// Issuer, audience, lifetime.
    pub settings: TokenSettings,
    /// The tokens verified already, and the bytes they hold.
    verified: Mutex<(Verified, usize)>,
}

impl Tokens {
    /// No token verified yet.
    pub(crate) fn new(settings: TokenSettings) -> Self {
        Self { settings, verified: Mutex::new((HashMap::new(), 0)) }
    }

    /// Verifies a token: known `kid`, EdDSA only (`alg: none`, HS256 and the rest are
    /// refused), no `crit` header, valid signature, our issuer and audience; at `now` issued
    /// and valid (`nbf`) already, not expired, and never meant to live longer than our
    /// access tokens do. A token verified before with the same keys is not checked again,
    /// but its times always are.
    pub(crate) fn verify(&self, keys: &Keys, token: &str, now: DateTime<Utc>) -> Result<Subject, AuthFailure> {
        let verifier = keys.verifier();
        let remembered = {
            let verified = self.verified.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            verified.0.get(token).filter(|(generation, _)| *generation == verifier.generation()).map(|(_, s)| *s)
        };
        let subject = match remembered {
            Some(subject) => subject,
            None => {
                let subject = verify_signed(&verifier, &self.settings, token)?;
                let mut verified = self.verified.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                let bytes = token.len() + 2 * std::mem::size_of::<(Box<str>, (u64, Subject))>();
                if verified.1 + bytes > VERIFIED_BYTES {
                    *verified = (HashMap::new(), 0);
                }
                if verified.0.insert(token.into(), (verifier.generation(), subject)).is_none() {
                    verified.1 += bytes;
                }
                subject
            }
        };
        check_times(&self.settings, subject, now)
    }
}

/// The issuer and audience this instance signs with and accepts.
#[derive(Debug, Clone)]
pub(crate) struct TokenSettings {
    /// `iss`.
    pub issuer: String,
    /// `aud`.
    pub audience: String,
    /// Lifetime.
    pub ttl: std::time::Duration,
}

/// Signs an access token for a session.
pub(crate) fn sign(
    keys: &Keys,
    settings: &TokenSettings,
    user_id: Uuid,
    session_id: Uuid,
    grants: Grants,
    now: DateTime<Utc>,
) -> anyhow::Result<String> {
    let (kid, key) = keys.signer();
    let mut header = Header::new(ALGORITHM);
    header.kid = Some(kid);
    header.typ = Some(TYP.into());
    let iat = now.timestamp();
    let claims = Claims {
        sub: user_id.to_string(),
        sid: session_id.to_string(),
        iss: settings.issuer.clone(),
        aud: settings.audience.clone(),
        iat,
        nbf: Some(iat),
        exp: iat + ttl_secs(settings),
        jti: Some(Uuid::now_v7().to_string()),
        roles: grants.roles,
        permissions: grants.permissions,
    };
    Ok(jsonwebtoken::encode(&header, &claims, &key)?)
}

/// The `kid` a token names, if its header parses; used to reload keys on a miss.
pub fn kid_of(token: &str) -> Option<String> {
    jsonwebtoken::decode_header(token).ok().and_then(|h| h.kid)
}

fn ttl_secs(settings: &TokenSettings) -> i64 {
    i64::try_from(settings.ttl.as_secs()).unwrap_or(i64::MAX / 4)
}

fn check_times(settings: &TokenSettings, subject: Subject, now: DateTime<Utc>) -> Result<Subject, AuthFailure> {
    let now = now.timestamp();
    if subject.expires_at <= now {
        return Err(AuthFailure::Expired);
    }
    let early = subject.issued_at > now + CLOCK_SKEW || subject.not_before > now + CLOCK_SKEW;
    let too_long = subject.expires_at.saturating_sub(subject.issued_at) > ttl_secs(settings) + CLOCK_SKEW;
    if early || too_long {
        return Err(AuthFailure::InvalidToken);
    }
    Ok(subject)
}

/// The header as sent, as JSON: jsonwebtoken's `Header` ignores members it does not know,
/// `crit` among them, and RFC 7515 §4.1.11 wants a token naming a critical extension we do
/// not implement refused.
fn header_is_acceptable(token: &str) -> bool {
    use base64::Engine as _;
    let Some(encoded) = token.split('.').next() else { return false };
    let Ok(bytes) = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(encoded) else { return false };
    let Ok(serde_json::Value::Object(header)) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return false;
    };
    let typ_ok = match header.get("typ") {
        None => true,
        Some(serde_json::Value::String(t)) => {
            ["jwt", "at+jwt", "application/at+jwt"].contains(&t.to_ascii_lowercase().as_str())
        }
        Some(_) => false,
    };
    typ_ok && !header.contains_key("crit")
}

fn verify_signed(verifier: &Verifier, settings: &TokenSettings, token: &str) -> Result<Subject, AuthFailure> {
    let header = jsonwebtoken::decode_header(token).map_err(|_| AuthFailure::InvalidToken)?;
    if header.alg != ALGORITHM || !header_is_acceptable(token) {
        return Err(AuthFailure::InvalidToken);
    }
    let key = header.kid.as_deref().and_then(|kid| verifier.decoding_key(kid)).ok_or(AuthFailure::InvalidToken)?;
    let mut validation = Validation::new(ALGORITHM);
    validation.set_issuer(&[&settings.issuer]);
    validation.set_audience(&[&settings.audience]);
    validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    // Times are checked by `verify` against the app's clock, which tests can move.
    validation.validate_exp = false;
    validation.validate_nbf = false;
    let claims =
        jsonwebtoken::decode::<Claims>(token, &key, &validation).map_err(|_| AuthFailure::InvalidToken)?.claims;
    let user_id = Uuid::try_parse(&claims.sub).map_err(|_| AuthFailure::InvalidToken)?;
    let session_id = Uuid::try_parse(&claims.sid).map_err(|_| AuthFailure::InvalidToken)?;
    Ok(Subject {
        user_id,
        session_id,
        issued_at: claims.iat,
        not_before: claims.nbf.unwrap_or(claims.iat),
        expires_at: claims.exp,
    })
}
