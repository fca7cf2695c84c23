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

use super::app_permission::AppPermissions;
use super::audit::Origin;
use super::client::ClientInfo;
use super::key_secret;
use super::keys::Keys;
use super::live::{LiveKey, LiveSession, LiveSessions, with_owner_and_roles};
use super::permission::{Permission, PermissionSet};
use super::session_chain::Lifetimes;
use super::tokens::{self, Subject, Tokens};
use crate::clock::Clock;
use crate::db::Db;
use crate::db::entities::{api_key as api_key_row, role, session, user};
use crate::error::{AppError, AuthFailure, Refusal};

/// A signed-in caller: a person with a live session, or an API key acting as its owner.
#[derive(Debug, Clone, PartialEq)]
pub struct Authenticated {
    /// The user (a key's owner).
    pub user_id: Uuid,
    /// The session the access token belongs to; none for an API key.
    pub session_id: Option<Uuid>,
    /// The API key the request was made with, if it was.
    pub api_key: Option<Uuid>,
    /// The union of the user's roles' permissions, as of this request (for a key, only
    /// those the key holds as well).
    pub permissions: PermissionSet,
    /// The same for application permissions.
    pub app_permissions: AppPermissions,
    /// The user's row, as of this request.
    pub user: Arc<user::Model>,
    /// The user's roles, as of this request.
    pub roles: Arc<Vec<role::Model>>,
    /// Where this request came from (for the audit log).
    pub(crate) client: Arc<ClientInfo>,
    /// When the credential was issued (Unix seconds): the token's `iat`, the key's creation.
    pub(crate) issued_at: i64,
    /// When the credential expires (Unix seconds); a key may never.
    pub(crate) expires_at: Option<i64>,
    /// When this session was signed in (a refresh keeps it); none for an API key.
    pub(crate) signed_in_at: Option<DateTime<Utc>>,
}

impl Authenticated {
    /// Whether the caller holds `p`.
    pub(crate) fn has(&self, p: Permission) -> bool {
        self.permissions.contains(p)
    }

    /// Whether the caller is the user `user` acting for itself: a person signed in as it.
    /// An API key never is, even for its owner: it does only what its permissions say.
    pub(crate) fn is_self(&self, user: Uuid) -> bool {
        self.api_key.is_none() && self.user_id == user
    }

    /// The caller's session, for what only a signed-in person may do (sign-in, refresh,
    /// passwords, emails, keys): an API key is FORBIDDEN.
    pub(crate) fn person(&self) -> Result<Uuid, AppError> {
        self.session_id.ok_or(AppError::Refused(Refusal::PersonOnly))
    }
}

impl Origin {
    /// A signed-in caller's request.
    pub(crate) fn of(actor: &Authenticated) -> Self {
        Self { actor: Some(actor.user_id), client: actor.client.as_ref().clone(), api_key: actor.api_key }
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

/// Why a credential is being resolved: a request made with it moves an API key's
/// `lastUsedAt`; a resource server asking about it does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Use {
    /// The credential of the request being served.
    Request,
    /// A credential presented for introspection.
    Inspection,
}

/// What resolving a caller needs.
pub(crate) struct Resolver<'a> {
    /// The database.
    pub db: &'a Db,
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
    /// Resolves the `Authorization` header value of a request.
    pub(crate) async fn resolve(&self, authorization: Option<&str>) -> Caller {
        self.resolve_as(authorization, Use::Request).await
    }

    /// Resolves a credential someone else presents to be looked at (RFC 7662
    /// introspection): the same answer, but looking is not a use of it.
    pub(crate) async fn inspect(&self, authorization: Option<&str>) -> Caller {
        self.resolve_as(authorization, Use::Inspection).await
    }

    async fn resolve_as(&self, authorization: Option<&str>, purpose: Use) -> Caller {
        let Some(value) = authorization else { return Caller::Anonymous };
        // The scheme is case-insensitive (RFC 9110 §11.1): `bearer`, `BEARER` and `Bearer` alike.
        let token = match value.trim_start().split_once(' ') {
            Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => token.trim(),
            _ => return Caller::Rejected(AuthFailure::InvalidToken),
        };
        let now = self.clock.now();
        if key_secret::looks_like_key(token) {
            return self.resolve_key(token, now, purpose).await;
        }
        let mut verified = self.tokens.verify(self.keys, token, now);
        if verified == Err(AuthFailure::InvalidToken)
            && let Some(kid) = tokens::kid_of(token)
            && self.keys.decoding_key(&kid).is_none()
            && self.keys.reload_for_unknown(&self.db.conn, self.clock, &kid).await
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
        match live_session(&self.db.conn, &subject, now, born_after).await {
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

    /// An API key: from the cache when nothing changed since it was read, else with one
    /// statement; it acts with what both it and its owner hold, as of now.
    async fn resolve_key(&self, secret: &str, now: DateTime<Utc>, purpose: Use) -> Caller {
        let hash = key_secret::hash(secret);
        let live = match self.live.get_key(&hash) {
            Some(live) => live,
            None => {
                let epoch = self.live.epoch();
                match key_secret::live_key(&self.db.conn, &hash).await {
                    Ok(Some(live)) => {
                        self.live.keep_key(epoch, live.clone());
                        live
                    }
                    Ok(None) => return Caller::Rejected(AuthFailure::InvalidToken),
                    Err(e) => {
                        tracing::error!(error = %e, "checking an API key");
                        return Caller::Unavailable;
                    }
                }
            }
        };
        if live.owner.expires_at <= now {
            return Caller::Rejected(AuthFailure::Expired);
        }
        if purpose == Use::Request {
            self.note_use(&live, now);
        }
        Caller::Authenticated(Authenticated::of_key(&live))
    }

    /// Moves the key's `last_used_at` on, at most once a minute and off the request's path.
    fn note_use(&self, live: &LiveKey, now: DateTime<Utc>) {
        use std::sync::atomic::Ordering;
        let seen = live.last_used.load(Ordering::Relaxed);
        let now_secs = now.timestamp();
        if now_secs - seen < 60
            || live.last_used.compare_exchange(seen, now_secs, Ordering::AcqRel, Ordering::Relaxed).is_err()
        {
            return;
        }
        let db = self.db.clone();
        let id = live.key.id;
        tokio::spawn(async move {
            use sea_orm::sea_query::Expr;
            let _turn = db.write_turn().await;
            let written = api_key_row::Entity::update_many()
                .col_expr(api_key_row::Column::LastUsedAt, Expr::value(now))
                .filter(api_key_row::Column::Id.eq(id))
                .exec(&db.conn)
                .await;
            if let Err(e) = written {
                tracing::warn!(error = %e, key = %id, "recording an API key's last use");
            }
        });
    }
}

impl Authenticated {
    fn of(subject: &Subject, live: LiveSession) -> Self {
        Self {
            user_id: subject.user_id,
            session_id: Some(subject.session_id),
            api_key: None,
            permissions: live.permissions,
            app_permissions: live.app_permissions,
            user: live.user,
            roles: live.roles,
            client: Arc::default(),
            issued_at: subject.issued_at,
            expires_at: Some(subject.expires_at),
            signed_in_at: Some(live.created_at),
        }
    }

    fn of_key(live: &LiveKey) -> Self {
        let owner = &live.owner;
        Self {
            user_id: owner.user.id,
            session_id: None,
            api_key: Some(live.key.id),
            permissions: owner.permissions.intersection(PermissionSet::from_stored(&live.key.permissions)),
            app_permissions: owner
                .app_permissions
                .intersection(&AppPermissions::from_stored(&live.key.app_permissions)),
            user: owner.user.clone(),
            roles: owner.roles.clone(),
            client: Arc::default(),
            issued_at: live.key.created_at.timestamp(),
            expires_at: live.key.expires_at.map(|t| t.timestamp()),
            signed_in_at: None,
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
    let Some((session, user, roles)) = with_owner_and_roles(rows) else { return Ok(None) };
    Ok(Some(LiveSession::of(user, roles, session.expires_at, session.created_at)))
}
