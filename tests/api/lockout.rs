//! The sign-in lockout as attackers meet it: many guesses released at the same moment,
//! each on its own connection, on every backend; unknown identifiers throttled like
//! accounts; a password set by an administrator lifting the lock; per-address limits
//! that group IPv6 clients by /64 and believe forwarded addresses only from trusted proxies.

use std::collections::BTreeMap;

use gerbang::db::entities::login_throttle;
use sea_orm::EntityTrait;
use serde_json::{Value, json};

use crate::helpers::assert::{assert_code, data};
use crate::helpers::fixtures::{LOGIN, PASSWORD};
use crate::helpers::{TestApp, TestDb};

backend_tests!(
    fifty_wrong_passwords_at_once_get_threshold_checks,
    the_right_password_among_many_wrong_ones_gets_no_extra_guesses,
    wrong_current_passwords_and_wrong_sign_ins_at_once_share_one_threshold,
    simultaneous_failures_are_all_counted_without_errors,
    unknown_identifiers_lock_exactly_like_accounts,
    a_password_set_by_an_administrator_lifts_the_lock,
);

/// How the responses were answered: code (or "DATA") → count.
fn outcomes(responses: &[Value]) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for r in responses {
        let code = r["errors"][0]["extensions"]["code"].as_str().unwrap_or("DATA").to_owned();
        *out.entry(code).or_insert(0) += 1;
    }
    out
}

async fn failures_counted(app: &TestApp) -> i32 {
    login_throttle::Entity::find().all(&app.state.db.conn).await.unwrap().iter().map(|r| r.failures).max().unwrap_or(0)
}

async fn fifty_wrong_passwords_at_once_get_threshold_checks(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.create_user("target@x.io", &["user"]).await;
    let responses = app
        .all_at_once(50, |i| (None, LOGIN.into(), json!({ "u": "target@x.io", "p": format!("wrong guess {i}") })))
        .await;
    let got = outcomes(&responses);
    assert_eq!(got.get("UNAUTHENTICATED"), Some(&5), "exactly the threshold is checked: {got:?}");
    assert_eq!(got.get("TOO_MANY_REQUESTS"), Some(&45), "the rest are refused unchecked: {got:?}");
    assert_eq!(failures_counted(&app).await, 5);
    assert_code(&app.login("target@x.io", PASSWORD).await, "TOO_MANY_REQUESTS");
    app.stop().await;
}

async fn the_right_password_among_many_wrong_ones_gets_no_extra_guesses(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.create_user("target@x.io", &["user"]).await;
    let responses = app
        .all_at_once(40, |i| {
            let p = if i == 20 { PASSWORD.to_owned() } else { format!("wrong guess {i}") };
            (None, LOGIN.into(), json!({ "u": "target@x.io", "p": p }))
        })
        .await;
    let got = outcomes(&responses);
    let wrong_checked = *got.get("UNAUTHENTICATED").unwrap_or(&0);
    // At most the threshold is in flight; a success forgets the failures before it (as a
    // sign-in always does), which lets at most the threshold of guesses through again.
    assert!(wrong_checked <= 2 * 5, "not all 39 wrong passwords are checked: {got:?}");
    assert!(got.get("DATA").unwrap_or(&0) <= &1, "{got:?}");
    assert_eq!(
        wrong_checked + got.get("DATA").unwrap_or(&0) + got.get("TOO_MANY_REQUESTS").unwrap_or(&0),
        40,
        "{got:?}"
    );
    app.stop().await;
}

async fn wrong_current_passwords_and_wrong_sign_ins_at_once_share_one_threshold(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.create_user("target@x.io", &["user"]).await;
    // A stolen access token guessing the password through `changePassword` while someone
    // else guesses it at `login`: the same account, the same five guesses.
    let stolen = app.session("target@x.io", PASSWORD).await.access;
    let change =
        "mutation($c: String!) { changePassword(currentPassword: $c, newPassword: \"a brand new passphrase\") }";
    let responses = app
        .all_at_once(50, |i| match i % 2 {
            0 => (Some(stolen.clone()), change.into(), json!({ "c": format!("wrong guess {i}") })),
            _ => (None, LOGIN.into(), json!({ "u": "target@x.io", "p": format!("wrong guess {i}") })),
        })
        .await;
    let got = outcomes(&responses);
    let checked = got.get("BAD_USER_INPUT").unwrap_or(&0) + got.get("UNAUTHENTICATED").unwrap_or(&0);
    assert_eq!(checked, 5, "exactly the threshold is checked, whichever way it came: {got:?}");
    assert_eq!(got.get("TOO_MANY_REQUESTS"), Some(&45), "the rest are refused unchecked: {got:?}");
    assert_eq!(failures_counted(&app).await, 5);
    assert_code(&app.login("target@x.io", PASSWORD).await, "TOO_MANY_REQUESTS");
    let right = app.gql_as(Some(&stolen), change, json!({ "c": PASSWORD })).await;
    assert_code(&right, "TOO_MANY_REQUESTS");
    app.stop().await;
}

async fn simultaneous_failures_are_all_counted_without_errors(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.create_user("target@x.io", &["user"]).await;
    // The counter's row is created by the first of them: the others must not trip over it.
    let responses =
        app.all_at_once(4, |i| (None, LOGIN.into(), json!({ "u": "target@x.io", "p": format!("wrong {i}") }))).await;
    assert_eq!(outcomes(&responses).get("UNAUTHENTICATED"), Some(&4), "{responses:?}");
    assert_eq!(failures_counted(&app).await, 4, "every failure counted");
    app.stop().await;
}

async fn unknown_identifiers_lock_exactly_like_accounts(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.create_user("known@x.io", &["user"]).await;
    for who in ["known@x.io", "nobody@x.io"] {
        for i in 0..5 {
            assert_code(&app.login(who, &format!("wrong {i}")).await, "UNAUTHENTICATED");
        }
        let locked = app.login(who, "wrong again").await;
        assert_code(&locked, "TOO_MANY_REQUESTS");
        assert_eq!(locked["errors"][0]["extensions"]["retryAfter"], 30, "{who}: the same lock for both");
    }
    // Case and spaces do not make a new identifier.
    assert_code(&app.login("  NOBODY@X.io ", "wrong").await, "TOO_MANY_REQUESTS");
    // The table says nothing about who tried.
    let rows = login_throttle::Entity::find().all(&app.state.db.conn).await.unwrap();
    assert!(rows.iter().all(|r| r.key.len() == 64 && !r.key.contains("nobody")), "{rows:?}");
    app.stop().await;
}

async fn a_password_set_by_an_administrator_lifts_the_lock(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    let id = app.create_user("locked@x.io", &["user"]).await;
    for i in 0..5 {
        assert_code(&app.login("locked@x.io", &format!("wrong {i}")).await, "UNAUTHENTICATED");
    }
    assert_code(&app.login("locked@x.io", PASSWORD).await, "TOO_MANY_REQUESTS");
    let set = "mutation($id: ID!) { setUserPassword(id: $id, password: \"a brand new passphrase\") { id } }";
    data(&app.gql_as(Some(&dev.access), set, json!({ "id": id })).await);
    data(&app.login("locked@x.io", "a brand new passphrase").await);
    app.stop().await;
}

/// A login from `peer` as a proxy would forward it.
async fn login_via(app: &TestApp, forwarded_for: Option<&str>) -> Value {
    let mut req = app
        .http
        .post(app.url("/graphql"))
        .json(&json!({ "query": LOGIN, "variables": { "u": "nobody@x.io", "p": "whatever it is" } }));
    if let Some(xff) = forwarded_for {
        req = req.header("X-Forwarded-For", xff);
    }
    req.send().await.unwrap().json().await.unwrap()
}

#[tokio::test]
async fn per_address_limits_group_ipv6_by_64_and_believe_only_trusted_proxies() {
    let db = TestDb::create(crate::helpers::Backend::Sqlite).await.unwrap();
    let direct = TestApp::spawn_with(&db, |c| {
        c.auth_rate_per_ip = 3;
        c.lockout_threshold = 1000;
    })
    .await;
    // Not a trusted proxy: whatever it writes in X-Forwarded-For, it is one client.
    for i in 0..3 {
        assert_code(&login_via(&direct, Some(&format!("203.0.113.{i}"))).await, "UNAUTHENTICATED");
    }
    assert_code(&login_via(&direct, Some("203.0.113.99")).await, "TOO_MANY_REQUESTS");
    direct.stop().await;

    let proxied = TestApp::spawn_with(&db, |c| {
        c.auth_rate_per_ip = 3;
        c.lockout_threshold = 1000;
        c.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    })
    .await;
    for suffix in ["1", "2", "ffff:0:0:1"] {
        let resp = login_via(&proxied, Some(&format!("2001:db8:1:2::{suffix}"))).await;
        assert_code(&resp, "UNAUTHENTICATED");
    }
    let same_64 = login_via(&proxied, Some("2001:db8:1:2:aaaa::9")).await;
    assert_code(&same_64, "TOO_MANY_REQUESTS");
    assert_code(&login_via(&proxied, Some("2001:db8:1:3::1")).await, "UNAUTHENTICATED");
    // Trusted hops are skipped: the client is the first untrusted address from the right.
    assert_code(&login_via(&proxied, Some("2001:db8:1:2::5, 127.0.0.1")).await, "TOO_MANY_REQUESTS");
    assert_code(&login_via(&proxied, Some("198.51.100.1, 127.0.0.1")).await, "UNAUTHENTICATED");
    proxied.stop().await;
}

#[tokio::test]
async fn idle_counters_are_forgotten_after_a_day() {
    let db = TestDb::create(crate::helpers::Backend::Sqlite).await.unwrap();
    let app = TestApp::spawn(&db).await;
    assert_code(&app.login("nobody@x.io", "wrong").await, "UNAUTHENTICATED");
    let count = || async { login_throttle::Entity::find().all(&app.state.db.conn).await.unwrap().len() };
    assert_eq!(count().await, 1);
    app.clock.advance(std::time::Duration::from_secs(23 * 3600));
    assert_eq!(gerbang::auth::throttle::prune(&app.state.db, app.state.now()).await.unwrap(), 0);
    app.clock.advance(std::time::Duration::from_secs(2 * 3600));
    assert_eq!(gerbang::auth::throttle::prune(&app.state.db, app.state.now()).await.unwrap(), 1);
    assert_eq!(count().await, 0);
    app.stop().await;
}

#[tokio::test]
async fn a_session_records_the_client_a_trusted_proxy_names() {
    use gerbang::db::entities::session;
    let db = TestDb::create(crate::helpers::Backend::Sqlite).await.unwrap();
    for (trusted, expected) in [(vec![], "127.0.0.1"), (vec!["127.0.0.0/8".parse().unwrap()], "203.0.113.9")] {
        let app = TestApp::spawn_with(&db, |c| c.trusted_proxies = trusted.clone()).await;
        let resp: Value = app
            .http
            .post(app.url("/graphql"))
            .header("X-Forwarded-For", "203.0.113.9")
            .header("User-Agent", "lockout-test/1.0")
            .json(&json!({ "query": LOGIN, "variables": { "u": crate::helpers::fixtures::DEV_EMAIL, "p": crate::helpers::fixtures::DEV_PASSWORD } }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        data(&resp);
        let sessions = session::Entity::find().all(&app.state.db.conn).await.unwrap();
        let latest = sessions.iter().max_by_key(|s| s.created_at).unwrap();
        assert_eq!(latest.ip_address.as_deref(), Some(expected), "trusted: {trusted:?}");
        assert_eq!(latest.user_agent.as_deref(), Some("lockout-test/1.0"));
        app.stop().await;
    }
}
