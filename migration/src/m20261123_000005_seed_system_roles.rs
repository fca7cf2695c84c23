use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::prelude::Uuid;

use crate::m20261123_000002_create_roles::Roles;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The system roles of shared/API.md: (name, code, description, permissions).
const SYSTEM_ROLES: [(&str, i32, &str, &str); 3] = [
    ("developer", 1, "Full access, including roles and their permissions", "ROLE_READ,ROLE_WRITE,USER_READ,USER_WRITE"),
    ("admin", 2, "Manages users; reads roles", "ROLE_READ,USER_READ,USER_WRITE"),
    ("user", 3, "Self-service only", ""),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // A migration runs once per database; there is no app clock to inject here.
        #[allow(clippy::disallowed_methods)]
        let now = chrono::Utc::now();
        let mut insert = Query::insert();
        insert.into_table(Roles::Table).columns([
            Roles::Id,
            Roles::Name,
            Roles::NameLower,
            Roles::Code,
            Roles::Description,
            Roles::IsSystem,
            Roles::Permissions,
            Roles::CreatedAt,
            Roles::UpdatedAt,
        ]);
        for (name, code, description, permissions) in SYSTEM_ROLES {
            insert.values_panic([
                Uuid::now_v7().into(),
                name.into(),
                name.into(),
                code.into(),
                description.into(),
                true.into(),
                permissions.into(),
                now.into(),
                now.into(),
            ]);
        }
        manager.exec_stmt(insert).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let delete = Query::delete().from_table(Roles::Table).and_where(Expr::col(Roles::IsSystem).eq(true)).to_owned();
        manager.exec_stmt(delete).await
    }
}
