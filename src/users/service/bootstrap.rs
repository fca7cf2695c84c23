//! The first account of a new deployment.

use base64::Engine as _;
use rand_core::{OsRng, RngCore};
use sea_orm::{EntityTrait, PaginatorTrait};
use secrecy::SecretString;

use super::NewUser;
use crate::db::entities::user;
use crate::error::{AppError, Result};
use crate::roles;
use crate::state::AppState;
use crate::users::domain::{Email, Password, PersonName, Username};

/// What the first start did about the first account.
#[derive(Debug)]
pub(crate) enum Bootstrap {
    /// Users already exist; nothing was created.
    NotNeeded,
    /// The developer account was created.
    Created {
        /// Its username.
        username: String,
        /// Its email.
        email: String,
        /// The password, when gerbang generated it (to be shown once).
        generated_password: Option<SecretString>,
    },
}

/// On a database with no users, creates one account holding the `developer` role, so a
/// new deployment can be administered. Instances starting together create at most one:
/// the loser of the race hits the unique email index and reports `NotNeeded`.
pub(crate) async fn bootstrap_developer(
    state: &AppState,
    email: Option<Email>,
    password: Option<Password>,
) -> Result<Bootstrap> {
    let db = &state.db.conn;
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
    let generated = password.is_none();
    let password = match password {
        Some(p) => p,
        None => generate_password()?,
    };
    let developer = roles::service::system_role(db, "developer")
        .await?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("the developer role is missing; are migrations applied?")))?;
    let new = NewUser {
        password: Some(password.clone()),
        username: Some(username.clone()),
        display_name: PersonName::parse("Administrator").ok(),
        role_ids: vec![developer.id],
        // The operator chose this address: an instance requiring verified addresses can
        // still be signed into.
        email_verified: true,
        ..NewUser::with_email(email.clone())
    };
    match super::create(state, None, new).await {
        Ok(_) => Ok(Bootstrap::Created {
            username: username.as_str().to_owned(),
            email: email.as_str().to_owned(),
            generated_password: generated.then(|| password.secret().clone()),
        }),
        Err(AppError::Conflict { .. }) => Ok(Bootstrap::NotNeeded),
        Err(e) => Err(e),
    }
}

/// 24 random bytes, base64url: 32 characters, 192 bits.
fn generate_password() -> Result<Password> {
    let mut bytes = [0u8; 24];
    OsRng.fill_bytes(&mut bytes);
    Password::parse(&base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
        .map_err(|_| AppError::Internal(anyhow::anyhow!("generated password refused")))
}
