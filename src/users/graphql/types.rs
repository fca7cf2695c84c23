//! The `User` type and its connection. `User.roles` returns the roles feature's `Role`, and
//! `Role.users` this feature's connection: the one place where the two features meet, as
//! the graph itself does.

use async_graphql::{ComplexObject, Context, ID, Json, Object, SimpleObject};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::api_keys::graphql::ApiKey;
use crate::auth::permission::{Permission, PermissionSet};
use crate::db::entities::user;
use crate::error::Result;
use crate::graphql::context::ContextExt;
use crate::graphql::guards::SelfOr;
use crate::graphql::loaders::load_error;
use crate::graphql::pagination::{Cursor, Page, PageInfo};
use crate::graphql::scalars::to_id;
use crate::roles::graphql::Role;
use crate::sessions::graphql::Session;
use crate::users::service::{self, Filter, SearchPlan, Sort};

/// A person's account.
pub(crate) struct User {
    model: user::Model,
    /// The payload of the caller's own login or registration: its private fields are
    /// readable although the request carried no token yet.
    owner_view: bool,
    /// Its roles, read once for `roles`, `permissions` and `appPermissions` alike; a page
    /// sets them for all of its users at once.
    roles: tokio::sync::OnceCell<Vec<Role>>,
}

impl User {
    /// The user's roles: the caller's own were read with its session; anyone else's come
    /// through the request's loader (one statement for a whole page).
    async fn roles_of(&self, ctx: &Context<'_>) -> Result<&[Role]> {
        let roles = self
            .roles
            .get_or_try_init(|| async {
                if let Ok(actor) = ctx.actor()
                    && actor.user_id == self.model.id
                {
                    return Ok(actor.roles.iter().cloned().map(Role).collect());
                }
                let roles = ctx.loaders()?.roles_by_user.load_one(self.model.id).await.map_err(load_error)?;
                Ok::<_, crate::error::AppError>(roles.unwrap_or_default().into_iter().map(Role).collect())
            })
            .await?;
        Ok(roles)
    }

    /// A user as seen by the request's caller.
    pub(crate) fn new(model: user::Model) -> Self {
        Self { model, owner_view: false, roles: tokio::sync::OnceCell::new() }
    }

    /// A user returned to itself by login, register or refresh.
    pub(crate) fn owned(model: user::Model) -> Self {
        Self { model, owner_view: true, roles: tokio::sync::OnceCell::new() }
    }
}

#[Object]
impl User {
    async fn id(&self) -> ID {
        to_id(self.model.id)
    }

    /// Unique when set, case-insensitive.
    async fn username(&self) -> Option<&str> {
        self.model.username.as_deref()
    }

    /// Private: the user itself, or USER_READ.
    #[graphql(guard = "SelfOr::new(Permission::UserRead, self.model.id).or_owner(self.owner_view)")]
    async fn email(&self) -> Option<&str> {
        Some(&self.model.email)
    }

    async fn display_name(&self) -> Option<&str> {
        self.model.display_name.as_deref()
    }

    async fn first_name(&self) -> Option<&str> {
        self.model.first_name.as_deref()
    }

    async fn last_name(&self) -> Option<&str> {
        self.model.last_name.as_deref()
    }

    /// Private: the user itself, or USER_READ.
    #[graphql(guard = "SelfOr::new(Permission::UserRead, self.model.id).or_owner(self.owner_view)")]
    async fn phone_number(&self) -> Option<&str> {
        self.model.phone_number.as_deref()
    }

    /// Private: the user itself, or USER_READ.
    #[graphql(guard = "SelfOr::new(Permission::UserRead, self.model.id).or_owner(self.owner_view)")]
    async fn address(&self) -> Option<&str> {
        self.model.address.as_deref()
    }

    async fn avatar_url(&self) -> Option<&str> {
        self.model.avatar_url.as_deref()
    }

    /// Inactive users cannot sign in, and their sessions end.
    async fn is_active(&self) -> bool {
        self.model.is_active
    }

    /// Private: free-form object for deployment-specific data (e.g. an org unit).
    #[graphql(guard = "SelfOr::new(Permission::UserRead, self.model.id).or_owner(self.owner_view)")]
    async fn attributes(&self) -> Option<Json<serde_json::Value>> {
        self.model.attributes.clone().map(Json)
    }

    async fn roles(&self, ctx: &Context<'_>) -> Result<&[Role]> {
        self.roles_of(ctx).await
    }

    /// Effective permissions: the union of the roles'.
    async fn permissions(&self, ctx: &Context<'_>) -> Result<Vec<Permission>> {
        let roles = self.roles_of(ctx).await?;
        Ok(PermissionSet::union_of(roles.iter().map(|r| r.0.permissions.as_str())).to_vec())
    }

    /// Whether the user proved it receives mail at its address.
    async fn email_verified(&self) -> bool {
        self.model.email_verified
    }

    /// Private: "en" or "id", the language of the mails it receives (null: the language
    /// of the request that causes the mail).
    #[graphql(guard = "SelfOr::new(Permission::UserRead, self.model.id).or_owner(self.owner_view)")]
    async fn locale(&self) -> Option<&str> {
        self.model.locale.as_deref()
    }

    /// Private: the second factors it has turned on (empty: a password signs it in).
    #[graphql(guard = "SelfOr::new(Permission::UserRead, self.model.id).or_owner(self.owner_view)")]
    async fn mfa_methods(&self, ctx: &Context<'_>) -> Result<Option<Vec<crate::mfa::domain::MfaMethod>>> {
        Ok(Some(crate::mfa::graphql::methods_of(ctx, self.model.id).await?))
    }

    /// Private: the passkeys that sign it in, oldest first.
    #[graphql(guard = "SelfOr::new(Permission::UserRead, self.model.id).or_owner(self.owner_view)")]
    async fn passkeys(&self, ctx: &Context<'_>) -> Result<Option<Vec<crate::mfa::graphql::Passkey>>> {
        Ok(Some(crate::mfa::graphql::passkeys_of(ctx, self.model.id).await?))
    }

    /// Private: the user itself, or USER_READ.
    #[graphql(guard = "SelfOr::new(Permission::UserRead, self.model.id).or_owner(self.owner_view)")]
    async fn last_login_at(&self) -> Option<DateTime<Utc>> {
        self.model.last_login_at
    }

    /// Effective application permissions: the union of the roles' (for the developer role,
    /// every name any role has).
    async fn app_permissions(&self, ctx: &Context<'_>) -> Result<Vec<String>> {
        let roles: Vec<_> = self.roles_of(ctx).await?.iter().map(|r| r.0.clone()).collect();
        let set = crate::auth::app_permission::AppPermissions::of_roles(&roles);
        ctx.loaders()?.app_permission_names(&set).await
    }

    /// Private: the user itself, or USER_READ. Newest first.
    #[graphql(guard = "SelfOr::new(Permission::UserRead, self.model.id).or_owner(self.owner_view)")]
    async fn api_keys(&self, ctx: &Context<'_>) -> Result<Option<Vec<ApiKey>>> {
        Ok(Some(ApiKey::of_user(ctx, self.model.id).await?))
    }

    /// Private: the user itself, or USER_READ. Live sessions only, newest first (at most 500).
    #[graphql(guard = "SelfOr::new(Permission::UserRead, self.model.id).or_owner(self.owner_view)")]
    async fn sessions(&self, ctx: &Context<'_>) -> Result<Option<Vec<Session>>> {
        Ok(Some(Session::of_user(ctx, self.model.id).await?))
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.model.created_at
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        self.model.updated_at
    }
}

/// An edge of a user connection (its `#[Object]` block carries the schema's description).
pub(crate) struct UserEdge {
    /// The sort its cursor is written for: a cursor is made only when asked for.
    sort: Sort,
    node: User,
}

/// An edge of a user connection.
#[Object]
impl UserEdge {
    /// Opaque position of this user in the list.
    async fn cursor(&self) -> String {
        cursor_of(self.sort, &self.node.model)
    }

    /// The user.
    async fn node(&self) -> &User {
        &self.node
    }
}

fn cursor_of(sort: Sort, u: &user::Model) -> String {
    Cursor { sort: sort.name().to_owned(), value: sort.value_of(u), id: u.id }.encode()
}

/// A page of users (Relay connection).
#[derive(SimpleObject)]
#[graphql(complex)]
pub(crate) struct UserConnection {
    /// The users with their cursors.
    pub edges: Vec<UserEdge>,
    /// Where this page is in the list.
    pub page_info: PageInfo,
    #[graphql(skip)]
    filter: Filter,
    #[graphql(skip)]
    plan: SearchPlan,
}

#[ComplexObject]
impl UserConnection {
    /// The users, without cursors.
    async fn nodes(&self) -> Vec<&User> {
        self.edges.iter().map(|e| &e.node).collect()
    }

    /// How many users match the filter; counted only when asked for.
    async fn total_count(&self, ctx: &Context<'_>) -> Result<i32> {
        let n = service::count(&ctx.state()?.db.conn, &self.filter, self.plan).await?;
        Ok(i32::try_from(n).unwrap_or(i32::MAX))
    }
}

impl UserConnection {
    /// The members of a role, a page at a time, oldest first: `Role.users`.
    pub(crate) async fn of_role(ctx: &Context<'_>, role_id: Uuid, page: Page) -> Result<Self> {
        let filter = Filter { role_id: Some(role_id), ..Filter::default() };
        Self::load(ctx, filter, Sort::default(), page).await
    }

    /// Reads one page.
    pub(crate) async fn load(ctx: &Context<'_>, filter: Filter, sort: Sort, page: Page) -> Result<Self> {
        let keyset = page.keyset(sort.name(), |v| sort.parse_value(v))?;
        let db = &ctx.state()?.db.conn;
        let plan = filter.plan(db).await?;
        let result = service::list(db, &filter, plan, sort, &keyset).await?;
        let ahead = ctx.look_ahead();
        let wants_roles = ["roles", "permissions", "appPermissions"]
            .iter()
            .any(|f| ahead.field("nodes").field(f).exists() || ahead.field("edges").field("node").field(f).exists());
        let first = result.rows.first().map(|u| cursor_of(sort, u));
        let last = result.rows.last().map(|u| cursor_of(sort, u));
        let page_info = PageInfo::of(&keyset, result.has_more, first, last);
        // The roles of the whole page in one statement, handed to each user as it is
        // made: nothing is looked up, cloned or cached per user.
        let mut roles = if wants_roles {
            let ids: Vec<Uuid> = result.rows.iter().map(|u| u.id).collect();
            service::roles_of_page(db, &ids).await?
        } else {
            Default::default()
        };
        let edges = result
            .rows
            .into_iter()
            .map(|u| {
                let node = User::new(u);
                if wants_roles {
                    let of_user = roles.remove(&node.model.id).unwrap_or_default();
                    let _ = node.roles.set(of_user.into_iter().map(Role).collect());
                }
                UserEdge { sort, node }
            })
            .collect();
        Ok(Self { edges, page_info, filter, plan })
    }
}
