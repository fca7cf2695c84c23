//! The audit recorder: what an event says and how it is written. An event is written by the
//! transaction that makes the change it describes, so it exists exactly when the change
//! does. Its `details` name fields, roles and permissions, never a value a user would call
//! private: no password, token, code or hash, no email or phone number. Reading the log is
//! the `audit` feature's.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use super::client::ClientInfo;
use crate::db::WriteTxn;
use crate::db::entities::audit_event;

/// What an event records (shared/API.md `enum AuditAction`).
#[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum AuditAction {
    UserRegistered,
    LoginSucceeded,
    LoginFailed,
    AccountLocked,
    Logout,
    SessionRevoked,
    RefreshTokenReused,
    PasswordChanged,
    PasswordSet,
    PasswordResetRequested,
    PasswordReset,
    EmailVerified,
    EmailChanged,
    UserCreated,
    UserUpdated,
    UserDeleted,
    RoleCreated,
    RoleUpdated,
    RoleDeleted,
    MfaEnabled,
    MfaDisabled,
    PasskeyAdded,
    PasskeyRemoved,
    RecoveryCodesRegenerated,
    ApiKeyCreated,
    ApiKeyRevoked,
    SigningKeyRotated,
}

impl AuditAction {
    /// Every action.
    pub(crate) const ALL: [AuditAction; 27] = [
        Self::UserRegistered,
        Self::LoginSucceeded,
        Self::LoginFailed,
        Self::AccountLocked,
        Self::Logout,
        Self::SessionRevoked,
        Self::RefreshTokenReused,
        Self::PasswordChanged,
        Self::PasswordSet,
        Self::PasswordResetRequested,
        Self::PasswordReset,
        Self::EmailVerified,
        Self::EmailChanged,
        Self::UserCreated,
        Self::UserUpdated,
        Self::UserDeleted,
        Self::RoleCreated,
        Self::RoleUpdated,
        Self::RoleDeleted,
        Self::MfaEnabled,
        Self::MfaDisabled,
        Self::PasskeyAdded,
        Self::PasskeyRemoved,
        Self::RecoveryCodesRegenerated,
        Self::ApiKeyCreated,
        Self::ApiKeyRevoked,
        Self::SigningKeyRotated,
    ];

    /// The stored and wire name.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::UserRegistered => "USER_REGISTERED",
            Self::LoginSucceeded => "LOGIN_SUCCEEDED",
            Self::LoginFailed => "LOGIN_FAILED",
            Self::AccountLocked => "ACCOUNT_LOCKED",
            Self::Logout => "LOGOUT",
            Self::SessionRevoked => "SESSION_REVOKED",
            Self::RefreshTokenReused => "REFRESH_TOKEN_REUSED",
            Self::PasswordChanged => "PASSWORD_CHANGED",
            Self::PasswordSet => "PASSWORD_SET",
            Self::PasswordResetRequested => "PASSWORD_RESET_REQUESTED",
            Self::PasswordReset => "PASSWORD_RESET",
            Self::EmailVerified => "EMAIL_VERIFIED",
            Self::EmailChanged => "EMAIL_CHANGED",
            Self::UserCreated => "USER_CREATED",
            Self::UserUpdated => "USER_UPDATED",
            Self::UserDeleted => "USER_DELETED",
            Self::RoleCreated => "ROLE_CREATED",
            Self::RoleUpdated => "ROLE_UPDATED",
            Self::RoleDeleted => "ROLE_DELETED",
            Self::MfaEnabled => "MFA_ENABLED",
            Self::MfaDisabled => "MFA_DISABLED",
            Self::PasskeyAdded => "PASSKEY_ADDED",
            Self::PasskeyRemoved => "PASSKEY_REMOVED",
            Self::RecoveryCodesRegenerated => "RECOVERY_CODES_REGENERATED",
            Self::ApiKeyCreated => "API_KEY_CREATED",
            Self::ApiKeyRevoked => "API_KEY_REVOKED",
            Self::SigningKeyRotated => "SIGNING_KEY_ROTATED",
        }
    }

    /// Reads a stored name; `None` for one written by a newer version.
    pub(crate) fn from_stored(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// Who acted, and from where.
#[derive(Debug, Clone, Default)]
pub(crate) struct Origin {
    /// The signed-in caller; `None` when anonymous or the system itself (start-up, CLI).
    pub actor: Option<Uuid>,
    /// The client's address and user agent.
    pub client: ClientInfo,
    /// The API key the actor acted with, if it did (named in the event's details).
    pub api_key: Option<Uuid>,
}

impl Origin {
    /// An anonymous request from `client`.
    pub(crate) fn anonymous(client: &ClientInfo) -> Self {
        Self { actor: None, client: client.clone(), api_key: None }
    }

    /// The service itself: start-up, the command line.
    pub(crate) fn system() -> Self {
        Self::default()
    }

    /// As `self`, acting as `user` (a sign-in: the user who signed in is the actor).
    pub(crate) fn as_user(&self, user: Uuid) -> Self {
        Self { actor: Some(user), client: self.client.clone(), api_key: None }
    }
}

/// One event, before it is written.
#[derive(Debug, Clone)]
pub(crate) struct Event {
    action: AuditAction,
    subject_user: Option<Uuid>,
    subject_role: Option<Uuid>,
    details: Value,
}

impl Event {
    /// An event with no subject and empty details.
    pub(crate) fn new(action: AuditAction) -> Self {
        Self { action, subject_user: None, subject_role: None, details: json!({}) }
    }

    /// About this user.
    pub(crate) fn user(mut self, id: Uuid) -> Self {
        self.subject_user = Some(id);
        self
    }

    /// About this role.
    pub(crate) fn role(mut self, id: Uuid) -> Self {
        self.subject_role = Some(id);
        self
    }

    /// With these details (an object; see the module's rule on what may go in).
    pub(crate) fn details(mut self, details: Value) -> Self {
        self.details = details;
        self
    }

    /// Writes the event with `txn`, the transaction making the change.
    pub(crate) fn record(mut self, txn: &mut WriteTxn, origin: &Origin, at: DateTime<Utc>) {
        if let (Some(key), Value::Object(details)) = (origin.api_key, &mut self.details) {
            details.insert("apiKeyId".into(), json!(key));
        }
        txn.record(audit_event::Model {
            id: Uuid::now_v7(),
            at,
            action: self.action.as_str().to_owned(),
            actor_id: origin.actor,
            subject_user_id: self.subject_user,
            subject_role_id: self.subject_role,
            ip_address: origin.client.ip.clone(),
            user_agent: origin.client.user_agent.clone(),
            details: self.details,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_names_are_the_graphql_names_and_round_trip() {
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::from_stored(action.as_str()), Some(action));
            let wire = async_graphql::resolver_utils::enum_value(action);
            assert_eq!(wire.to_string(), action.as_str());
        }
        assert_eq!(AuditAction::from_stored("SOMETHING_NEW"), None);
    }
}
