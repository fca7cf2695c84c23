//! User rules and storage. Every write runs in one transaction; uniqueness is the
//! database's word, mapped to CONFLICT on the field.

use std::collections::BTreeSet;

use base64::Engine as _;
use chrono::{DateTime, Utc};
use rand_core::{OsRng, RngCore};
use sea_orm::sea_query::ExprTrait as _;
use sea_orm::sea_query::{Expr, Func, LikeExpr, Query, SimpleExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, Statement,
};
use secrecy::SecretString;
use uuid::Uuid;

use super::domain::{Address, Attributes, AvatarUrl, Email, Password, PersonName, PhoneNumber, Username};
use crate::auth::caller::Authenticated;
use crate::auth::password::Hasher;
use crate::auth::permission::{Permission, PermissionSet};
use crate::auth::sessions;
use crate::clock::Clock;
use crate::db::begin_write;
use crate::db::entities::{role, user, user_role};
use crate::error::{AppError, DbResultExt, Entity, Result, UniqueIndex};
use crate::graphql::pagination::{Cursor, Direction, Page};
pub use crate::graphql::scalars::Patch;
use crate::i18n::Message;
use crate::roles;

/// A user to create, already parsed.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Email.
    pub email: Email,
    /// Password; without one the account cannot sign in until one is set.
    pub password: Option<Password>,
    /// Username.
    pub username: Option<Username>,
    /// Display name.
    pub display_name: Option<PersonName>,
    /// First name.
    pub first_name: Option<PersonName>,
    /// Last name.
    pub last_name: Option<PersonName>,
    /// Phone number.
    pub phone_number: Option<PhoneNumber>,
    /// Address.
    pub address: Option<Address>,
    /// Avatar URL.
    pub avatar_url: Option<AvatarUrl>,
    /// Whether the account may sign in.
    pub is_active: bool,
    /// Deployment-specific data.
    pub attributes: Option<Attributes>,
    /// Roles to hold.
    pub role_ids: Vec<Uuid>,
}

impl NewUser {
    /// An active user with only an email; the other fields are set by the caller.
    pub fn with_email(email: Email) -> Self {
        Self {
            email,
            password: None,
            username: None,
            display_name: None,
            first_name: None,
            last_name: None,
            phone_number: None,
            address: None,
            avatar_url: None,
            is_active: true,
            attributes: None,
            role_ids: Vec::new(),
        }
    }
}

/// Changes to a user, already parsed.
#[derive(Debug, Clone, Default)]
pub struct UserPatch {
    /// New email.
    pub email: Option<Email>,
    /// Username.
    pub username: Patch<Username>,
    /// Display name.
    pub display_name: Patch<PersonName>,
    /// First name.
    pub first_name: Patch<PersonName>,
    /// Last name.
    pub last_name: Patch<PersonName>,
    /// Phone number.
    pub phone_number: Patch<PhoneNumber>,
    /// Address.
    pub address: Patch<Address>,
    /// Avatar URL.
    pub avatar_url: Patch<AvatarUrl>,
    /// Active flag.
    pub is_active: Option<bool>,
    /// Attributes.
    pub attributes: Patch<Attributes>,
    /// The complete new set of roles.
    pub role_ids: Option<Vec<Uuid>>,
}

impl UserPatch {
    /// Whether the patch touches something only USER_WRITE may change on oneself.
    pub fn touches_admin_fields(&self) -> bool {
        self.is_active.is_some() || self.attributes != Patch::Keep || self.role_ids.is_some() || self.email.is_some()
    }
}

/// How a list of users is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
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
pub struct Sort {
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
    pub fn name(self) -> &'static str {
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
    pub fn value_of(self, u: &user::Model) -> String {
        match self.key {
            SortKey::CreatedAt => u.created_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            SortKey::Email => u.email_lower.clone(),
            SortKey::Username => u.username_lower.clone().unwrap_or_default(),
            SortKey::DisplayName => u.display_name.clone().unwrap_or_default(),
        }
    }

    fn value_expr(self, value: &str, field: &'static str) -> Result<SimpleExpr> {
        Ok(match self.key {
            SortKey::CreatedAt => {
                let at = DateTime::parse_from_rfc3339(value)
                    .map_err(|_| AppError::bad_field(field, Message::InvalidCursor))?
                    .with_timezone(&Utc);
                Expr::val(at)
            }
            _ => Expr::val(value.to_owned()),
        })
    }
}

/// Which users a list shows.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Case-insensitive substring of email, username or names.
    pub search: Option<String>,
    /// Members of this role.
    pub role_id: Option<Uuid>,
    /// Active or inactive only.
    pub is_active: Option<bool>,
}

/// A term matching more users than this is not looked up in SQLite's trigram table.
const RARE_TERM: i64 = 1000;

impl Filter {
    fn search_term(&self) -> Option<String> {
        self.search.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_lowercase)
    }

    /// The term as an FTS5 phrase, when it has the three characters a trigram needs.
    fn trigram_phrase(&self) -> Option<String> {
        self.search_term().filter(|t| t.chars().count() >= 3).map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
    }

    /// Whether SQLite's trigram table should pick the rows. It finds the users containing
    /// a term in a few milliseconds, but each must then be fetched and sorted: for a
    /// common term (tens of thousands at a million users) walking the list in its order
    /// and testing the LIKE fills a page sooner. One statement asks the table, stopping
    /// at `RARE_TERM + 1` matches.
    async fn narrows(&self, db: &impl ConnectionTrait) -> Result<bool> {
        if db.get_database_backend() != DbBackend::Sqlite {
            return Ok(false);
        }
        let Some(phrase) = self.trigram_phrase() else { return Ok(false) };
        let probe = Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "SELECT COUNT(*) AS n FROM (SELECT 1 FROM user_search WHERE user_search MATCH ? LIMIT ?)",
            [phrase.into(), (RARE_TERM + 1).into()],
        );
        let matches = db.query_one_raw(probe).await?.map(|row| row.try_get::<i64>("", "n")).transpose()?.unwrap_or(0);
        Ok(matches <= RARE_TERM)
    }

    /// `narrow`: let SQLite's trigram table (see the search_index migration) pick the
    /// candidate rows first (see [`Filter::narrows`]).
    fn condition(&self, narrow: bool) -> Condition {
        let mut cond = Condition::all();
        if let Some(term) = self.search_term() {
            let escaped: String = term
                .chars()
                .flat_map(|c| if matches!(c, '%' | '_' | '\\') { vec!['\\', c] } else { vec![c] })
                .collect();
            if narrow && let Some(phrase) = self.trigram_phrase() {
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
                    .like(LikeExpr::new(format!("%{escaped}%")).escape('\\')),
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

/// One page of users and whether more follow in the reading direction.
#[derive(Debug)]
pub struct UserPage {
    /// The rows, in sort order.
    pub rows: Vec<user::Model>,
    /// More rows follow in the reading direction.
    pub has_more: bool,
}

/// One user, if it exists.
pub async fn get(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<user::Model>> {
    Ok(user::Entity::find_by_id(id).one(db).await?)
}

/// A page of users: keyset on (sort value, id), never OFFSET, so any page costs what
/// the first costs.
pub async fn list(db: &impl ConnectionTrait, filter: &Filter, sort: Sort, page: &Page) -> Result<UserPage> {
    let forward = page.direction == Direction::Forward;
    // Reading backwards walks the opposite order, then flips the page.
    let ascending = forward != sort.descending;
    let mut query = user::Entity::find().filter(filter.condition(filter.narrows(db).await?));
    if let Some(raw) = &page.cursor {
        let cursor = Cursor::decode(raw, sort.name(), page.cursor_field)?;
        let key = sort.expr();
        let value = sort.value_expr(&cursor.value, page.cursor_field)?;
        let id = Expr::col((user::Entity, user::Column::Id));
        // The leading `key >= value` says nothing the rest does not, but it is what lets
        // the database start reading the sort index at the cursor: faced with the OR
        // alone, SQLite scans the index from its start, and page n costs n pages.
        let past = if ascending {
            Condition::all().add(Expr::expr(key.clone()).gte(value.clone())).add(
                Condition::any()
                    .add(Expr::expr(key.clone()).gt(value.clone()))
                    .add(Condition::all().add(Expr::expr(key).eq(value)).add(id.gt(cursor.id))),
            )
        } else {
            Condition::all().add(Expr::expr(key.clone()).lte(value.clone())).add(
                Condition::any()
                    .add(Expr::expr(key.clone()).lt(value.clone()))
                    .add(Condition::all().add(Expr::expr(key).eq(value)).add(id.lt(cursor.id))),
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
pub async fn count(db: &impl ConnectionTrait, filter: &Filter) -> Result<u64> {
    Ok(user::Entity::find().filter(filter.condition(filter.narrows(db).await?)).count(db).await?)
}

fn search_text(email: &str, username: Option<&str>, names: [Option<&str>; 3]) -> String {
    let mut parts = vec![email.to_lowercase()];
    parts.extend(username.map(str::to_lowercase));
    parts.extend(names.into_iter().flatten().map(str::to_lowercase));
    let mut text = parts.join("\n");
    if text.chars().count() > 1000 {
        text = text.chars().take(1000).collect();
    }
    text
}

fn refresh_search_text(m: &mut user::ActiveModel) {
    let get = |v: &sea_orm::ActiveValue<Option<String>>| v.try_as_ref().cloned().flatten();
    let email: String = m.email.try_as_ref().cloned().unwrap_or_default();
    let text = search_text(
        &email,
        get(&m.username).as_deref(),
        [get(&m.display_name).as_deref(), get(&m.first_name).as_deref(), get(&m.last_name).as_deref()],
    );
    m.search_text = Set(text);
}

async fn check_roles_exist(db: &impl ConnectionTrait, ids: &BTreeSet<Uuid>) -> Result<Vec<role::Model>> {
    let found = role::Entity::find().filter(role::Column::Id.is_in(ids.iter().copied())).all(db).await?;
    if found.len() != ids.len() {
        return Err(AppError::NotFound(Entity::Role));
    }
    Ok(found)
}

async fn replace_roles(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    role_ids: &BTreeSet<Uuid>,
    now: DateTime<Utc>,
) -> Result<()> {
    user_role::Entity::delete_many().filter(user_role::Column::UserId.eq(user_id)).exec(db).await?;
    if role_ids.is_empty() {
        return Ok(());
    }
    let rows = role_ids.iter().map(|role_id| user_role::ActiveModel {
        user_id: Set(user_id),
        role_id: Set(*role_id),
        created_at: Set(now),
    });
    user_role::Entity::insert_many(rows).exec(db).await?;
    Ok(())
}

fn on_user_unique<T>(r: std::result::Result<T, sea_orm::DbErr>) -> Result<T> {
    match r.on_unique(UniqueIndex::UserEmail, "email", Message::EmailTaken) {
        Err(AppError::Internal(e)) => match e.downcast::<sea_orm::DbErr>() {
            Ok(db) => Err::<T, _>(db).on_unique(UniqueIndex::UserUsername, "username", Message::UsernameTaken),
            Err(e) => Err(AppError::Internal(e)),
        },
        other => other,
    }
}

fn opt(p: Option<impl Into<String>>) -> Option<String> {
    p.map(Into::into)
}

/// Creates a user with its roles, in one transaction. An `actor` may only hand out
/// roles whose permissions it holds itself; `None` is the system (bootstrap, register).
pub async fn create(
    db: &DatabaseConnection,
    hasher: &Hasher,
    clock: &dyn Clock,
    actor: Option<&Authenticated>,
    new: NewUser,
) -> Result<user::Model> {
    let hash = match &new.password {
        Some(p) => Some(hasher.hash(p.secret()).await?),
        None => None,
    };
    let (txn, _turn) = begin_write(db).await?;
    let created = insert(&txn, actor, new, hash, clock.now()).await?;
    txn.commit().await?;
    Ok(created)
}

/// The inserting half of `create`, inside the caller's transaction, with the password
/// already hashed (hashing never happens while a transaction is open).
pub async fn insert(
    txn: &impl ConnectionTrait,
    actor: Option<&Authenticated>,
    new: NewUser,
    password_hash: Option<String>,
    now: DateTime<Utc>,
) -> Result<user::Model> {
    let role_ids: BTreeSet<Uuid> = new.role_ids.iter().copied().collect();
    let granted = check_roles_exist(txn, &role_ids).await?;
    if let Some(actor) = actor {
        may_grant(actor, &granted)?;
    }
    let mut model = user::ActiveModel {
        id: Set(Uuid::now_v7()),
        email: Set(new.email.as_str().to_owned()),
        email_lower: Set(new.email.lower()),
        username: Set(new.username.as_ref().map(|u| u.as_str().to_owned())),
        username_lower: Set(new.username.as_ref().map(Username::lower)),
        display_name: Set(opt(new.display_name.map(PersonName::into_inner))),
        first_name: Set(opt(new.first_name.map(PersonName::into_inner))),
        last_name: Set(opt(new.last_name.map(PersonName::into_inner))),
        phone_number: Set(opt(new.phone_number.map(PhoneNumber::into_inner))),
        address: Set(opt(new.address.map(Address::into_inner))),
        avatar_url: Set(opt(new.avatar_url.map(AvatarUrl::into_inner))),
        is_active: Set(new.is_active),
        attributes: Set(new.attributes.map(Attributes::into_inner)),
        password_hash: Set(password_hash),
        search_text: Set(String::new()),
        last_login_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    };
    refresh_search_text(&mut model);
    let created = on_user_unique(model.insert(txn).await)?;
    replace_roles(txn, created.id, &role_ids, now).await?;
    Ok(created)
}

fn apply<T>(target: &mut sea_orm::ActiveValue<Option<String>>, patch: Patch<T>, into: impl FnOnce(T) -> String) {
    match patch {
        Patch::Keep => {}
        Patch::Clear => *target = Set(None),
        Patch::Set(v) => *target = Set(Some(into(v))),
    }
}

/// Applies a patch (and a new role set, if given) in one transaction, under the rules of
/// who may change what (shared/API.md; a user edits its own profile, never its own roles,
/// activity or attributes; nobody edits a user more privileged than itself).
pub async fn update(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Authenticated,
    id: Uuid,
    patch: UserPatch,
) -> Result<user::Model> {
    let now = clock.now();
    let is_self = actor.user_id == id;
    if is_self && (patch.role_ids.is_some() || patch.is_active.is_some() || patch.attributes != Patch::Keep) {
        return Err(AppError::Forbidden);
    }
    if !actor.has(Permission::UserWrite) && (!is_self || patch.email.is_some()) {
        return Err(AppError::Forbidden);
    }
    let (txn, _turn) = begin_write(db).await?;
    let Some(current) = user::Entity::find_by_id(id).one(&txn).await? else {
        return Err(AppError::NotFound(Entity::User));
    };
    if !is_self {
        may_manage(actor, &txn, id).await?;
    }
    let role_ids: Option<BTreeSet<Uuid>> = patch.role_ids.as_ref().map(|ids| ids.iter().copied().collect());
    if let Some(ids) = &role_ids {
        let wanted = check_roles_exist(&txn, ids).await?;
        let held = roles::service::roles_of(&txn, id).await?;
        let changed: Vec<role::Model> = wanted
            .iter()
            .filter(|r| !held.iter().any(|h| h.id == r.id))
            .chain(held.iter().filter(|h| !ids.contains(&h.id)))
            .cloned()
            .collect();
        may_grant(actor, &changed)?;
    }
    let deactivated = current.is_active && patch.is_active == Some(false);
    let writers_before = if deactivated || role_ids.is_some() { roles::service::role_writers(&txn).await? } else { 0 };
    let mut model: user::ActiveModel = current.into();
    if let Some(email) = patch.email {
        model.email = Set(email.as_str().to_owned());
        model.email_lower = Set(email.lower());
    }
    match patch.username {
        Patch::Keep => {}
        Patch::Clear => {
            model.username = Set(None);
            model.username_lower = Set(None);
        }
        Patch::Set(u) => {
            model.username = Set(Some(u.as_str().to_owned()));
            model.username_lower = Set(Some(u.lower()));
        }
    }
    apply(&mut model.display_name, patch.display_name, PersonName::into_inner);
    apply(&mut model.first_name, patch.first_name, PersonName::into_inner);
    apply(&mut model.last_name, patch.last_name, PersonName::into_inner);
    apply(&mut model.phone_number, patch.phone_number, PhoneNumber::into_inner);
    apply(&mut model.address, patch.address, Address::into_inner);
    apply(&mut model.avatar_url, patch.avatar_url, AvatarUrl::into_inner);
    match patch.attributes {
        Patch::Keep => {}
        Patch::Clear => model.attributes = Set(None),
        Patch::Set(a) => model.attributes = Set(Some(a.into_inner())),
    }
    if let Some(active) = patch.is_active {
        model.is_active = Set(active);
    }
    model.updated_at = Set(now);
    refresh_search_text(&mut model);
    let updated = on_user_unique(model.update(&txn).await)?;
    if let Some(ids) = &role_ids {
        replace_roles(&txn, id, ids, now).await?;
    }
    if deactivated {
        sessions::revoke_all(&txn, id, None, now).await?;
    }
    let field = if deactivated { "isActive" } else { "roleIds" };
    roles::service::ensure_role_writer_remains(&txn, writers_before, field).await?;
    txn.commit().await?;
    Ok(updated)
}

/// An actor may grant or take away only roles whose permissions it holds itself.
fn may_grant(actor: &Authenticated, roles: &[role::Model]) -> Result<()> {
    let all_held = roles.iter().all(|r| actor.permissions.is_superset_of(PermissionSet::from_stored(&r.permissions)));
    if all_held { Ok(()) } else { Err(AppError::Forbidden) }
}

/// An actor may manage (edit, delete, set the password of) only users whose permissions
/// it holds itself: an admin cannot take over a developer's account.
async fn may_manage(actor: &Authenticated, db: &impl ConnectionTrait, target: Uuid) -> Result<()> {
    let target_permissions = roles::service::permissions_of(db, target).await?;
    if actor.permissions.is_superset_of(target_permissions) { Ok(()) } else { Err(AppError::Forbidden) }
}

/// Deletes a user (memberships and sessions go with it).
pub async fn delete(db: &DatabaseConnection, actor: &Authenticated, id: Uuid) -> Result<Uuid> {
    let (txn, _turn) = begin_write(db).await?;
    if user::Entity::find_by_id(id).one(&txn).await?.is_none() {
        return Err(AppError::NotFound(Entity::User));
    }
    if actor.user_id != id {
        may_manage(actor, &txn, id).await?;
    }
    let writers_before = roles::service::role_writers(&txn).await?;
    user::Entity::delete_by_id(id).exec(&txn).await?;
    roles::service::ensure_role_writer_remains(&txn, writers_before, "id").await?;
    txn.commit().await?;
    Ok(id)
}

/// Sets a user's password and ends its sessions (all of them, or all but `keep_session`
/// when users change their own).
pub async fn set_password(
    db: &DatabaseConnection,
    hasher: &Hasher,
    clock: &dyn Clock,
    actor: &Authenticated,
    id: Uuid,
    password: &Password,
    keep_session: Option<Uuid>,
) -> Result<user::Model> {
    if get(db, id).await?.is_none() {
        return Err(AppError::NotFound(Entity::User));
    }
    if actor.user_id != id {
        may_manage(actor, db, id).await?;
    }
    let hash = hasher.hash(password.secret()).await?;
    let now = clock.now();
    let (txn, _turn) = begin_write(db).await?;
    let Some(current) = user::Entity::find_by_id(id).one(&txn).await? else {
        return Err(AppError::NotFound(Entity::User));
    };
    let mut model: user::ActiveModel = current.into();
    model.password_hash = Set(Some(hash));
    model.updated_at = Set(now);
    let updated = model.update(&txn).await?;
    sessions::revoke_all(&txn, id, keep_session, now).await?;
    txn.commit().await?;
    Ok(updated)
}

/// What the first start did about the first account.
#[derive(Debug)]
pub enum Bootstrap {
    /// Users already exist; nothing was created.
    NotNeeded,
    /// The developer account was created.
    Created {
        /// Its id.
        id: Uuid,
        /// Its email.
        email: String,
        /// The password, when gerbang generated it (to be shown once).
        generated_password: Option<SecretString>,
    },
}

/// On a database with no users, creates one account holding the `developer` role, so a
/// new deployment can be administered. Instances starting together create at most one:
/// the loser of the race hits the unique email index and reports `NotNeeded`.
pub async fn bootstrap_developer(
    db: &DatabaseConnection,
    hasher: &Hasher,
    clock: &dyn Clock,
    email: Option<Email>,
    password: Option<Password>,
) -> Result<Bootstrap> {
    if user::Entity::find().count(db).await? > 0 {
        return Ok(Bootstrap::NotNeeded);
    }
    let email = match email {
        Some(e) => e,
        None => {
            Email::parse("admin@localhost").map_err(|_| AppError::Internal(anyhow::anyhow!("default admin email")))?
        }
    };
    let username =
        Username::parse("admin").map_err(|_| AppError::Internal(anyhow::anyhow!("default admin username")))?;
    let generated = password.is_none();
    let password = match password {
        Some(p) => p,
        None => generate_password()?,
    };
    let developer = roles::service::system_role(db, "developer")
        .await?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("the developer role is missing; are migrations applied?")))?;
    let new = NewUser {
        password: Some(password.clone()),
        username: Some(username),
        display_name: PersonName::parse("Administrator").ok(),
        role_ids: vec![developer.id],
        ..NewUser::with_email(email.clone())
    };
    match create(db, hasher, clock, None, new).await {
        Ok(created) => Ok(Bootstrap::Created {
            id: created.id,
            email: email.as_str().to_owned(),
            generated_password: generated.then(|| password.secret().clone()),
        }),
        Err(AppError::Conflict { .. }) => Ok(Bootstrap::NotNeeded),
        Err(e) => Err(e),
    }
}

/// 24 random bytes, base64url: 32 characters, 192 bits.
fn generate_password() -> Result<Password> {
    let mut bytes = [0u8; 24];
    OsRng.fill_bytes(&mut bytes);
    Password::parse(&base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
        .map_err(|_| AppError::Internal(anyhow::anyhow!("generated password refused")))
}
