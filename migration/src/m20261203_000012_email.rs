//! Email flows: verification, password reset and email change.
//!
//! - `users.email_verified`, `users.locale`: whether the address was proven, and the
//!   language the user's mails are written in.
//! - `email_tokens`: the links' tokens. Only the SHA-256 of a token is kept (it has 256
//!   random bits). A token is spent when used, or when a newer one of its purpose, a
//!   password change or a reset replaces it; spent rows stay until they expire so that
//!   per-account limits can count recent requests.
//! - `mail_outbox`: mails written in the transaction that made their token, sent by a
//!   background worker with retries; a row is deleted once the SMTP server took the mail.

use sea_orm_migration::prelude::*;

use crate::columns::{instant, uuid_pk};
use crate::m20261123_000001_create_users::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum UserEmail {
    #[sea_orm(iden = "users")]
    Table,
    EmailVerified,
    Locale,
}

#[derive(DeriveIden)]
enum EmailTokens {
    Table,
    Id,
    UserId,
    Purpose,
    SecretHash,
    NewEmail,
    CreatedAt,
    ExpiresAt,
    SpentAt,
}

#[derive(DeriveIden)]
enum MailOutbox {
    Table,
    Id,
    Recipient,
    Subject,
    TextBody,
    HtmlBody,
    ContentLanguage,
    CreatedAt,
    NextAttemptAt,
    Attempts,
    ClaimedUntil,
    LastError,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        // One column per statement: SQLite alters one thing at a time.
        manager
            .alter_table(
                Table::alter()
                    .table(UserEmail::Table)
                    .add_column(ColumnDef::new(UserEmail::EmailVerified).boolean().not_null().default(false))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(UserEmail::Table)
                    .add_column(ColumnDef::new(UserEmail::Locale).string_len(8).null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(EmailTokens::Table)
                    .col(uuid_pk(EmailTokens::Id))
                    .col(ColumnDef::new(EmailTokens::UserId).uuid().not_null())
                    .col(ColumnDef::new(EmailTokens::Purpose).string_len(16).not_null())
                    .col(ColumnDef::new(EmailTokens::SecretHash).string_len(64).not_null())
                    .col(ColumnDef::new(EmailTokens::NewEmail).string_len(320).null())
                    .col(instant(backend, EmailTokens::CreatedAt).not_null())
                    .col(instant(backend, EmailTokens::ExpiresAt).not_null())
                    .col(instant(backend, EmailTokens::SpentAt).null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_email_tokens_user")
                            .from(EmailTokens::Table, EmailTokens::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_email_tokens_secret_hash")
                    .table(EmailTokens::Table)
                    .col(EmailTokens::SecretHash)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_email_tokens_user")
                    .table(EmailTokens::Table)
                    .col(EmailTokens::UserId)
                    .col(EmailTokens::Purpose)
                    .col(EmailTokens::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_email_tokens_expires")
                    .table(EmailTokens::Table)
                    .col(EmailTokens::ExpiresAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MailOutbox::Table)
                    .col(uuid_pk(MailOutbox::Id))
                    .col(ColumnDef::new(MailOutbox::Recipient).string_len(320).not_null())
                    .col(ColumnDef::new(MailOutbox::Subject).string_len(255).not_null())
                    .col(ColumnDef::new(MailOutbox::TextBody).text().not_null())
                    .col(ColumnDef::new(MailOutbox::HtmlBody).text().not_null())
                    .col(ColumnDef::new(MailOutbox::ContentLanguage).string_len(8).not_null())
                    .col(instant(backend, MailOutbox::CreatedAt).not_null())
                    .col(instant(backend, MailOutbox::NextAttemptAt).not_null())
                    .col(ColumnDef::new(MailOutbox::Attempts).integer().not_null().default(0))
                    .col(instant(backend, MailOutbox::ClaimedUntil).null())
                    .col(ColumnDef::new(MailOutbox::LastError).string_len(500).null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_mail_outbox_due")
                    .table(MailOutbox::Table)
                    .col(MailOutbox::NextAttemptAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(MailOutbox::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(EmailTokens::Table).to_owned()).await?;
        manager.alter_table(Table::alter().table(UserEmail::Table).drop_column(UserEmail::Locale).to_owned()).await?;
        manager
            .alter_table(Table::alter().table(UserEmail::Table).drop_column(UserEmail::EmailVerified).to_owned())
            .await
    }
}
