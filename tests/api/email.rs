//! Email (shared/API.md, "Email: verification, password reset, email change"), against a
//! real SMTP server (tests/api/helpers/smtp.rs, in this test binary): every mail is read as its
//! recipient would, and its link's token is followed through the mutation.

use std::time::Duration;

use serde_json::{Value, json};

use crate::api_keys::create_key;
use crate::helpers::assert::{assert_code, bad_fields, data};
use crate::helpers::fixtures::{DEV_EMAIL, DEV_PASSWORD, PASSWORD, Session};
use crate::helpers::smtp::{Mail, SmtpSink};
use crate::helpers::{TestApp, TestDb};

backend_tests!(
    a_reset_link_sets_a_new_password_once_ends_every_session_and_lifts_the_lock,
    reset_requests_answer_true_for_every_address_and_mail_only_active_accounts,
    a_newer_link_a_password_change_or_an_hour_make_a_reset_link_useless,
    registering_mails_a_verification_link_in_the_users_language,
    sign_in_can_require_a_verified_address,
    an_email_change_is_confirmed_from_the_new_address_and_announced_to_the_old,
    a_changed_address_is_unverified_until_proven_and_only_others_may_vouch_for_it,
    the_outbox_keeps_mails_while_the_smtp_server_is_down,
    simultaneous_reset_requests_mail_an_account_at_most_three_times,
    a_token_presented_at_the_same_moment_works_once,
    simultaneous_email_change_requests_mail_at_most_three_links,
    an_address_confirmed_by_two_accounts_at_the_same_moment_goes_to_one,
    reset_requests_are_limited_per_client_address,
    link_tokens_are_refused_without_a_write_and_limited_per_address,
    two_instances_send_each_mail_once,
    a_retry_another_instance_scheduled_is_sent_when_due_not_at_the_sweep,
    a_failing_server_holds_back_the_rest_of_the_queue_until_the_retry,
);

pub(crate) const APP_URL: &str = "https://app.example.test";
pub(crate) const REQUEST_RESET: &str = "mutation($e: String!) { requestPasswordReset(email: $e) }";
pub(crate) const RESET: &str = "mutation($t: String!, $p: String!) { resetPassword(token: $t, newPassword: $p) }";
const VERIFY: &str = "mutation($t: String!) { verifyEmail(token: $t) { id emailVerified } }";
const SEND_VERIFICATION: &str = "mutation { sendEmailVerification }";
const REQUEST_CHANGE: &str =
    "mutation($e: String!, $p: String!) { requestEmailChange(newEmail: $e, currentPassword: $p) }";
const CONFIRM_CHANGE: &str = "mutation($t: String!) { confirmEmailChange(token: $t) { id emailVerified } }";
const ME: &str = "{ me { id email emailVerified locale } }";
const NEW_PASSWORD: &str = "a brand new passphrase";

/// An app whose mails go to `sink`, with links to `APP_URL`.
pub(crate) async fn mailing_app(db: &TestDb, sink: &SmtpSink) -> TestApp {
    mailing_app_with(db, sink, |_| {}).await
}

async fn mailing_app_with(db: &TestDb, sink: &SmtpSink, tweak: impl FnOnce(&mut gerbang::config::Config)) -> TestApp {
    let url = sink.url();
    TestApp::spawn_with(db, move |c| {
        c.smtp_url = Some(url.into());
        c.app_url = APP_URL.into();
        c.mail_from = "Gerbang Test <no-reply@gerbang.test>".into();
        tweak(c);
    })
    .await
}

/// A GraphQL request with an `Accept-Language` header.
async fn gql_in(app: &TestApp, language: &str, token: Option<&str>, query: &str, variables: Value) -> Value {
    let mut req = app
        .http
        .post(app.url("/graphql"))
        .header("accept-language", language)
        .json(&json!({ "query": query, "variables": variables }));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().await.unwrap().json().await.unwrap()
}

/// Asserts what every mail of gerbang carries: sender, both parts, the language, and (when
/// it has one) a link to the SPA's page in both parts.
fn assert_well_formed(mail: &Mail, language: &str, page: Option<&str>) {
    assert!(mail.from.contains("no-reply@gerbang.test"), "From: {}", mail.from);
    assert_eq!(mail.content_language.as_deref(), Some(language), "{}", mail.raw);
    let (text, html) = (mail.text.as_deref().unwrap(), mail.html.as_deref().unwrap());
    let greeting = if language == "id" { "Halo" } else { "Hello" };
    assert!(text.starts_with(greeting) && html.contains(greeting), "{text}");
    match page {
        Some(page) => {
            let token = mail.link_token(&format!("{page}?token="));
            let link = format!("{APP_URL}{page}?token={token}");
            assert!(text.contains(&link) && html.contains(&format!("href=\"{link}\"")), "{text}\n{html}");
            assert_eq!(token.len(), 43, "256 bits in base64url");
        }
        None => assert!(!text.contains("token=") && !html.contains("href"), "{text}"),
    }
}

async fn me(app: &TestApp, token: &str) -> Value {
    data(&app.gql_as(Some(token), ME, json!({})).await)["me"].clone()
}

async fn a_reset_link_sets_a_new_password_once_ends_every_session_and_lifts_the_lock(db: TestDb) {
    let sink = SmtpSink::start();
    let app = mailing_app(&db, &sink).await;
    let ana = app.signed_in("ana@example.com", &[]).await;
    // Locked out by someone guessing.
    for _ in 0..5 {
        app.login("ana@example.com", "wrong guess").await;
    }
    assert_code(&app.login("ana@example.com", PASSWORD).await, "TOO_MANY_REQUESTS");

    let r = app.gql(REQUEST_RESET, json!({ "e": "ANA@example.com" })).await;
    assert_eq!(data(&r)["requestPasswordReset"], true);
    let mail = sink.wait_for("ana@example.com").await;
    assert_eq!(mail.subject, "Reset your password");
    assert_well_formed(&mail, "en", Some("/reset-password"));
    assert!(mail.text.as_deref().unwrap().contains("1 hour."), "the link's lifetime is stated");
    let token = mail.link_token("/reset-password?token=");

    let weak = app.gql(RESET, json!({ "t": token, "p": "short" })).await;
    assert_eq!(bad_fields(&weak), ["newPassword"], "the token is not spent by a refused password");
    let r = app.gql(RESET, json!({ "t": token, "p": NEW_PASSWORD })).await;
    assert_eq!(data(&r)["resetPassword"], true);

    // The lock is lifted, the new password works, the old does not, every session ended.
    app.session("ana@example.com", NEW_PASSWORD).await;
    assert_code(&app.login("ana@example.com", PASSWORD).await, "UNAUTHENTICATED");
    assert_code(&app.gql_as(Some(&ana.access), ME, json!({})).await, "UNAUTHENTICATED");
    let refresh = "mutation($r: String!) { refreshToken(refreshToken: $r) { accessToken } }";
    assert_code(&app.gql(refresh, json!({ "r": ana.refresh })).await, "UNAUTHENTICATED");

    // Once only; and a token that was never issued is refused the same way.
    let again = app.gql(RESET, json!({ "t": token, "p": "yet another passphrase" })).await;
    assert_eq!(bad_fields(&again), ["token"]);
    for forged in ["", "x", &"A".repeat(43), &format!("{token}A")] {
        assert_eq!(bad_fields(&app.gql(RESET, json!({ "t": forged, "p": NEW_PASSWORD })).await), ["token"]);
    }
    let both = app.gql(RESET, json!({ "t": "nope", "p": "short" })).await;
    assert_eq!(bad_fields(&both), ["newPassword", "token"], "every bad field at once");

    // Reaching the inbox proved the address; the log names the flow, never the token.
    let ana = app.session("ana@example.com", NEW_PASSWORD).await;
    assert_eq!(me(&app, &ana.access).await["emailVerified"], true);
    let dev = app.developer().await;
    let q = "query($a: [AuditAction!]) { auditEvents(filter: { actions: $a }) { nodes { action subjectUserId actorId details } } }";
    let r = app.gql_as(Some(&dev.access), q, json!({ "a": ["PASSWORD_RESET_REQUESTED", "PASSWORD_RESET"] })).await;
    let events = data(&r)["auditEvents"]["nodes"].as_array().unwrap().clone();
    let actions: Vec<&str> = events.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["PASSWORD_RESET", "PASSWORD_RESET_REQUESTED"]);
    assert!(events.iter().all(|e| e["subjectUserId"] == ana.user_id.as_str() && e["actorId"].is_null()));
    assert_eq!(events[0]["details"]["sessionsEnded"], 1);
    assert!(!r.to_string().contains(&token));
    app.stop().await;
}

async fn reset_requests_answer_true_for_every_address_and_mail_only_active_accounts(db: TestDb) {
    let sink = SmtpSink::start();
    let app = mailing_app(&db, &sink).await;
    let dev = app.developer().await;
    let ina = app.create_user("ina@example.com", &[]).await;
    let r = app
        .gql_as(
            Some(&dev.access),
            "mutation($id: ID!) { updateUser(id: $id, input: { isActive: false }) { id } }",
            json!({ "id": ina }),
        )
        .await;
    data(&r);
    app.create_user("bo@example.com", &[]).await;
    for email in ["nobody@example.com", "ina@example.com", "bo@example.com"] {
        let r = app.gql(REQUEST_RESET, json!({ "e": email })).await;
        assert_eq!(data(&r)["requestPasswordReset"], true, "{email}");
    }
    // Mails are sent in the order they were asked for: once bo's arrived, the others
    // would have.
    sink.wait_for("bo@example.com").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let recipients: Vec<Vec<String>> = sink.received().into_iter().map(|m| m.rcpt_tos).collect();
    assert_eq!(recipients, [["bo@example.com"]]);
    let bad = app.gql(REQUEST_RESET, json!({ "e": "not an address" })).await;
    assert_eq!(bad_fields(&bad), ["email"]);
    app.stop().await;
}

async fn a_newer_link_a_password_change_or_an_hour_make_a_reset_link_useless(db: TestDb) {
    let sink = SmtpSink::start();
    let app = mailing_app(&db, &sink).await;
    let cy = app.signed_in("cy@example.com", &[]).await;
    let reset_token = |mail: Mail| mail.link_token("/reset-password?token=");

    app.gql(REQUEST_RESET, json!({ "e": "cy@example.com" })).await;
    let first = reset_token(sink.wait_for("cy@example.com").await);
    app.gql(REQUEST_RESET, json!({ "e": "cy@example.com" })).await;
    let second = reset_token(sink.wait_for("cy@example.com").await);
    assert_eq!(bad_fields(&app.gql(RESET, json!({ "t": first, "p": NEW_PASSWORD })).await), ["token"]);

    let change = "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }";
    let r = app.gql_as(Some(&cy.access), change, json!({ "c": PASSWORD, "n": NEW_PASSWORD })).await;
    data(&r);
    assert_eq!(bad_fields(&app.gql(RESET, json!({ "t": second, "p": PASSWORD })).await), ["token"]);

    app.gql(REQUEST_RESET, json!({ "e": "cy@example.com" })).await;
    let third = reset_token(sink.wait_for("cy@example.com").await);
    app.clock.advance(Duration::from_secs(3601));
    assert_eq!(bad_fields(&app.gql(RESET, json!({ "t": third, "p": PASSWORD })).await), ["token"]);
    app.session("cy@example.com", NEW_PASSWORD).await;
    app.stop().await;
}

async fn registering_mails_a_verification_link_in_the_users_language(db: TestDb) {
    let sink = SmtpSink::start();
    let app = mailing_app(&db, &sink).await;
    let register =
        "mutation($i: RegisterInput!) { register(input: $i) { accessToken refreshToken user { id emailVerified } } }";

    // The account's own language wins over the request's.
    let input = json!({ "email": "dewi@example.com", "password": PASSWORD, "displayName": "Dewi", "locale": "id" });
    let r = gql_in(&app, "en-US", None, register, json!({ "i": input })).await;
    assert_eq!(data(&r)["register"]["user"]["emailVerified"], false);
    let dewi = Session::from_payload(&r, "register");
    let mail = sink.wait_for("dewi@example.com").await;
    assert_eq!(mail.subject, "Konfirmasi alamat email Anda");
    assert_well_formed(&mail, "id", Some("/verify-email"));
    assert!(mail.text.as_deref().unwrap().starts_with("Halo Dewi,"));
    assert_eq!(me(&app, &dewi.access).await["locale"], "id");

    let token = mail.link_token("/verify-email?token=");
    let r = app.gql(VERIFY, json!({ "t": token })).await;
    assert_eq!(data(&r)["verifyEmail"], json!({ "id": dewi.user_id, "emailVerified": true }));
    assert_eq!(bad_fields(&app.gql(VERIFY, json!({ "t": token })).await), ["token"]);
    assert_eq!(me(&app, &dewi.access).await["emailVerified"], true);
    // Verified already: true, and nothing is mailed.
    assert_eq!(
        data(&app.gql_as(Some(&dewi.access), SEND_VERIFICATION, json!({})).await)["sendEmailVerification"],
        true
    );

    // Without a language of its own, the request's; a second link replaces the first.
    let input = json!({ "email": "eko@example.com", "password": PASSWORD });
    let r = gql_in(&app, "id-ID,id;q=0.9,en;q=0.5", None, register, json!({ "i": input })).await;
    let eko = Session::from_payload(&r, "register");
    let welcome = sink.wait_for("eko@example.com").await;
    assert_well_formed(&welcome, "id", Some("/verify-email"));
    let r = gql_in(&app, "en", Some(&eko.access), SEND_VERIFICATION, json!({})).await;
    assert_eq!(data(&r)["sendEmailVerification"], true);
    let again = sink.wait_for("eko@example.com").await;
    assert_eq!(again.subject, "Confirm your email address");
    assert_well_formed(&again, "en", Some("/verify-email"));
    let stale = welcome.link_token("/verify-email?token=");
    assert_eq!(bad_fields(&app.gql(VERIFY, json!({ "t": stale })).await), ["token"]);
    // A third within the hour is allowed, a fourth is not: the caller learns when to retry.
    data(&app.gql_as(Some(&eko.access), SEND_VERIFICATION, json!({})).await);
    let r = app.gql_as(Some(&eko.access), SEND_VERIFICATION, json!({})).await;
    assert_code(&r, "TOO_MANY_REQUESTS");
    let retry = r["errors"][0]["extensions"]["retryAfter"].as_u64().unwrap();
    assert!((3500..=3600).contains(&retry), "{retry}");
    assert_eq!(sink.wait_for_count("eko@example.com", 1).await.len(), 1);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(sink.count_to("eko@example.com"), 3);

    // Links expire after a day.
    app.clock.advance(Duration::from_secs(3601));
    let eko = app.session("eko@example.com", PASSWORD).await;
    data(&app.gql_as(Some(&eko.access), SEND_VERIFICATION, json!({})).await);
    let late = sink.wait_for("eko@example.com").await.link_token("/verify-email?token=");
    app.clock.advance(Duration::from_secs(24 * 3600 + 1));
    assert_eq!(bad_fields(&app.gql(VERIFY, json!({ "t": late })).await), ["token"]);
    let bad = app.gql("mutation { register(input: { email: \"f@example.com\", password: \"a perfectly fine passphrase\", locale: \"fr\" }) { accessToken } }", json!({})).await;
    assert_eq!(bad_fields(&bad), ["locale"]);
    app.stop().await;
}

async fn sign_in_can_require_a_verified_address(db: TestDb) {
    let sink = SmtpSink::start();
    let app = mailing_app_with(&db, &sink, |c| c.require_verified_email = true).await;
    let register = "mutation($i: RegisterInput!) { register(input: $i) { accessToken } }";
    let r = app.gql(register, json!({ "i": { "email": "fay@example.com", "password": PASSWORD } })).await;
    assert_code(&r, "FORBIDDEN");
    assert_eq!(r["errors"][0]["extensions"]["reason"], "EMAIL_NOT_VERIFIED");
    let r = app.login("fay@example.com", PASSWORD).await;
    assert_code(&r, "FORBIDDEN");
    assert_eq!(r["errors"][0]["extensions"]["reason"], "EMAIL_NOT_VERIFIED");
    // A wrong password says nothing about the address.
    let r = app.login("fay@example.com", "not the password").await;
    assert_code(&r, "UNAUTHENTICATED");
    assert!(r["errors"][0]["extensions"]["reason"].is_null());

    let token = sink.wait_for("fay@example.com").await.link_token("/verify-email?token=");
    data(&app.gql(VERIFY, json!({ "t": token })).await);
    app.session("fay@example.com", PASSWORD).await;
    // The first account's address was given by the operator.
    app.session(DEV_EMAIL, DEV_PASSWORD).await;
    app.stop().await;
}

async fn an_email_change_is_confirmed_from_the_new_address_and_announced_to_the_old(db: TestDb) {
    let sink = SmtpSink::start();
    let app = mailing_app(&db, &sink).await;
    let gus = app.signed_in("gus@example.com", &[]).await;
    app.create_user("taken@example.com", &[]).await;
    let ask = |email: &str, password: &str| json!({ "e": email, "p": password });

    let r = app.gql_as(Some(&gus.access), REQUEST_CHANGE, ask("gus@new.example", "wrong password")).await;
    assert_eq!(bad_fields(&r), ["currentPassword"]);
    let r = app.gql_as(Some(&gus.access), REQUEST_CHANGE, ask("GUS@example.com", PASSWORD)).await;
    assert_eq!(bad_fields(&r), ["newEmail"]);
    let r = app.gql_as(Some(&gus.access), REQUEST_CHANGE, ask("not an address", PASSWORD)).await;
    assert_eq!(bad_fields(&r), ["newEmail"]);
    let r = app.gql_as(Some(&gus.access), REQUEST_CHANGE, ask("Taken@example.com", PASSWORD)).await;
    assert_code(&r, "CONFLICT");
    assert_eq!(bad_fields(&r), ["newEmail"]);
    assert_code(&app.gql(REQUEST_CHANGE, ask("gus@new.example", PASSWORD)).await, "UNAUTHENTICATED");

    let r = app.gql_as(Some(&gus.access), REQUEST_CHANGE, ask("gus@new.example", PASSWORD)).await;
    assert_eq!(data(&r)["requestEmailChange"], true);
    let confirm = sink.wait_for("gus@new.example").await;
    assert_eq!(confirm.subject, "Confirm your new email address");
    assert_well_formed(&confirm, "en", Some("/confirm-email"));
    let notice = sink.wait_for("gus@example.com").await;
    assert_eq!(notice.subject, "Your email address is being changed");
    assert_well_formed(&notice, "en", None);
    assert!(notice.text.as_deref().unwrap().contains("gus@new.example"));
    assert_eq!(me(&app, &gus.access).await["email"], "gus@example.com", "nothing changes before the link is followed");

    let token = confirm.link_token("/confirm-email?token=");
    let r = app.gql(CONFIRM_CHANGE, json!({ "t": token })).await;
    assert_eq!(data(&r)["confirmEmailChange"], json!({ "id": gus.user_id, "emailVerified": true }));
    assert_eq!(bad_fields(&app.gql(CONFIRM_CHANGE, json!({ "t": token })).await), ["token"]);
    assert_eq!(me(&app, &gus.access).await["email"], "gus@new.example");
    app.session("gus@new.example", PASSWORD).await;
    assert_code(&app.login("gus@example.com", PASSWORD).await, "UNAUTHENTICATED");

    // Taken between the request and the confirmation: CONFLICT, and the link still works
    // once the address is free again.
    let r = app.gql_as(Some(&gus.access), REQUEST_CHANGE, ask("late@example.com", PASSWORD)).await;
    data(&r);
    let token = sink.wait_for("late@example.com").await.link_token("/confirm-email?token=");
    let late = app.create_user("late@example.com", &[]).await;
    assert_code(&app.gql(CONFIRM_CHANGE, json!({ "t": token })).await, "CONFLICT");
    let dev = app.developer().await;
    let delete = "mutation($id: ID!) { deleteUser(id: $id) }";
    data(&app.gql_as(Some(&dev.access), delete, json!({ "id": late })).await);
    data(&app.gql(CONFIRM_CHANGE, json!({ "t": token })).await);

    // A key may not move its owner's address.
    let (_, key) = create_key(&app, &dev.access, json!({ "name": "ci" })).await;
    assert_code(&app.gql_as(Some(&key), REQUEST_CHANGE, ask("dev@new.example", DEV_PASSWORD)).await, "FORBIDDEN");
    let q = "query { auditEvents(filter: { actions: [EMAIL_CHANGED] }) { nodes { subjectUserId details } } }";
    let events = data(&app.gql_as(Some(&dev.access), q, json!({})).await)["auditEvents"]["nodes"].clone();
    assert_eq!(events.as_array().unwrap().len(), 2);
    assert!(!events.to_string().contains("example"), "addresses stay out of the log: {events}");
    app.stop().await;
}

async fn a_changed_address_is_unverified_until_proven_and_only_others_may_vouch_for_it(db: TestDb) {
    let sink = SmtpSink::start();
    let app = mailing_app(&db, &sink).await;
    let dev = app.developer().await;
    let hana = app.signed_in("hana@example.com", &[]).await;
    let update =
        "mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { email emailVerified locale } }";
    let r = app.gql_as(Some(&dev.access), update, json!({ "id": hana.user_id, "i": { "emailVerified": true } })).await;
    assert_eq!(data(&r)["updateUser"]["emailVerified"], true);

    // A verification link mailed for the old address must not verify the new one.
    data(&app.gql_as(Some(&dev.access), update, json!({ "id": hana.user_id, "i": { "emailVerified": false } })).await);
    data(&app.gql_as(Some(&hana.access), SEND_VERIFICATION, json!({})).await);
    let token = sink.wait_for("hana@example.com").await.link_token("/verify-email?token=");
    let r = app
        .gql_as(Some(&dev.access), update, json!({ "id": hana.user_id, "i": { "email": "hana@other.example" } }))
        .await;
    assert_eq!(data(&r)["updateUser"]["emailVerified"], false);
    assert_eq!(bad_fields(&app.gql(VERIFY, json!({ "t": token })).await), ["token"]);

    // A user chooses its language, but cannot vouch for its own address.
    let r = app.gql_as(Some(&hana.access), update, json!({ "id": hana.user_id, "i": { "locale": "ID" } })).await;
    assert_eq!(data(&r)["updateUser"]["locale"], "id");
    let r = app.gql_as(Some(&hana.access), update, json!({ "id": hana.user_id, "i": { "emailVerified": true } })).await;
    assert_code(&r, "FORBIDDEN");
    let r = app.gql_as(Some(&hana.access), update, json!({ "id": hana.user_id, "i": { "locale": "de" } })).await;
    assert_eq!(bad_fields(&r), ["locale"]);
    let r = app.gql_as(Some(&hana.access), update, json!({ "id": hana.user_id, "i": { "locale": null } })).await;
    assert!(data(&r)["updateUser"]["locale"].is_null());
    // Others see whether an address is verified, never the language.
    let ida = app.signed_in("ida@example.com", &[]).await;
    let q = "query($id: ID!) { user(id: $id) { emailVerified } }";
    assert_eq!(
        data(&app.gql_as(Some(&ida.access), q, json!({ "id": hana.user_id })).await)["user"]["emailVerified"],
        false
    );
    let q = "query($id: ID!) { user(id: $id) { locale } }";
    assert_code(&app.gql_as(Some(&ida.access), q, json!({ "id": hana.user_id })).await, "FORBIDDEN");
    app.stop().await;
}

/// `gerbang_mails_total{outcome}` as the app's `/metrics` shows it.
async fn mails_counted(app: &TestApp, outcome: &str) -> u64 {
    let text = app.metrics_text().await;
    let prefix = format!("gerbang_mails_total{{outcome=\"{outcome}\"}} ");
    text.lines().find_map(|l| l.strip_prefix(&prefix)).map_or(0, |v| v.trim().parse().unwrap())
}

async fn the_outbox_keeps_mails_while_the_smtp_server_is_down(db: TestDb) {
    let mut sink = SmtpSink::start();
    let app = mailing_app(&db, &sink).await;
    app.create_user("ivy@example.com", &[]).await;
    sink.stop();
    data(&app.gql(REQUEST_RESET, json!({ "e": "ivy@example.com" })).await);
    let started = std::time::Instant::now();
    while mails_counted(&app, "retry").await == 0 {
        assert!(started.elapsed() < Duration::from_secs(20), "the failed attempt is counted");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The mail waits in the outbox, and goes out at its retry once the server is back.
    sink.restart();
    app.clock.advance(Duration::from_secs(60));
    let mail = sink.wait_for("ivy@example.com").await;
    assert_well_formed(&mail, "en", Some("/reset-password"));
    let token = mail.link_token("/reset-password?token=");
    data(&app.gql(RESET, json!({ "t": token, "p": NEW_PASSWORD })).await);
    app.session("ivy@example.com", NEW_PASSWORD).await;
    assert_eq!(mails_counted(&app, "sent").await, 1);
    assert_eq!(mails_counted(&app, "dropped").await, 0);
    app.stop().await;

    // A temporary refusal by the server (451) is retried the same way.
    let sink = SmtpSink::start_failing_first(1);
    let app = mailing_app(&db, &sink).await;
    data(&app.gql(REQUEST_RESET, json!({ "e": "ivy@example.com" })).await);
    while mails_counted(&app, "retry").await == 0 {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    app.clock.advance(Duration::from_secs(60));
    sink.wait_for("ivy@example.com").await;
    app.stop().await;
}

async fn simultaneous_reset_requests_mail_an_account_at_most_three_times(db: TestDb) {
    let sink = SmtpSink::start();
    let app = mailing_app(&db, &sink).await;
    app.create_user("jo@example.com", &[]).await;
    let answers = app.all_at_once(8, |_| (None, REQUEST_RESET.to_owned(), json!({ "e": "jo@example.com" }))).await;
    assert!(answers.iter().all(|r| data(r)["requestPasswordReset"] == true), "every request is answered true");
    let mails = sink.wait_for_count("jo@example.com", 3).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(sink.count_to("jo@example.com"), 3, "at most three reset mails an hour");
    // Only the newest link works.
    let tokens: Vec<String> = mails.iter().map(|m| m.link_token("/reset-password?token=")).collect();
    let results: Vec<bool> = {
        let mut out = Vec::new();
        for t in &tokens {
            out.push(app.gql(RESET, json!({ "t": t, "p": NEW_PASSWORD })).await["errors"].is_null());
        }
        out
    };
    assert_eq!(results.iter().filter(|ok| **ok).count(), 1, "{results:?}");
    app.stop().await;
}

async fn a_token_presented_at_the_same_moment_works_once(db: TestDb) {
    let sink = SmtpSink::start();
    let app = mailing_app(&db, &sink).await;
    app.create_user("kai@example.com", &[]).await;
    data(&app.gql(REQUEST_RESET, json!({ "e": "kai@example.com" })).await);
    let token = sink.wait_for("kai@example.com").await.link_token("/reset-password?token=");
    let answers = app
        .all_at_once(6, |i| (None, RESET.to_owned(), json!({ "t": token, "p": format!("{NEW_PASSWORD} {i}") })))
        .await;
    let won: Vec<usize> = (0..6).filter(|i| answers[*i]["errors"].is_null()).collect();
    assert_eq!(won.len(), 1, "{answers:?}");
    for (i, r) in answers.iter().enumerate() {
        if i != won[0] {
            assert_eq!(bad_fields(r), ["token"], "{r}");
        }
    }
    app.session("kai@example.com", &format!("{NEW_PASSWORD} {}", won[0])).await;
    app.stop().await;
}

async fn reset_requests_are_limited_per_client_address(db: TestDb) {
    let sink = SmtpSink::start();
    let app = mailing_app_with(&db, &sink, |c| c.email_rate_per_ip = 3).await;
    for i in 0..3 {
        data(&app.gql(REQUEST_RESET, json!({ "e": format!("n{i}@example.com") })).await);
    }
    let r = app.gql(REQUEST_RESET, json!({ "e": "n3@example.com" })).await;
    assert_code(&r, "TOO_MANY_REQUESTS");
    assert!(r["errors"][0]["extensions"]["retryAfter"].as_u64().unwrap() > 0);
    app.stop().await;
}

/// `verifyEmail` and `confirmEmailChange` check their token before they take the writer (a
/// token that was never issued costs no write turn, so it is answered while another write
/// holds SQLite's writer), and share the per-address limit of the sign-in mutations.
async fn link_tokens_are_refused_without_a_write_and_limited_per_address(db: TestDb) {
    let app = TestApp::spawn_with(&db, |c| c.auth_rate_per_ip = 4).await;
    let held = app.state.db.begin_write().await.unwrap();
    let unknown = "A".repeat(43);
    for (query, token) in
        [(VERIFY, "not a token"), (VERIFY, &unknown), (CONFIRM_CHANGE, "x"), (CONFIRM_CHANGE, &unknown)]
    {
        let r = tokio::time::timeout(Duration::from_secs(5), app.gql(query, json!({ "t": token })))
            .await
            .expect("answered without waiting for the writer");
        assert_code(&r, "BAD_USER_INPUT");
        assert_eq!(bad_fields(&r), ["token"], "{r}");
    }
    drop(held);
    for query in [VERIFY, CONFIRM_CHANGE] {
        let r = app.gql(query, json!({ "t": unknown })).await;
        assert_code(&r, "TOO_MANY_REQUESTS");
        assert!(r["errors"][0]["extensions"]["retryAfter"].as_u64().unwrap() > 0, "{r}");
    }
    app.stop().await;
}

async fn two_instances_send_each_mail_once(db: TestDb) {
    let sink = SmtpSink::start();
    let (a, b) = (mailing_app(&db, &sink).await, mailing_app(&db, &sink).await);
    let emails: Vec<String> = (0..20).map(|i| format!("m{i}@example.com")).collect();
    for email in &emails {
        a.create_user(email, &[]).await;
    }
    // Each instance queues every other mail (after answering) and wakes its own worker;
    // both workers claim from the one outbox, so each meets mails the other queued.
    for (i, email) in emails.iter().enumerate() {
        let app = if i % 2 == 0 { &a } else { &b };
        assert_eq!(data(&app.gql(REQUEST_RESET, json!({ "e": email })).await)["requestPasswordReset"], true);
    }
    for email in &emails {
        sink.wait_for(email).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut recipients: Vec<String> = sink.received().into_iter().flat_map(|m| m.rcpt_tos).collect();
    recipients.sort();
    let mut once = emails.clone();
    once.sort();
    assert_eq!(recipients, once, "every mail arrives exactly once");
    a.stop().await;
    b.stop().await;
}

async fn a_retry_another_instance_scheduled_is_sent_when_due_not_at_the_sweep(db: TestDb) {
    let sink = SmtpSink::start_failing_first(1);
    let (a, b) = (mailing_app(&db, &sink).await, mailing_app(&db, &sink).await);
    a.create_user("kim@example.com", &[]).await;
    a.create_user("lee@example.com", &[]).await;
    // B's mail is refused once (451); B schedules the retry two seconds on, then B is gone.
    data(&b.gql(REQUEST_RESET, json!({ "e": "kim@example.com" })).await);
    while mails_counted(&b, "retry").await == 0 {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    b.stop().await;
    // A sends a mail of its own and, seeing B's retry due soon, looks again then rather than
    // at its once-a-minute sweep (which is longer than `wait_for` waits).
    data(&a.gql(REQUEST_RESET, json!({ "e": "lee@example.com" })).await);
    sink.wait_for("lee@example.com").await;
    a.clock.advance(Duration::from_secs(5));
    let started = std::time::Instant::now();
    sink.wait_for("kim@example.com").await;
    assert!(started.elapsed() < Duration::from_secs(10), "sent after {:?}", started.elapsed());
    a.stop().await;
}

async fn a_failing_server_holds_back_the_rest_of_the_queue_until_the_retry(db: TestDb) {
    let mut sink = SmtpSink::start();
    let app = mailing_app_with(&db, &sink, |c| c.email_rate_per_ip = 100).await;
    // One mail more than a worker takes at once (20), each refused once while the clock
    // stands still, so every one of them is due again at the same moment.
    let emails: Vec<String> = (0..21).map(|i| format!("q{i}@example.com")).collect();
    for email in &emails {
        app.create_user(email, &[]).await;
    }
    sink.stop();
    for email in &emails {
        data(&app.gql(REQUEST_RESET, json!({ "e": email })).await);
    }
    let wait_for_retries = |n: u64| {
        let app = &app;
        async move {
            let started = std::time::Instant::now();
            while mails_counted(app, "retry").await < n {
                assert!(started.elapsed() < Duration::from_secs(20), "{n} failed attempts are counted");
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    };
    wait_for_retries(21).await;
    app.clock.advance(Duration::from_secs(5));
    // The worker takes a batch of 20, meets a server that still fails, and lets the 21st wait
    // for the retry (four seconds on) instead of trying it at once.
    wait_for_retries(41).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(mails_counted(&app, "retry").await, 41, "the rest of the queue waits for the retry");
    // Nothing is lost: once the server is back, every mail goes out.
    sink.restart();
    app.clock.advance(Duration::from_secs(60));
    for email in &emails {
        sink.wait_for(email).await;
    }
    app.stop().await;
}

async fn simultaneous_email_change_requests_mail_at_most_three_links(db: TestDb) {
    let sink = SmtpSink::start();
    let app = mailing_app(&db, &sink).await;
    let lu = app.signed_in("lu@example.com", &[]).await;
    let answers = app
        .all_at_once(8, |i| {
            let vars = json!({ "e": format!("lu{i}@new.example"), "p": PASSWORD });
            (Some(lu.access.clone()), REQUEST_CHANGE.to_owned(), vars)
        })
        .await;
    let codes: Vec<&str> =
        answers.iter().map(|r| r["errors"][0]["extensions"]["code"].as_str().unwrap_or("OK")).collect();
    assert_eq!(codes.iter().filter(|c| **c == "OK").count(), 3, "{codes:?}");
    assert_eq!(codes.iter().filter(|c| **c == "TOO_MANY_REQUESTS").count(), 5, "{codes:?}");
    app.stop().await;
}

async fn an_address_confirmed_by_two_accounts_at_the_same_moment_goes_to_one(db: TestDb) {
    let sink = SmtpSink::start();
    let app = mailing_app(&db, &sink).await;
    let mut tokens = Vec::new();
    for who in ["mo@example.com", "ned@example.com"] {
        let s = app.signed_in(who, &[]).await;
        let r = app.gql_as(Some(&s.access), REQUEST_CHANGE, json!({ "e": "wanted@new.example", "p": PASSWORD })).await;
        data(&r);
        tokens.push(sink.wait_for("wanted@new.example").await.link_token("/confirm-email?token="));
    }
    let answers = app.all_at_once(2, |i| (None, CONFIRM_CHANGE.to_owned(), json!({ "t": tokens[i] }))).await;
    let codes: Vec<&str> =
        answers.iter().map(|r| r["errors"][0]["extensions"]["code"].as_str().unwrap_or("OK")).collect();
    assert_eq!(codes.iter().filter(|c| **c == "OK").count(), 1, "{codes:?}");
    assert_eq!(codes.iter().filter(|c| **c == "CONFLICT").count(), 1, "{codes:?}");
    let q = "query($q: String!) { users(filter: { search: $q }) { totalCount } }";
    let dev = app.developer().await;
    let found =
        data(&app.gql_as(Some(&dev.access), q, json!({ "q": "wanted@new.example" })).await)["users"]["totalCount"]
            .clone();
    assert_eq!(found, 1);
    app.stop().await;
}
