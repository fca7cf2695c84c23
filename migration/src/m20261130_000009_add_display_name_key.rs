//! `users.display_name_lower`: the display name lower-cased by the app, indexed, so a one
//! or two letter search finds emails, usernames and names by prefix from indexes (see
//! `users::service::list`). Existing rows are filled in Rust: SQLite's `LOWER()` folds
//! ASCII only. On PostgreSQL the three prefix indexes are in byte order (`text_pattern_ops`).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::prelude::Uuid;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionTrait};

use crate::columns::lower_key;
use crate::m20261123_000001_create_users::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Added {
    DisplayNameLower,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(lower_key(backend, Added::DisplayNameLower, 100).null())
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        let (select, update) = match backend {
            DbBackend::Postgres => (
                "SELECT id, display_name FROM users WHERE display_name IS NOT NULL AND id > $1 ORDER BY id LIMIT 1000",
                "UPDATE users SET display_name_lower = $1 WHERE id = $2",
            ),
            _ => (
                "SELECT id, display_name FROM users WHERE display_name IS NOT NULL AND id > ? ORDER BY id LIMIT 1000",
                "UPDATE users SET display_name_lower = ? WHERE id = ?",
            ),
        };
        // A thousand rows a transaction: a large table is neither read into memory at once
        // nor locked for long.
        let mut after = Uuid::nil();
        loop {
            let rows = db.query_all_raw(Statement::from_sql_and_values(backend, select, [after.into()])).await?;
            let Some(last) = rows.last() else { break };
            after = last.try_get("", "id")?;
            let txn = db.begin().await?;
            for row in &rows {
                let id: Uuid = row.try_get("", "id")?;
                let name: String = row.try_get("", "display_name")?;
                txn.execute_raw(Statement::from_sql_and_values(
                    backend,
                    update,
                    [name.to_lowercase().into(), id.into()],
                ))
                .await?;
            }
            txn.commit().await?;
        }
        if backend == DbBackend::Postgres {
            // Byte-order indexes for prefix ranges (`~>=~`, `~<~`): the plain ones follow the
            // database's collation, which a prefix range cannot rely on.
            for (name, col) in [
                ("ix_users_email_lower_prefix", "email_lower"),
                ("ix_users_username_lower_prefix", "username_lower"),
                ("ix_users_display_name_lower", "display_name_lower"),
            ] {
                db.execute_unprepared(&format!("CREATE INDEX {name} ON users ({col} text_pattern_ops)")).await?;
            }
            return Ok(());
        }
        manager
            .create_index(
                Index::create()
                    .name("ix_users_display_name_lower")
                    .table(Users::Table)
                    .col(Added::DisplayNameLower)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DbBackend::Postgres {
            for name in ["ix_users_email_lower_prefix", "ix_users_username_lower_prefix"] {
                manager.get_connection().execute_unprepared(&format!("DROP INDEX IF EXISTS {name}")).await?;
            }
        }
        manager.drop_index(Index::drop().name("ix_users_display_name_lower").table(Users::Table).to_owned()).await?;
        manager.alter_table(Table::alter().table(Users::Table).drop_column(Added::DisplayNameLower).to_owned()).await
    }
}
