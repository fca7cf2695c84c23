//! Removing an account's credentials (passkeys, TOTP with its recovery codes, API keys):
//! every one (an administrator's reset) or only those added while the address was
//! unverified (a password reset proved it). Storage only; the features decide when.

use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::db::entities::{api_key, mfa_challenge, mfa_totp, passkey, passkey_challenge, recovery_code};
use crate::error::Result;

/// Which of an account's credentials an operation removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Which {
    /// Every one: an administrator's reset.
    All,
    /// Those added while the address was unverified: a password reset proved the address,
    /// and whoever added these before the owner did must not keep a way in.
    AddedUnverified,
}

/// What went, to tell the owner.
#[derive(Debug, Default)]
pub(crate) struct Removed {
    /// A confirmed TOTP was turned off.
    pub totp: bool,
    /// The names of the passkeys removed.
    pub passkeys: Vec<String>,
    /// The API keys removed.
    pub api_keys: Vec<api_key::Model>,
}

/// Removes TOTP (with the recovery codes and pending sign-ins); whether a confirmed one
/// was on and is now off.
pub(crate) async fn remove_totp(txn: &impl ConnectionTrait, user_id: Uuid, which: Which) -> Result<bool> {
    let totp = mfa_totp::Entity::find_by_id(user_id).one(txn).await?;
    let Some(totp) = totp.filter(|t| which == Which::All || t.added_unverified) else {
        return Ok(false);
    };
    mfa_totp::Entity::delete_by_id(user_id).exec(txn).await?;
    recovery_code::Entity::delete_many().filter(recovery_code::Column::UserId.eq(user_id)).exec(txn).await?;
    mfa_challenge::Entity::delete_many().filter(mfa_challenge::Column::UserId.eq(user_id)).exec(txn).await?;
    Ok(totp.confirmed_at.is_some())
}

/// Removes passkeys and the pending ceremonies; returns the names of those removed.
pub(crate) async fn remove_passkeys(txn: &impl ConnectionTrait, user_id: Uuid, which: Which) -> Result<Vec<String>> {
    passkey_challenge::Entity::delete_many().filter(passkey_challenge::Column::UserId.eq(user_id)).exec(txn).await?;
    let mut mine = Condition::all().add(passkey::Column::UserId.eq(user_id));
    if which == Which::AddedUnverified {
        mine = mine.add(passkey::Column::AddedUnverified.eq(true));
    }
    let names: Vec<String> = passkey::Entity::find()
        .select_only()
        .column(passkey::Column::Name)
        .filter(mine.clone())
        .into_tuple()
        .all(txn)
        .await?;
    passkey::Entity::delete_many().filter(mine).exec(txn).await?;
    Ok(names)
}

/// Removes the API keys made while the address was unverified. The caller records
/// `Change::User`, which ends them in every live cache.
pub(crate) async fn remove_api_keys_added_unverified(
    txn: &impl ConnectionTrait,
    user_id: Uuid,
) -> Result<Vec<api_key::Model>> {
    let keys = api_key::Entity::find()
        .filter(api_key::Column::UserId.eq(user_id))
        .filter(api_key::Column::AddedUnverified.eq(true))
        .all(txn)
        .await?;
    if !keys.is_empty() {
        api_key::Entity::delete_many().filter(api_key::Column::Id.is_in(keys.iter().map(|k| k.id))).exec(txn).await?;
    }
    Ok(keys)
}

/// Everything added while the address was unverified, as a password reset removes it.
pub(crate) async fn remove_added_unverified(txn: &impl ConnectionTrait, user_id: Uuid) -> Result<Removed> {
    Ok(Removed {
        totp: remove_totp(txn, user_id, Which::AddedUnverified).await?,
        passkeys: remove_passkeys(txn, user_id, Which::AddedUnverified).await?,
        api_keys: remove_api_keys_added_unverified(txn, user_id).await?,
    })
}
