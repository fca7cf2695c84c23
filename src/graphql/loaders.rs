//! Per-request DataLoaders, so a page of users with their roles, or roles with their
//! authors and member counts, costs a fixed number of statements (no N+1). They are made
//! for each request, so their cache lives for one request only: a role or permission
//! change is visible on the next request. A list resolver primes them with every key of
//! its page at once (`load_many`), so the batch never depends on how fast the executor
//! happens to enqueue the fields.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use sea_orm::sea_query::Expr;
use sea_orm::sea_query::ExprTrait as _;
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect, RelationTrait,
};
use uuid::Uuid;

use crate::auth::app_permission::AppPermissions;
use crate::db::entities::{role, user, user_role};
use crate::error::AppError;

/// A loader failure, shared by every field that waited on the batch.
pub(crate) type LoadError = Arc<DbErr>;

/// Turns a batch failure into the resolver's error.
pub(crate) fn load_error(e: LoadError) -> AppError {
    AppError::Internal(anyhow::anyhow!("batched load failed: {e}"))
}

/// Roles of each user, ordered by name.
pub(crate) struct RolesByUser(pub DatabaseConnection);

impl Loader<Uuid> for RolesByUser {
    type Value = Vec<role::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows: Vec<(role::Model, Option<user_role::Model>)> = role::Entity::find()
            .join(JoinType::InnerJoin, role::Relation::UserRole.def())
            .filter(user_role::Column::UserId.is_in(keys.iter().copied()))
            .order_by_asc(role::Column::NameLower)
            .select_also(user_role::Entity)
            .all(&self.0)
            .await?;
        let mut out: HashMap<Uuid, Vec<role::Model>> = keys.iter().map(|k| (*k, Vec::new())).collect();
        for (role, membership) in rows {
            if let Some(m) = membership {
                out.entry(m.user_id).or_default().push(role);
            }
        }
        Ok(out)
    }
}

/// Users by id.
pub(crate) struct UserById(pub DatabaseConnection);

impl Loader<Uuid> for UserById {
    type Value = user::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows = user::Entity::find().filter(user::Column::Id.is_in(keys.iter().copied())).all(&self.0).await?;
        Ok(rows.into_iter().map(|u| (u.id, u)).collect())
    }
}

/// Number of members of each role.
pub(crate) struct MemberCount(pub DatabaseConnection);

impl Loader<Uuid> for MemberCount {
    type Value = i64;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows: Vec<(Uuid, i64)> = user_role::Entity::find()
            .select_only()
            .column(user_role::Column::RoleId)
            .column_as(Expr::col(user_role::Column::UserId).count(), "n")
            .filter(user_role::Column::RoleId.is_in(keys.iter().copied()))
            .group_by(user_role::Column::RoleId)
            .into_tuple()
            .all(&self.0)
            .await?;
        let mut out: HashMap<Uuid, i64> = keys.iter().map(|k| (*k, 0)).collect();
        out.extend(rows);
        Ok(out)
    }
}

/// The second factors of each user.
pub(crate) struct MfaMethodsByUser(pub DatabaseConnection);

impl Loader<Uuid> for MfaMethodsByUser {
    type Value = Vec<crate::mfa::MfaMethod>;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        Ok(crate::mfa::service::methods_of_many(&self.0, keys).await?)
    }
}

/// The passkeys of each user.
pub(crate) struct PasskeysByUser(pub DatabaseConnection);

impl Loader<Uuid> for PasskeysByUser {
    type Value = Vec<crate::db::entities::passkey::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        Ok(crate::mfa::passkey::of_users(&self.0, keys).await?)
    }
}

/// The loaders of one request.
pub(crate) struct Loaders {
    /// Roles of users.
    pub roles_by_user: DataLoader<RolesByUser, HashMapCache>,
    /// Users by id.
    pub user_by_id: DataLoader<UserById, HashMapCache>,
    /// Member counts of roles.
    pub member_count: DataLoader<MemberCount, HashMapCache>,
    /// Second factors of users.
    pub mfa_methods: DataLoader<MfaMethodsByUser, HashMapCache>,
    /// Passkeys of users.
    pub passkeys: DataLoader<PasskeysByUser, HashMapCache>,
    /// Every application permission name some role has, read once per operation.
    known_app_permissions: tokio::sync::OnceCell<Vec<String>>,
    db: DatabaseConnection,
}

impl Loaders {
    /// Fresh loaders over the pool.
    pub(crate) fn new(db: &DatabaseConnection) -> Self {
        Self {
            roles_by_user: DataLoader::with_cache(RolesByUser(db.clone()), tokio::spawn, HashMapCache::default()),
            user_by_id: DataLoader::with_cache(UserById(db.clone()), tokio::spawn, HashMapCache::default()),
            member_count: DataLoader::with_cache(MemberCount(db.clone()), tokio::spawn, HashMapCache::default()),
            mfa_methods: DataLoader::with_cache(MfaMethodsByUser(db.clone()), tokio::spawn, HashMapCache::default()),
            passkeys: DataLoader::with_cache(PasskeysByUser(db.clone()), tokio::spawn, HashMapCache::default()),
            known_app_permissions: tokio::sync::OnceCell::new(),
            db: db.clone(),
        }
    }

    /// A set of application permissions spelled out: the developer's "every one" as every
    /// name some role has (one statement per operation, however many users or roles ask).
    pub(crate) async fn app_permission_names(&self, set: &AppPermissions) -> Result<Vec<String>, AppError> {
        if !set.is_all() {
            return Ok(set.names());
        }
        let known = self
            .known_app_permissions
            .get_or_try_init(|| crate::roles::service::known_app_permissions(&self.db))
            .await?;
        Ok(crate::roles::service::spelled_out(set, known))
    }
}

/// One operation's loaders, made when a field first needs one: most requests (`me`, a
/// sign-in) never do.
#[derive(Default)]
pub(crate) struct LazyLoaders(std::sync::OnceLock<Loaders>);

impl LazyLoaders {
    /// The loaders, made over `db` on first use.
    pub(crate) fn get(&self, db: &DatabaseConnection) -> &Loaders {
        self.0.get_or_init(|| Loaders::new(db))
    }
}
