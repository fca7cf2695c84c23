//! The user queries and mutations of shared/API.md: `me`, `user`, `users`, `createUser`,
//! `updateUser`, `setUserPassword`, `deleteUser`.

mod inputs;
mod types;

use async_graphql::{Context, ID, Object};

use inputs::{CreateUserInput, UpdateUserInput, UserFilter, UserSort};
pub(crate) use types::{User, UserConnection};

use super::domain::Password;
use super::service::{self, Sort};
use crate::auth::permission::Permission;
use crate::error::{AppError, Result};
use crate::graphql::context::ContextExt;
use crate::graphql::guards::{HasPermission, SelfOr, SignedIn, SignedInPerson};
use crate::graphql::pagination::{Page, page_cost};
use crate::graphql::scalars::{parse_id, to_id};

/// User queries.
#[derive(Default)]
pub(crate) struct UserQuery;

#[Object]
impl UserQuery {
    /// The signed-in user.
    #[graphql(guard = "SignedIn")]
    async fn me(&self, ctx: &Context<'_>) -> Result<User> {
        // The session check read the user a moment ago, in this same request.
        Ok(User::new(ctx.actor()?.user.as_ref().clone()))
    }

    /// One user; null when no user has this id. Private fields are guarded.
    #[graphql(guard = "SignedIn")]
    async fn user(&self, ctx: &Context<'_>, id: ID) -> Result<Option<User>> {
        let id = parse_id(&id, "id")?;
        Ok(service::get(&ctx.state()?.db.conn, id).await?.map(User::new))
    }

    /// Users, a page at a time (USER_READ). `first`/`last` default to 20, at most 100.
    #[allow(clippy::too_many_arguments)] // the Relay arguments of shared/API.md
    #[graphql(guard = "HasPermission(Permission::UserRead)", complexity = "page_cost(first, last, child_complexity)")]
    async fn users(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<UserFilter>,
        sort: Option<UserSort>,
    ) -> Result<UserConnection> {
        let page = Page::parse(first, after, last, before)?;
        let filter = filter.unwrap_or_default().parse()?;
        UserConnection::load(ctx, filter, sort.map(Sort::from).unwrap_or_default(), page).await
    }
}

/// User mutations.
#[derive(Default)]
pub(crate) struct UserMutation;

#[Object]
impl UserMutation {
    /// Creates a user (USER_WRITE). Roles given must be within the caller's permissions.
    #[graphql(guard = "HasPermission(Permission::UserWrite)")]
    async fn create_user(&self, ctx: &Context<'_>, input: CreateUserInput) -> Result<User> {
        let new = input.parse()?;
        Ok(User::new(service::create(ctx.state()?, Some(ctx.actor()?), new).await?))
    }

    /// Updates a user (USER_WRITE); users may change their own profile fields.
    #[graphql(guard = "SelfOr::for_id(Permission::UserWrite, &id)")]
    async fn update_user(&self, ctx: &Context<'_>, id: ID, input: UpdateUserInput) -> Result<User> {
        let id = parse_id(&id, "id")?;
        let patch = input.parse()?;
        Ok(User::new(service::update(ctx.state()?, ctx.actor()?, id, patch).await?))
    }

    /// Sets a user's password (USER_WRITE) and ends all of its sessions.
    #[graphql(guard = "HasPermission(Permission::UserWrite).and(SignedInPerson)")]
    async fn set_user_password(&self, ctx: &Context<'_>, id: ID, password: String) -> Result<User> {
        let id = parse_id(&id, "id")?;
        let password = Password::parse(&password).map_err(|m| AppError::bad_field("password", m))?;
        Ok(User::new(service::set_password(ctx.state()?, ctx.actor()?, id, &password, None).await?))
    }

    /// Deletes a user (USER_WRITE); returns its id.
    #[graphql(guard = "HasPermission(Permission::UserWrite)")]
    async fn delete_user(&self, ctx: &Context<'_>, id: ID) -> Result<ID> {
        let id = parse_id(&id, "id")?;
        Ok(to_id(service::delete(ctx.state()?, ctx.actor()?, id).await?))
    }
}
