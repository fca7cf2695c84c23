//! `audit_events`: who did what, when, from where. Users are named by id only (no foreign
//! key), so events outlive the accounts they are about.

use sea_orm::entity::prelude::*;

/// One recorded action.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub at: DateTimeUtc,
    /// The `AuditAction` name (`LOGIN_FAILED`).
    pub action: String,
    pub actor_id: Option<Uuid>,
    pub subject_user_id: Option<Uuid>,
    pub subject_role_id: Option<Uuid>,
    pub ip_address: Option<String>,
    pub user_agent: Option<String>,
    /// Names of changed fields, role and permission names: never secrets or private values.
    pub details: Json,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
