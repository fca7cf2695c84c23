//! TOTP enrolment and removal, recovery codes, and the second step of a sign-in. Every
//! change is made under the user's row lock, in one transaction with its audit event.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait as _};
use std::collections::HashMap;

use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set};
use serde_json::json;
use uuid::Uuid;

use super::domain::MfaMethod;
use super::{sealed, totp};
use crate::auth::audit::{AuditAction, Event, Origin};
use crate::auth::caller::Authenticated;
use crate::auth::credentials::{self, Removed, Which};
use crate::auth::one_time::{self, Fresh, Kind, MFA_TOKENS, RECOVERY_CODES};
use crate::db::changes::Change;
use crate::db::entities::{mfa_challenge, mfa_totp, passkey, recovery_code, user};
use crate::email::notice::{self, Credential};
use crate::error::{AppError, Result};
use crate::i18n::Message;
use crate::state::AppState;
use crate::users::service::{lock_own, lock_target, may_manage};

/// How long an `mfaToken` works.
const CHALLENGE_TTL: chrono::Duration = chrono::Duration::minutes(5);

/// How many recovery codes a user holds.
const RECOVERY_CODE_COUNT: usize = 10;

fn internal(e: String) -> AppError {
    AppError::Internal(anyhow::anyhow!(e))
}

/// The issuer an authenticator app shows: `GERBANG_JWT_ISSUER`, or its host when it is a URL.
fn issuer(state: &AppState) -> String {
    let issuer = &state.config.jwt_issuer;
    url::Url::parse(issuer)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| issuer.replace(':', ""))
}

async fn confirmed_totp(db: &impl ConnectionTrait, user_id: Uuid) -> Result<Option<mfa_totp::Model>> {
    Ok(mfa_totp::Entity::find_by_id(user_id).one(db).await?.filter(|t| t.confirmed_at.is_some()))
}

/// What `completeLogin` accepts after the user's password (empty: the password is enough):
/// TOTP and recovery codes, never passkeys, which sign in by themselves. Two statements at
/// most, none for passkeys: this is on every password sign-in.
pub(crate) async fn second_steps_of(db: &impl ConnectionTrait, user_id: Uuid) -> Result<Vec<MfaMethod>> {
    Ok(second_steps_of_many(db, &[user_id]).await?.remove(&user_id).unwrap_or_default())
}

/// `methods_of` for several users in three statements (a page of users asks through a
/// DataLoader).
pub(crate) async fn methods_of_many(
    db: &impl ConnectionTrait,
    user_ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<MfaMethod>>, sea_orm::DbErr> {
    let mut out = second_steps_of_many(db, user_ids).await?;
    let with_passkeys: Vec<Uuid> = passkey::Entity::find()
        .select_only()
        .column(passkey::Column::UserId)
        .distinct()
        .filter(passkey::Column::UserId.is_in(user_ids.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    for id in with_passkeys {
        out.entry(id).or_default().push(MfaMethod::Passkey);
    }
    Ok(out)
}

/// `second_steps_of` for several users: TOTP, then recovery codes while unused ones remain.
async fn second_steps_of_many(
    db: &impl ConnectionTrait,
    user_ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<MfaMethod>>, sea_orm::DbErr> {
    let mut out: HashMap<Uuid, Vec<MfaMethod>> = user_ids.iter().map(|id| (*id, Vec::new())).collect();
    let with_totp: Vec<Uuid> = mfa_totp::Entity::find()
        .select_only()
        .column(mfa_totp::Column::UserId)
        .filter(mfa_totp::Column::UserId.is_in(user_ids.iter().copied()))
        .filter(mfa_totp::Column::ConfirmedAt.is_not_null())
        .into_tuple()
        .all(db)
        .await?;
    if with_totp.is_empty() {
        return Ok(out);
    }
    let with_codes: Vec<Uuid> = recovery_code::Entity::find()
        .select_only()
        .column(recovery_code::Column::UserId)
        .distinct()
        .filter(recovery_code::Column::UserId.is_in(with_totp.iter().copied()))
        .filter(recovery_code::Column::UsedAt.is_null())
        .into_tuple()
        .all(db)
        .await?;
    for id in with_totp {
        let methods = out.entry(id).or_default();
        methods.push(MfaMethod::Totp);
        if with_codes.contains(&id) {
            methods.push(MfaMethod::RecoveryCode);
        }
    }
    Ok(out)
}

/// The caller's own row, locked; a person only (a key never changes how its owner signs in).
async fn lock_self(txn: &impl ConnectionTrait, actor: &Authenticated) -> Result<user::Model> {
    actor.person()?;
    lock_own(txn, actor).await
}

/// A pending enrolment: a new secret and how an authenticator app takes it. Nothing changes
/// for sign-in until `confirm_enrollment`.
pub(crate) async fn begin_enrollment(
    state: &AppState,
    actor: &Authenticated,
    current: Option<&str>,
) -> Result<(String, String, String)> {
    crate::users::service::prove_presence(state, actor, current).await?;
    let now = state.now();
    let txn = state.db.begin_write().await?;
    let user = lock_self(&*txn, actor).await?;
    if confirmed_totp(&*txn, user.id).await?.is_some() {
        return Err(AppError::Conflict { field: "totp", message: Message::TotpAlreadyOn });
    }
    let secret = totp::new_secret();
    let (uri, svg) = totp::provisioning(&secret, &issuer(state), &user.email).map_err(internal)?;
    mfa_totp::Entity::delete_by_id(user.id).exec(&*txn).await?;
    mfa_totp::ActiveModel {
        user_id: Set(user.id),
        secret: Set(sealed::seal(state, user.id, &secret)?),
        created_at: Set(now),
        confirmed_at: Set(None),
        last_step: Set(None),
        added_unverified: Set(!user.email_verified),
    }
    .insert(&*txn)
    .await?;
    txn.commit().await?;
    Ok((secret, uri, svg))
}

/// Replaces the user's recovery codes with ten new ones, returned once.
async fn replace_recovery_codes(txn: &impl ConnectionTrait, user_id: Uuid) -> Result<Vec<String>> {
    recovery_code::Entity::delete_many().filter(recovery_code::Column::UserId.eq(user_id)).exec(txn).await?;
    let codes: Vec<Fresh> = (0..RECOVERY_CODE_COUNT).map(|_| Kind::RecoveryCode.generate()).collect();
    let rows = codes.iter().map(|c| recovery_code::ActiveModel {
        id: Set(RECOVERY_CODES.new_id()),
        user_id: Set(user_id),
        code_hash: Set(c.hash.clone()),
        used_at: Set(None),
    });
    recovery_code::Entity::insert_many(rows).exec(txn).await?;
    Ok(codes.into_iter().map(|c| c.secret).collect())
}

/// Turns TOTP on once a code from the app proves it was set up; returns the recovery codes.
pub(crate) async fn confirm_enrollment(state: &AppState, actor: &Authenticated, code: &str) -> Result<Vec<String>> {
    let now = state.now();
    let mut txn = state.db.begin_write().await?;
    let user = lock_self(&*txn, actor).await?;
    let pending = mfa_totp::Entity::find_by_id(user.id).one(&*txn).await?;
    let Some(pending) = pending.filter(|t| t.confirmed_at.is_none()) else {
        return Err(AppError::Conflict { field: "code", message: Message::NoTotpEnrollment });
    };
    let Some(step) = totp::step_of(&sealed::open(state, &pending)?, code, now).map_err(internal)? else {
        return Err(AppError::bad_field("code", Message::WrongCode));
    };
    let mut row: mfa_totp::ActiveModel = pending.into();
    row.confirmed_at = Set(Some(now));
    row.last_step = Set(Some(step));
    row.added_unverified = Set(!user.email_verified);
    row.update(&*txn).await?;
    let codes = replace_recovery_codes(&*txn, user.id).await?;
    Event::new(AuditAction::MfaEnabled).user(user.id).details(json!({ "method": "TOTP" })).record(
        &mut txn,
        &Origin::of(actor),
        now,
    );
    notice::credential(&*txn, &user, Credential::Totp, notice::Change::Added, now).await?;
    txn.commit().await?;
    state.outbox.wake();
    Ok(codes)
}

/// Ten new recovery codes (the old ones stop working), after the current password.
pub(crate) async fn regenerate_recovery_codes(
    state: &AppState,
    actor: &Authenticated,
    current_password: &str,
) -> Result<Vec<String>> {
    actor.person()?;
    crate::users::service::check_current_password(state, actor, current_password).await?;
    let now = state.now();
    let mut txn = state.db.begin_write().await?;
    let user = lock_self(&*txn, actor).await?;
    if confirmed_totp(&*txn, user.id).await?.is_none() {
        return Err(AppError::Conflict { field: "totp", message: Message::TotpNotOn });
    }
    let codes = replace_recovery_codes(&*txn, user.id).await?;
    Event::new(AuditAction::RecoveryCodesRegenerated).user(user.id).record(&mut txn, &Origin::of(actor), now);
    txn.commit().await?;
    Ok(codes)
}

/// Turns TOTP off, after the current password; false when it was not on.
pub(crate) async fn disable(state: &AppState, actor: &Authenticated, current_password: &str) -> Result<bool> {
    actor.person()?;
    crate::users::service::check_current_password(state, actor, current_password).await?;
    let now = state.now();
    let mut txn = state.db.begin_write().await?;
    let user = lock_self(&*txn, actor).await?;
    let was_on = credentials::remove_totp(&*txn, user.id, Which::All).await?;
    if was_on {
        Event::new(AuditAction::MfaDisabled).user(user.id).details(json!({ "method": "TOTP" })).record(
            &mut txn,
            &Origin::of(actor),
            now,
        );
        notice::credential(&*txn, &user, Credential::Totp, notice::Change::Removed, now).await?;
    }
    txn.commit().await?;
    state.outbox.wake();
    Ok(was_on)
}

/// An administrator removes a user's second factors and passkeys (a lost phone); never
/// those of a user holding permissions the administrator lacks.
pub(crate) async fn reset_user(state: &AppState, actor: &Authenticated, user_id: Uuid) -> Result<bool> {
    actor.person()?;
    let now = state.now();
    let mut txn = state.db.begin_write().await?;
    let target = lock_target(&*txn, user_id).await?;
    may_manage(actor, &*txn, user_id).await?;
    let was_on = credentials::remove_totp(&*txn, user_id, Which::All).await?;
    let passkeys = credentials::remove_passkeys(&*txn, user_id, Which::All).await?;
    Event::new(AuditAction::MfaDisabled)
        .user(user_id)
        .details(json!({ "reset": true, "wasOn": was_on, "passkeysRemoved": passkeys.len() }))
        .record(&mut txn, &Origin::of(actor), now);
    notice::removed(&*txn, &target, &Removed { totp: was_on, passkeys, api_keys: Vec::new() }, now).await?;
    txn.changed(Change::User(user_id));
    txn.commit().await?;
    state.outbox.wake();
    Ok(true)
}

/// Starts the second step of a sign-in: a new `mfaToken`, single use, for five minutes.
pub(crate) async fn challenge(state: &AppState, user_id: Uuid, now: DateTime<Utc>) -> Result<String> {
    let fresh = Kind::Token.generate();
    let _turn = state.db.write_turn().await;
    mfa_challenge::ActiveModel {
        id: Set(MFA_TOKENS.new_id()),
        user_id: Set(user_id),
        token_hash: Set(fresh.hash),
        created_at: Set(now),
        expires_at: Set(now + CHALLENGE_TTL),
        spent_at: Set(None),
    }
    .insert(&state.db.conn)
    .await?;
    Ok(fresh.secret)
}

/// The live challenge `token` names, if any.
pub(crate) async fn find_challenge(
    db: &impl ConnectionTrait,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<mfa_challenge::Model>> {
    one_time::find_live(db, &MFA_TOKENS, token, Condition::all(), now).await
}

/// What a second-step code turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// A TOTP code of this step, newer than the last accepted.
    Totp(i64),
    /// This unused recovery code.
    RecoveryCode(Uuid),
    /// Neither.
    Wrong,
}

impl Verdict {
    /// How the audit log names the method.
    pub(crate) fn method(self) -> &'static str {
        match self {
            Self::Totp(_) => "totp",
            Self::RecoveryCode(_) => "recoveryCode",
            Self::Wrong => "none",
        }
    }
}

/// Checks a code against the user's TOTP (six digits) or unused recovery codes.
pub(crate) async fn check_code(state: &AppState, user_id: Uuid, code: &str, now: DateTime<Utc>) -> Result<Verdict> {
    let db = &state.db.conn;
    let Some(totp_row) = confirmed_totp(db, user_id).await? else { return Ok(Verdict::Wrong) };
    let code = code.trim();
    if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) {
        let step = totp::step_of(&sealed::open_in_use(state, &totp_row).await?, code, now).map_err(internal)?;
        return Ok(match step {
            // A code works once: its step, and any before it, are spent.
            Some(s) if totp_row.last_step.is_none_or(|last| s > last) => Verdict::Totp(s),
            _ => Verdict::Wrong,
        });
    }
    let of_user = Condition::all().add(recovery_code::Column::UserId.eq(user_id));
    let found = one_time::find_live(db, &RECOVERY_CODES, code, of_user, now).await?;
    Ok(found.map_or(Verdict::Wrong, |c| Verdict::RecoveryCode(c.id)))
}

/// Spends the challenge and the code in the caller's transaction; false when a request
/// presenting either at the same moment spent it first.
pub(crate) async fn spend(
    txn: &impl ConnectionTrait,
    challenge: Uuid,
    user_id: Uuid,
    verdict: Verdict,
    now: DateTime<Utc>,
) -> Result<bool> {
    if !one_time::spend(txn, &MFA_TOKENS, challenge, Condition::all(), now).await? {
        return Ok(false);
    }
    Ok(match verdict {
        Verdict::Totp(step) => {
            let used = mfa_totp::Entity::update_many()
                .col_expr(mfa_totp::Column::LastStep, Expr::value(step))
                .filter(mfa_totp::Column::UserId.eq(user_id))
                .filter(mfa_totp::Column::LastStep.is_null().or(mfa_totp::Column::LastStep.lt(step)))
                .exec(txn)
                .await?;
            used.rows_affected == 1
        }
        Verdict::RecoveryCode(id) => one_time::spend(txn, &RECOVERY_CODES, id, Condition::all(), now).await?,
        Verdict::Wrong => false,
    })
}
