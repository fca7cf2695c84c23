//! Authorization: every operation of shared/API.md for every kind of caller, field guards,
//! self-service, escalation attempts, the last-ROLE_WRITE protection, and permission
//! changes taking effect on the next request.

use serde_json::{Value, json};

use crate::helpers::assert::{assert_code, data};
use crate::helpers::fixtures::{DEV_PASSWORD, PASSWORD, Session};
use crate::helpers::{TestApp, TestDb};

backend_tests!(
    every_operation_answers_each_caller_as_the_contract_says,
    private_fields_are_visible_to_self_and_user_read_only,
    users_edit_their_own_profile_but_not_their_powers,
    nobody_grants_or_takes_more_than_they_hold,
    the_last_active_role_writer_cannot_be_removed,
    permission_changes_apply_on_the_next_request,
);

#[derive(Debug, Clone, Copy, PartialEq)]
enum Outcome {
    /// The operation ran.
    Data,
    /// UNAUTHENTICATED.
    Unauth,
    /// FORBIDDEN.
    Forbidden,
}
use Outcome::{Data, Forbidden, Unauth};

#[derive(Debug, Clone, Copy)]
enum Op {
    Me,
    User,
    Users,
    Role,
    Roles,
    CreateUser,
    UpdateUser,
    SetUserPassword,
    DeleteUser,
    CreateRole,
    UpdateRole,
    DeleteRole,
    ChangePassword,
    Logout,
    Login,
    Register,
    RefreshToken,
}

/// Outcomes for: anonymous, user, admin, developer, reader (a custom role with USER_READ only).
const MATRIX: [(Op, [Outcome; 5]); 17] = [
    (Op::Me, [Unauth, Data, Data, Data, Data]),
    (Op::User, [Unauth, Data, Data, Data, Data]),
    (Op::Users, [Unauth, Forbidden, Data, Data, Data]),
    (Op::Role, [Unauth, Data, Data, Data, Data]),
    (Op::Roles, [Unauth, Data, Data, Data, Data]),
    (Op::CreateUser, [Unauth, Forbidden, Data, Data, Forbidden]),
    (Op::UpdateUser, [Unauth, Forbidden, Data, Data, Forbidden]),
    (Op::SetUserPassword, [Unauth, Forbidden, Data, Data, Forbidden]),
    (Op::DeleteUser, [Unauth, Forbidden, Data, Data, Forbidden]),
    (Op::CreateRole, [Unauth, Forbidden, Forbidden, Data, Forbidden]),
    (Op::UpdateRole, [Unauth, Forbidden, Forbidden, Data, Forbidden]),
    (Op::DeleteRole, [Unauth, Forbidden, Forbidden, Data, Forbidden]),
    (Op::ChangePassword, [Unauth, Data, Data, Data, Data]),
    (Op::Logout, [Unauth, Data, Data, Data, Data]),
    (Op::Login, [Data, Data, Data, Data, Data]),
    (Op::Register, [Data, Data, Data, Data, Data]),
    (Op::RefreshToken, [Data, Data, Data, Data, Data]),
];

const ACTORS: [&str; 5] = ["anonymous", "user", "admin", "developer", "reader"];

/// Fresh things for one case to act on, made by the developer.
struct Targets {
    developer: String,
    /// A refresh token of the target user, for the anonymous caller to present.
    target_refresh: String,
    user: String,
    user_email: String,
    role: String,
}

async fn targets(app: &TestApp, developer: &str, n: usize) -> Targets {
    let user_email = format!("target{n}@x.io");
    let role = app.create_role(&format!("target-role-{n}"), &[]).await;
    let user = app.create_user(&user_email, &["user"]).await;
    let target_refresh = app.session(&user_email, PASSWORD).await.refresh;
    Targets { developer: developer.to_owned(), target_refresh, user, user_email, role }
}

/// The operation as a request, for an actor whose own session is `me`.
fn request(op: Op, t: &Targets, n: usize, me: Option<&Session>) -> (String, Value) {
    let q = |s: &str| s.to_owned();
    match op {
        Op::Me => (q("{ me { id } }"), json!({})),
        Op::User => (q("query($id: ID!) { user(id: $id) { id displayName } }"), json!({ "id": t.user })),
        Op::Users => (q("{ users(first: 5) { nodes { id } } }"), json!({})),
        Op::Role => (q("query($id: ID!) { role(id: $id) { id name } }"), json!({ "id": t.role })),
        Op::Roles => (q("{ roles { id } }"), json!({})),
        Op::CreateUser => (
            q("mutation($i: CreateUserInput!) { createUser(input: $i) { id } }"),
            json!({ "i": { "email": format!("new{n}@x.io") } }),
        ),
        Op::UpdateUser => (
            q("mutation($id: ID!) { updateUser(id: $id, input: { displayName: \"Changed\" }) { id } }"),
            json!({ "id": t.user }),
        ),
        Op::SetUserPassword => (
            q("mutation($id: ID!) { setUserPassword(id: $id, password: \"a changed passphrase\") { id } }"),
            json!({ "id": t.user }),
        ),
        Op::DeleteUser => (q("mutation($id: ID!) { deleteUser(id: $id) }"), json!({ "id": t.user })),
        Op::CreateRole => (
            q("mutation($i: CreateRoleInput!) { createRole(input: $i) { id } }"),
            json!({ "i": { "name": format!("made-{n}") } }),
        ),
        Op::UpdateRole => (
            q("mutation($id: ID!) { updateRole(id: $id, input: { description: \"Changed\" }) { id } }"),
            json!({ "id": t.role }),
        ),
        Op::DeleteRole => (q("mutation($id: ID!) { deleteRole(id: $id) }"), json!({ "id": t.role })),
        // The same password again: later cases still sign in with it.
        Op::ChangePassword => (
            q("mutation($p: String!) { changePassword(currentPassword: $p, newPassword: $p) }"),
            json!({ "p": if me.is_some_and(|s| s.user_id == t.developer) { DEV_PASSWORD } else { PASSWORD } }),
        ),
        Op::Logout => (q("mutation { logout }"), json!({})),
        Op::Login => (q(crate::helpers::fixtures::LOGIN), json!({ "u": t.user_email, "p": PASSWORD })),
        Op::Register => (
            q("mutation($i: RegisterInput!) { register(input: $i) { accessToken } }"),
            json!({ "i": { "email": format!("reg{n}@x.io"), "password": PASSWORD } }),
        ),
        Op::RefreshToken => {
            let token = me.map_or(t.target_refresh.as_str(), |s| s.refresh.as_str());
            (q("mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken } }"), json!({ "t": token }))
        }
    }
}

/// What a refused write would have changed, read back as the developer.
async fn snapshot(app: &TestApp, t: &Targets, n: usize) -> Value {
    // A fresh session: an earlier case may have ended the developer's other sessions.
    let dev = app.developer().await;
    let q = "query($u: ID!, $r: ID!) { user(id: $u) { displayName updatedAt } role(id: $r) { description updatedAt }
             users(first: 100, filter: { search: \"@x.io\" }) { totalCount } roles { name } }";
    let mut snap = data(&app.gql_as(Some(&dev.access), q, json!({ "u": t.user, "r": t.role })).await).clone();
    let stored =
        gerbang::users::service::get(&app.state.db.conn, uuid::Uuid::parse_str(&t.user).unwrap()).await.unwrap();
    snap["hash"] = json!(stored.and_then(|u| u.password_hash));
    snap["n"] = json!(n);
    snap
}

async fn every_operation_answers_each_caller_as_the_contract_says(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    app.create_role("reader", &["USER_READ"]).await;
    let mut n = 0;
    for (op, outcomes) in MATRIX {
        for (actor, expected) in ACTORS.iter().zip(outcomes) {
            n += 1;
            let t = targets(&app, &dev.user_id, n).await;
            // Each case signs in afresh, so logout or a password change cannot leak into the next.
            let me = match *actor {
                "anonymous" => None,
                "developer" => Some(app.developer().await),
                role => Some(app.signed_in(&format!("{role}{n}@x.io"), &[role]).await),
            };
            let (query, vars) = request(op, &t, n, me.as_ref());
            let before = snapshot(&app, &t, n).await;
            let resp = app.gql_as(me.as_ref().map(|s| s.access.as_str()), &query, vars).await;
            let got = match resp["errors"][0]["extensions"]["code"].as_str() {
                None => Data,
                Some("UNAUTHENTICATED") => Unauth,
                Some("FORBIDDEN") => Forbidden,
                Some(other) => panic!("{op:?} as {actor}: unexpected {other}: {resp}"),
            };
            assert_eq!(got, expected, "{op:?} as {actor}: {resp}");
            if expected != Data {
                // A refused nullable root field is `null` under its key; a non-null one nulls `data`.
                let nothing = resp["data"].is_null()
                    || resp["data"].as_object().is_some_and(|d| d.values().all(serde_json::Value::is_null));
                assert!(nothing, "{op:?} as {actor}: nothing is returned: {resp}");
                assert_eq!(
                    snapshot(&app, &t, n).await,
                    before,
                    "{op:?} as {actor}: a refused operation changes nothing"
                );
            }
        }
    }
    app.stop().await;
}

const PRIVATE: &str =
    "query($id: ID!) { user(id: $id) { id displayName email phoneNumber address attributes lastLoginAt } }";

async fn private_fields_are_visible_to_self_and_user_read_only(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    let create = "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }";
    let i = json!({ "email": "priv@x.io", "password": PASSWORD, "displayName": "Priv", "phoneNumber": "+628111111111", "address": "Somewhere", "attributes": { "unit": 3 } });
    let id = data(&app.gql_as(Some(&dev.access), create, json!({ "i": i })).await)["createUser"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.create_role("reader", &["USER_READ"]).await;
    let other = app.signed_in("other@x.io", &["user"]).await;
    let reader = app.signed_in("reader@x.io", &["reader"]).await;
    let itself = app.session("priv@x.io", PASSWORD).await;

    let resp = app.gql_as(Some(&other.access), PRIVATE, json!({ "id": id })).await;
    let u = &resp["data"]["user"];
    assert_eq!(u["displayName"], "Priv", "public fields still resolve");
    let mut refused: Vec<String> = resp["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            assert_eq!(e["extensions"]["code"], "FORBIDDEN");
            e["path"][1].as_str().unwrap().to_owned()
        })
        .collect();
    refused.sort();
    assert_eq!(refused, ["address", "attributes", "email", "lastLoginAt", "phoneNumber"]);
    for f in ["email", "phoneNumber", "address", "attributes", "lastLoginAt"] {
        assert!(u[f].is_null(), "{f} is null for others");
    }

    for (who, s) in [("itself", &itself), ("a USER_READ holder", &reader)] {
        let resp = app.gql_as(Some(&s.access), PRIVATE, json!({ "id": id })).await;
        let u = &data(&resp)["user"];
        assert_eq!(u["email"], "priv@x.io", "{who}");
        assert_eq!(u["attributes"], json!({ "unit": 3 }), "{who}");
    }

    let counts = app.gql_as(Some(&other.access), "{ roles { name userCount users { totalCount } } }", json!({})).await;
    assert_eq!(counts["data"]["roles"][0]["name"], "developer");
    assert!(counts["data"]["roles"][0]["userCount"].is_null());
    assert!(counts["errors"].as_array().unwrap().iter().all(|e| e["extensions"]["code"] == "FORBIDDEN"));
    let counts = app.gql_as(Some(&reader.access), "{ roles { userCount } }", json!({})).await;
    data(&counts);
    app.stop().await;
}

const UPDATE: &str = "mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { id displayName username roles { name } isActive } }";

async fn users_edit_their_own_profile_but_not_their_powers(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let me = app.signed_in("self@x.io", &["user"]).await;
    let profile = json!({
        "displayName": "Me", "firstName": "Sel", "lastName": "F", "phoneNumber": "+62800000000",
        "address": "Home", "avatarUrl": "https://x.io/a.png", "username": "myself"
    });
    let resp = app.gql_as(Some(&me.access), UPDATE, json!({ "id": me.user_id, "i": profile })).await;
    assert_eq!(data(&resp)["updateUser"]["username"], "myself");

    let admin_role = app.role_id("admin").await;
    for change in [
        json!({ "roleIds": [admin_role] }),
        json!({ "isActive": false }),
        json!({ "attributes": { "x": 1 } }),
        json!({ "email": "new@x.io" }),
    ] {
        let resp = app.gql_as(Some(&me.access), UPDATE, json!({ "id": me.user_id, "i": change })).await;
        assert_code(&resp, "FORBIDDEN");
    }
    let other = app.create_user("someone@x.io", &["user"]).await;
    assert_code(
        &app.gql_as(Some(&me.access), UPDATE, json!({ "id": other, "i": { "displayName": "Hacked" } })).await,
        "FORBIDDEN",
    );

    // Not even a developer changes its own roles.
    let dev = app.developer().await;
    let resp = app.gql_as(Some(&dev.access), UPDATE, json!({ "id": dev.user_id, "i": { "roleIds": [] } })).await;
    assert_code(&resp, "FORBIDDEN");
    app.stop().await;
}

async fn nobody_grants_or_takes_more_than_they_hold(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    let admin = app.signed_in("adm@x.io", &["admin"]).await;
    let developer_role = app.role_id("developer").await;
    let user_role = app.role_id("user").await;

    let create = "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }";
    let resp = app
        .gql_as(Some(&admin.access), create, json!({ "i": { "email": "x@x.io", "roleIds": [developer_role] } }))
        .await;
    assert_code(&resp, "FORBIDDEN");
    let plain = app.create_user("plain@x.io", &["user"]).await;
    let resp = app
        .gql_as(Some(&admin.access), UPDATE, json!({ "id": plain, "i": { "roleIds": [user_role, developer_role] } }))
        .await;
    assert_code(&resp, "FORBIDDEN");
    let resp = app.gql_as(Some(&admin.access), UPDATE, json!({ "id": plain, "i": { "roleIds": [] } })).await;
    data(&resp);

    // An admin cannot take over or remove a more privileged account.
    for (op, vars) in [
        (UPDATE, json!({ "id": dev.user_id, "i": { "roleIds": [] } })),
        (UPDATE, json!({ "id": dev.user_id, "i": { "displayName": "Owned" } })),
        (
            "mutation($id: ID!) { setUserPassword(id: $id, password: \"taken over now\") { id } }",
            json!({ "id": dev.user_id }),
        ),
        ("mutation($id: ID!) { deleteUser(id: $id) }", json!({ "id": dev.user_id })),
    ] {
        assert_code(&app.gql_as(Some(&admin.access), op, vars).await, "FORBIDDEN");
    }
    let resp = app
        .gql_as(Some(&admin.access), UPDATE, json!({ "id": admin.user_id, "i": { "roleIds": [developer_role] } }))
        .await;
    assert_code(&resp, "FORBIDDEN");

    // A role manager gives roles only permissions it holds.
    app.create_role("role-managers", &["ROLE_READ", "ROLE_WRITE"]).await;
    let manager = app.signed_in("mgr@x.io", &["role-managers"]).await;
    let create_role = "mutation($i: CreateRoleInput!) { createRole(input: $i) { id } }";
    let resp = app
        .gql_as(Some(&manager.access), create_role, json!({ "i": { "name": "power", "permissions": ["USER_WRITE"] } }))
        .await;
    assert_code(&resp, "FORBIDDEN");
    let resp = app
        .gql_as(Some(&manager.access), create_role, json!({ "i": { "name": "viewers", "permissions": ["ROLE_READ"] } }))
        .await;
    let viewers = data(&resp)["createRole"]["id"].clone();
    let widen = "mutation($id: ID!) { updateRole(id: $id, input: { permissions: [ROLE_READ, USER_READ] }) { id } }";
    assert_code(&app.gql_as(Some(&manager.access), widen, json!({ "id": viewers })).await, "FORBIDDEN");
    let admin_role = app.role_id("admin").await;
    let describe = "mutation($id: ID!) { updateRole(id: $id, input: { description: \"mine now\" }) { id } }";
    assert_code(&app.gql_as(Some(&manager.access), describe, json!({ "id": admin_role })).await, "FORBIDDEN");
    app.stop().await;
}

async fn the_last_active_role_writer_cannot_be_removed(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    let delete_user = "mutation($id: ID!) { deleteUser(id: $id) }";

    let resp = app.gql_as(Some(&dev.access), delete_user, json!({ "id": dev.user_id })).await;
    assert_code(&resp, "CONFLICT");
    assert!(resp["errors"][0]["message"].as_str().unwrap().contains("ROLE_WRITE"), "says why: {resp}");

    let owners = app.create_role("owners", &["USER_READ", "USER_WRITE", "ROLE_READ", "ROLE_WRITE", "AUDIT_READ"]).await;
    let owner = app.signed_in("owner@x.io", &["owners"]).await;
    data(&app.gql_as(Some(&owner.access), delete_user, json!({ "id": dev.user_id })).await);

    let strip = "mutation($id: ID!) { updateRole(id: $id, input: { permissions: [USER_READ, USER_WRITE, ROLE_READ, AUDIT_READ] }) { id } }";
    assert_code(&app.gql_as(Some(&owner.access), strip, json!({ "id": owners })).await, "CONFLICT");
    let delete_role = "mutation($id: ID!) { deleteRole(id: $id) }";
    assert_code(&app.gql_as(Some(&owner.access), delete_role, json!({ "id": owners })).await, "CONFLICT");
    assert_code(&app.gql_as(Some(&owner.access), delete_user, json!({ "id": owner.user_id })).await, "CONFLICT");
    let me = app.gql_as(Some(&owner.access), "{ me { permissions } }", json!({})).await;
    assert_eq!(
        data(&me)["me"]["permissions"],
        json!(["USER_READ", "USER_WRITE", "ROLE_READ", "ROLE_WRITE", "AUDIT_READ"]),
        "nothing changed"
    );

    // With a second writer, the first may go.
    let create = "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }";
    let created =
        app.gql_as(Some(&owner.access), create, json!({ "i": { "email": "second@x.io", "roleIds": [owners] } })).await;
    let second = data(&created)["createUser"]["id"].as_str().unwrap().to_owned();
    data(
        &app.gql_as(
            Some(&owner.access),
            "mutation($id: ID!) { updateUser(id: $id, input: { isActive: false }) { id } }",
            json!({ "id": second }),
        )
        .await,
    );
    let reactivate = "mutation($id: ID!) { updateUser(id: $id, input: { isActive: true }) { id } }";
    data(&app.gql_as(Some(&owner.access), reactivate, json!({ "id": second })).await);
    data(&app.gql_as(Some(&owner.access), delete_user, json!({ "id": owner.user_id })).await);
    app.stop().await;
}

async fn permission_changes_apply_on_the_next_request(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    let staff = app.create_role("staff", &[]).await;
    let s = app.signed_in("staff@x.io", &["staff"]).await;
    let users = "{ users(first: 1) { nodes { id } } }";
    assert_code(&app.gql_as(Some(&s.access), users, json!({})).await, "FORBIDDEN");

    let grant = "mutation($id: ID!, $p: [Permission!]) { updateRole(id: $id, input: { permissions: $p }) { id } }";
    data(&app.gql_as(Some(&dev.access), grant, json!({ "id": staff, "p": ["USER_READ"] })).await);
    data(&app.gql_as(Some(&s.access), users, json!({})).await);

    let user_role = app.role_id("user").await;
    data(&app.gql_as(Some(&dev.access), UPDATE, json!({ "id": s.user_id, "i": { "roleIds": [user_role] } })).await);
    assert_code(&app.gql_as(Some(&s.access), users, json!({})).await, "FORBIDDEN");
    app.stop().await;
}
