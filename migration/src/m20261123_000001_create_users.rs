use sea_orm_migration::prelude::*;

use crate::columns::{instant, lower_key, lower_matches, uuid_pk};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum Users {
    Table,
    Id,
    Email,
    EmailLower,
    Username,
    UsernameLower,
    DisplayName,
    FirstName,
    LastName,
    PhoneNumber,
    Address,
    AvatarUrl,
    IsActive,
    Attributes,
    PasswordHash,
    SearchText,
    LastLoginAt,
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
                    .table(Users::Table)
                    .col(uuid_pk(Users::Id))
                    .col(ColumnDef::new(Users::Email).string_len(254).not_null())
                    .col(lower_key(db, Users::EmailLower, 254).not_null())
                    .col(ColumnDef::new(Users::Username).string_len(32).null())
                    .col(lower_key(db, Users::UsernameLower, 32).null())
                    .col(ColumnDef::new(Users::DisplayName).string_len(100).null())
                    .col(ColumnDef::new(Users::FirstName).string_len(100).null())
                    .col(ColumnDef::new(Users::LastName).string_len(100).null())
                    .col(ColumnDef::new(Users::PhoneNumber).string_len(32).null())
                    .col(ColumnDef::new(Users::Address).string_len(500).null())
                    .col(ColumnDef::new(Users::AvatarUrl).string_len(2048).null())
                    .col(ColumnDef::new(Users::IsActive).boolean().not_null().default(true))
                    .col(ColumnDef::new(Users::Attributes).json_binary().null())
                    // NULL: the account exists but cannot sign in until a password is set.
                    .col(ColumnDef::new(Users::PasswordHash).string_len(255).null())
                    // Lower-cased email, username and names, kept by the app: one column that
                    // `filter.search` matches the same way on every backend.
                    .col(ColumnDef::new(Users::SearchText).string_len(1000).not_null().default(""))
                    .col(instant(db, Users::LastLoginAt).null())
                    .col(instant(db, Users::CreatedAt).not_null())
                    .col(instant(db, Users::UpdatedAt).not_null())
                    // Emails and usernames are ASCII by their syntax, where every backend's
                    // LOWER() agrees with the app's: so the keys cannot be written wrong.
                    .check(("ck_users_email_lower", lower_matches(db, "email_lower", "email")))
                    .check((
                        "ck_users_username_lower",
                        Expr::col(Users::Username)
                            .is_null()
                            .and(Expr::col(Users::UsernameLower).is_null())
                            .or(lower_matches(db, "username_lower", "username")),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_users_email_lower")
                    .table(Users::Table)
                    .col(Users::EmailLower)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // NULLs never collide in a unique index on any of the three backends,
        // which is exactly "unique when set".
        manager
            .create_index(
                Index::create()
                    .name("ux_users_username_lower")
                    .table(Users::Table)
                    .col(Users::UsernameLower)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // Keyset pagination sorts by (created_at, id); this index serves both directions.
        manager
            .create_index(
                Index::create()
                    .name("ix_users_created_at_id")
                    .table(Users::Table)
                    .col(Users::CreatedAt)
                    .col(Users::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Users::Table).to_owned()).await
    }
}
