//! A substring index for `users(filter: { search })`, so a search over a million users
//! does not read every row: a trigram index where the database has one.
//!
//! - PostgreSQL: `pg_trgm` (a trusted extension since 13) and a GIN index on
//!   `users.search_text`; `LIKE '%term%'` uses it as it is.
//! - SQLite: an FTS5 table with the trigram tokenizer, kept by triggers. FTS5 keys rows by
//!   an integer, and the implicit rowid of `users` (a UUID primary key) may change on
//!   `VACUUM`, so a small key table gives every user a stable integer of its own.
//! - MySQL/MariaDB have no trigram index (InnoDB FULLTEXT matches words, not substrings):
//!   the search there stays a scan.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

const SQLITE_UP: &[&str] = &[
    "CREATE TABLE user_search_keys (
        search_rowid INTEGER PRIMARY KEY,
        user_id BLOB NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE
    )",
    "CREATE VIRTUAL TABLE user_search USING fts5 (search_text, tokenize = 'trigram')",
    "INSERT INTO user_search_keys (user_id) SELECT id FROM users",
    "INSERT INTO user_search (rowid, search_text)
        SELECT k.search_rowid, u.search_text FROM user_search_keys k JOIN users u ON u.id = k.user_id",
    "CREATE TRIGGER user_search_insert AFTER INSERT ON users BEGIN
        INSERT INTO user_search_keys (user_id) VALUES (new.id);
        INSERT INTO user_search (rowid, search_text) VALUES (last_insert_rowid(), new.search_text);
    END",
    "CREATE TRIGGER user_search_update AFTER UPDATE OF search_text ON users BEGIN
        UPDATE user_search SET search_text = new.search_text
            WHERE rowid = (SELECT search_rowid FROM user_search_keys WHERE user_id = new.id);
    END",
    // Before the row goes, while its key still names it; the key goes here too rather
    // than by the cascade, which would not run on a connection without foreign keys.
    "CREATE TRIGGER user_search_delete BEFORE DELETE ON users BEGIN
        DELETE FROM user_search WHERE rowid = (SELECT search_rowid FROM user_search_keys WHERE user_id = old.id);
        DELETE FROM user_search_keys WHERE user_id = old.id;
    END",
];

const SQLITE_DOWN: &[&str] = &[
    "DROP TRIGGER IF EXISTS user_search_delete",
    "DROP TRIGGER IF EXISTS user_search_update",
    "DROP TRIGGER IF EXISTS user_search_insert",
    "DROP TABLE IF EXISTS user_search",
    "DROP TABLE IF EXISTS user_search_keys",
];

const POSTGRES_UP: &[&str] = &[
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX idx_users_search_trgm ON users USING gin (search_text gin_trgm_ops)",
];

// The extension stays: other schemas in the database may use it.
const POSTGRES_DOWN: &[&str] = &["DROP INDEX IF EXISTS idx_users_search_trgm"];

async fn run(manager: &SchemaManager<'_>, statements: &[&str]) -> Result<(), DbErr> {
    let db = manager.get_connection();
    for sql in statements {
        db.execute_unprepared(sql).await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        match manager.get_database_backend() {
            DbBackend::Sqlite => run(manager, SQLITE_UP).await,
            DbBackend::Postgres => run(manager, POSTGRES_UP).await,
            _ => Ok(()),
        }
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        match manager.get_database_backend() {
            DbBackend::Sqlite => run(manager, SQLITE_DOWN).await,
            DbBackend::Postgres => run(manager, POSTGRES_DOWN).await,
            _ => Ok(()),
        }
    }
}
