//! Listing users: filters, sorts, keyset pages and the search plan.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::ExprTrait as _;
use sea_orm::sea_query::{Expr, Func, LikeExpr, Query, SimpleExpr};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Statement,
};
use uuid::Uuid;

use crate::db::entities::{role, user, user_role};
use crate::error::Result;
use crate::keyset::{Direction, Keyset};
use crate::users::domain::SearchTerm;

/// How a list of users is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SortKey {
    /// Creation time.
    CreatedAt,
    /// Email, case-insensitively.
    Email,
    /// Username, case-insensitively; users without one first.
    Username,
    /// Display name; users without one first.
    DisplayName,
}

/// Sort key and direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Sort {
    /// The key.
    pub key: SortKey,
    /// Descending?
    pub descending: bool,
}

impl Default for Sort {
    fn default() -> Self {
        Self { key: SortKey::CreatedAt, descending: false }
    }
}

impl Sort {
    /// The name cursors carry, so a cursor is only used with the sort that made it.
    pub(crate) fn name(self) -> &'static str {
        match (self.key, self.descending) {
            (SortKey::CreatedAt, false) => "CREATED_AT_ASC",
            (SortKey::CreatedAt, true) => "CREATED_AT_DESC",
            (SortKey::Email, false) => "EMAIL_ASC",
            (SortKey::Email, true) => "EMAIL_DESC",
            (SortKey::Username, false) => "USERNAME_ASC",
            (SortKey::Username, true) => "USERNAME_DESC",
            (SortKey::DisplayName, false) => "DISPLAY_NAME_ASC",
            (SortKey::DisplayName, true) => "DISPLAY_NAME_DESC",
        }
    }

    fn expr(self) -> SimpleExpr {
        match self.key {
            SortKey::CreatedAt => Expr::col((user::Entity, user::Column::CreatedAt)),
            SortKey::Email => Expr::col((user::Entity, user::Column::EmailLower)),
            SortKey::Username => {
                Func::coalesce([Expr::col((user::Entity, user::Column::UsernameLower)), Expr::val("")]).into()
            }
            SortKey::DisplayName => {
                Func::coalesce([Expr::col((user::Entity, user::Column::DisplayName)), Expr::val("")]).into()
            }
        }
    }

    /// The row's sort value, as the cursor carries it.
    pub(crate) fn value_of(self, u: &user::Model) -> String {
        match self.key {
            SortKey::CreatedAt => u.created_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            SortKey::Email => u.email_lower.clone(),
            SortKey::Username => u.username_lower.clone().unwrap_or_default(),
            SortKey::DisplayName => u.display_name.clone().unwrap_or_default(),
        }
    }

    /// Reads a sort value as `value_of` writes it; `None` when it is not one.
    pub(crate) fn parse_value(self, value: &str) -> Option<SortValue> {
        match self.key {
            SortKey::CreatedAt => {
                DateTime::parse_from_rfc3339(value).ok().map(|at| SortValue::Time(at.with_timezone(&Utc)))
            }
            _ => Some(SortValue::Text(value.to_owned())),
        }
    }
}

/// A row's sort value, typed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum SortValue {
    /// A creation time.
    Time(DateTime<Utc>),
    /// A lower-cased email, username or a display name.
    Text(String),
}

impl SortValue {
    fn expr(&self) -> SimpleExpr {
        match self {
            Self::Time(at) => Expr::val(*at),
            Self::Text(s) => Expr::val(s.clone()),
        }
    }
}

/// Which users a list shows.
#[derive(Debug, Clone, Default)]
pub(crate) struct Filter {
    /// Case-insensitive: a substring of email, username or names; a prefix of email,
    /// username or display name when shorter than a trigram.
    pub search: Option<SearchTerm>,
    /// Members of this role.
    pub role_id: Option<Uuid>,
    /// Active or inactive only.
    pub is_active: Option<bool>,
}

/// How a search term finds its users, decided once per request (the page and its
/// `totalCount` use the same plan).
///
/// A term of one or two characters is too short for a trigram: it matches the *start* of
/// an email, username or display name (a prefix, served by those columns' indexes). A
/// longer term matches anywhere in the email, username or names (a substring, served by
/// the trigram index).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SearchPlan {
    /// No search term.
    All,
    /// A short term: the prefix indexes pick the candidate rows (a rare prefix, or a
    /// backend whose planner weighs that itself).
    Prefix,
    /// A long term: SQLite's trigram table picks the candidate rows first (a rare term).
    Trigram,
    /// The list is walked in its order, testing each row (a common term, or a backend
    /// whose own index serves the `LIKE` as written).
    Walk,
}

/// A term matching more users than this is not looked up by index on SQLite: walking the
/// list in its order fills a page sooner than fetching and sorting every match.
const RARE_TERM: i64 = 1000;

/// Terms shorter than this match as prefixes.
const TRIGRAM: usize = 3;

/// The columns a short term is a prefix of.
const PREFIXED: [user::Column; 3] =
    [user::Column::EmailLower, user::Column::UsernameLower, user::Column::DisplayNameLower];

fn escape_like(term: &str) -> String {
    term.chars().flat_map(|c| if matches!(c, '%' | '_' | '\\') { vec!['\\', c] } else { vec![c] }).collect()
}

impl Filter {
    fn short_term(&self) -> Option<&str> {
        self.search.as_ref().map(SearchTerm::as_str).filter(|t| t.chars().count() < TRIGRAM)
    }

    /// The term as an FTS5 phrase, when it has the three characters a trigram needs.
    fn trigram_phrase(&self) -> Option<String> {
        let term = self.search.as_ref()?.as_str();
        (term.chars().count() >= TRIGRAM).then(|| format!("\"{}\"", term.replace('"', "\"\"")))
    }

    /// Decides how the search runs. On SQLite one statement asks the index how many users
    /// match, stopping at `RARE_TERM + 1`: a rare term is looked up by index, a common one
    /// (tens of thousands at a million users) by walking the list in its order, which fills
    /// a page sooner than fetching and sorting every match. PostgreSQL and MariaDB weigh
    /// that in their own planners.
    pub(crate) async fn plan(&self, db: &impl ConnectionTrait) -> Result<SearchPlan> {
        let Some(term) = &self.search else { return Ok(SearchPlan::All) };
        let short = term.as_str().chars().count() < TRIGRAM;
        let backend = db.get_database_backend();
        if backend != DbBackend::Sqlite {
            return Ok(if short { SearchPlan::Prefix } else { SearchPlan::Walk });
        }
        let (probe, indexed) = if short {
            let matches = user::Entity::find()
                .select_only()
                .expr(Expr::val(1))
                .filter(prefix_condition(backend, term.as_str(), true))
                .limit(u64::try_from(RARE_TERM + 1).unwrap_or(u64::MAX))
                .into_query();
            let sql =
                backend.build(&Query::select().expr(Expr::cust("COUNT(*)")).from_subquery(matches, "m").to_owned());
            (sql, SearchPlan::Prefix)
        } else {
            let Some(phrase) = self.trigram_phrase() else { return Ok(SearchPlan::Walk) };
            let sql = Statement::from_sql_and_values(
                DbBackend::Sqlite,
                "SELECT COUNT(*) FROM (SELECT 1 FROM user_search WHERE user_search MATCH ? LIMIT ?)",
                [phrase.into(), (RARE_TERM + 1).into()],
            );
            (sql, SearchPlan::Trigram)
        };
        let matches =
            db.query_one_raw(probe).await?.map(|row| row.try_get_by_index::<i64>(0)).transpose()?.unwrap_or(0);
        Ok(if matches <= RARE_TERM { indexed } else { SearchPlan::Walk })
    }

    fn condition(&self, backend: DbBackend, plan: SearchPlan) -> Condition {
        let mut cond = Condition::all();
        if let Some(term) = self.short_term() {
            cond = cond.add(prefix_condition(backend, term, plan == SearchPlan::Prefix));
        } else if let Some(term) = &self.search {
            if plan == SearchPlan::Trigram
                && let Some(phrase) = self.trigram_phrase()
            {
                cond = cond.add(Expr::cust_with_values(
                    "\"users\".\"id\" IN (SELECT k.user_id FROM user_search s \
                     JOIN user_search_keys k ON k.search_rowid = s.rowid WHERE user_search MATCH ?)",
                    [phrase],
                ));
            }
            // The LIKE is the meaning of `search` on every backend; PostgreSQL answers it
            // from its trigram index as written.
            cond = cond.add(
                Expr::col((user::Entity, user::Column::SearchText))
                    .like(LikeExpr::new(format!("%{}%", escape_like(term.as_str()))).escape('\\')),
            );
        }
        if let Some(role_id) = self.role_id {
            cond = cond.add(
                Expr::col((user::Entity, user::Column::Id)).in_subquery(
                    Query::select()
                        .column(user_role::Column::UserId)
                        .from(user_role::Entity)
                        .and_where(Expr::col(user_role::Column::RoleId).eq(role_id))
                        .to_owned(),
                ),
            );
        }
        if let Some(active) = self.is_active {
            cond = cond.add(user::Column::IsActive.eq(active));
        }
        cond
    }
}

/// `term` is a prefix of the email, username or display name. `indexed`: as byte-order
/// ranges an index can serve (plus the `LIKE`, which says exactly what is meant); else as
/// the `LIKE` alone, which SQLite tests row by row as it walks the list.
fn prefix_condition(backend: DbBackend, term: &str, indexed: bool) -> Condition {
    let pattern = format!("{}%", escape_like(term));
    // Every string that starts with `term` sorts, byte by byte, between `term` and `term`
    // followed by the highest code point.
    let (low, high) = (term.to_owned(), format!("{term}\u{10FFFF}"));
    let mut any = Condition::any();
    for column in PREFIXED {
        let col = Expr::col((user::Entity, column));
        let like = col.clone().like(LikeExpr::new(pattern.clone()).escape('\\'));
        if !indexed {
            any = any.add(like);
            continue;
        }
        let range = match backend {
            // PostgreSQL's plain `>=` follows the database's collation; its byte-order
            // operators match the prefix indexes (`text_pattern_ops`).
            DbBackend::Postgres => Expr::cust_with_exprs(
                "($1 ~>=~ $2 AND $1 ~<~ $3)",
                [col.clone(), Expr::val(low.clone()), Expr::val(high.clone())],
            ),
            _ => col.clone().gte(low.clone()).and(col.lt(high.clone())),
        };
        any = any.add(Condition::all().add(range).add(like));
    }
    any
}

/// One page of users and whether more follow in the reading direction.
#[derive(Debug)]
pub(crate) struct UserPage {
    /// The rows, in sort order.
    pub rows: Vec<user::Model>,
    /// More rows follow in the reading direction.
    pub has_more: bool,
}

/// A page of users: keyset on (sort value, id), never OFFSET, so any page costs what
/// the first costs.
pub(crate) async fn list(
    db: &impl ConnectionTrait,
    filter: &Filter,
    plan: SearchPlan,
    sort: Sort,
    page: &Keyset<SortValue>,
) -> Result<UserPage> {
    let forward = page.direction == Direction::Forward;
    // Reading backwards walks the opposite order, then flips the page.
    let ascending = forward != sort.descending;
    let mut query = user::Entity::find().filter(filter.condition(db.get_database_backend(), plan));
    if let Some((value, after_id)) = &page.start {
        let key = sort.expr();
        let value = value.expr();
        let id = Expr::col((user::Entity, user::Column::Id));
        // The leading `key >= value` says nothing the rest does not, but it is what lets
        // the database start reading the sort index at the cursor: faced with the OR
        // alone, SQLite scans the index from its start, and page n costs n pages.
        let past = if ascending {
            Condition::all().add(Expr::expr(key.clone()).gte(value.clone())).add(
                Condition::any()
                    .add(Expr::expr(key.clone()).gt(value.clone()))
                    .add(Condition::all().add(Expr::expr(key).eq(value)).add(id.gt(*after_id))),
            )
        } else {
            Condition::all().add(Expr::expr(key.clone()).lte(value.clone())).add(
                Condition::any()
                    .add(Expr::expr(key.clone()).lt(value.clone()))
                    .add(Condition::all().add(Expr::expr(key).eq(value)).add(id.lt(*after_id))),
            )
        };
        query = query.filter(past);
    }
    let order = if ascending { sea_orm::Order::Asc } else { sea_orm::Order::Desc };
    let mut rows = query
        .order_by(sort.expr(), order.clone())
        .order_by(user::Column::Id, order)
        .limit(page.limit + 1)
        .all(db)
        .await?;
    let has_more = rows.len() as u64 > page.limit;
    rows.truncate(usize::try_from(page.limit).unwrap_or(usize::MAX));
    if !forward {
        rows.reverse();
    }
    Ok(UserPage { rows, has_more })
}

/// How many users the filter selects.
/// The roles of each of a page's users, ordered by name: the page's memberships (two ids a
/// row), then each role they name once, instead of one joined row, every role column
/// decoded again, per membership.
pub(crate) async fn roles_of_page(
    db: &impl ConnectionTrait,
    users: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, Vec<role::Model>>> {
    use std::collections::HashMap;
    let pairs: Vec<(Uuid, Uuid)> = user_role::Entity::find()
        .select_only()
        .column(user_role::Column::UserId)
        .column(user_role::Column::RoleId)
        .filter(user_role::Column::UserId.is_in(users.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    let mut role_ids: Vec<Uuid> = pairs.iter().map(|(_, r)| *r).collect();
    role_ids.sort_unstable();
    role_ids.dedup();
    let roles: HashMap<Uuid, role::Model> = if role_ids.is_empty() {
        HashMap::new()
    } else {
        role::Entity::find()
            .filter(role::Column::Id.is_in(role_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|r| (r.id, r))
            .collect()
    };
    let mut out: HashMap<Uuid, Vec<role::Model>> = HashMap::with_capacity(users.len());
    for (user, role) in pairs {
        // A role deleted between the two statements is simply gone.
        if let Some(r) = roles.get(&role) {
            out.entry(user).or_default().push(r.clone());
        }
    }
    for held in out.values_mut() {
        held.sort_by(|a, b| a.name_lower.cmp(&b.name_lower));
    }
    Ok(out)
}

pub(crate) async fn count(db: &impl ConnectionTrait, filter: &Filter, plan: SearchPlan) -> Result<u64> {
    Ok(user::Entity::find().filter(filter.condition(db.get_database_backend(), plan)).count(db).await?)
}

/// One line of `gerbang users list`.
#[derive(Debug)]
pub(crate) struct Listed {
    /// The user.
    pub user: user::Model,
    /// The names of its roles, sorted.
    pub roles: Vec<String>,
}

/// Every user (or every holder of `role`), by email, with the names of its roles: for an
/// operator's shell, not a request, so it reads the whole table in id-ordered batches.
pub(crate) async fn list_all(db: &impl ConnectionTrait, role: Option<Uuid>) -> Result<Vec<Listed>> {
    use std::collections::HashMap;

    const BATCH: u64 = 500;
    let names: HashMap<Uuid, String> =
        role::Entity::find().all(db).await?.into_iter().map(|r| (r.id, r.name)).collect();
    let mut out = Vec::new();
    let mut after: Option<Uuid> = None;
    loop {
        let mut query = user::Entity::find().order_by_asc(user::Column::Id).limit(BATCH);
        if let Some(id) = after {
            query = query.filter(user::Column::Id.gt(id));
        }
        if let Some(role) = role {
            let holders = user_role::Entity::find()
                .select_only()
                .column(user_role::Column::UserId)
                .filter(user_role::Column::RoleId.eq(role))
                .into_query();
            query = query.filter(user::Column::Id.in_subquery(holders));
        }
        let users = query.all(db).await?;
        let Some(last) = users.last().map(|u| u.id) else { break };
        let ids: Vec<Uuid> = users.iter().map(|u| u.id).collect();
        let mut held: HashMap<Uuid, Vec<String>> = HashMap::new();
        for m in user_role::Entity::find().filter(user_role::Column::UserId.is_in(ids)).all(db).await? {
            held.entry(m.user_id).or_default().extend(names.get(&m.role_id).cloned());
        }
        let full = users.len() as u64 == BATCH;
        for u in users {
            let mut roles = held.remove(&u.id).unwrap_or_default();
            roles.sort();
            out.push(Listed { user: u, roles });
        }
        if !full {
            break;
        }
        after = Some(last);
    }
    out.sort_by(|a, b| a.user.email_lower.cmp(&b.user.email_lower));
    Ok(out)
}
