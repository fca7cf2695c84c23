//! What an operator with a shell on the host can do: `gerbang users set-password | unlock |
//! list` to recover accounts, and `gerbang migrate down`, which asks first.

use std::io::Write as _;
use std::process::{Output, Stdio};

use gerbang::db::entities::{audit_event, session, user};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use crate::helpers::assert::{assert_code, data};
use crate::helpers::fixtures::{DEV_EMAIL, DEV_PASSWORD, PASSWORD};
use crate::helpers::process::gerbang;
use crate::helpers::{Backend, TestApp, TestDb};

backend_tests!(
    set_password_from_stdin_ends_sessions_lifts_the_lock_and_is_audited_as_the_service,
    set_password_keeps_the_password_rules_and_names_a_missing_user,
    unlock_lifts_a_lock_without_touching_the_password,
    list_shows_users_with_their_roles_and_filters_by_role,
);

/// Runs `gerbang users …` over `db`, with `stdin` as its standard input (not a terminal).
fn users(db: &TestDb, args: &[&str], stdin: &str) -> Output {
    let mut full = vec!["users"];
    full.extend_from_slice(args);
    let mut child = gerbang(&full, &[("GERBANG_DATABASE_URL", db.url.as_str()), ("GERBANG_LOG", "warn")])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn succeeded(out: &Output) -> String {
    assert!(out.status.success(), "exit {:?}; stderr: {}", out.status, String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// Exit code 1 and one line on stderr.
fn failed(out: &Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "exit code 1; stderr: {stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
    stderr
}

/// Fails logins until the account is locked.
async fn lock_out(app: &TestApp, who: &str) {
    for _ in 0..5 {
        app.login(who, "not the password").await;
    }
    assert_code(&app.login(who, DEV_PASSWORD).await, "TOO_MANY_REQUESTS");
}

async fn set_password_from_stdin_ends_sessions_lifts_the_lock_and_is_audited_as_the_service(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    lock_out(&app, DEV_EMAIL).await;

    let db2 = db.clone();
    let out = tokio::task::spawn_blocking(move || {
        users(&db2, &["set-password", "DEV@gerbang.test"], "a new passphrase from the shell\nsecond line ignored\n")
    })
    .await
    .unwrap();
    let stdout = succeeded(&out);
    assert!(stdout.contains(DEV_EMAIL), "{stdout}");

    let conn = &app.state.db.conn;
    let dev_id: uuid::Uuid = dev.user_id.parse().unwrap();
    let live = session::Entity::find()
        .filter(session::Column::UserId.eq(dev_id))
        .filter(session::Column::RevokedAt.is_null())
        .all(conn)
        .await
        .unwrap();
    assert!(live.is_empty(), "every session of the user is ended: {live:?}");
    let refreshed = app
        .gql("mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken } }", json!({ "t": dev.refresh }))
        .await;
    assert_code(&refreshed, "UNAUTHENTICATED");
    assert_code(&app.login(DEV_EMAIL, DEV_PASSWORD).await, "UNAUTHENTICATED");
    data(&app.login(DEV_EMAIL, "a new passphrase from the shell").await);

    let events = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("PASSWORD_SET"))
        .filter(audit_event::Column::SubjectUserId.eq(dev_id))
        .all(conn)
        .await
        .unwrap();
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0].actor_id, None, "the service acted, not a user");
    assert_eq!(events[0].details["via"], "commandLine");
    assert!(!events[0].details.to_string().contains("passphrase"), "no password in the audit log");
    app.stop().await;
}

async fn set_password_keeps_the_password_rules_and_names_a_missing_user(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let before = user::Entity::find().all(&app.state.db.conn).await.unwrap()[0].password_hash.clone();
    let db2 = db.clone();
    let (common, short, empty, nobody) = tokio::task::spawn_blocking(move || {
        (
            users(&db2, &["set-password", DEV_EMAIL], "password123\n"),
            users(&db2, &["set-password", DEV_EMAIL], "short\n"),
            users(&db2, &["set-password", DEV_EMAIL], ""),
            users(&db2, &["set-password", "nobody@example.com"], "a perfectly good passphrase\n"),
        )
    })
    .await
    .unwrap();
    assert!(failed(&common).contains("password refused"));
    assert!(failed(&short).contains("password refused"));
    assert!(failed(&empty).contains("no password"));
    assert!(failed(&nobody).contains("nobody@example.com"));
    let after = user::Entity::find().all(&app.state.db.conn).await.unwrap()[0].password_hash.clone();
    assert_eq!(before, after, "nothing changed");
    data(&app.login(DEV_EMAIL, DEV_PASSWORD).await);
    app.stop().await;
}

async fn unlock_lifts_a_lock_without_touching_the_password(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let ida = app.create_user("ida@example.com", &["user"]).await;
    data(
        &app.gql_as(
            Some(&app.developer().await.access),
            "mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { id } }",
            json!({ "id": ida, "i": { "username": "ida" } }),
        )
        .await,
    );
    for _ in 0..5 {
        app.login("ida", "not the password").await;
    }
    assert_code(&app.login("ida", PASSWORD).await, "TOO_MANY_REQUESTS");

    let db2 = db.clone();
    let out = tokio::task::spawn_blocking(move || users(&db2, &["unlock", "IDA"], "")).await.unwrap();
    assert!(succeeded(&out).contains("ida@example.com"));
    data(&app.login("ida", PASSWORD).await);
    let events = audit_event::Entity::find()
        .filter(audit_event::Column::SubjectUserId.eq(ida.parse::<uuid::Uuid>().unwrap()))
        .filter(audit_event::Column::Action.eq("USER_UPDATED"))
        .all(&app.state.db.conn)
        .await
        .unwrap();
    let unlocked: Vec<_> = events.iter().filter(|e| e.details["unlocked"] == true).collect();
    assert_eq!(unlocked.len(), 1, "{events:?}");
    assert_eq!(unlocked[0].actor_id, None);
    app.stop().await;
}

async fn list_shows_users_with_their_roles_and_filters_by_role(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let ida = app.create_user("ida@example.com", &["user", "admin"]).await;
    let db2 = db.clone();
    let (all, developers, unknown) = tokio::task::spawn_blocking(move || {
        (
            users(&db2, &["list"], ""),
            users(&db2, &["list", "--role", "developer"], ""),
            users(&db2, &["list", "--role", "no-such-role"], ""),
        )
    })
    .await
    .unwrap();
    let all = succeeded(&all);
    let lines: Vec<&str> = all.lines().collect();
    assert_eq!(lines[0], "id\temail\tusername\tactive\troles");
    assert_eq!(lines.len(), 3, "{all}");
    assert!(lines.contains(&format!("{ida}\tida@example.com\t-\ttrue\tadmin,user").as_str()), "{all}");
    assert!(lines.iter().any(|l| l.contains(&format!("\t{DEV_EMAIL}\tadmin\ttrue\tdeveloper"))), "{all}");
    let developers = succeeded(&developers);
    assert_eq!(developers.lines().count(), 2, "{developers}");
    assert!(developers.contains(DEV_EMAIL) && !developers.contains("ida@"), "{developers}");
    assert!(failed(&unknown).contains("no-such-role"));
    app.stop().await;
}

#[test]
fn set_password_takes_no_password_argument() {
    let out = gerbang(&["users", "set-password", "--help"], &[]).output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(help.contains("EMAIL|USERNAME") && help.contains("standard input"), "{help}");
    assert!(!help.contains("--password"), "{help}");
    let extra = gerbang(&["users", "set-password", "dev@gerbang.test", "hunter2hunter2"], &[]).output().unwrap();
    assert_eq!(extra.status.code(), Some(2), "a password in argv is a usage error");
}

#[tokio::test]
async fn migrate_down_asks_first_and_spares_a_database_with_users() {
    let db = TestDb::create_empty(Backend::Sqlite).await.unwrap();
    let migrate = |args: &'static [&'static str]| {
        let mut full = vec!["migrate"];
        full.extend_from_slice(args);
        gerbang(&full, &[("GERBANG_DATABASE_URL", db.url.as_str()), ("GERBANG_LOG", "warn")]).output().unwrap()
    };
    let all_applied = |out: Output| succeeded(&out).lines().all(|l| l.starts_with("applied "));
    succeeded(&migrate(&["up"]));

    let err = failed(&migrate(&["down"]));
    assert!(err.contains("--yes"), "no terminal, no --yes: refused: {err}");
    assert!(all_applied(migrate(&["status"])), "nothing dropped");

    let app = TestApp::spawn(&db).await;
    app.stop().await;
    let err = failed(&migrate(&["down", "--yes"]));
    assert!(err.contains("1 user") && err.contains("--delete-users"), "{err}");
    assert!(all_applied(migrate(&["status"])), "a database with users is spared");

    succeeded(&migrate(&["down", "--yes", "--delete-users"]));
    assert!(succeeded(&migrate(&["status"])).lines().all(|l| l.starts_with("pending ")));
    db.cleanup().await;
}
