//! The schema: migrations up/down/up, the system roles, and the rules the database
//! itself enforces (uniqueness, cascades), checked with inserts that bypass the app.

use gerbang::auth::permission::{Permission, PermissionSet};
use gerbang::clock::{Clock, SystemClock};
use gerbang::db::entities::{role, session, user, user_role};
use gerbang::error::UniqueIndex;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, Set,
    SqlErr,
};
use uuid::Uuid;

use crate::helpers::TestDb;

backend_tests!(
    migrations_go_up_down_and_up_again,
    migrations_create_the_three_system_roles,
    emails_are_unique_case_insensitively_in_the_database,
    usernames_are_unique_case_insensitively_when_set,
    role_names_are_unique_case_insensitively_and_codes_when_set,
    deleting_a_role_keeps_its_members,
    deleting_a_user_removes_its_memberships_and_sessions,
);

async fn migrated(db: &TestDb) -> gerbang::db::Db {
    let conn = gerbang::db::connect(&db.url, 5, std::time::Duration::from_secs(10)).await.unwrap();
    conn.migrate_up().await.unwrap();
    conn
}

async fn migrations_go_up_down_and_up_again(db: TestDb) {
    let g = migrated(&db).await;
    assert!(g.migration_status().await.unwrap().iter().all(|(_, applied)| *applied));
    assert_eq!(role::Entity::find().count(&g.conn).await.unwrap(), 3);

    g.migrate_down().await.unwrap();
    assert!(g.migration_status().await.unwrap().iter().all(|(_, applied)| !*applied));
    assert!(role::Entity::find().count(&g.conn).await.is_err(), "tables are gone after down");
    assert!(user::Entity::find().count(&g.conn).await.is_err(), "tables are gone after down");

    g.migrate_up().await.unwrap();
    assert_eq!(role::Entity::find().count(&g.conn).await.unwrap(), 3);
    assert_eq!(user::Entity::find().count(&g.conn).await.unwrap(), 0);
}

async fn migrations_create_the_three_system_roles(db: TestDb) {
    let g = migrated(&db).await;
    let all: PermissionSet = Permission::ALL.into_iter().collect();
    let admin: PermissionSet =
        [Permission::UserRead, Permission::UserWrite, Permission::RoleRead].into_iter().collect();
    for (name, code, permissions) in [("developer", 1, all), ("admin", 2, admin), ("user", 3, PermissionSet::EMPTY)] {
        let r = role::Entity::find()
            .filter(role::Column::Name.eq(name))
            .one(&g.conn)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("{name} exists"));
        assert!(r.is_system, "{name} is a system role");
        assert_eq!(r.code, Some(code), "{name}'s code");
        assert_eq!(PermissionSet::from_stored(&r.permissions), permissions, "{name}'s permissions");
        assert_eq!(r.id.get_version_num(), 7, "ids are UUIDv7");
    }
}

fn new_user(email: &str, username: Option<&str>) -> user::ActiveModel {
    let now = SystemClock.now();
    user::ActiveModel {
        id: Set(Uuid::now_v7()),
        email: Set(email.into()),
        email_lower: Set(email.to_lowercase()),
        username: Set(username.map(Into::into)),
        username_lower: Set(username.map(str::to_lowercase)),
        display_name: Set(None),
        display_name_lower: Set(None),
        first_name: Set(None),
        last_name: Set(None),
        phone_number: Set(None),
        address: Set(None),
        avatar_url: Set(None),
        is_active: Set(true),
        attributes: Set(None),
        password_hash: Set(None),
        search_text: Set(String::new()),
        last_login_at: Set(None),
        email_verified: Set(false),
        locale: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
}

fn new_role(name: &str, code: Option<i32>) -> role::ActiveModel {
    let now = SystemClock.now();
    role::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(name.into()),
        name_lower: Set(name.to_lowercase()),
        code: Set(code),
        description: Set(None),
        is_system: Set(false),
        permissions: Set(String::new()),
        app_permissions: Set(String::new()),
        created_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
}

fn assert_unique_violation<T: std::fmt::Debug>(result: Result<T, sea_orm::DbErr>, index: UniqueIndex) {
    let err = result.expect_err("the database refuses the duplicate");
    match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(msg)) => assert!(index.matches(&msg), "{msg} names {index:?}"),
        other => panic!("expected a unique violation of {index:?}, got {other:?} from {err}"),
    }
}

async fn emails_are_unique_case_insensitively_in_the_database(db: TestDb) {
    let g = migrated(&db).await;
    new_user("Alice@Example.com", None).insert(&g.conn).await.unwrap();
    assert_unique_violation(new_user("alice@example.COM", None).insert(&g.conn).await, UniqueIndex::UserEmail);

    // A writer that forgets the lower-cased key is refused too.
    let mut sloppy = new_user("BOB@example.com", None);
    sloppy.email_lower = Set("BOB@example.com".into());
    assert!(sloppy.insert(&g.conn).await.is_err(), "a key that is not lower(email) is refused");
}

async fn usernames_are_unique_case_insensitively_when_set(db: TestDb) {
    let g = migrated(&db).await;
    new_user("a@x.io", Some("Budi")).insert(&g.conn).await.unwrap();
    assert_unique_violation(new_user("b@x.io", Some("budi")).insert(&g.conn).await, UniqueIndex::UserUsername);
    // Any number of users may have no username.
    new_user("c@x.io", None).insert(&g.conn).await.unwrap();
    new_user("d@x.io", None).insert(&g.conn).await.unwrap();
}

async fn role_names_are_unique_case_insensitively_and_codes_when_set(db: TestDb) {
    let g = migrated(&db).await;
    new_role("Finance", Some(10)).insert(&g.conn).await.unwrap();
    assert_unique_violation(new_role("FINANCE", None).insert(&g.conn).await, UniqueIndex::RoleName);
    assert_unique_violation(new_role("Sales", Some(10)).insert(&g.conn).await, UniqueIndex::RoleCode);
    assert_unique_violation(new_role("Developer", None).insert(&g.conn).await, UniqueIndex::RoleName);
    new_role("NOC", None).insert(&g.conn).await.unwrap();
    new_role("Support", None).insert(&g.conn).await.unwrap();
    // Accents are not case: both exist on every backend.
    new_role("résumé", None).insert(&g.conn).await.unwrap();
    new_role("resume", None).insert(&g.conn).await.unwrap();
}

async fn member(conn: &DatabaseConnection, user_id: Uuid, role_id: Uuid) {
    user_role::ActiveModel { user_id: Set(user_id), role_id: Set(role_id), created_at: Set(SystemClock.now()) }
        .insert(conn)
        .await
        .unwrap();
}

async fn deleting_a_role_keeps_its_members(db: TestDb) {
    let g = migrated(&db).await;
    let u = new_user("m@x.io", None).insert(&g.conn).await.unwrap();
    let finance = new_role("finance", None).insert(&g.conn).await.unwrap();
    let noc = new_role("noc", None).insert(&g.conn).await.unwrap();
    member(&g.conn, u.id, finance.id).await;
    member(&g.conn, u.id, noc.id).await;

    role::Entity::delete_by_id(finance.id).exec(&g.conn).await.unwrap();

    assert!(user::Entity::find_by_id(u.id).one(&g.conn).await.unwrap().is_some(), "the member still exists");
    let left: Vec<Uuid> = user_role::Entity::find()
        .filter(user_role::Column::UserId.eq(u.id))
        .all(&g.conn)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.role_id)
        .collect();
    assert_eq!(left, vec![noc.id], "only the deleted role's membership is gone");
}

async fn deleting_a_user_removes_its_memberships_and_sessions(db: TestDb) {
    let g = migrated(&db).await;
    let u = new_user("gone@x.io", None).insert(&g.conn).await.unwrap();
    let other = new_user("stays@x.io", None).insert(&g.conn).await.unwrap();
    let r = new_role("finance", None).insert(&g.conn).await.unwrap();
    member(&g.conn, u.id, r.id).await;
    member(&g.conn, other.id, r.id).await;
    let now = SystemClock.now();
    session::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(u.id),
        user_agent: Set(None),
        ip_address: Set(None),
        created_at: Set(now),
        last_used_at: Set(now),
        expires_at: Set(now),
        revoked_at: Set(None),
        refresh_generation: Set(0),
        refreshed_at: Set(None),
    }
    .insert(&g.conn)
    .await
    .unwrap();

    user::Entity::delete_by_id(u.id).exec(&g.conn).await.unwrap();

    assert_eq!(user_role::Entity::find().filter(user_role::Column::UserId.eq(u.id)).count(&g.conn).await.unwrap(), 0);
    assert_eq!(session::Entity::find().filter(session::Column::UserId.eq(u.id)).count(&g.conn).await.unwrap(), 0);
    assert_eq!(
        user_role::Entity::find().filter(user_role::Column::UserId.eq(other.id)).count(&g.conn).await.unwrap(),
        1
    );
    assert!(role::Entity::find_by_id(r.id).one(&g.conn).await.unwrap().is_some(), "the role stays");
    let _ = g.conn.execute_unprepared("SELECT 1").await;
}
