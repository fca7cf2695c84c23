//! API keys (shared/API.md, "Application permissions, token claims, API keys,
//! introspection"): `createApiKey`, `revokeApiKey`, `User.apiKeys`; a key acts as its owner
//! with what both hold, never as a person, and stops the moment its owner or it is gone.

use std::time::Duration;

use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use sha2::Digest as _;

use crate::app_permissions::app_role;
use crate::helpers::assert::{assert_code, data};
use crate::helpers::fixtures::PASSWORD;
use crate::helpers::{TestApp, TestDb};

backend_tests!(
    a_key_is_shown_once_stored_hashed_and_acts_as_its_owner_within_its_permissions,
    a_key_never_does_what_only_a_person_may,
    a_key_without_permissions_is_no_self_service_for_its_owner,
    a_key_stops_with_its_revocation_expiry_or_owner,
    revoking_others_keys_needs_user_write_within_reach,
    last_use_is_kept_to_the_minute_without_a_write_per_request,
    the_cap_on_keys_holds_against_simultaneous_creations,
    a_revocation_released_with_uses_of_the_key_is_final,
);

pub(crate) const CREATE_KEY: &str = "mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret apiKey { id name prefix permissions appPermissions createdAt expiresAt lastUsedAt owner { id } } } }";
const REVOKE_KEY: &str = "mutation($id: ID!) { revokeApiKey(id: $id) }";
const MY_KEYS: &str = "{ me { apiKeys { id name prefix lastUsedAt } } }";

/// Creates a key as `token`'s user; returns (id, secret).
pub(crate) async fn create_key(app: &TestApp, token: &str, input: Value) -> (String, String) {
    let r = app.gql_as(Some(token), CREATE_KEY, json!({ "i": input })).await;
    let created = &data(&r)["createApiKey"];
    (created["apiKey"]["id"].as_str().unwrap().to_owned(), created["secret"].as_str().unwrap().to_owned())
}

async fn me_id(app: &TestApp, credential: &str) -> Value {
    app.gql_as(Some(credential), "{ me { id } }", json!({})).await
}

async fn a_key_is_shown_once_stored_hashed_and_acts_as_its_owner_within_its_permissions(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    let input = json!({ "name": " reporting job ", "permissions": ["USER_READ"], "appPermissions": ["reports:read"] });
    let r = app.gql_as(Some(&dev.access), CREATE_KEY, json!({ "i": input })).await;
    let created = data(&r)["createApiKey"].clone();
    let secret = created["secret"].as_str().unwrap();
    let key = &created["apiKey"];
    assert!(secret.starts_with("gbk_") && secret.len() == 4 + 43, "gbk_ and 256 bits in base64url: {secret}");
    assert_eq!(key["prefix"], &secret[..12]);
    assert_eq!(key["name"], "reporting job");
    assert_eq!(key["permissions"], json!(["USER_READ"]));
    assert_eq!(key["appPermissions"], json!(["reports:read"]));
    assert_eq!(key["owner"]["id"], dev.user_id.as_str());
    assert!(key["lastUsedAt"].is_null() && key["expiresAt"].is_null());

    // Only the SHA-256 of the secret is stored.
    let conn = db.connect().await;
    let rows = conn
        .query_all_raw(Statement::from_string(conn.get_database_backend(), "SELECT secret_hash, prefix FROM api_keys"))
        .await
        .unwrap();
    let stored: String = rows[0].try_get("", "secret_hash").unwrap();
    assert_eq!(stored, hex::encode(sha2::Sha256::digest(secret.as_bytes())));
    conn.close().await.unwrap();

    // It acts as its owner, with the permissions it was given: reading users, not writing.
    assert_eq!(data(&me_id(&app, secret).await)["me"]["id"], dev.user_id.as_str());
    let r = app.gql_as(Some(secret), "{ users(first: 5) { totalCount } }", json!({})).await;
    assert!(data(&r)["users"]["totalCount"].as_i64().unwrap() >= 1);
    let create = "mutation { createUser(input: { email: \"k@x.io\" }) { id } }";
    assert_code(&app.gql_as(Some(secret), create, json!({})).await, "FORBIDDEN");

    // Listed for its owner (and USER_READ), never with its secret; private to others.
    let r = app.gql_as(Some(&dev.access), MY_KEYS, json!({})).await;
    assert_eq!(data(&r)["me"]["apiKeys"][0]["id"], key["id"]);
    let other = app.signed_in("other@x.io", &["user"]).await;
    let r = app
        .gql_as(
            Some(&other.access),
            "query($id: ID!) { user(id: $id) { apiKeys { id } } }",
            json!({ "id": dev.user_id }),
        )
        .await;
    assert_code(&r, "FORBIDDEN");
    assert!(r["data"]["user"]["apiKeys"].is_null());

    // Nobody gives a key more than it holds itself.
    let r = app
        .gql_as(Some(&other.access), CREATE_KEY, json!({ "i": { "name": "x", "permissions": ["USER_READ"] } }))
        .await;
    assert_code(&r, "FORBIDDEN");
    let r = app
        .gql_as(Some(&other.access), CREATE_KEY, json!({ "i": { "name": "x", "appPermissions": ["reports:read"] } }))
        .await;
    assert_code(&r, "FORBIDDEN");
    let r =
        app.gql_as(Some(&other.access), CREATE_KEY, json!({ "i": { "name": "", "appPermissions": ["Bad"] } })).await;
    assert_code(&r, "BAD_USER_INPUT");
    assert_eq!(crate::helpers::assert::bad_fields(&r), ["appPermissions", "name"]);
    app.stop().await;
}

async fn a_key_never_does_what_only_a_person_may(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    let (_, key) =
        create_key(&app, &dev.access, json!({ "name": "ci", "permissions": ["USER_READ", "USER_WRITE"] })).await;
    let user = app.create_user("someone@x.io", &["user"]).await;
    let forbidden = [
        ("mutation { createApiKey(input: { name: \"more\" }) { secret } }", json!({})),
        ("mutation { changePassword(currentPassword: \"x\", newPassword: \"a brand new passphrase\") }", json!({})),
        ("mutation { logout }", json!({})),
        ("mutation { revokeOtherSessions }", json!({})),
        (
            "mutation($u: String!, $p: String!) { login(input: { usernameOrEmail: $u, password: $p }) { accessToken } }",
            json!({ "u": "someone@x.io", "p": PASSWORD }),
        ),
        ("mutation { refreshToken(refreshToken: \"whatever\") { accessToken } }", json!({})),
        (
            "mutation($id: ID!) { setUserPassword(id: $id, password: \"a new passphrase for you\") { id } }",
            json!({ "id": user }),
        ),
        ("mutation($id: ID!) { updateUser(id: $id, input: { email: \"new@x.io\" }) { id } }", json!({ "id": user })),
    ];
    for (query, variables) in forbidden {
        assert_code(&app.gql_as(Some(&key), query, variables).await, "FORBIDDEN");
    }
    // What its permissions allow, it may do.
    let rename =
        "mutation($id: ID!) { updateUser(id: $id, input: { displayName: \"Renamed by CI\" }) { displayName } }";
    assert_eq!(
        data(&app.gql_as(Some(&key), rename, json!({ "id": user })).await)["updateUser"]["displayName"],
        "Renamed by CI"
    );

    // A key has what both it and its owner hold, as of now: an owner who loses a
    // permission takes it from the key on the next request.
    let role = app_role(&app, "ops", &["USER_READ"], &["jobs:run"]).await;
    let ops = app.signed_in("ops@x.io", &["ops"]).await;
    let (_, ops_key) = create_key(
        &app,
        &ops.access,
        json!({ "name": "job", "permissions": ["USER_READ"], "appPermissions": ["jobs:run"] }),
    )
    .await;
    let read = "{ users(first: 1) { totalCount } }";
    assert!(app.gql_as(Some(&ops_key), read, json!({})).await["errors"].is_null());
    let strip = "mutation($id: ID!) { updateRole(id: $id, input: { permissions: [] }) { id } }";
    data(&app.gql_as(Some(&dev.access), strip, json!({ "id": role })).await);
    assert_code(&app.gql_as(Some(&ops_key), read, json!({})).await, "FORBIDDEN");
    app.stop().await;
}

/// Private fields of `User`, each refused (null, FORBIDDEN at its path) without USER_READ.
const PRIVATE: [&str; 10] = [
    "email",
    "phoneNumber",
    "address",
    "attributes",
    "locale",
    "mfaMethods",
    "passkeys",
    "lastLoginAt",
    "apiKeys",
    "sessions",
];

async fn a_key_without_permissions_is_no_self_service_for_its_owner(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let owner = app.signed_in("owner@x.io", &["admin"]).await;
    let (other_key_id, _) = create_key(&app, &owner.access, json!({ "name": "other" })).await;
    let (bare_id, bare) = create_key(&app, &owner.access, json!({ "name": "bare" })).await;
    let sessions =
        data(&app.gql_as(Some(&owner.access), "{ me { sessions { id } } }", json!({})).await)["me"]["sessions"].clone();
    let session = sessions[0]["id"].as_str().unwrap().to_owned();

    // `me` through the key: its public fields, and every private one refused as for a stranger.
    let me = format!(
        "{{ me {{ id username displayName {} }} }}",
        PRIVATE
            .map(|f| if matches!(f, "apiKeys" | "sessions" | "passkeys") { format!("{f} {{ id }}") } else { f.into() })
            .join(" ")
    );
    let r = app.gql_as(Some(&bare), &me, json!({})).await;
    assert_eq!(r["data"]["me"]["id"], owner.user_id.as_str(), "{r}");
    let mut refused: Vec<&str> = r["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            assert_eq!(e["extensions"]["code"], "FORBIDDEN", "{e}");
            e["path"][1].as_str().unwrap()
        })
        .collect();
    refused.sort_unstable();
    let mut private = PRIVATE.to_vec();
    private.sort_unstable();
    assert_eq!(refused, private);
    for field in PRIVATE {
        assert!(r["data"]["me"][field].is_null(), "{field}: {r}");
    }

    // Nor does it act for its owner: no renaming, ending sessions, revoking keys or mailing.
    let rename = "mutation($id: ID!) { updateUser(id: $id, input: { displayName: \"Renamed\" }) { id } }";
    let refused = [
        (rename, json!({ "id": owner.user_id })),
        ("mutation($id: ID!) { revokeSession(id: $id) }", json!({ "id": session })),
        (REVOKE_KEY, json!({ "id": other_key_id })),
        (REVOKE_KEY, json!({ "id": bare_id })),
        ("mutation { sendEmailVerification }", json!({})),
    ];
    for (query, variables) in refused {
        assert_code(&app.gql_as(Some(&bare), query, variables).await, "FORBIDDEN");
    }
    let r = app.gql_as(Some(&owner.access), "{ me { displayName apiKeys { id } } }", json!({})).await;
    assert!(data(&r)["me"]["displayName"].is_null(), "not renamed");
    assert_eq!(data(&r)["me"]["apiKeys"].as_array().unwrap().len(), 2, "no key revoked");
    assert!(me_id(&app, &bare).await["errors"].is_null(), "the key still works");

    // With USER_READ and USER_WRITE it does what those say, to its owner as to anyone.
    let (_, able) =
        create_key(&app, &owner.access, json!({ "name": "able", "permissions": ["USER_READ", "USER_WRITE"] })).await;
    let r = app.gql_as(Some(&able), "{ me { email sessions { id } } }", json!({})).await;
    assert_eq!(data(&r)["me"]["email"], "owner@x.io");
    assert_eq!(data(&r)["me"]["sessions"], sessions);
    let renamed = "mutation($id: ID!) { updateUser(id: $id, input: { displayName: \"Renamed\" }) { displayName } }";
    let r = app.gql_as(Some(&able), renamed, json!({ "id": owner.user_id })).await;
    assert_eq!(data(&r)["updateUser"]["displayName"], "Renamed");
    let r = app.gql_as(Some(&able), "mutation($id: ID!) { revokeSession(id: $id) }", json!({ "id": session })).await;
    assert_eq!(data(&r)["revokeSession"], true);
    assert_code(&me_id(&app, &owner.access).await, "UNAUTHENTICATED");
    app.stop().await;
}

async fn a_key_stops_with_its_revocation_expiry_or_owner(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    // (An hour passes below: sessions are signed in again after it.)
    let owner = app.signed_in("owner@x.io", &["user"]).await;
    let (id, key) = create_key(&app, &owner.access, json!({ "name": "one" })).await;
    assert!(me_id(&app, &key).await["errors"].is_null());
    assert_eq!(
        data(&app.gql_as(Some(&owner.access), REVOKE_KEY, json!({ "id": id })).await)["revokeApiKey"],
        id.as_str()
    );
    assert_code(&me_id(&app, &key).await, "UNAUTHENTICATED");
    assert_code(&app.gql_as(Some(&dev.access), REVOKE_KEY, json!({ "id": id })).await, "NOT_FOUND");

    // Expiry: in the past is refused; in the future, it works until then.
    let past = (app.state.now() - chrono::Duration::minutes(1)).to_rfc3339();
    let r = app.gql_as(Some(&owner.access), CREATE_KEY, json!({ "i": { "name": "old", "expiresAt": past } })).await;
    assert_code(&r, "BAD_USER_INPUT");
    let soon = (app.state.now() + chrono::Duration::hours(1)).to_rfc3339();
    let (_, expiring) = create_key(&app, &owner.access, json!({ "name": "soon", "expiresAt": soon })).await;
    assert!(me_id(&app, &expiring).await["errors"].is_null());
    app.clock.advance(Duration::from_secs(3601));
    assert_code(&me_id(&app, &expiring).await, "UNAUTHENTICATED");

    // A deactivated owner's keys stop at once, and work again when it is back.
    let (dev, owner) = (app.developer().await, app.session("owner@x.io", PASSWORD).await);
    let (_, key) = create_key(&app, &owner.access, json!({ "name": "two" })).await;
    let active = "mutation($id: ID!, $a: Boolean!) { updateUser(id: $id, input: { isActive: $a }) { id } }";
    data(&app.gql_as(Some(&dev.access), active, json!({ "id": owner.user_id, "a": false })).await);
    assert_code(&me_id(&app, &key).await, "UNAUTHENTICATED");
    data(&app.gql_as(Some(&dev.access), active, json!({ "id": owner.user_id, "a": true })).await);
    assert!(me_id(&app, &key).await["errors"].is_null());
    // A deleted owner's keys are gone with it.
    data(
        &app.gql_as(Some(&dev.access), "mutation($id: ID!) { deleteUser(id: $id) }", json!({ "id": owner.user_id }))
            .await,
    );
    assert_code(&me_id(&app, &key).await, "UNAUTHENTICATED");
    assert_code(&me_id(&app, "gbk_not-a-key-at-all").await, "UNAUTHENTICATED");
    app.stop().await;
}

async fn revoking_others_keys_needs_user_write_within_reach(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    let (dev_key_id, _) = create_key(&app, &dev.access, json!({ "name": "dev's" })).await;
    let member = app.signed_in("member@x.io", &["user"]).await;
    let (member_key_id, member_key) = create_key(&app, &member.access, json!({ "name": "member's" })).await;
    let admin = app.signed_in("admin@x.io", &["admin"]).await;

    // A plain user cannot revoke someone else's key, nor learn whether an id names one.
    assert_code(&app.gql_as(Some(&member.access), REVOKE_KEY, json!({ "id": dev_key_id })).await, "FORBIDDEN");
    let unknown = uuid::Uuid::now_v7().to_string();
    assert_code(&app.gql_as(Some(&member.access), REVOKE_KEY, json!({ "id": unknown })).await, "FORBIDDEN");
    assert_code(&app.gql_as(Some(&admin.access), REVOKE_KEY, json!({ "id": unknown })).await, "NOT_FOUND");
    assert_code(&app.gql_as(Some(&admin.access), REVOKE_KEY, json!({ "id": "nope" })).await, "BAD_USER_INPUT");
    // An admin may revoke a member's key, not a developer's.
    assert_code(&app.gql_as(Some(&admin.access), REVOKE_KEY, json!({ "id": dev_key_id })).await, "FORBIDDEN");
    data(&app.gql_as(Some(&admin.access), REVOKE_KEY, json!({ "id": member_key_id })).await);
    assert_code(&me_id(&app, &member_key).await, "UNAUTHENTICATED");
    app.stop().await;
}

async fn last_use_is_kept_to_the_minute_without_a_write_per_request(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    let (_, key) = create_key(&app, &dev.access, json!({ "name": "busy" })).await;
    let last_used = async || -> Value {
        data(&app.gql_as(Some(&dev.access), MY_KEYS, json!({})).await)["me"]["apiKeys"][0]["lastUsedAt"].clone()
    };
    let written = async |previous: &Value| -> Value {
        for _ in 0..100 {
            let now = last_used().await;
            if now != *previous {
                return now;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("lastUsedAt was not written within 2 s");
    };
    me_id(&app, &key).await;
    let first = written(&Value::Null).await;
    let before = app.state.db.statement_count();
    for _ in 0..20 {
        me_id(&app, &key).await;
    }
    // The change poll (MariaDB, SQLite) may run meanwhile; a write per use would be twenty.
    let statements = app.state.db.statement_count() - before;
    assert!(statements < 5, "twenty uses within the minute cost no statement of their own ({statements})");
    assert_eq!(last_used().await, first);
    app.clock.advance(Duration::from_secs(61));
    me_id(&app, &key).await;
    let second = written(&first).await;
    assert!(second.as_str().unwrap() > first.as_str().unwrap());
    app.stop().await;
}

async fn the_cap_on_keys_holds_against_simultaneous_creations(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    for i in 0..98 {
        create_key(&app, &dev.access, json!({ "name": format!("k{i}") })).await;
    }
    // Eight more at the same moment, each on its own connection: two fit under the cap of 100.
    let answers = app
        .all_at_once(8, |i| {
            (Some(dev.access.clone()), CREATE_KEY.to_owned(), json!({ "i": { "name": format!("late{i}") } }))
        })
        .await;
    let made = answers.iter().filter(|r| r["errors"].is_null()).count();
    assert_eq!(made, 2, "{answers:?}");
    for refused in answers.iter().filter(|r| !r["errors"].is_null()) {
        assert_code(refused, "BAD_USER_INPUT");
    }
    let r = app.gql_as(Some(&dev.access), MY_KEYS, json!({})).await;
    assert_eq!(data(&r)["me"]["apiKeys"].as_array().unwrap().len(), 100);
    app.stop().await;
}

/// Uses of a key released at the same moment as its revocation may each see the key alive
/// or gone; but none may leave it alive in the cache: once the revocation has answered,
/// every use is refused. (A use that read the key before the revocation and cached it after
/// would keep it working.)
async fn a_revocation_released_with_uses_of_the_key_is_final(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let owner = app.signed_in("owner@x.io", &["user"]).await;
    for round in 0..3 {
        let (id, key) = create_key(&app, &owner.access, json!({ "name": format!("round {round}") })).await;
        let answers = app
            .all_at_once(9, |i| match i {
                4 => (Some(owner.access.clone()), REVOKE_KEY.to_owned(), json!({ "id": id })),
                _ => (Some(key.clone()), "{ me { id } }".to_owned(), json!({})),
            })
            .await;
        assert_eq!(data(&answers[4])["revokeApiKey"], id.as_str(), "round {round}");
        for (i, r) in answers.iter().enumerate().filter(|(i, _)| *i != 4) {
            assert!(
                r["errors"].is_null() || r["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED",
                "round {round}, use {i}: {r}"
            );
        }
        for _ in 0..3 {
            assert_code(&me_id(&app, &key).await, "UNAUTHENTICATED");
        }
    }
    app.stop().await;
}
