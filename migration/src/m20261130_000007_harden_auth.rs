//! Hardening of sign-in state:
//!
//! - `login_throttles` replaces `login_failures`: counters keyed by a keyed hash (so an
//!   unknown identifier is throttled exactly like an account, and the table says nothing
//!   about who tried), with the attempts in flight, claimed before a password is checked.
//! - `sessions.refresh_generation`/`refreshed_at`: one row per session is its whole refresh
//!   chain; tokens are derived from (session, generation) with a server-side key, so
//!   `refresh_tokens` goes.
//! - `app_secrets`: server-side keys shared by every instance (refresh-token MAC, throttle keys).
//! - `locks`: rows that writes changing an invariant lock first (`role_writers`).
//! - `health_checks`: the row a readiness probe writes on SQLite (with 64 KiB of padding, about
//!   what a sign-up writes), to learn whether writes work: a full disk makes the instance unready.
//!
//! Down restores the previous tables empty: counters and refresh tokens are not carried over
//! (signed-in users sign in again).

use sea_orm_migration::prelude::*;

use crate::columns::instant;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LoginThrottles {
    Table,
    /// Hex HMAC-SHA256 of `account:<id>` or `identifier:<normalised>`.
    Key,
    Failures,
    InFlight,
    ClaimedAt,
    LockedUntil,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AppSecrets {
    Table,
    Name,
    Value,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Locks {
    Table,
    Name,
}

#[derive(DeriveIden)]
enum HealthChecks {
    Table,
    Id,
    CheckedAt,
    Padding,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    RefreshGeneration,
    RefreshedAt,
}

#[derive(DeriveIden)]
enum LoginFailures {
    Table,
    UserId,
    Failures,
    LastFailureAt,
    LockedUntil,
}

#[derive(DeriveIden)]
enum RefreshTokens {
    Table,
    TokenHash,
    SessionId,
    IssuedAt,
    RotatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum SessionsTable {
    #[sea_orm(iden = "sessions")]
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_database_backend();
        manager
            .create_table(
                Table::create()
                    .table(LoginThrottles::Table)
                    .col(ColumnDef::new(LoginThrottles::Key).string_len(64).not_null().primary_key())
                    .col(ColumnDef::new(LoginThrottles::Failures).integer().not_null().default(0))
                    .col(ColumnDef::new(LoginThrottles::InFlight).integer().not_null().default(0))
                    .col(instant(db, LoginThrottles::ClaimedAt).null())
                    .col(instant(db, LoginThrottles::LockedUntil).null())
                    .col(instant(db, LoginThrottles::UpdatedAt).not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_login_throttles_updated_at")
                    .table(LoginThrottles::Table)
                    .col(LoginThrottles::UpdatedAt)
                    .to_owned(),
            )
            .await?;
        manager.drop_table(Table::drop().table(LoginFailures::Table).to_owned()).await?;

        manager
            .create_table(
                Table::create()
                    .table(AppSecrets::Table)
                    .col(ColumnDef::new(AppSecrets::Name).string_len(64).not_null().primary_key())
                    .col(ColumnDef::new(AppSecrets::Value).string_len(128).not_null())
                    .col(instant(db, AppSecrets::CreatedAt).not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Locks::Table)
                    .col(ColumnDef::new(Locks::Name).string_len(64).not_null().primary_key())
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(Locks::Table)
                    .columns([Locks::Name])
                    .values_panic(["role_writers".into()])
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(HealthChecks::Table)
                    .col(ColumnDef::new(HealthChecks::Id).integer().not_null().primary_key())
                    .col(ColumnDef::new(HealthChecks::CheckedAt).string_len(32).null())
                    .col(ColumnDef::new(HealthChecks::Padding).blob().null())
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(HealthChecks::Table)
                    .columns([HealthChecks::Id])
                    .values_panic([1.into()])
                    .to_owned(),
            )
            .await?;

        manager
            .alter_table(
                Table::alter()
                    .table(Sessions::Table)
                    .add_column(ColumnDef::new(Sessions::RefreshGeneration).big_integer().not_null().default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter().table(Sessions::Table).add_column(instant(db, Sessions::RefreshedAt).null()).to_owned(),
            )
            .await?;
        manager.drop_table(Table::drop().table(RefreshTokens::Table).to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_database_backend();
        manager
            .create_table(
                Table::create()
                    .table(RefreshTokens::Table)
                    .col(ColumnDef::new(RefreshTokens::TokenHash).string_len(64).not_null().primary_key())
                    .col(ColumnDef::new(RefreshTokens::SessionId).uuid().not_null())
                    .col(instant(db, RefreshTokens::IssuedAt).not_null())
                    .col(instant(db, RefreshTokens::RotatedAt).null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_refresh_tokens_session")
                            .from(RefreshTokens::Table, RefreshTokens::SessionId)
                            .to(SessionsTable::Table, SessionsTable::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_refresh_tokens_session")
                    .table(RefreshTokens::Table)
                    .col(RefreshTokens::SessionId)
                    .to_owned(),
            )
            .await?;
        // SQLite drops one column per statement.
        manager
            .alter_table(Table::alter().table(Sessions::Table).drop_column(Sessions::RefreshedAt).to_owned())
            .await?;
        manager
            .alter_table(Table::alter().table(Sessions::Table).drop_column(Sessions::RefreshGeneration).to_owned())
            .await?;
        for table in [HealthChecks::Table.into_iden(), Locks::Table.into_iden(), AppSecrets::Table.into_iden()] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(LoginFailures::Table)
                    .col(ColumnDef::new(LoginFailures::UserId).uuid().not_null().primary_key())
                    .col(ColumnDef::new(LoginFailures::Failures).integer().not_null().default(0))
                    .col(instant(db, LoginFailures::LastFailureAt).not_null())
                    .col(instant(db, LoginFailures::LockedUntil).null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_login_failures_user")
                            .from(LoginFailures::Table, LoginFailures::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager.drop_table(Table::drop().table(LoginThrottles::Table).to_owned()).await
    }
}
