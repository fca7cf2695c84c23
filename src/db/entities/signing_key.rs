//! `signing_keys`: JWT keys shared by every instance over the database.

use sea_orm::entity::prelude::*;

/// One signing key.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "signing_keys")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub kid: String,
    pub algorithm: String,
    #[sea_orm(column_type = "Text")]
    pub private_key_pem: String,
    #[sea_orm(column_type = "Text")]
    pub public_key_pem: String,
    pub created_at: DateTimeUtc,
    /// When a newer key took over signing; the key still verifies until its tokens expire.
    pub retired_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
