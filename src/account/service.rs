//! The account flows, over the auth primitives and the users service.

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use secrecy::SecretString;
use uuid::Uuid;

use crate::auth::caller::{Authenticated, Caller};
use crate::auth::sessions::{self, ClientInfo, Rotation};
use crate::auth::{throttle, tokens};
use crate::db::begin_write;
use crate::db::entities::user;
use crate::error::{AppError, AuthFailure, Result};
use crate::i18n::Message;
use crate::roles;
use crate::state::AppState;
use crate::users::domain::Password;
use crate::users::service::{self as users, NewUser};

/// Tokens for a session, and its user.
#[derive(Debug)]
pub struct Issued {
    /// The access token (JWT).
    pub access_token: String,
    /// The refresh token; shown once, stored only as a hash.
    pub refresh_token: SecretString,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    /// The user.
    pub user: user::Model,
}

fn issue(state: &AppState, user: user::Model, session_id: Uuid, refresh_token: SecretString) -> Result<Issued> {
    let access_token = tokens::sign(&state.keys, &state.tokens, user.id, session_id, state.clock.now())?;
    Ok(Issued { access_token, refresh_token, expires_in: state.tokens.ttl.as_secs(), user })
}

fn wrong_credentials() -> AppError {
    AppError::Unauthenticated(AuthFailure::WrongCredentials)
}

/// Signs in by username or email (case-insensitive). Unknown account, wrong password and
/// inactive account get the same answer after the same work: a password is always
/// verified, against a dummy hash when there is no account.
pub async fn login(state: &AppState, identifier: &str, password: &str, client: &ClientInfo) -> Result<Issued> {
    let db = &state.db.conn;
    let now = state.clock.now();
    let ident = identifier.trim();
    let column = if ident.contains('@') { user::Column::EmailLower } else { user::Column::UsernameLower };
    let found = user::Entity::find().filter(column.eq(ident.to_lowercase())).one(db).await?;
    if let Some(u) = &found
        && let Some(wait) = throttle::locked_for(db, u.id, now).await?
    {
        return Err(AppError::TooManyRequests { retry_after: wait });
    }
    let secret = SecretString::from(password);
    let matched = state.hasher.verify(&secret, found.as_ref().and_then(|u| u.password_hash.as_deref())).await?;
    let Some(u) = found else { return Err(wrong_credentials()) };
    if !matched || !u.is_active {
        throttle::record_failure(db, u.id, now, &state.lockout).await?;
        return Err(wrong_credentials());
    }
    // Parameters were raised since this hash was made: replace it while we know the password.
    let rehashed = match u.password_hash.as_deref() {
        Some(h) if state.hasher.needs_rehash(h) => Some(state.hasher.hash(&secret).await?),
        _ => None,
    };
    let (txn, _turn) = begin_write(db).await?;
    throttle::reset(&txn, u.id).await?;
    let mut model: user::ActiveModel = u.into();
    model.last_login_at = Set(Some(now));
    if let Some(h) = rehashed {
        model.password_hash = Set(Some(h));
    }
    let u = model.update(&txn).await?;
    let (session, refresh) = sessions::open(&txn, u.id, client, now, state.config.refresh_token_ttl).await?;
    txn.commit().await?;
    issue(state, u, session.id, refresh)
}

/// Creates an account with the default role and signs it in.
pub async fn register(state: &AppState, new: NewUser, client: &ClientInfo) -> Result<Issued> {
    if !state.config.allow_registration {
        return Err(AppError::Forbidden);
    }
    let db = &state.db.conn;
    let role = roles::service::by_name(db, &state.config.default_role).await?.ok_or_else(|| {
        AppError::Internal(anyhow::anyhow!("the default role {:?} does not exist", state.config.default_role))
    })?;
    let hash = match &new.password {
        Some(p) => Some(state.hasher.hash(p.secret()).await?),
        None => None,
    };
    let now = state.clock.now();
    let new = NewUser { role_ids: vec![role.id], is_active: true, ..new };
    let (txn, _turn) = begin_write(db).await?;
    let created = users::insert(&txn, None, new, hash, now).await?;
    let (session, refresh) = sessions::open(&txn, created.id, client, now, state.config.refresh_token_ttl).await?;
    txn.commit().await?;
    issue(state, created, session.id, refresh)
}

/// Exchanges a refresh token for new tokens (rotation, reuse detection).
pub async fn refresh(state: &AppState, presented: &SecretString) -> Result<Issued> {
    let rotation = Rotation { ttl: state.config.refresh_token_ttl, grace: state.config.refresh_reuse_grace };
    let now = state.clock.now();
    let (session, user, refresh) = sessions::rotate(&state.db.conn, presented, now, rotation)
        .await
        .inspect_err(|e| tracing::debug!(error = ?e, "refresh token refused"))?;
    if !user.is_active {
        sessions::revoke(&state.db.conn, session.id, now).await?;
        return Err(AppError::Unauthenticated(AuthFailure::Revoked));
    }
    issue(state, user, session.id, refresh)
}

/// Ends the caller's session; with only a refresh token (an expired access token), ends
/// that token's session.
pub async fn logout(state: &AppState, caller: &Caller, refresh: Option<&SecretString>) -> Result<bool> {
    let now = state.clock.now();
    let db = &state.db.conn;
    let by_refresh = match refresh {
        Some(t) => sessions::session_of(db, t).await?,
        None => None,
    };
    match (caller, by_refresh) {
        (Caller::Authenticated(a), _) => {
            sessions::revoke(db, a.session_id, now).await?;
            Ok(true)
        }
        (_, Some(session)) => {
            sessions::revoke(db, session, now).await?;
            Ok(true)
        }
        (Caller::Rejected(reason), None) => Err(AppError::Unauthenticated(*reason)),
        (Caller::Anonymous, None) => Err(AppError::Unauthenticated(AuthFailure::Missing)),
    }
}

/// Changes the caller's own password; the caller's session stays, the others end. A wrong
/// current password counts as a failed login.
pub async fn change_password(state: &AppState, actor: &Authenticated, current: &str, new: &str) -> Result<bool> {
    let db = &state.db.conn;
    let now = state.clock.now();
    if let Some(wait) = throttle::locked_for(db, actor.user_id, now).await? {
        return Err(AppError::TooManyRequests { retry_after: wait });
    }
    let Some(u) = users::get(db, actor.user_id).await? else {
        return Err(AppError::Unauthenticated(AuthFailure::Revoked));
    };
    let new = Password::parse(new).map_err(|m| AppError::bad_field("newPassword", m));
    if !state.hasher.verify(&SecretString::from(current), u.password_hash.as_deref()).await? {
        throttle::record_failure(db, u.id, now, &state.lockout).await?;
        return Err(AppError::bad_field("currentPassword", Message::WrongPassword));
    }
    let new = new?;
    users::set_password(db, &state.hasher, state.clock.as_ref(), actor, u.id, &new, Some(actor.session_id)).await?;
    Ok(true)
}
