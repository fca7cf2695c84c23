//! Users over HTTP: create, read, update (partial, null clears), password, delete, and
//! every error code the user operations answer with.

use serde_json::json;

use crate::helpers::assert::{assert_code, bad_fields, data};
use crate::helpers::fixtures::PASSWORD;
use crate::helpers::{TestApp, TestDb};

backend_tests!(
    creating_a_user_returns_it_with_its_roles,
    every_invalid_field_is_reported_at_once,
    taken_emails_and_usernames_are_conflicts_on_their_field,
    updates_change_only_given_fields_and_null_clears,
    unknown_ids_are_not_found_and_malformed_ids_are_bad_input,
    setting_a_password_replaces_the_old_one,
    deleting_a_user_returns_its_id_and_removes_it,
    me_returns_the_signed_in_user,
);

const CREATE: &str = "mutation($i: CreateUserInput!) { createUser(input: $i) { id email username displayName firstName lastName phoneNumber address avatarUrl isActive attributes roles { name } permissions createdAt updatedAt } }";
const UPDATE: &str = "mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { id email username displayName phoneNumber address isActive attributes createdAt updatedAt roles { name } } }";

async fn creating_a_user_returns_it_with_its_roles(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    let admin_role = app.role_id("admin").await;

    let resp = app
        .gql_as(
            Some(&dev.access),
            CREATE,
            json!({ "i": {
                "email": "Budi.Santoso@Example.co.id", "password": PASSWORD, "username": "Budi",
                "displayName": " Budi Santoso ", "firstName": "Budi", "lastName": "Santoso",
                "phoneNumber": "+62 812-3456-7890", "address": "Jl. Merdeka 1\nJakarta",
                "avatarUrl": "https://cdn.example.com/budi.png", "attributes": { "orgUnitId": 42 },
                "roleIds": [admin_role]
            }}),
        )
        .await;

    let u = &data(&resp)["createUser"];
    assert_eq!(u["email"], "Budi.Santoso@Example.co.id", "stored as given");
    assert_eq!(u["username"], "Budi");
    assert_eq!(u["displayName"], "Budi Santoso", "trimmed");
    assert_eq!(u["attributes"], json!({ "orgUnitId": 42 }));
    assert_eq!(u["isActive"], true, "active by default");
    assert_eq!(u["roles"], json!([{ "name": "admin" }]));
    assert_eq!(u["permissions"], json!(["USER_READ", "USER_WRITE", "ROLE_READ"]));
    assert_eq!(u["createdAt"], u["updatedAt"]);
    let id = u["id"].as_str().unwrap();
    assert_eq!(uuid::Uuid::parse_str(id).unwrap().get_version_num(), 7, "ids are UUIDv7");

    let read = app
        .gql_as(Some(&dev.access), "query($id: ID!) { user(id: $id) { email phoneNumber } }", json!({ "id": id }))
        .await;
    assert_eq!(
        data(&read)["user"],
        json!({ "email": "Budi.Santoso@Example.co.id", "phoneNumber": "+62 812-3456-7890" })
    );

    let budi = app.session("budi.santoso@example.CO.ID", PASSWORD).await;
    assert_eq!(budi.user_id, id, "the new user can sign in with its password");
    app.stop().await;
}

async fn every_invalid_field_is_reported_at_once(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    let resp = app
        .gql_as(
            Some(&dev.access),
            CREATE,
            json!({ "i": {
                "email": "not-an-email", "password": "short", "username": "x",
                "displayName": "", "firstName": "a".repeat(101), "phoneNumber": "call me",
                "address": "a".repeat(501), "avatarUrl": "javascript:alert(1)", "attributes": [1, 2],
                "roleIds": ["not-a-uuid"]
            }}),
        )
        .await;
    assert_code(&resp, "BAD_USER_INPUT");
    assert_eq!(
        bad_fields(&resp),
        [
            "address",
            "attributes",
            "avatarUrl",
            "displayName",
            "email",
            "firstName",
            "password",
            "phoneNumber",
            "roleIds",
            "username"
        ]
    );
    assert!(data_is_null(&resp), "nothing is created");

    let common =
        app.gql_as(Some(&dev.access), CREATE, json!({ "i": { "email": "c@x.io", "password": "password123" } })).await;
    assert_code(&common, "BAD_USER_INPUT");
    assert_eq!(bad_fields(&common), ["password"], "common passwords are refused");
    let msg = common["errors"][0]["extensions"]["fields"]["password"][0].as_str().unwrap();
    assert!(!msg.contains("password123"), "the password is never echoed: {msg}");
    app.stop().await;
}

fn data_is_null(resp: &serde_json::Value) -> bool {
    resp["data"].is_null()
}

async fn taken_emails_and_usernames_are_conflicts_on_their_field(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    let first =
        app.gql_as(Some(&dev.access), CREATE, json!({ "i": { "email": "Sari@X.io", "username": "sari" } })).await;
    data(&first);

    let same_email = app.gql_as(Some(&dev.access), CREATE, json!({ "i": { "email": "sari@x.IO" } })).await;
    assert_code(&same_email, "CONFLICT");
    assert_eq!(bad_fields(&same_email), ["email"]);

    let same_username =
        app.gql_as(Some(&dev.access), CREATE, json!({ "i": { "email": "other@x.io", "username": "SARI" } })).await;
    assert_code(&same_username, "CONFLICT");
    assert_eq!(bad_fields(&same_username), ["username"]);

    let other = app.gql_as(Some(&dev.access), CREATE, json!({ "i": { "email": "other@x.io" } })).await;
    let other_id = data(&other)["createUser"]["id"].clone();
    let renamed = app.gql_as(Some(&dev.access), UPDATE, json!({ "id": other_id, "i": { "email": "SARI@x.io" } })).await;
    assert_code(&renamed, "CONFLICT");
    assert_eq!(bad_fields(&renamed), ["email"], "updates are checked too");
    app.stop().await;
}

async fn updates_change_only_given_fields_and_null_clears(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    let created = app
        .gql_as(
            Some(&dev.access),
            CREATE,
            json!({ "i": { "email": "a@x.io", "username": "ani", "displayName": "Ani", "phoneNumber": "+6281234567", "address": "Bandung", "attributes": { "k": 1 } } }),
        )
        .await;
    let before = data(&created)["createUser"].clone();
    let id = before["id"].clone();

    app.clock.advance(std::time::Duration::from_secs(5));
    let resp = app.gql_as(Some(&dev.access), UPDATE, json!({ "id": id, "i": { "displayName": "Ani W." } })).await;
    let after = &data(&resp)["updateUser"];
    assert_eq!(after["displayName"], "Ani W.");
    for unchanged in ["email", "username", "phoneNumber", "address", "attributes", "isActive", "createdAt"] {
        assert_eq!(after[unchanged], before[unchanged], "{unchanged} is unchanged");
    }
    assert_ne!(after["updatedAt"], before["updatedAt"], "updatedAt advances");

    let cleared = app
        .gql_as(
            Some(&dev.access),
            UPDATE,
            json!({ "id": id, "i": { "phoneNumber": null, "username": null, "attributes": null } }),
        )
        .await;
    let cleared = &data(&cleared)["updateUser"];
    assert!(cleared["phoneNumber"].is_null() && cleared["username"].is_null() && cleared["attributes"].is_null());
    assert_eq!(cleared["address"], "Bandung");

    let required =
        app.gql_as(Some(&dev.access), UPDATE, json!({ "id": id, "i": { "email": null, "isActive": null } })).await;
    assert_code(&required, "BAD_USER_INPUT");
    assert_eq!(bad_fields(&required), ["email", "isActive"], "non-nullable fields cannot be cleared");
    app.stop().await;
}

async fn unknown_ids_are_not_found_and_malformed_ids_are_bad_input(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    let unknown = uuid::Uuid::now_v7().to_string();

    let read =
        app.gql_as(Some(&dev.access), "query($id: ID!) { user(id: $id) { id } }", json!({ "id": unknown })).await;
    assert!(data(&read)["user"].is_null(), "reads answer null");

    for (op, vars) in [
        (UPDATE, json!({ "id": unknown, "i": { "displayName": "x" } })),
        ("mutation($id: ID!) { deleteUser(id: $id) }", json!({ "id": unknown })),
        (
            "mutation($id: ID!) { setUserPassword(id: $id, password: \"a fine new passphrase\") { id } }",
            json!({ "id": unknown }),
        ),
    ] {
        assert_code(&app.gql_as(Some(&dev.access), op, vars).await, "NOT_FOUND");
    }
    let unknown_role =
        app.gql_as(Some(&dev.access), CREATE, json!({ "i": { "email": "r@x.io", "roleIds": [unknown] } })).await;
    assert_code(&unknown_role, "NOT_FOUND");

    let malformed = app.gql_as(Some(&dev.access), "mutation { deleteUser(id: \"42\") }", json!({})).await;
    assert_code(&malformed, "BAD_USER_INPUT");
    assert_eq!(bad_fields(&malformed), ["id"]);
    let malformed_read = app.gql_as(Some(&dev.access), "{ user(id: \"42\") { id } }", json!({})).await;
    assert_code(&malformed_read, "BAD_USER_INPUT");

    // A hundred roles is the most one request may name; each id would be a statement parameter.
    let many: Vec<String> = (0..101).map(|_| uuid::Uuid::now_v7().to_string()).collect();
    let too_many = app.gql_as(Some(&dev.access), CREATE, json!({ "i": { "email": "m@x.io", "roleIds": many } })).await;
    assert_code(&too_many, "BAD_USER_INPUT");
    assert_eq!(bad_fields(&too_many), ["roleIds"]);
    app.stop().await;
}

async fn setting_a_password_replaces_the_old_one(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    let id = app.create_user("p@x.io", &["user"]).await;
    let resp = app
        .gql_as(
            Some(&dev.access),
            "mutation($id: ID!, $p: String!) { setUserPassword(id: $id, password: $p) { id } }",
            json!({ "id": id, "p": "a brand new passphrase" }),
        )
        .await;
    assert_eq!(data(&resp)["setUserPassword"]["id"], id.as_str());
    assert_code(&app.login("p@x.io", PASSWORD).await, "UNAUTHENTICATED");
    app.session("p@x.io", "a brand new passphrase").await;

    let weak = app
        .gql_as(
            Some(&dev.access),
            "mutation($id: ID!) { setUserPassword(id: $id, password: \"12345678\") { id } }",
            json!({ "id": id }),
        )
        .await;
    assert_code(&weak, "BAD_USER_INPUT");
    assert_eq!(bad_fields(&weak), ["password"]);
    app.stop().await;
}

async fn deleting_a_user_returns_its_id_and_removes_it(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    let id = app.create_user("gone@x.io", &["admin"]).await;
    let resp = app.gql_as(Some(&dev.access), "mutation($id: ID!) { deleteUser(id: $id) }", json!({ "id": id })).await;
    assert_eq!(data(&resp)["deleteUser"], id.as_str());
    let read = app.gql_as(Some(&dev.access), "query($id: ID!) { user(id: $id) { id } }", json!({ "id": id })).await;
    assert!(data(&read)["user"].is_null());
    let again = app.gql_as(Some(&dev.access), "mutation($id: ID!) { deleteUser(id: $id) }", json!({ "id": id })).await;
    assert_code(&again, "NOT_FOUND");
    app.stop().await;
}

async fn me_returns_the_signed_in_user(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let s = app.signed_in("me@x.io", &["user"]).await;
    let resp =
        app.gql_as(Some(&s.access), "{ me { id email roles { name } permissions lastLoginAt } }", json!({})).await;
    let me = &data(&resp)["me"];
    assert_eq!(me["id"], s.user_id.as_str());
    assert_eq!(me["email"], "me@x.io");
    assert_eq!(me["roles"], json!([{ "name": "user" }]));
    assert_eq!(me["permissions"], json!([]));
    assert!(me["lastLoginAt"].is_string(), "lastLoginAt is set by login");
    assert_code(&app.gql("{ me { id } }", json!({})).await, "UNAUTHENTICATED");
    app.stop().await;
}
