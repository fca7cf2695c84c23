//! Authentication over HTTP: login, register, refresh rotation and reuse detection,
//! every revocation path, lockout, the one-auth-field rule, re-hashing, key rotation,
//! several instances, and every kind of bad token.

use std::time::Duration;

use base64::Engine as _;
use gerbang::db::entities::user;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::assert::{assert_code, bad_fields, data};
use crate::helpers::fixtures::{DEV_EMAIL, DEV_PASSWORD, PASSWORD, Session};
use crate::helpers::{Backend, TestApp, TestDb};

backend_tests!(
    login_works_by_username_or_email_in_any_case,
    unknown_user_wrong_password_and_inactive_account_answer_alike,
    register_signs_in_with_the_default_role,
    refresh_rotates_and_reuse_after_the_grace_period_revokes_the_session,
    refresh_tokens_expire,
    every_revocation_path_refuses_the_old_access_token_at_once,
    password_changes_end_the_other_sessions,
    repeated_failures_lock_the_account_with_backoff,
    one_request_may_hold_only_one_login,
    a_hash_made_with_old_parameters_is_replaced_at_login,
    rotated_keys_keep_old_tokens_valid,
    two_instances_honour_each_others_logouts,
    bad_tokens_are_unauthenticated_never_errors,
    tokens_with_odd_times_or_critical_headers_are_refused,
    twenty_refreshes_of_one_token_at_once_share_one_successor,
    sessions_end_at_their_maximum_lifetime_however_often_refreshed,
);

const ME: &str = "{ me { id } }";
const REFRESH: &str =
    "mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken user { id email } } }";

async fn me_code(app: &TestApp, token: &str) -> Option<String> {
    let resp = app.gql_as(Some(token), ME, json!({})).await;
    resp["errors"][0]["extensions"]["code"].as_str().map(str::to_owned)
}

async fn login_works_by_username_or_email_in_any_case(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    for who in [DEV_EMAIL, "DEV@Gerbang.Test", "admin", "ADMIN"] {
        let resp = app.login(who, DEV_PASSWORD).await;
        let p = &data(&resp)["login"];
        assert_eq!(p["tokenType"], "Bearer", "{who}");
        assert_eq!(p["expiresIn"], 900, "15 minutes");
        assert_eq!(p["user"]["email"], DEV_EMAIL, "the signed-in user sees its own email");
    }
    let s = app.developer().await;
    assert_eq!(me_code(&app, &s.access).await, None);
    app.stop().await;
}

async fn unknown_user_wrong_password_and_inactive_account_answer_alike(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    let id = app.create_user("idle@x.io", &["user"]).await;
    let deactivate = "mutation($id: ID!) { updateUser(id: $id, input: { isActive: false }) { isActive } }";
    data(&app.gql_as(Some(&dev.access), deactivate, json!({ "id": id })).await);

    let unknown = app.login("nobody@x.io", PASSWORD).await;
    let wrong = app.login(DEV_EMAIL, "not the password at all").await;
    let inactive = app.login("idle@x.io", PASSWORD).await;
    for resp in [&unknown, &wrong, &inactive] {
        assert_code(resp, "UNAUTHENTICATED");
        assert!(resp["data"].is_null());
    }
    assert_eq!(unknown["errors"][0]["message"], wrong["errors"][0]["message"]);
    assert_eq!(wrong["errors"][0]["message"], inactive["errors"][0]["message"]);
    app.stop().await;
}

async fn register_signs_in_with_the_default_role(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let register = "mutation($i: RegisterInput!) { register(input: $i) { accessToken refreshToken user { id email username roles { name } } } }";
    let resp =
        app.gql(register, json!({ "i": { "email": "New@X.io", "password": PASSWORD, "username": "newbie" } })).await;
    let s = Session::from_payload(&resp, "register");
    assert_eq!(data(&resp)["register"]["user"]["roles"], json!([{ "name": "user" }]));
    assert_eq!(me_code(&app, &s.access).await, None, "the new account is signed in");

    let dup = app.gql(register, json!({ "i": { "email": "new@x.io", "password": PASSWORD } })).await;
    assert_code(&dup, "CONFLICT");
    let bad = app.gql(register, json!({ "i": { "email": "nope", "password": "qwerty" } })).await;
    assert_code(&bad, "BAD_USER_INPUT");
    assert_eq!(bad_fields(&bad), ["email", "password"]);
    app.stop().await;

    let closed = TestApp::spawn_with(&db, |c| c.allow_registration = false).await;
    let resp = closed.gql(register, json!({ "i": { "email": "late@x.io", "password": PASSWORD } })).await;
    assert_code(&resp, "FORBIDDEN");
    closed.stop().await;
}

async fn refresh_rotates_and_reuse_after_the_grace_period_revokes_the_session(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let s0 = app.developer().await;

    let r1 = app.gql(REFRESH, json!({ "t": s0.refresh })).await;
    let s1 = Session::from_payload(&r1, "refreshToken");
    assert_ne!(s1.refresh, s0.refresh, "a new refresh token every time");
    assert_eq!(me_code(&app, &s1.access).await, None);

    // A second tab presenting the same token a moment later still succeeds.
    let r1b = app.gql(REFRESH, json!({ "t": s0.refresh })).await;
    let s1b = Session::from_payload(&r1b, "refreshToken");

    // Past the grace period, presenting it again is reuse: the whole session ends.
    app.clock.advance(Duration::from_secs(11));
    assert_code(&app.gql(REFRESH, json!({ "t": s0.refresh })).await, "UNAUTHENTICATED");
    assert_code(&app.gql(REFRESH, json!({ "t": s1.refresh })).await, "UNAUTHENTICATED");
    assert_code(&app.gql(REFRESH, json!({ "t": s1b.refresh })).await, "UNAUTHENTICATED");
    assert_eq!(me_code(&app, &s1.access).await.as_deref(), Some("UNAUTHENTICATED"), "its access tokens too");

    let other = app.developer().await;
    assert_eq!(me_code(&app, &other.access).await, None, "other sessions are untouched");
    assert_code(&app.gql(REFRESH, json!({ "t": "made-up" })).await, "UNAUTHENTICATED");
    app.stop().await;
}

async fn refresh_tokens_expire(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let s = app.developer().await;
    app.clock.advance(Duration::from_secs(29 * 24 * 3600));
    let r = app.gql(REFRESH, json!({ "t": s.refresh })).await;
    let s2 = Session::from_payload(&r, "refreshToken");
    app.clock.advance(Duration::from_secs(31 * 24 * 3600));
    assert_code(&app.gql(REFRESH, json!({ "t": s2.refresh })).await, "UNAUTHENTICATED");
    assert_eq!(me_code(&app, &s2.access).await.as_deref(), Some("UNAUTHENTICATED"), "expired access token");
    app.stop().await;
}

async fn every_revocation_path_refuses_the_old_access_token_at_once(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;

    // Logout.
    let s = app.signed_in("out@x.io", &["user"]).await;
    assert_eq!(data(&app.gql_as(Some(&s.access), "mutation { logout }", json!({})).await)["logout"], true);
    assert_eq!(me_code(&app, &s.access).await.as_deref(), Some("UNAUTHENTICATED"));
    assert_code(&app.gql(REFRESH, json!({ "t": s.refresh })).await, "UNAUTHENTICATED");

    // Logout with only the refresh token (the access token expired in the browser).
    let s = app.session("out@x.io", PASSWORD).await;
    let resp = app.gql("mutation($t: String) { logout(refreshToken: $t) }", json!({ "t": s.refresh })).await;
    assert_eq!(data(&resp)["logout"], true);
    assert_eq!(me_code(&app, &s.access).await.as_deref(), Some("UNAUTHENTICATED"));
    assert_code(&app.gql("mutation { logout }", json!({})).await, "UNAUTHENTICATED");

    // Deactivation.
    let id = app.create_user("deact@x.io", &["user"]).await;
    let s = app.session("deact@x.io", PASSWORD).await;
    let deactivate = "mutation($id: ID!) { updateUser(id: $id, input: { isActive: false }) { id } }";
    data(&app.gql_as(Some(&dev.access), deactivate, json!({ "id": id })).await);
    assert_eq!(me_code(&app, &s.access).await.as_deref(), Some("UNAUTHENTICATED"));
    assert_code(&app.gql(REFRESH, json!({ "t": s.refresh })).await, "UNAUTHENTICATED");

    // Deletion.
    let id = app.create_user("del@x.io", &["user"]).await;
    let s = app.session("del@x.io", PASSWORD).await;
    data(&app.gql_as(Some(&dev.access), "mutation($id: ID!) { deleteUser(id: $id) }", json!({ "id": id })).await);
    assert_eq!(me_code(&app, &s.access).await.as_deref(), Some("UNAUTHENTICATED"));

    // A password set by an administrator ends every session.
    let id = app.create_user("reset@x.io", &["user"]).await;
    let s = app.session("reset@x.io", PASSWORD).await;
    let set = "mutation($id: ID!) { setUserPassword(id: $id, password: \"a fresh passphrase here\") { id } }";
    data(&app.gql_as(Some(&dev.access), set, json!({ "id": id })).await);
    assert_eq!(me_code(&app, &s.access).await.as_deref(), Some("UNAUTHENTICATED"));
    app.stop().await;
}

async fn password_changes_end_the_other_sessions(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.create_user("pw@x.io", &["user"]).await;
    let here = app.session("pw@x.io", PASSWORD).await;
    let elsewhere = app.session("pw@x.io", PASSWORD).await;
    let change = "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }";

    let wrong =
        app.gql_as(Some(&here.access), change, json!({ "c": "not my password", "n": "another fine passphrase" })).await;
    assert_code(&wrong, "BAD_USER_INPUT");
    assert_eq!(bad_fields(&wrong), ["currentPassword"]);
    let weak = app.gql_as(Some(&here.access), change, json!({ "c": PASSWORD, "n": "password" })).await;
    assert_eq!(bad_fields(&weak), ["newPassword"]);

    let ok = app.gql_as(Some(&here.access), change, json!({ "c": PASSWORD, "n": "another fine passphrase" })).await;
    assert_eq!(data(&ok)["changePassword"], true);
    assert_eq!(me_code(&app, &here.access).await, None, "the caller's own session stays");
    assert_eq!(me_code(&app, &elsewhere.access).await.as_deref(), Some("UNAUTHENTICATED"), "the others end");
    assert_code(&app.login("pw@x.io", PASSWORD).await, "UNAUTHENTICATED");
    app.session("pw@x.io", "another fine passphrase").await;
    assert_code(&app.gql(change, json!({ "c": PASSWORD, "n": "x" })).await, "UNAUTHENTICATED");
    app.stop().await;
}

async fn repeated_failures_lock_the_account_with_backoff(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    for _ in 0..5 {
        assert_code(&app.login(DEV_EMAIL, "wrong password!").await, "UNAUTHENTICATED");
    }
    let locked = app.login(DEV_EMAIL, DEV_PASSWORD).await;
    assert_code(&locked, "TOO_MANY_REQUESTS");
    assert_eq!(locked["errors"][0]["extensions"]["retryAfter"], 30, "no password is checked while locked");

    app.clock.advance(Duration::from_secs(31));
    assert_code(&app.login(DEV_EMAIL, "wrong password!").await, "UNAUTHENTICATED");
    let longer = app.login(DEV_EMAIL, DEV_PASSWORD).await;
    assert_eq!(longer["errors"][0]["extensions"]["retryAfter"], 60, "the lock doubles");

    app.clock.advance(Duration::from_secs(61));
    data(&app.login(DEV_EMAIL, DEV_PASSWORD).await);
    // A success resets the count: one more failure does not lock again.
    assert_code(&app.login(DEV_EMAIL, "wrong password!").await, "UNAUTHENTICATED");
    data(&app.login(DEV_EMAIL, DEV_PASSWORD).await);
    app.stop().await;
}

async fn one_request_may_hold_only_one_login(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let aliases: Vec<String> = (0..6)
        .map(|i| format!("a{i}: login(input: {{ usernameOrEmail: \"{DEV_EMAIL}\", password: \"guess number {i}\" }}) {{ accessToken }}"))
        .collect();
    let resp = app.gql(&format!("mutation {{ {} }}", aliases.join(" ")), json!({})).await;
    assert_code(&resp, "BAD_USER_INPUT");
    assert!(resp["data"].is_null());

    let batch: Vec<Value> = (0..6)
        .map(|i| json!({ "query": crate::helpers::fixtures::LOGIN, "variables": { "u": DEV_EMAIL, "p": format!("guess {i}") } }))
        .collect();
    let resp: Value = app.http.post(app.url("/graphql")).json(&batch).send().await.unwrap().json().await.unwrap();
    assert_eq!(resp["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{resp}");

    data(&app.login(DEV_EMAIL, DEV_PASSWORD).await);
    app.stop().await;
}

async fn a_hash_made_with_old_parameters_is_replaced_at_login(db: TestDb) {
    let old = TestApp::spawn(&db).await;
    old.create_user("legacy@x.io", &["user"]).await;
    old.stop().await;

    let new = TestApp::spawn_with(&db, |c| c.argon2_memory_kib = 128).await;
    let stored = |app: &TestApp| {
        let conn = app.state.db.conn.clone();
        async move {
            user::Entity::find()
                .filter(user::Column::Email.eq("legacy@x.io"))
                .one(&conn)
                .await
                .unwrap()
                .unwrap()
                .password_hash
                .unwrap()
        }
    };
    assert!(stored(&new).await.contains("m=64,"), "made with the old cost");
    new.session("legacy@x.io", PASSWORD).await;
    assert!(stored(&new).await.contains("m=128,"), "re-hashed with the configured cost");
    new.session("legacy@x.io", PASSWORD).await;
    new.stop().await;
}

async fn rotated_keys_keep_old_tokens_valid(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let before = app.developer().await;
    let old_kid = gerbang::auth::tokens::kid_of(&before.access).unwrap();

    let new_kid = gerbang::auth::keys::rotate(&app.state.db, app.state.clock.as_ref()).await.unwrap();
    app.state.keys.reload(&app.state.db.conn, app.state.clock.as_ref()).await.unwrap();
    let after = app.developer().await;
    assert_eq!(gerbang::auth::tokens::kid_of(&after.access).unwrap(), new_kid, "new tokens use the new key");
    assert_ne!(old_kid, new_kid);
    assert_eq!(me_code(&app, &before.access).await, None, "tokens of the previous key still work");
    assert_eq!(me_code(&app, &after.access).await, None);

    let jwks: Value = app.http.get(app.url("/.well-known/jwks.json")).send().await.unwrap().json().await.unwrap();
    let kids: Vec<&str> = jwks["keys"].as_array().unwrap().iter().map(|k| k["kid"].as_str().unwrap()).collect();
    assert!(kids.contains(&old_kid.as_str()) && kids.contains(&new_kid.as_str()), "{kids:?}");
    app.stop().await;
}

async fn two_instances_honour_each_others_logouts(db: TestDb) {
    let one = TestApp::spawn(&db).await;
    let two = TestApp::spawn(&db).await;
    let s = one.developer().await;
    assert_eq!(me_code(&two, &s.access).await, None, "a token from one instance works on the other");

    // A key rotated through the other instance's database is picked up on first sight.
    gerbang::auth::keys::rotate(&two.state.db, two.state.clock.as_ref()).await.unwrap();
    two.state.keys.reload(&two.state.db.conn, two.state.clock.as_ref()).await.unwrap();
    let s2 = two.developer().await;
    assert_eq!(me_code(&one, &s2.access).await, None, "instance one learns the new key when it sees it");

    data(&one.gql_as(Some(&s.access), "mutation { logout }", json!({})).await);
    assert_eq!(me_code(&one, &s.access).await.as_deref(), Some("UNAUTHENTICATED"), "at once where it happened");
    // Elsewhere within the second the change link takes at most (tests/api/live.rs).
    let started = std::time::Instant::now();
    while me_code(&two, &s.access).await.as_deref() != Some("UNAUTHENTICATED") {
        assert!(started.elapsed() < Duration::from_secs(1), "the other instance honours the logout within 1 s");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    one.stop().await;
    two.stop().await;
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn parts(token: &str) -> (Value, Value) {
    let mut it = token.split('.');
    let mut next = || {
        serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(it.next().unwrap()).unwrap())
            .unwrap()
    };
    (next(), next())
}

async fn bad_tokens_are_unauthenticated_never_errors(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let s = app.developer().await;
    let (header, claims) = parts(&s.access);
    let sig = s.access.rsplit('.').next().unwrap();

    let mut elevated = claims.clone();
    elevated["sub"] = json!(uuid::Uuid::now_v7().to_string());
    let tampered = format!("{}.{}.{sig}", b64(header.to_string().as_bytes()), b64(elevated.to_string().as_bytes()));

    let none_header = json!({ "alg": "none", "typ": "JWT", "kid": header["kid"] });
    let alg_none = format!("{}.{}.", b64(none_header.to_string().as_bytes()), b64(claims.to_string().as_bytes()));

    // HS256 keyed with the public key: the classic algorithm-confusion attack.
    let jwks: Value = app.http.get(app.url("/.well-known/jwks.json")).send().await.unwrap().json().await.unwrap();
    let public =
        base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(jwks["keys"][0]["x"].as_str().unwrap()).unwrap();
    let mut hs_header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
    hs_header.kid = header["kid"].as_str().map(str::to_owned);
    let confused = jsonwebtoken::encode(&hs_header, &claims, &jsonwebtoken::EncodingKey::from_secret(&public)).unwrap();

    let other_audience = {
        let other = TestApp::spawn_with(&db, |c| c.jwt_audience = "someone-else".into()).await;
        let t = other.developer().await.access;
        other.stop().await;
        t
    };

    for (what, token) in [
        ("garbage", "not-a-jwt".to_owned()),
        ("tampered", tampered),
        ("alg none", alg_none),
        ("HS256 with the public key", confused),
        ("wrong audience", other_audience),
    ] {
        assert_eq!(me_code(&app, &token).await.as_deref(), Some("UNAUTHENTICATED"), "{what}");
    }
    let basic = app
        .http
        .post(app.url("/graphql"))
        .header("authorization", "Basic YTpi")
        .json(&json!({ "query": ME }))
        .send()
        .await
        .unwrap();
    let basic: Value = basic.json().await.unwrap();
    assert_code(&basic, "UNAUTHENTICATED");

    // A bad token does not block signing in again.
    let resp = app
        .gql_as(Some("not-a-jwt"), crate::helpers::fixtures::LOGIN, json!({ "u": DEV_EMAIL, "p": DEV_PASSWORD }))
        .await;
    data(&resp);

    app.clock.advance(Duration::from_secs(15 * 60 + 1));
    assert_eq!(me_code(&app, &s.access).await.as_deref(), Some("UNAUTHENTICATED"), "expired");
    app.stop().await;
}

async fn twenty_refreshes_of_one_token_at_once_share_one_successor(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let s = app.developer().await;
    let responses = app.all_at_once(20, |_| (None, REFRESH.into(), json!({ "t": s.refresh }))).await;
    let successors: std::collections::BTreeSet<String> =
        responses.iter().map(|r| data(r)["refreshToken"]["refreshToken"].as_str().unwrap().to_owned()).collect();
    assert_eq!(successors.len(), 1, "one stolen token never becomes many live ones: {successors:?}");
    let next = successors.into_iter().next().unwrap();
    // The chain goes on from that one successor, and the old token is reuse after the grace.
    let s2 = Session::from_payload(&app.gql(REFRESH, json!({ "t": next })).await, "refreshToken");
    app.clock.advance(Duration::from_secs(11));
    assert_code(&app.gql(REFRESH, json!({ "t": s.refresh })).await, "UNAUTHENTICATED");
    assert_code(&app.gql(REFRESH, json!({ "t": s2.refresh })).await, "UNAUTHENTICATED");
    assert_eq!(me_code(&app, &s2.access).await.as_deref(), Some("UNAUTHENTICATED"), "reuse ended the session");
    app.stop().await;
}

async fn sessions_end_at_their_maximum_lifetime_however_often_refreshed(db: TestDb) {
    let app = TestApp::spawn_with(&db, |c| {
        c.session_max_lifetime = Duration::from_secs(3600);
        c.access_token_ttl = Duration::from_secs(1800);
    })
    .await;
    let mut s = app.developer().await;
    for _ in 0..2 {
        app.clock.advance(Duration::from_secs(20 * 60));
        s = Session::from_payload(&app.gql(REFRESH, json!({ "t": s.refresh })).await, "refreshToken");
    }
    assert_eq!(me_code(&app, &s.access).await, None, "40 minutes in, all is well");
    app.clock.advance(Duration::from_secs(20 * 60 + 1));
    // The access token (issued at 40 minutes, for 30) has not expired: the session has.
    assert_eq!(me_code(&app, &s.access).await.as_deref(), Some("UNAUTHENTICATED"), "an hour after sign-in");
    assert_code(&app.gql(REFRESH, json!({ "t": s.refresh })).await, "UNAUTHENTICATED");
    app.stop().await;
}

/// A token signed with the instance's own key, with the header and claims given.
fn forge(app: &TestApp, header: &Value, claims: &Value) -> String {
    let (_, key) = app.state.keys.signer();
    let message = format!("{}.{}", b64(header.to_string().as_bytes()), b64(claims.to_string().as_bytes()));
    let signature = jsonwebtoken::crypto::sign(message.as_bytes(), &key, jsonwebtoken::Algorithm::EdDSA).unwrap();
    format!("{message}.{signature}")
}

async fn tokens_with_odd_times_or_critical_headers_are_refused(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let s = app.developer().await;
    let (header, claims) = parts(&s.access);
    assert_eq!(header["typ"], "at+jwt", "RFC 9068's media type");
    for claim in ["sub", "sid", "iss", "aud", "iat", "nbf", "exp", "jti"] {
        assert!(!claims[claim].is_null(), "{claim} in {claims}");
    }
    let now = claims["iat"].as_i64().unwrap();
    let with = |changes: Value| {
        let mut c = claims.clone();
        for (k, v) in changes.as_object().unwrap() {
            c[k] = v.clone();
        }
        c
    };
    // The same claims, re-signed: accepted, so what follows is refused for its content alone.
    assert_eq!(me_code(&app, &forge(&app, &header, &claims)).await, None);
    let mut crit = header.clone();
    crit["crit"] = json!(["exp"]);
    for (what, token) in [
        ("not valid before a minute from now", forge(&app, &header, &with(json!({ "nbf": now + 120 })))),
        ("issued in the future", forge(&app, &header, &with(json!({ "iat": now + 120, "nbf": now })))),
        ("lives a day", forge(&app, &header, &with(json!({ "exp": now + 24 * 3600 })))),
        ("names a critical extension", forge(&app, &crit, &claims)),
        (
            "is not an access token",
            forge(&app, &json!({ "alg": "EdDSA", "kid": header["kid"], "typ": "dpop+jwt" }), &claims),
        ),
    ] {
        assert_eq!(me_code(&app, &token).await.as_deref(), Some("UNAUTHENTICATED"), "a token that {what}");
    }
    app.stop().await;
}

#[tokio::test]
async fn logins_from_one_address_are_rate_limited() {
    let db = TestDb::create(Backend::Sqlite).await.unwrap();
    let app = TestApp::spawn_with(&db, |c| c.auth_rate_per_ip = 3).await;
    for _ in 0..3 {
        assert_code(&app.login("nobody@x.io", "whatever it is").await, "UNAUTHENTICATED");
    }
    let limited = app.login(DEV_EMAIL, DEV_PASSWORD).await;
    assert_code(&limited, "TOO_MANY_REQUESTS");
    assert!(limited["errors"][0]["extensions"]["retryAfter"].as_u64().unwrap() >= 1);
    app.stop().await;
}

#[tokio::test]
async fn a_configured_pem_key_signs_the_tokens() {
    use ed25519_dalek::pkcs8::EncodePrivateKey;
    let db = TestDb::create(Backend::Sqlite).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let key = ed25519_dalek::SigningKey::generate(&mut rand_core::OsRng);
    let pem = key.to_pkcs8_pem(ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF).unwrap();
    let path = dir.path().join("signing.pem");
    std::fs::write(&path, pem.as_bytes()).unwrap();

    let app = TestApp::spawn_with(&db, |c| c.signing_key_file = Some(path.clone())).await;
    let s = app.developer().await;
    let jwks: Value = app.http.get(app.url("/.well-known/jwks.json")).send().await.unwrap().json().await.unwrap();
    assert_eq!(jwks["keys"].as_array().unwrap().len(), 1);
    let x = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(jwks["keys"][0]["x"].as_str().unwrap()).unwrap();
    assert_eq!(x, key.verifying_key().to_bytes(), "the published key is the configured one");
    assert_eq!(gerbang::auth::tokens::kid_of(&s.access).unwrap(), jwks["keys"][0]["kid"].as_str().unwrap());
    assert_eq!(me_code(&app, &s.access).await, None);
    app.stop().await;

    std::fs::write(&path, "not a key").unwrap();
    let mut config = crate::helpers::test_config(&db);
    config.signing_key_file = Some(path);
    let err = gerbang::app::App::build(config).await.err().expect("a bad key file stops start-up");
    assert!(format!("{err:#}").contains("GERBANG_SIGNING_KEY_FILE"), "{err:#}");
}

#[test]
fn keys_rotate_adds_a_key_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("g.db").display());
    let run = || {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_gerbang"))
            .args(["keys", "rotate"])
            .env("GERBANG_DATABASE_URL", &url)
            .env("GERBANG_LOG", "warn")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let first = run();
    let second = run();
    assert!(first.starts_with("new signing key "), "{first}");
    assert_ne!(first, second, "each rotation makes a new key");
}
