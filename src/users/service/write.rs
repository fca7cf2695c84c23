//! Creating, changing and deleting users.
//!
//! Locks are taken in one order, so two writers never wait on each other in a circle: the
//! `role_writers` lock row (when a change could leave nobody holding ROLE_WRITE), then the
//! target user's row, then the target's roles. Holding the target's row while its roles are
//! read means a role granted to it concurrently is either seen (and the caller refused) or
//! waits until this change is done: a caller can never act on a user that became more
//! privileged than itself a moment ago.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set};
use serde_json::json;
use uuid::Uuid;

use super::{NewUser, Patch, UserPatch, search_text};
use crate::auth::app_permission::AppPermissions;
use crate::auth::audit::{AuditAction, Event, Origin};
use crate::auth::caller::Authenticated;
use crate::auth::one_time::{self, MAIL_LINKS};
use crate::auth::permission::{Permission, PermissionSet};
use crate::auth::session_chain;
use crate::db::changes::Change;
use crate::db::entities::{role, user, user_role};
use crate::db::{Lock, lock};
use crate::error::{AppError, DbResultExt, Entity, Refusal, Result, UniqueIndex};
use crate::i18n::Message;
use crate::roles;
use crate::state::AppState;
use crate::users::domain::{Address, Attributes, AvatarUrl, Email, Password, PersonName, PhoneNumber, Username};

/// Keeps the app-maintained search columns in step with the fields they are made of.
fn refresh_search_keys(m: &mut user::ActiveModel) {
    let get = |v: &sea_orm::ActiveValue<Option<String>>| v.try_as_ref().cloned().flatten();
    let email: String = m.email.try_as_ref().cloned().unwrap_or_default();
    let display_name = get(&m.display_name);
    let text = search_text(
        &email,
        get(&m.username).as_deref(),
        [display_name.as_deref(), get(&m.first_name).as_deref(), get(&m.last_name).as_deref()],
    );
    m.search_text = Set(text);
    m.display_name_lower = Set(display_name.map(|n| n.to_lowercase()));
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

/// An actor may grant or take away only roles whose permissions it holds itself.
async fn may_grant(actor: &Authenticated, db: &impl ConnectionTrait, roles: &[role::Model]) -> Result<()> {
    if holds_all_of(actor, db, roles).await? { Ok(()) } else { Err(AppError::Refused(Refusal::NotHeld)) }
}

/// Whether the actor holds every permission and application permission of these roles.
/// The developer role's "every application permission" means, for this, every name some
/// role has: a caller holding all of those is not outranked by it.
async fn holds_all_of(actor: &Authenticated, db: &impl ConnectionTrait, roles: &[role::Model]) -> Result<bool> {
    let permissions = PermissionSet::union_of(roles.iter().map(|r| r.permissions.as_str()));
    if !actor.permissions.is_superset_of(permissions) {
        return Ok(false);
    }
    let app = AppPermissions::of_roles(roles);
    if actor.app_permissions.is_all() || !app.is_all() {
        return Ok(actor.app_permissions.is_superset_of(&app));
    }
    let known = crate::auth::app_permission::known_app_permissions(db).await?;
    Ok(known.iter().all(|name| actor.app_permissions.contains(name)))
}

/// The target's row, locked until the transaction ends; NOT_FOUND when there is none.
pub(crate) async fn lock_target(txn: &impl ConnectionTrait, id: Uuid) -> Result<user::Model> {
    user::Entity::find_by_id(id).lock_exclusive().one(txn).await?.ok_or(AppError::NotFound(Entity::User))
}

/// The caller's own row, locked until the transaction ends; UNAUTHENTICATED when the user
/// is gone (deleted since its token was issued) or the caller's session ended while the
/// request waited for the row: a password reset ends every session under this lock, and
/// what a session adds after it must not slip past the reset's clean-up.
pub(crate) async fn lock_own(txn: &impl ConnectionTrait, actor: &Authenticated) -> Result<user::Model> {
    let revoked = AppError::Unauthenticated(crate::error::AuthFailure::Revoked);
    let me = lock_target(txn, actor.user_id).await.map_err(|e| match e {
        AppError::NotFound(Entity::User) => AppError::Unauthenticated(crate::error::AuthFailure::Revoked),
        e => e,
    })?;
    if let Some(id) = actor.session_id
        && !session_chain::still_open(txn, id).await?
    {
        return Err(revoked);
    }
    Ok(me)
}

/// An actor may manage (edit, delete, set the password of, end the sessions of) only users
/// whose permissions it holds itself: an admin cannot take over a developer's account.
/// Inside a transaction that has locked the target's row, the target's roles are read with
/// a share lock, so their permissions cannot change until the transaction ends.
pub(crate) async fn may_manage(actor: &Authenticated, db: &impl ConnectionTrait, target: Uuid) -> Result<()> {
    if actor.user_id == target {
        return Ok(());
    }
    let roles = role::Entity::find()
        .inner_join(user_role::Entity)
        .filter(user_role::Column::UserId.eq(target))
        .lock_shared()
        .all(db)
        .await?;
    if holds_all_of(actor, db, &roles).await? { Ok(()) } else { Err(AppError::Refused(Refusal::OutOfReach)) }
}

/// Creates a user with its roles, in one transaction. An `actor` may only hand out
/// roles whose permissions it holds itself; `None` is the system (bootstrap, register).
pub async fn create(state: &AppState, actor: Option<&Authenticated>, new: NewUser) -> Result<user::Model> {
    let hash = match &new.password {
        Some(p) => Some(state.hasher.hash(p.secret()).await?),
        None => None,
    };
    let fields = new.field_names();
    let now = state.now();
    let mut txn = state.db.begin_write().await?;
    let (created, granted) = insert(&*txn, actor, new, hash, now).await?;
    let roles = names(&granted);
    let origin = actor.map_or_else(Origin::system, Origin::of);
    Event::new(AuditAction::UserCreated)
        .user(created.id)
        .details(json!({ "fields": fields, "roles": roles }))
        .record(&mut txn, &origin, now);
    txn.commit().await?;
    Ok(created)
}

/// Role names, sorted (for the audit log).
fn names(roles: &[role::Model]) -> Vec<String> {
    let mut names: Vec<String> = roles.iter().map(|r| r.name.clone()).collect();
    names.sort_unstable();
    names
}

/// The inserting half of `create`, inside the caller's transaction, with the password
/// already hashed (hashing never happens while a transaction is open); returns the user
/// and the roles it was given.
pub(crate) async fn insert(
    txn: &impl ConnectionTrait,
    actor: Option<&Authenticated>,
    new: NewUser,
    password_hash: Option<String>,
    now: DateTime<Utc>,
) -> Result<(user::Model, Vec<role::Model>)> {
    let role_ids: BTreeSet<Uuid> = new.role_ids.iter().copied().collect();
    let granted = check_roles_exist(txn, &role_ids).await?;
    if let Some(actor) = actor {
        may_grant(actor, txn, &granted).await?;
    }
    let mut model = user::ActiveModel {
        id: Set(Uuid::now_v7()),
        email: Set(new.email.as_str().to_owned()),
        email_lower: Set(new.email.lower()),
        username: Set(new.username.as_ref().map(|u| u.as_str().to_owned())),
        username_lower: Set(new.username.as_ref().map(Username::lower)),
        display_name: Set(opt(new.display_name.map(PersonName::into_inner))),
        display_name_lower: Set(None),
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
        email_verified: Set(new.email_verified),
        locale: Set(new.locale.map(|l| l.as_str().to_owned())),
        created_at: Set(now),
        updated_at: Set(now),
    };
    refresh_search_keys(&mut model);
    let created = on_user_unique(model.insert(txn).await)?;
    replace_roles(txn, created.id, &role_ids, now).await?;
    Ok((created, granted))
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
pub(crate) async fn update(state: &AppState, actor: &Authenticated, id: Uuid, patch: UserPatch) -> Result<user::Model> {
    let now = state.now();
    let own_account = actor.user_id == id;
    if own_account
        && (patch.role_ids.is_some()
            || patch.is_active.is_some()
            || patch.attributes != Patch::Keep
            || patch.email_verified.is_some())
    {
        return Err(AppError::Refused(Refusal::NotForSelf));
    }
    // Without USER_WRITE only a person edits itself: its API keys do what they hold.
    if !actor.has(Permission::UserWrite) && (!actor.is_self(id) || patch.email.is_some()) {
        return Err(AppError::Forbidden);
    }
    // An email is where a password is recovered: a key that could change it could take
    // over its owner's account.
    if patch.email.is_some() {
        actor.person()?;
    }
    let fields = patch.field_names();
    let role_ids: Option<BTreeSet<Uuid>> = patch.role_ids.as_ref().map(|ids| ids.iter().copied().collect());
    let may_lose_writers = patch.is_active == Some(false) || role_ids.is_some();
    let mut txn = state.db.begin_write().await?;
    if may_lose_writers {
        lock(&*txn, Lock::RoleWriters).await?;
    }
    let current = lock_target(&*txn, id).await?;
    may_manage(actor, &*txn, id).await?;
    let mut role_changes = serde_json::Map::new();
    if let Some(ids) = &role_ids {
        let wanted = check_roles_exist(&*txn, ids).await?;
        let held = roles::service::roles_of(&*txn, id).await?;
        let added: Vec<role::Model> = wanted.iter().filter(|r| !held.iter().any(|h| h.id == r.id)).cloned().collect();
        let removed: Vec<role::Model> = held.iter().filter(|h| !ids.contains(&h.id)).cloned().collect();
        may_grant(actor, &*txn, &[added.as_slice(), removed.as_slice()].concat()).await?;
        role_changes.insert("rolesAdded".into(), json!(names(&added)));
        role_changes.insert("rolesRemoved".into(), json!(names(&removed)));
    }
    let deactivated = current.is_active && patch.is_active == Some(false);
    let writers_before = if may_lose_writers { roles::service::role_writers(&*txn).await? } else { 0 };
    let address_changed = patch.email.as_ref().is_some_and(|e| e.lower() != current.email_lower);
    let mut model: user::ActiveModel = current.into();
    if let Some(email) = patch.email {
        model.email = Set(email.as_str().to_owned());
        model.email_lower = Set(email.lower());
    }
    // A new address is unproven, and links mailed to the old one must not act on it.
    if address_changed {
        model.email_verified = Set(false);
        one_time::spend_all_of(&*txn, &MAIL_LINKS, id, Condition::all(), now).await?;
    }
    if let Some(verified) = patch.email_verified {
        model.email_verified = Set(verified);
    }
    match patch.locale {
        Patch::Keep => {}
        Patch::Clear => model.locale = Set(None),
        Patch::Set(l) => model.locale = Set(Some(l.as_str().to_owned())),
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
    refresh_search_keys(&mut model);
    let updated = on_user_unique(model.update(&*txn).await)?;
    if let Some(ids) = &role_ids {
        replace_roles(&*txn, id, ids, now).await?;
    }
    let mut details = serde_json::Map::from_iter([("fields".to_owned(), json!(fields))]);
    details.extend(role_changes);
    if deactivated {
        let ended = session_chain::revoke_all(&*txn, id, None, now).await?;
        details.insert("sessionsEnded".into(), json!(ended));
    }
    let field = if deactivated { "isActive" } else { "roleIds" };
    roles::service::ensure_role_writer_remains(&*txn, writers_before, field).await?;
    Event::new(AuditAction::UserUpdated).user(id).details(details.into()).record(&mut txn, &Origin::of(actor), now);
    txn.changed(Change::User(id));
    txn.commit().await?;
    Ok(updated)
}

/// Gives the user a new address (in the caller's transaction, the row locked); CONFLICT
/// on `email` when another account has it.
pub(crate) async fn set_email(
    txn: &impl ConnectionTrait,
    current: user::Model,
    email: &Email,
    verified: bool,
    now: DateTime<Utc>,
) -> Result<user::Model> {
    let mut model: user::ActiveModel = current.into();
    model.email = Set(email.as_str().to_owned());
    model.email_lower = Set(email.lower());
    model.email_verified = Set(verified);
    model.updated_at = Set(now);
    refresh_search_keys(&mut model);
    on_user_unique(model.update(txn).await)
}

/// Deletes a user (memberships and sessions go with it).
pub(crate) async fn delete(state: &AppState, actor: &Authenticated, id: Uuid) -> Result<Uuid> {
    let mut txn = state.db.begin_write().await?;
    lock(&*txn, Lock::RoleWriters).await?;
    lock_target(&*txn, id).await?;
    may_manage(actor, &*txn, id).await?;
    let writers_before = roles::service::role_writers(&*txn).await?;
    user::Entity::delete_by_id(id).exec(&*txn).await?;
    roles::service::ensure_role_writer_remains(&*txn, writers_before, "id").await?;
    Event::new(AuditAction::UserDeleted).user(id).record(&mut txn, &Origin::of(actor), state.now());
    txn.changed(Change::User(id));
    txn.commit().await?;
    Ok(id)
}

/// Sets a user's password, lifts its sign-in lock and ends its sessions (all of them, or all
/// but `keep_session` when users change their own).
pub(crate) async fn set_password(
    state: &AppState,
    actor: &Authenticated,
    id: Uuid,
    password: &Password,
    keep_session: Option<Uuid>,
) -> Result<user::Model> {
    // Passwords are a person's business, never a key's.
    actor.person()?;
    // Refused before the hash is paid for; checked again under lock below.
    if super::get(&state.db.conn, id).await?.is_none() {
        return Err(AppError::NotFound(Entity::User));
    }
    may_manage(actor, &state.db.conn, id).await?;
    write_password(state, Some(actor), id, password, keep_session).await
}

/// Sets a user's password as the service itself (`gerbang users set-password`, run by an
/// operator with a shell on the host): the same rules, hashing, lifted lock and ended
/// sessions as `setPassword`, audited with no actor.
pub(crate) async fn set_password_as_service(state: &AppState, id: Uuid, password: &Password) -> Result<user::Model> {
    write_password(state, None, id, password, None).await
}

/// Lifts a user's sign-in lock and forgets its failures as the service itself (`gerbang
/// users unlock`), audited as a `USER_UPDATED` with no actor.
pub(crate) async fn unlock_as_service(state: &AppState, id: Uuid) -> Result<()> {
    let mut txn = state.db.begin_write().await?;
    lock_target(&*txn, id).await?;
    state.throttle.lift(&*txn, id).await?;
    Event::new(AuditAction::UserUpdated)
        .user(id)
        .details(json!({ "fields": [], "unlocked": true, "via": "commandLine" }))
        .record(&mut txn, &Origin::system(), state.now());
    txn.commit().await?;
    Ok(())
}

/// Stores a new password hash; `actor` is `None` for the service itself, which manages
/// everyone.
async fn write_password(
    state: &AppState,
    actor: Option<&Authenticated>,
    id: Uuid,
    password: &Password,
    keep_session: Option<Uuid>,
) -> Result<user::Model> {
    let hash = state.hasher.hash(password.secret()).await?;
    let now = state.now();
    let mut txn = state.db.begin_write().await?;
    let current = lock_target(&*txn, id).await?;
    if let Some(actor) = actor {
        may_manage(actor, &*txn, id).await?;
    }
    let mut model: user::ActiveModel = current.into();
    model.password_hash = Set(Some(hash));
    model.updated_at = Set(now);
    let updated = model.update(&*txn).await?;
    let ended = session_chain::revoke_all(&*txn, id, keep_session, now).await?;
    state.throttle.lift(&*txn, id).await?;
    // A reset or email-change link mailed before must not outlive the password it was for.
    one_time::spend_all_of(&*txn, &MAIL_LINKS, id, Condition::all(), now).await?;
    // Changing one's own password keeps the session it is done from; setting anyone's ends all.
    let action = if keep_session.is_some() { AuditAction::PasswordChanged } else { AuditAction::PasswordSet };
    let (origin, details) = match actor {
        Some(actor) => (Origin::of(actor), json!({ "sessionsEnded": ended })),
        None => (Origin::system(), json!({ "sessionsEnded": ended, "via": "commandLine" })),
    };
    Event::new(action).user(id).details(details).record(&mut txn, &origin, now);
    txn.changed(Change::User(id));
    txn.commit().await?;
    Ok(updated)
}
