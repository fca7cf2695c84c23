//! The audit log (shared/API.md, "Audit log"): every action recorded with the change it
//! describes, by whom and from where, readable with AUDIT_READ, newest first, filtered; no
//! secret ever in it; events outlive their users; old events are pruned.

use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::assert::{assert_code, bad_fields, data};
use crate::helpers::fixtures::{DEV_EMAIL, DEV_PASSWORD, PASSWORD};
use crate::helpers::{TestApp, TestDb};

backend_tests!(
    every_change_is_recorded_with_its_actor_subject_and_client,
    failed_sign_ins_are_recorded_and_unknown_identifiers_are_not,
    a_refused_change_leaves_no_event,
    the_log_is_read_with_audit_read_newest_first_a_page_at_a_time,
    filters_narrow_the_log_and_bad_ones_are_refused,
    events_outlive_their_users_and_expire_after_the_retention,
    pruning_goes_a_batch_at_a_time_and_keeps_what_is_recent,
);

const EVENTS: &str = "query($f: AuditFilter, $first: Int, $after: String, $last: Int, $before: String) {
  auditEvents(filter: $f, first: $first, after: $after, last: $last, before: $before) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id at action actorId subjectUserId subjectRoleId ipAddress userAgent details actor { id } } }
  }
}";

/// The log as `token`'s holder reads it (newest first, up to 100 events).
async fn events(app: &TestApp, token: &str, filter: Value) -> Vec<Value> {
    let resp = app.gql_as(Some(token), EVENTS, json!({ "f": filter, "first": 100 })).await;
    data(&resp)["auditEvents"]["edges"].as_array().unwrap().iter().map(|e| e["node"].clone()).collect()
}

async fn of_action(app: &TestApp, token: &str, action: &str) -> Vec<Value> {
    events(app, token, json!({ "actions": [action] })).await
}

/// POSTs as a browser would, with a `User-Agent`.
async fn from_browser(app: &TestApp, token: Option<&str>, query: &str, variables: Value) -> Value {
    let mut req = app
        .http
        .post(app.url("/graphql"))
        .header("user-agent", "AuditTest/1.0")
        .json(&json!({ "query": query, "variables": variables }));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().await.unwrap().json().await.unwrap()
}

async fn every_change_is_recorded_with_its_actor_subject_and_client(db: TestDb) {
    let app = TestApp::spawn_with(&db, |c| c.allow_registration = true).await;
    let dev = app.developer().await;
    let register = "mutation($i: RegisterInput!) { register(input: $i) { accessToken user { id } } }";
    let reg = from_browser(&app, None, register, json!({ "i": { "email": "new@x.io", "password": PASSWORD } })).await;
    let new_id = data(&reg)["register"]["user"]["id"].clone();

    let e = &of_action(&app, &dev.access, "USER_REGISTERED").await[0];
    assert_eq!((&e["subjectUserId"], &e["actorId"]), (&new_id, &new_id), "the new user registered itself");
    assert_eq!((e["ipAddress"].as_str(), e["userAgent"].as_str()), (Some("127.0.0.1"), Some("AuditTest/1.0")));
    assert_eq!(e["details"]["roles"], json!(["user"]));
    assert!(e["details"]["fields"].as_array().unwrap().contains(&json!("password")), "names, not values");

    let login =
        from_browser(&app, None, crate::helpers::fixtures::LOGIN, json!({ "u": "NEW@x.io", "p": PASSWORD })).await;
    data(&login);
    let e = &of_action(&app, &dev.access, "LOGIN_SUCCEEDED").await[0];
    assert_eq!((&e["subjectUserId"], &e["actorId"], &e["userAgent"]), (&new_id, &new_id, &json!("AuditTest/1.0")));

    // Profile, roles, activity: the names of the changed fields and of the roles.
    let update = "mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { id } }";
    let admin_role = app.role_id("admin").await;
    let i = json!({ "phoneNumber": "+62 812 3456 7890", "address": "Jl. Rahasia 1", "roleIds": [admin_role] });
    data(&from_browser(&app, Some(&dev.access), update, json!({ "id": new_id, "i": i })).await);
    let e = &of_action(&app, &dev.access, "USER_UPDATED").await[0];
    assert_eq!(e["actorId"], json!(dev.user_id));
    assert_eq!(e["actor"]["id"], json!(dev.user_id));
    assert_eq!(e["subjectUserId"], new_id);
    assert_eq!(e["details"]["fields"], json!(["phoneNumber", "address", "roleIds"]));
    assert_eq!((&e["details"]["rolesAdded"], &e["details"]["rolesRemoved"]), (&json!(["admin"]), &json!(["user"])));
    let text = e.to_string();
    assert!(!text.contains("3456") && !text.contains("Rahasia"), "private values stay out: {text}");

    // Passwords: set by someone else, changed by the user; neither is ever written down.
    let set = "mutation($id: ID!, $p: String!) { setUserPassword(id: $id, password: $p) { id } }";
    data(&app.gql_as(Some(&dev.access), set, json!({ "id": new_id, "p": "an admin chose this one" })).await);
    assert_eq!(of_action(&app, &dev.access, "PASSWORD_SET").await[0]["details"]["sessionsEnded"], 2);
    let s = app.session("new@x.io", "an admin chose this one").await;
    let change =
        "mutation { changePassword(currentPassword: \"an admin chose this one\", newPassword: \"and now my own\") }";
    data(&app.gql_as(Some(&s.access), change, json!({})).await);
    let e = &of_action(&app, &dev.access, "PASSWORD_CHANGED").await[0];
    assert_eq!((&e["actorId"], &e["subjectUserId"]), (&new_id, &new_id));

    // Roles.
    let create = "mutation($i: CreateRoleInput!) { createRole(input: $i) { id } }";
    let role = data(
        &app.gql_as(Some(&dev.access), create, json!({ "i": { "name": "auditors", "permissions": ["USER_READ"] } }))
            .await,
    )["createRole"]["id"]
        .clone();
    let e = &of_action(&app, &dev.access, "ROLE_CREATED").await[0];
    assert_eq!(
        (&e["subjectRoleId"], &e["details"]),
        (&role, &json!({ "name": "auditors", "permissions": ["USER_READ"], "appPermissions": [] }))
    );
    let edit = "mutation($id: ID!) { updateRole(id: $id, input: { permissions: [AUDIT_READ], description: \"they read\" }) { id } }";
    data(&app.gql_as(Some(&dev.access), edit, json!({ "id": role })).await);
    let e = &of_action(&app, &dev.access, "ROLE_UPDATED").await[0];
    assert_eq!(e["details"]["permissionsAdded"], json!(["AUDIT_READ"]));
    assert_eq!(e["details"]["permissionsRemoved"], json!(["USER_READ"]));
    assert_eq!(e["details"]["fields"], json!(["description", "permissions"]));
    data(&app.gql_as(Some(&dev.access), "mutation($id: ID!) { deleteRole(id: $id) }", json!({ "id": role })).await);
    assert_eq!(of_action(&app, &dev.access, "ROLE_DELETED").await[0]["details"]["name"], "auditors");

    // Sessions: a logout, a revocation, a reused refresh token.
    let s2 = app.session("new@x.io", "and now my own").await;
    data(&app.gql_as(Some(&s2.access), "mutation { revokeOtherSessions }", json!({})).await);
    let e = &of_action(&app, &dev.access, "SESSION_REVOKED").await[0];
    assert_eq!((&e["details"]["scope"], &e["details"]["count"]), (&json!("others"), &json!(1)));
    let refresh = "mutation($t: String!) { refreshToken(refreshToken: $t) { refreshToken } }";
    data(&app.gql(refresh, json!({ "t": s2.refresh })).await);
    app.clock.advance(Duration::from_secs(11));
    assert_code(&app.gql(refresh, json!({ "t": s2.refresh })).await, "UNAUTHENTICATED");
    let e = &of_action(&app, &dev.access, "REFRESH_TOKEN_REUSED").await[0];
    assert_eq!((&e["subjectUserId"], &e["actorId"]), (&new_id, &Value::Null), "whoever presented it is unknown");
    let s3 = app.session("new@x.io", "and now my own").await;
    data(&app.gql_as(Some(&s3.access), "mutation { logout }", json!({})).await);
    assert_eq!(of_action(&app, &dev.access, "LOGOUT").await[0]["actorId"], new_id);

    // Creating and deleting users; a key rotation from the command line.
    let created = app.create_user("made@x.io", &["user"]).await;
    let e = &of_action(&app, &dev.access, "USER_CREATED").await[0];
    assert_eq!((&e["subjectUserId"], &e["details"]["roles"]), (&json!(created), &json!(["user"])));
    data(&app.gql_as(Some(&dev.access), "mutation($id: ID!) { deleteUser(id: $id) }", json!({ "id": created })).await);
    assert_eq!(of_action(&app, &dev.access, "USER_DELETED").await[0]["subjectUserId"], json!(created));
    let kid = gerbang::auth::keys::rotate(&app.state.db, app.state.clock.as_ref()).await.unwrap();
    let e = &of_action(&app, &dev.access, "SIGNING_KEY_ROTATED").await[0];
    assert_eq!((&e["details"]["kid"], &e["actorId"]), (&json!(kid), &Value::Null));

    // API keys: made and revoked, and what a key does names it.
    let (key_id, key) =
        crate::api_keys::create_key(&app, &dev.access, json!({ "name": "audited", "permissions": ["USER_WRITE"] }))
            .await;
    let e = &of_action(&app, &dev.access, "API_KEY_CREATED").await[0];
    assert_eq!((&e["details"]["name"], &e["details"]["permissions"]), (&json!("audited"), &json!(["USER_WRITE"])));
    assert_eq!(e["details"]["prefix"].as_str().unwrap().len(), 12, "a recognisable beginning, never the secret");
    let made = app.create_user("by-key@x.io", &["user"]).await;
    data(&app.gql_as(Some(&key), "mutation($id: ID!) { deleteUser(id: $id) }", json!({ "id": made })).await);
    let e = &of_action(&app, &dev.access, "USER_DELETED").await[0];
    assert_eq!((&e["actorId"], &e["details"]["apiKeyId"]), (&json!(dev.user_id), &json!(key_id)));
    data(&app.gql_as(Some(&dev.access), "mutation($id: ID!) { revokeApiKey(id: $id) }", json!({ "id": key_id })).await);
    assert_eq!(of_action(&app, &dev.access, "API_KEY_REVOKED").await[0]["details"]["apiKey"], json!(key_id));

    // And nothing was recorded twice.
    let all = events(&app, &dev.access, json!(null)).await;
    let ids: std::collections::BTreeSet<&str> = all.iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), all.len());
    app.stop().await;
}

async fn failed_sign_ins_are_recorded_and_unknown_identifiers_are_not(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    let typed = "hunter2-typed-into-the-wrong-box";
    assert_code(&app.login(typed, "whatever it was").await, "UNAUTHENTICATED");
    for _ in 0..5 {
        assert_code(&app.login(DEV_EMAIL, "wrong password!").await, "UNAUTHENTICATED");
    }
    let failed = of_action(&app, &dev.access, "LOGIN_FAILED").await;
    assert_eq!(failed.len(), 6);
    let unknown = failed.last().unwrap();
    assert_eq!((&unknown["subjectUserId"], &unknown["actorId"]), (&Value::Null, &Value::Null));
    assert_eq!(unknown["details"], json!({ "reason": "unknownAccount" }));
    assert!(!unknown.to_string().contains("hunter2"), "the identifier is not kept: {unknown}");
    assert!(
        failed[..5]
            .iter()
            .all(|e| e["subjectUserId"] == json!(dev.user_id) && e["details"]["reason"] == "wrongPassword")
    );
    let locked = of_action(&app, &dev.access, "ACCOUNT_LOCKED").await;
    assert_eq!(locked.len(), 1, "the fifth failure locked the account");
    assert_eq!(locked[0]["subjectUserId"], json!(dev.user_id));
    assert!(locked[0]["details"]["lockedUntil"].is_string());
    app.stop().await;
}

async fn a_refused_change_leaves_no_event(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    let before = events(&app, &dev.access, json!(null)).await.len();
    // Refused inside its transaction, after the write: the last ROLE_WRITE holder stays.
    let delete = "mutation($id: ID!) { deleteUser(id: $id) }";
    assert_code(&app.gql_as(Some(&dev.access), delete, json!({ "id": dev.user_id })).await, "CONFLICT");
    // Refused by the database: a taken email.
    let id = app.create_user("one@x.io", &["user"]).await;
    app.create_user("two@x.io", &["user"]).await;
    let update = "mutation($id: ID!) { updateUser(id: $id, input: { email: \"two@x.io\" }) { id } }";
    assert_code(&app.gql_as(Some(&dev.access), update, json!({ "id": id })).await, "CONFLICT");
    let after = events(&app, &dev.access, json!(null)).await;
    let actions: Vec<&str> = after.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert!(!actions.contains(&"USER_DELETED") && !actions.contains(&"USER_UPDATED"), "{actions:?}");
    // Only the two creations (and the developer's sign-ins) were added.
    assert_eq!(actions.iter().filter(|a| **a == "USER_CREATED").count(), 3, "two here, the developer at start-up");
    assert!(after.len() > before);
    app.stop().await;
}

async fn the_log_is_read_with_audit_read_newest_first_a_page_at_a_time(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let admin = app.signed_in("admin@x.io", &["admin"]).await;
    let user = app.signed_in("user@x.io", &["user"]).await;
    assert_code(&app.gql_as(Some(&admin.access), EVENTS, json!({})).await, "FORBIDDEN");
    assert_code(&app.gql_as(Some(&user.access), EVENTS, json!({})).await, "FORBIDDEN");
    assert_code(&app.gql(EVENTS, json!({})).await, "UNAUTHENTICATED");

    for i in 0..7 {
        app.clock.advance(Duration::from_secs(1));
        app.create_user(&format!("u{i}@x.io"), &["user"]).await;
    }
    let dev = app.developer().await;
    let all = events(&app, &dev.access, json!(null)).await;
    let times: Vec<&str> = all.iter().map(|e| e["at"].as_str().unwrap()).collect();
    let mut sorted = times.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(times, sorted, "newest first");

    // Forward in pages of 3, then back again: the same events, no gaps, no repeats.
    let mut seen = Vec::new();
    let mut after = Value::Null;
    loop {
        let resp = app.gql_as(Some(&dev.access), EVENTS, json!({ "first": 3, "after": after })).await;
        let conn = &data(&resp)["auditEvents"];
        assert_eq!(conn["totalCount"], all.len());
        seen.extend(conn["edges"].as_array().unwrap().iter().map(|e| e["node"]["id"].clone()));
        if conn["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = conn["pageInfo"]["endCursor"].clone();
    }
    let ids: Vec<Value> = all.iter().map(|e| e["id"].clone()).collect();
    assert_eq!(seen, ids);
    let resp = app.gql_as(Some(&dev.access), EVENTS, json!({ "first": 100 })).await;
    let cursors: Vec<Value> =
        data(&resp)["auditEvents"]["edges"].as_array().unwrap().iter().map(|e| e["cursor"].clone()).collect();
    let resp = app.gql_as(Some(&dev.access), EVENTS, json!({ "last": 2, "before": cursors[5] })).await;
    let back = &data(&resp)["auditEvents"];
    let back_ids: Vec<Value> = back["edges"].as_array().unwrap().iter().map(|e| e["node"]["id"].clone()).collect();
    assert_eq!(back_ids, ids[3..5].to_vec(), "the two just newer than the sixth");
    assert_eq!((&back["pageInfo"]["hasPreviousPage"], &back["pageInfo"]["hasNextPage"]), (&json!(true), &json!(true)));
    let bad = app.gql_as(Some(&dev.access), EVENTS, json!({ "first": 2, "after": "not-a-cursor" })).await;
    assert_eq!(bad_fields(&bad), ["after"]);
    app.stop().await;
}

async fn filters_narrow_the_log_and_bad_ones_are_refused(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    let start = app.state.now();
    app.clock.advance(Duration::from_secs(60));
    let target = app.create_user("target@x.io", &["user"]).await;
    app.session("target@x.io", PASSWORD).await;
    app.clock.advance(Duration::from_secs(60));
    let middle = app.state.now();
    app.clock.advance(Duration::from_secs(60));
    let set = "mutation($id: ID!) { setUserPassword(id: $id, password: \"yet another passphrase\") { id } }";
    data(&app.gql_as(Some(&dev.access), set, json!({ "id": target })).await);

    let actions = |evs: &[Value]| evs.iter().map(|e| e["action"].as_str().unwrap().to_owned()).collect::<Vec<_>>();
    assert_eq!(
        actions(&events(&app, &dev.access, json!({ "subjectUserId": target })).await),
        ["PASSWORD_SET", "LOGIN_SUCCEEDED", "USER_CREATED"]
    );
    assert_eq!(
        actions(&events(&app, &dev.access, json!({ "subjectUserId": target, "actorId": dev.user_id })).await),
        ["PASSWORD_SET", "USER_CREATED"]
    );
    assert_eq!(
        actions(&events(&app, &dev.access, json!({ "subjectUserId": target, "since": middle })).await),
        ["PASSWORD_SET"]
    );
    assert_eq!(
        actions(&events(&app, &dev.access, json!({ "subjectUserId": target, "since": start, "until": middle })).await),
        ["LOGIN_SUCCEEDED", "USER_CREATED"]
    );
    let both = json!({ "actions": ["USER_CREATED", "PASSWORD_SET", "USER_CREATED"], "subjectUserId": target });
    assert_eq!(actions(&events(&app, &dev.access, both).await), ["PASSWORD_SET", "USER_CREATED"]);

    let refused = json!({ "f": { "actorId": "x", "subjectUserId": "y", "since": middle, "until": start } });
    let resp = app.gql_as(Some(&dev.access), EVENTS, refused).await;
    assert_eq!(bad_fields(&resp), ["actorId", "subjectUserId", "until"]);
    let many = json!({ "f": { "actions": vec!["LOGOUT"; 51] } });
    assert_eq!(bad_fields(&app.gql_as(Some(&dev.access), EVENTS, many).await), ["actions"]);
    app.stop().await;
}

async fn events_outlive_their_users_and_expire_after_the_retention(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    let admin_id = app.create_user("gone@x.io", &["admin"]).await;
    let admin = app.session("gone@x.io", PASSWORD).await;
    let victim = app.create_user("victim@x.io", &["user"]).await;
    let rename = "mutation($id: ID!) { updateUser(id: $id, input: { displayName: \"Renamed\" }) { id } }";
    data(&app.gql_as(Some(&admin.access), rename, json!({ "id": victim })).await);
    data(&app.gql_as(Some(&dev.access), "mutation($id: ID!) { deleteUser(id: $id) }", json!({ "id": admin_id })).await);
    let e = &of_action(&app, &dev.access, "USER_UPDATED").await[0];
    assert_eq!((&e["actorId"], &e["actor"]), (&json!(admin_id), &Value::Null), "kept by id, the user is gone");

    // Past the retention, the old events go; what happened since stays.
    let before = events(&app, &dev.access, json!(null)).await.len();
    app.clock.advance(Duration::from_secs(181 * 24 * 3600));
    let fresh = app.session(DEV_EMAIL, DEV_PASSWORD).await;
    let pruned = gerbang::audit::service::prune_expired(&app.state).await.unwrap();
    assert_eq!(pruned as usize, before, "every event but the sign-in just now");
    let resp = app.gql_as(Some(&fresh.access), EVENTS, json!({})).await;
    let left: Vec<&str> = data(&resp)["auditEvents"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["action"].as_str().unwrap())
        .collect();
    assert_eq!(left, ["LOGIN_SUCCEEDED"]);
    app.stop().await;
}

async fn pruning_goes_a_batch_at_a_time_and_keeps_what_is_recent(db: TestDb) {
    use gerbang::db::entities::audit_event;
    use sea_orm::{EntityTrait, PaginatorTrait, Set};
    // A retention longer than the test's events are old: the background pruning leaves them.
    let app = TestApp::spawn_with(&db, |c| c.audit_retention = Duration::from_secs(1000 * 24 * 3600)).await;
    let now = app.state.now();
    let old = now - chrono::Duration::days(200);
    let rows = (0..1234).map(|i| audit_event::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        at: Set(old + chrono::Duration::seconds(i % 7)),
        action: Set("LOGOUT".into()),
        actor_id: Set(None),
        subject_user_id: Set(None),
        subject_role_id: Set(None),
        ip_address: Set(None),
        user_agent: Set(None),
        details: Set(json!({})),
    });
    for chunk in rows.collect::<Vec<_>>().chunks(200) {
        audit_event::Entity::insert_many(chunk.to_vec()).exec_without_returning(&app.state.db.conn).await.unwrap();
    }
    let recent = audit_event::Entity::find().count(&app.state.db.conn).await.unwrap() - 1234;
    assert!(recent > 0, "the first account's creation at least");
    let pruned = gerbang::audit::service::prune(&app.state.db, now - chrono::Duration::days(180)).await.unwrap();
    assert_eq!(pruned, 1234, "two batches and a bit, all of them");
    assert_eq!(audit_event::Entity::find().count(&app.state.db.conn).await.unwrap(), recent);
    app.stop().await;
}
