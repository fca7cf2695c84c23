//! Sessions a user can review, and the audit log:
//!
//! - `sessions.user_agent` keeps 512 characters (it kept 255).
//! - `audit_events`: one row per recorded action, written in the transaction of the change
//!   it describes. `actor_id` and `subject_user_id` are plain columns, not foreign keys:
//!   an event outlives the users it names.
//! - The developer role gets `AUDIT_READ`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement};

use crate::columns::instant;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Sessions {
    Table,
    UserAgent,
}

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Id,
    At,
    Action,
    ActorId,
    SubjectUserId,
    SubjectRoleId,
    IpAddress,
    UserAgent,
    Details,
}

const AUDIT_READ: &str = "AUDIT_READ";

/// Rewrites the stored permission list (sorted names, comma-separated) of the roles that
/// `select` names, with `edit` applied to the list.
async fn edit_permissions(
    manager: &SchemaManager<'_>,
    select: &str,
    edit: impl Fn(&mut Vec<String>),
) -> Result<(), DbErr> {
    let db = manager.get_connection();
    let backend = manager.get_database_backend();
    let rows = db.query_all_raw(Statement::from_string(backend, select)).await?;
    for row in rows {
        let id: sea_orm_migration::sea_orm::prelude::Uuid = row.try_get("", "id")?;
        let stored: String = row.try_get("", "permissions")?;
        let mut names: Vec<String> = stored.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect();
        edit(&mut names);
        names.sort_unstable();
        names.dedup();
        let update = Query::update()
            .table(Alias::new("roles"))
            .value(Alias::new("permissions"), names.join(","))
            .and_where(Expr::col(Alias::new("id")).eq(id))
            .to_owned();
        manager.exec_stmt(update).await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        // SQLite does not enforce a text column's length, and cannot alter a column.
        if backend != DbBackend::Sqlite {
            manager
                .alter_table(
                    Table::alter()
                        .table(Sessions::Table)
                        .modify_column(ColumnDef::new(Sessions::UserAgent).string_len(512).null())
                        .to_owned(),
                )
                .await?;
        }
        let mut table = Table::create();
        table
            .table(AuditEvents::Table)
            .col(ColumnDef::new(AuditEvents::Id).uuid().not_null())
            .col(instant(backend, AuditEvents::At).not_null())
            .col(ColumnDef::new(AuditEvents::Action).string_len(32).not_null())
            .col(ColumnDef::new(AuditEvents::ActorId).uuid().null())
            .col(ColumnDef::new(AuditEvents::SubjectUserId).uuid().null())
            .col(ColumnDef::new(AuditEvents::SubjectRoleId).uuid().null())
            .col(ColumnDef::new(AuditEvents::IpAddress).string_len(64).null())
            .col(ColumnDef::new(AuditEvents::UserAgent).string_len(512).null())
            .col(ColumnDef::new(AuditEvents::Details).json_binary().not_null());
        if backend == DbBackend::Sqlite {
            // SQLite's one writer waits for every page a write touches, and an event is written
            // with most changes: the table is its own time index (clustered on (at, id), no
            // rowid), and only the subject has an index besides. Filters by actor or action
            // read the time range.
            table.primary_key(Index::create().col(AuditEvents::At).col(AuditEvents::Id));
            let sql = format!("{} WITHOUT ROWID", table.to_string(SqliteQueryBuilder));
            manager.get_connection().execute_unprepared(&sql).await?;
            manager
                .create_index(
                    Index::create()
                        .name("ix_audit_events_subject_user")
                        .table(AuditEvents::Table)
                        .col(AuditEvents::SubjectUserId)
                        .to_owned(),
                )
                .await?;
        } else {
            table.primary_key(Index::create().col(AuditEvents::Id));
            manager.create_table(table.to_owned()).await?;
            // Newest first, alone or narrowed by the actor or the subject.
            for (name, first) in [
                ("ix_audit_events_at", None),
                ("ix_audit_events_actor", Some(AuditEvents::ActorId)),
                ("ix_audit_events_subject_user", Some(AuditEvents::SubjectUserId)),
            ] {
                let mut index = Index::create();
                index.name(name).table(AuditEvents::Table);
                if let Some(first) = first {
                    index.col(first);
                }
                manager.create_index(index.col(AuditEvents::At).col(AuditEvents::Id).to_owned()).await?;
            }
        }
        edit_permissions(
            manager,
            "SELECT id, permissions FROM roles WHERE is_system = TRUE AND name_lower = 'developer'",
            |names| names.push(AUDIT_READ.to_owned()),
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        edit_permissions(manager, "SELECT id, permissions FROM roles WHERE permissions LIKE '%AUDIT_READ%'", |names| {
            names.retain(|n| n != AUDIT_READ)
        })
        .await?;
        manager.drop_table(Table::drop().table(AuditEvents::Table).to_owned()).await?;
        if manager.get_database_backend() != DbBackend::Sqlite {
            manager
                .get_connection()
                .execute_unprepared(
                    "UPDATE sessions SET user_agent = LEFT(user_agent, 255) WHERE CHAR_LENGTH(user_agent) > 255",
                )
                .await?;
            manager
                .alter_table(
                    Table::alter()
                        .table(Sessions::Table)
                        .modify_column(ColumnDef::new(Sessions::UserAgent).string_len(255).null())
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
