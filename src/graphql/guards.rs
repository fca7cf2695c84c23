//! Guards, declared on fields so each operation's and field's rule is read where it is
//! declared (shared/API.md): anonymous callers get UNAUTHENTICATED, signed-in callers
//! without the permission FORBIDDEN, and nothing runs before the guard has passed.

use async_graphql::{Context, Guard};
use uuid::Uuid;

use super::context::ContextExt;
use crate::auth::caller::Caller;
use crate::auth::permission::Permission;
use crate::auth::throttle::IpBucket;
use crate::error::{AppError, Refusal};

/// Any signed-in caller with a live session.
pub(crate) struct SignedIn;

impl Guard for SignedIn {
    async fn check(&self, ctx: &Context<'_>) -> async_graphql::Result<()> {
        ctx.actor()?;
        Ok(())
    }
}

/// A person signed in with a session, never an API key: what adds or removes a way in to
/// the account (passwords, passkeys, TOTP, keys, addresses) is the person's alone.
pub(crate) struct SignedInPerson;

impl Guard for SignedInPerson {
    async fn check(&self, ctx: &Context<'_>) -> async_graphql::Result<()> {
        ctx.actor()?.person()?;
        Ok(())
    }
}

/// Anonymous or a person, never an API key (signing in, registering, refreshing).
pub(crate) struct NotAnApiKey;

impl Guard for NotAnApiKey {
    async fn check(&self, ctx: &Context<'_>) -> async_graphql::Result<()> {
        Ok(not_an_api_key(ctx)?)
    }
}

/// [`NotAnApiKey`] for a resolver that counts its refusals itself.
pub(crate) fn not_an_api_key(ctx: &Context<'_>) -> Result<(), AppError> {
    match &ctx.request()?.caller {
        Caller::Authenticated(a) if a.api_key.is_some() => Err(AppError::Refused(Refusal::PersonOnly)),
        _ => Ok(()),
    }
}

/// One attempt of the client address's budget (`IpBucket`); TOO_MANY_REQUESTS past it.
pub(crate) struct PerIp(pub IpBucket);

impl Guard for PerIp {
    async fn check(&self, ctx: &Context<'_>) -> async_graphql::Result<()> {
        Ok(per_ip(ctx, self.0)?)
    }
}

/// [`PerIp`] for a resolver that counts its refusals itself.
pub(crate) fn per_ip(ctx: &Context<'_>, bucket: IpBucket) -> Result<(), AppError> {
    match ctx.request()?.ip {
        Some(ip) => ctx.state()?.ip_limits.check(bucket, ip),
        None => Ok(()),
    }
}

/// A signed-in caller holding the permission.
pub(crate) struct HasPermission(pub Permission);

impl Guard for HasPermission {
    async fn check(&self, ctx: &Context<'_>) -> async_graphql::Result<()> {
        if ctx.actor()?.has(self.0) { Ok(()) } else { Err(AppError::Forbidden.into()) }
    }
}

/// The user `owner` itself (a person, not one of its API keys), or a caller holding the
/// permission.
pub(crate) struct SelfOr {
    permission: Permission,
    owner: Uuid,
    owner_view: bool,
}

impl SelfOr {
    /// Guards data of `owner`.
    pub(crate) fn new(permission: Permission, owner: Uuid) -> Self {
        Self { permission, owner, owner_view: false }
    }

    /// Also passes when the data is being returned to its owner by the operation that
    /// just signed it in (login, register, refresh: no token on the request yet).
    pub(crate) fn or_owner(mut self, owner_view: bool) -> Self {
        self.owner_view = owner_view;
        self
    }

    /// Guards an operation on the user named by an `id` argument. A malformed id matches
    /// nobody, so only the permission can pass (the resolver then reports the bad id).
    pub(crate) fn for_id(permission: Permission, id: &async_graphql::ID) -> Self {
        Self { permission, owner: Uuid::try_parse(id.as_str()).unwrap_or(Uuid::nil()), owner_view: false }
    }
}

impl Guard for SelfOr {
    async fn check(&self, ctx: &Context<'_>) -> async_graphql::Result<()> {
        if self.owner_view {
            return Ok(());
        }
        let actor = ctx.actor()?;
        if actor.is_self(self.owner) || actor.has(self.permission) { Ok(()) } else { Err(AppError::Forbidden.into()) }
    }
}
