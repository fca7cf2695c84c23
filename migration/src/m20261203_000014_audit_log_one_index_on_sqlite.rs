//! On SQLite the audit log keeps no index besides its (time, id) clustering: every index is
//! one more page the one writer dirties at every change (measured: the subject index was
//! about half of what an event cost `updateUser`). A filter by subject reads the time
//! range it names, newest first, as filters by actor and action already did. PostgreSQL and
//! MariaDB keep their indexes.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    SubjectUserId,
}

const INDEX: &str = "ix_audit_events_subject_user";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Sqlite {
            return Ok(());
        }
        manager.drop_index(Index::drop().name(INDEX).table(AuditEvents::Table).if_exists().to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Sqlite {
            return Ok(());
        }
        manager
            .create_index(
                Index::create().name(INDEX).table(AuditEvents::Table).col(AuditEvents::SubjectUserId).to_owned(),
            )
            .await
    }
}
