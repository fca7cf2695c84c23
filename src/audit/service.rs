//! Reading the audit log, and forgetting what is past its retention.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait as _};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::auth::audit::AuditAction;
use crate::db::Db;
use crate::db::entities::audit_event::{self, Column};
use crate::error::Result;
use crate::keyset::{Direction, Keyset};

/// Which events a list shows.
#[derive(Debug, Clone, Default)]
pub(crate) struct Filter {
    /// Only these actions (none: every action).
    pub actions: Vec<AuditAction>,
    /// Only events of this actor.
    pub actor: Option<Uuid>,
    /// Only events about this user.
    pub subject_user: Option<Uuid>,
    /// At or after.
    pub since: Option<DateTime<Utc>>,
    /// Before.
    pub until: Option<DateTime<Utc>>,
}

impl Filter {
    fn condition(&self) -> Condition {
        let mut c = Condition::all();
        if !self.actions.is_empty() {
            c = c.add(Column::Action.is_in(self.actions.iter().map(|a| a.as_str())));
        }
        if let Some(actor) = self.actor {
            c = c.add(Column::ActorId.eq(actor));
        }
        if let Some(subject) = self.subject_user {
            c = c.add(Column::SubjectUserId.eq(subject));
        }
        if let Some(since) = self.since {
            c = c.add(Column::At.gte(since));
        }
        if let Some(until) = self.until {
            c = c.add(Column::At.lt(until));
        }
        c
    }
}

/// One page of events and whether more follow it.
#[derive(Debug)]
pub(crate) struct EventPage {
    /// Newest first.
    pub rows: Vec<audit_event::Model>,
    /// More rows lie beyond the page in the direction it was read.
    pub has_more: bool,
}

/// A page of events, newest first: keyset on (at, id), never OFFSET.
pub(crate) async fn list(
    db: &impl ConnectionTrait,
    filter: &Filter,
    page: &Keyset<DateTime<Utc>>,
) -> Result<EventPage> {
    let forward = page.direction == Direction::Forward;
    let mut query = audit_event::Entity::find().filter(filter.condition());
    if let Some((at, id)) = page.start {
        let (at_col, id_col) = (Expr::col(Column::At), Expr::col(Column::Id));
        // Newest first: forward is towards older rows.
        let past = if forward {
            Condition::all().add(at_col.clone().lte(at)).add(
                Condition::any().add(at_col.clone().lt(at)).add(Condition::all().add(at_col.eq(at)).add(id_col.lt(id))),
            )
        } else {
            Condition::all().add(at_col.clone().gte(at)).add(
                Condition::any().add(at_col.clone().gt(at)).add(Condition::all().add(at_col.eq(at)).add(id_col.gt(id))),
            )
        };
        query = query.filter(past);
    }
    let order = if forward { sea_orm::Order::Desc } else { sea_orm::Order::Asc };
    let query = query.order_by(Column::At, order.clone()).order_by(Column::Id, order);
    let mut rows = query.limit(page.limit + 1).all(db).await?;
    let has_more = rows.len() as u64 > page.limit;
    rows.truncate(usize::try_from(page.limit).unwrap_or(usize::MAX));
    if !forward {
        rows.reverse();
    }
    Ok(EventPage { rows, has_more })
}

/// How many events the filter selects.
pub(crate) async fn count(db: &impl ConnectionTrait, filter: &Filter) -> Result<u64> {
    Ok(audit_event::Entity::find().filter(filter.condition()).count(db).await?)
}

/// Forgets the events past `GERBANG_AUDIT_RETENTION`; returns how many went.
pub async fn prune_expired(state: &crate::state::AppState) -> Result<u64> {
    let retention = chrono::Duration::from_std(state.config.audit_retention).unwrap_or(chrono::Duration::MAX);
    match state.now().checked_sub_signed(retention) {
        Some(before) => prune(&state.db, before).await,
        None => Ok(0),
    }
}

/// Events deleted per statement: small, so no statement holds locks for long.
const PRUNE_BATCH: u64 = 500;

/// Forgets events older than `before`, a batch at a time (each a range of the time index,
/// so no statement holds locks for long). Returns how many went.
pub async fn prune(db: &Db, before: DateTime<Utc>) -> Result<u64> {
    let mut total = 0;
    loop {
        // The time of the batch's last event: the batch is everything up to it.
        let last: Option<DateTime<Utc>> = audit_event::Entity::find()
            .select_only()
            .column(Column::At)
            .filter(Column::At.lt(before))
            .order_by_asc(Column::At)
            .offset(PRUNE_BATCH - 1)
            .limit(1)
            .into_tuple()
            .one(&db.conn)
            .await?;
        let _turn = db.write_turn().await;
        let batch = audit_event::Entity::delete_many().filter(Column::At.lt(before));
        let batch = match last {
            Some(at) => batch.filter(Column::At.lte(at)),
            None => batch,
        };
        let deleted = batch.exec(&db.conn).await?.rows_affected;
        total += deleted;
        if last.is_none() || deleted == 0 {
            return Ok(total);
        }
    }
}
