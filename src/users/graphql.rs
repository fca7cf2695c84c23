//! The `User` type, its connection, and the user queries and mutations of shared/API.md.
//! `User.roles` returns the roles feature's `Role`, and `Role.users` this feature's
//! connection: the one place where the two features meet, as the graph itself does.

use async_graphql::{ComplexObject, Context, Enum, ID, InputObject, Json, MaybeUndefined, Object, SimpleObject};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::domain::{Address, Attributes, AvatarUrl, Email, Password, PersonName, PhoneNumber, SearchTerm, Username};
use super::service::{self, Filter, NewUser, Patch, SearchPlan, Sort, SortKey, UserPatch};
use crate::api_keys::graphql::ApiKey;
use crate::auth::permission::{Permission, PermissionSet};
use crate::db::entities::user;
use crate::error::{AppError, Collect, Result};
use crate::graphql::context::ContextExt;
use crate::graphql::guards::{HasPermission, SelfOr, SignedIn, SignedInPerson};
use crate::graphql::loaders::load_error;
use crate::graphql::pagination::{Cursor, Page, PageInfo, page_cost};
use crate::graphql::scalars::{self, parse_id, to_id};
use crate::i18n::Locale;
use crate::roles::graphql::Role;
use crate::sessions::graphql::Session;

/// A person's account.
pub(crate) struct User {
    model: user::Model,
    /// The payload of the caller's own login or registration: its private fields are
    /// readable although the request carried no token yet.
    owner_view: bool,
}

impl User {
    /// The user's roles: the caller's own were read with its session; anyone else's come
    /// through the request's loader (one statement for a whole page).
    async fn roles_of(&self, ctx: &Context<'_>) -> Result<Vec<crate::db::entities::role::Model>> {
        if let Ok(actor) = ctx.actor()
            && actor.user_id == self.model.id
        {
            return Ok(actor.roles.as_ref().clone());
        }
        let roles = ctx.loaders()?.roles_by_user.load_one(self.model.id).await.map_err(load_error)?;
        Ok(roles.unwrap_or_default())
    }

    /// A user as seen by the request's caller.
    pub(crate) fn new(model: user::Model) -> Self {
        Self { model, owner_view: false }
    }

    /// A user returned to itself by login, register or refresh.
    pub(crate) fn owned(model: user::Model) -> Self {
        Self { model, owner_view: true }
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

    async fn roles(&self, ctx: &Context<'_>) -> Result<Vec<Role>> {
        Ok(self.roles_of(ctx).await?.into_iter().map(Role).collect())
    }

    /// Effective permissions: the union of the roles'.
    async fn permissions(&self, ctx: &Context<'_>) -> Result<Vec<Permission>> {
        let roles = self.roles_of(ctx).await?;
        Ok(PermissionSet::union_of(roles.iter().map(|r| r.permissions.as_str())).to_vec())
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
        let roles = self.roles_of(ctx).await?;
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

/// An edge of a user connection.
#[derive(SimpleObject)]
pub(crate) struct UserEdge {
    /// Opaque position of this user in the list.
    pub cursor: String,
    /// The user.
    pub node: User,
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
    async fn nodes(&self) -> Vec<User> {
        self.edges.iter().map(|e| User::new(e.node.model.clone())).collect()
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
        let wants_roles = ["roles", "permissions"]
            .iter()
            .any(|f| ahead.field("nodes").field(f).exists() || ahead.field("edges").field("node").field(f).exists());
        if wants_roles {
            let ids: Vec<Uuid> = result.rows.iter().map(|u| u.id).collect();
            ctx.loaders()?.roles_by_user.load_many(ids).await.map_err(load_error)?;
        }
        let edges: Vec<UserEdge> = result
            .rows
            .into_iter()
            .map(|u| UserEdge {
                cursor: Cursor { sort: sort.name().to_owned(), value: sort.value_of(&u), id: u.id }.encode(),
                node: User::new(u),
            })
            .collect();
        let (first, last) = (edges.first().map(|e| e.cursor.clone()), edges.last().map(|e| e.cursor.clone()));
        let page_info = PageInfo::of(&keyset, result.has_more, first, last);
        Ok(Self { edges, page_info, filter, plan })
    }
}

/// Which users `users` returns.
#[derive(InputObject, Default)]
pub(crate) struct UserFilter {
    /// Case-insensitive; at most 200 characters. Three or more characters match anywhere in
    /// the email, username, display, first or last name; one or two match the start of the
    /// email, username or display name.
    pub search: Option<String>,
    /// Only members of this role.
    pub role_id: Option<ID>,
    /// Only active (or only inactive) users.
    pub is_active: Option<bool>,
}

/// What users can be sorted by.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub(crate) enum UserSortField {
    /// Creation time.
    CreatedAt,
    /// Email, case-insensitively.
    Email,
    /// Username, case-insensitively (users without one first).
    Username,
    /// Display name (users without one first).
    DisplayName,
}

/// Sort direction.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub(crate) enum SortDirection {
    /// Ascending.
    Asc,
    /// Descending.
    Desc,
}

/// How `users` is sorted; ties are broken by id, so pages never overlap.
#[derive(InputObject)]
pub(crate) struct UserSort {
    /// The key.
    pub field: UserSortField,
    /// The direction.
    pub direction: SortDirection,
}

impl From<UserSort> for Sort {
    fn from(s: UserSort) -> Self {
        let key = match s.field {
            UserSortField::CreatedAt => SortKey::CreatedAt,
            UserSortField::Email => SortKey::Email,
            UserSortField::Username => SortKey::Username,
            UserSortField::DisplayName => SortKey::DisplayName,
        };
        Sort { key, descending: s.direction == SortDirection::Desc }
    }
}

impl UserFilter {
    fn parse(self) -> Result<Filter> {
        let mut c = Collect::default();
        let role_id = self
            .role_id
            .and_then(|id| c.field("roleId", parse_id(&id, "roleId").map_err(|_| crate::i18n::Message::InvalidId)));
        let search = self.search.and_then(|s| c.field("search", SearchTerm::parse(&s))).flatten();
        c.finish()?;
        Ok(Filter { search, role_id, is_active: self.is_active })
    }
}

/// Fields of a new user.
#[derive(InputObject)]
pub(crate) struct CreateUserInput {
    pub email: String,
    /// Without one, the account cannot sign in until a password is set.
    pub password: Option<String>,
    pub username: Option<String>,
    pub display_name: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone_number: Option<String>,
    pub address: Option<String>,
    pub avatar_url: Option<String>,
    /// Defaults to true.
    pub is_active: Option<bool>,
    pub attributes: Option<Json<serde_json::Value>>,
    pub role_ids: Option<Vec<ID>>,
    /// Whether the address is known to be the user's; defaults to false.
    pub email_verified: Option<bool>,
    /// "en" or "id": the language of the user's mails.
    pub locale: Option<String>,
}

/// Changes to a user: every field optional; an explicit null clears a nullable field.
#[derive(InputObject)]
pub(crate) struct UpdateUserInput {
    pub email: MaybeUndefined<String>,
    pub username: MaybeUndefined<String>,
    pub display_name: MaybeUndefined<String>,
    pub first_name: MaybeUndefined<String>,
    pub last_name: MaybeUndefined<String>,
    pub phone_number: MaybeUndefined<String>,
    pub address: MaybeUndefined<String>,
    pub avatar_url: MaybeUndefined<String>,
    pub is_active: MaybeUndefined<bool>,
    pub attributes: MaybeUndefined<Json<serde_json::Value>>,
    /// The complete new set of roles.
    pub role_ids: MaybeUndefined<Vec<ID>>,
    /// Whether the address is known to be the user's (USER_WRITE, not for oneself). A
    /// changed email is unverified unless this says otherwise.
    pub email_verified: MaybeUndefined<bool>,
    /// "en" or "id": the language of the user's mails; null for the request's language.
    pub locale: MaybeUndefined<String>,
}

/// Most roles one user may be given in one request: more is a mistake or an attack (each
/// id becomes a statement parameter, and databases cap those).
const MAX_ROLE_IDS: usize = 100;

fn parse_role_ids(c: &mut Collect, ids: Vec<ID>) -> Vec<Uuid> {
    if ids.len() > MAX_ROLE_IDS {
        c.fail("roleIds", crate::i18n::Message::TooMany { max: MAX_ROLE_IDS });
        return Vec::new();
    }
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        match Uuid::try_parse(id.as_str()) {
            Ok(u) => out.push(u),
            Err(_) => c.fail("roleIds", crate::i18n::Message::InvalidId),
        }
    }
    out
}

/// A required (non-nullable) field given as null in a patch.
fn required<T>(c: &mut Collect, field: &'static str, v: MaybeUndefined<T>) -> Option<T> {
    match v {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => {
            c.fail(field, crate::i18n::Message::Required);
            None
        }
        MaybeUndefined::Value(v) => Some(v),
    }
}

fn text_patch<T>(
    c: &mut Collect,
    field: &'static str,
    v: MaybeUndefined<String>,
    parse: impl FnOnce(&str) -> std::result::Result<T, crate::i18n::Message>,
) -> Patch<T> {
    c.field(field, scalars::patch(v, |s| parse(&s))).unwrap_or_default()
}

impl CreateUserInput {
    /// Parses every field, reporting all bad ones together.
    pub(crate) fn parse(self) -> Result<NewUser> {
        let mut c = Collect::default();
        let email = c.field("email", Email::parse(&self.email));
        let password = match self.password {
            Some(p) => c.field("password", Password::parse(&p)).map(Some),
            None => Some(None),
        };
        let username = self.username.and_then(|v| c.field("username", Username::parse(&v)));
        let display_name = self.display_name.and_then(|v| c.field("displayName", PersonName::parse(&v)));
        let first_name = self.first_name.and_then(|v| c.field("firstName", PersonName::parse(&v)));
        let last_name = self.last_name.and_then(|v| c.field("lastName", PersonName::parse(&v)));
        let phone_number = self.phone_number.and_then(|v| c.field("phoneNumber", PhoneNumber::parse(&v)));
        let address = self.address.and_then(|v| c.field("address", Address::parse(&v)));
        let avatar_url = self.avatar_url.and_then(|v| c.field("avatarUrl", AvatarUrl::parse(&v)));
        let attributes = self.attributes.and_then(|v| c.field("attributes", Attributes::parse(v.0)));
        let role_ids = parse_role_ids(&mut c, self.role_ids.unwrap_or_default());
        let locale = self.locale.and_then(|v| c.field("locale", Locale::parse(&v)));
        c.finish()?;
        let (Some(email), Some(password)) = (email, password) else {
            return Err(AppError::Internal(anyhow::anyhow!("a parsed field went missing")));
        };
        Ok(NewUser {
            email,
            password,
            username,
            display_name,
            first_name,
            last_name,
            phone_number,
            address,
            avatar_url,
            is_active: self.is_active.unwrap_or(true),
            attributes,
            role_ids,
            email_verified: self.email_verified.unwrap_or(false),
            locale,
        })
    }
}

impl UpdateUserInput {
    /// Parses every present field, reporting all bad ones together.
    pub(crate) fn parse(self) -> Result<UserPatch> {
        let mut c = Collect::default();
        let email = required(&mut c, "email", self.email).and_then(|v| c.field("email", Email::parse(&v)));
        let username = text_patch(&mut c, "username", self.username, Username::parse);
        let display_name = text_patch(&mut c, "displayName", self.display_name, PersonName::parse);
        let first_name = text_patch(&mut c, "firstName", self.first_name, PersonName::parse);
        let last_name = text_patch(&mut c, "lastName", self.last_name, PersonName::parse);
        let phone_number = text_patch(&mut c, "phoneNumber", self.phone_number, PhoneNumber::parse);
        let address = text_patch(&mut c, "address", self.address, Address::parse);
        let avatar_url = text_patch(&mut c, "avatarUrl", self.avatar_url, AvatarUrl::parse);
        let is_active = required(&mut c, "isActive", self.is_active);
        let attributes =
            c.field("attributes", scalars::patch(self.attributes, |v| Attributes::parse(v.0))).unwrap_or_default();
        let role_ids = required(&mut c, "roleIds", self.role_ids).map(|ids| parse_role_ids(&mut c, ids));
        let email_verified = required(&mut c, "emailVerified", self.email_verified);
        let locale = text_patch(&mut c, "locale", self.locale, Locale::parse);
        c.finish()?;
        Ok(UserPatch {
            email,
            username,
            display_name,
            first_name,
            last_name,
            phone_number,
            address,
            avatar_url,
            is_active,
            attributes,
            role_ids,
            email_verified,
            locale,
        })
    }
}

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
