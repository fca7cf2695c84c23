//! `Session`, `User.sessions` and the session mutations.

use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};

use super::service;
use crate::auth::permission::Permission;
use crate::db::entities::session;
use crate::error::Result;
use crate::graphql::context::ContextExt;
use crate::graphql::guards::{HasPermission, SignedIn, SignedInPerson};
use crate::graphql::scalars::{parse_id, to_id};

/// A signed-in device or browser: one per sign-in, kept alive by refreshing.
pub(crate) struct Session {
    model: session::Model,
    /// When it ends at the latest: idle expiry or maximum lifetime, whichever is first.
    expires_at: DateTime<Utc>,
    current: bool,
}

impl Session {
    /// A user's live sessions, newest first, as the caller sees them.
    pub(crate) async fn of_user(ctx: &Context<'_>, user_id: uuid::Uuid) -> Result<Vec<Self>> {
        let state = ctx.state()?;
        let current = ctx.actor().ok().and_then(|a| a.session_id);
        let max = chrono::Duration::from_std(state.lifetimes.max).unwrap_or(chrono::Duration::MAX);
        let rows = service::live_of(&state.db.conn, user_id, state.now(), &state.lifetimes).await?;
        Ok(rows
            .into_iter()
            .map(|model| Session {
                expires_at: model
                    .created_at
                    .checked_add_signed(max)
                    .map_or(model.expires_at, |m| m.min(model.expires_at)),
                current: Some(model.id) == current,
                model,
            })
            .collect())
    }
}

#[Object]
impl Session {
    async fn id(&self) -> ID {
        to_id(self.model.id)
    }

    /// The session of the access token making this request.
    async fn current(&self) -> bool {
        self.current
    }

    /// When it was signed in.
    async fn created_at(&self) -> DateTime<Utc> {
        self.model.created_at
    }

    /// Sign-in or the last refresh.
    async fn last_used_at(&self) -> DateTime<Utc> {
        self.model.last_used_at
    }

    /// When it ends unless refreshed before (and at the latest, `GERBANG_SESSION_MAX_LIFETIME`
    /// after sign-in).
    async fn expires_at(&self) -> DateTime<Utc> {
        self.expires_at
    }

    /// As sent when the session began, cut to 512 characters.
    async fn user_agent(&self) -> Option<&str> {
        self.model.user_agent.as_deref()
    }

    /// The client's address when the session began (see `GERBANG_TRUSTED_PROXIES`).
    async fn ip_address(&self) -> Option<&str> {
        self.model.ip_address.as_deref()
    }
}

/// Session mutations.
#[derive(Default)]
pub(crate) struct SessionMutation;

#[Object]
impl SessionMutation {
    /// Ends a session: the caller's own, or with USER_WRITE one of a user within the
    /// caller's reach. True when a live session ended; false when it had ended already.
    #[graphql(guard = "SignedIn")]
    async fn revoke_session(&self, ctx: &Context<'_>, id: ID) -> Result<bool> {
        let id = parse_id(&id, "id")?;
        service::revoke(ctx.state()?, ctx.actor()?, id).await
    }

    /// Ends every session of the caller but the current one; how many ended.
    #[graphql(guard = "SignedInPerson")]
    async fn revoke_other_sessions(&self, ctx: &Context<'_>) -> Result<i32> {
        let n = service::revoke_others(ctx.state()?, ctx.actor()?).await?;
        Ok(i32::try_from(n).unwrap_or(i32::MAX))
    }

    /// Ends every session of a user within the caller's reach (USER_WRITE); how many ended.
    #[graphql(guard = "HasPermission(Permission::UserWrite)")]
    async fn revoke_user_sessions(&self, ctx: &Context<'_>, user_id: ID) -> Result<i32> {
        let user_id = parse_id(&user_id, "userId")?;
        let n = service::revoke_user(ctx.state()?, ctx.actor()?, user_id).await?;
        Ok(i32::try_from(n).unwrap_or(i32::MAX))
    }
}
