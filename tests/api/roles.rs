//! Roles over HTTP: create with author, partial update, uniqueness, delete keeping the
//! members, and the protections of system roles.

use serde_json::json;

use crate::helpers::assert::{assert_code, bad_fields, data};
use crate::helpers::{TestApp, TestDb};

backend_tests!(
    creating_a_role_records_its_author,
    role_names_and_codes_are_unique_and_validated,
    updating_a_role_changes_only_given_fields,
    deleting_a_role_keeps_its_members_over_the_api,
    system_roles_cannot_be_deleted_or_renamed,
    roles_list_the_system_roles_first_with_counts,
);

const CREATE: &str = "mutation($i: CreateRoleInput!) { createRole(input: $i) { id name code description isSystem permissions createdBy { id } createdAt updatedAt } }";
const UPDATE: &str = "mutation($id: ID!, $i: UpdateRoleInput!) { updateRole(id: $id, input: $i) { id name code description permissions createdAt updatedAt } }";

async fn creating_a_role_records_its_author(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    let resp = app
        .gql_as(
            Some(&dev.access),
            CREATE,
            json!({ "i": { "name": "Finance", "code": 10, "description": "Money matters", "permissions": ["USER_READ"] } }),
        )
        .await;
    let r = &data(&resp)["createRole"];
    assert_eq!(r["name"], "Finance");
    assert_eq!(r["code"], 10);
    assert_eq!(r["isSystem"], false);
    assert_eq!(r["permissions"], json!(["USER_READ"]));
    assert_eq!(r["createdBy"]["id"], dev.user_id.as_str(), "createdBy is the caller");
    app.stop().await;
}

async fn role_names_and_codes_are_unique_and_validated(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    data(&app.gql_as(Some(&dev.access), CREATE, json!({ "i": { "name": "NOC", "code": 7 } })).await);

    let same_name = app.gql_as(Some(&dev.access), CREATE, json!({ "i": { "name": "noc" } })).await;
    assert_code(&same_name, "CONFLICT");
    assert_eq!(bad_fields(&same_name), ["name"]);
    let same_code = app.gql_as(Some(&dev.access), CREATE, json!({ "i": { "name": "Sales", "code": 7 } })).await;
    assert_code(&same_code, "CONFLICT");
    assert_eq!(bad_fields(&same_code), ["code"]);
    let system_name = app.gql_as(Some(&dev.access), CREATE, json!({ "i": { "name": "ADMIN" } })).await;
    assert_code(&system_name, "CONFLICT");

    let invalid = app
        .gql_as(Some(&dev.access), CREATE, json!({ "i": { "name": " ", "code": 0, "description": "d".repeat(501) } }))
        .await;
    assert_code(&invalid, "BAD_USER_INPUT");
    assert_eq!(bad_fields(&invalid), ["code", "description", "name"]);
    app.stop().await;
}

async fn updating_a_role_changes_only_given_fields(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    let created = app
        .gql_as(
            Some(&dev.access),
            CREATE,
            json!({ "i": { "name": "Sales", "code": 20, "description": "Sells", "permissions": ["USER_READ"] } }),
        )
        .await;
    let before = data(&created)["createRole"].clone();
    app.clock.advance(std::time::Duration::from_secs(3));

    let renamed =
        app.gql_as(Some(&dev.access), UPDATE, json!({ "id": before["id"], "i": { "name": "Sales Team" } })).await;
    let after = &data(&renamed)["updateRole"];
    assert_eq!(after["name"], "Sales Team");
    assert_eq!(after["code"], 20);
    assert_eq!(after["permissions"], json!(["USER_READ"]));
    assert_eq!(after["createdAt"], before["createdAt"]);
    assert_ne!(after["updatedAt"], before["updatedAt"]);

    let cleared = app
        .gql_as(
            Some(&dev.access),
            UPDATE,
            json!({ "id": before["id"], "i": { "code": null, "description": null, "permissions": [] } }),
        )
        .await;
    let cleared = &data(&cleared)["updateRole"];
    assert!(cleared["code"].is_null() && cleared["description"].is_null());
    assert_eq!(cleared["permissions"], json!([]));

    let unknown =
        app.gql_as(Some(&dev.access), UPDATE, json!({ "id": uuid::Uuid::now_v7(), "i": { "name": "x" } })).await;
    assert_code(&unknown, "NOT_FOUND");
    app.stop().await;
}

async fn deleting_a_role_keeps_its_members_over_the_api(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    let role = app.create_role("Temp", &[]).await;
    let member = app.create_user("member@x.io", &["Temp", "user"]).await;

    let resp = app.gql_as(Some(&dev.access), "mutation($id: ID!) { deleteRole(id: $id) }", json!({ "id": role })).await;
    assert_eq!(data(&resp)["deleteRole"], role.as_str());
    let u = app
        .gql_as(Some(&dev.access), "query($id: ID!) { user(id: $id) { roles { name } } }", json!({ "id": member }))
        .await;
    assert_eq!(data(&u)["user"]["roles"], json!([{ "name": "user" }]), "members simply lose the role");
    let again =
        app.gql_as(Some(&dev.access), "mutation($id: ID!) { deleteRole(id: $id) }", json!({ "id": role })).await;
    assert_code(&again, "NOT_FOUND");
    app.stop().await;
}

async fn system_roles_cannot_be_deleted_or_renamed(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    for name in ["developer", "admin", "user"] {
        let id = app.role_id(name).await;
        let del =
            app.gql_as(Some(&dev.access), "mutation($id: ID!) { deleteRole(id: $id) }", json!({ "id": id })).await;
        assert_code(&del, "FORBIDDEN");
        let ren =
            app.gql_as(Some(&dev.access), UPDATE, json!({ "id": id, "i": { "name": format!("{name}-2") } })).await;
        assert_code(&ren, "FORBIDDEN");
    }
    let developer = app.role_id("developer").await;
    let reduce =
        app.gql_as(Some(&dev.access), UPDATE, json!({ "id": developer, "i": { "permissions": ["USER_READ"] } })).await;
    assert_code(&reduce, "FORBIDDEN");
    let admin = app.role_id("admin").await;
    let describe =
        app.gql_as(Some(&dev.access), UPDATE, json!({ "id": admin, "i": { "description": "Staff admins" } })).await;
    assert_eq!(data(&describe)["updateRole"]["description"], "Staff admins", "other fields of system roles may change");
    app.stop().await;
}

async fn roles_list_the_system_roles_first_with_counts(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    app.create_role("Auditors", &["USER_READ"]).await;
    app.create_user("a1@x.io", &["Auditors"]).await;
    app.create_user("a2@x.io", &["Auditors", "admin"]).await;
    let resp = app
        .gql_as(
            Some(&dev.access),
            "{ roles { name isSystem userCount users(first: 10) { totalCount nodes { email } } } }",
            json!({}),
        )
        .await;
    let roles = data(&resp)["roles"].as_array().unwrap().clone();
    let names: Vec<&str> = roles.iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["developer", "admin", "user", "Auditors"]);
    let auditors = &roles[3];
    assert_eq!(auditors["userCount"], 2);
    assert_eq!(auditors["users"]["totalCount"], 2);
    assert_eq!(auditors["users"]["nodes"], json!([{ "email": "a1@x.io" }, { "email": "a2@x.io" }]));
    assert_eq!(roles[0]["userCount"], 1, "the developer");
    app.stop().await;
}
