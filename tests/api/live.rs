//! The live-session cache: a session known to be live costs no statement, and every change
//! that could alter the answer reaches it, at once on the instance that made the change and
//! within a second on another instance over the same database (PostgreSQL notifications,
//! a polled change log on MariaDB and SQLite). A dropped notification link fails closed.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::helpers::assert::data;
use crate::helpers::fixtures::PASSWORD;
use crate::helpers::{Backend, TestApp, TestDb};

backend_tests!(
    every_change_reaches_the_instance_that_made_it_at_once_and_the_others_within_a_second,
    a_dropped_notification_link_fails_closed,
);

/// The bound README and API.md promise for another instance.
const ACROSS: Duration = Duration::from_secs(1);

const ME: &str = "{ me { id displayName permissions roles { name } } }";

async fn me(app: &TestApp, token: &str) -> Value {
    app.gql_as(Some(token), ME, json!({})).await
}

/// Asks until `done` holds, at most `within`; returns how long it took.
async fn until(app: &TestApp, token: &str, within: Duration, done: impl Fn(&Value) -> bool) -> Duration {
    let started = Instant::now();
    loop {
        let resp = me(app, token).await;
        if done(&resp) {
            return started.elapsed();
        }
        assert!(started.elapsed() < within, "not seen within {within:?}: {resp}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Reads `me` until the session is served from the cache (no statement).
async fn cached(app: &TestApp, token: &str) {
    for _ in 0..50 {
        let before = app.state.db.statement_count();
        data(&me(app, token).await);
        if app.state.db.statement_count() == before {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the session never came from the cache");
}

fn refused(resp: &Value) -> bool {
    resp["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
}

/// One change on `a`, seen by `a` at once and by `b` within the bound.
async fn seen_everywhere(
    a: &TestApp,
    b: &TestApp,
    token: &str,
    what: &str,
    change: impl AsyncFnOnce(),
    done: impl Fn(&Value) -> bool + Copy,
) {
    cached(a, token).await;
    cached(b, token).await;
    change().await;
    assert!(done(&me(a, token).await), "{what}: the instance that made the change sees it at once");
    let took = until(b, token, ACROSS, done).await;
    eprintln!("{what}: seen by the other instance after {took:?}");
}

async fn every_change_reaches_the_instance_that_made_it_at_once_and_the_others_within_a_second(db: TestDb) {
    let a = TestApp::spawn(&db).await;
    let b = TestApp::spawn(&db).await;
    let dev = a.developer().await;
    let admin_role = a.role_id("admin").await;
    let helpers = a.create_role("helpers", &[]).await;
    let mutate = |query: &'static str, vars: Value| {
        let (a, token) = (&a, dev.access.clone());
        async move {
            data(&a.gql_as(Some(&token), query, vars).await);
        }
    };

    // Logout.
    let s = a.signed_in("out@x.io", &["user"]).await;
    let token = s.access.clone();
    seen_everywhere(
        &a,
        &b,
        &s.access,
        "logout",
        async || {
            data(&a.gql_as(Some(&token), "mutation { logout }", json!({})).await);
        },
        refused,
    )
    .await;

    // A refresh token presented again after the grace period ends its session.
    let s = a.session("out@x.io", PASSWORD).await;
    let refresh = "mutation($t: String!) { refreshToken(refreshToken: $t) { refreshToken } }";
    data(&a.gql(refresh, json!({ "t": s.refresh })).await);
    let stolen = s.refresh.clone();
    seen_everywhere(
        &a,
        &b,
        &s.access,
        "refresh-token reuse",
        async || {
            a.clock.advance(Duration::from_secs(11));
            b.clock.advance(Duration::from_secs(11));
            a.gql(refresh, json!({ "t": stolen })).await;
        },
        refused,
    )
    .await;

    // A session ended from another of its user's sessions, all but the current one, and all
    // of a user's by an administrator.
    let id = a.create_user("ended@x.io", &["user"]).await;
    let here = a.session("ended@x.io", PASSWORD).await;
    let there = a.session("ended@x.io", PASSWORD).await;
    let sessions = "{ me { sessions { id current } } }";
    let listed = data(&a.gql_as(Some(&here.access), sessions, json!({})).await)["me"]["sessions"].clone();
    let other = listed.as_array().unwrap().iter().find(|s| s["current"] == false).unwrap()["id"].clone();
    let here_token = here.access.clone();
    seen_everywhere(
        &a,
        &b,
        &there.access,
        "revokeSession",
        async || {
            let revoke = "mutation($id: ID!) { revokeSession(id: $id) }";
            assert_eq!(data(&a.gql_as(Some(&here_token), revoke, json!({ "id": other })).await)["revokeSession"], true);
        },
        refused,
    )
    .await;
    let there = a.session("ended@x.io", PASSWORD).await;
    seen_everywhere(
        &a,
        &b,
        &there.access,
        "revokeOtherSessions",
        async || {
            let revoke = "mutation { revokeOtherSessions }";
            assert_eq!(data(&a.gql_as(Some(&here_token), revoke, json!({})).await)["revokeOtherSessions"], 1);
        },
        refused,
    )
    .await;
    let revoke_all = "mutation($id: ID!) { revokeUserSessions(userId: $id) }";
    seen_everywhere(
        &a,
        &b,
        &here.access,
        "revokeUserSessions",
        async || mutate(revoke_all, json!({ "id": id })).await,
        refused,
    )
    .await;

    // A password set by an administrator, and one changed by its user (other sessions end).
    let id = a.create_user("pw@x.io", &["user"]).await;
    let s = a.session("pw@x.io", PASSWORD).await;
    let set = "mutation($id: ID!) { setUserPassword(id: $id, password: \"another fine passphrase\") { id } }";
    seen_everywhere(&a, &b, &s.access, "setUserPassword", async || mutate(set, json!({ "id": id })).await, refused)
        .await;
    let here = a.session("pw@x.io", "another fine passphrase").await;
    let elsewhere = a.session("pw@x.io", "another fine passphrase").await;
    let change = "mutation { changePassword(currentPassword: \"another fine passphrase\", newPassword: \"a third passphrase\") }";
    let here_token = here.access.clone();
    seen_everywhere(
        &a,
        &b,
        &elsewhere.access,
        "changePassword",
        async || {
            data(&a.gql_as(Some(&here_token), change, json!({})).await);
        },
        refused,
    )
    .await;

    // Deactivation and deletion.
    for (what, query) in [
        ("deactivation", "mutation($id: ID!) { updateUser(id: $id, input: { isActive: false }) { id } }"),
        ("deletion", "mutation($id: ID!) { deleteUser(id: $id) }"),
    ] {
        let id = a.create_user(&format!("{what}@x.io"), &["user"]).await;
        let s = a.session(&format!("{what}@x.io"), PASSWORD).await;
        seen_everywhere(&a, &b, &s.access, what, async || mutate(query, json!({ "id": id })).await, refused).await;
    }

    // A profile edit, a role granted, and a role's permissions edited: `me` says so.
    let id = a.create_user("member@x.io", &["user"]).await;
    let s = a.session("member@x.io", PASSWORD).await;
    let update = "mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { id } }";
    seen_everywhere(
        &a,
        &b,
        &s.access,
        "profile edit",
        async || mutate(update, json!({ "id": id, "i": { "displayName": "Renamed" } })).await,
        |r| r["data"]["me"]["displayName"] == "Renamed",
    )
    .await;
    let with_roles = |roles: Value| json!({ "id": id, "i": { "roleIds": roles } });
    let granted = with_roles(json!([admin_role]));
    seen_everywhere(
        &a,
        &b,
        &s.access,
        "role granted",
        async || mutate(update, granted).await,
        |r| r["data"]["me"]["permissions"].as_array().is_some_and(|p| p.contains(&json!("USER_READ"))),
    )
    .await;
    // Only `helpers` (no permissions yet) left, then `helpers` gains two.
    mutate(update, with_roles(json!([helpers.clone()]))).await;
    let edit = "mutation($id: ID!) { updateRole(id: $id, input: { permissions: [USER_READ, ROLE_READ] }) { id } }";
    seen_everywhere(
        &a,
        &b,
        &s.access,
        "role permissions edited",
        async || mutate(edit, json!({ "id": helpers })).await,
        |r| r["data"]["me"]["permissions"] == json!(["USER_READ", "ROLE_READ"]),
    )
    .await;

    // An API key revoked, and one whose owner is deactivated.
    for ending in ["revoked", "owner deactivated"] {
        let owner = a.signed_in(&format!("{}@x.io", ending.replace(' ', "-")), &["user"]).await;
        let (id, key) = crate::api_keys::create_key(&a, &owner.access, json!({ "name": ending })).await;
        seen_everywhere(
            &a,
            &b,
            &key,
            &format!("API key {ending}"),
            async || match ending {
                "revoked" => mutate("mutation($id: ID!) { revokeApiKey(id: $id) }", json!({ "id": id })).await,
                _ => {
                    let deactivate = "mutation($id: ID!) { updateUser(id: $id, input: { isActive: false }) { id } }";
                    mutate(deactivate, json!({ "id": owner.user_id })).await
                }
            },
            refused,
        )
        .await;
    }

    // A key rotation: the other instance signs with the new key within the bound.
    let before = gerbang::auth::tokens::kid_of(&b.developer().await.access).unwrap();
    gerbang::auth::keys::rotate(&a.state.db, a.state.clock.as_ref()).await.unwrap();
    let started = Instant::now();
    loop {
        let kid = gerbang::auth::tokens::kid_of(&b.developer().await.access).unwrap();
        if kid != before {
            break;
        }
        assert!(started.elapsed() < ACROSS * 2, "the other instance still signs with {kid}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    a.stop().await;
    b.stop().await;
}

async fn a_dropped_notification_link_fails_closed(db: TestDb) {
    use sea_orm::ConnectionTrait;
    if db.backend != Backend::Postgres {
        return; // the polled log fails closed when a poll fails: the outage tests cover it
    }
    let a = TestApp::spawn(&db).await;
    let b = TestApp::spawn(&db).await;
    let s = a.signed_in("victim@x.io", &["user"]).await;
    cached(&b, &s.access).await;
    assert!(b.state.db.changes_flowing());
    // Cut every listening connection (both instances'), as a network or a restart would.
    let admin = db.connect().await;
    admin
        .execute_unprepared(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'",
        )
        .await
        .unwrap();
    let started = Instant::now();
    while b.state.db.changes_flowing() {
        assert!(started.elapsed() < Duration::from_secs(2), "a dead link is noticed within its heartbeat");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // While the link is down, the other instance reads the database on every request, so a
    // logout that no notification carried is seen at once.
    data(&a.gql_as(Some(&s.access), "mutation { logout }", json!({})).await);
    let resp = me(&b, &s.access).await;
    assert!(refused(&resp), "served from the database while the link is down: {resp}");
    // The link comes back, and the cache is used again.
    let s2 = a.session("victim@x.io", PASSWORD).await;
    let started = Instant::now();
    loop {
        let before = b.state.db.statement_count();
        data(&me(&b, &s2.access).await);
        if b.state.db.statement_count() == before {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "the link came back");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    admin.close().await.unwrap();
    a.stop().await;
    b.stop().await;
}
