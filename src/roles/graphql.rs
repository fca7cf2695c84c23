//! The `Role` type and the role queries.

use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};

use crate::auth::permission::{Permission, PermissionSet};
use crate::db::entities::role;
use crate::error::Result;
use crate::graphql::context::ContextExt;
use crate::graphql::scalars::{parse_id, to_id};

use super::service;

/// A named set of permissions that users hold.
pub struct Role(pub role::Model);

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

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// Role queries.
#[derive(Default)]
pub struct RoleQuery;

#[Object]
impl RoleQuery {
    /// One role; null when no role has this id.
    async fn role(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Role>> {
        let id = parse_id(&id, "id")?;
        Ok(service::get(&ctx.state()?.db.conn, id).await?.map(Role))
    }

    /// Every role.
    async fn roles(&self, ctx: &Context<'_>) -> Result<Vec<Role>> {
        Ok(service::list(&ctx.state()?.db.conn).await?.into_iter().map(Role).collect())
    }
}
