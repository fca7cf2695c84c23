use sea_orm_migration::prelude::*;

use crate::columns::{instant, uuid_pk};
use crate::m20261123_000001_create_users::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A login: the unit that logout and revocation end.
#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    UserId,
    UserAgent,
    IpAddress,
    CreatedAt,
    LastUsedAt,
    ExpiresAt,
    RevokedAt,
}

/// Every refresh token a session was ever given, by SHA-256 only, so that presenting an
/// already-rotated one can be recognised and revoke the session (RFC 9700 §4.14.2).
#[derive(DeriveIden)]
enum RefreshTokens {
    Table,
    TokenHash,
    SessionId,
    IssuedAt,
    RotatedAt,
}

/// JWT signing keys shared by every instance over the same database.
#[derive(DeriveIden)]
enum SigningKeys {
    Table,
    Kid,
    Algorithm,
    PrivateKeyPem,
    PublicKeyPem,
    CreatedAt,
    RetiredAt,
}

/// Failed logins per account, in the database so throttling holds across instances.
#[derive(DeriveIden)]
enum LoginFailures {
    Table,
    UserId,
    Failures,
    LastFailureAt,
    LockedUntil,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_database_backend();
        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    .col(uuid_pk(Sessions::Id))
                    .col(ColumnDef::new(Sessions::UserId).uuid().not_null())
                    .col(ColumnDef::new(Sessions::UserAgent).string_len(255).null())
                    .col(ColumnDef::new(Sessions::IpAddress).string_len(64).null())
                    .col(instant(db, Sessions::CreatedAt).not_null())
                    .col(instant(db, Sessions::LastUsedAt).not_null())
                    .col(instant(db, Sessions::ExpiresAt).not_null())
                    .col(instant(db, Sessions::RevokedAt).null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_sessions_user")
                            .from(Sessions::Table, Sessions::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("ix_sessions_user").table(Sessions::Table).col(Sessions::UserId).to_owned(),
            )
            .await?;
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
                            .to(Sessions::Table, Sessions::Id)
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
        manager
            .create_table(
                Table::create()
                    .table(SigningKeys::Table)
                    .col(ColumnDef::new(SigningKeys::Kid).string_len(64).not_null().primary_key())
                    .col(ColumnDef::new(SigningKeys::Algorithm).string_len(16).not_null())
                    .col(ColumnDef::new(SigningKeys::PrivateKeyPem).text().not_null())
                    .col(ColumnDef::new(SigningKeys::PublicKeyPem).text().not_null())
                    .col(instant(db, SigningKeys::CreatedAt).not_null())
                    .col(instant(db, SigningKeys::RetiredAt).null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LoginFailures::Table)
                    .col(uuid_pk(LoginFailures::UserId))
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
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            LoginFailures::Table.into_iden(),
            SigningKeys::Table.into_iden(),
            RefreshTokens::Table.into_iden(),
            Sessions::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
