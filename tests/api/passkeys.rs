//! Passkeys (shared/API.md, Multi-factor sign-in): registering, signing in with and without
//! a name, and the ceremony's failure cases, with a software authenticator playing the
//! browser. The same flows run in Chromium in examples/spa-client.

use std::time::Duration;

use serde_json::{Value, json};

use crate::api_keys::create_key;
use crate::helpers::assert::{assert_code, bad_fields, data};
use crate::helpers::authenticator::Authenticator;
use crate::helpers::fixtures::{PASSWORD, Session};
use crate::helpers::{TestApp, TestDb};

backend_tests!(
    a_passkey_signs_in_with_or_without_a_name,
    the_ceremony_refuses_a_wrong_origin_a_replayed_challenge_and_an_unknown_credential,
    a_counter_that_goes_back_is_refused,
    a_name_does_not_tell_whether_the_account_exists_or_has_passkeys,
    passkeys_are_removed_by_their_owner_and_by_an_administrators_reset,
    an_answer_presented_at_the_same_moment_signs_in_once,
    passkeys_follow_the_servers_settings,
);

const BEGIN_REGISTRATION: &str = "mutation { beginPasskeyRegistration { challengeId options } }";
const FINISH_REGISTRATION: &str = "mutation($id: String!, $name: String!, $c: JSON!) { finishPasskeyRegistration(challengeId: $id, name: $name, credential: $c) { id name createdAt lastUsedAt } }";
const BEGIN_LOGIN: &str = "mutation($n: String) { beginPasskeyLogin(usernameOrEmail: $n) { challengeId options } }";
const FINISH_LOGIN: &str = "mutation($id: String!, $c: JSON!) { finishPasskeyLogin(challengeId: $id, credential: $c) { accessToken refreshToken user { id email } } }";
const MINE: &str = "{ me { mfaMethods passkeys { id name lastUsedAt } } }";

/// A begun ceremony: its id and options.
fn begun(resp: &Value, field: &str) -> (String, Value) {
    let c = &data(resp)[field];
    (c["challengeId"].as_str().unwrap().to_owned(), c["options"].clone())
}

async fn begin_registration(app: &TestApp, who: &Session) -> (String, Value) {
    begun(&app.gql_as(Some(&who.access), BEGIN_REGISTRATION, json!({})).await, "beginPasskeyRegistration")
}

/// Registers `key` for `who` under `name`; the whole answer.
pub(crate) async fn register(app: &TestApp, who: &Session, key: &mut Authenticator, name: &str) -> Value {
    let (id, options) = begin_registration(app, who).await;
    let credential = key.create(&options);
    app.gql_as(Some(&who.access), FINISH_REGISTRATION, json!({ "id": id, "name": name, "c": credential })).await
}

async fn begin_login(app: &TestApp, name: Option<&str>) -> (String, Value) {
    begun(&app.gql(BEGIN_LOGIN, json!({ "n": name })).await, "beginPasskeyLogin")
}

/// A whole sign-in with `key`, by `name` or without one.
pub(crate) async fn sign_in(app: &TestApp, key: &mut Authenticator, name: Option<&str>) -> Value {
    let (id, options) = begin_login(app, name).await;
    let credential = key.get(&options);
    app.gql(FINISH_LOGIN, json!({ "id": id, "c": credential })).await
}

fn allowed_ids(options: &Value) -> Vec<String> {
    let list = options["publicKey"]["allowCredentials"].as_array().cloned().unwrap_or_default();
    list.iter().map(|c| c["id"].as_str().unwrap().to_owned()).collect()
}

async fn events(app: &TestApp, dev: &Session, action: &str) -> Vec<Value> {
    let q = "query($a: [AuditAction!]) { auditEvents(filter: { actions: $a }) { nodes { subjectUserId details } } }";
    let r = app.gql_as(Some(&dev.access), q, json!({ "a": [action] })).await;
    data(&r)["auditEvents"]["nodes"].as_array().unwrap().clone()
}

async fn a_passkey_signs_in_with_or_without_a_name(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let ana = app.signed_in("ana@example.com", &[]).await;
    let (_, options) = begin_registration(&app, &ana).await;
    let public_key = &options["publicKey"];
    assert_eq!(public_key["rp"]["id"], "localhost", "GERBANG_APP_URL's host: {options}");
    assert_eq!(public_key["user"]["name"], "ana@example.com");
    assert_eq!(public_key["authenticatorSelection"]["residentKey"], "required", "discoverable: {options}");
    assert_eq!(public_key["authenticatorSelection"]["userVerification"], "required");

    let mut key = Authenticator::new();
    let r = register(&app, &ana, &mut key, "  Laptop  ").await;
    let added = data(&r)["finishPasskeyRegistration"].clone();
    assert_eq!(added["name"], "Laptop");
    assert!(added["lastUsedAt"].is_null());
    let mine = data(&app.gql_as(Some(&ana.access), MINE, json!({})).await)["me"].clone();
    assert_eq!(mine["mfaMethods"], json!(["PASSKEY"]));
    assert_eq!(mine["passkeys"], json!([{ "id": added["id"], "name": "Laptop", "lastUsedAt": null }]));
    // The browser is told not to make a second credential on the same authenticator.
    let (_, again) = begin_registration(&app, &ana).await;
    let excluded = again["publicKey"]["excludeCredentials"].as_array().unwrap();
    assert_eq!(excluded.len(), 1);

    // With a name: the options list the account's passkey, and it signs in by itself.
    let (_, options) = begin_login(&app, Some("ANA@example.com")).await;
    assert_eq!(allowed_ids(&options).len(), 1);
    assert!(options.get("mediation").is_none(), "the SPA chooses the mediation: {options}");
    let r = sign_in(&app, &mut key, Some("ana@example.com")).await;
    let payload = &data(&r)["finishPasskeyLogin"];
    assert_eq!(payload["user"]["id"], ana.user_id.as_str());
    let me = app.gql_as(Some(payload["accessToken"].as_str().unwrap()), "{ me { email } }", json!({})).await;
    assert_eq!(data(&me)["me"]["email"], "ana@example.com");
    // Without a name: the authenticator names the user.
    let (_, options) = begin_login(&app, None).await;
    assert!(allowed_ids(&options).is_empty());
    let r = sign_in(&app, &mut key, None).await;
    assert_eq!(data(&r)["finishPasskeyLogin"]["user"]["email"], "ana@example.com");
    let mine = data(&app.gql_as(Some(&ana.access), MINE, json!({})).await)["me"].clone();
    assert!(mine["passkeys"][0]["lastUsedAt"].is_string());
    // A password alone still signs in: a passkey is another way in, not a second step.
    assert!(app.login("ana@example.com", PASSWORD).await["errors"].is_null());
    // With TOTP on as well, a password needs a code (the passkey is not offered for that
    // step), and the passkey still signs in by itself.
    crate::mfa::enable(&app, &ana).await;
    let r = app.login("ana@example.com", PASSWORD).await;
    assert_eq!(r["errors"][0]["extensions"]["methods"], json!(["TOTP", "RECOVERY_CODE"]), "{r}");
    assert!(sign_in(&app, &mut key, Some("ana@example.com")).await["errors"].is_null());
    let methods = data(&app.gql_as(Some(&ana.access), MINE, json!({})).await)["me"]["mfaMethods"].clone();
    assert_eq!(methods, json!(["TOTP", "RECOVERY_CODE", "PASSKEY"]));

    let dev = app.developer().await;
    let added = events(&app, &dev, "PASSKEY_ADDED").await;
    assert_eq!(
        added,
        [
            json!({ "subjectUserId": ana.user_id, "details": { "passkeyId": mine["passkeys"][0]["id"], "name": "Laptop" } })
        ]
    );
    let logins = events(&app, &dev, "LOGIN_SUCCEEDED").await;
    let by_passkey = logins.iter().filter(|e| e["details"]["method"] == "passkey").count();
    assert_eq!(by_passkey, 3);
    // Someone else cannot see them; a key cannot register one.
    let bo = app.signed_in("bo@example.com", &[]).await;
    let q = "query($id: ID!) { user(id: $id) { passkeys { id } } }";
    assert_code(&app.gql_as(Some(&bo.access), q, json!({ "id": ana.user_id })).await, "FORBIDDEN");
    let (_, secret) = create_key(&app, &dev.access, json!({ "name": "ci" })).await;
    assert_code(&app.gql_as(Some(&secret), BEGIN_REGISTRATION, json!({})).await, "FORBIDDEN");
    app.stop().await;
}

async fn the_ceremony_refuses_a_wrong_origin_a_replayed_challenge_and_an_unknown_credential(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let cy = app.signed_in("cy@example.com", &[]).await;

    // Registration from a page of another origin: refused, and that challenge is spent.
    let mut key = Authenticator::new();
    key.origin = "https://evil.example".into();
    let (id, options) = begin_registration(&app, &cy).await;
    let credential = key.create(&options);
    let r = app.gql_as(Some(&cy.access), FINISH_REGISTRATION, json!({ "id": id, "name": "k", "c": credential })).await;
    assert_eq!(bad_fields(&r), ["credential"]);
    key.origin = crate::helpers::authenticator::ORIGIN.into();
    let credential = key.create(&options);
    let r = app.gql_as(Some(&cy.access), FINISH_REGISTRATION, json!({ "id": id, "name": "k", "c": credential })).await;
    assert_eq!(bad_fields(&r), ["challengeId"], "a challenge answers once");
    // Someone else's registration challenge, a bad name, and something that is no credential.
    let dee = app.signed_in("dee@example.com", &[]).await;
    let (id, options) = begin_registration(&app, &cy).await;
    let credential = key.create(&options);
    let r = app.gql_as(Some(&dee.access), FINISH_REGISTRATION, json!({ "id": id, "name": "k", "c": credential })).await;
    assert_eq!(bad_fields(&r), ["challengeId"]);
    let (id, options) = begin_registration(&app, &cy).await;
    let credential = key.create(&options);
    let r = app.gql_as(Some(&cy.access), FINISH_REGISTRATION, json!({ "id": id, "name": " ", "c": credential })).await;
    assert_eq!(bad_fields(&r), ["name"]);
    let r = app.gql_as(Some(&cy.access), FINISH_REGISTRATION, json!({ "id": id, "name": "k", "c": { "id": 1 } })).await;
    assert_eq!(bad_fields(&r), ["credential"]);
    // An expired challenge.
    let (id, options) = begin_registration(&app, &cy).await;
    app.clock.advance(Duration::from_secs(301));
    let credential = key.create(&options);
    let r = app.gql_as(Some(&cy.access), FINISH_REGISTRATION, json!({ "id": id, "name": "k", "c": credential })).await;
    assert_eq!(bad_fields(&r), ["challengeId"]);
    assert!(register(&app, &cy, &mut key, "Phone").await["errors"].is_null());
    // The same credential cannot be registered to another account.
    let cys = key.user_handle.clone();
    let r = register(&app, &dee, &mut key, "Stolen").await;
    key.user_handle = cys;
    assert_code(&r, "CONFLICT");
    assert_eq!(r["errors"][0]["extensions"]["fields"], json!({ "credential": ["This passkey is already registered"] }));

    // Sign-in from another origin.
    key.origin = "http://localhost:5174".into();
    assert_code(&sign_in(&app, &mut key, Some("cy@example.com")).await, "UNAUTHENTICATED");
    key.origin = crate::helpers::authenticator::ORIGIN.into();
    // A replayed answer: the challenge it signed answers once.
    let (id, options) = begin_login(&app, None).await;
    let answer = key.get(&options);
    assert!(app.gql(FINISH_LOGIN, json!({ "id": id, "c": answer })).await["errors"].is_null());
    assert_code(&app.gql(FINISH_LOGIN, json!({ "id": id, "c": answer })).await, "UNAUTHENTICATED");
    let fresh = key.get(&options);
    assert_code(&app.gql(FINISH_LOGIN, json!({ "id": id, "c": fresh })).await, "UNAUTHENTICATED");
    // An answer for one challenge does not finish another.
    let (other, _) = begin_login(&app, None).await;
    assert_code(&app.gql(FINISH_LOGIN, json!({ "id": other, "c": key.get(&options) })).await, "UNAUTHENTICATED");
    // A credential nobody registered, and an expired challenge.
    let mut stranger = Authenticator::new();
    stranger.user_handle = key.user_handle.clone();
    assert_code(&sign_in(&app, &mut stranger, None).await, "UNAUTHENTICATED");
    let (id, options) = begin_login(&app, None).await;
    app.clock.advance(Duration::from_secs(301));
    assert_code(&app.gql(FINISH_LOGIN, json!({ "id": id, "c": key.get(&options) })).await, "UNAUTHENTICATED");
    // Still fine afterwards.
    assert!(sign_in(&app, &mut key, None).await["errors"].is_null());

    let dev = app.developer().await;
    let failed = events(&app, &dev, "LOGIN_FAILED").await;
    let reasons: Vec<&str> = failed.iter().map(|e| e["details"]["reason"].as_str().unwrap()).collect();
    assert!(reasons.contains(&"passkeyRejected") && reasons.contains(&"unknownPasskey"), "{reasons:?}");
    app.stop().await;
}

async fn a_counter_that_goes_back_is_refused(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let eve = app.signed_in("eve@example.com", &[]).await;
    let mut key = Authenticator::new();
    data(&register(&app, &eve, &mut key, "Key").await);
    assert!(sign_in(&app, &mut key, None).await["errors"].is_null());
    assert!(sign_in(&app, &mut key, None).await["errors"].is_null());
    // A copy of the key whose counter fell behind (or stood still) is refused.
    for behind in [1, 2] {
        let (id, options) = begin_login(&app, None).await;
        key.counter = behind;
        let answer = key.assert(&options);
        key.counter = 2;
        assert_code(&app.gql(FINISH_LOGIN, json!({ "id": id, "c": answer })).await, "UNAUTHENTICATED");
    }
    let dev = app.developer().await;
    let failed = events(&app, &dev, "LOGIN_FAILED").await;
    let regressed = failed.iter().filter(|e| e["details"]["reason"] == "passkeyCounterRegressed").count();
    assert_eq!(regressed, 2, "{failed:?}");
    assert!(failed.iter().all(|e| e["subjectUserId"] == eve.user_id.as_str()));
    // The key itself, ahead again, still works.
    assert!(sign_in(&app, &mut key, None).await["errors"].is_null());
    app.stop().await;
}

async fn a_name_does_not_tell_whether_the_account_exists_or_has_passkeys(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let fay = app.signed_in("fay@example.com", &[]).await;
    let gus = app.signed_in("gus@example.com", &[]).await;
    let mut fays = Authenticator::new();
    data(&register(&app, &fay, &mut fays, "Key").await);

    // No account, and an account without passkeys: made-up ids, the same every time for a
    // name, as many as real accounts tend to have (sometimes none).
    for name in ["nobody@example.com", "gus@example.com"] {
        let (_, first) = begin_login(&app, Some(name)).await;
        let (_, second) = begin_login(&app, Some(name)).await;
        assert_eq!(allowed_ids(&first), allowed_ids(&second), "{name}");
        let (_, real) = begin_login(&app, Some("fay@example.com")).await;
        let keys = |o: &Value| o["publicKey"].as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(&first), keys(&real), "the same shape as a real account's");
    }
    let mut made_up = Vec::new();
    for i in 0..12 {
        made_up.push(allowed_ids(&begin_login(&app, Some(&format!("nobody{i}@example.com"))).await.1));
    }
    assert!(made_up.iter().filter(|ids| !ids.is_empty()).count() >= 6, "{made_up:?}");
    let distinct: std::collections::BTreeSet<&String> = made_up.iter().flatten().collect();
    assert_eq!(distinct.len(), made_up.iter().map(Vec::len).sum::<usize>(), "each name its own ids");
    // Fay's passkey does not sign in as Gus, even presented to a challenge named for him.
    let r = sign_in(&app, &mut fays, Some("gus@example.com")).await;
    assert_code(&r, "UNAUTHENTICATED");
    // … nor when it claims to be Gus's.
    let gus_id = uuid::Uuid::parse_str(&gus.user_id).unwrap();
    fays.user_handle = Some(gus_id.as_bytes().to_vec());
    assert_code(&sign_in(&app, &mut fays, None).await, "UNAUTHENTICATED");
    app.stop().await;
}

async fn passkeys_are_removed_by_their_owner_and_by_an_administrators_reset(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let hal = app.signed_in("hal@example.com", &[]).await;
    let mut first = Authenticator::new();
    let id = data(&register(&app, &hal, &mut first, "First").await)["finishPasskeyRegistration"]["id"].clone();
    let remove = "mutation($id: ID!) { removePasskey(id: $id) }";
    let ivy = app.signed_in("ivy@example.com", &[]).await;
    assert_code(&app.gql_as(Some(&ivy.access), remove, json!({ "id": id })).await, "NOT_FOUND");
    assert_eq!(data(&app.gql_as(Some(&hal.access), remove, json!({ "id": id })).await)["removePasskey"], id);
    assert_code(&sign_in(&app, &mut first, None).await, "UNAUTHENTICATED");
    assert_code(&app.gql_as(Some(&hal.access), remove, json!({ "id": id })).await, "NOT_FOUND");

    // At most twenty.
    let mut keys: Vec<Authenticator> = (0..20).map(|_| Authenticator::new()).collect();
    for (i, key) in keys.iter_mut().enumerate() {
        assert!(register(&app, &hal, key, &format!("Key {i}")).await["errors"].is_null());
    }
    let r = app.gql_as(Some(&hal.access), BEGIN_REGISTRATION, json!({})).await;
    assert_code(&r, "CONFLICT");
    assert_eq!(
        r["errors"][0]["extensions"]["fields"]["passkeys"][0],
        "An account may have at most 20 passkeys; remove one first"
    );

    // An inactive account's passkey signs no one in.
    let dev = app.developer().await;
    let active = "mutation($id: ID!, $a: Boolean!) { updateUser(id: $id, input: { isActive: $a }) { isActive } }";
    data(&app.gql_as(Some(&dev.access), active, json!({ "id": hal.user_id, "a": false })).await);
    assert_code(&sign_in(&app, &mut keys[0], None).await, "UNAUTHENTICATED");
    data(&app.gql_as(Some(&dev.access), active, json!({ "id": hal.user_id, "a": true })).await);
    assert!(sign_in(&app, &mut keys[0], None).await["errors"].is_null());

    // An administrator's reset removes them all.
    let reset = "mutation($id: ID!) { resetUserMfa(userId: $id) }";
    assert_code(&app.gql_as(Some(&ivy.access), reset, json!({ "id": hal.user_id })).await, "FORBIDDEN");
    assert_eq!(data(&app.gql_as(Some(&dev.access), reset, json!({ "id": hal.user_id })).await)["resetUserMfa"], true);
    assert_code(&sign_in(&app, &mut keys[1], None).await, "UNAUTHENTICATED");
    let q = "query($id: ID!) { user(id: $id) { mfaMethods passkeys { id } } }";
    let user = data(&app.gql_as(Some(&dev.access), q, json!({ "id": hal.user_id })).await)["user"].clone();
    assert_eq!(user, json!({ "mfaMethods": [], "passkeys": [] }));
    let removed = events(&app, &dev, "PASSKEY_REMOVED").await;
    assert_eq!(removed, [json!({ "subjectUserId": hal.user_id, "details": { "passkeyId": id } })]);
    let reset = events(&app, &dev, "MFA_DISABLED").await;
    assert_eq!(reset[0]["details"]["passkeysRemoved"], 20);
    app.stop().await;
}

async fn an_answer_presented_at_the_same_moment_signs_in_once(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let jo = app.signed_in("jo@example.com", &[]).await;
    let mut key = Authenticator::new();
    data(&register(&app, &jo, &mut key, "Key").await);

    // One answer, sent six times at once.
    let (id, options) = begin_login(&app, None).await;
    let answer = key.get(&options);
    let answers = app.all_at_once(6, |_| (None, FINISH_LOGIN.to_owned(), json!({ "id": id, "c": answer }))).await;
    assert_eq!(answers.iter().filter(|r| r["errors"].is_null()).count(), 1, "{answers:?}");

    // Six copies of one key, each answering its own challenge with the same counter: the
    // counter advances once, so one signs in.
    let mut begun_ = Vec::new();
    for _ in 0..6 {
        begun_.push(begin_login(&app, None).await);
    }
    key.counter += 1;
    let answers = app.all_at_once(6, |i| {
        let (id, options) = &begun_[i];
        (None, FINISH_LOGIN.to_owned(), json!({ "id": id, "c": key.assert(options) }))
    });
    let answers = answers.await;
    assert_eq!(answers.iter().filter(|r| r["errors"].is_null()).count(), 1, "{answers:?}");
    app.stop().await;
}

async fn passkeys_follow_the_servers_settings(db: TestDb) {
    // Where addresses must be verified, a passkey does not get round it.
    let app = TestApp::spawn_with(&db, |c| c.require_verified_email = true).await;
    let dev = app.developer().await;
    let id = app.create_user("kim@example.com", &[]).await;
    let verified =
        "mutation($id: ID!, $v: Boolean!) { updateUser(id: $id, input: { emailVerified: $v }) { emailVerified } }";
    data(&app.gql_as(Some(&dev.access), verified, json!({ "id": id, "v": true })).await);
    let kim = app.session("kim@example.com", PASSWORD).await;
    let mut key = Authenticator::new();
    data(&register(&app, &kim, &mut key, "Key").await);
    data(&app.gql_as(Some(&dev.access), verified, json!({ "id": id, "v": false })).await);
    let r = sign_in(&app, &mut key, None).await;
    assert_code(&r, "FORBIDDEN");
    assert_eq!(r["errors"][0]["extensions"]["reason"], "EMAIL_NOT_VERIFIED");
    app.stop().await;

    // GERBANG_APP_URL names an IP address and no relying party is set: passkeys are off.
    let app = TestApp::spawn_with(&db, |c| c.app_url = "http://127.0.0.1:5173".into()).await;
    let lee = app.signed_in("lee@example.com", &[]).await;
    for r in [
        app.gql_as(Some(&lee.access), BEGIN_REGISTRATION, json!({})).await,
        app.gql(BEGIN_LOGIN, json!({ "n": null })).await,
    ] {
        assert_code(&r, "FORBIDDEN");
        assert_eq!(r["errors"][0]["extensions"]["reason"], "PASSKEYS_DISABLED", "{r}");
    }
    app.stop().await;
}
