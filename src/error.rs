//! `AppError`: the one error vocabulary of gerbang, mapped once to shared/API.md's codes.
//!
//! `Display` is safe to show and never includes an inner error; details stay in `Debug`
//! and are logged where the error is rendered (`graphql::errors::present`).

use std::collections::BTreeMap;
use std::time::Duration;

use sea_orm::{DbErr, SqlErr};

use crate::i18n::{Locale, Message};

/// Bad fields of one input, each with every message that applies to it.
pub type FieldErrors = BTreeMap<&'static str, Vec<Message>>;

/// What a user or role operation names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    /// A user.
    User,
    /// A role.
    Role,
    /// A session.
    Session,
    /// An API key.
    ApiKey,
    /// A passkey.
    Passkey,
}

/// Why a caller is not authenticated; for logs only, never shown to the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthFailure {
    /// No credentials where they are required.
    Missing,
    /// The token could not be parsed, or its signature, algorithm, issuer or audience is wrong.
    InvalidToken,
    /// The token or refresh token has expired.
    Expired,
    /// The session was logged out or revoked, or its user is inactive or gone.
    Revoked,
    /// Unknown account, wrong password or inactive account at login.
    WrongCredentials,
}

/// Why a signed-in caller is refused something a permission alone would allow
/// (`extensions.reason`, shared/API.md): the client can tell the user what to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Sign-in needs a verified address (GERBANG_REQUIRE_VERIFIED_EMAIL).
    EmailNotVerified,
    /// No relying party is configured (GERBANG_APP_URL names an IP address and
    /// GERBANG_WEBAUTHN_RP_ID is unset).
    PasskeysDisabled,
    /// Adding a credential needs the current password or a recent sign-in of this session
    /// (GERBANG_SUDO_WINDOW).
    RecentSignInRequired,
    /// Only a person signed in with a session may do this, never an API key.
    PersonOnly,
    /// System roles keep their names and cannot be deleted.
    SystemRole,
    /// The target user holds permissions the caller does not.
    OutOfReach,
    /// Giving (or taking away) permissions the caller does not hold itself.
    NotHeld,
    /// Not for one's own account (roles, active flag, attributes, verified address).
    NotForSelf,
    /// Self-registration is turned off (GERBANG_ALLOW_REGISTRATION).
    RegistrationClosed,
}

impl Refusal {
    /// The `extensions.reason` value.
    pub(crate) fn reason(self) -> &'static str {
        match self {
            Self::EmailNotVerified => "EMAIL_NOT_VERIFIED",
            Self::PasskeysDisabled => "PASSKEYS_DISABLED",
            Self::RecentSignInRequired => "RECENT_SIGN_IN_REQUIRED",
            Self::PersonOnly => "PERSON_ONLY",
            Self::SystemRole => "SYSTEM_ROLE",
            Self::OutOfReach => "OUT_OF_REACH",
            Self::NotHeld => "NOT_HELD",
            Self::NotForSelf => "NOT_FOR_SELF",
            Self::RegistrationClosed => "REGISTRATION_CLOSED",
        }
    }

    /// What the refusal says to the user.
    pub(crate) fn message(self) -> Message {
        match self {
            Self::EmailNotVerified => Message::EmailNotVerified,
            Self::PasskeysDisabled => Message::PasskeysDisabled,
            Self::RecentSignInRequired => Message::RecentSignInRequired,
            Self::PersonOnly => Message::PersonOnly,
            Self::SystemRole => Message::SystemRole,
            Self::OutOfReach => Message::OutOfReach,
            Self::NotHeld => Message::NotHeld,
            Self::NotForSelf => Message::NotForSelf,
            Self::RegistrationClosed => Message::RegistrationClosed,
        }
    }
}

/// Every failure gerbang can report.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// UNAUTHENTICATED.
    #[error("authentication required")]
    Unauthenticated(AuthFailure),
    /// FORBIDDEN.
    #[error("permission denied")]
    Forbidden,
    /// FORBIDDEN with `extensions.reason`: refused by a rule other than a missing permission.
    #[error("refused")]
    Refused(Refusal),
    /// UNAUTHENTICATED with `extensions.mfaRequired`, `mfaToken` and `methods`: the
    /// password was right, `completeLogin` finishes the sign-in.
    #[error("second factor required")]
    MfaRequired {
        /// The single-use token `completeLogin` takes.
        token: String,
        /// The factors the account can use, by their GraphQL names (`MfaMethod`).
        methods: Vec<&'static str>,
    },
    /// NOT_FOUND.
    #[error("not found")]
    NotFound(Entity),
    /// CONFLICT on one field.
    #[error("already taken")]
    Conflict {
        /// The input field whose value is taken.
        field: &'static str,
        /// Why, in words.
        message: Message,
    },
    /// BAD_USER_INPUT, with every bad field.
    #[error("invalid input")]
    BadUserInput(FieldErrors),
    /// TOO_MANY_REQUESTS.
    #[error("too many requests")]
    TooManyRequests {
        /// When the client may try again.
        retry_after: Duration,
    },
    /// INTERNAL_SERVER_ERROR; the cause is logged, never returned.
    #[error("internal server error")]
    Internal(#[source] anyhow::Error),
}

/// Every `extensions.code` a client may see (shared/API.md, Errors): the whole list.
pub(crate) const API_CODES: [&str; 7] = [
    "UNAUTHENTICATED",
    "FORBIDDEN",
    "NOT_FOUND",
    "CONFLICT",
    "BAD_USER_INPUT",
    "TOO_MANY_REQUESTS",
    "INTERNAL_SERVER_ERROR",
];

/// gerbang's `Result`.
pub type Result<T, E = AppError> = std::result::Result<T, E>;

impl AppError {
    /// The `extensions.code` of shared/API.md.
    pub(crate) fn code(&self) -> &'static str {
        match self {
            Self::Unauthenticated(_) | Self::MfaRequired { .. } => "UNAUTHENTICATED",
            Self::Forbidden | Self::Refused(_) => "FORBIDDEN",
            Self::NotFound(_) => "NOT_FOUND",
            Self::Conflict { .. } => "CONFLICT",
            Self::BadUserInput(_) => "BAD_USER_INPUT",
            Self::TooManyRequests { .. } => "TOO_MANY_REQUESTS",
            Self::Internal(_) => "INTERNAL_SERVER_ERROR",
        }
    }

    /// The client-facing summary.
    pub(crate) fn message(&self) -> Message {
        match self {
            Self::Unauthenticated(_) => Message::Unauthenticated,
            Self::Forbidden => Message::Forbidden,
            Self::Refused(why) => why.message(),
            Self::MfaRequired { .. } => Message::MfaRequired,
            Self::NotFound(Entity::User) => Message::UserNotFound,
            Self::NotFound(Entity::Role) => Message::RoleNotFound,
            Self::NotFound(Entity::Session) => Message::SessionNotFound,
            Self::NotFound(Entity::ApiKey) => Message::ApiKeyNotFound,
            Self::NotFound(Entity::Passkey) => Message::PasskeyNotFound,
            Self::Conflict { message, .. } => message.clone(),
            Self::BadUserInput(_) => Message::InvalidInput,
            Self::TooManyRequests { .. } => Message::TooManyRequests,
            Self::Internal(_) => Message::Internal,
        }
    }

    /// A BAD_USER_INPUT naming one field.
    pub(crate) fn bad_field(field: &'static str, message: Message) -> Self {
        Self::BadUserInput(FieldErrors::from([(field, vec![message])]))
    }

    /// `extensions.fields`: each field with its messages in the given language.
    pub(crate) fn fields(&self, locale: Locale) -> Option<BTreeMap<&'static str, Vec<String>>> {
        let render = |msgs: &[Message]| msgs.iter().map(|m| m.text(locale)).collect();
        match self {
            Self::BadUserInput(fields) => Some(fields.iter().map(|(f, m)| (*f, render(m))).collect()),
            Self::Conflict { field, message } => {
                Some(BTreeMap::from([(*field, render(std::slice::from_ref(message)))]))
            }
            _ => None,
        }
    }
}

impl From<DbErr> for AppError {
    fn from(e: DbErr) -> Self {
        Self::Internal(e.into())
    }
}

impl From<anyhow::Error> for AppError {
    fn from(e: anyhow::Error) -> Self {
        Self::Internal(e)
    }
}

/// Collects every bad field of an input before failing, so a client learns all of them
/// at once (BAD_USER_INPUT with `extensions.fields`).
#[derive(Debug, Default)]
pub(crate) struct Collect(FieldErrors);

impl Collect {
    /// Keeps the value, or records the message against `field`.
    pub(crate) fn field<T>(&mut self, field: &'static str, parsed: std::result::Result<T, Message>) -> Option<T> {
        match parsed {
            Ok(v) => Some(v),
            Err(m) => {
                self.0.entry(field).or_default().push(m);
                None
            }
        }
    }

    /// Records a message against `field`.
    pub(crate) fn fail(&mut self, field: &'static str, message: Message) {
        self.0.entry(field).or_default().push(message);
    }

    /// BAD_USER_INPUT with every recorded field, if any.
    pub(crate) fn finish(self) -> Result<()> {
        if self.0.is_empty() { Ok(()) } else { Err(AppError::BadUserInput(self.0)) }
    }
}

/// The unique indexes whose violation is a client's CONFLICT, not a bug.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UniqueIndex {
    /// `users.email_lower`.
    UserEmail,
    /// `users.username_lower`.
    UserUsername,
    /// `roles.name_lower`.
    RoleName,
    /// `roles.code`.
    RoleCode,
}

impl UniqueIndex {
    /// The index name, as PostgreSQL and MySQL report it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::UserEmail => "ux_users_email_lower",
            Self::UserUsername => "ux_users_username_lower",
            Self::RoleName => "ux_roles_name_lower",
            Self::RoleCode => "ux_roles_code",
        }
    }

    /// The column, as SQLite reports it (it names columns, not indexes).
    fn sqlite_column(self) -> &'static str {
        match self {
            Self::UserEmail => "users.email_lower",
            Self::UserUsername => "users.username_lower",
            Self::RoleName => "roles.name_lower",
            Self::RoleCode => "roles.code",
        }
    }

    /// Whether a backend's unique-violation message is about this index.
    pub fn matches(self, message: &str) -> bool {
        message.contains(self.name()) || message.ends_with(self.sqlite_column())
    }
}

/// Maps a database uniqueness violation to CONFLICT on the input field it concerns.
/// The database is the source of truth; a pre-check would race (shared/STYLE.md §10.1).
pub(crate) trait DbResultExt<T> {
    /// When the error violates `index`, CONFLICT on `field`.
    fn on_unique(self, index: UniqueIndex, field: &'static str, message: Message) -> Result<T>;
}

impl<T> DbResultExt<T> for Result<T, DbErr> {
    fn on_unique(self, index: UniqueIndex, field: &'static str, message: Message) -> Result<T> {
        self.map_err(|e| match e.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(msg)) if index.matches(&msg) => {
                AppError::Conflict { field, message }
            }
            _ => AppError::from(e),
        })
    }
}

/// One line for logs and start-up errors: the code, and for an internal error its cause
/// chain (never a backtrace).
pub(crate) fn describe(e: &AppError) -> String {
    match e {
        AppError::Internal(cause) => format!("{cause:#}"),
        other => format!("{}: {:?}", other.code(), other),
    }
}

/// Whole seconds to wait, never zero (a zero would invite an immediate retry).
pub(crate) fn retry_after_secs(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0).max(u64::from(d.is_zero()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_has_an_api_code() {
        let errors = [
            AppError::Unauthenticated(AuthFailure::Expired),
            AppError::Forbidden,
            AppError::NotFound(Entity::User),
            AppError::Conflict { field: "email", message: Message::EmailTaken },
            AppError::bad_field("email", Message::InvalidEmail),
            AppError::TooManyRequests { retry_after: Duration::from_secs(3) },
            AppError::Internal(anyhow::anyhow!("boom")),
        ];
        for e in errors {
            assert!(API_CODES.contains(&e.code()), "{e:?}");
        }
    }

    #[test]
    fn internal_errors_never_show_their_cause() {
        let e = AppError::Internal(anyhow::anyhow!("SELECT * FROM users failed"));
        assert_eq!(e.to_string(), "internal server error");
        assert!(!e.message().text(Locale::En).contains("SELECT"));
    }

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        assert_eq!(retry_after_secs(Duration::from_millis(1500)), 2);
        assert_eq!(retry_after_secs(Duration::from_secs(4)), 4);
        assert_eq!(retry_after_secs(Duration::ZERO), 1);
    }
}
