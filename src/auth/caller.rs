//! Who is calling: resolved once per request from the `Authorization` header, with one
//! statement that makes revocation immediate (logout, deactivation, deletion, password
//! change), picks up permission changes on the very next request, and brings the user and
//! its roles along, so `me` costs nothing more.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, JoinType, QueryFilter, QuerySelect, RelationTrait};
use uuid::Uuid;

use super::keys::Keys;
use super::permission::{Permission, PermissionSet};
use super::sessions::Lifetimes;
use super::tokens::{self, Subject, TokenSettings};
use crate::clock::Clock;
use crate::db::entities::{role, session, user, user_role};
use crate::error::{AppError, AuthFailure};

/// A signed-in caller with a live session.
#[derive(Debug, Clone, PartialEq)]
pub struct Authenticated {
    /// The user.
    pub user_id: Uuid,
    /// The session the access token belongs to.
    pub session_id: Uuid,
    /// The union of the user's roles' permissions, as of this request.
    pub permissions: PermissionSet,
    /// The user's row, as of this request.
    pub user: Arc<user::Model>,
    /// The user's roles, as of this request.
    pub roles: Arc<Vec<role::Model>>,
}

impl Authenticated {
    /// Whether the caller holds `p`.
    pub fn has(&self, p: Permission) -> bool {
        self.permissions.contains(p)
    }
}

/// The three states a request can be in.
#[derive(Debug, Clone, PartialEq)]
pub enum Caller {
    /// No credentials.
    Anonymous,
    /// A valid token for a live session.
    Authenticated(Authenticated),
    /// Credentials were sent but are not valid: guards answer UNAUTHENTICATED rather
    /// than treating the request as anonymous.
    Rejected(AuthFailure),
    /// The credentials could not be checked (the database did not answer). Guards answer
    /// INTERNAL_SERVER_ERROR: a client must not sign its user out over an outage.
    Unavailable,
}

impl Caller {
    /// The signed-in caller, or UNAUTHENTICATED.
    pub fn authenticated(&self) -> Result<&Authenticated, AppError> {
        match self {
            Self::Authenticated(a) => Ok(a),
            Self::Anonymous => Err(AppError::Unauthenticated(AuthFailure::Missing)),
            Self::Rejected(reason) => Err(AppError::Unauthenticated(*reason)),
            Self::Unavailable => Err(AppError::Internal(anyhow::anyhow!("the session could not be checked"))),
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
    /// How long sessions live.
    pub lifetimes: &'a Lifetimes,
}

impl Resolver<'_> {
    /// Resolves the `Authorization` header value.
    pub async fn resolve(&self, authorization: Option<&str>) -> Caller {
        let Some(value) = authorization else { return Caller::Anonymous };
        // The scheme is case-insensitive (RFC 9110 §11.1): `bearer`, `BEARER` and `Bearer` alike.
        let token = match value.trim_start().split_once(' ') {
            Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => token.trim(),
            _ => return Caller::Rejected(AuthFailure::InvalidToken),
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
        match live_session(self.db, &subject, now, self.lifetimes.born_after(now)).await {
            Ok(Some((user, roles))) => {
                let permissions = PermissionSet::union_of(roles.iter().map(|r| r.permissions.as_str()));
                Caller::Authenticated(Authenticated {
                    user_id: subject.user_id,
                    session_id: subject.session_id,
                    permissions,
                    user: Arc::new(user),
                    roles: Arc::new(roles),
                })
            }
            Ok(None) => {
                tracing::debug!(session = %subject.session_id, "session is no longer live");
                Caller::Rejected(AuthFailure::Revoked)
            }
            Err(e) => {
                tracing::error!(error = %e, "checking the session");
                Caller::Unavailable
            }
        }
    }
}

/// One statement: the session is live (not revoked, not expired, not past its maximum
/// lifetime) and its user exists and is active; returns the user and its roles as of now.
async fn live_session(
    db: &DatabaseConnection,
    subject: &Subject,
    now: DateTime<Utc>,
    born_after: DateTime<Utc>,
) -> Result<Option<(user::Model, Vec<role::Model>)>, sea_orm::DbErr> {
    let rows: Vec<(user::Model, Option<role::Model>)> = user::Entity::find()
        .join(JoinType::InnerJoin, user::Relation::Session.def())
        .join(JoinType::LeftJoin, user::Relation::UserRole.def())
        .join(JoinType::LeftJoin, user_role::Relation::Role.def())
        .filter(user::Column::Id.eq(subject.user_id))
        .filter(user::Column::IsActive.eq(true))
        .filter(session::Column::Id.eq(subject.session_id))
        .filter(session::Column::RevokedAt.is_null())
        .filter(session::Column::ExpiresAt.gt(now))
        .filter(session::Column::CreatedAt.gt(born_after))
        .select_also(role::Entity)
        .all(db)
        .await?;
    let mut rows = rows.into_iter();
    let Some((user, first_role)) = rows.next() else { return Ok(None) };
    let mut roles: Vec<role::Model> = first_role.into_iter().chain(rows.filter_map(|(_, r)| r)).collect();
    roles.sort_by(|a, b| a.name_lower.cmp(&b.name_lower));
    Ok(Some((user, roles)))
}
