//! Passkeys (WebAuthn):
//!
//! - `passkeys`: a user's registered credentials. The credential (public key, algorithm,
//!   flags) is webauthn-rs's own serialisation; its id is looked up by SHA-256 (a WebAuthn
//!   credential id may be 1023 bytes, too long for a unique index on MariaDB). The signature
//!   counter is a column of its own so that a sign-in can advance it with one conditional
//!   update: two uses of a cloned key at the same moment cannot both pass.
//! - `passkey_challenges`: a ceremony begun and not yet finished (registration or sign-in),
//!   with webauthn-rs's state, so that any instance can finish what another began. Single
//!   use, five minutes.

use sea_orm_migration::prelude::*;

use crate::columns::{instant, owned_by_user, uuid_pk};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Passkeys {
    Table,
    Id,
    UserId,
    CredentialIdHash,
    Name,
    Credential,
    SignCount,
    CreatedAt,
    LastUsedAt,
}

#[derive(DeriveIden)]
enum PasskeyChallenges {
    Table,
    Id,
    UserId,
    Purpose,
    State,
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
                    .table(Passkeys::Table)
                    .col(uuid_pk(Passkeys::Id))
                    .col(ColumnDef::new(Passkeys::UserId).uuid().not_null())
                    .col(ColumnDef::new(Passkeys::CredentialIdHash).string_len(64).not_null())
                    .col(ColumnDef::new(Passkeys::Name).string_len(100).not_null())
                    .col(ColumnDef::new(Passkeys::Credential).text().not_null())
                    .col(ColumnDef::new(Passkeys::SignCount).big_integer().not_null().default(0))
                    .col(instant(backend, Passkeys::CreatedAt).not_null())
                    .col(instant(backend, Passkeys::LastUsedAt).null())
                    .foreign_key(&mut owned_by_user(Passkeys::Table, Passkeys::UserId, "fk_passkeys_user"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_passkeys_credential")
                    .table(Passkeys::Table)
                    .col(Passkeys::CredentialIdHash)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("ix_passkeys_user").table(Passkeys::Table).col(Passkeys::UserId).to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PasskeyChallenges::Table)
                    .col(uuid_pk(PasskeyChallenges::Id))
                    // None: a sign-in without a username (discoverable credentials).
                    .col(ColumnDef::new(PasskeyChallenges::UserId).uuid().null())
                    .col(ColumnDef::new(PasskeyChallenges::Purpose).string_len(16).not_null())
                    .col(ColumnDef::new(PasskeyChallenges::State).text().not_null())
                    .col(instant(backend, PasskeyChallenges::CreatedAt).not_null())
                    .col(instant(backend, PasskeyChallenges::ExpiresAt).not_null())
                    .col(instant(backend, PasskeyChallenges::SpentAt).null())
                    .foreign_key(&mut owned_by_user(
                        PasskeyChallenges::Table,
                        PasskeyChallenges::UserId,
                        "fk_passkey_challenges_user",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_passkey_challenges_user")
                    .table(PasskeyChallenges::Table)
                    .col(PasskeyChallenges::UserId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_passkey_challenges_expires")
                    .table(PasskeyChallenges::Table)
                    .col(PasskeyChallenges::ExpiresAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(PasskeyChallenges::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Passkeys::Table).to_owned()).await
    }
}
