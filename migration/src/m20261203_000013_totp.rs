//! Multi-factor sign-in with an authenticator app:
//!
//! - `mfa_totp`: a user's TOTP secret (RFC 6238), pending until a code confirms it, and the
//!   last time step accepted (a code works once). The secret is never returned after
//!   enrolment.
//! - `recovery_codes`: ten one-time codes, only their SHA-256 kept (each has 60 random bits).
//! - `mfa_challenges`: the `mfaToken` a password sign-in hands out when a second factor is
//!   needed: stored as SHA-256, single use, five minutes.

use sea_orm_migration::prelude::*;

use crate::columns::{instant, owned_by_user, uuid_pk};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum MfaTotp {
    Table,
    UserId,
    Secret,
    CreatedAt,
    ConfirmedAt,
    LastStep,
}

#[derive(DeriveIden)]
enum RecoveryCodes {
    Table,
    Id,
    UserId,
    CodeHash,
    UsedAt,
}

#[derive(DeriveIden)]
enum MfaChallenges {
    Table,
    Id,
    UserId,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    SpentAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        manager
            .create_table(
                Table::create()
                    .table(MfaTotp::Table)
                    .col(ColumnDef::new(MfaTotp::UserId).uuid().not_null().primary_key())
                    .col(ColumnDef::new(MfaTotp::Secret).string_len(64).not_null())
                    .col(instant(backend, MfaTotp::CreatedAt).not_null())
                    .col(instant(backend, MfaTotp::ConfirmedAt).null())
                    .col(ColumnDef::new(MfaTotp::LastStep).big_integer().null())
                    .foreign_key(&mut owned_by_user(MfaTotp::Table, MfaTotp::UserId, "fk_mfa_totp_user"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RecoveryCodes::Table)
                    .col(uuid_pk(RecoveryCodes::Id))
                    .col(ColumnDef::new(RecoveryCodes::UserId).uuid().not_null())
                    .col(ColumnDef::new(RecoveryCodes::CodeHash).string_len(64).not_null())
                    .col(instant(backend, RecoveryCodes::UsedAt).null())
                    .foreign_key(&mut owned_by_user(
                        RecoveryCodes::Table,
                        RecoveryCodes::UserId,
                        "fk_recovery_codes_user",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_recovery_codes_user")
                    .table(RecoveryCodes::Table)
                    .col(RecoveryCodes::UserId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MfaChallenges::Table)
                    .col(uuid_pk(MfaChallenges::Id))
                    .col(ColumnDef::new(MfaChallenges::UserId).uuid().not_null())
                    .col(ColumnDef::new(MfaChallenges::TokenHash).string_len(64).not_null())
                    .col(instant(backend, MfaChallenges::CreatedAt).not_null())
                    .col(instant(backend, MfaChallenges::ExpiresAt).not_null())
                    .col(instant(backend, MfaChallenges::SpentAt).null())
                    .foreign_key(&mut owned_by_user(
                        MfaChallenges::Table,
                        MfaChallenges::UserId,
                        "fk_mfa_challenges_user",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_mfa_challenges_token_hash")
                    .table(MfaChallenges::Table)
                    .col(MfaChallenges::TokenHash)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_mfa_challenges_expires")
                    .table(MfaChallenges::Table)
                    .col(MfaChallenges::ExpiresAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(MfaChallenges::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(RecoveryCodes::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(MfaTotp::Table).to_owned()).await
    }
}
