//! The `Role` type and the role queries and mutations of shared/API.md.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object};
use chrono::{DateTime, Utc};

use super::domain::{Description, RoleCode, RoleName};
use super::service::{self, NewRole, RolePatch};
use crate::auth::app_permission::{self, AppPermissions};
use crate::auth::permission::{Permission, PermissionSet};
use crate::db::entities::role;
use crate::error::{AppError, Collect, Result};
use crate::graphql::context::ContextExt;
use crate::graphql::guards::{HasPermission, SignedIn};
use crate::graphql::loaders::load_error;
use crate::graphql::pagination::Page;
use crate::graphql::pagination::page_cost;
use crate::graphql::scalars::{parse_id, patch, to_id};
use crate::i18n::Message;
use crate::users::graphql::{User, UserConnection};

/// A named set of permissions that users hold.
pub(crate) struct Role(pub role::Model);

#[Object]
impl Role {
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    /// Unique, case-insensitive.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// A numeric code; unique when set.
    async fn code(&self) -> Option<i32> {
        self.0.code
    }

    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// System roles (developer, admin, user) cannot be deleted or renamed.
    async fn is_system(&self) -> bool {
        self.0.is_system
    }

    async fn permissions(&self) -> Vec<Permission> {
        PermissionSet::from_stored(&self.0.permissions).to_vec()
    }

    /// The deployment's own permission names (e.g. `invoice:write`), for its APIs to
    /// authorise with; the developer role holds every one, so its list is all the names
    /// any role has.
    async fn app_permissions(&self, ctx: &Context<'_>) -> Result<Vec<String>> {
        let set = AppPermissions::of_roles(std::slice::from_ref(&self.0));
        ctx.loaders()?.app_permission_names(&set).await
    }

    /// Who created the role; null for system roles and deleted authors.
    async fn created_by(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        let Some(author) = self.0.created_by else { return Ok(None) };
        Ok(ctx.loaders()?.user_by_id.load_one(author).await.map_err(load_error)?.map(User::new))
    }

    /// Number of members (USER_READ).
    #[graphql(guard = "HasPermission(Permission::UserRead)")]
    async fn user_count(&self, ctx: &Context<'_>) -> Result<Option<i32>> {
        let n = ctx.loaders()?.member_count.load_one(self.0.id).await.map_err(load_error)?.unwrap_or(0);
        Ok(Some(i32::try_from(n).unwrap_or(i32::MAX)))
    }

    /// Members, a page at a time (USER_READ).
    #[graphql(guard = "HasPermission(Permission::UserRead)", complexity = "page_cost(first, None, child_complexity)")]
    async fn users(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Option<UserConnection>> {
        let page = Page::parse(first, after, None, None)?;
        Ok(Some(UserConnection::of_role(ctx, self.0.id, page).await?))
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// Fields of a new role.
#[derive(InputObject)]
pub(crate) struct CreateRoleInput {
    pub name: String,
    /// A positive number, unique when set.
    pub code: Option<i32>,
    pub description: Option<String>,
    /// At most the caller's own permissions.
    pub permissions: Option<Vec<Permission>>,
    /// Names matching `^[a-z][a-z0-9_.:-]{0,127}$`, at most 100; only ones the caller holds.
    pub app_permissions: Option<Vec<String>>,
}

/// Changes to a role; an explicit null clears `code` or `description`.
#[derive(InputObject)]
pub(crate) struct UpdateRoleInput {
    pub name: MaybeUndefined<String>,
    pub code: MaybeUndefined<i32>,
    pub description: MaybeUndefined<String>,
    /// The complete new set of permissions.
    pub permissions: MaybeUndefined<Vec<Permission>>,
    /// The complete new set of application permissions.
    pub app_permissions: MaybeUndefined<Vec<String>>,
}

impl CreateRoleInput {
    fn parse(self) -> Result<NewRole> {
        let mut c = Collect::default();
        let name = c.field("name", RoleName::parse(&self.name));
        let code = self.code.and_then(|n| c.field("code", RoleCode::parse(n)));
        let description = self.description.and_then(|d| c.field("description", Description::parse(&d)));
        let app_permissions =
            app_permission::collect(&mut c, "appPermissions", self.app_permissions.as_deref().unwrap_or_default());
        c.finish()?;
        let name = name.ok_or_else(|| AppError::Internal(anyhow::anyhow!("a parsed field went missing")))?;
        Ok(NewRole {
            name,
            code,
            description,
            permissions: self.permissions.unwrap_or_default().into_iter().collect(),
            app_permissions: app_permissions.unwrap_or_default(),
        })
    }
}

impl UpdateRoleInput {
    fn parse(self) -> Result<RolePatch> {
        let mut c = Collect::default();
        let name = match self.name {
            MaybeUndefined::Undefined => None,
            MaybeUndefined::Null => {
                c.fail("name", Message::Required);
                None
            }
            MaybeUndefined::Value(n) => c.field("name", RoleName::parse(&n)),
        };
        let code = c.field("code", patch(self.code, RoleCode::parse)).unwrap_or_default();
        let description =
            c.field("description", patch(self.description, |d| Description::parse(&d))).unwrap_or_default();
        let permissions = match self.permissions {
            MaybeUndefined::Undefined => None,
            MaybeUndefined::Null => {
                c.fail("permissions", Message::Required);
                None
            }
            MaybeUndefined::Value(p) => Some(p.into_iter().collect()),
        };
        let app = match self.app_permissions {
            MaybeUndefined::Undefined => None,
            MaybeUndefined::Null => {
                c.fail("appPermissions", Message::Required);
                None
            }
            MaybeUndefined::Value(names) => app_permission::collect(&mut c, "appPermissions", &names),
        };
        c.finish()?;
        Ok(RolePatch { name, code, description, permissions, app_permissions: app })
    }
}

/// Role queries.
#[derive(Default)]
pub(crate) struct RoleQuery;

#[Object]
impl RoleQuery {
    /// One role; null when no role has this id.
    #[graphql(guard = "SignedIn")]
    async fn role(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Role>> {
        let id = parse_id(&id, "id")?;
        Ok(service::get(&ctx.state()?.db.conn, id).await?.map(Role))
    }

    /// Every role: the system roles first, then by name.
    #[graphql(guard = "SignedIn")]
    async fn roles(&self, ctx: &Context<'_>) -> Result<Vec<Role>> {
        let roles = service::list(&ctx.state()?.db.conn).await?;
        let (ahead, loaders) = (ctx.look_ahead(), ctx.loaders()?);
        if ahead.field("createdBy").exists() {
            let authors: Vec<uuid::Uuid> = roles.iter().filter_map(|r| r.created_by).collect();
            loaders.user_by_id.load_many(authors).await.map_err(load_error)?;
        }
        if ahead.field("userCount").exists() && ctx.actor()?.has(Permission::UserRead) {
            loaders.member_count.load_many(roles.iter().map(|r| r.id)).await.map_err(load_error)?;
        }
        Ok(roles.into_iter().map(Role).collect())
    }
}

/// Role mutations.
#[derive(Default)]
pub(crate) struct RoleMutation;

#[Object]
impl RoleMutation {
    /// Creates a role (ROLE_WRITE) with at most the caller's permissions.
    #[graphql(guard = "HasPermission(Permission::RoleWrite)")]
    async fn create_role(&self, ctx: &Context<'_>, input: CreateRoleInput) -> Result<Role> {
        let new = input.parse()?;
        Ok(Role(service::create(ctx.state()?, ctx.actor()?, new).await?))
    }

    /// Updates a role (ROLE_WRITE). System roles keep their names; the developer role
    /// keeps every permission.
    #[graphql(guard = "HasPermission(Permission::RoleWrite)")]
    async fn update_role(&self, ctx: &Context<'_>, id: ID, input: UpdateRoleInput) -> Result<Role> {
        let id = parse_id(&id, "id")?;
        let patch = input.parse()?;
        Ok(Role(service::update(ctx.state()?, ctx.actor()?, id, patch).await?))
    }

    /// Deletes a role (ROLE_WRITE); its members simply lose it. Returns its id.
    #[graphql(guard = "HasPermission(Permission::RoleWrite)")]
    async fn delete_role(&self, ctx: &Context<'_>, id: ID) -> Result<ID> {
        let id = parse_id(&id, "id")?;
        Ok(to_id(service::delete(ctx.state()?, ctx.actor()?, id).await?))
    }
}
