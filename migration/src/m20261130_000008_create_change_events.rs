//! `change_events`: the change log MariaDB and SQLite instances poll, so a session one
//! instance ended is forgotten by the others within a poll (PostgreSQL uses NOTIFY).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ChangeEvents {
    Table,
    Id,
    /// `session:<id>`, `user:<id>`, `everything` or `keys`.
    Payload,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ChangeEvents::Table)
                    .col(ColumnDef::new(ChangeEvents::Id).big_integer().not_null().auto_increment().primary_key())
                    .col(ColumnDef::new(ChangeEvents::Payload).string_len(64).not_null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ChangeEvents::Table).to_owned()).await
    }
}
