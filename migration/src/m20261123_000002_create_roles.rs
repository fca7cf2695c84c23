use sea_orm_migration::prelude::*;

use crate::columns::{instant, lower_key, uuid_pk};
use crate::m20261123_000001_create_users::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum Roles {
    Table,
    Id,
    Name,
    NameLower,
    Code,
    Description,
    IsSystem,
    /// Comma-separated `Permission` names, sorted: readable in any SQL client.
    Permissions,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_database_backend();
        manager
            .create_table(
                Table::create()
                    .table(Roles::Table)
                    .col(uuid_pk(Roles::Id))
                    .col(ColumnDef::new(Roles::Name).string_len(64).not_null())
                    .col(lower_key(db, Roles::NameLower, 64).not_null())
                    .col(ColumnDef::new(Roles::Code).integer().null())
                    .col(ColumnDef::new(Roles::Description).string_len(500).null())
                    .col(ColumnDef::new(Roles::IsSystem).boolean().not_null().default(false))
                    .col(ColumnDef::new(Roles::Permissions).string_len(255).not_null().default(""))
                    .col(ColumnDef::new(Roles::CreatedBy).uuid().null())
                    .col(instant(db, Roles::CreatedAt).not_null())
                    .col(instant(db, Roles::UpdatedAt).not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_roles_created_by")
                            .from(Roles::Table, Roles::CreatedBy)
                            .to(Users::Table, Users::Id)
                            // The role outlives its author; `createdBy` becomes null.
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_roles_name_lower")
                    .table(Roles::Table)
                    .col(Roles::NameLower)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("ux_roles_code").table(Roles::Table).col(Roles::Code).unique().to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Roles::Table).to_owned()).await
    }
}
