//! `mfa_totp`: a user's authenticator-app secret (RFC 6238).

use sea_orm::entity::prelude::*;

/// One user's TOTP.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "mfa_totp")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: Uuid,
    /// Base32, as the authenticator app was given it.
    pub secret: String,
    pub created_at: DateTimeUtc,
    /// Null while enrolment waits for a first code: TOTP is not on yet.
    pub confirmed_at: Option<DateTimeUtc>,
    /// The last time step a code was accepted for; a code of it or earlier is refused.
    pub last_step: Option<i64>,
    /// Added while the account's address was unverified: `resetPassword` removes it.
    pub added_unverified: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
