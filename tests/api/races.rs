//! Rules that span rows hold for requests released at the same moment, each on its own
//! connection, on PostgreSQL and MariaDB as well as SQLite (where one writer at a time
//! would hide a race): the last active ROLE_WRITE holder stays, and nobody acts on a user
//! who became more privileged than itself a moment ago.

use serde_json::json;

use crate::helpers::TestApp;
use crate::helpers::TestDb;
use crate::helpers::assert::data;
use crate::helpers::fixtures::PASSWORD;

backend_tests!(two_role_writers_deactivating_each_other_leave_one, a_user_granted_more_power_meanwhile_is_out_of_reach,);

const DEACTIVATE: &str = "mutation($id: ID!) { updateUser(id: $id, input: { isActive: false }) { id } }";
const ACTIVATE: &str = "mutation($id: ID!) { updateUser(id: $id, input: { isActive: true }) { id } }";

fn code(resp: &serde_json::Value) -> &str {
    resp["errors"][0]["extensions"]["code"].as_str().unwrap_or("DATA")
}

async fn two_role_writers_deactivating_each_other_leave_one(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let a_id = app.create_user("writer-a@x.io", &["developer"]).await;
    let b_id = app.create_user("writer-b@x.io", &["developer"]).await;
    // Leave the two of them as the only active ROLE_WRITE holders.
    let dev_id = app.developer().await.user_id;
    let a = app.session("writer-a@x.io", PASSWORD).await;
    data(&app.gql_as(Some(&a.access), DEACTIVATE, json!({ "id": dev_id })).await);
    for round in 0..8 {
        let a = app.session("writer-a@x.io", PASSWORD).await;
        let b = app.session("writer-b@x.io", PASSWORD).await;
        let (a_tok, b_tok, a_id2, b_id2) = (a.access.clone(), b.access.clone(), a_id.clone(), b_id.clone());
        let responses = app
            .all_at_once(2, move |i| {
                if i == 0 {
                    (Some(a_tok.clone()), DEACTIVATE.into(), json!({ "id": b_id2 }))
                } else {
                    (Some(b_tok.clone()), DEACTIVATE.into(), json!({ "id": a_id2 }))
                }
            })
            .await;
        let codes: Vec<&str> = responses.iter().map(code).collect();
        let succeeded = codes.iter().filter(|c| **c == "DATA").count();
        assert_eq!(succeeded, 1, "round {round}: exactly one deactivation wins: {codes:?}");
        // The loser is refused as the last writer, or, when the winner's deactivation landed
        // before the loser's request was even checked, as a user whose sessions just ended.
        assert!(
            codes.contains(&"CONFLICT") || codes.contains(&"UNAUTHENTICATED"),
            "round {round}: the other is refused: {codes:?}"
        );
        // The survivor brings the other back for the next round.
        let (survivor, other) = if codes[0] == "DATA" { ("writer-a@x.io", &b_id) } else { ("writer-b@x.io", &a_id) };
        let s = app.session(survivor, PASSWORD).await;
        data(&app.gql_as(Some(&s.access), ACTIVATE, json!({ "id": other })).await);
    }
    app.stop().await;
}

async fn a_user_granted_more_power_meanwhile_is_out_of_reach(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    let developer_role = app.role_id("developer").await;
    let user_role = app.role_id("user").await;
    app.create_user("admin@x.io", &["admin"]).await;
    let admin = app.session("admin@x.io", PASSWORD).await;
    let grant = "mutation($id: ID!, $roles: [ID!]) { updateUser(id: $id, input: { roleIds: $roles }) { id } }";
    let delete = "mutation($id: ID!) { deleteUser(id: $id) }";
    for round in 0..8 {
        let target = app.create_user(&format!("target{round}@x.io"), &["user"]).await;
        let (dev_tok, admin_tok, roles) =
            (dev.access.clone(), admin.access.clone(), json!([developer_role.clone(), user_role.clone()]));
        let responses = app
            .all_at_once(2, move |i| {
                if i == 0 {
                    (Some(dev_tok.clone()), grant.into(), json!({ "id": target, "roles": roles }))
                } else {
                    (Some(admin_tok.clone()), delete.into(), json!({ "id": target }))
                }
            })
            .await;
        let (granted, deleted) = (code(&responses[0]), code(&responses[1]));
        // Either the deletion came first (the grant finds nobody), or the grant did (and the
        // admin may no longer touch a developer); never both.
        assert!(
            (deleted == "DATA" && granted == "NOT_FOUND") || (granted == "DATA" && deleted == "FORBIDDEN"),
            "round {round}: grant {granted}, delete {deleted}"
        );
    }
    app.stop().await;
}

/// Another writer's transaction, held open by the test: what a concurrent request would be
/// doing at the worst moment.
async fn hold(db: &TestDb) -> (gerbang::db::Db, gerbang::db::WriteTxn) {
    let other = gerbang::db::connect(&db.url, 1, std::time::Duration::from_secs(10)).await.unwrap();
    let txn = other.begin_write().await.unwrap();
    (other, txn)
}

/// Sends a request in the background; says whether it is still waiting after a moment.
async fn still_waiting(
    app: &TestApp,
    token: &str,
    query: &'static str,
    vars: serde_json::Value,
) -> tokio::task::JoinHandle<serde_json::Value> {
    let (client, url, token) = (app.http.clone(), app.url("/graphql"), token.to_owned());
    let task = tokio::spawn(async move {
        let resp = client
            .post(url)
            .bearer_auth(token)
            .json(&json!({ "query": query, "variables": vars }))
            .send()
            .await
            .unwrap();
        resp.json::<serde_json::Value>().await.unwrap()
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(!task.is_finished(), "the request waits for the other writer");
    task
}

backend_tests!(
    a_deactivation_waits_for_a_concurrent_one_and_keeps_the_last_role_writer,
    an_action_on_a_user_waits_for_a_concurrent_grant_and_sees_it,
);

async fn a_deactivation_waits_for_a_concurrent_one_and_keeps_the_last_role_writer(db: TestDb) {
    use sea_orm::ConnectionTrait;
    let app = TestApp::spawn(&db).await;
    let a_id = app.create_user("writer-a@x.io", &["developer"]).await;
    let b_id = app.create_user("writer-b@x.io", &["developer"]).await;
    let dev_id = app.developer().await.user_id;
    let b = app.session("writer-b@x.io", PASSWORD).await;
    data(&app.gql_as(Some(&b.access), DEACTIVATE, json!({ "id": dev_id })).await);

    // A concurrent deactivation of B, by the rules: the role_writers lock first.
    let (_other, txn) = hold(&db).await;
    gerbang::db::lock(&*txn, gerbang::db::Lock::RoleWriters).await.unwrap();
    let b_uuid = uuid::Uuid::parse_str(&b_id).unwrap();
    let sql = match txn.get_database_backend() {
        sea_orm::DbBackend::Postgres => "UPDATE users SET is_active = false WHERE id = $1",
        _ => "UPDATE users SET is_active = false WHERE id = ?",
    };
    txn.execute_raw(sea_orm::Statement::from_sql_and_values(txn.get_database_backend(), sql, [b_uuid.into()]))
        .await
        .unwrap();
    // Meanwhile B, still signed in, deactivates A.
    let request = still_waiting(&app, &b.access, DEACTIVATE, json!({ "id": a_id })).await;
    txn.commit().await.unwrap();
    let resp = request.await.unwrap();
    assert_eq!(code(&resp), "CONFLICT", "A is the last active ROLE_WRITE holder now: {resp}");
    app.stop().await;
}

async fn an_action_on_a_user_waits_for_a_concurrent_grant_and_sees_it(db: TestDb) {
    use sea_orm::{ActiveModelTrait, EntityTrait, QuerySelect, Set};
    let app = TestApp::spawn(&db).await;
    let developer_role = uuid::Uuid::parse_str(&app.role_id("developer").await).unwrap();
    app.create_user("admin@x.io", &["admin"]).await;
    let admin = app.session("admin@x.io", PASSWORD).await;
    // What the admin, who may manage plain users but not developers, does to the target.
    let actions = [
        "mutation($id: ID!) { deleteUser(id: $id) }",
        "mutation($id: ID!) { resetUserMfa(userId: $id) }",
        "mutation($id: ID!) { setUserPassword(id: $id, password: \"another long passphrase\") { id } }",
    ];
    for (i, action) in actions.into_iter().enumerate() {
        let target = app.create_user(&format!("target{i}@x.io"), &["user"]).await;
        let target_uuid = uuid::Uuid::parse_str(&target).unwrap();

        // A concurrent grant of the developer role, by the rules: the user's row first.
        let (_other, txn) = hold(&db).await;
        gerbang::db::entities::user::Entity::find_by_id(target_uuid)
            .lock_exclusive()
            .one(&*txn)
            .await
            .unwrap()
            .unwrap();
        gerbang::db::entities::user_role::ActiveModel {
            user_id: Set(target_uuid),
            role_id: Set(developer_role),
            created_at: Set(app.state.now()),
        }
        .insert(&*txn)
        .await
        .unwrap();
        // Meanwhile the admin acts on the target.
        let request = still_waiting(&app, &admin.access, action, json!({ "id": target })).await;
        txn.commit().await.unwrap();
        let resp = request.await.unwrap();
        assert_eq!(code(&resp), "FORBIDDEN", "{action}: the target is a developer now: {resp}");
    }
    app.stop().await;
}
