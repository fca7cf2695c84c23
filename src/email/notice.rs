//! Notices to an account's address when a way into it is added or removed: the owner learns
//! of a passkey, an authenticator app or an API key they did not add (ASVS 4 §2.5.5), however
//! it got there. Queued in the transaction that makes the change, like every mail.

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;

use super::mail::{Content, Kind};
use super::outbox;
use crate::auth::credentials::Removed;
use crate::db::entities::user;
use crate::error::{AppError, Result};
use crate::i18n::Locale;

/// A credential a notice is about.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Credential<'a> {
    /// A passkey, by its name.
    Passkey(&'a str),
    /// The authenticator app (TOTP) and its recovery codes.
    Totp,
    /// An API key, by its name.
    ApiKey(&'a str),
}

/// Whether the credential came or went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Change {
    /// It was added.
    Added,
    /// It was removed.
    Removed,
}

impl Credential<'_> {
    /// The credential in words, to begin a sentence.
    fn describe(self, locale: Locale) -> String {
        match (self, locale) {
            (Self::Passkey(name), Locale::En) => format!("A passkey named \"{name}\""),
            (Self::Passkey(name), Locale::Id) => format!("Passkey bernama \"{name}\""),
            (Self::Totp, Locale::En) => "An authenticator app (TOTP)".to_owned(),
            (Self::Totp, Locale::Id) => "Aplikasi autentikator (TOTP)".to_owned(),
            (Self::ApiKey(name), Locale::En) => format!("An API key named \"{name}\""),
            (Self::ApiKey(name), Locale::Id) => format!("Kunci API bernama \"{name}\""),
        }
    }
}

/// Queues the notice of one credential change to the account's address, in the user's
/// language (English when it chose none). The caller wakes the outbox after committing.
pub(crate) async fn credential(
    txn: &impl ConnectionTrait,
    user: &user::Model,
    what: Credential<'_>,
    change: Change,
    now: DateTime<Utc>,
) -> Result<()> {
    let locale = user.locale.as_deref().and_then(|l| Locale::parse(l).ok()).unwrap_or(Locale::En);
    let what = what.describe(locale);
    let content = Content {
        kind: match change {
            Change::Added => Kind::CredentialAdded,
            Change::Removed => Kind::CredentialRemoved,
        },
        locale,
        name: user.display_name.as_deref().unwrap_or(&user.email),
        address: &user.email,
        link: None,
        hours: 0,
        what: &what,
    };
    let mail = content.render(&user.email).map_err(|e| AppError::Internal(anyhow::anyhow!("rendering a mail: {e}")))?;
    outbox::enqueue(txn, mail, now).await
}

/// Tells the owner of each credential that went at once (a reset, a recovery).
pub(crate) async fn removed(
    txn: &impl ConnectionTrait,
    user: &user::Model,
    removed: &Removed,
    now: DateTime<Utc>,
) -> Result<()> {
    if removed.totp {
        credential(txn, user, Credential::Totp, Change::Removed, now).await?;
    }
    for name in &removed.passkeys {
        credential(txn, user, Credential::Passkey(name), Change::Removed, now).await?;
    }
    for key in &removed.api_keys {
        credential(txn, user, Credential::ApiKey(&key.name), Change::Removed, now).await?;
    }
    Ok(())
}
