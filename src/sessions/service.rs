//! Listing and ending sessions, under the same rule as every other change to a user:
//! oneself, or USER_WRITE over a user whose permissions the caller holds, checked with the
//! user's row locked.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::json;
use uuid::Uuid;

use crate::auth::audit::{AuditAction, Event, Origin};
use crate::auth::caller::Authenticated;
use crate::auth::permission::Permission;
use crate::auth::session_chain::{self, Lifetimes};
use crate::db::changes::Change;
use crate::db::entities::session;
use crate::error::{AppError, Entity, Result};
use crate::state::AppState;
use crate::users::service::{lock_target, may_manage};

/// Most sessions `User.sessions` lists (the newest); a user signed in this often from
/// somewhere is better served by `revokeOtherSessions`.
pub(crate) const MAX_LISTED: u64 = 500;

/// A user's live sessions, newest first.
pub(crate) async fn live_of(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    now: DateTime<Utc>,
    lifetimes: &Lifetimes,
) -> Result<Vec<session::Model>> {
    Ok(session::Entity::find()
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::RevokedAt.is_null())
        .filter(session::Column::ExpiresAt.gt(now))
        .filter(session::Column::CreatedAt.gt(lifetimes.born_after(now)))
        .order_by_desc(session::Column::CreatedAt)
        .order_by_desc(session::Column::Id)
        .limit(MAX_LISTED)
        .all(db)
        .await?)
}

/// Ends one session: the caller's own, or, with USER_WRITE, one of a user within reach.
/// Returns whether a live session ended (false: it had ended already).
pub(crate) async fn revoke(state: &AppState, actor: &Authenticated, session_id: Uuid) -> Result<bool> {
    let found = session::Entity::find_by_id(session_id).one(&state.db.conn).await?;
    let owner = match found {
        Some(s) => s.user_id,
        // Only someone who could end others' sessions learns that an id names none.
        None if actor.has(Permission::UserWrite) => return Err(AppError::NotFound(Entity::Session)),
        None => return Err(AppError::Forbidden),
    };
    if !actor.is_self(owner) && !actor.has(Permission::UserWrite) {
        return Err(AppError::Forbidden);
    }
    let now = state.now();
    let mut txn = state.db.begin_write().await?;
    if owner != actor.user_id {
        // Deleted meanwhile: its sessions went with it.
        lock_target(&*txn, owner).await.map_err(|_| AppError::NotFound(Entity::Session))?;
        may_manage(actor, &*txn, owner).await?;
    }
    let Some(user_id) = session_chain::end(&*txn, session_id, now).await? else { return Ok(false) };
    Event::new(AuditAction::SessionRevoked).user(user_id).details(json!({ "sessionId": session_id })).record(
        &mut txn,
        &Origin::of(actor),
        now,
    );
    txn.changed(Change::Session(session_id));
    txn.commit().await?;
    Ok(true)
}

/// Ends every session of the caller but the one making the request; returns how many.
pub(crate) async fn revoke_others(state: &AppState, actor: &Authenticated) -> Result<u64> {
    end_all(state, actor, actor.user_id, Some(actor.person()?)).await
}

/// Ends every session of a user within the caller's reach (USER_WRITE); returns how many.
pub(crate) async fn revoke_user(state: &AppState, actor: &Authenticated, user_id: Uuid) -> Result<u64> {
    if !actor.has(Permission::UserWrite) {
        return Err(AppError::Forbidden);
    }
    end_all(state, actor, user_id, None).await
}

async fn end_all(state: &AppState, actor: &Authenticated, user_id: Uuid, keep: Option<Uuid>) -> Result<u64> {
    let now = state.now();
    let mut txn = state.db.begin_write().await?;
    lock_target(&*txn, user_id).await?;
    may_manage(actor, &*txn, user_id).await?;
    let ended = session_chain::revoke_all(&*txn, user_id, keep, now).await?;
    if ended == 0 {
        return Ok(0);
    }
    let scope = if keep.is_some() { "others" } else { "all" };
    Event::new(AuditAction::SessionRevoked).user(user_id).details(json!({ "scope": scope, "count": ended })).record(
        &mut txn,
        &Origin::of(actor),
        now,
    );
    txn.changed(Change::User(user_id));
    txn.commit().await?;
    Ok(ended)
}
