//! Registering a passkey, and the passkeys a user holds.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set, SqlErr,
};
use serde_json::json;
use uuid::Uuid;
use webauthn_rs::prelude::{PasskeyRegistration, RegisterPublicKeyCredential};

use super::{
    Begun, REGISTER, credential_hash, internal, of_user, parse_credential, rp, store_challenge, take_challenge,
};
use crate::auth::audit::{AuditAction, Event, Origin};
use crate::auth::caller::Authenticated;
use crate::db::entities::{passkey, passkey_challenge};
use crate::email::notice::{self, Change, Credential};
use crate::error::{AppError, Entity, Result};
use crate::i18n::Message;
use crate::state::AppState;
use crate::users::service::lock_own;

/// Most passkeys one account may hold.
const MAX_PER_USER: usize = 20;

/// Longest passkey name, in characters.
const NAME_MAX: usize = 100;

/// The passkeys of several users (`User.passkeys` through a DataLoader), oldest first.
pub(crate) async fn of_users(
    db: &impl ConnectionTrait,
    user_ids: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, Vec<passkey::Model>>, sea_orm::DbErr> {
    let rows = passkey::Entity::find()
        .filter(passkey::Column::UserId.is_in(user_ids.iter().copied()))
        .order_by_asc(passkey::Column::CreatedAt)
        .order_by_asc(passkey::Column::Id)
        .all(db)
        .await?;
    let mut out: std::collections::HashMap<Uuid, Vec<passkey::Model>> =
        user_ids.iter().map(|id| (*id, Vec::new())).collect();
    for row in rows {
        out.entry(row.user_id).or_default().push(row);
    }
    Ok(out)
}

/// A passkey's name: trimmed, 1 to 100 characters, no control characters.
fn parse_name(name: &str) -> Result<String> {
    let name = name.trim();
    let message = if name.is_empty() {
        Message::Required
    } else if name.chars().count() > NAME_MAX {
        Message::TooLong { max: NAME_MAX }
    } else if name.chars().any(char::is_control) {
        Message::InvalidCharacters
    } else {
        return Ok(name.to_owned());
    };
    Err(AppError::bad_field("name", message))
}

/// Begins registering a passkey for the caller: options for `navigator.credentials.create()`
/// asking for a discoverable credential (so it also signs in without a name) with user
/// verification, excluding the caller's passkeys. A newer begin replaces a pending one.
pub(crate) async fn begin_registration(
    state: &AppState,
    actor: &Authenticated,
    current: Option<&str>,
) -> Result<Begun> {
    let rp = rp(state)?;
    crate::users::service::prove_presence(state, actor, current).await?;
    let now = state.now();
    let txn = state.db.begin_write().await?;
    let me = lock_own(&*txn, actor).await?;
    let existing = of_user(&*txn, me.id).await?;
    if existing.len() >= MAX_PER_USER {
        return Err(AppError::Conflict { field: "passkeys", message: Message::TooManyPasskeys { max: MAX_PER_USER } });
    }
    let exclude = existing.iter().map(|p| parse_credential(p).map(|k| k.cred_id().clone())).collect::<Result<_>>()?;
    let name = me.username.as_deref().unwrap_or(&me.email);
    let display = me.display_name.as_deref().unwrap_or(name);
    let (mut options, registration) = rp
        .start_passkey_registration(me.id, name, display, Some(exclude))
        .map_err(|e| internal("starting a passkey registration", e))?;
    // webauthn-rs asks for a server-side credential; a passkey here is discoverable, so that
    // `beginPasskeyLogin` without a name finds it.
    if let Some(selection) = options.public_key.authenticator_selection.as_mut() {
        selection.resident_key = Some(webauthn_rs_proto::ResidentKeyRequirement::Required);
        selection.require_resident_key = true;
    }
    passkey_challenge::Entity::delete_many()
        .filter(passkey_challenge::Column::UserId.eq(me.id))
        .filter(passkey_challenge::Column::Purpose.eq(REGISTER))
        .exec(&*txn)
        .await?;
    let saved = serde_json::to_string(&registration).map_err(|e| internal("saving a registration", e))?;
    let id = store_challenge(&*txn, Some(me.id), REGISTER, saved, now).await?;
    txn.commit().await?;
    let options = serde_json::to_value(&options).map_err(|e| internal("writing registration options", e))?;
    Ok(Begun { id, options })
}

/// Finishes a registration with what `navigator.credentials.create()` returned: verified
/// against the challenge (origin, relying party, user verification), then kept under `name`.
pub(crate) async fn finish_registration(
    state: &AppState,
    actor: &Authenticated,
    challenge_id: &str,
    name: &str,
    credential: serde_json::Value,
) -> Result<passkey::Model> {
    let rp = rp(state)?;
    actor.person()?;
    let name = parse_name(name)?;
    let credential: RegisterPublicKeyCredential =
        serde_json::from_value(credential).map_err(|_| AppError::bad_field("credential", Message::PasskeyRejected))?;
    let Some(challenge) = take_challenge(state, challenge_id, REGISTER, Some(actor.user_id)).await? else {
        return Err(AppError::bad_field("challengeId", Message::InvalidChallenge));
    };
    let registration: PasskeyRegistration =
        serde_json::from_str(&challenge.state).map_err(|e| internal("a stored registration does not parse", e))?;
    let key = rp.finish_passkey_registration(&credential, &registration).map_err(|e| {
        tracing::debug!(error = %e, "passkey registration refused");
        AppError::bad_field("credential", Message::PasskeyRejected)
    })?;
    let now = state.now();
    let mut txn = state.db.begin_write().await?;
    let me = lock_own(&*txn, actor).await?;
    let held = passkey::Entity::find().filter(passkey::Column::UserId.eq(me.id)).count(&*txn).await?;
    if held >= MAX_PER_USER as u64 {
        return Err(AppError::Conflict { field: "passkeys", message: Message::TooManyPasskeys { max: MAX_PER_USER } });
    }
    let row = passkey::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(me.id),
        credential_id_hash: Set(credential_hash(key.cred_id().as_slice())),
        name: Set(name.clone()),
        credential: Set(serde_json::to_string(&key).map_err(|e| internal("saving a passkey", e))?),
        sign_count: Set(0),
        created_at: Set(now),
        last_used_at: Set(None),
        added_unverified: Set(!me.email_verified),
    }
    .insert(&*txn)
    .await
    .map_err(|e| match e.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => {
            AppError::Conflict { field: "credential", message: Message::PasskeyTaken }
        }
        _ => e.into(),
    })?;
    Event::new(AuditAction::PasskeyAdded).user(me.id).details(json!({ "passkeyId": row.id, "name": name })).record(
        &mut txn,
        &Origin::of(actor),
        now,
    );
    notice::credential(&*txn, &me, Credential::Passkey(&name), Change::Added, now).await?;
    txn.commit().await?;
    state.outbox.wake();
    Ok(row)
}

/// Removes one of the caller's passkeys; NOT_FOUND for an id that is not one of them.
pub(crate) async fn remove(state: &AppState, actor: &Authenticated, id: Uuid) -> Result<Uuid> {
    actor.person()?;
    let now = state.now();
    let mut txn = state.db.begin_write().await?;
    let me = lock_own(&*txn, actor).await?;
    let found = passkey::Entity::find_by_id(id).filter(passkey::Column::UserId.eq(me.id)).one(&*txn).await?;
    let Some(key) = found else { return Err(AppError::NotFound(Entity::Passkey)) };
    passkey::Entity::delete_by_id(key.id).exec(&*txn).await?;
    Event::new(AuditAction::PasskeyRemoved).user(me.id).details(json!({ "passkeyId": id })).record(
        &mut txn,
        &Origin::of(actor),
        now,
    );
    notice::credential(&*txn, &me, Credential::Passkey(&key.name), Change::Removed, now).await?;
    txn.commit().await?;
    state.outbox.wake();
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(parse_name("  YubiKey 5 ").unwrap(), "YubiKey 5");
        assert!(parse_name("   ").is_err());
        assert!(parse_name(&"x".repeat(101)).is_err());
        assert!(parse_name("a\u{7}b").is_err());
    }
}
