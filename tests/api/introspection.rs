//! What the deployment's own APIs use: `GET /.well-known/oauth-authorization-server`
//! (RFC 8414) and `POST /oauth/introspect` (RFC 7662), live, for API keys holding
//! `gerbang:introspect`, and rate-limited.

use serde_json::{Value, json};

use crate::api_keys::create_key;
use crate::app_permissions::app_role;
use crate::helpers::assert::data;
use crate::helpers::{TestApp, TestDb};

backend_tests!(
    the_metadata_document_names_issuer_keys_and_introspection,
    introspection_answers_live_for_tokens_and_keys,
    introspecting_a_key_reports_what_it_may_do_and_is_no_use_of_it,
    introspection_refuses_callers_without_gerbang_introspect,
    introspection_is_rate_limited_per_address,
);

/// A form-encoded POST to the introspection endpoint.
fn form(app: &TestApp, fields: &[(&str, &str)]) -> reqwest::RequestBuilder {
    let body = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
    app.http.post(app.url("/oauth/introspect")).header("content-type", "application/x-www-form-urlencoded").body(body)
}

/// Asks about `token` with `credential`; returns the status, `WWW-Authenticate` and body.
async fn introspect(app: &TestApp, credential: Option<&str>, token: &str) -> (u16, Option<String>, Value) {
    let mut req = form(app, &[("token", token)]);
    if let Some(c) = credential {
        req = req.bearer_auth(c);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let challenge = resp.headers().get("www-authenticate").map(|v| v.to_str().unwrap().to_owned());
    (status, challenge, resp.json().await.unwrap_or(Value::Null))
}

/// A key that may introspect, made by the developer.
async fn introspector(app: &TestApp) -> String {
    let dev = app.developer().await;
    create_key(app, &dev.access, json!({ "name": "notes api", "appPermissions": ["gerbang:introspect"] })).await.1
}

async fn the_metadata_document_names_issuer_keys_and_introspection(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let resp = app.http.get(app.url("/.well-known/oauth-authorization-server")).send().await.unwrap();
    assert_eq!(resp.headers()["cache-control"], "no-store", "built from this request's Host");
    let doc: Value = resp.json().await.unwrap();
    assert_eq!(doc["issuer"], "gerbang");
    assert_eq!(doc["jwks_uri"], app.url("/.well-known/jwks.json"), "from the request's Host when no public URL is set");
    assert_eq!(doc["introspection_endpoint"], app.url("/oauth/introspect"));
    assert_eq!(doc["access_token_signing_alg_values_supported"], json!(["EdDSA"]));
    let jwks: Value = app.http.get(doc["jwks_uri"].as_str().unwrap()).send().await.unwrap().json().await.unwrap();
    assert!(!jwks["keys"].as_array().unwrap().is_empty(), "the named JWKS is served");
    app.stop().await;

    let app = TestApp::spawn_with(&db, |c| c.public_url = Some("https://id.example.com".into())).await;
    let doc: Value =
        app.http.get(app.url("/.well-known/oauth-authorization-server")).send().await.unwrap().json().await.unwrap();
    assert_eq!(doc["jwks_uri"], "https://id.example.com/.well-known/jwks.json");
    assert_eq!(doc["introspection_endpoint"], "https://id.example.com/oauth/introspect");
    app.stop().await;

    // An issuer that is a URL is the base too; a forged Host changes nothing then. Only a
    // document built from the Host is kept from shared caches.
    let app = TestApp::spawn_with(&db, |c| c.jwt_issuer = "https://auth.example.org".into()).await;
    let resp = app
        .http
        .get(app.url("/.well-known/oauth-authorization-server"))
        .header("host", "evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()["cache-control"], "public, max-age=300");
    let doc: Value = resp.json().await.unwrap();
    assert_eq!(doc["jwks_uri"], "https://auth.example.org/.well-known/jwks.json");
    app.stop().await;
}

async fn introspection_answers_live_for_tokens_and_keys(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    let key = introspector(&app).await;
    let role = app_role(&app, "note-writers", &[], &["notes:write"]).await;
    app.create_user("writer@x.io", &["note-writers"]).await;
    let writer = app.session("writer@x.io", crate::helpers::fixtures::PASSWORD).await;

    let (status, _, answer) = introspect(&app, Some(&key), &writer.access).await;
    assert_eq!(status, 200);
    assert_eq!(answer["active"], true);
    assert_eq!(answer["sub"], writer.user_id.as_str());
    assert!(answer["sid"].is_string() && answer["exp"].is_i64() && answer["iat"].is_i64());
    assert_eq!(answer["iss"], "gerbang");
    assert_eq!(answer["aud"], "gerbang");
    assert_eq!(answer["roles"], json!(["note-writers"]));
    assert_eq!(answer["permissions"], json!(["notes:write"]));
    assert_eq!(answer["token_type"], "Bearer");
    assert_eq!(answer["gerbang_credential"], "access_token");

    // Live: a permission taken from the role is gone from the answer at once, though the
    // token's own claims still carry it until it expires.
    let update = "mutation($id: ID!) { updateRole(id: $id, input: { appPermissions: [] }) { id } }";
    data(&app.gql_as(Some(&dev.access), update, json!({ "id": role })).await);
    assert_eq!(introspect(&app, Some(&key), &writer.access).await.2["permissions"], json!([]));

    // A session ended a moment ago is not active, and neither is anything else not live.
    data(&app.gql_as(Some(&writer.access), "mutation { logout }", json!({})).await);
    assert_eq!(introspect(&app, Some(&key), &writer.access).await.2, json!({ "active": false }));
    for junk in ["", "not a token", "eyJhbGciOiJub25lIn0.e30.", "gbk_unknown", writer.refresh.as_str()] {
        let (status, _, answer) = introspect(&app, Some(&key), junk).await;
        assert_eq!((status, answer), (200, json!({ "active": false })), "{junk:?}");
    }

    // An API key is introspected too: its owner, and what it may use.
    let (_, other) =
        create_key(&app, &dev.access, json!({ "name": "reports", "appPermissions": ["notes:write"] })).await;
    let answer = introspect(&app, Some(&key), &other).await.2;
    assert_eq!(answer["active"], true);
    assert_eq!(answer["sub"], dev.user_id.as_str());
    assert!(answer["sid"].is_null());
    assert_eq!(answer["gerbang_credential"], "api_key");
    assert_eq!(answer["permissions"], json!(["notes:write"]));

    // No token at all is a bad request.
    let resp = form(&app, &[("nothing", "")]).bearer_auth(&key).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 400);
    app.stop().await;
}

async fn introspecting_a_key_reports_what_it_may_do_and_is_no_use_of_it(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    let introspector = introspector(&app).await;
    let role = app_role(&app, "note-writers", &["USER_READ"], &["notes:write", "notes:read"]).await;
    app.create_user("writer@x.io", &["note-writers"]).await;
    let writer = app.session("writer@x.io", crate::helpers::fixtures::PASSWORD).await;
    let (_, key) = create_key(&app, &writer.access, json!({ "name": "sync", "appPermissions": ["notes:write"] })).await;
    let last_used = async || -> Value {
        let r = app.gql_as(Some(&writer.access), "{ me { apiKeys { lastUsedAt } } }", json!({})).await;
        data(&r)["me"]["apiKeys"][0]["lastUsedAt"].clone()
    };

    // What the key may do (what both it and its owner hold), and no roles: the owner's
    // roles are not the key's.
    let answer = introspect(&app, Some(&introspector), &key).await.2;
    assert_eq!(answer["active"], true);
    assert_eq!(answer["sub"], writer.user_id.as_str());
    assert_eq!(answer["gerbang_credential"], "api_key");
    assert_eq!(answer["roles"], json!([]), "{answer}");
    assert_eq!(answer["permissions"], json!(["notes:write"]));
    let update = "mutation($id: ID!) { updateRole(id: $id, input: { appPermissions: [\"notes:read\"] }) { id } }";
    data(&app.gql_as(Some(&dev.access), update, json!({ "id": role })).await);
    assert_eq!(introspect(&app, Some(&introspector), &key).await.2["permissions"], json!([]));

    // Being looked at is not a use: `lastUsedAt` stays unset (a use sets it within moments).
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(last_used().await, Value::Null);
    data(&app.gql_as(Some(&key), "{ me { id } }", json!({})).await);
    for _ in 0..100 {
        if last_used().await != Value::Null {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_ne!(last_used().await, Value::Null, "a use is recorded");
    app.stop().await;
}

async fn introspection_refuses_callers_without_gerbang_introspect(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    let (_, plain_key) = create_key(&app, &dev.access, json!({ "name": "plain" })).await;
    for (credential, error) in [
        (None, None),
        (Some("gbk_made-up"), Some("invalid_token")),
        (Some(dev.access.as_str()), Some("insufficient_scope")),
        (Some(plain_key.as_str()), Some("insufficient_scope")),
    ] {
        let (status, challenge, body) = introspect(&app, credential, &dev.access).await;
        assert_eq!(status, 401, "{credential:?}");
        let challenge = challenge.expect("WWW-Authenticate");
        assert!(challenge.starts_with("Bearer realm=\"gerbang\""), "{challenge}");
        if let Some(e) = error {
            assert!(challenge.contains(&format!("error=\"{e}\"")), "{challenge}");
        }
        assert!(body.get("active").is_none(), "nothing is said about the token: {body}");
    }
    app.stop().await;
}

async fn introspection_is_rate_limited_per_address(db: TestDb) {
    let app = TestApp::spawn_with(&db, |c| c.introspect_rate_per_ip = 3).await;
    for _ in 0..3 {
        assert_eq!(introspect(&app, None, "x").await.0, 401);
    }
    let resp = form(&app, &[("token", "x")]).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 429, "the fourth in a minute");
    let wait: u64 = resp.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    app.stop().await;
}
