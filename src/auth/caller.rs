//! Who is calling: resolved once per request from the `Authorization` header, with one
//! cheap query that makes revocation immediate (logout, deactivation, deletion, password
//! change) and picks up permission changes on the very next request.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::ExprTrait as _;
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use uuid::Uuid;

use super::keys::Keys;
use super::permission::{Permission, PermissionSet};
use super::tokens::{self, Subject, TokenSettings};
use crate::clock::Clock;
use crate::db::entities::{role, session, user, user_role};
use crate::error::{AppError, AuthFailure};

/// A signed-in caller with a live session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authenticated {
    /// The user.
    pub user_id: Uuid,
    /// The session the access token belongs to.
    pub session_id: Uuid,
    /// The union of the user's roles' permissions, as of this request.
    pub permissions: PermissionSet,
}

impl Authenticated {
    /// Whether the caller holds `p`.
    pub fn has(&self, p: Permission) -> bool {
        self.permissions.contains(p)
    }
}

/// The three states a request can be in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// No credentials.
    Anonymous,
    /// A valid token for a live session.
    Authenticated(Authenticated),
    /// Credentials were sent but are not valid: guards answer UNAUTHENTICATED rather
    /// than treating the request as anonymous.
    Rejected(AuthFailure),
}

impl Caller {
    /// The signed-in caller, or UNAUTHENTICATED.
    pub fn authenticated(&self) -> Result<&Authenticated, AppError> {
        match self {
            Self::Authenticated(a) => Ok(a),
            Self::Anonymous => Err(AppError::Unauthenticated(AuthFailure::Missing)),
            Self::Rejected(reason) => Err(AppError::Unauthenticated(*reason)),
        }
    }
}

/// What resolving a caller needs.
pub struct Resolver<'a> {
    /// The database.
    pub db: &'a DatabaseConnection,
    /// The verifying keys.
    pub keys: &'a Keys,
    /// Issuer and audience.
    pub settings: &'a TokenSettings,
    /// The clock.
    pub clock: &'a dyn Clock,
}

impl Resolver<'_> {
    /// Resolves the `Authorization` header value.
    pub async fn resolve(&self, authorization: Option<&str>) -> Caller {
        let Some(value) = authorization else { return Caller::Anonymous };
        let Some(token) = value.strip_prefix("Bearer ").or_else(|| value.strip_prefix("bearer ")).map(str::trim) else {
            return Caller::Rejected(AuthFailure::InvalidToken);
        };
        let now = self.clock.now();
        let mut verified = tokens::verify(self.keys, self.settings, token, now);
        if verified == Err(AuthFailure::InvalidToken)
            && let Some(kid) = tokens::kid_of(token)
            && self.keys.decoding_key(&kid).is_none()
            && self.keys.reload_for_unknown(self.db, self.clock, &kid).await
        {
            verified = tokens::verify(self.keys, self.settings, token, now);
        }
        let subject = match verified {
            Ok(s) => s,
            Err(reason) => {
                tracing::debug!(?reason, "access token refused");
                return Caller::Rejected(reason);
            }
        };
        match live_session(self.db, &subject, now).await {
            Ok(Some(permissions)) => Caller::Authenticated(Authenticated {
                user_id: subject.user_id,
                session_id: subject.session_id,
                permissions,
            }),
            Ok(None) => {
                tracing::debug!(session = %subject.session_id, "session is no longer live");
                Caller::Rejected(AuthFailure::Revoked)
            }
            Err(e) => {
                tracing::error!(error = ?e, "checking the session");
                Caller::Rejected(AuthFailure::Revoked)
            }
        }
    }
}

/// One statement: the session is live (not revoked, not expired), its user exists and is
/// active; returns the user's permissions as of now.
async fn live_session(
    db: &DatabaseConnection,
    subject: &Subject,
    now: DateTime<Utc>,
) -> Result<Option<PermissionSet>, sea_orm::DbErr> {
    let stmt = Query::select()
        .column((session::Entity, session::Column::RevokedAt))
        .column((session::Entity, session::Column::ExpiresAt))
        .column((user::Entity, user::Column::IsActive))
        .column((role::Entity, role::Column::Permissions))
        .from(session::Entity)
        .inner_join(
            user::Entity,
            Expr::col((user::Entity, user::Column::Id)).equals((session::Entity, session::Column::UserId)),
        )
        .left_join(
            user_role::Entity,
            Expr::col((user_role::Entity, user_role::Column::UserId))
                .equals((session::Entity, session::Column::UserId)),
        )
        .left_join(
            role::Entity,
            Expr::col((role::Entity, role::Column::Id)).equals((user_role::Entity, user_role::Column::RoleId)),
        )
        .and_where(Expr::col((session::Entity, session::Column::Id)).eq(subject.session_id))
        .and_where(Expr::col((session::Entity, session::Column::UserId)).eq(subject.user_id))
        .to_owned();
    let rows = db.query_all(&stmt).await?;
    let Some(first) = rows.first() else { return Ok(None) };
    let revoked: Option<DateTime<Utc>> = first.try_get("", "revoked_at")?;
    let expires: DateTime<Utc> = first.try_get("", "expires_at")?;
    let active: bool = first.try_get("", "is_active")?;
    if revoked.is_some() || expires <= now || !active {
        return Ok(None);
    }
    let mut permissions = PermissionSet::EMPTY;
    for row in &rows {
        let stored: Option<String> = row.try_get("", "permissions")?;
        permissions = permissions.union(PermissionSet::from_stored(stored.as_deref().unwrap_or_default()));
    }
    Ok(Some(permissions))
}
