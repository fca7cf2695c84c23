//! `passkey_challenges`: WebAuthn ceremonies begun and not finished.

use sea_orm::entity::prelude::*;

/// One ceremony's server-side state.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "passkey_challenges")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The user registering, or signing in by name; None for a sign-in without a name.
    pub user_id: Option<Uuid>,
    /// `register`, `login`, or `decoy` (a sign-in for a name without passkeys, which no
    /// answer finishes).
    pub purpose: String,
    /// webauthn-rs's ceremony state, as JSON.
    #[sea_orm(column_type = "Text")]
    pub state: String,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    /// When a finish took it; it is taken once, whatever the outcome.
    pub spent_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
