//! Sessions and refresh tokens (RFC 9700 §4.14): 256 random bits, stored only as SHA-256,
//! rotated on every use; presenting an already-rotated token revokes the session, except
//! within a short grace period so two tabs refreshing at once both succeed.

use base64::Engine as _;
use chrono::{DateTime, Utc};
use rand_core::{OsRng, RngCore};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::db::entities::{refresh_token, session, user};
use crate::error::{AppError, AuthFailure, Result};

/// Where a login came from, kept on the session for the user's own review.
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    /// `User-Agent`, truncated.
    pub user_agent: Option<String>,
    /// The peer address.
    pub ip: Option<String>,
}

/// A new refresh token: 32 random bytes, base64url.
pub fn new_refresh_token() -> SecretString {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    SecretString::from(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// What is stored instead of the token.
pub fn hash_token(token: &SecretString) -> String {
    hex::encode(Sha256::digest(token.expose_secret().as_bytes()))
}

fn chrono_ttl(ttl: std::time::Duration) -> chrono::Duration {
    chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::MAX)
}

/// Opens a session for `user_id` and returns it with its first refresh token.
pub async fn open(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    client: &ClientInfo,
    now: DateTime<Utc>,
    ttl: std::time::Duration,
) -> Result<(session::Model, SecretString)> {
    let session = session::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user_id),
        user_agent: Set(client.user_agent.as_ref().map(|ua| ua.chars().take(255).collect())),
        ip_address: Set(client.ip.clone()),
        created_at: Set(now),
        last_used_at: Set(now),
        expires_at: Set(now + chrono_ttl(ttl)),
        revoked_at: Set(None),
    }
    .insert(db)
    .await?;
    let token = issue_refresh_token(db, session.id, now).await?;
    Ok((session, token))
}

/// Stores the hash of a new refresh token for the session and returns the token.
async fn issue_refresh_token(db: &impl ConnectionTrait, session_id: Uuid, now: DateTime<Utc>) -> Result<SecretString> {
    let token = new_refresh_token();
    refresh_token::ActiveModel {
        token_hash: Set(hash_token(&token)),
        session_id: Set(session_id),
        issued_at: Set(now),
        rotated_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// Settings of rotation.
#[derive(Debug, Clone, Copy)]
pub struct Rotation {
    /// Lifetime of a refresh token (and of an idle session).
    pub ttl: std::time::Duration,
    /// How long a rotated token is still honoured.
    pub grace: std::time::Duration,
}

/// Exchanges a refresh token for a new one. Returns the session, its user as read with
/// it, and the new token.
///
/// The token, its session and user are read first, in one statement, outside the write transaction; the
/// transaction then only writes, each write conditional on what was read still holding
/// (the token unclaimed, the session not revoked). Writers take turns (one at a time on
/// SQLite), so the turn lasts three statements instead of six.
pub async fn rotate(
    db: &DatabaseConnection,
    presented: &SecretString,
    now: DateTime<Utc>,
    rotation: Rotation,
) -> Result<(session::Model, user::Model, SecretString)> {
    let hash = hash_token(presented);
    let Some((row, session, user)) = refresh_token::Entity::find_by_id(hash.clone())
        .find_also_related(session::Entity)
        .and_also_related(user::Entity)
        .one(db)
        .await?
    else {
        return Err(AppError::Unauthenticated(AuthFailure::InvalidToken));
    };
    let (Some(session), Some(user)) = (session, user) else {
        return Err(AppError::Unauthenticated(AuthFailure::Revoked));
    };
    if session.revoked_at.is_some() {
        return Err(AppError::Unauthenticated(AuthFailure::Revoked));
    }
    if session.expires_at <= now || row.issued_at + chrono_ttl(rotation.ttl) <= now {
        return Err(AppError::Unauthenticated(AuthFailure::Expired));
    }
    if let Some(rotated_at) = row.rotated_at
        && now - rotated_at > chrono_ttl(rotation.grace)
    {
        // Reuse of a rotated token: someone else may hold it. End the session.
        revoke(db, session.id, now).await?;
        tracing::warn!(session = %session.id, "refresh token reused; session revoked");
        return Err(AppError::Unauthenticated(AuthFailure::Revoked));
    }
    let (txn, _turn) = crate::db::begin_write(db).await?;
    // Claim the token: only one rotation flips rotated_at from NULL. Losing the claim to
    // a rotation that happened since the read is the two-tabs case, inside the grace.
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RotatedAt, Expr::value(now))
        .filter(refresh_token::Column::TokenHash.eq(hash))
        .filter(refresh_token::Column::RotatedAt.is_null())
        .exec(&txn)
        .await?;
    let extended = session::Entity::update_many()
        .col_expr(session::Column::LastUsedAt, Expr::value(now))
        .col_expr(session::Column::ExpiresAt, Expr::value(now + chrono_ttl(rotation.ttl)))
        .filter(session::Column::Id.eq(session.id))
        .filter(session::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?
        .rows_affected;
    if extended != 1 {
        // Revoked (logout, reuse elsewhere) since the read.
        return Err(AppError::Unauthenticated(AuthFailure::Revoked));
    }
    let token = issue_refresh_token(&txn, session.id, now).await?;
    txn.commit().await?;
    let session = session::Model { last_used_at: now, expires_at: now + chrono_ttl(rotation.ttl), ..session };
    Ok((session, user, token))
}

/// The session a refresh token belongs to, if it is live (for logout without an access token).
pub async fn session_of(db: &impl ConnectionTrait, presented: &SecretString) -> Result<Option<Uuid>> {
    let row = refresh_token::Entity::find_by_id(hash_token(presented)).one(db).await?;
    Ok(row.map(|r| r.session_id))
}

/// Ends one session.
pub async fn revoke(db: &impl ConnectionTrait, session_id: Uuid, now: DateTime<Utc>) -> Result<()> {
    session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(now))
        .filter(session::Column::Id.eq(session_id))
        .filter(session::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Ends every session of a user, except `keep` if given.
pub async fn revoke_all(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    keep: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<()> {
    let mut update = session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(now))
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::RevokedAt.is_null());
    if let Some(keep) = keep {
        update = update.filter(session::Column::Id.ne(keep));
    }
    update.exec(db).await?;
    Ok(())
}
