//! The schema: migrations up/down/up, the system roles, and the rules the database
//! itself enforces (uniqueness, cascades), checked with inserts that bypass the app. These
//! tests migrate empty databases themselves; the other tests' databases are cloned from a
//! template, which must hold exactly what the migrations make.

use gerbang::auth::permission::{Permission, PermissionSet};
use gerbang::clock::{Clock, SystemClock};
use gerbang::db::entities::{role, session, user, user_role};
use gerbang::error::UniqueIndex;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set, SqlErr, Statement,
};
use uuid::Uuid;

use crate::helpers::TestDb;

backend_tests!(
    empty:
    migrations_go_up_down_and_up_again,
    migrations_create_the_three_system_roles,
    emails_are_unique_case_insensitively_in_the_database,
    usernames_are_unique_case_insensitively_when_set,
    role_names_are_unique_case_insensitively_and_codes_when_set,
    deleting_a_role_keeps_its_members,
    deleting_a_user_removes_its_memberships_and_sessions,
    a_cloned_database_holds_what_the_migrations_make,
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

/// Every table, column, index, constraint and trigger, one line each, in a stable order.
async fn schema_of(conn: &DatabaseConnection) -> Vec<String> {
    let backend = conn.get_database_backend();
    let lines = |sql: String| async move {
        let rows = conn.query_all_raw(Statement::from_string(backend, sql.clone())).await.unwrap();
        rows.iter().map(|r| r.try_get::<String>("", "s").unwrap_or_else(|e| panic!("{sql}: {e}"))).collect::<Vec<_>>()
    };
    let mut out = match backend {
        DatabaseBackend::Sqlite => {
            lines(
                "SELECT type || ' ' || name || ' ' || tbl_name || ' ' || COALESCE(sql, '') AS s FROM sqlite_master"
                    .into(),
            )
            .await
        }
        DatabaseBackend::Postgres => {
            let mut out = lines(
                "SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' '
                        || COALESCE(column_default, '') || ' ' || COALESCE(character_maximum_length::text, '') AS s
                 FROM information_schema.columns WHERE table_schema = 'public'"
                    .into(),
            )
            .await;
            out.extend(lines("SELECT indexdef AS s FROM pg_indexes WHERE schemaname = 'public'".into()).await);
            out.extend(
                lines(
                    "SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS s
                     FROM pg_constraint WHERE connamespace = 'public'::regnamespace"
                        .into(),
                )
                .await,
            );
            out.extend(
                lines(
                    "SELECT tgrelid::regclass::text || ' ' || tgname AS s FROM pg_trigger WHERE NOT tgisinternal"
                        .into(),
                )
                .await,
            );
            out
        }
        DatabaseBackend::MySql => {
            let mut out = Vec::new();
            for table in
                lines("SELECT TABLE_NAME AS s FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()".into())
                    .await
            {
                let sql = format!("SHOW CREATE TABLE `{table}`");
                let row = conn.query_one_raw(Statement::from_string(backend, sql)).await.unwrap().unwrap();
                out.push(row.try_get::<String>("", "Create Table").unwrap());
            }
            out.extend(
                lines(
                    "SELECT CONCAT(EVENT_OBJECT_TABLE, ' ', TRIGGER_NAME) AS s FROM information_schema.TRIGGERS
                     WHERE TRIGGER_SCHEMA = DATABASE()"
                        .into(),
                )
                .await,
            );
            out
        }
        other => panic!("no schema listing for {other:?}"),
    };
    out.sort();
    out
}

/// Each table with its number of rows.
async fn row_counts(conn: &DatabaseConnection) -> Vec<(String, i64)> {
    let backend = conn.get_database_backend();
    let sql = match backend {
        DatabaseBackend::Sqlite => "SELECT name AS t FROM sqlite_master WHERE type = 'table'",
        DatabaseBackend::Postgres => {
            "SELECT table_name::text AS t FROM information_schema.tables WHERE table_schema = 'public'"
        }
        _ => "SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()",
    };
    let mut out = Vec::new();
    for row in conn.query_all_raw(Statement::from_string(backend, sql)).await.unwrap() {
        let table: String = row.try_get("", "t").unwrap();
        let quoted = if backend == DatabaseBackend::MySql { format!("`{table}`") } else { format!("\"{table}\"") };
        let count = conn
            .query_one_raw(Statement::from_string(backend, format!("SELECT COUNT(*) AS n FROM {quoted}")))
            .await
            .unwrap()
            .unwrap()
            .try_get::<i64>("", "n")
            .unwrap();
        out.push((table, count));
    }
    out.sort();
    out
}

/// The system roles as the migrations seed them (ids and times aside).
async fn seeded_roles(conn: &DatabaseConnection) -> Vec<(String, Option<i32>, bool, String, String, Option<String>)> {
    role::Entity::find()
        .order_by_asc(role::Column::Name)
        .all(conn)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.name, r.code, r.is_system, r.permissions, r.app_permissions, r.description))
        .collect()
}

/// The template other tests start from is a stand-in for running the migrations: the
/// same tables, columns, indexes, foreign keys, checks and seeded rows, and nothing left
/// for the app's start-up to migrate.
async fn a_cloned_database_holds_what_the_migrations_make(db: TestDb) {
    let fresh = migrated(&db).await;
    let clone_db = TestDb::create(db.backend).await.unwrap();
    let clone = gerbang::db::connect(&clone_db.url, 2, std::time::Duration::from_secs(10)).await.unwrap();

    assert!(clone.migration_status().await.unwrap().iter().all(|(_, applied)| *applied), "nothing is pending");
    let schema = schema_of(&fresh.conn).await;
    assert!(schema.len() >= 10, "the listing sees the schema: {schema:#?}");
    assert_eq!(schema_of(&clone.conn).await, schema);
    let counts = row_counts(&fresh.conn).await;
    assert!(counts.iter().any(|(t, n)| t == "roles" && *n == 3), "{counts:?}");
    assert_eq!(row_counts(&clone.conn).await, counts);
    let roles = seeded_roles(&fresh.conn).await;
    assert_eq!(seeded_roles(&clone.conn).await, roles);

    clone.conn.close().await.ok();
    fresh.conn.close().await.ok();
    clone_db.cleanup().await;
}
