//! User rules and storage. Every write runs in one transaction.

use base64::Engine as _;
use rand_core::{OsRng, RngCore};
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, PaginatorTrait, Set, TransactionTrait};
use secrecy::SecretString;
use uuid::Uuid;

use crate::auth::password::Hasher;
use crate::clock::Clock;
use crate::db::entities::{user, user_role};
use crate::error::{AppError, DbResultExt, Result, UniqueIndex};
use crate::i18n::Message;
use crate::roles;

use super::domain::{Email, Password, Username};

/// What the first start did about the first account.
#[derive(Debug)]
pub enum Bootstrap {
    /// Users already exist; nothing was created.
    NotNeeded,
    /// The developer account was created.
    Created {
        /// Its id.
        id: Uuid,
        /// Its email.
        email: String,
        /// The password, when gerbang generated it (to be shown once).
        generated_password: Option<SecretString>,
    },
}

/// On a database with no users, creates one account holding the `developer` role, so a
/// new deployment can be administered. Instances starting together create at most one:
/// the loser of the race hits the unique email index and reports `NotNeeded`.
pub async fn bootstrap_developer(
    db: &DatabaseConnection,
    hasher: &Hasher,
    clock: &dyn Clock,
    email: Option<Email>,
    password: Option<Password>,
) -> Result<Bootstrap> {
    if user::Entity::find().count(db).await? > 0 {
        return Ok(Bootstrap::NotNeeded);
    }
    let email = match email {
        Some(e) => e,
        None => {
            Email::parse("admin@localhost").map_err(|_| AppError::Internal(anyhow::anyhow!("default admin email")))?
        }
    };
    let username =
        Username::parse("admin").map_err(|_| AppError::Internal(anyhow::anyhow!("default admin username")))?;
    let (secret, generated) = match password {
        Some(p) => (p.secret().clone(), false),
        None => (generate_password(), true),
    };
    let hash = hasher.hash(&secret).await?;

    let txn = db.begin().await?;
    if user::Entity::find().count(&txn).await? > 0 {
        return Ok(Bootstrap::NotNeeded);
    }
    let developer = roles::service::system_role(&txn, "developer")
        .await?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("the developer role is missing; are migrations applied?")))?;
    let now = clock.now();
    let id = Uuid::now_v7();
    let inserted = user::ActiveModel {
        id: Set(id),
        email: Set(email.as_str().to_owned()),
        email_lower: Set(email.lower()),
        username: Set(Some(username.as_str().to_owned())),
        username_lower: Set(Some(username.lower())),
        display_name: Set(Some("Administrator".to_owned())),
        first_name: Set(None),
        last_name: Set(None),
        phone_number: Set(None),
        address: Set(None),
        avatar_url: Set(None),
        is_active: Set(true),
        attributes: Set(None),
        password_hash: Set(Some(hash)),
        last_login_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .on_unique(UniqueIndex::UserEmail, "email", Message::EmailTaken);
    match inserted {
        Ok(_) => {}
        Err(AppError::Conflict { .. }) => return Ok(Bootstrap::NotNeeded),
        Err(e) => return Err(e),
    }
    user_role::ActiveModel { user_id: Set(id), role_id: Set(developer.id), created_at: Set(now) }.insert(&txn).await?;
    txn.commit().await?;
    Ok(Bootstrap::Created { id, email: email.as_str().to_owned(), generated_password: generated.then_some(secret) })
}

/// 24 random bytes, base64url: 32 characters, 192 bits.
fn generate_password() -> SecretString {
    let mut bytes = [0u8; 24];
    OsRng.fill_bytes(&mut bytes);
    SecretString::from(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}
