//! Passkeys (WebAuthn) with webauthn-rs: registering, listing and removing them, and the
//! first half of a sign-in (its second half opens a session, in `account`).
//!
//! Every ceremony's state is a row of `passkey_challenges`, so any instance finishes what
//! another began; a finish takes its row once (`auth::one_time::take`), whatever the outcome
//! after it, so a challenge answers once. Every sign-in, with or without a name, is the
//! same ceremony (webauthn-rs's discoverable one): a name only adds `allowCredentials` to
//! the options, and the credential is then checked to be that account's.
//!
//! `relying_party` reads the configuration, `register` adds and removes passkeys, `login`
//! begins and checks a sign-in; the ceremony rows they share are kept here.

mod login;
mod register;
mod relying_party;

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use sha2::{Digest, Sha256};
use uuid::Uuid;
use webauthn_rs::prelude::{Passkey, Webauthn};

pub(crate) use login::{Assertion, Verified, begin_login, spend, verify_login};
pub(crate) use register::{begin_registration, finish_registration, of_users, remove};
pub(crate) use relying_party::relying_party;

use crate::auth::one_time::{self, PASSKEY_CEREMONIES};
use crate::db::entities::{passkey, passkey_challenge};
use crate::error::{AppError, Result};
use crate::state::AppState;

/// How long a ceremony may take (also the `timeout` the browser is given).
const CHALLENGE_TTL: std::time::Duration = std::time::Duration::from_secs(300);

fn rp(state: &AppState) -> Result<&Webauthn> {
    state.webauthn.as_deref().ok_or(AppError::Refused(crate::error::Refusal::PasskeysDisabled))
}

fn internal(what: &str, e: impl std::fmt::Display) -> AppError {
    AppError::Internal(anyhow::anyhow!("{what}: {e}"))
}

/// How a credential id is looked up.
fn credential_hash(raw_id: &[u8]) -> String {
    hex::encode(Sha256::digest(raw_id))
}

/// What a ceremony's begin hands the browser.
#[derive(Debug)]
pub(crate) struct Begun {
    /// The `challengeId` the finish names.
    pub id: Uuid,
    /// The options for `navigator.credentials.create()` / `.get()`, as webauthn-rs writes
    /// them (binary fields base64url).
    pub options: serde_json::Value,
}

/// The purposes a ceremony row can have.
const REGISTER: &str = "register";
const LOGIN: &str = "login";
/// A sign-in begun for a name without passkeys: it looks like any other, and no answer
/// finishes it.
const DECOY: &str = "decoy";

async fn store_challenge(
    db: &impl ConnectionTrait,
    user_id: Option<Uuid>,
    purpose: &str,
    state: String,
    now: DateTime<Utc>,
) -> Result<Uuid> {
    let id = PASSKEY_CEREMONIES.new_id();
    passkey_challenge::ActiveModel {
        id: Set(id),
        user_id: Set(user_id),
        purpose: Set(purpose.to_owned()),
        state: Set(state),
        created_at: Set(now),
        expires_at: Set(now + CHALLENGE_TTL),
        spent_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// Takes a live ceremony of `purpose` (and of `owner`, when given): of the requests
/// presenting one challenge at the same moment exactly one gets it. None when it is
/// malformed, unknown, taken, expired, of another purpose or another user's.
async fn take_challenge(
    state: &AppState,
    challenge_id: &str,
    purpose: &str,
    owner: Option<Uuid>,
) -> Result<Option<passkey_challenge::Model>> {
    // A made-up id does not wait for the writer's turn.
    if !PASSKEY_CEREMONIES.recognises(challenge_id) {
        return Ok(None);
    }
    let now = state.now();
    let _turn = state.db.write_turn().await;
    let also = Condition::all()
        .add(passkey_challenge::Column::Purpose.eq(purpose))
        .add_option(owner.map(|o| passkey_challenge::Column::UserId.eq(o)));
    one_time::take(&state.db.conn, &PASSKEY_CEREMONIES, challenge_id, also, now).await
}

/// The caller's passkeys, oldest first.
async fn of_user(db: &impl ConnectionTrait, user_id: Uuid) -> Result<Vec<passkey::Model>> {
    Ok(passkey::Entity::find()
        .filter(passkey::Column::UserId.eq(user_id))
        .order_by_asc(passkey::Column::CreatedAt)
        .order_by_asc(passkey::Column::Id)
        .all(db)
        .await?)
}

fn parse_credential(row: &passkey::Model) -> Result<Passkey> {
    serde_json::from_str(&row.credential).map_err(|e| internal("a stored passkey does not parse", e))
}
