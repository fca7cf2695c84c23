//! Proof that the account's owner is at the keyboard: the current password (a wrong one
//! counts like a failed sign-in), or a recent sign-in of the session. Every feature that
//! changes how an account is reached asks here.

use secrecy::SecretString;
use serde_json::json;
use uuid::Uuid;

use crate::auth::audit::{AuditAction, Event, Origin};
use crate::auth::caller::Authenticated;
use crate::auth::throttle::{Attempt, Counted};
use crate::db::entities::user;
use crate::error::{AppError, AuthFailure, Refusal, Result};
use crate::i18n::Message;
use crate::state::AppState;

/// The caller's own row, once `current` is its password. A wrong one counts against the
/// account like a failed sign-in and is BAD_USER_INPUT on `currentPassword`.
pub(crate) async fn check_current_password(
    state: &AppState,
    actor: &Authenticated,
    current: &str,
) -> Result<user::Model> {
    let db = &state.db;
    let attempt = state.throttle.claim(db, Counted::Account(actor.user_id), state.now()).await?;
    let Some(u) = super::get(&db.conn, actor.user_id).await? else {
        return Err(AppError::Unauthenticated(AuthFailure::Revoked));
    };
    if !state.hasher.verify(&SecretString::from(current), u.password_hash.as_deref()).await? {
        failed_attempt(state, attempt, Some(u.id), "wrongCurrentPassword", &Origin::of(actor)).await?;
        return Err(AppError::bad_field("currentPassword", Message::WrongPassword));
    }
    state.throttle.succeeded(db, attempt, state.now()).await?;
    Ok(u)
}

/// Proof that the owner is at the keyboard before a credential is added or the address
/// changed (ASVS 4 §3.7, GitHub's "sudo mode"): the current password, or a sign-in of this
/// session within GERBANG_SUDO_WINDOW. A stolen access token of an older session cannot turn
/// itself into a passkey, a TOTP secret or an API key that would outlive a password reset.
pub(crate) async fn prove_presence(state: &AppState, actor: &Authenticated, current: Option<&str>) -> Result<()> {
    actor.person()?;
    if let Some(current) = current {
        return check_current_password(state, actor, current).await.map(drop);
    }
    let window = chrono::Duration::from_std(state.config.sudo_window).unwrap_or(chrono::Duration::MAX);
    match actor.signed_in_at {
        Some(at) if state.now() - at <= window => Ok(()),
        _ => Err(AppError::Refused(Refusal::RecentSignInRequired)),
    }
}

/// Counts a failed password check against its counter and records it (and the lock it
/// set, if it set one), in one transaction.
pub(crate) async fn failed_attempt(
    state: &AppState,
    attempt: Attempt,
    account: Option<Uuid>,
    reason: &str,
    origin: &Origin,
) -> Result<()> {
    let now = state.now();
    let mut txn = state.db.begin_write().await?;
    let locked = state.throttle.failed_in(&*txn, &attempt, now).await?;
    if locked.is_some() {
        state.metrics.lockout();
    }
    let event = Event::new(AuditAction::LoginFailed).details(json!({ "reason": reason }));
    let event = match account {
        Some(id) => event.user(id),
        None => event,
    };
    event.record(&mut txn, origin, now);
    if let (Some(id), Some(until)) = (account, locked) {
        Event::new(AuditAction::AccountLocked)
            .user(id)
            .details(json!({ "lockedUntil": until }))
            .record(&mut txn, origin, now);
    }
    txn.commit().await?;
    attempt.settled();
    Ok(())
}
