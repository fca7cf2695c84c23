//! `login_throttles`: failed sign-ins and attempts in flight, per account or identifier.

use sea_orm::entity::prelude::*;

/// The counter of one account or unknown identifier.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "login_throttles")]
pub struct Model {
    /// Hex HMAC-SHA256 of what is counted; the identifier itself is never stored.
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    pub failures: i32,
    /// Attempts claimed and not yet settled.
    pub in_flight: i32,
    /// When the latest attempt was claimed; older claims are stale (their request died).
    pub claimed_at: Option<DateTimeUtc>,
    pub locked_until: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
