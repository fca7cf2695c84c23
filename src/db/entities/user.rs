//! `users`: accounts and their profile.

use sea_orm::entity::prelude::*;

/// One account.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub email: String,
    /// `email` lower-cased by the app; its unique index makes email case-insensitively unique.
    pub email_lower: String,
    pub username: Option<String>,
    pub username_lower: Option<String>,
    pub display_name: Option<String>,
    /// `display_name` lower-cased by the app; indexed, for prefix search.
    pub display_name_lower: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone_number: Option<String>,
    pub address: Option<String>,
    pub avatar_url: Option<String>,
    pub is_active: bool,
    pub attributes: Option<Json>,
    pub password_hash: Option<String>,
    /// Lower-cased email, username and names, one per line: what `filter.search` matches.
    pub search_text: String,
    pub last_login_at: Option<DateTimeUtc>,
    /// Whether the user proved it receives mail at `email`.
    pub email_verified: bool,
    /// The language of its mails: "en" or "id" (`i18n::Locale`).
    pub locale: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::user_role::Entity")]
    UserRole,
    #[sea_orm(has_many = "super::session::Entity")]
    Session,
}

impl Related<super::user_role::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::UserRole.def()
    }
}

impl Related<super::role::Entity> for Entity {
    fn to() -> RelationDef {
        super::user_role::Relation::Role.def()
    }
    fn via() -> Option<RelationDef> {
        Some(super::user_role::Relation::User.def().rev())
    }
}

impl ActiveModelBehavior for ActiveModel {}
