//! `auditEvents` and its types.

use async_graphql::{ComplexObject, Context, ID, InputObject, Json, Object, SimpleObject};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::service::{self, Filter};
use crate::auth::audit::AuditAction;
use crate::auth::permission::Permission;
use crate::db::entities::audit_event;
use crate::error::{AppError, Collect, Result};
use crate::graphql::context::ContextExt;
use crate::graphql::guards::HasPermission;
use crate::graphql::loaders::load_error;
use crate::graphql::pagination::{Cursor, Page, PageInfo, page_cost};
use crate::graphql::scalars::{parse_id, to_id};
use crate::i18n::Message;
use crate::users::graphql::User;

/// Cursors of the audit log carry this sort name.
const SORT: &str = "AT_DESC";

/// Most actions one filter may name (there are fewer distinct ones).
const MAX_ACTIONS: usize = 50;

/// One recorded action.
pub(crate) struct AuditEvent(audit_event::Model);

#[Object]
impl AuditEvent {
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }

    async fn action(&self) -> Result<AuditAction> {
        AuditAction::from_stored(&self.0.action)
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("unknown audit action {:?}", self.0.action)))
    }

    /// Who acted; null when anonymous, the service itself, or since deleted.
    async fn actor(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        let Some(id) = self.0.actor_id else { return Ok(None) };
        Ok(ctx.loaders()?.user_by_id.load_one(id).await.map_err(load_error)?.map(User::new))
    }

    /// Who acted, kept after the actor is deleted.
    async fn actor_id(&self) -> Option<ID> {
        self.0.actor_id.map(to_id)
    }

    /// The account the event is about (for sign-ins, the account signing in).
    async fn subject_user_id(&self) -> Option<ID> {
        self.0.subject_user_id.map(to_id)
    }

    /// The role the event is about.
    async fn subject_role_id(&self) -> Option<ID> {
        self.0.subject_role_id.map(to_id)
    }

    /// The client's address (see `GERBANG_TRUSTED_PROXIES`).
    async fn ip_address(&self) -> Option<&str> {
        self.0.ip_address.as_deref()
    }

    /// The client's `User-Agent`, cut to 512 characters.
    async fn user_agent(&self) -> Option<&str> {
        self.0.user_agent.as_deref()
    }

    /// Action-specific: names of changed fields, roles and permissions; never passwords,
    /// tokens, codes, hashes or values of private fields.
    async fn details(&self) -> Json<serde_json::Value> {
        Json(self.0.details.clone())
    }
}

/// An edge of the audit log.
#[derive(SimpleObject)]
pub(crate) struct AuditEventEdge {
    /// Opaque position of this event in the log.
    pub cursor: String,
    /// The event.
    pub node: AuditEvent,
}

/// A page of the audit log, newest first.
#[derive(SimpleObject)]
#[graphql(complex)]
pub(crate) struct AuditEventConnection {
    /// The events with their cursors.
    pub edges: Vec<AuditEventEdge>,
    /// Where this page is in the log.
    pub page_info: PageInfo,
    #[graphql(skip)]
    filter: Filter,
}

#[ComplexObject]
impl AuditEventConnection {
    /// The events, without cursors.
    async fn nodes(&self) -> Vec<AuditEvent> {
        self.edges.iter().map(|e| AuditEvent(e.node.0.clone())).collect()
    }

    /// How many events match the filter; counted only when asked for.
    async fn total_count(&self, ctx: &Context<'_>) -> Result<i32> {
        let n = service::count(&ctx.state()?.db.conn, &self.filter).await?;
        Ok(i32::try_from(n).unwrap_or(i32::MAX))
    }
}

/// Which events `auditEvents` returns; every given condition must hold.
#[derive(InputObject, Default)]
pub(crate) struct AuditFilter {
    /// Any of these actions.
    pub actions: Option<Vec<AuditAction>>,
    /// Done by this user.
    pub actor_id: Option<ID>,
    /// About this user.
    pub subject_user_id: Option<ID>,
    /// At or after this instant.
    pub since: Option<DateTime<Utc>>,
    /// Before this instant.
    pub until: Option<DateTime<Utc>>,
}

impl AuditFilter {
    fn parse(self) -> Result<Filter> {
        let mut c = Collect::default();
        let id = |field: &'static str, id: &ID| parse_id(id, field).map_err(|_| Message::InvalidId);
        let actor = self.actor_id.and_then(|v| c.field("actorId", id("actorId", &v)));
        let subject_user = self.subject_user_id.and_then(|v| c.field("subjectUserId", id("subjectUserId", &v)));
        let mut actions = self.actions.unwrap_or_default();
        if actions.len() > MAX_ACTIONS {
            c.field::<()>("actions", Err(Message::TooMany { max: MAX_ACTIONS }));
        }
        actions.sort_by_key(|a| a.as_str());
        actions.dedup();
        if let (Some(since), Some(until)) = (self.since, self.until)
            && until <= since
        {
            c.field::<()>("until", Err(Message::EmptyTimeRange));
        }
        c.finish()?;
        Ok(Filter { actions, actor, subject_user, since: self.since, until: self.until })
    }
}

/// The audit query.
#[derive(Default)]
pub(crate) struct AuditQuery;

#[Object]
impl AuditQuery {
    /// The audit log, newest first (AUDIT_READ). `first`/`last` default to 20, at most 100.
    #[graphql(guard = "HasPermission(Permission::AuditRead)", complexity = "page_cost(first, last, child_complexity)")]
    async fn audit_events(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<AuditFilter>,
    ) -> Result<AuditEventConnection> {
        let page = Page::parse(first, after, last, before)?;
        let filter = filter.unwrap_or_default().parse()?;
        let keyset = page.keyset(SORT, |v| DateTime::parse_from_rfc3339(v).ok().map(|at| at.with_timezone(&Utc)))?;
        let result = service::list(&ctx.state()?.db.conn, &filter, &keyset).await?;
        let ids: Vec<Uuid> = result.rows.iter().filter_map(|e| e.actor_id).collect();
        let ahead = ctx.look_ahead();
        let wants_actors =
            ahead.field("nodes").field("actor").exists() || ahead.field("edges").field("node").field("actor").exists();
        if wants_actors && !ids.is_empty() {
            ctx.loaders()?.user_by_id.load_many(ids).await.map_err(load_error)?;
        }
        let edges: Vec<AuditEventEdge> = result
            .rows
            .into_iter()
            .map(|e| AuditEventEdge {
                cursor: Cursor {
                    sort: SORT.to_owned(),
                    value: e.at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
                    id: e.id,
                }
                .encode(),
                node: AuditEvent(e),
            })
            .collect();
        let (first, last) = (edges.first().map(|e| e.cursor.clone()), edges.last().map(|e| e.cursor.clone()));
        let page_info = PageInfo::of(&keyset, result.has_more, first, last);
        Ok(AuditEventConnection { edges, page_info, filter })
    }
}
