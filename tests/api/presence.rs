//! Proof of presence and recovery (shared/API.md, Version 3, "Proof of presence"): adding a
//! credential needs the current password or a recent sign-in of the session, the owner hears
//! of every credential added or removed, and a password reset takes back what was added
//! while the address was unverified. Each test replays an attack that worked before.

use std::time::Duration;

use serde_json::{Value, json};

use crate::api_keys::CREATE_KEY;
use crate::email::{APP_URL, REQUEST_RESET, RESET, mailing_app};
use crate::helpers::assert::{assert_code, assert_refused, bad_fields, data};
use crate::helpers::authenticator::Authenticator;
use crate::helpers::fixtures::{PASSWORD, Session};
use crate::helpers::smtp::SmtpSink;
use crate::helpers::{TestApp, TestDb};
use crate::mfa::code;
use crate::passkeys::{register, sign_in};

backend_tests!(
    a_stolen_token_of_an_older_sign_in_cannot_add_a_credential_without_the_password,
    a_password_reset_takes_back_what_a_squatter_added_before_the_address_was_proven,
    the_owner_is_mailed_when_a_credential_is_added_or_removed,
    a_refusal_by_a_rule_says_which_rule,
    credentials_added_at_the_moment_of_a_reset_do_not_survive_it,
);

const BEGIN_PASSKEY: &str =
    "mutation($p: String) { beginPasskeyRegistration(currentPassword: $p) { challengeId options } }";
const BEGIN_TOTP: &str = "mutation($p: String) { beginTotpEnrollment(currentPassword: $p) { secret } }";
const CONFIRM_TOTP: &str = "mutation($c: String!) { confirmTotpEnrollment(code: $c) }";
const REGISTER: &str = "mutation($i: RegisterInput!) { register(input: $i) { accessToken refreshToken user { id } } }";
const REFRESH: &str =
    "mutation($r: String!) { refreshToken(refreshToken: $r) { accessToken refreshToken user { id } } }";
const MINE: &str = "{ me { mfaMethods passkeys { name } apiKeys { name } } }";

/// A passkey on a device that browses the mailing app's SPA.
fn device() -> Authenticator {
    let mut key = Authenticator::new();
    key.origin = APP_URL.to_owned();
    key
}

/// The three ways to add a credential, each with `password` as its proof (or none).
async fn add_each(app: &TestApp, token: &str, password: Option<&str>) -> [Value; 3] {
    let key = json!({ "name": "ci", "currentPassword": password });
    [
        app.gql_as(Some(token), BEGIN_PASSKEY, json!({ "p": password })).await,
        app.gql_as(Some(token), BEGIN_TOTP, json!({ "p": password })).await,
        app.gql_as(Some(token), CREATE_KEY, json!({ "i": key })).await,
    ]
}

async fn a_stolen_token_of_an_older_sign_in_cannot_add_a_credential_without_the_password(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let ana = app.signed_in("ana@example.com", &[]).await;
    // Just signed in: the sign-in is the proof.
    for r in add_each(&app, &ana.access, None).await {
        assert!(r["errors"].is_null(), "a fresh sign-in adds without a password: {r}");
    }

    // Sixteen minutes on, the session lives on by refreshing: its access token (stolen, say)
    // no longer proves anything by itself.
    app.clock.advance(Duration::from_secs(16 * 60));
    let r = app.gql(REFRESH, json!({ "r": ana.refresh })).await;
    let later = Session::from_payload(&r, "refreshToken");
    for r in add_each(&app, &later.access, None).await {
        assert_refused(&r, "RECENT_SIGN_IN_REQUIRED");
        assert!(r["errors"][0]["message"].as_str().unwrap().contains("current password"), "{r}");
    }
    for r in add_each(&app, &later.access, Some("a wrong guess")).await {
        assert_eq!(bad_fields(&r), ["currentPassword"], "{r}");
    }
    // Wrong guesses count towards the lockout like wrong passwords at login (3 above + 2).
    for _ in 0..2 {
        let r = app.gql_as(Some(&later.access), BEGIN_TOTP, json!({ "p": "another guess" })).await;
        assert_eq!(bad_fields(&r), ["currentPassword"]);
    }
    assert_code(&app.login("ana@example.com", PASSWORD).await, "TOO_MANY_REQUESTS");
    app.clock.advance(Duration::from_secs(3600));
    let r = app.gql(REFRESH, json!({ "r": later.refresh })).await;
    let later = Session::from_payload(&r, "refreshToken");
    for r in add_each(&app, &later.access, Some(PASSWORD)).await {
        assert!(r["errors"].is_null(), "the current password is proof: {r}");
    }

    // A new sign-in is proof again, for the window and no longer.
    let fresh = app.session("ana@example.com", PASSWORD).await;
    let r = app.gql_as(Some(&fresh.access), BEGIN_PASSKEY, json!({})).await;
    assert!(r["errors"].is_null(), "{r}");
    app.clock.advance(Duration::from_secs(15 * 60 + 1));
    let r = app.gql(REFRESH, json!({ "r": fresh.refresh })).await;
    let fresh = Session::from_payload(&r, "refreshToken");
    assert_refused(&app.gql_as(Some(&fresh.access), BEGIN_PASSKEY, json!({})).await, "RECENT_SIGN_IN_REQUIRED");
    app.stop().await;

    // The window is the operator's.
    let app = TestApp::spawn_with(&db, |c| c.sudo_window = Duration::from_secs(60)).await;
    let bo = app.signed_in("bo@example.com", &[]).await;
    app.clock.advance(Duration::from_secs(61));
    let r = app.gql(REFRESH, json!({ "r": bo.refresh })).await;
    let bo = Session::from_payload(&r, "refreshToken");
    assert_refused(&app.gql_as(Some(&bo.access), BEGIN_TOTP, json!({})).await, "RECENT_SIGN_IN_REQUIRED");
    app.stop().await;
}

async fn a_password_reset_takes_back_what_a_squatter_added_before_the_address_was_proven(db: TestDb) {
    let sink = SmtpSink::start();
    let app = mailing_app(&db, &sink).await;
    // The squatter registers the victim's address first, and adds a passkey, an
    // authenticator app and an API key while the address is unverified.
    let r =
        app.gql(REGISTER, json!({ "i": { "email": "victim@example.com", "password": "squatters passphrase" } })).await;
    let squatter = Session::from_payload(&r, "register");
    let mut squatters_key = device();
    assert!(register(&app, &squatter, &mut squatters_key, "squatter's key").await["errors"].is_null());
    let r = app.gql_as(Some(&squatter.access), BEGIN_TOTP, json!({})).await;
    let secret = data(&r)["beginTotpEnrollment"]["secret"].as_str().unwrap().to_owned();
    let r = app.gql_as(Some(&squatter.access), CONFIRM_TOTP, json!({ "c": code(&app, &secret, 0) })).await;
    assert!(r["errors"].is_null(), "{r}");
    let key = json!({ "name": "squatter's script", "permissions": [] });
    let r = app.gql_as(Some(&squatter.access), CREATE_KEY, json!({ "i": key })).await;
    let api_key = data(&r)["createApiKey"]["secret"].as_str().unwrap().to_owned();

    // The owner recovers the account from the mailbox.
    app.gql(REQUEST_RESET, json!({ "e": "victim@example.com" })).await;
    let token =
        sink.wait_for_subject("victim@example.com", "Reset your password").await.link_token("/reset-password?token=");
    let r = app.gql(RESET, json!({ "t": token, "p": "the owners passphrase" })).await;
    assert_eq!(data(&r)["resetPassword"], true, "{r}");

    // The owner signs in with the password alone (no squatter's TOTP in the way) and finds
    // nothing the squatter added.
    let owner = app.session("victim@example.com", "the owners passphrase").await;
    let mine = data(&app.gql_as(Some(&owner.access), MINE, json!({})).await)["me"].clone();
    assert_eq!(mine, json!({ "mfaMethods": [], "passkeys": [], "apiKeys": [] }));
    // The squatter's passkey, key and sessions are all gone.
    assert_code(&sign_in(&app, &mut squatters_key, None).await, "UNAUTHENTICATED");
    assert_code(&app.gql_as(Some(&api_key), "{ me { id } }", json!({})).await, "UNAUTHENTICATED");
    assert_code(&app.gql_as(Some(&squatter.access), "{ me { id } }", json!({})).await, "UNAUTHENTICATED");
    // And the owner is told what went.
    let removed =
        sink.wait_for_subject_count("victim@example.com", "A sign-in method was removed from your account", 3).await;
    let texts: Vec<&str> = removed.iter().map(|m| m.text.as_deref().unwrap()).collect();
    for what in
        ["A passkey named \"squatter's key\"", "An authenticator app (TOTP)", "An API key named \"squatter's script\""]
    {
        assert!(texts.iter().any(|t| t.contains(what)), "{what} in {texts:?}");
    }

    // What the owner adds once the address is proven stays through the next reset.
    let mut owners_key = device();
    assert!(register(&app, &owner, &mut owners_key, "owner's key").await["errors"].is_null());
    let r = app.gql_as(Some(&owner.access), CREATE_KEY, json!({ "i": { "name": "owner's script" } })).await;
    let owners_api_key = data(&r)["createApiKey"]["secret"].as_str().unwrap().to_owned();
    app.clock.advance(Duration::from_secs(3600));
    app.gql(REQUEST_RESET, json!({ "e": "victim@example.com" })).await;
    let token =
        sink.wait_for_subject("victim@example.com", "Reset your password").await.link_token("/reset-password?token=");
    assert_eq!(data(&app.gql(RESET, json!({ "t": token, "p": "another passphrase" })).await)["resetPassword"], true);
    assert!(sign_in(&app, &mut owners_key, None).await["errors"].is_null(), "the owner's passkey stays");
    assert!(app.gql_as(Some(&owners_api_key), "{ me { id } }", json!({})).await["errors"].is_null());
    app.stop().await;
}

async fn the_owner_is_mailed_when_a_credential_is_added_or_removed(db: TestDb) {
    let sink = SmtpSink::start();
    let app = mailing_app(&db, &sink).await;
    let ana = app.signed_in("ana@example.com", &[]).await;
    let mut key = device();
    let r = register(&app, &ana, &mut key, "laptop").await;
    let passkey = data(&r)["finishPasskeyRegistration"]["id"].as_str().unwrap().to_owned();
    let r = app.gql_as(Some(&ana.access), CREATE_KEY, json!({ "i": { "name": "deploy" } })).await;
    let api_key = data(&r)["createApiKey"]["apiKey"]["id"].as_str().unwrap().to_owned();
    let added = sink.wait_for_subject_count("ana@example.com", "A sign-in method was added to your account", 2).await;
    let texts: Vec<&str> = added.iter().map(|m| m.text.as_deref().unwrap()).collect();
    assert!(
        texts[0].contains("A passkey named \"laptop\" was added to your account (ana@example.com)."),
        "{}",
        texts[0]
    );
    assert!(texts[1].contains("An API key named \"deploy\" was added"), "{}", texts[1]);
    assert!(texts.iter().all(|t| !t.contains("http")), "a notice carries no link");

    let r =
        app.gql_as(Some(&ana.access), "mutation($id: ID!) { removePasskey(id: $id) }", json!({ "id": passkey })).await;
    assert!(r["errors"].is_null(), "{r}");
    let r =
        app.gql_as(Some(&ana.access), "mutation($id: ID!) { revokeApiKey(id: $id) }", json!({ "id": api_key })).await;
    assert!(r["errors"].is_null(), "{r}");
    let removed =
        sink.wait_for_subject_count("ana@example.com", "A sign-in method was removed from your account", 2).await;
    assert!(removed[0].text.as_deref().unwrap().contains("A passkey named \"laptop\" was removed"));
    assert!(removed[1].text.as_deref().unwrap().contains("An API key named \"deploy\" was removed"));
    app.stop().await;
}

async fn a_refusal_by_a_rule_says_which_rule(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    let admin = app.signed_in("admin@example.com", &["admin"]).await;
    app.create_role("role writers", &["ROLE_WRITE"]).await;
    let writer = app.signed_in("writer@example.com", &["role writers"]).await;
    let plain = app.signed_in("plain@example.com", &["user"]).await;
    let (_, key) =
        crate::api_keys::create_key(&app, &dev.access, json!({ "name": "ci", "permissions": ["USER_WRITE"] })).await;
    let user_role = app.role_id("user").await;
    let delete_role = "mutation($id: ID!) { deleteRole(id: $id) }";
    let update_role = "mutation($id: ID!, $i: UpdateRoleInput!) { updateRole(id: $id, input: $i) { id } }";
    let update_user = "mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { id } }";
    let create_role = "mutation($i: CreateRoleInput!) { createRole(input: $i) { id } }";
    let cases: [(&str, &Session, &str, Value, &str); 6] = [
        ("a system role is not deleted", &dev, delete_role, json!({ "id": user_role }), "SYSTEM_ROLE"),
        ("nor renamed", &dev, update_role, json!({ "id": user_role, "i": { "name": "people" } }), "SYSTEM_ROLE"),
        (
            "a developer is out of an administrator's reach",
            &admin,
            update_user,
            json!({ "id": dev.user_id, "i": { "firstName": "X" } }),
            "OUT_OF_REACH",
        ),
        (
            "nobody gives what they do not hold",
            &writer,
            create_role,
            json!({ "i": { "name": "readers", "code": 77, "permissions": ["USER_READ"] } }),
            "NOT_HELD",
        ),
        (
            "nobody deactivates themselves",
            &plain,
            update_user,
            json!({ "id": plain.user_id, "i": { "isActive": false } }),
            "NOT_FOR_SELF",
        ),
        (
            "nobody lets themselves in",
            &admin,
            update_user,
            json!({ "id": admin.user_id, "i": { "emailVerified": true } }),
            "NOT_FOR_SELF",
        ),
    ];
    for (rule, who, query, variables, reason) in cases {
        let r = app.gql_as(Some(&who.access), query, variables).await;
        assert_eq!(r["errors"][0]["extensions"]["reason"], reason, "{rule}: {r}");
        assert_code(&r, "FORBIDDEN");
    }
    let r = app.gql_as(Some(&key), "mutation { logout }", json!({})).await;
    assert_refused(&r, "PERSON_ONLY");
    assert!(r["errors"][0]["message"].as_str().unwrap().contains("API key"), "{r}");
    // A missing permission is just FORBIDDEN: there is nothing to explain but the permission.
    let r = app.gql_as(Some(&plain.access), "{ users { totalCount } }", json!({})).await;
    assert_code(&r, "FORBIDDEN");
    assert!(r["errors"][0]["extensions"]["reason"].is_null(), "{r}");
    app.stop().await;

    let closed = TestApp::spawn_with(&db, |c| c.allow_registration = false).await;
    let r = closed.gql(REGISTER, json!({ "i": { "email": "late@example.com", "password": PASSWORD } })).await;
    assert_refused(&r, "REGISTRATION_CLOSED");
    closed.stop().await;
}

async fn credentials_added_at_the_moment_of_a_reset_do_not_survive_it(db: TestDb) {
    let sink = SmtpSink::start();
    let app = mailing_app(&db, &sink).await;
    let r =
        app.gql(REGISTER, json!({ "i": { "email": "victim@example.com", "password": "squatters passphrase" } })).await;
    let squatter = Session::from_payload(&r, "register");
    app.gql(REQUEST_RESET, json!({ "e": "victim@example.com" })).await;
    let token =
        sink.wait_for_subject("victim@example.com", "Reset your password").await.link_token("/reset-password?token=");
    // The squatter's keys race the owner's reset, released at the same moment: whichever
    // commits first, none may outlive it. A request that waited for the reset to finish
    // must see that its session ended with it.
    const KEYS: usize = 7;
    let answers = app
        .all_at_once(KEYS + 1, |i| match i {
            0 => (None, RESET.to_owned(), json!({ "t": token, "p": "the owners passphrase" })),
            i => (
                Some(squatter.access.clone()),
                CREATE_KEY.to_owned(),
                json!({ "i": { "name": format!("squatter {i}"), "permissions": [] } }),
            ),
        })
        .await;
    assert_eq!(data(&answers[0])["resetPassword"], true, "{}", answers[0]);
    let secrets: Vec<&str> = answers[1..].iter().filter_map(|r| r["data"]["createApiKey"]["secret"].as_str()).collect();
    for secret in &secrets {
        assert_code(&app.gql_as(Some(secret), "{ me { id } }", json!({})).await, "UNAUTHENTICATED");
    }
    let owner = app.session("victim@example.com", "the owners passphrase").await;
    let mine = data(&app.gql_as(Some(&owner.access), MINE, json!({})).await)["me"].clone();
    assert_eq!(mine["apiKeys"], json!([]), "{} of {KEYS} keys were made before the reset", secrets.len());
    app.stop().await;
}
