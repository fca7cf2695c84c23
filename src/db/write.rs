//! Writing: transactions that publish their changes and audit events when they commit,
//! SQLite's one-writer turns, and the locks that serialise rules spanning many rows.

use std::sync::Arc;

use sea_orm::{ConnectionTrait, DbBackend, Statement};

use super::changes::{Change, ChangeBus};
use super::entities;

/// Rows a writing transaction locks before it checks a rule that spans many rows, so that
/// two such transactions run one after the other (the second sees what the first wrote).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lock {
    /// Any change that could leave no active user holding ROLE_WRITE.
    RoleWriters,
}

impl Lock {
    fn name(self) -> &'static str {
        match self {
            Self::RoleWriters => "role_writers",
        }
    }
}

/// Takes `which` until the transaction ends. Take it first in the transaction: on MariaDB
/// a transaction's snapshot starts at its first plain read, and it must start after the
/// lock is held. SQLite needs no row lock: a writing transaction holds the only write lock.
pub async fn lock(txn: &impl ConnectionTrait, which: Lock) -> Result<(), sea_orm::DbErr> {
    let backend = txn.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => "SELECT name FROM locks WHERE name = $1 FOR UPDATE",
        DbBackend::MySql => "SELECT name FROM locks WHERE name = ? FOR UPDATE",
        _ => return Ok(()),
    };
    txn.query_one_raw(Statement::from_sql_and_values(backend, sql, [which.name().into()])).await?;
    Ok(())
}

/// A writing transaction holding its writer's turn; derefs to the transaction. The turn
/// ends with the transaction (commit, or rollback on drop), never before.
///
/// What a transaction records besides its change (audit events, the changes other
/// instances must hear of) is written at commit, in one round trip where the backend
/// allows: on SQLite the whole instance waits for each statement of a writing transaction,
/// so one more round trip inside it costs every writer.
#[must_use = "dropping it rolls the transaction back"]
pub struct WriteTxn {
    pub(super) txn: sea_orm::DatabaseTransaction,
    pub(super) _turn: WriteTurn,
    pub(super) bus: Arc<ChangeBus>,
    pub(super) pending: Vec<Change>,
    pub(super) events: Vec<entities::audit_event::Model>,
}

/// One `INSERT` of audit events, written by hand: it runs with most writes, so it is not
/// built anew by the query builder each time.
fn audit_insert(backend: DbBackend, rows: Vec<entities::audit_event::Model>) -> Statement {
    const COLUMNS: &str = "id, at, action, actor_id, subject_user_id, subject_role_id, ip_address, user_agent, details";
    let mut values: Vec<sea_orm::Value> = Vec::with_capacity(rows.len() * 9);
    let mut groups = Vec::with_capacity(rows.len());
    for row in rows {
        let marks: Vec<String> = (values.len() + 1..=values.len() + 9)
            .map(|n| if backend == DbBackend::Postgres { format!("${n}") } else { "?".to_owned() })
            .collect();
        groups.push(format!("({})", marks.join(", ")));
        values.extend([
            row.id.into(),
            row.at.into(),
            row.action.into(),
            row.actor_id.into(),
            row.subject_user_id.into(),
            row.subject_role_id.into(),
            row.ip_address.into(),
            row.user_agent.into(),
            row.details.into(),
        ]);
    }
    Statement::from_sql_and_values(
        backend,
        format!("INSERT INTO audit_events ({COLUMNS}) VALUES {}", groups.join(", ")),
        values,
    )
}

impl std::ops::Deref for WriteTxn {
    type Target = sea_orm::DatabaseTransaction;

    fn deref(&self) -> &Self::Target {
        &self.txn
    }
}

impl WriteTxn {
    /// Records that this transaction changes what instances may have cached: other
    /// instances learn it if the transaction commits, this one right after it does.
    pub(crate) fn changed(&mut self, change: Change) {
        self.pending.push(change);
    }

    /// Writes an audit event with this transaction: it exists if and only if the
    /// transaction commits.
    pub(crate) fn record(&mut self, event: entities::audit_event::Model) {
        self.events.push(event);
    }

    /// The recorded events and changes, written in as few statements as the backend allows.
    async fn write_recorded(&mut self) -> Result<(), sea_orm::DbErr> {
        let backend = self.txn.get_database_backend();
        let events = (!self.events.is_empty()).then(|| audit_insert(backend, std::mem::take(&mut self.events)));
        let changes: Vec<sea_orm::Value> = self.pending.iter().map(|c| c.encode().into()).collect();
        let mut statements: Vec<Statement> = Vec::new();
        match backend {
            DbBackend::Postgres => {
                // One statement: the events inserted by a data-modifying WITH (run whether
                // or not it is referenced), then one notification per change.
                let (mut sql, mut values) = match events {
                    Some(s) => {
                        (format!("WITH events AS ({}) SELECT 1", s.sql), s.values.map(|v| v.0).unwrap_or_default())
                    }
                    None => ("SELECT 1".to_owned(), Vec::new()),
                };
                for change in changes {
                    values.push(super::changes::CHANNEL.into());
                    values.push(change);
                    sql.push_str(&format!(", pg_notify(${}, ${})", values.len() - 1, values.len()));
                }
                if sql != "SELECT 1" {
                    statements.push(Statement::from_sql_and_values(backend, sql, values));
                }
            }
            _ => {
                let changes = (!changes.is_empty()).then(|| {
                    let marks = vec!["(?)"; changes.len()].join(", ");
                    Statement::from_sql_and_values(
                        backend,
                        format!("INSERT INTO change_events (payload) VALUES {marks}"),
                        changes,
                    )
                });
                match (backend, events, changes) {
                    // SQLite runs several statements of one query, binding its values in order.
                    (DbBackend::Sqlite, Some(e), Some(c)) => {
                        let mut values = e.values.map(|v| v.0).unwrap_or_default();
                        values.extend(c.values.map(|v| v.0).unwrap_or_default());
                        statements.push(Statement::from_sql_and_values(
                            backend,
                            format!("{}; {}", e.sql, c.sql),
                            values,
                        ));
                    }
                    (_, e, c) => statements.extend(e.into_iter().chain(c)),
                }
            }
        }
        for statement in statements {
            self.txn.execute_raw(statement).await?;
        }
        Ok(())
    }

    /// Writes what was recorded, commits, then applies the recorded changes to this
    /// instance; the turn passes to the next writer afterwards.
    pub async fn commit(mut self) -> Result<(), sea_orm::DbErr> {
        self.write_recorded().await?;
        let Self { txn, _turn, bus, pending, .. } = self;
        txn.commit().await?;
        for change in &pending {
            bus.deliver(change);
        }
        Ok(())
    }
}

/// This instance's turn to write to SQLite; the next writer's turn starts when it is dropped.
#[must_use = "the turn ends when dropped"]
pub(crate) struct WriteTurn(#[allow(dead_code)] pub(super) Option<tokio::sync::OwnedMutexGuard<()>>);
