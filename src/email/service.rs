//! The email flows (shared/API.md, Email). A token and the mail that carries it are written
//! in one transaction, so a mail exists exactly when its token does; mails are sent by the
//! outbox's worker, never inside a request.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;

use super::mail::{Content, Kind};
use super::notice;
use super::outbox;
use super::token::{self, Purpose};
use crate::auth::audit::{AuditAction, Event, Origin};
use crate::auth::caller::Authenticated;
use crate::auth::client::ClientInfo;
use crate::auth::credentials;
use crate::auth::session_chain;
use crate::db::changes::Change;
use crate::db::entities::user;
use crate::error::{AppError, FieldErrors, Result};
use crate::i18n::{Locale, Message};
use crate::state::AppState;
use crate::users::domain::{Email, Password};
use crate::users::service::{self as users, lock_own, lock_target};

/// Mails of one purpose an account gets per `WINDOW`: enough to retry a few times, too few
/// to flood an inbox.
const PER_ACCOUNT: usize = 3;
/// The window of `PER_ACCOUNT`.
const WINDOW: chrono::Duration = chrono::Duration::hours(1);

/// The language of a user's mails: its own choice, else what the request asked for.
fn locale_of(user: &user::Model, asked: Locale) -> Locale {
    user.locale.as_deref().and_then(|l| Locale::parse(l).ok()).unwrap_or(asked)
}

/// `Ok(())` while the account may get another mail of this purpose, else how long until it may.
async fn within_limit(
    db: &impl ConnectionTrait,
    user_id: uuid::Uuid,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> Result<std::result::Result<(), Duration>> {
    let made = token::made_since(db, user_id, purpose, now - WINDOW).await?;
    let Some(oldest_counted) = made.len().checked_sub(PER_ACCOUNT).and_then(|i| made.get(i)) else {
        return Ok(Ok(()));
    };
    Ok(Err((*oldest_counted + WINDOW - now).to_std().unwrap_or(Duration::from_secs(1))))
}

/// Makes a token of `purpose` for the user and queues the mail carrying its link to `to`.
async fn mail_link(
    txn: &impl ConnectionTrait,
    state: &AppState,
    user: &user::Model,
    purpose: Purpose,
    new_email: Option<&str>,
    locale: Locale,
    now: DateTime<Utc>,
) -> Result<()> {
    let token: SecretString = token::issue(txn, user.id, purpose, new_email, now).await?;
    let link = format!("{}{}?token={}", state.config.app_url, purpose.path(), token.expose_secret());
    let kind = match purpose {
        Purpose::Verify => Kind::Verify,
        Purpose::Reset => Kind::Reset,
        Purpose::ChangeEmail => Kind::ChangeConfirm,
    };
    let to = new_email.unwrap_or(&user.email);
    let content = Content {
        kind,
        locale,
        name: user.display_name.as_deref().unwrap_or(&user.email),
        address: to,
        link: Some(&link),
        hours: purpose.ttl().num_hours(),
        what: "",
    };
    outbox::enqueue(txn, render(&content, to)?, now).await
}

fn render(content: &Content<'_>, to: &str) -> Result<super::mail::Rendered> {
    content.render(to).map_err(|e| AppError::Internal(anyhow::anyhow!("rendering a mail: {e}")))
}

/// Mails the caller a verification link; nothing when its address is verified already.
pub(crate) async fn send_verification(state: &AppState, actor: &Authenticated, asked: Locale) -> Result<bool> {
    // Self-service: a person's, never an API key's (it does only what its permissions say).
    actor.person()?;
    let now = state.now();
    let txn = state.db.begin_write().await?;
    let user = lock_own(&*txn, actor).await?;
    if user.email_verified {
        return Ok(true);
    }
    within_limit(&*txn, user.id, Purpose::Verify, now)
        .await?
        .map_err(|retry_after| AppError::TooManyRequests { retry_after })?;
    mail_link(&*txn, state, &user, Purpose::Verify, None, locale_of(&user, asked), now).await?;
    txn.commit().await?;
    state.outbox.wake();
    Ok(true)
}

/// Queues the verification mail of a new account, in the transaction that creates it.
pub(crate) async fn welcome(
    txn: &impl ConnectionTrait,
    state: &AppState,
    user: &user::Model,
    asked: Locale,
    now: DateTime<Utc>,
) -> Result<()> {
    mail_link(txn, state, user, Purpose::Verify, None, locale_of(user, asked), now).await
}

/// Marks the address of the token's account verified.
pub(crate) async fn verify(state: &AppState, token: &str, client: &ClientInfo) -> Result<user::Model> {
    let now = state.now();
    // Found (or refused) before the writer's turn is taken: a made-up token costs no write.
    let t = token::find(&state.db.conn, token, Purpose::Verify, now).await?;
    let mut txn = state.db.begin_write().await?;
    token::spend_found(&*txn, &t, now).await?;
    let user = lock_target(&*txn, t.user_id).await?;
    let mut model: user::ActiveModel = user.into();
    model.email_verified = Set(true);
    model.updated_at = Set(now);
    let updated = model.update(&*txn).await?;
    Event::new(AuditAction::EmailVerified).user(updated.id).record(&mut txn, &Origin::anonymous(client), now);
    txn.changed(Change::User(updated.id));
    txn.commit().await?;
    Ok(updated)
}

/// Mails a reset link to the active account with this address, if there is one, at most
/// `PER_ACCOUNT` times an hour. The caller answers `true` whatever happens here, and runs
/// this after answering, so neither the answer nor its timing tells whether the account exists.
pub(crate) async fn request_reset(state: &AppState, email: &Email, client: &ClientInfo, asked: Locale) -> Result<()> {
    let now = state.now();
    let found = user::Entity::find().filter(user::Column::EmailLower.eq(email.lower())).one(&state.db.conn).await?;
    let Some(found) = found.filter(|u| u.is_active) else { return Ok(()) };
    let mut txn = state.db.begin_write().await?;
    let user = lock_target(&*txn, found.id).await?;
    if !user.is_active {
        return Ok(());
    }
    if within_limit(&*txn, user.id, Purpose::Reset, now).await?.is_err() {
        tracing::info!(user = %user.id, "password reset not mailed: this account's hourly limit is reached");
        return Ok(());
    }
    mail_link(&*txn, state, &user, Purpose::Reset, None, locale_of(&user, asked), now).await?;
    Event::new(AuditAction::PasswordResetRequested).user(user.id).record(&mut txn, &Origin::anonymous(client), now);
    txn.commit().await?;
    state.outbox.wake();
    Ok(())
}

/// Sets a new password with a reset link's token: every session ends, a sign-in lock is
/// lifted, every other link of the account stops working, and the address counts as
/// verified (the link reached it). The one who proved the address now owns the account:
/// passkeys, TOTP and API keys added while it was unverified go (a pre-account hijack).
pub(crate) async fn reset_password(
    state: &AppState,
    token: &str,
    new_password: &str,
    client: &ClientInfo,
) -> Result<bool> {
    let password = Password::parse(new_password);
    let found = token::find(&state.db.conn, token, Purpose::Reset, state.now()).await;
    let (password, found) = match (password, found) {
        (Ok(p), Ok(found)) => (p, found),
        (password, found) => {
            let mut fields = match found {
                Err(AppError::BadUserInput(fields)) => fields,
                Err(e) => return Err(e),
                Ok(_) => FieldErrors::new(),
            };
            if let Err(m) = password {
                fields.insert("newPassword", vec![m]);
            }
            return Err(AppError::BadUserInput(fields));
        }
    };
    let hash = state.hasher.hash(password.secret()).await?;
    let now = state.now();
    let mut txn = state.db.begin_write().await?;
    // Found before the hash was paid for; spent now, once, whoever else presents it.
    token::spend_found(&*txn, &found, now).await?;
    let user = lock_target(&*txn, found.user_id).await?;
    if !user.is_active {
        return Err(AppError::bad_field("token", Message::InvalidLink));
    }
    let id = user.id;
    let removed = credentials::remove_added_unverified(&*txn, id).await?;
    notice::removed(&*txn, &user, &removed, now).await?;
    let mut model: user::ActiveModel = user.into();
    model.password_hash = Set(Some(hash));
    model.email_verified = Set(true);
    model.updated_at = Set(now);
    model.update(&*txn).await?;
    let ended = session_chain::revoke_all(&*txn, id, None, now).await?;
    state.throttle.lift(&*txn, id).await?;
    token::spend(&*txn, id, None, now).await?;
    let removed = json!({
        "totp": removed.totp,
        "passkeys": removed.passkeys.len(),
        "apiKeys": removed.api_keys.iter().map(|k| k.id).collect::<Vec<_>>(),
    });
    Event::new(AuditAction::PasswordReset)
        .user(id)
        .details(json!({ "sessionsEnded": ended, "removedAddedUnverified": removed }))
        .record(&mut txn, &Origin::anonymous(client), now);
    txn.changed(Change::User(id));
    txn.commit().await?;
    state.outbox.wake();
    Ok(true)
}

/// Mails a confirmation link to `new_email` and a notice to the current address. The
/// current password is checked like a sign-in (a wrong one counts towards the lockout).
pub(crate) async fn request_email_change(
    state: &AppState,
    actor: &Authenticated,
    new_email: &str,
    current_password: &str,
    asked: Locale,
) -> Result<bool> {
    // An address is where a password is recovered: keys never change it.
    actor.person()?;
    let new = Email::parse(new_email).map_err(|m| AppError::bad_field("newEmail", m));
    let current = crate::users::service::check_current_password(state, actor, current_password).await?;
    let new = new?;
    if new.lower() == current.email_lower {
        return Err(AppError::bad_field("newEmail", Message::SameEmail));
    }
    let now = state.now();
    let txn = state.db.begin_write().await?;
    let user = lock_own(&*txn, actor).await?;
    within_limit(&*txn, user.id, Purpose::ChangeEmail, now)
        .await?
        .map_err(|retry_after| AppError::TooManyRequests { retry_after })?;
    let taken = user::Entity::find().filter(user::Column::EmailLower.eq(new.lower())).one(&*txn).await?;
    if taken.is_some() {
        return Err(AppError::Conflict { field: "newEmail", message: Message::EmailTaken });
    }
    let locale = locale_of(&user, asked);
    mail_link(&*txn, state, &user, Purpose::ChangeEmail, Some(new.as_str()), locale, now).await?;
    let notice = Content {
        kind: Kind::ChangeNotice,
        locale,
        name: user.display_name.as_deref().unwrap_or(&user.email),
        address: new.as_str(),
        link: None,
        hours: Purpose::ChangeEmail.ttl().num_hours(),
        what: "",
    };
    outbox::enqueue(&*txn, render(&notice, &user.email)?, now).await?;
    txn.commit().await?;
    state.outbox.wake();
    Ok(true)
}

/// Makes the token's new address the account's (verified: the link reached it); CONFLICT
/// when another account took it meanwhile.
pub(crate) async fn confirm_email_change(state: &AppState, token: &str, client: &ClientInfo) -> Result<user::Model> {
    let now = state.now();
    // Found (or refused) before the writer's turn is taken: a made-up token costs no write.
    let t = token::find(&state.db.conn, token, Purpose::ChangeEmail, now).await?;
    let mut txn = state.db.begin_write().await?;
    token::spend_found(&*txn, &t, now).await?;
    let user = lock_target(&*txn, t.user_id).await?;
    let new = t.new_email.as_deref().map(Email::parse);
    let (true, Some(Ok(new))) = (user.is_active, new) else {
        return Err(AppError::bad_field("token", Message::InvalidLink));
    };
    let id = user.id;
    let updated = users::set_email(&*txn, user, &new, true, now).await?;
    token::spend(&*txn, id, None, now).await?;
    Event::new(AuditAction::EmailChanged).user(id).details(json!({ "fields": ["email"] })).record(
        &mut txn,
        &Origin::anonymous(client),
        now,
    );
    txn.changed(Change::User(id));
    txn.commit().await?;
    Ok(updated)
}
