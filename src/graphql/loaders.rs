//! Per-request DataLoaders, so a page of users with their roles, or roles with their
//! authors and member counts, costs a fixed number of statements (no N+1). They are made
//! for each request, so their cache lives for one request only: a role or permission
//! change is visible on the next request. A list resolver primes them with every key of
//! its page at once (`load_many`), so the batch never depends on how fast the executor
//! happens to enqueue the fields.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use sea_orm::sea_query::Expr;
use sea_orm::sea_query::ExprTrait as _;
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect, RelationTrait,
};
use uuid::Uuid;

use crate::auth::app_permission::{self, AppPermissions};
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

/// The loaders of one request.
pub(crate) struct Loaders {
    /// Roles of users.
    pub roles_by_user: DataLoader<RolesByUser, HashMapCache>,
    /// Users by id.
    pub user_by_id: DataLoader<UserById, HashMapCache>,
    /// Member counts of roles.
    pub member_count: DataLoader<MemberCount, HashMapCache>,
    /// What the features keep for one request (their own loaders), made on first use.
    /// Every application permission name some role has, read once per request.
    known_app_permissions: tokio::sync::OnceCell<Vec<String>>,
    of_features: std::sync::Mutex<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>,
    db: DatabaseConnection,
}

/// Something a feature keeps for the length of one request, such as its own DataLoaders:
/// the toolkit makes it when a field first asks for it, and knows nothing of what is inside.
pub(crate) trait PerRequest: Send + Sync + 'static {
    /// A fresh one over the pool.
    fn new(db: &DatabaseConnection) -> Self;
}

/// A DataLoader over the pool, for a feature's `Loader`.
pub(crate) fn data_loader<L: Loader<Uuid>>(loader: L) -> DataLoader<L, HashMapCache> {
    DataLoader::with_cache(loader, tokio::spawn, HashMapCache::default())
}

impl Loaders {
    /// Fresh loaders over the pool.
    pub(crate) fn new(db: &DatabaseConnection) -> Self {
        Self {
            roles_by_user: data_loader(RolesByUser(db.clone())),
            user_by_id: data_loader(UserById(db.clone())),
            member_count: data_loader(MemberCount(db.clone())),
            known_app_permissions: tokio::sync::OnceCell::new(),
            of_features: Default::default(),
            db: db.clone(),
        }
    }

    /// A set of application permissions spelled out: the developer's "every one" as every
    /// name some role has (one statement per request, however many users or roles ask).
    pub(crate) async fn app_permission_names(&self, set: &AppPermissions) -> Result<Vec<String>, AppError> {
        if !set.is_all() {
            return Ok(set.names());
        }
        let known =
            self.known_app_permissions.get_or_try_init(|| app_permission::known_app_permissions(&self.db)).await?;
        Ok(app_permission::spelled_out(set, known))
    }

    /// This request's `T`, made on first use.
    pub(crate) fn of<T: PerRequest>(&self) -> Arc<T> {
        let mut made = self.of_features.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let any = made.entry(TypeId::of::<T>()).or_insert_with(|| Arc::new(T::new(&self.db)));
        // The entry under `TypeId::of::<T>()` is only ever a `T`.
        Arc::clone(any).downcast::<T>().unwrap_or_else(|_| unreachable!("a per-request value under another type's id"))
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
