//! `passkeys`: a user's WebAuthn credentials.

use sea_orm::entity::prelude::*;

/// One registered passkey.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "passkeys")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    /// SHA-256 of the credential id, hex: how a sign-in finds it.
    pub credential_id_hash: String,
    pub name: String,
    /// webauthn-rs's `Passkey`, as JSON.
    #[sea_orm(column_type = "Text")]
    pub credential: String,
    /// The authenticator's signature counter last seen (0: it keeps none).
    pub sign_count: i64,
    pub created_at: DateTimeUtc,
    pub last_used_at: Option<DateTimeUtc>,
    /// Added while the account's address was unverified: `resetPassword` removes it.
    pub added_unverified: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
