//! Access tokens: JWTs signed with Ed25519, carrying `kid`; verification pins the
//! algorithm and checks issuer, audience and expiry against the app's clock (RFC 8725).

use chrono::{DateTime, Utc};
use jsonwebtoken::{Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::keys::{ALGORITHM, Keys, Verifier};
use crate::error::AuthFailure;

/// The claims gerbang puts in an access token.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
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
    /// Expires at (Unix seconds).
    pub exp: i64,
}

/// Who a verified token speaks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Subject {
    /// The user.
    pub user_id: Uuid,
    /// The session.
    pub session_id: Uuid,
    /// When the token expires.
    pub expires_at: i64,
}

/// The issuer and audience this instance signs with and accepts.
#[derive(Debug, Clone)]
pub struct TokenSettings {
    /// `iss`.
    pub issuer: String,
    /// `aud`.
    pub audience: String,
    /// Lifetime.
    pub ttl: std::time::Duration,
}

/// Signs an access token for a session.
pub fn sign(
    keys: &Keys,
    settings: &TokenSettings,
    user_id: Uuid,
    session_id: Uuid,
    now: DateTime<Utc>,
) -> anyhow::Result<String> {
    let (kid, key) = keys.signer();
    let mut header = Header::new(ALGORITHM);
    header.kid = Some(kid);
    let iat = now.timestamp();
    let claims = Claims {
        sub: user_id.to_string(),
        sid: session_id.to_string(),
        iss: settings.issuer.clone(),
        aud: settings.audience.clone(),
        iat,
        exp: iat + i64::try_from(settings.ttl.as_secs()).unwrap_or(i64::MAX / 2),
    };
    Ok(jsonwebtoken::encode(&header, &claims, &key)?)
}

/// The `kid` a token names, if its header parses; used to reload keys on a miss.
pub fn kid_of(token: &str) -> Option<String> {
    jsonwebtoken::decode_header(token).ok().and_then(|h| h.kid)
}

/// Verifies a token: known `kid`, EdDSA only (`alg: none`, HS256 and the rest are
/// refused), valid signature, our issuer and audience, not expired at `now`. A token
/// verified before with the same keys is not checked again, but its expiry always is.
pub fn verify(keys: &Keys, settings: &TokenSettings, token: &str, now: DateTime<Utc>) -> Result<Subject, AuthFailure> {
    let verifier = keys.verifier();
    let subject = match verifier.remembered(token) {
        Some(subject) => subject,
        None => {
            let subject = verify_signed(&verifier, settings, token)?;
            verifier.remember(token, subject);
            subject
        }
    };
    if subject.expires_at <= now.timestamp() {
        return Err(AuthFailure::Expired);
    }
    Ok(subject)
}

fn verify_signed(verifier: &Verifier, settings: &TokenSettings, token: &str) -> Result<Subject, AuthFailure> {
    let header = jsonwebtoken::decode_header(token).map_err(|_| AuthFailure::InvalidToken)?;
    if header.alg != ALGORITHM {
        return Err(AuthFailure::InvalidToken);
    }
    let key = header.kid.as_deref().and_then(|kid| verifier.decoding_key(kid)).ok_or(AuthFailure::InvalidToken)?;
    let mut validation = Validation::new(ALGORITHM);
    validation.set_issuer(&[&settings.issuer]);
    validation.set_audience(&[&settings.audience]);
    validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    // Expiry is checked by `verify` against the app's clock, which tests can move.
    validation.validate_exp = false;
    let claims =
        jsonwebtoken::decode::<Claims>(token, &key, &validation).map_err(|_| AuthFailure::InvalidToken)?.claims;
    let user_id = Uuid::try_parse(&claims.sub).map_err(|_| AuthFailure::InvalidToken)?;
    let session_id = Uuid::try_parse(&claims.sid).map_err(|_| AuthFailure::InvalidToken)?;
    Ok(Subject { user_id, session_id, expires_at: claims.exp })
}
