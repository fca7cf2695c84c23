//! `mail_outbox`: mails waiting for the SMTP server to take them.

use sea_orm::entity::prelude::*;

/// One mail.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "mail_outbox")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub recipient: String,
    pub subject: String,
    #[sea_orm(column_type = "Text")]
    pub text_body: String,
    #[sea_orm(column_type = "Text")]
    pub html_body: String,
    /// "en" or "id".
    pub content_language: String,
    pub created_at: DateTimeUtc,
    /// Not sent before this.
    pub next_attempt_at: DateTimeUtc,
    /// Attempts so far.
    pub attempts: i32,
    /// An instance is sending it until then; after, another may try (it crashed).
    pub claimed_until: Option<DateTimeUtc>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
