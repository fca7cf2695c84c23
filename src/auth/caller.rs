//! Who is calling: resolved once per request from the `Authorization` header. The session
//! behind a verified token is checked live: from this instance's cache of live sessions
//! when nothing has changed since it was read (no statement at all), else with one
//! statement that also brings the user and its roles along, so `me` costs nothing more.
//! Logout, deactivation, deletion, password and permission changes reach the cache at once
//! on the instance that made them, and within the change link's delay on the others.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::keys::Keys;
use super::live::{LiveSession, LiveSessions};
use super::permission::{Permission, PermissionSet};
use super::sessions::{ClientInfo, Lifetimes};
use super::tokens::{self, Subject, Tokens};
use crate::clock::Clock;
use crate::db::entities::{role, session, user};
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
    /// Where this request came from (for the audit log).
    pub(crate) client: Arc<ClientInfo>,
}

impl Authenticated {
    /// Whether the caller holds `p`.
    pub(crate) fn has(&self, p: Permission) -> bool {
        self.permissions.contains(p)
    }
}

/// The three states a request can be in.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Caller {
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
    pub(crate) fn authenticated(&self) -> Result<&Authenticated, AppError> {
        match self {
            Self::Authenticated(a) => Ok(a),
            Self::Anonymous => Err(AppError::Unauthenticated(AuthFailure::Missing)),
            Self::Rejected(reason) => Err(AppError::Unauthenticated(*reason)),
            Self::Unavailable => Err(AppError::Internal(anyhow::anyhow!("the session could not be checked"))),
        }
    }
}

/// What resolving a caller needs.
pub(crate) struct Resolver<'a> {
    /// The database.
    pub db: &'a DatabaseConnection,
    /// The verifying keys.
    pub keys: &'a Keys,
    /// Access-token settings and the tokens verified already.
    pub tokens: &'a Tokens,
    /// The sessions known to be live.
    pub live: &'a LiveSessions,
    /// The clock.
    pub clock: &'a dyn Clock,
    /// How long sessions live.
    pub lifetimes: &'a Lifetimes,
}

impl Resolver<'_> {
    /// Resolves the `Authorization` header value.
    pub(crate) async fn resolve(&self, authorization: Option<&str>) -> Caller {
        let Some(value) = authorization else { return Caller::Anonymous };
        // The scheme is case-insensitive (RFC 9110 §11.1): `bearer`, `BEARER` and `Bearer` alike.
        let token = match value.trim_start().split_once(' ') {
            Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => token.trim(),
            _ => return Caller::Rejected(AuthFailure::InvalidToken),
        };
        let now = self.clock.now();
        let mut verified = self.tokens.verify(self.keys, token, now);
        if verified == Err(AuthFailure::InvalidToken)
            && let Some(kid) = tokens::kid_of(token)
            && self.keys.decoding_key(&kid).is_none()
            && self.keys.reload_for_unknown(self.db, self.clock, &kid).await
        {
            verified = self.tokens.verify(self.keys, token, now);
        }
        let subject = match verified {
            Ok(s) => s,
            Err(reason) => {
                tracing::debug!(?reason, "access token refused");
                return Caller::Rejected(reason);
            }
        };
        let born_after = self.lifetimes.born_after(now);
        if let Some(live) = self.live.get(subject.session_id, subject.user_id, now, born_after) {
            return Caller::Authenticated(Authenticated::of(&subject, live));
        }
        let epoch = self.live.epoch();
        match live_session(self.db, &subject, now, born_after).await {
            Ok(Some(live)) => {
                self.live.keep(epoch, subject.session_id, live.clone());
                Caller::Authenticated(Authenticated::of(&subject, live))
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

impl Authenticated {
    fn of(subject: &Subject, live: LiveSession) -> Self {
        Self {
            user_id: subject.user_id,
            session_id: subject.session_id,
            permissions: live.permissions,
            user: live.user,
            roles: live.roles,
            client: Arc::default(),
        }
    }
}

/// One statement: the session is live (not revoked, not expired, not past its maximum
/// lifetime) and its user exists and is active; returns the session's times, the user and
/// its roles as of now.
async fn live_session(
    db: &DatabaseConnection,
    subject: &Subject,
    now: DateTime<Utc>,
    born_after: DateTime<Utc>,
) -> Result<Option<LiveSession>, sea_orm::DbErr> {
    let rows: Vec<(session::Model, Option<user::Model>, Option<role::Model>)> =
        session::Entity::find_by_id(subject.session_id)
            .filter(session::Column::UserId.eq(subject.user_id))
            .filter(session::Column::RevokedAt.is_null())
            .filter(session::Column::ExpiresAt.gt(now))
            .filter(session::Column::CreatedAt.gt(born_after))
            .filter(user::Column::IsActive.eq(true))
            .find_also_related(user::Entity)
            .find_also(user::Entity, role::Entity)
            .all(db)
            .await?;
    let mut rows = rows.into_iter();
    let Some((session, Some(user), first_role)) = rows.next() else { return Ok(None) };
    let mut roles: Vec<role::Model> = first_role.into_iter().chain(rows.filter_map(|(_, _, r)| r)).collect();
    roles.sort_by(|a, b| a.name_lower.cmp(&b.name_lower));
    let permissions = PermissionSet::union_of(roles.iter().map(|r| r.permissions.as_str()));
    Ok(Some(LiveSession {
        user: Arc::new(user),
        roles: Arc::new(roles),
        permissions,
        expires_at: session.expires_at,
        created_at: session.created_at,
    }))
}
