//! `roles`: named sets of permissions.

use sea_orm::entity::prelude::*;

/// One role.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "roles")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    /// `name` lower-cased by the app; unique.
    pub name_lower: String,
    pub code: Option<i32>,
    pub description: Option<String>,
    pub is_system: bool,
    /// Comma-separated permission names (see `auth::permission::PermissionSet`).
    pub permissions: String,
    /// Comma-separated application permission names (see `auth::app_permission`).
    pub app_permissions: String,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::user_role::Entity")]
    UserRole,
}

impl Related<super::user_role::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::UserRole.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
