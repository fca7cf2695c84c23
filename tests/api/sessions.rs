//! Sessions a user can see and end (shared/API.md, "Sessions"): `User.sessions`,
//! `revokeSession`, `revokeOtherSessions`, `revokeUserSessions`.

use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::assert::{assert_code, data};
use crate::helpers::fixtures::{LOGIN, PASSWORD, Session};
use crate::helpers::{TestApp, TestDb};

backend_tests!(
    a_user_sees_its_live_sessions_newest_first_with_where_they_began,
    sessions_are_private_to_their_user_and_user_read,
    revoking_a_session_ends_its_access_and_refresh_tokens_at_once,
    revoke_other_sessions_keeps_only_the_current_one,
    revoke_user_sessions_needs_user_write_over_a_user_within_reach,
    a_refresh_racing_a_revocation_never_outlives_it,
    sign_ins_racing_a_new_password_never_outlive_it,
    sign_ins_racing_a_deactivation_are_not_revived_with_the_account,
);

const SESSIONS: &str = "{ me { sessions { id current createdAt lastUsedAt expiresAt userAgent ipAddress } } }";
const REVOKE: &str = "mutation($id: ID!) { revokeSession(id: $id) }";
const REVOKE_USER: &str = "mutation($id: ID!) { revokeUserSessions(userId: $id) }";
const REFRESH: &str = "mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken } }";

/// Signs in with a chosen `User-Agent` (and `X-Forwarded-For`, if given).
async fn login_from(app: &TestApp, who: &str, agent: &str, forwarded: Option<&str>) -> Session {
    let mut req = app
        .http
        .post(app.url("/graphql"))
        .header("user-agent", agent)
        .json(&json!({ "query": LOGIN, "variables": { "u": who, "p": PASSWORD } }));
    if let Some(f) = forwarded {
        req = req.header("x-forwarded-for", f);
    }
    let resp: Value = req.send().await.unwrap().json().await.unwrap();
    Session::from_payload(&resp, "login")
}

async fn sessions_of(app: &TestApp, token: &str) -> Vec<Value> {
    data(&app.gql_as(Some(token), SESSIONS, json!({})).await)["me"]["sessions"].as_array().unwrap().clone()
}

fn works(resp: &Value) -> bool {
    resp["errors"].is_null()
}

async fn me_works(app: &TestApp, token: &str) -> bool {
    works(&app.gql_as(Some(token), "{ me { id } }", json!({})).await)
}

async fn a_user_sees_its_live_sessions_newest_first_with_where_they_began(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.create_user("traveller@x.io", &["user"]).await;
    let laptop = login_from(&app, "traveller@x.io", "Laptop/1.0", None).await;
    app.clock.advance(Duration::from_secs(60));
    let long_agent = format!("Phone/2.0 {}", "x".repeat(600));
    let phone = login_from(&app, "traveller@x.io", &long_agent, None).await;

    let listed = sessions_of(&app, &laptop.access).await;
    assert_eq!(listed.len(), 2, "{listed:?}");
    let (newest, oldest) = (&listed[0], &listed[1]);
    assert_eq!(newest["userAgent"].as_str().unwrap().chars().count(), 512, "cut to 512 characters");
    assert!(newest["userAgent"].as_str().unwrap().starts_with("Phone/2.0"));
    assert_eq!(oldest["userAgent"], "Laptop/1.0");
    assert_eq!(oldest["current"], true, "the laptop's token is asking");
    assert_eq!(newest["current"], false);
    assert_eq!(oldest["ipAddress"], "127.0.0.1");
    assert_eq!(oldest["lastUsedAt"], oldest["createdAt"], "used only at sign-in so far");

    // A refresh moves `lastUsedAt` (and the expiry) on; the session stays the same one.
    app.clock.advance(Duration::from_secs(3600));
    let refreshed = data(&app.gql(REFRESH, json!({ "t": laptop.refresh })).await)["refreshToken"].clone();
    let listed = sessions_of(&app, refreshed["accessToken"].as_str().unwrap()).await;
    let laptop_now = listed.iter().find(|s| s["id"] == oldest["id"]).unwrap();
    assert_eq!(laptop_now["current"], true);
    assert_ne!(laptop_now["lastUsedAt"], laptop_now["createdAt"]);
    assert!(laptop_now["expiresAt"].as_str().unwrap() > oldest["expiresAt"].as_str().unwrap());

    // An ended session is no longer listed (its access token has expired meanwhile: its
    // refresh token ends it).
    let logout = "mutation($t: String) { logout(refreshToken: $t) }";
    data(&app.gql(logout, json!({ "t": phone.refresh })).await);
    let listed = sessions_of(&app, refreshed["accessToken"].as_str().unwrap()).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["id"], oldest["id"]);
    app.stop().await;

    // Behind a trusted proxy, the client's address is the one the proxy names.
    let app = TestApp::spawn_with(&db, |c| c.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()]).await;
    let proxied = login_from(&app, "traveller@x.io", "Proxied/1.0", Some("203.0.113.7")).await;
    let listed = sessions_of(&app, &proxied.access).await;
    assert_eq!(listed.iter().find(|s| s["current"] == true).unwrap()["ipAddress"], "203.0.113.7");
    app.stop().await;
}

async fn sessions_are_private_to_their_user_and_user_read(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let owner = app.signed_in("owner@x.io", &["user"]).await;
    let other = app.signed_in("other@x.io", &["user"]).await;
    let admin = app.signed_in("admin@x.io", &["admin"]).await;
    let query = "query($id: ID!) { user(id: $id) { id sessions { id } } }";
    let vars = json!({ "id": owner.user_id });

    let resp = app.gql_as(Some(&other.access), query, vars.clone()).await;
    assert_code(&resp, "FORBIDDEN");
    assert_eq!(resp["data"]["user"]["sessions"], Value::Null, "the key is there, as null: {resp}");
    assert_eq!(resp["errors"][0]["path"], json!(["user", "sessions"]));

    let resp = app.gql_as(Some(&admin.access), query, vars.clone()).await;
    assert_eq!(data(&resp)["user"]["sessions"].as_array().unwrap().len(), 1, "USER_READ sees them");
    assert_eq!(
        data(&app.gql_as(Some(&owner.access), query, vars).await)["user"]["sessions"].as_array().unwrap().len(),
        1
    );
    app.stop().await;
}

async fn revoking_a_session_ends_its_access_and_refresh_tokens_at_once(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.create_user("two@x.io", &["user"]).await;
    let here = app.session("two@x.io", PASSWORD).await;
    let there = app.session("two@x.io", PASSWORD).await;
    let there_id =
        sessions_of(&app, &here.access).await.into_iter().find(|s| s["current"] == false).unwrap()["id"].clone();
    assert!(me_works(&app, &there.access).await);

    let resp = app.gql_as(Some(&here.access), REVOKE, json!({ "id": there_id })).await;
    assert_eq!(data(&resp)["revokeSession"], true);
    assert_code(&app.gql_as(Some(&there.access), "{ me { id } }", json!({})).await, "UNAUTHENTICATED");
    assert_code(&app.gql(REFRESH, json!({ "t": there.refresh })).await, "UNAUTHENTICATED");
    assert!(me_works(&app, &here.access).await, "the caller's own session goes on");
    let resp = app.gql_as(Some(&here.access), REVOKE, json!({ "id": there_id })).await;
    assert_eq!(data(&resp)["revokeSession"], false, "ended already: nothing ended now");

    // Someone else's session: refused, and it goes on.
    let stranger = app.signed_in("stranger@x.io", &["user"]).await;
    let here_id = sessions_of(&app, &here.access).await[0]["id"].clone();
    assert_code(&app.gql_as(Some(&stranger.access), REVOKE, json!({ "id": here_id })).await, "FORBIDDEN");
    assert!(me_works(&app, &here.access).await);
    // An id that names no session reveals nothing to a caller who could not end it anyway.
    let unknown = json!({ "id": uuid::Uuid::now_v7().to_string() });
    assert_code(&app.gql_as(Some(&stranger.access), REVOKE, unknown.clone()).await, "FORBIDDEN");
    let admin = app.signed_in("admin@x.io", &["admin"]).await;
    assert_code(&app.gql_as(Some(&admin.access), REVOKE, unknown).await, "NOT_FOUND");
    assert_code(&app.gql_as(Some(&admin.access), REVOKE, json!({ "id": "nope" })).await, "BAD_USER_INPUT");
    assert_code(&app.gql(REVOKE, json!({ "id": here_id })).await, "UNAUTHENTICATED");

    // Ending the current session is a logout.
    assert_eq!(data(&app.gql_as(Some(&here.access), REVOKE, json!({ "id": here_id })).await)["revokeSession"], true);
    assert_code(&app.gql_as(Some(&here.access), "{ me { id } }", json!({})).await, "UNAUTHENTICATED");
    app.stop().await;
}

async fn revoke_other_sessions_keeps_only_the_current_one(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.create_user("many@x.io", &["user"]).await;
    let current = app.session("many@x.io", PASSWORD).await;
    let others = [app.session("many@x.io", PASSWORD).await, app.session("many@x.io", PASSWORD).await];
    let resp = app.gql_as(Some(&current.access), "mutation { revokeOtherSessions }", json!({})).await;
    assert_eq!(data(&resp)["revokeOtherSessions"], 2);
    for s in &others {
        assert!(!me_works(&app, &s.access).await);
        assert_code(&app.gql(REFRESH, json!({ "t": s.refresh })).await, "UNAUTHENTICATED");
    }
    assert!(me_works(&app, &current.access).await);
    assert_eq!(sessions_of(&app, &current.access).await.len(), 1);
    let resp = app.gql_as(Some(&current.access), "mutation { revokeOtherSessions }", json!({})).await;
    assert_eq!(data(&resp)["revokeOtherSessions"], 0);
    assert_code(&app.gql("mutation { revokeOtherSessions }", json!({})).await, "UNAUTHENTICATED");
    app.stop().await;
}

async fn revoke_user_sessions_needs_user_write_over_a_user_within_reach(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let user_id = app.create_user("member@x.io", &["user"]).await;
    let member = [app.session("member@x.io", PASSWORD).await, app.session("member@x.io", PASSWORD).await];
    let admin = app.signed_in("admin@x.io", &["admin"]).await;
    let dev = app.developer().await;

    // A plain user may not; an admin may, over a user with fewer permissions.
    let target = json!({ "id": user_id });
    assert_code(&app.gql_as(Some(&member[0].access), REVOKE_USER, target.clone()).await, "FORBIDDEN");
    assert!(me_works(&app, &member[0].access).await);
    assert_eq!(data(&app.gql_as(Some(&admin.access), REVOKE_USER, target.clone()).await)["revokeUserSessions"], 2);
    for s in &member {
        assert!(!me_works(&app, &s.access).await);
    }

    // Never over a more privileged user: not all of them, not one of them.
    let on_dev = json!({ "id": dev.user_id });
    assert_code(&app.gql_as(Some(&admin.access), REVOKE_USER, on_dev).await, "FORBIDDEN");
    let dev_session = sessions_of(&app, &dev.access).await[0]["id"].clone();
    assert_code(&app.gql_as(Some(&admin.access), REVOKE, json!({ "id": dev_session })).await, "FORBIDDEN");
    assert!(me_works(&app, &dev.access).await);

    // The developer may end an admin's session.
    let admin_session = sessions_of(&app, &admin.access).await[0]["id"].clone();
    assert_eq!(
        data(&app.gql_as(Some(&dev.access), REVOKE, json!({ "id": admin_session })).await)["revokeSession"],
        true
    );
    assert!(!me_works(&app, &admin.access).await);

    let nobody = json!({ "id": uuid::Uuid::now_v7().to_string() });
    assert_code(&app.gql_as(Some(&dev.access), REVOKE_USER, nobody).await, "NOT_FOUND");
    assert_code(&app.gql_as(Some(&dev.access), REVOKE_USER, json!({ "id": "x" })).await, "BAD_USER_INPUT");
    app.stop().await;
}

/// Refreshes sent at the moment an administrator ends every session of their user: a
/// rotation that won the race gave out tokens of a session that is now ended, so once the
/// revocation answered, none of them works.
async fn a_refresh_racing_a_revocation_never_outlives_it(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let user_id = app.create_user("racer@x.io", &["user"]).await;
    let dev = app.developer().await;
    let mut sessions = Vec::new();
    for _ in 0..6 {
        sessions.push(app.session("racer@x.io", PASSWORD).await);
    }
    let responses = app
        .all_at_once(sessions.len() + 1, |i| match sessions.get(i) {
            Some(s) => (None, REFRESH.to_owned(), json!({ "t": s.refresh })),
            None => (Some(dev.access.clone()), REVOKE_USER.to_owned(), json!({ "id": user_id })),
        })
        .await;
    let ended = data(responses.last().unwrap())["revokeUserSessions"].as_i64().unwrap();
    let rotated: Vec<&Value> = responses[..sessions.len()].iter().filter(|r| works(r)).collect();
    assert_eq!(ended, 6, "every session ended, refreshed or not");
    for r in rotated {
        let t = &r["data"]["refreshToken"];
        assert!(!me_works(&app, t["accessToken"].as_str().unwrap()).await, "an access token outlived its session");
        assert_code(&app.gql(REFRESH, json!({ "t": t["refreshToken"] })).await, "UNAUTHENTICATED");
    }
    for s in &sessions {
        assert!(!me_works(&app, &s.access).await);
    }
    app.stop().await;
}

/// An administrator sets a new password while sign-ins with the old one are being checked
/// (released together, each on its own connection; five rounds of four, below the lockout):
/// whatever order they land in, no session opened with the old password is alive
/// afterwards, and the new password is the one kept.
async fn sign_ins_racing_a_new_password_never_outlive_it(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    let id = app.create_user("target@x.io", &["user"]).await;
    let set = "mutation($id: ID!, $p: String!) { setUserPassword(id: $id, password: $p) { id } }";
    let mut old = PASSWORD.to_owned();
    for round in 0..5 {
        let new = format!("the passphrase of round {round}");
        let responses = app
            .all_at_once(5, |i| match i {
                0 => (Some(dev.access.clone()), set.into(), json!({ "id": id, "p": new })),
                _ => (None, LOGIN.into(), json!({ "u": "target@x.io", "p": old })),
            })
            .await;
        data(&responses[0]);
        for signed_in in responses[1..].iter().filter(|r| r["errors"].is_null()) {
            let token = signed_in["data"]["login"]["accessToken"].as_str().unwrap();
            assert_code(&app.gql_as(Some(token), "{ me { id } }", json!({})).await, "UNAUTHENTICATED");
        }
        assert_code(&app.login("target@x.io", &old).await, "UNAUTHENTICATED");
        old = new;
    }
    data(&app.login("target@x.io", &old).await);
    app.stop().await;
}

/// An administrator deactivates an account while sign-ins to it are being checked (released
/// together, five rounds): none of them leaves a session behind that would come back to
/// life when the account is activated again.
async fn sign_ins_racing_a_deactivation_are_not_revived_with_the_account(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    let id = app.create_user("target@x.io", &["user"]).await;
    let active = "mutation($id: ID!, $a: Boolean!) { updateUser(id: $id, input: { isActive: $a }) { id } }";
    for _ in 0..5 {
        let responses = app
            .all_at_once(5, |i| match i {
                0 => (Some(dev.access.clone()), active.into(), json!({ "id": id, "a": false })),
                _ => (None, LOGIN.into(), json!({ "u": "target@x.io", "p": PASSWORD })),
            })
            .await;
        data(&responses[0]);
        data(&app.gql_as(Some(&dev.access), active, json!({ "id": id, "a": true })).await);
        for signed_in in responses[1..].iter().filter(|r| r["errors"].is_null()) {
            let token = signed_in["data"]["login"]["accessToken"].as_str().unwrap();
            assert_code(&app.gql_as(Some(token), "{ me { id } }", json!({})).await, "UNAUTHENTICATED");
        }
    }
    data(&app.login("target@x.io", PASSWORD).await);
    app.stop().await;
}
