//! The tokens of mail links: what each purpose allows and how long it works. Making,
//! finding and spending them is `auth::one_time`'s (a `Kind::Token` in `MAIL_LINKS`).

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, Set};
use secrecy::SecretString;
use uuid::Uuid;

use crate::auth::one_time::{self, Kind, MAIL_LINKS};
use crate::db::entities::email_token;
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
    let fresh = Kind::Token.generate();
    email_token::ActiveModel {
        id: Set(MAIL_LINKS.new_id()),
        user_id: Set(user_id),
        purpose: Set(purpose.as_str().to_owned()),
        secret_hash: Set(fresh.hash),
        new_email: Set(new_email.map(str::to_owned)),
        created_at: Set(now),
        expires_at: Set(now + purpose.ttl()),
        spent_at: Set(None),
    }
    .insert(txn)
    .await?;
    Ok(SecretString::from(fresh.secret))
}

/// Spends the user's unspent tokens: of one purpose, or all of them (a password was set, the
/// address changed). Callers hold the user's row lock.
pub(crate) async fn spend(
    txn: &impl ConnectionTrait,
    user_id: Uuid,
    purpose: Option<Purpose>,
    now: DateTime<Utc>,
) -> Result<()> {
    let of_purpose = Condition::all().add_option(purpose.map(|p| email_token::Column::Purpose.eq(p.as_str())));
    one_time::spend_all_of(txn, &MAIL_LINKS, user_id, of_purpose, now).await
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
    let of_purpose = Condition::all().add(email_token::Column::Purpose.eq(purpose.as_str()));
    one_time::find_live(db, &MAIL_LINKS, token, of_purpose, now).await?.ok_or_else(bad_token)
}

/// Spends a token `find` returned, in the caller's transaction. Of requests presenting one
/// token at the same moment, exactly one gets it.
pub(crate) async fn spend_found(
    txn: &impl ConnectionTrait,
    found: &email_token::Model,
    now: DateTime<Utc>,
) -> Result<()> {
    if !one_time::spend(txn, &MAIL_LINKS, found.id, Condition::all(), now).await? {
        return Err(bad_token());
    }
    Ok(())
}
