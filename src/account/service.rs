//! The account flows, over the auth primitives and the users service.

use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use secrecy::SecretString;
use serde_json::json;
use uuid::Uuid;

use crate::auth::audit::{AuditAction, Event, Origin};
use crate::auth::caller::{Authenticated, Caller};
use crate::auth::client::ClientInfo;
use crate::auth::session_chain::{self, Ending};
use crate::auth::throttle::{Attempt, Counted};
use crate::auth::tokens;
use crate::db::changes::Change;
use crate::db::entities::user;
use crate::email;
use crate::error::{AppError, AuthFailure, Refusal, Result};
use crate::i18n::Locale;
use crate::mfa;
use crate::mfa::service::Verdict;
use crate::roles;
use crate::state::AppState;
use crate::users::domain::Password;
use crate::users::service::{self as users, NewUser};

/// Tokens for a session, and its user.
#[derive(Debug)]
pub(crate) struct Issued {
    /// The access token (JWT).
    pub access_token: String,
    /// The refresh token; shown once, never stored.
    pub refresh_token: SecretString,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    /// The user's id.
    pub user_id: Uuid,
    /// The user's row, when the flow read it anyway (a refresh does not).
    pub user: Option<user::Model>,
}

/// Signs the access token of a session, with the user's roles and application permissions
/// as of now.
async fn issue(
    state: &AppState,
    user_id: Uuid,
    user: Option<user::Model>,
    session_id: Uuid,
    refresh_token: SecretString,
) -> Result<Issued> {
    let settings = &state.tokens.settings;
    let grants = roles::service::grants_of(&state.db.conn, user_id).await?;
    let access_token = tokens::sign(&state.keys, settings, user_id, session_id, grants, state.now())?;
    Ok(Issued { access_token, refresh_token, expires_in: settings.ttl.as_secs(), user_id, user })
}

fn wrong_credentials() -> AppError {
    AppError::Unauthenticated(AuthFailure::WrongCredentials)
}

/// Signs in by username or email (case-insensitive). Unknown account, wrong password and
/// inactive account get the same answer after the same work: the attempt is claimed on a
/// counter (the account's, or the identifier's when there is no account) and a password is
/// always verified, against a dummy hash when there is no account.
pub(crate) async fn login(state: &AppState, identifier: &str, password: &str, client: &ClientInfo) -> Result<Issued> {
    let db = &state.db;
    let ident = identifier.trim().to_lowercase();
    let found = users::by_identifier(&db.conn, &ident).await?;
    let counted = match &found {
        Some(u) => Counted::Account(u.id),
        None => Counted::Identifier(&ident),
    };
    let attempt = state.throttle.claim(db, counted, state.now()).await?;
    let secret = SecretString::from(password);
    let matched = state.hasher.verify(&secret, found.as_ref().and_then(|u| u.password_hash.as_deref())).await?;
    let now = state.now();
    let origin = Origin::anonymous(client);
    let u = match found {
        Some(u) if matched && u.is_active => u,
        found => {
            let reason = match &found {
                None => "unknownAccount",
                Some(_) if !matched => "wrongPassword",
                Some(_) => "inactive",
            };
            // Without the identifier: people type their password into that box.
            users::failed_attempt(state, attempt, found.map(|u| u.id), reason, &origin).await?;
            return Err(wrong_credentials());
        }
    };
    if state.config.require_verified_email && !u.email_verified {
        // The password was right, so the counter is not charged; but no session opens.
        let mut txn = db.begin_write().await?;
        state.throttle.succeeded_in(&*txn, &attempt, now).await?;
        Event::new(AuditAction::LoginFailed)
            .user(u.id)
            .details(json!({ "reason": "emailNotVerified" }))
            .record(&mut txn, &origin, now);
        txn.commit().await?;
        attempt.settled();
        return Err(AppError::Refused(Refusal::EmailNotVerified));
    }
    // Parameters were raised since this hash was made: replace it while we know the password.
    let rehashed = match u.password_hash.as_deref() {
        Some(h) if state.hasher.needs_rehash(h) => Some(state.hasher.hash(&secret).await?),
        _ => None,
    };
    let methods = mfa::service::second_steps_of(&db.conn, u.id).await?;
    if !methods.is_empty() {
        let user_id = u.id;
        // The password is not enough. The counter is not reset: wrong codes count towards
        // the same lock, so a password does not buy fresh guesses at the code.
        if let Some(h) = rehashed {
            // Only over the hash that was checked: a password set meanwhile is kept.
            let _turn = db.write_turn().await;
            user::Entity::update_many()
                .col_expr(user::Column::PasswordHash, Expr::value(h))
                .filter(user::Column::Id.eq(user_id))
                .filter(user::Column::PasswordHash.eq(u.password_hash.clone()))
                .exec(&db.conn)
                .await?;
        }
        let token = mfa::service::challenge(state, user_id, now).await?;
        state.throttle.release(db, attempt).await?;
        return Err(AppError::MfaRequired { token, methods: methods.into_iter().map(mfa::MfaMethod::name).collect() });
    }
    signed_in(state, Some(attempt), u, rehashed, Proof::Password, client).await
}

/// What signed a user in.
enum Proof {
    /// A password alone.
    Password,
    /// A password, then this second-step token and code.
    Code(Uuid, Verdict),
    /// A passkey (by itself: it is something held and something known or being).
    Passkey(Box<mfa::passkey::Verified>),
}

impl Proof {
    /// How the audit log names the method.
    fn method(&self) -> &'static str {
        match self {
            Self::Password => "password",
            Self::Code(_, v) => v.method(),
            Self::Passkey(_) => "passkey",
        }
    }
}

/// The end of every successful sign-in, in one transaction: the attempt settled (failures
/// forgotten), `lastLoginAt`, a new password hash if one was made, the second factor or
/// passkey spent (false when a request at the same moment spent it first: no sign-in), the
/// session and its event.
async fn signed_in(
    state: &AppState,
    attempt: Option<Attempt>,
    u: user::Model,
    rehashed: Option<String>,
    proof: Proof,
    client: &ClientInfo,
) -> Result<Issued> {
    let now = state.now();
    let mut txn = state.db.begin_write().await?;
    // What was checked was read before the check. A password set or an account deactivated
    // or deleted meanwhile ended every session of it: one opened now, on the strength of
    // the old row, would outlive that. The row stays locked until the session is open.
    let current = match users::lock_target(&*txn, u.id).await {
        Err(AppError::NotFound(_)) => return Err(wrong_credentials()),
        found => found?,
    };
    let password_changed = matches!(proof, Proof::Password) && current.password_hash != u.password_hash;
    if !current.is_active || password_changed {
        return Err(wrong_credentials());
    }
    let spent = match &proof {
        Proof::Password => true,
        Proof::Code(challenge, verdict) => mfa::service::spend(&*txn, *challenge, u.id, *verdict, now).await?,
        Proof::Passkey(used) => mfa::passkey::spend(&*txn, used, now).await?,
    };
    if !spent {
        return Err(wrong_credentials());
    }
    if let Some(attempt) = &attempt {
        state.throttle.succeeded_in(&*txn, attempt, now).await?;
    }
    let mut model: user::ActiveModel = current.into();
    model.last_login_at = Set(Some(now));
    if let Some(h) = rehashed {
        model.password_hash = Set(Some(h));
    }
    let u = model.update(&*txn).await?;
    let (session, refresh) = session_chain::open(&*txn, &state.secrets, u.id, client, now, &state.lifetimes).await?;
    let mut details = json!({ "method": proof.method(), "sessionId": session.id });
    if let Proof::Passkey(used) = &proof {
        details["passkeyId"] = json!(used.passkey.id);
    }
    Event::new(AuditAction::LoginSucceeded).user(u.id).details(details).record(
        &mut txn,
        &Origin::anonymous(client).as_user(u.id),
        now,
    );
    // `lastLoginAt` is part of what a live session caches about its user.
    txn.changed(Change::User(u.id));
    txn.commit().await?;
    if let Some(attempt) = attempt {
        attempt.settled();
    }
    issue(state, u.id, Some(u), session.id, refresh).await
}

/// The second step of a sign-in: the `mfaToken` `login` gave and a TOTP or recovery code.
/// A wrong code counts against the account like a wrong password; the token and the code
/// each work once.
pub(crate) async fn complete_login(
    state: &AppState,
    mfa_token: &str,
    code: &str,
    client: &ClientInfo,
) -> Result<Issued> {
    let now = state.now();
    let Some(challenge) = mfa::service::find_challenge(&state.db.conn, mfa_token, now).await? else {
        return Err(AppError::Unauthenticated(AuthFailure::InvalidToken));
    };
    let attempt = state.throttle.claim(&state.db, Counted::Account(challenge.user_id), now).await?;
    let Some(u) = users::get(&state.db.conn, challenge.user_id).await?.filter(|u| u.is_active) else {
        return Err(AppError::Unauthenticated(AuthFailure::Revoked));
    };
    let verdict = mfa::service::check_code(state, u.id, code, state.now()).await?;
    if verdict == Verdict::Wrong {
        users::failed_attempt(state, attempt, Some(u.id), "wrongCode", &Origin::anonymous(client)).await?;
        return Err(wrong_credentials());
    }
    signed_in(state, Some(attempt), u, None, Proof::Code(challenge.id, verdict), client).await
}

/// A sign-in with a passkey: the ceremony `beginPasskeyLogin` began, answered by the
/// authenticator. Complete by itself (no second step), and apart from the password's
/// lockout: a passkey is not guessed, so guesses at the password do not lock it out.
pub(crate) async fn passkey_login(
    state: &AppState,
    challenge_id: &str,
    credential: serde_json::Value,
    client: &ClientInfo,
) -> Result<Issued> {
    use mfa::passkey::Assertion;
    let origin = Origin::anonymous(client);
    let used = match mfa::passkey::verify_login(state, challenge_id, credential).await? {
        Assertion::Verified(used) => used,
        Assertion::NoChallenge => return Err(AppError::Unauthenticated(AuthFailure::InvalidToken)),
        Assertion::Refused(key, why) => {
            return passkey_refused(state, key.map(|k| (k.user_id, k.id)), why.reason(), &origin).await;
        }
    };
    let Some(u) = users::get(&state.db.conn, used.passkey.user_id).await?.filter(|u| u.is_active) else {
        return passkey_refused(state, Some((used.passkey.user_id, used.passkey.id)), "inactive", &origin).await;
    };
    if state.config.require_verified_email && !u.email_verified {
        return Err(AppError::Refused(Refusal::EmailNotVerified));
    }
    signed_in(state, None, u, None, Proof::Passkey(used), client).await
}

/// Records a refused passkey sign-in (the user and passkey when one was found); the
/// answer is the one a wrong password gets.
async fn passkey_refused<T>(state: &AppState, key: Option<(Uuid, Uuid)>, reason: &str, origin: &Origin) -> Result<T> {
    let now = state.now();
    let mut txn = state.db.begin_write().await?;
    let event = Event::new(AuditAction::LoginFailed);
    let event = match key {
        Some((user, passkey)) => event.user(user).details(json!({ "reason": reason, "passkeyId": passkey })),
        None => event.details(json!({ "reason": reason })),
    };
    event.record(&mut txn, origin, now);
    txn.commit().await?;
    Err(wrong_credentials())
}

/// Creates an account with the default role, mails it a verification link, and signs it
/// in; where verified addresses are required, the account is created and mailed but the
/// answer is FORBIDDEN (EMAIL_NOT_VERIFIED), as `login` would answer.
pub(crate) async fn register(state: &AppState, new: NewUser, client: &ClientInfo, locale: Locale) -> Result<Issued> {
    if !state.config.allow_registration {
        return Err(AppError::Refused(Refusal::RegistrationClosed));
    }
    let role = roles::service::by_name(&state.db.conn, &state.config.default_role).await?.ok_or_else(|| {
        AppError::Internal(anyhow::anyhow!("the default role {:?} does not exist", state.config.default_role))
    })?;
    let hash = match &new.password {
        Some(p) => Some(state.hasher.hash(p.secret()).await?),
        None => None,
    };
    let now = state.now();
    let new = NewUser { role_ids: vec![role.id], is_active: true, email_verified: false, ..new };
    let fields = new.field_names();
    let mut txn = state.db.begin_write().await?;
    let (created, _) = users::insert(&*txn, None, new, hash, now).await?;
    email::service::welcome(&*txn, state, &created, locale, now).await?;
    let origin = Origin::anonymous(client).as_user(created.id);
    let event = Event::new(AuditAction::UserRegistered).user(created.id);
    if state.config.require_verified_email {
        event.details(json!({ "fields": fields, "roles": [role.name] })).record(&mut txn, &origin, now);
        txn.commit().await?;
        state.outbox.wake();
        return Err(AppError::Refused(Refusal::EmailNotVerified));
    }
    let (session, refresh) =
        session_chain::open(&*txn, &state.secrets, created.id, client, now, &state.lifetimes).await?;
    event
        .details(json!({ "fields": fields, "roles": [role.name], "sessionId": session.id }))
        .record(&mut txn, &origin, now);
    txn.commit().await?;
    state.outbox.wake();
    issue(state, created.id, Some(created), session.id, refresh).await
}

/// Exchanges a refresh token for new tokens (rotation, reuse detection).
pub(crate) async fn refresh(state: &AppState, presented: &SecretString, client: &ClientInfo) -> Result<Issued> {
    let rotated = session_chain::rotate(&state.db, &state.secrets, presented, client, state.now(), &state.lifetimes)
        .await
        .inspect_err(|e| {
            if let AppError::Unauthenticated(reason) = e {
                tracing::debug!(?reason, "refresh token refused")
            }
        })?;
    issue(state, rotated.user_id, None, rotated.session_id, rotated.token).await
}

/// Ends the caller's session; with only a refresh token (an expired access token), ends
/// that token's session.
pub(crate) async fn logout(
    state: &AppState,
    caller: &Caller,
    refresh: Option<&SecretString>,
    client: &ClientInfo,
) -> Result<bool> {
    let now = state.now();
    let by_refresh = refresh.and_then(|t| session_chain::session_of(&state.secrets, t));
    match (caller, by_refresh) {
        (Caller::Authenticated(a), _) => {
            session_chain::revoke(&state.db, a.person()?, now, Ending::Logout(client)).await?;
            Ok(true)
        }
        (_, Some(session)) => {
            session_chain::revoke(&state.db, session, now, Ending::Logout(client)).await?;
            Ok(true)
        }
        (Caller::Unavailable, None) => Err(AppError::Internal(anyhow::anyhow!("the session could not be checked"))),
        (Caller::Rejected(reason), None) => Err(AppError::Unauthenticated(*reason)),
        (Caller::Anonymous, None) => Err(AppError::Unauthenticated(AuthFailure::Missing)),
    }
}

/// Changes the caller's own password; the caller's session stays, the others end. A wrong
/// current password counts against the account like a failed sign-in.
pub(crate) async fn change_password(state: &AppState, actor: &Authenticated, current: &str, new: &str) -> Result<bool> {
    let session = actor.person()?;
    let new = Password::parse(new).map_err(|m| AppError::bad_field("newPassword", m));
    let u = users::check_current_password(state, actor, current).await?;
    let new = new?;
    users::set_password(state, actor, u.id, &new, Some(session)).await?;
    Ok(true)
}
