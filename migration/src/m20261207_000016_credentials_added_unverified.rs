//! `added_unverified` on every credential a person adds (passkeys, API keys, TOTP): whether
//! the account's address was unverified when it was added. `resetPassword` proves the
//! address, and removes these: whoever registered someone else's address before its owner
//! (a pre-account hijack) must not keep a way in once the owner recovers the account.
//! Credentials of accounts whose address is unverified today are marked as such.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Credential {
    Passkeys,
    ApiKeys,
    MfaTotp,
}

#[derive(DeriveIden)]
enum Col {
    AddedUnverified,
    UserId,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    EmailVerified,
}

const TABLES: [Credential; 3] = [Credential::Passkeys, Credential::ApiKeys, Credential::MfaTotp];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(ColumnDef::new(Col::AddedUnverified).boolean().not_null().default(false))
                        .to_owned(),
                )
                .await?;
            let unverified = Query::select()
                .column(Users::Id)
                .from(Users::Table)
                .and_where(Expr::col(Users::EmailVerified).eq(false))
                .to_owned();
            manager
                .exec_stmt(
                    Query::update()
                        .table(table)
                        .value(Col::AddedUnverified, true)
                        .and_where(Expr::col(Col::UserId).in_subquery(unverified))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            manager.alter_table(Table::alter().table(table).drop_column(Col::AddedUnverified).to_owned()).await?;
        }
        Ok(())
    }
}
