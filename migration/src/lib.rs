//! gerbang's schema, as SeaORM migrations that run unchanged on SQLite, PostgreSQL and
//! MySQL/MariaDB. `gerbang migrate up|down|status` and every start-up run them.
//!
//! Case-insensitive uniqueness uses app-maintained `*_lower` columns with plain unique
//! indexes: sea-query cannot build a `lower()` index on SQLite or MariaDB, and SQLite's
//! `lower()` folds only ASCII anyway (see shared/STACK.md §4).

pub use sea_orm_migration::prelude::*;

mod columns;
mod m20261123_000001_create_users;
mod m20261123_000002_create_roles;
mod m20261123_000003_create_user_roles;
mod m20261123_000004_create_auth_tables;
mod m20261123_000005_seed_system_roles;
mod m20261123_000006_search_index;
mod m20261130_000007_harden_auth;
mod m20261130_000008_create_change_events;
mod m20261130_000009_add_display_name_key;
mod m20261203_000010_sessions_and_audit;
mod m20261203_000011_app_permissions_and_api_keys;
mod m20261203_000012_email;
mod m20261203_000013_totp;
mod m20261203_000014_audit_log_one_index_on_sqlite;
mod m20261203_000015_passkeys;
mod m20261207_000016_credentials_added_unverified;
mod m20261207_000017_widen_totp_secret;

/// The ordered list of gerbang's migrations.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_create_users::Migration),
            Box::new(m20261123_000002_create_roles::Migration),
            Box::new(m20261123_000003_create_user_roles::Migration),
            Box::new(m20261123_000004_create_auth_tables::Migration),
            Box::new(m20261123_000005_seed_system_roles::Migration),
            Box::new(m20261123_000006_search_index::Migration),
            Box::new(m20261130_000007_harden_auth::Migration),
            Box::new(m20261130_000008_create_change_events::Migration),
            Box::new(m20261130_000009_add_display_name_key::Migration),
            Box::new(m20261203_000010_sessions_and_audit::Migration),
            Box::new(m20261203_000011_app_permissions_and_api_keys::Migration),
            Box::new(m20261203_000012_email::Migration),
            Box::new(m20261203_000013_totp::Migration),
            Box::new(m20261203_000014_audit_log_one_index_on_sqlite::Migration),
            Box::new(m20261203_000015_passkeys::Migration),
            Box::new(m20261207_000016_credentials_added_unverified::Migration),
            Box::new(m20261207_000017_widen_totp_secret::Migration),
        ]
    }
}
