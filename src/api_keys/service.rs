//! Creating, listing and revoking API keys, in transactions, with their audit events.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use secrecy::SecretString;
use serde_json::json;
use uuid::Uuid;

use crate::auth::app_permission::AppPermissions;
use crate::auth::audit::{AuditAction, Event, Origin};
use crate::auth::caller::Authenticated;
use crate::auth::key_secret;
use crate::auth::permission::{Permission, PermissionSet};
use crate::db::changes::Change;
use crate::db::entities::api_key as row;
use crate::email::notice::{self, Credential};
use crate::error::{AppError, Entity, Refusal, Result};
use crate::i18n::Message;
use crate::users::service::{lock_own, lock_target, may_manage};

/// Most keys one user may hold: a script per service is plenty, and a list is read whole.
pub(crate) const MAX_PER_USER: u64 = 100;

/// A key's name: 1 to 100 characters, trimmed, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KeyName(String);

impl KeyName {
    /// Parses a name.
    pub(crate) fn parse(s: &str) -> std::result::Result<Self, Message> {
        let s = s.trim();
        match s.chars().count() {
            0 => Err(Message::Required),
            n if n > 100 => Err(Message::TooLong { max: 100 }),
            _ if s.chars().any(char::is_control) => Err(Message::InvalidCharacters),
            _ => Ok(Self(s.to_owned())),
        }
    }
}

/// A key to create, already parsed.
#[derive(Debug, Clone)]
pub(crate) struct NewKey {
    /// Its name.
    pub name: KeyName,
    /// Permissions it may use of its owner's.
    pub permissions: PermissionSet,
    /// Application permissions it may use of its owner's.
    pub app_permissions: AppPermissions,
    /// When it stops working, if ever.
    pub expires_at: Option<DateTime<Utc>>,
}

/// Creates a key for the caller, a signed-in person, with at most the caller's own
/// permissions; returns it with its secret (shown once, never stored).
pub(crate) async fn create(
    state: &crate::state::AppState,
    actor: &Authenticated,
    new: NewKey,
    current_password: Option<&str>,
) -> Result<(row::Model, SecretString)> {
    actor.person()?;
    if !actor.permissions.is_superset_of(new.permissions) || !actor.app_permissions.is_superset_of(&new.app_permissions)
    {
        return Err(AppError::Refused(Refusal::NotHeld));
    }
    if new.expires_at.is_some_and(|t| t <= state.now()) {
        return Err(AppError::bad_field("expiresAt", Message::InThePast));
    }
    crate::users::service::prove_presence(state, actor, current_password).await?;
    let now = state.now();
    let (secret, secret_hash, prefix) = key_secret::generate();
    let mut txn = state.db.begin_write().await?;
    // Serialises key creation per user, so the cap holds under concurrent requests.
    let owner = lock_own(&*txn, actor).await?;
    if count_of(&*txn, actor.user_id).await? >= MAX_PER_USER {
        return Err(AppError::bad_field("input", Message::TooMany { max: MAX_PER_USER as usize }));
    }
    let created = row::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(actor.user_id),
        name: Set(new.name.0),
        prefix: Set(prefix),
        secret_hash: Set(secret_hash),
        permissions: Set(new.permissions.to_stored()),
        app_permissions: Set(new.app_permissions.to_stored()),
        created_at: Set(now),
        expires_at: Set(new.expires_at),
        last_used_at: Set(None),
        added_unverified: Set(!owner.email_verified),
    }
    .insert(&*txn)
    .await?;
    Event::new(AuditAction::ApiKeyCreated)
        .user(actor.user_id)
        .details(json!({
            "apiKey": created.id,
            "name": created.name,
            "prefix": created.prefix,
            "permissions": new.permissions.names(),
            "appPermissions": new.app_permissions.names(),
        }))
        .record(&mut txn, &Origin::of(actor), now);
    notice::credential(&*txn, &owner, Credential::ApiKey(&created.name), notice::Change::Added, now).await?;
    txn.commit().await?;
    state.outbox.wake();
    Ok((created, secret))
}

/// Revokes a key: the owner's own, or with USER_WRITE one of a user within reach. It stops
/// working on the next request here, and within the live-cache bound elsewhere.
pub(crate) async fn revoke(state: &crate::state::AppState, actor: &Authenticated, id: Uuid) -> Result<Uuid> {
    let found = row::Entity::find_by_id(id).one(&state.db.conn).await?;
    let owner = match found {
        Some(k) => k.user_id,
        // Only someone who could revoke others' keys learns that an id names none.
        None if actor.has(Permission::UserWrite) => return Err(AppError::NotFound(Entity::ApiKey)),
        None => return Err(AppError::Forbidden),
    };
    if !actor.is_self(owner) && !actor.has(Permission::UserWrite) {
        return Err(AppError::Forbidden);
    }
    let now = state.now();
    let mut txn = state.db.begin_write().await?;
    let owner = lock_target(&*txn, owner).await.map_err(|_| AppError::NotFound(Entity::ApiKey))?;
    may_manage(actor, &*txn, owner.id).await?;
    let Some(key) = row::Entity::find_by_id(id).one(&*txn).await? else {
        return Err(AppError::NotFound(Entity::ApiKey));
    };
    row::Entity::delete_by_id(id).exec(&*txn).await?;
    Event::new(AuditAction::ApiKeyRevoked)
        .user(owner.id)
        .details(json!({ "apiKey": id, "name": key.name, "prefix": key.prefix }))
        .record(&mut txn, &Origin::of(actor), now);
    notice::credential(&*txn, &owner, Credential::ApiKey(&key.name), notice::Change::Removed, now).await?;
    txn.changed(Change::ApiKey(id));
    txn.commit().await?;
    state.outbox.wake();
    Ok(id)
}

/// A user's keys, newest first.
pub(crate) async fn of_user(db: &impl ConnectionTrait, user_id: Uuid) -> Result<Vec<row::Model>> {
    Ok(row::Entity::find()
        .filter(row::Column::UserId.eq(user_id))
        .order_by_desc(row::Column::CreatedAt)
        .order_by_desc(row::Column::Id)
        .limit(MAX_PER_USER)
        .all(db)
        .await?)
}

async fn count_of(db: &impl ConnectionTrait, user_id: Uuid) -> Result<u64> {
    use sea_orm::PaginatorTrait as _;
    Ok(row::Entity::find().filter(row::Column::UserId.eq(user_id)).count(db).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_names_are_1_to_100_characters() {
        assert_eq!(KeyName::parse("  ci deploy ").unwrap().0, "ci deploy");
        assert_eq!(KeyName::parse(" ").unwrap_err(), Message::Required);
        assert_eq!(KeyName::parse(&"k".repeat(101)).unwrap_err(), Message::TooLong { max: 100 });
        assert_eq!(KeyName::parse("a\u{7}b").unwrap_err(), Message::InvalidCharacters);
    }
}
