//! Roles that serve the deployment's own applications, and API keys:
//!
//! - `roles.app_permissions`: the deployment's own permission names (`invoice:write`),
//!   sorted and comma-separated like `permissions`. The developer role holds every one
//!   without listing them.
//! - `api_keys`: credentials for scripts and services, acting as their owner within their
//!   own permissions. Only the secret's SHA-256 is kept (the secret has 256 random bits, so
//!   a fast hash is as good as a slow one), and a few characters of it to recognise it by.

use sea_orm_migration::prelude::*;

use crate::columns::{instant, uuid_pk};
use crate::m20261123_000001_create_users::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Roles {
    Table,
    AppPermissions,
}

#[derive(DeriveIden)]
enum ApiKeys {
    Table,
    Id,
    UserId,
    Name,
    Prefix,
    SecretHash,
    Permissions,
    AppPermissions,
    CreatedAt,
    ExpiresAt,
    LastUsedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        manager
            .alter_table(
                Table::alter()
                    .table(Roles::Table)
                    .add_column(ColumnDef::new(Roles::AppPermissions).text().not_null().default(""))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ApiKeys::Table)
                    .col(uuid_pk(ApiKeys::Id))
                    .col(ColumnDef::new(ApiKeys::UserId).uuid().not_null())
                    .col(ColumnDef::new(ApiKeys::Name).string_len(100).not_null())
                    .col(ColumnDef::new(ApiKeys::Prefix).string_len(16).not_null())
                    .col(ColumnDef::new(ApiKeys::SecretHash).string_len(64).not_null())
                    .col(ColumnDef::new(ApiKeys::Permissions).string_len(255).not_null())
                    .col(ColumnDef::new(ApiKeys::AppPermissions).text().not_null())
                    .col(instant(backend, ApiKeys::CreatedAt).not_null())
                    .col(instant(backend, ApiKeys::ExpiresAt).null())
                    .col(instant(backend, ApiKeys::LastUsedAt).null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_api_keys_user")
                            .from(ApiKeys::Table, ApiKeys::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_api_keys_secret_hash")
                    .table(ApiKeys::Table)
                    .col(ApiKeys::SecretHash)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_api_keys_user")
                    .table(ApiKeys::Table)
                    .col(ApiKeys::UserId)
                    .col(ApiKeys::CreatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ApiKeys::Table).to_owned()).await?;
        manager.alter_table(Table::alter().table(Roles::Table).drop_column(Roles::AppPermissions).to_owned()).await
    }
}
