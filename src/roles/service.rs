//! Role rules and storage.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::db::entities::role;
use crate::error::Result;

/// Every role: the system roles first (by code), then the rest by name.
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<role::Model>> {
    Ok(role::Entity::find()
        .order_by_desc(role::Column::IsSystem)
        .order_by_asc(role::Column::NameLower)
        .order_by_asc(role::Column::Id)
        .all(db)
        .await?)
}

/// One role, if it exists.
pub async fn get(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<role::Model>> {
    Ok(role::Entity::find_by_id(id).one(db).await?)
}

/// A system role by name (`developer`, `admin`, `user`).
pub async fn system_role(db: &impl ConnectionTrait, name: &str) -> Result<Option<role::Model>> {
    Ok(role::Entity::find()
        .filter(role::Column::NameLower.eq(name))
        .filter(role::Column::IsSystem.eq(true))
        .one(db)
        .await?)
}
