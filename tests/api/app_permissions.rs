//! Application permissions (shared/API.md, "Application permissions, token claims, API keys,
//! introspection"): the deployment's own permission names on roles, users' effective sets,
//! the rule that nobody grants what it does not hold, and access tokens shaped as RFC 9068
//! says, carrying roles and permissions as of issue time.

use base64::Engine as _;
use serde_json::{Value, json};

use crate::helpers::assert::{assert_code, data};
use crate::helpers::fixtures::PASSWORD;
use crate::helpers::{TestApp, TestDb};

backend_tests!(
    a_user_holds_the_union_of_its_roles_application_permissions_live,
    application_permission_names_are_checked_entry_by_entry,
    nobody_grants_an_application_permission_it_does_not_hold,
    access_tokens_are_rfc_9068_shaped_and_carry_roles_and_permissions,
);

const CREATE_ROLE: &str = "mutation($i: CreateRoleInput!) { createRole(input: $i) { id appPermissions } }";
const UPDATE_ROLE: &str =
    "mutation($id: ID!, $i: UpdateRoleInput!) { updateRole(id: $id, input: $i) { appPermissions } }";
const ME: &str = "{ me { appPermissions } }";

/// Creates a role with application permissions, as the developer; returns its id.
pub(crate) async fn app_role(app: &TestApp, name: &str, permissions: &[&str], app_permissions: &[&str]) -> String {
    let dev = app.developer().await;
    let input = json!({ "name": name, "permissions": permissions, "appPermissions": app_permissions });
    data(&app.gql_as(Some(&dev.access), CREATE_ROLE, json!({ "i": input })).await)["createRole"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn my_app_permissions(app: &TestApp, token: &str) -> Value {
    data(&app.gql_as(Some(token), ME, json!({})).await)["me"]["appPermissions"].clone()
}

/// The payload of a JWT, unverified.
pub(crate) fn jwt_parts(token: &str) -> (Value, Value) {
    let decode = |part: &str| -> Value {
        serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
    };
    let mut it = token.split('.');
    (decode(it.next().unwrap()), decode(it.next().unwrap()))
}

async fn a_user_holds_the_union_of_its_roles_application_permissions_live(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    let writers = app_role(&app, "note-writers", &[], &["notes:write", "notes:read"]).await;
    app_role(&app, "note-readers", &[], &["notes:read"]).await;
    app_role(&app, "billing", &[], &["invoice:read"]).await;
    let user = app.signed_in("writer@x.io", &["note-writers", "note-readers"]).await;
    assert_eq!(my_app_permissions(&app, &user.access).await, json!(["notes:read", "notes:write"]), "a union, sorted");

    // The developer role holds every one: its list is every name any role has.
    assert_eq!(my_app_permissions(&app, &dev.access).await, json!(["invoice:read", "notes:read", "notes:write"]));

    // Taking a permission from a role takes it from its members on their next request,
    // with the token they already hold.
    let r = app
        .gql_as(Some(&dev.access), UPDATE_ROLE, json!({ "id": writers, "i": { "appPermissions": ["notes:read"] } }))
        .await;
    assert_eq!(data(&r)["updateRole"]["appPermissions"], json!(["notes:read"]));
    assert_eq!(my_app_permissions(&app, &user.access).await, json!(["notes:read"]));

    // Deleting the other role leaves only what the remaining one grants.
    let readers = app.role_id("note-readers").await;
    data(&app.gql_as(Some(&dev.access), "mutation($id: ID!) { deleteRole(id: $id) }", json!({ "id": readers })).await);
    data(&app.gql_as(Some(&dev.access), "mutation($id: ID!) { deleteRole(id: $id) }", json!({ "id": writers })).await);
    assert_eq!(my_app_permissions(&app, &user.access).await, json!([]));
    app.stop().await;
}

async fn application_permission_names_are_checked_entry_by_entry(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    let input = json!({ "name": "typos", "appPermissions": ["notes:write", "Notes:Read", "notes read", ""] });
    let r = app.gql_as(Some(&dev.access), CREATE_ROLE, json!({ "i": input })).await;
    assert_code(&r, "BAD_USER_INPUT");
    let messages = r["errors"][0]["extensions"]["fields"]["appPermissions"].as_array().unwrap();
    assert_eq!(messages.len(), 3, "one message per bad entry: {messages:?}");
    assert!(messages[0].as_str().unwrap().contains("\"Notes:Read\""), "{messages:?}");
    assert!(messages[1].as_str().unwrap().contains("\"notes read\""), "{messages:?}");

    let longest = format!("a{}", "b".repeat(127));
    let r = app
        .gql_as(Some(&dev.access), CREATE_ROLE, json!({ "i": { "name": "long", "appPermissions": [longest] } }))
        .await;
    assert!(r["errors"].is_null(), "128 characters are allowed: {r}");
    let too_long = format!("a{}", "b".repeat(128));
    let r = app
        .gql_as(Some(&dev.access), CREATE_ROLE, json!({ "i": { "name": "longer", "appPermissions": [too_long] } }))
        .await;
    assert_code(&r, "BAD_USER_INPUT");

    let hundred: Vec<String> = (0..100).map(|i| format!("p{i}")).collect();
    let r =
        app.gql_as(Some(&dev.access), CREATE_ROLE, json!({ "i": { "name": "many", "appPermissions": hundred } })).await;
    assert!(r["errors"].is_null(), "100 are allowed: {r}");
    let hundred_and_one: Vec<String> = (0..101).map(|i| format!("p{i}")).collect();
    let r = app
        .gql_as(Some(&dev.access), CREATE_ROLE, json!({ "i": { "name": "more", "appPermissions": hundred_and_one } }))
        .await;
    assert_code(&r, "BAD_USER_INPUT");

    let id = app.role_id("long").await;
    let r = app.gql_as(Some(&dev.access), UPDATE_ROLE, json!({ "id": id, "i": { "appPermissions": null } })).await;
    assert_code(&r, "BAD_USER_INPUT");
    app.stop().await;
}

async fn nobody_grants_an_application_permission_it_does_not_hold(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    app_role(&app, "notes-admins", &["ROLE_READ", "ROLE_WRITE", "USER_READ", "USER_WRITE"], &["notes:read"]).await;
    let secret = app_role(&app, "vault", &[], &["vault:open"]).await;
    let manager = app.signed_in("manager@x.io", &["notes-admins"]).await;

    let r = app
        .gql_as(
            Some(&manager.access),
            CREATE_ROLE,
            json!({ "i": { "name": "readers", "appPermissions": ["notes:read"] } }),
        )
        .await;
    let readers = data(&r)["createRole"]["id"].as_str().unwrap().to_owned();
    let r = app
        .gql_as(Some(&manager.access), CREATE_ROLE, json!({ "i": { "name": "w", "appPermissions": ["notes:write"] } }))
        .await;
    assert_code(&r, "FORBIDDEN");
    let r = app
        .gql_as(
            Some(&manager.access),
            UPDATE_ROLE,
            json!({ "id": readers, "i": { "appPermissions": ["notes:read", "notes:write"] } }),
        )
        .await;
    assert_code(&r, "FORBIDDEN");
    // Taking away what it does not hold is refused too; what it holds, it may take away.
    let r =
        app.gql_as(Some(&manager.access), UPDATE_ROLE, json!({ "id": secret, "i": { "appPermissions": [] } })).await;
    assert_code(&r, "FORBIDDEN");
    let r =
        app.gql_as(Some(&manager.access), UPDATE_ROLE, json!({ "id": readers, "i": { "appPermissions": [] } })).await;
    assert_eq!(data(&r)["updateRole"]["appPermissions"], json!([]));
    let r =
        app.gql_as(Some(&manager.access), "mutation($id: ID!) { deleteRole(id: $id) }", json!({ "id": secret })).await;
    assert_code(&r, "FORBIDDEN");

    // Giving a user a role is granting its application permissions.
    let user = app.create_user("someone@x.io", &["user"]).await;
    let give = "mutation($id: ID!, $r: [ID!]) { updateUser(id: $id, input: { roleIds: $r }) { id } }";
    let r = app.gql_as(Some(&manager.access), give, json!({ "id": user, "r": [secret] })).await;
    assert_code(&r, "FORBIDDEN");
    // And a user who holds more than the manager is out of its reach altogether.
    let keeper = app.create_user("keeper@x.io", &["vault"]).await;
    let rename = "mutation($id: ID!) { updateUser(id: $id, input: { displayName: \"taken over\" }) { id } }";
    assert_code(&app.gql_as(Some(&manager.access), rename, json!({ "id": keeper })).await, "FORBIDDEN");
    let set = "mutation($id: ID!) { setUserPassword(id: $id, password: \"a new passphrase for you\") { id } }";
    assert_code(&app.gql_as(Some(&manager.access), set, json!({ "id": keeper })).await, "FORBIDDEN");
    // The developer holds every application permission, so it may do all of it.
    let r = app.gql_as(Some(&dev.access), give, json!({ "id": user, "r": [secret] })).await;
    assert!(r["errors"].is_null(), "{r}");
    app.stop().await;
}

async fn access_tokens_are_rfc_9068_shaped_and_carry_roles_and_permissions(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    let role = app_role(&app, "note-writers", &[], &["notes:write"]).await;
    let user = app.signed_in("writer@x.io", &["note-writers", "user"]).await;

    let (header, claims) = jwt_parts(&user.access);
    assert_eq!(header["typ"], "at+jwt");
    assert_eq!(header["alg"], "EdDSA");
    assert!(header["kid"].is_string());
    for claim in ["sub", "sid", "iss", "aud", "jti"] {
        assert!(claims[claim].is_string(), "{claim}: {claims}");
    }
    for claim in ["iat", "nbf", "exp"] {
        assert!(claims[claim].is_i64(), "{claim}: {claims}");
    }
    assert_eq!(claims["sub"], user.user_id.as_str());
    assert_eq!(claims["nbf"], claims["iat"]);
    assert_eq!(claims["roles"], json!(["note-writers", "user"]));
    assert_eq!(claims["permissions"], json!(["notes:write"]));
    let (_, again) = jwt_parts(&app.session("writer@x.io", PASSWORD).await.access);
    assert_ne!(again["jti"], claims["jti"], "every token has its own id");

    // A snapshot: a change shows in the next token (a refresh), not in the one already out.
    let r = app
        .gql_as(Some(&dev.access), UPDATE_ROLE, json!({ "id": role, "i": { "appPermissions": ["notes:read"] } }))
        .await;
    data(&r);
    let refresh = "mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken } }";
    let r = app.gql(refresh, json!({ "t": user.refresh })).await;
    let (_, refreshed) = jwt_parts(data(&r)["refreshToken"]["accessToken"].as_str().unwrap());
    assert_eq!(refreshed["permissions"], json!(["notes:read"]));
    assert_eq!(jwt_parts(&user.access).1["permissions"], json!(["notes:write"]));

    // The developer's token spells out every name any role has.
    let (_, developer) = jwt_parts(&dev.access);
    assert_eq!(developer["roles"], json!(["developer"]));
    let (_, developer) = jwt_parts(&app.developer().await.access);
    assert_eq!(developer["permissions"], json!(["notes:read"]));
    app.stop().await;
}
