//! Role rules and storage: CRUD in transactions, uniqueness from the database, and the
//! protections of system roles.

use sea_orm::sea_query::Expr;
use sea_orm::sea_query::ExprTrait as _;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect,
    RelationTrait, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::domain::{Description, RoleCode, RoleName};
use crate::auth::app_permission::AppPermissions;
use crate::auth::audit::{AuditAction, Event, Origin};
use crate::auth::caller::Authenticated;
use crate::auth::permission::{Permission, PermissionSet};
use crate::auth::tokens::Grants;
use crate::db::changes::Change;
use crate::db::entities::{role, user, user_role};
use crate::db::{Lock, lock};
use crate::error::{AppError, DbResultExt, Entity, Refusal, Result, UniqueIndex};
use crate::i18n::Message;
use crate::patch::Patch;
use crate::state::AppState;

/// A role to create, already parsed.
#[derive(Debug, Clone)]
pub(crate) struct NewRole {
    /// Name.
    pub name: RoleName,
    /// Code.
    pub code: Option<RoleCode>,
    /// Description.
    pub description: Option<Description>,
    /// Permissions.
    pub permissions: PermissionSet,
    /// Application permissions.
    pub app_permissions: AppPermissions,
}

/// Changes to a role, already parsed.
#[derive(Debug, Clone, Default)]
pub(crate) struct RolePatch {
    /// New name.
    pub name: Option<RoleName>,
    /// Code.
    pub code: Patch<RoleCode>,
    /// Description.
    pub description: Patch<Description>,
    /// The complete new permission set.
    pub permissions: Option<PermissionSet>,
    /// The complete new set of application permissions.
    pub app_permissions: Option<AppPermissions>,
}

impl RolePatch {
    /// The GraphQL names of the fields the patch sets or clears (for the audit log).
    fn field_names(&self) -> Vec<&'static str> {
        let given = [
            ("name", self.name.is_some()),
            ("code", !matches!(self.code, Patch::Keep)),
            ("description", !matches!(self.description, Patch::Keep)),
            ("permissions", self.permissions.is_some()),
            ("appPermissions", self.app_permissions.is_some()),
        ];
        given.into_iter().filter_map(|(name, set)| set.then_some(name)).collect()
    }
}

/// Every role: the system roles first, then the rest by name.
pub(crate) async fn list(db: &impl ConnectionTrait) -> Result<Vec<role::Model>> {
    Ok(role::Entity::find()
        .order_by_desc(role::Column::IsSystem)
        .order_by_asc(role::Column::Code)
        .order_by_asc(role::Column::NameLower)
        .order_by_asc(role::Column::Id)
        .all(db)
        .await?)
}

/// One role, if it exists.
pub(crate) async fn get(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<role::Model>> {
    Ok(role::Entity::find_by_id(id).one(db).await?)
}

/// A system role by name (`developer`, `admin`, `user`).
pub(crate) async fn system_role(db: &impl ConnectionTrait, name: &str) -> Result<Option<role::Model>> {
    Ok(role::Entity::find()
        .filter(role::Column::NameLower.eq(name))
        .filter(role::Column::IsSystem.eq(true))
        .one(db)
        .await?)
}

/// A role by its (case-insensitive) name.
pub(crate) async fn by_name(db: &impl ConnectionTrait, name: &str) -> Result<Option<role::Model>> {
    Ok(role::Entity::find().filter(role::Column::NameLower.eq(name.to_lowercase())).one(db).await?)
}

fn on_role_unique<T>(r: std::result::Result<T, sea_orm::DbErr>) -> Result<T> {
    match r.on_unique(UniqueIndex::RoleName, "name", Message::RoleNameTaken) {
        Err(AppError::Internal(e)) => match e.downcast::<sea_orm::DbErr>() {
            Ok(db) => Err::<T, _>(db).on_unique(UniqueIndex::RoleCode, "code", Message::RoleCodeTaken),
            Err(e) => Err(AppError::Internal(e)),
        },
        other => other,
    }
}

/// Creates a role authored by the actor, who may only give it permissions it holds.
pub(crate) async fn create(state: &AppState, actor: &Authenticated, new: NewRole) -> Result<role::Model> {
    if !actor.permissions.is_superset_of(new.permissions) || !actor.app_permissions.is_superset_of(&new.app_permissions)
    {
        return Err(AppError::Refused(Refusal::NotHeld));
    }
    let created_by = actor.user_id;
    let now = state.now();
    let mut txn = state.db.begin_write().await?;
    let created = on_role_unique(
        role::ActiveModel {
            id: Set(Uuid::now_v7()),
            name: Set(new.name.as_str().to_owned()),
            name_lower: Set(new.name.lower()),
            code: Set(new.code.map(RoleCode::get)),
            description: Set(new.description.map(Description::into_inner)),
            is_system: Set(false),
            permissions: Set(new.permissions.to_stored()),
            app_permissions: Set(new.app_permissions.to_stored()),
            created_by: Set(Some(created_by)),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&*txn)
        .await,
    )?;
    Event::new(AuditAction::RoleCreated)
        .role(created.id)
        .details(json!({
            "name": created.name,
            "permissions": new.permissions.names(),
            "appPermissions": new.app_permissions.names(),
        }))
        .record(&mut txn, &Origin::of(actor), now);
    txn.commit().await?;
    Ok(created)
}

/// Applies a patch. System roles keep their name and the developer role keeps every
/// permission; an actor may only edit roles, and give permissions, within its own.
pub(crate) async fn update(state: &AppState, actor: &Authenticated, id: Uuid, patch: RolePatch) -> Result<role::Model> {
    let now = state.now();
    let mut txn = state.db.begin_write().await?;
    if patch.permissions.is_some() {
        lock(&*txn, Lock::RoleWriters).await?;
    }
    let Some(current) = role::Entity::find_by_id(id).lock_exclusive().one(&*txn).await? else {
        return Err(AppError::NotFound(Entity::Role));
    };
    let current_permissions = PermissionSet::from_stored(&current.permissions);
    if current.is_system && patch.name.as_ref().is_some_and(|n| n.as_str() != current.name) {
        return Err(AppError::Refused(Refusal::SystemRole));
    }
    if current.is_system
        && current.name_lower == "developer"
        && patch.permissions.is_some_and(|p| !p.is_superset_of(current_permissions))
    {
        return Err(AppError::Refused(Refusal::SystemRole));
    }
    let within = actor.permissions.is_superset_of(current_permissions)
        && patch.permissions.is_none_or(|p| actor.permissions.is_superset_of(p));
    // Application permissions given or taken away must be the actor's own.
    let current_app = AppPermissions::from_stored(&current.app_permissions);
    let app_changes = patch.app_permissions.as_ref().map(|new| (new.minus(&current_app), current_app.minus(new)));
    let app_within = app_changes
        .as_ref()
        .is_none_or(|(added, removed)| added.iter().chain(removed).all(|name| actor.app_permissions.contains(name)));
    if !within || !app_within {
        return Err(AppError::Refused(Refusal::NotHeld));
    }
    let writers_before = if patch.permissions.is_some() { role_writers(&*txn).await? } else { 0 };
    let mut details = serde_json::Map::from_iter([("fields".to_owned(), json!(patch.field_names()))]);
    if let Some(p) = patch.permissions {
        details.insert("permissionsAdded".into(), json!(p.minus(current_permissions).names()));
        details.insert("permissionsRemoved".into(), json!(current_permissions.minus(p).names()));
    }
    if let Some((added, removed)) = app_changes {
        details.insert("appPermissionsAdded".into(), json!(added));
        details.insert("appPermissionsRemoved".into(), json!(removed));
    }
    let mut model: role::ActiveModel = current.into();
    if let Some(name) = patch.name {
        model.name = Set(name.as_str().to_owned());
        model.name_lower = Set(name.lower());
    }
    match patch.code {
        Patch::Keep => {}
        Patch::Clear => model.code = Set(None),
        Patch::Set(c) => model.code = Set(Some(c.get())),
    }
    match patch.description {
        Patch::Keep => {}
        Patch::Clear => model.description = Set(None),
        Patch::Set(d) => model.description = Set(Some(d.into_inner())),
    }
    if let Some(p) = patch.permissions {
        model.permissions = Set(p.to_stored());
    }
    if let Some(p) = &patch.app_permissions {
        model.app_permissions = Set(p.to_stored());
    }
    model.updated_at = Set(now);
    let updated = on_role_unique(model.update(&*txn).await)?;
    ensure_role_writer_remains(&*txn, writers_before, "permissions").await?;
    details.insert("name".into(), json!(updated.name));
    Event::new(AuditAction::RoleUpdated).role(id).details(details.into()).record(&mut txn, &Origin::of(actor), now);
    // Members' permissions and role lists are cached with their sessions.
    txn.changed(Change::Everything);
    txn.commit().await?;
    Ok(updated)
}

/// Deletes a role; its members simply lose it. System roles cannot be deleted.
pub(crate) async fn delete(state: &AppState, actor: &Authenticated, id: Uuid) -> Result<Uuid> {
    let mut txn = state.db.begin_write().await?;
    lock(&*txn, Lock::RoleWriters).await?;
    let Some(current) = role::Entity::find_by_id(id).lock_exclusive().one(&*txn).await? else {
        return Err(AppError::NotFound(Entity::Role));
    };
    let held = actor.permissions.is_superset_of(PermissionSet::from_stored(&current.permissions))
        && actor.app_permissions.is_superset_of(&AppPermissions::from_stored(&current.app_permissions));
    if current.is_system {
        return Err(AppError::Refused(Refusal::SystemRole));
    }
    if !held {
        return Err(AppError::Refused(Refusal::NotHeld));
    }
    let writers_before = role_writers(&*txn).await?;
    role::Entity::delete_by_id(id).exec(&*txn).await?;
    ensure_role_writer_remains(&*txn, writers_before, "id").await?;
    Event::new(AuditAction::RoleDeleted).role(id).details(json!({ "name": current.name })).record(
        &mut txn,
        &Origin::of(actor),
        state.now(),
    );
    txn.changed(Change::Everything);
    txn.commit().await?;
    Ok(id)
}

/// The roles a user holds.
pub(crate) async fn roles_of(db: &impl ConnectionTrait, user_id: Uuid) -> Result<Vec<role::Model>> {
    Ok(role::Entity::find().inner_join(user_role::Entity).filter(user_role::Column::UserId.eq(user_id)).all(db).await?)
}

/// What a new access token says of its user: role names and application permissions.
pub(crate) async fn grants_of(db: &impl ConnectionTrait, user_id: Uuid) -> Result<Grants> {
    let mut roles = roles_of(db, user_id).await?;
    roles.sort_by(|a, b| a.name_lower.cmp(&b.name_lower));
    let permissions = crate::auth::app_permission::spell_out(db, &AppPermissions::of_roles(&roles)).await?;
    Ok(Grants { roles: roles.into_iter().map(|r| r.name).collect(), permissions })
}

/// How many active users can manage roles (hold ROLE_WRITE).
pub(crate) async fn role_writers(db: &impl ConnectionTrait) -> Result<u64> {
    let n = user::Entity::find()
        .inner_join(user_role::Entity)
        .join(JoinType::InnerJoin, user_role::Relation::Role.def())
        .filter(user::Column::IsActive.eq(true))
        .filter(role::Column::Permissions.contains(Permission::RoleWrite.as_str()))
        .select_only()
        .column_as(Expr::col((user::Entity, user::Column::Id)).count_distinct(), "n")
        .into_tuple::<i64>()
        .one(db)
        .await?
        .unwrap_or(0);
    Ok(u64::try_from(n).unwrap_or(0))
}

/// No lock-out: a change that leaves no active user with ROLE_WRITE is refused (CONFLICT
/// on `field`), so someone can always manage roles. Called inside the writing transaction,
/// after the write, with the count from before it.
pub(crate) async fn ensure_role_writer_remains(
    db: &impl ConnectionTrait,
    before: u64,
    field: &'static str,
) -> Result<()> {
    if before > 0 && role_writers(db).await? == 0 {
        return Err(AppError::Conflict { field, message: Message::LastRoleWriter });
    }
    Ok(())
}
