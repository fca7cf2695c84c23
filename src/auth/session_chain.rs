//! Sessions and their refresh tokens (RFC 9700 §4.14).
//!
//! A session's row is its whole refresh chain: a generation number, moved on by each
//! rotation in one conditional `UPDATE`. The refresh token of generation `g` is derived from
//! (session, g) with a server-side key (HMAC-SHA256), so nothing secret is stored, any
//! instance can check a token without a read, and everyone who presents the same token
//! within the grace period gets the same successor: one session has one live chain, however
//! many tabs refresh at once. Presenting an older token than the live one (or the previous
//! one after the grace period) is reuse: someone else holds the chain, and the session ends.

use base64::Engine as _;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait as _, Query};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set};
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;
use subtle::ConstantTimeEq as _;
use uuid::Uuid;

use super::audit::{AuditAction, Event, Origin};
use super::client::ClientInfo;
use super::secrets::Secrets;
use crate::db::Db;
use crate::db::changes::Change;
use crate::db::entities::{session, user};
use crate::error::{AppError, AuthFailure, Result};

/// How long sessions and their tokens live.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Lifetimes {
    /// Lifetime of a refresh token, i.e. of an idle session.
    pub idle: std::time::Duration,
    /// Longest a session lives after sign-in, however often it is refreshed.
    pub max: std::time::Duration,
    /// How long the previous refresh token is still honoured after a rotation.
    pub grace: std::time::Duration,
}

fn chrono_ttl(ttl: std::time::Duration) -> chrono::Duration {
    chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::MAX)
}

impl Lifetimes {
    /// Sessions signed in before this moment have reached their maximum lifetime.
    pub(crate) fn born_after(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now.checked_sub_signed(chrono_ttl(self.max)).unwrap_or(DateTime::<Utc>::MIN_UTC)
    }

    /// When a session used at `now` expires unless refreshed again.
    fn idle_expiry(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now.checked_add_signed(chrono_ttl(self.idle)).unwrap_or(DateTime::<Utc>::MAX_UTC)
    }
}

const TOKEN_VERSION: u8 = 1;
const TOKEN_LEN: usize = 1 + 16 + 8 + 32;

/// The refresh token of one generation of one session.
fn token_for(secrets: &Secrets, session_id: Uuid, generation: i64) -> SecretString {
    let mut bytes = Vec::with_capacity(TOKEN_LEN);
    bytes.push(TOKEN_VERSION);
    bytes.extend_from_slice(session_id.as_bytes());
    bytes.extend_from_slice(&generation.to_be_bytes());
    bytes.extend_from_slice(&secrets.refresh.mac(&[b"refresh", session_id.as_bytes(), &generation.to_be_bytes()]));
    SecretString::from(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// The (session, generation) a refresh token was made for, if we made it.
fn read_token(secrets: &Secrets, token: &SecretString) -> Option<(Uuid, i64)> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(token.expose_secret().trim()).ok()?;
    if bytes.len() != TOKEN_LEN || bytes[0] != TOKEN_VERSION {
        return None;
    }
    let session_id = Uuid::from_slice(&bytes[1..17]).ok()?;
    let generation = i64::from_be_bytes(bytes[17..25].try_into().ok()?);
    let expected = secrets.refresh.mac(&[b"refresh", session_id.as_bytes(), &generation.to_be_bytes()]);
    bool::from(expected.ct_eq(&bytes[25..])).then_some((session_id, generation))
}

/// The session a refresh token belongs to, if the token is one of ours (for logout
/// without an access token); whether it is still live does not matter to ending it.
pub(crate) fn session_of(secrets: &Secrets, presented: &SecretString) -> Option<Uuid> {
    read_token(secrets, presented).map(|(session_id, _)| session_id)
}

/// Opens a session for `user_id` (inside the sign-in's transaction) and returns it with
/// its first refresh token.
pub(crate) async fn open(
    db: &impl ConnectionTrait,
    secrets: &Secrets,
    user_id: Uuid,
    client: &ClientInfo,
    now: DateTime<Utc>,
    lifetimes: &Lifetimes,
) -> Result<(session::Model, SecretString)> {
    let session = session::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user_id),
        user_agent: Set(client.user_agent.clone()),
        ip_address: Set(client.ip.clone()),
        created_at: Set(now),
        last_used_at: Set(now),
        expires_at: Set(lifetimes.idle_expiry(now)),
        revoked_at: Set(None),
        refresh_generation: Set(0),
        refreshed_at: Set(None),
    }
    .insert(db)
    .await?;
    let token = token_for(secrets, session.id, 0);
    Ok((session, token))
}

/// A rotation's outcome.
#[derive(Debug)]
pub(crate) struct Rotated {
    /// The session.
    pub session_id: Uuid,
    /// Its user.
    pub user_id: Uuid,
    /// The next refresh token.
    pub token: SecretString,
}

/// Exchanges a refresh token for its successor: one conditional `UPDATE` moves the chain on
/// when the token is the live one, the session is live and its user active. Otherwise one
/// read tells why: the previous token within the grace period gets the same successor
/// (another tab just rotated); an older one is reuse and ends the session.
pub(crate) async fn rotate(
    db: &Db,
    secrets: &Secrets,
    presented: &SecretString,
    client: &ClientInfo,
    now: DateTime<Utc>,
    lifetimes: &Lifetimes,
) -> Result<Rotated> {
    let Some((session_id, generation)) = read_token(secrets, presented) else {
        return Err(AppError::Unauthenticated(AuthFailure::InvalidToken));
    };
    let next = generation.checked_add(1).ok_or(AppError::Unauthenticated(AuthFailure::InvalidToken))?;
    let active_user = Query::select()
        .expr(Expr::val(1))
        .from(user::Entity)
        .and_where(Expr::col((user::Entity, user::Column::Id)).equals((session::Entity, session::Column::UserId)))
        .and_where(Expr::col((user::Entity, user::Column::IsActive)).eq(true))
        .to_owned();
    let update = session::Entity::update_many()
        .col_expr(session::Column::RefreshGeneration, Expr::value(next))
        .col_expr(session::Column::RefreshedAt, Expr::value(now))
        .col_expr(session::Column::LastUsedAt, Expr::value(now))
        .col_expr(session::Column::ExpiresAt, Expr::value(lifetimes.idle_expiry(now)))
        .filter(session::Column::Id.eq(session_id))
        .filter(session::Column::RefreshGeneration.eq(generation))
        .filter(session::Column::RevokedAt.is_null())
        .filter(session::Column::ExpiresAt.gt(now))
        .filter(session::Column::CreatedAt.gt(lifetimes.born_after(now)))
        .filter(Expr::exists(active_user));
    let moved_on = {
        let _turn = db.write_turn().await;
        if db.conn.support_returning() {
            update.exec_with_returning(&db.conn).await?.into_iter().next().map(|s| s.user_id)
        } else if update.exec(&db.conn).await?.rows_affected == 1 {
            session::Entity::find_by_id(session_id).one(&db.conn).await?.map(|s| s.user_id)
        } else {
            None
        }
    };
    if let Some(user_id) = moved_on {
        return Ok(Rotated { session_id, user_id, token: token_for(secrets, session_id, next) });
    }

    let Some((session, user)) =
        session::Entity::find_by_id(session_id).find_also_related(user::Entity).one(&db.conn).await?
    else {
        // Its user was deleted (and the session with it).
        return Err(AppError::Unauthenticated(AuthFailure::Revoked));
    };
    if session.revoked_at.is_some() {
        return Err(AppError::Unauthenticated(AuthFailure::Revoked));
    }
    if session.expires_at <= now || session.created_at <= lifetimes.born_after(now) {
        return Err(AppError::Unauthenticated(AuthFailure::Expired));
    }
    if !user.is_some_and(|u| u.is_active) {
        revoke(db, session.id, now, Ending::Inactive).await?;
        return Err(AppError::Unauthenticated(AuthFailure::Revoked));
    }
    let within_grace = session.refreshed_at.is_some_and(|at| now - at <= chrono_ttl(lifetimes.grace));
    if session.refresh_generation == next && within_grace {
        return Ok(Rotated { session_id, user_id: session.user_id, token: token_for(secrets, session_id, next) });
    }
    if session.refresh_generation > generation {
        revoke(db, session.id, now, Ending::Reuse(client)).await?;
        tracing::warn!(session = %session.id, "refresh token reused; session revoked");
        return Err(AppError::Unauthenticated(AuthFailure::Revoked));
    }
    Err(AppError::Unauthenticated(AuthFailure::InvalidToken))
}

/// Ends one session if it is live, inside the caller's transaction; returns its user when
/// it did (a session already ended or expired is left as it is).
pub(crate) async fn end(txn: &impl ConnectionTrait, session_id: Uuid, now: DateTime<Utc>) -> Result<Option<Uuid>> {
    let live = |q: sea_orm::Select<session::Entity>| {
        q.filter(session::Column::Id.eq(session_id))
            .filter(session::Column::RevokedAt.is_null())
            .filter(session::Column::ExpiresAt.gt(now))
    };
    let Some(found) = live(session::Entity::find()).one(txn).await? else { return Ok(None) };
    let ended = session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(now))
        .filter(session::Column::Id.eq(session_id))
        .filter(session::Column::RevokedAt.is_null())
        .exec(txn)
        .await?;
    Ok((ended.rows_affected == 1).then_some(found.user_id))
}

/// Whether the session has not been revoked (read inside the caller's transaction, after it
/// locked the user's row, so a revocation made under that lock is seen).
pub(crate) async fn still_open(txn: &impl ConnectionTrait, session_id: Uuid) -> Result<bool> {
    let open = session::Entity::find_by_id(session_id)
        .filter(session::Column::RevokedAt.is_null())
        .select_only()
        .column(session::Column::Id)
        .into_tuple::<Uuid>()
        .one(txn)
        .await?;
    Ok(open.is_some())
}

/// Why a session is being ended, for the audit log.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Ending<'a> {
    /// Its user signed out (the user is the actor).
    Logout(&'a ClientInfo),
    /// Its refresh chain was reused (by someone unknown).
    Reuse(&'a ClientInfo),
    /// Its user can no longer use it (inactive): the service ends it.
    Inactive,
}

/// Ends one session in a transaction of its own, records why, and tells every instance
/// that may have it cached. Returns whether a live session ended.
pub(crate) async fn revoke(db: &Db, session_id: Uuid, now: DateTime<Utc>, why: Ending<'_>) -> Result<bool> {
    let mut txn = db.begin_write().await?;
    let Some(user_id) = end(&*txn, session_id, now).await? else { return Ok(false) };
    let (action, origin) = match why {
        Ending::Logout(client) => (AuditAction::Logout, Origin::anonymous(client).as_user(user_id)),
        Ending::Reuse(client) => (AuditAction::RefreshTokenReused, Origin::anonymous(client)),
        Ending::Inactive => (AuditAction::SessionRevoked, Origin::system()),
    };
    Event::new(action).user(user_id).details(json!({ "sessionId": session_id })).record(&mut txn, &origin, now);
    txn.changed(Change::Session(session_id));
    txn.commit().await?;
    Ok(true)
}

/// Ends every live session of a user, except `keep` if given, inside the caller's
/// transaction; returns how many ended.
pub(crate) async fn revoke_all(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    keep: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<u64> {
    let mut update = session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(now))
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::RevokedAt.is_null())
        .filter(session::Column::ExpiresAt.gt(now));
    if let Some(keep) = keep {
        update = update.filter(session::Column::Id.ne(keep));
    }
    Ok(update.exec(db).await?.rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_name_their_session_and_generation_and_cannot_be_forged() {
        let make = || {
            let mut k = [0u8; 32];
            rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut k);
            k
        };
        let secrets = Secrets::for_tests(make(), make());
        let other = Secrets::for_tests(make(), make());
        let sid = Uuid::now_v7();
        let token = token_for(&secrets, sid, 7);
        assert_eq!(read_token(&secrets, &token), Some((sid, 7)));
        assert_eq!(read_token(&other, &token), None, "another deployment's key");
        assert_eq!(token_for(&secrets, sid, 7).expose_secret(), token.expose_secret(), "derived, so repeatable");
        assert_ne!(token_for(&secrets, sid, 8).expose_secret(), token.expose_secret());
        let mut bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(token.expose_secret()).unwrap();
        bytes[20] ^= 1;
        let tampered = SecretString::from(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes));
        assert_eq!(read_token(&secrets, &tampered), None, "a changed generation breaks the MAC");
        assert_eq!(read_token(&secrets, &SecretString::from("made-up")), None);
    }
}
