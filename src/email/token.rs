//! The tokens of mail links: 256 random bits (base64url), stored as SHA-256, spent once.

use base64::Engine as _;
use chrono::{DateTime, Utc};
use rand_core::{OsRng, RngCore as _};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set};
use secrecy::SecretString;
use uuid::Uuid;

use crate::auth::api_key;
use crate::db::entities::email_token;
use crate::db::spend_once;
use crate::error::{AppError, Result};
use crate::i18n::Message;

/// What a token lets its holder do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Purpose {
    /// Mark the address verified.
    Verify,
    /// Choose a new password.
    Reset,
    /// Make `new_email` the account's address.
    ChangeEmail,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Self::Verify => "verify",
            Self::Reset => "reset",
            Self::ChangeEmail => "change_email",
        }
    }

    /// How long a link works (shared/API.md).
    pub(crate) fn ttl(self) -> chrono::Duration {
        match self {
            Self::Reset => chrono::Duration::hours(1),
            Self::Verify | Self::ChangeEmail => chrono::Duration::hours(24),
        }
    }

    /// The SPA page the link opens.
    pub(crate) fn path(self) -> &'static str {
        match self {
            Self::Verify => "/verify-email",
            Self::Reset => "/reset-password",
            Self::ChangeEmail => "/confirm-email",
        }
    }
}

/// Makes a new token for the user, in the caller's transaction; older unspent tokens of the
/// same purpose stop working.
pub(crate) async fn issue(
    txn: &impl ConnectionTrait,
    user_id: Uuid,
    purpose: Purpose,
    new_email: Option<&str>,
    now: DateTime<Utc>,
) -> Result<SecretString> {
    spend(txn, user_id, Some(purpose), now).await?;
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    email_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user_id),
        purpose: Set(purpose.as_str().to_owned()),
        secret_hash: Set(api_key::hash(&token)),
        new_email: Set(new_email.map(str::to_owned)),
        created_at: Set(now),
        expires_at: Set(now + purpose.ttl()),
        spent_at: Set(None),
    }
    .insert(txn)
    .await?;
    Ok(SecretString::from(token))
}

/// Spends the user's unspent tokens: of one purpose, or all of them (a password was set, the
/// address changed). Callers hold the user's row lock, so the tokens read here are all
/// there are; they are then spent by primary key, which on MariaDB locks just those rows
/// (an update over the user's index range would lock gaps too, and two accounts' requests
/// inserting into each other's gaps deadlock).
pub(crate) async fn spend(
    txn: &impl ConnectionTrait,
    user_id: Uuid,
    purpose: Option<Purpose>,
    now: DateTime<Utc>,
) -> Result<()> {
    let mut live = email_token::Entity::find()
        .select_only()
        .column(email_token::Column::Id)
        .filter(email_token::Column::UserId.eq(user_id))
        .filter(email_token::Column::SpentAt.is_null());
    if let Some(p) = purpose {
        live = live.filter(email_token::Column::Purpose.eq(p.as_str()));
    }
    let ids: Vec<Uuid> = live.into_tuple().all(txn).await?;
    if ids.is_empty() {
        return Ok(());
    }
    email_token::Entity::update_many()
        .col_expr(email_token::Column::SpentAt, Expr::value(now))
        .filter(email_token::Column::Id.is_in(ids))
        .filter(email_token::Column::SpentAt.is_null())
        .exec(txn)
        .await?;
    Ok(())
}

/// Tokens of this purpose made for the user since `since`, spent or not: what per-account
/// limits count.
pub(crate) async fn made_since(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    purpose: Purpose,
    since: DateTime<Utc>,
) -> Result<Vec<DateTime<Utc>>> {
    let rows = email_token::Entity::find()
        .filter(email_token::Column::UserId.eq(user_id))
        .filter(email_token::Column::Purpose.eq(purpose.as_str()))
        .filter(email_token::Column::CreatedAt.gt(since))
        .all(db)
        .await?;
    let mut times: Vec<DateTime<Utc>> = rows.into_iter().map(|t| t.created_at).collect();
    times.sort_unstable();
    Ok(times)
}

fn bad_token() -> AppError {
    AppError::bad_field("token", Message::InvalidLink)
}

/// The live token of this purpose, if `token` is one (read only: nothing is spent).
pub(crate) async fn find(
    db: &impl ConnectionTrait,
    token: &str,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> Result<email_token::Model> {
    // Anything that is not 43 base64url characters was never issued: no statement for it.
    if token.len() != 43 || !token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return Err(bad_token());
    }
    email_token::Entity::find()
        .filter(email_token::Column::SecretHash.eq(api_key::hash(token)))
        .filter(email_token::Column::Purpose.eq(purpose.as_str()))
        .filter(email_token::Column::SpentAt.is_null())
        .filter(email_token::Column::ExpiresAt.gt(now))
        .one(db)
        .await?
        .ok_or_else(bad_token)
}

/// Spends a token `find` returned, in the caller's transaction. Of requests presenting one
/// token at the same moment, exactly one gets it: the update that spends it is conditional.
pub(crate) async fn spend_found(
    txn: &impl ConnectionTrait,
    found: &email_token::Model,
    now: DateTime<Utc>,
) -> Result<()> {
    let (id, spent_at) = (email_token::Column::Id, email_token::Column::SpentAt);
    if !spend_once(txn, id, spent_at, found.id, Condition::all(), now).await? {
        return Err(bad_token());
    }
    Ok(())
}

/// Deletes tokens that expired more than a day ago (per-account limits look back one hour).
pub(crate) async fn prune(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64> {
    let cutoff = now - chrono::Duration::days(1);
    let done = email_token::Entity::delete_many().filter(email_token::Column::ExpiresAt.lt(cutoff)).exec(db).await?;
    Ok(done.rows_affected)
}
