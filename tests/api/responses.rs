//! Responses follow the GraphQL spec ("Handling Field Errors"): a field that fails is `null`
//! under its key, with its error at its path; a key is never left out (normalised caches
//! such as Apollo's and urql's read a missing key as a broken response). A failed non-null
//! field makes its parent null, up to the nearest nullable field. And the HTTP side: the
//! Authorization scheme in any case, security headers on every response.

use serde_json::{Value, json};

use crate::helpers::assert::data;
use crate::helpers::{Backend, TestApp, TestDb};

backend_tests!(refused_private_fields_are_null_under_their_key_on_every_path);

/// The errors' paths, as strings (`user.email`), sorted.
fn error_paths(resp: &Value) -> Vec<String> {
    let mut paths: Vec<String> = resp["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            e["path"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|s| s.as_str().map_or_else(|| s.to_string(), str::to_owned))
                .collect::<Vec<_>>()
                .join(".")
        })
        .collect();
    paths.sort();
    paths
}

fn codes(resp: &Value) -> Vec<&str> {
    resp["errors"].as_array().into_iter().flatten().map(|e| e["extensions"]["code"].as_str().unwrap_or("")).collect()
}

async fn refused_private_fields_are_null_under_their_key_on_every_path(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    let other = app.create_user("other@x.io", &["user"]).await;
    let plain = app.signed_in("plain@x.io", &["user"]).await;
    let role = app.create_role("helpers", &[]).await;

    // Another user's private fields, also under an alias.
    let q = "query($id: ID!) { user(id: $id) { id displayName email mail: email phoneNumber address attributes lastLoginAt } }";
    let resp = app.gql_as(Some(&plain.access), q, json!({ "id": other })).await;
    let user = &resp["data"]["user"];
    assert_eq!(user["id"], other.as_str(), "{resp}");
    for key in ["email", "mail", "phoneNumber", "address", "attributes", "lastLoginAt"] {
        let obj = user.as_object().unwrap();
        assert!(obj.contains_key(key), "{key} is present: {resp}");
        assert!(obj[key].is_null(), "{key} is null: {resp}");
    }
    assert!(user.as_object().unwrap().contains_key("displayName"));
    assert_eq!(
        error_paths(&resp),
        ["user.address", "user.attributes", "user.email", "user.lastLoginAt", "user.mail", "user.phoneNumber"]
    );
    assert!(codes(&resp).iter().all(|c| *c == "FORBIDDEN"), "{resp}");

    // A role's author (a user like any other), member count and members.
    let q =
        "query($id: ID!) { role(id: $id) { name createdBy { id email } userCount users(first: 5) { totalCount } } }";
    let resp = app.gql_as(Some(&plain.access), q, json!({ "id": role })).await;
    let r = &resp["data"]["role"];
    assert_eq!(r["name"], "helpers", "{resp}");
    assert_eq!(r["createdBy"]["id"], dev.user_id.as_str());
    for (obj, key) in [(&r["createdBy"], "email"), (r, "userCount"), (r, "users")] {
        assert!(obj.as_object().unwrap().contains_key(key) && obj[key].is_null(), "{key}: {resp}");
    }
    assert_eq!(error_paths(&resp), ["role.createdBy.email", "role.userCount", "role.users"]);

    // The same in a list: every role, every author's email.
    let resp = app.gql_as(Some(&plain.access), "{ roles { name userCount createdBy { email } } }", json!({})).await;
    let roles = resp["data"]["roles"].as_array().unwrap();
    assert!(roles.iter().all(|r| r.as_object().unwrap().contains_key("userCount") && r["userCount"].is_null()));
    assert!(error_paths(&resp).iter().any(|p| p.starts_with("roles.") && p.ends_with(".userCount")), "{resp}");

    // Nothing is refused to the user itself or to USER_READ.
    let own = app.gql_as(Some(&plain.access), "{ me { email phoneNumber } }", json!({})).await;
    assert!(own["errors"].is_null(), "{own}");
    let admin =
        app.gql_as(Some(&dev.access), "query($id: ID!) { user(id: $id) { email } }", json!({ "id": other })).await;
    assert_eq!(data(&admin)["user"]["email"], "other@x.io");
    app.stop().await;
}

#[tokio::test]
async fn a_failed_non_null_field_nulls_its_parent_up_to_a_nullable_one() {
    let db = TestDb::create(Backend::Sqlite).await.unwrap();
    let app = TestApp::spawn(&db).await;
    // `me: User!` fails for an anonymous caller: `data` itself becomes null, even with a
    // sibling that would have answered.
    let resp = app.gql("{ __typename me { id } }", json!({})).await;
    assert!(resp["data"].is_null(), "{resp}");
    assert_eq!(error_paths(&resp), ["me"]);
    // A nullable root field fails on its own.
    let resp =
        app.gql("query($id: ID!) { __typename user(id: $id) { id } }", json!({ "id": uuid::Uuid::now_v7() })).await;
    assert_eq!(resp["data"], json!({ "__typename": "Query", "user": null }), "{resp}");
    assert_eq!(codes(&resp), ["UNAUTHENTICATED"]);
    app.stop().await;
}

#[tokio::test]
async fn the_authorization_scheme_is_case_insensitive() {
    let db = TestDb::create(Backend::Sqlite).await.unwrap();
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    for scheme in ["Bearer", "bearer", "BEARER", "bEaReR"] {
        let resp: Value = app
            .http
            .post(app.url("/graphql"))
            .header("Authorization", format!("{scheme} {}", dev.access))
            .json(&json!({ "query": "{ me { id } }" }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(resp["data"]["me"]["id"], dev.user_id.as_str(), "{scheme}: {resp}");
    }
    let basic: Value = app
        .http
        .post(app.url("/graphql"))
        .header("Authorization", "Basic YWRtaW46YWRtaW4=")
        .json(&json!({ "query": "{ me { id } }" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(basic["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    app.stop().await;
}

#[tokio::test]
async fn every_response_says_nosniff_and_graphiql_cannot_be_framed() {
    let db = TestDb::create(Backend::Sqlite).await.unwrap();
    let app = TestApp::spawn(&db).await;
    let get = |path: &'static str, html: bool| {
        let mut req = app.http.get(app.url(path));
        if html {
            req = req.header("Accept", "text/html");
        }
        async move { req.send().await.unwrap() }
    };
    for (path, html) in [
        ("/healthz", false),
        ("/readyz", false),
        ("/graphql", true),
        ("/graphql?query={__typename}", false),
        ("/graphiql/init.js", false),
        ("/.well-known/jwks.json", false),
        ("/nowhere", false),
    ] {
        let resp = get(path, html).await;
        assert_eq!(resp.headers()["x-content-type-options"], "nosniff", "{path}");
    }
    let page = get("/graphql", true).await;
    let csp = page.headers()["content-security-policy"].to_str().unwrap().to_owned();
    for directive in ["default-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'none'"] {
        assert!(csp.contains(directive), "{directive} in {csp}");
    }
    let init = get("/graphiql/init.js", false).await.text().await.unwrap();
    assert!(init.contains("shouldPersistHeaders: false"), "the bearer token is not kept in localStorage");
    app.stop().await;
}
