//! TOTP secrets are stored sealed (`v1.<key id>.<base64url>`, 76 characters), no longer as
//! 32 base32 characters: the column widens. SQLite does not enforce a declared length.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum MfaTotp {
    Table,
    Secret,
}

async fn secret_length(manager: &SchemaManager<'_>, length: u32) -> Result<(), DbErr> {
    if manager.get_database_backend() == DbBackend::Sqlite {
        return Ok(());
    }
    manager
        .alter_table(
            Table::alter()
                .table(MfaTotp::Table)
                .modify_column(ColumnDef::new(MfaTotp::Secret).string_len(length).not_null())
                .to_owned(),
        )
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        secret_length(manager, 255).await
    }

    /// Sealed secrets do not fit the narrow column: going down needs them gone (users
    /// enrol again) or re-entered as plaintext first.
    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        secret_length(manager, 64).await
    }
}
