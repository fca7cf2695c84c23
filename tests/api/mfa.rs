//! Multi-factor sign-in (shared/API.md): TOTP enrolment, the two-step login with a code or
//! a recovery code, and who may turn a second factor off.

use std::time::Duration;

use chrono::{DateTime, Utc};
use gerbang::clock::Clock as _;
use serde_json::{Value, json};

use crate::api_keys::create_key;
use crate::helpers::assert::{assert_code, bad_fields, data};
use crate::helpers::fixtures::{PASSWORD, Session};
use crate::helpers::{TestApp, TestDb};

backend_tests!(
    enrolment_changes_nothing_until_a_code_confirms_it,
    sign_in_takes_a_password_then_a_code_that_works_once,
    wrong_codes_count_towards_the_lockout,
    recovery_codes_work_once_and_regenerating_replaces_them,
    turning_totp_off_needs_the_password_and_an_administrator_can_reset_it,
    a_code_presented_at_the_same_moment_works_once,
    totp_secrets_are_sealed_at_rest_bound_to_their_user_and_rotate,
);

const BEGIN: &str = "mutation { beginTotpEnrollment { secret otpauthUri qrSvg } }";
const CONFIRM: &str = "mutation($c: String!) { confirmTotpEnrollment(code: $c) }";
const COMPLETE: &str = "mutation($t: String!, $c: String!) { completeLogin(mfaToken: $t, code: $c) { accessToken refreshToken tokenType expiresIn user { id email } } }";
const METHODS: &str = "{ me { mfaMethods } }";
const DISABLE: &str = "mutation($p: String!) { disableTotp(currentPassword: $p) }";
const REGENERATE: &str = "mutation($p: String!) { regenerateRecoveryCodes(currentPassword: $p) }";

/// The code an authenticator app shows at `at`.
fn code_at(secret: &str, at: DateTime<Utc>) -> String {
    let totp = totp_rs::Builder::new().with_secret(totp_rs::Secret::try_from_base32(secret).unwrap()).build().unwrap();
    totp.generate(u64::try_from(at.timestamp()).unwrap()).to_string()
}

/// The code of the app's clock now, `steps` 30-second steps ahead.
pub(crate) fn code(app: &TestApp, secret: &str, steps: i64) -> String {
    code_at(secret, app.clock.now() + chrono::Duration::seconds(30 * steps))
}

/// Turns TOTP on for the session's user; returns the secret and the recovery codes.
pub(crate) async fn enable(app: &TestApp, session: &Session) -> (String, Vec<String>) {
    let r = app.gql_as(Some(&session.access), BEGIN, json!({})).await;
    let secret = data(&r)["beginTotpEnrollment"]["secret"].as_str().unwrap().to_owned();
    let r = app.gql_as(Some(&session.access), CONFIRM, json!({ "c": code(app, &secret, 0) })).await;
    let codes = data(&r)["confirmTotpEnrollment"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_owned());
    (secret, codes.collect())
}

/// `login`'s answer when a second factor is needed: its mfaToken.
fn mfa_token(resp: &Value) -> String {
    assert_code(resp, "UNAUTHENTICATED");
    assert!(resp["data"].is_null(), "no tokens before the second step: {resp}");
    let ext = &resp["errors"][0]["extensions"];
    assert_eq!(ext["mfaRequired"], true, "{resp}");
    ext["mfaToken"].as_str().unwrap().to_owned()
}

async fn methods(app: &TestApp, token: &str) -> Value {
    data(&app.gql_as(Some(token), METHODS, json!({})).await)["me"]["mfaMethods"].clone()
}

async fn enrolment_changes_nothing_until_a_code_confirms_it(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let ana = app.signed_in("ana@example.com", &[]).await;
    let r = app.gql_as(Some(&ana.access), BEGIN, json!({})).await;
    let enrolment = data(&r)["beginTotpEnrollment"].clone();
    let secret = enrolment["secret"].as_str().unwrap();
    assert_eq!(secret.len(), 32, "160 bits in base32");
    let uri = enrolment["otpauthUri"].as_str().unwrap();
    assert!(uri.starts_with("otpauth://totp/gerbang:ana%40example.com?secret=") && uri.contains(secret), "{uri}");
    assert!(
        enrolment["qrSvg"].as_str().unwrap().starts_with("<?xml")
            || enrolment["qrSvg"].as_str().unwrap().contains("<svg")
    );

    // Pending: sign-in is unchanged.
    assert_eq!(methods(&app, &ana.access).await, json!([]));
    app.session("ana@example.com", PASSWORD).await;
    let wrong = app.gql_as(Some(&ana.access), CONFIRM, json!({ "c": "000000" })).await;
    let wrong = if bad_fields(&wrong).is_empty() {
        // 000000 happened to be the code: try one that cannot be.
        app.gql_as(Some(&ana.access), CONFIRM, json!({ "c": "12345" })).await
    } else {
        wrong
    };
    assert_eq!(bad_fields(&wrong), ["code"]);
    assert_eq!(methods(&app, &ana.access).await, json!([]));

    let r = app.gql_as(Some(&ana.access), CONFIRM, json!({ "c": code(&app, secret, 0) })).await;
    let codes = data(&r)["confirmTotpEnrollment"].as_array().unwrap().clone();
    assert_eq!(codes.len(), 10);
    assert_eq!(methods(&app, &ana.access).await, json!(["TOTP", "RECOVERY_CODE"]));
    mfa_token(&app.login("ana@example.com", PASSWORD).await);
    // On already: a second enrolment is refused, and confirming has nothing to confirm.
    assert_code(&app.gql_as(Some(&ana.access), BEGIN, json!({})).await, "CONFLICT");
    assert_code(&app.gql_as(Some(&ana.access), CONFIRM, json!({ "c": code(&app, secret, 1) })).await, "CONFLICT");
    // Private, and never for a key.
    let bo = app.signed_in("bo@example.com", &[]).await;
    let q = "query($id: ID!) { user(id: $id) { mfaMethods } }";
    assert_code(&app.gql_as(Some(&bo.access), q, json!({ "id": ana.user_id })).await, "FORBIDDEN");
    let dev = app.developer().await;
    let (_, key) = create_key(&app, &dev.access, json!({ "name": "ci" })).await;
    assert_code(&app.gql_as(Some(&key), BEGIN, json!({})).await, "FORBIDDEN");
    let q = "query { auditEvents(filter: { actions: [MFA_ENABLED] }) { nodes { subjectUserId details } } }";
    let events = data(&app.gql_as(Some(&dev.access), q, json!({})).await)["auditEvents"]["nodes"].clone();
    assert_eq!(events, json!([{ "subjectUserId": ana.user_id, "details": { "method": "TOTP" } }]));
    assert!(!events.to_string().contains(secret));
    app.stop().await;
}

async fn sign_in_takes_a_password_then_a_code_that_works_once(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let cy = app.signed_in("cy@example.com", &[]).await;
    let (secret, _) = enable(&app, &cy).await;

    let r = app.login("cy@example.com", PASSWORD).await;
    let token = mfa_token(&r);
    assert_eq!(r["errors"][0]["extensions"]["methods"], json!(["TOTP", "RECOVERY_CODE"]));
    // A wrong password says nothing about a second factor.
    let r = app.login("cy@example.com", "not the password").await;
    assert_code(&r, "UNAUTHENTICATED");
    assert!(r["errors"][0]["extensions"]["mfaRequired"].is_null());

    // The code the enrolment used is spent; the next one signs in.
    assert_code(&app.gql(COMPLETE, json!({ "t": token, "c": code(&app, &secret, 0) })).await, "UNAUTHENTICATED");
    let next = code(&app, &secret, 1);
    let r = app.gql(COMPLETE, json!({ "t": token, "c": next })).await;
    let s = Session::from_payload(&r, "completeLogin");
    assert_eq!(s.user_id, cy.user_id);
    assert_eq!(data(&app.gql_as(Some(&s.access), "{ me { id } }", json!({})).await)["me"]["id"], cy.user_id.as_str());
    // The token works once; the code works once, even with a new token.
    let again = code(&app, &secret, 2);
    assert_code(&app.gql(COMPLETE, json!({ "t": token, "c": again })).await, "UNAUTHENTICATED");
    let token = mfa_token(&app.login("cy@example.com", PASSWORD).await);
    assert_code(&app.gql(COMPLETE, json!({ "t": token, "c": next })).await, "UNAUTHENTICATED");
    app.clock.advance(Duration::from_secs(60));
    data(&app.gql(COMPLETE, json!({ "t": token, "c": code(&app, &secret, 0) })).await);

    // An mfaToken lives five minutes.
    let token = mfa_token(&app.login("cy@example.com", PASSWORD).await);
    app.clock.advance(Duration::from_secs(301));
    assert_code(&app.gql(COMPLETE, json!({ "t": token, "c": code(&app, &secret, 0) })).await, "UNAUTHENTICATED");
    assert_code(&app.gql(COMPLETE, json!({ "t": "forged", "c": "123456" })).await, "UNAUTHENTICATED");
    app.stop().await;
}

async fn wrong_codes_count_towards_the_lockout(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dee = app.signed_in("dee@example.com", &[]).await;
    let (secret, _) = enable(&app, &dee).await;
    let token = mfa_token(&app.login("dee@example.com", PASSWORD).await);
    let right = code(&app, &secret, 1);
    let wrong = if right == "111111" { "222222" } else { "111111" };
    for _ in 0..5 {
        assert_code(&app.gql(COMPLETE, json!({ "t": token, "c": wrong })).await, "UNAUTHENTICATED");
    }
    // Locked: the right code, and the password, wait like after wrong passwords.
    assert_code(&app.gql(COMPLETE, json!({ "t": token, "c": right })).await, "TOO_MANY_REQUESTS");
    assert_code(&app.login("dee@example.com", PASSWORD).await, "TOO_MANY_REQUESTS");
    // A right password does not reset the count: four wrong codes, a new token, one more.
    app.clock.advance(Duration::from_secs(3600));
    let ed = app.signed_in("ed@example.com", &[]).await;
    let (secret, _) = enable(&app, &ed).await;
    let token = mfa_token(&app.login("ed@example.com", PASSWORD).await);
    for _ in 0..4 {
        assert_code(&app.gql(COMPLETE, json!({ "t": token, "c": wrong })).await, "UNAUTHENTICATED");
    }
    let token = mfa_token(&app.login("ed@example.com", PASSWORD).await);
    assert_code(&app.gql(COMPLETE, json!({ "t": token, "c": wrong })).await, "UNAUTHENTICATED");
    assert_code(&app.gql(COMPLETE, json!({ "t": token, "c": code(&app, &secret, 1) })).await, "TOO_MANY_REQUESTS");
    let dev = app.developer().await;
    let q = "query { auditEvents(filter: { actions: [LOGIN_FAILED] }) { nodes { details } } }";
    let events = data(&app.gql_as(Some(&dev.access), q, json!({})).await)["auditEvents"]["nodes"].to_string();
    assert!(events.contains("wrongCode"), "{events}");
    app.stop().await;
}

async fn recovery_codes_work_once_and_regenerating_replaces_them(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let fay = app.signed_in("fay@example.com", &[]).await;
    let (_, codes) = enable(&app, &fay).await;
    let token = mfa_token(&app.login("fay@example.com", PASSWORD).await);
    // As people copy them: in capitals, with spaces.
    let typed = format!(" {} ", codes[0].to_uppercase().replace('-', " "));
    let s = Session::from_payload(&app.gql(COMPLETE, json!({ "t": token, "c": typed })).await, "completeLogin");
    let token = mfa_token(&app.login("fay@example.com", PASSWORD).await);
    assert_code(&app.gql(COMPLETE, json!({ "t": token, "c": codes[0] })).await, "UNAUTHENTICATED");

    let r = app.gql_as(Some(&s.access), REGENERATE, json!({ "p": "wrong password" })).await;
    assert_eq!(bad_fields(&r), ["currentPassword"]);
    let r = app.gql_as(Some(&s.access), REGENERATE, json!({ "p": PASSWORD })).await;
    let fresh: Vec<String> = data(&r)["regenerateRecoveryCodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(fresh.len(), 10);
    assert!(fresh.iter().all(|c| !codes.contains(c)));
    let token = mfa_token(&app.login("fay@example.com", PASSWORD).await);
    assert_code(&app.gql(COMPLETE, json!({ "t": token, "c": codes[1] })).await, "UNAUTHENTICATED");
    let token = mfa_token(&app.login("fay@example.com", PASSWORD).await);
    data(&app.gql(COMPLETE, json!({ "t": token, "c": fresh[0] })).await);

    let dev = app.developer().await;
    let q = "query { auditEvents(filter: { actions: [LOGIN_SUCCEEDED, RECOVERY_CODES_REGENERATED] }) { nodes { action subjectUserId details } } }";
    let r = app.gql_as(Some(&dev.access), q, json!({})).await;
    let events: Vec<Value> = data(&r)["auditEvents"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["subjectUserId"] == fay.user_id.as_str())
        .cloned()
        .collect();
    let shape: Vec<(String, String)> = events
        .iter()
        .map(|e| (e["action"].as_str().unwrap().to_owned(), e["details"]["method"].as_str().unwrap_or("").to_owned()))
        .collect();
    let expected =
        [("LOGIN_SUCCEEDED", "recoveryCode"), ("RECOVERY_CODES_REGENERATED", ""), ("LOGIN_SUCCEEDED", "recoveryCode")];
    assert_eq!(&shape[..3], expected.map(|(a, m)| (a.to_owned(), m.to_owned())));
    assert!(codes.iter().chain(&fresh).all(|c| !r.to_string().contains(c.as_str())));
    app.stop().await;
}

async fn turning_totp_off_needs_the_password_and_an_administrator_can_reset_it(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let gus = app.signed_in("gus@example.com", &[]).await;
    enable(&app, &gus).await;
    assert_eq!(
        bad_fields(&app.gql_as(Some(&gus.access), DISABLE, json!({ "p": "wrong password" })).await),
        ["currentPassword"]
    );
    assert_eq!(data(&app.gql_as(Some(&gus.access), DISABLE, json!({ "p": PASSWORD })).await)["disableTotp"], true);
    assert_eq!(data(&app.gql_as(Some(&gus.access), DISABLE, json!({ "p": PASSWORD })).await)["disableTotp"], false);
    app.session("gus@example.com", PASSWORD).await;
    assert_code(&app.gql_as(Some(&gus.access), REGENERATE, json!({ "p": PASSWORD })).await, "CONFLICT");

    // An administrator removes a lost phone, for users within its reach only.
    enable(&app, &gus).await;
    let admin = app.signed_in("admin@example.com", &["admin"]).await;
    let reset = "mutation($id: ID!) { resetUserMfa(userId: $id) }";
    assert_eq!(data(&app.gql_as(Some(&admin.access), reset, json!({ "id": gus.user_id })).await)["resetUserMfa"], true);
    app.session("gus@example.com", PASSWORD).await;
    let dev = app.developer().await;
    assert_code(&app.gql_as(Some(&admin.access), reset, json!({ "id": dev.user_id })).await, "FORBIDDEN");
    assert_code(&app.gql_as(Some(&gus.access), reset, json!({ "id": admin.user_id })).await, "FORBIDDEN");
    assert_code(
        &app.gql_as(Some(&admin.access), reset, json!({ "id": uuid::Uuid::now_v7().to_string() })).await,
        "NOT_FOUND",
    );
    let q = "query { auditEvents(filter: { actions: [MFA_DISABLED] }) { nodes { actorId details } } }";
    let events = data(&app.gql_as(Some(&dev.access), q, json!({})).await)["auditEvents"]["nodes"].clone();
    assert_eq!(
        events,
        json!([
            { "actorId": admin.user_id, "details": { "reset": true, "wasOn": true, "passkeysRemoved": 0 } },
            { "actorId": gus.user_id, "details": { "method": "TOTP" } },
        ])
    );
    app.stop().await;
}

async fn a_code_presented_at_the_same_moment_works_once(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let hal = app.signed_in("hal@example.com", &[]).await;
    let (secret, _) = enable(&app, &hal).await;
    let mut tokens = Vec::new();
    for _ in 0..6 {
        tokens.push(mfa_token(&app.login("hal@example.com", PASSWORD).await));
    }
    let next = code(&app, &secret, 1);
    let answers = app.all_at_once(6, |i| (None, COMPLETE.to_owned(), json!({ "t": tokens[i], "c": next }))).await;
    let signed_in = answers.iter().filter(|r| r["errors"].is_null()).count();
    assert_eq!(signed_in, 1, "{answers:?}");
    app.stop().await;
}

/// What the database holds for the user's TOTP secret.
async fn stored_secret(db: &TestDb, user_id: &str) -> String {
    use gerbang::db::entities::mfa_totp;
    use sea_orm::EntityTrait as _;
    let conn = db.connect().await;
    let row = mfa_totp::Entity::find_by_id(uuid::Uuid::parse_str(user_id).unwrap()).one(&conn).await.unwrap();
    conn.close().await.unwrap();
    row.unwrap().secret
}

async fn store_secret(db: &TestDb, user_id: &str, value: &str) {
    use gerbang::db::entities::mfa_totp;
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait as _, EntityTrait as _, QueryFilter as _};
    let conn = db.connect().await;
    mfa_totp::Entity::update_many()
        .col_expr(mfa_totp::Column::Secret, Expr::value(value))
        .filter(mfa_totp::Column::UserId.eq(uuid::Uuid::parse_str(user_id).unwrap()))
        .exec(&conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
}

/// Signs in with the password and the code of the app's clock, half a minute on.
async fn sign_in_with_code(app: &TestApp, email: &str, secret: &str) -> Value {
    app.clock.advance(Duration::from_secs(30));
    let token = mfa_token(&app.login(email, PASSWORD).await);
    app.gql(COMPLETE, json!({ "t": token, "c": code(app, secret, 0) })).await
}

async fn totp_secrets_are_sealed_at_rest_bound_to_their_user_and_rotate(db: TestDb) {
    const KEY_A: &str = "the first secret key, 32 bytes or more";
    const KEY_B: &str = "the second secret key, 32 bytes or more";
    let app = TestApp::spawn(&db).await;
    let ana = app.signed_in("ana@example.com", &[]).await;
    let (secret, _) = enable(&app, &ana).await;
    let stored = stored_secret(&db, &ana.user_id).await;
    assert!(stored.starts_with("v1.") && !stored.contains(&secret), "sealed: {stored}");
    data(&sign_in_with_code(&app, "ana@example.com", &secret).await);

    // A row from before sealing still signs in, and is sealed on the way.
    store_secret(&db, &ana.user_id, &secret).await;
    data(&sign_in_with_code(&app, "ana@example.com", &secret).await);
    let resealed = stored_secret(&db, &ana.user_id).await;
    assert!(resealed.starts_with("v1.") && !resealed.contains(&secret), "sealed again: {resealed}");

    // Another user's sealed secret, copied to one's own row, does not open.
    let bo = app.signed_in("bo@example.com", &[]).await;
    enable(&app, &bo).await;
    store_secret(&db, &bo.user_id, &resealed).await;
    let r = sign_in_with_code(&app, "bo@example.com", &secret).await;
    assert!(r["data"].is_null() || r["data"]["completeLogin"].is_null(), "{r}");
    assert_code(&r, "INTERNAL_SERVER_ERROR");
    app.stop().await;

    // GERBANG_SECRET_KEY: rows sealed under the database's key open and move to it; after a
    // rotation, the previous key opens what it sealed until each row is used again.
    let with = |current: &'static str, previous: Option<&'static str>| {
        move |c: &mut gerbang::config::Config| {
            c.secret_key = Some(current.into());
            c.secret_key_previous = previous.map(Into::into);
        }
    };
    // (Each app's clock starts at the real time: moved past the codes already used.)
    // A start seals what it finds in plaintext (left by a version before sealing) at once.
    store_secret(&db, &ana.user_id, &secret).await;
    let app = TestApp::spawn_with(&db, with(KEY_A, None)).await;
    let under_a = stored_secret(&db, &ana.user_id).await;
    assert!(under_a.starts_with("v1.") && !under_a.contains(&secret), "sealed at start-up: {under_a}");
    assert_ne!(under_a.split('.').nth(1), resealed.split('.').nth(1), "another key id: {under_a}");
    app.clock.advance(Duration::from_secs(600));
    data(&sign_in_with_code(&app, "ana@example.com", &secret).await);
    app.stop().await;
    let app = TestApp::spawn_with(&db, with(KEY_B, Some(KEY_A))).await;
    app.clock.advance(Duration::from_secs(1200));
    data(&sign_in_with_code(&app, "ana@example.com", &secret).await);
    let under_b = stored_secret(&db, &ana.user_id).await;
    assert_ne!(under_b.split('.').nth(1), under_a.split('.').nth(1), "{under_b}");
    app.stop().await;
    let app = TestApp::spawn_with(&db, with(KEY_B, None)).await;
    app.clock.advance(Duration::from_secs(1800));
    data(&sign_in_with_code(&app, "ana@example.com", &secret).await);
    app.stop().await;
}
