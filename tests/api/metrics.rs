//! Operations endpoints (shared/API.md): `/metrics` in Prometheus text format, labels from
//! bounded sets, served apart with `GERBANG_METRICS_LISTEN`; request ids on every response.

use serde_json::json;

use crate::helpers::assert::{assert_code, data};
use crate::helpers::fixtures::DEV_EMAIL;
use crate::helpers::{METRICS_TOKEN, TestApp, TestDb};

/// The value of one series (`name{labels}` exactly as rendered), if present.
fn value(text: &str, series: &str) -> Option<f64> {
    text.lines().find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.trim().parse().ok())
}

async fn scrape(app: &TestApp) -> String {
    let resp = app.http.get(app.url("/metrics")).bearer_auth(METRICS_TOKEN).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let ct = resp.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(ct.starts_with("text/plain; version=0.0.4"), "{ct}");
    resp.text().await.unwrap()
}

#[tokio::test]
async fn metrics_count_requests_operations_sign_ins_and_lockouts() {
    let db = TestDb::create(crate::helpers::Backend::Sqlite).await.unwrap();
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    assert_code(&app.login(DEV_EMAIL, "not the password").await, "UNAUTHENTICATED");
    data(&app.gql_as(Some(&dev.access), "{ me { id } }", json!({})).await);
    app.http.get(app.url("/healthz")).send().await.unwrap();
    app.http.get(app.url("/nothing-here")).send().await.unwrap();
    // Every console path is one series, whatever its route or id.
    app.http.get(app.url("/admin/users/1")).send().await.unwrap();
    app.http.get(app.url("/admin/roles")).send().await.unwrap();

    let text = scrape(&app).await;
    assert_eq!(value(&text, "gerbang_logins_total{outcome=\"succeeded\"}"), Some(1.0), "{text}");
    assert_eq!(value(&text, "gerbang_logins_total{outcome=\"failed\"}"), Some(1.0));
    assert_eq!(value(&text, "gerbang_graphql_operations_total{operation=\"login\",outcome=\"ok\"}"), Some(1.0));
    assert_eq!(
        value(&text, "gerbang_graphql_operations_total{operation=\"login\",outcome=\"UNAUTHENTICATED\"}"),
        Some(1.0)
    );
    assert_eq!(value(&text, "gerbang_graphql_operations_total{operation=\"me\",outcome=\"ok\"}"), Some(1.0));
    assert_eq!(value(&text, "gerbang_http_requests_total{route=\"/graphql\",status=\"200\"}"), Some(3.0));
    assert_eq!(value(&text, "gerbang_http_requests_total{route=\"/healthz\",status=\"200\"}"), Some(1.0));
    assert_eq!(value(&text, "gerbang_http_requests_total{route=\"unmatched\",status=\"404\"}"), Some(1.0), "{text}");
    assert_eq!(value(&text, "gerbang_http_requests_total{route=\"/admin\",status=\"200\"}"), Some(2.0));
    assert_eq!(value(&text, "gerbang_http_request_duration_seconds_count{route=\"/graphql\"}"), Some(3.0));
    assert!(value(&text, "gerbang_http_request_duration_seconds_bucket{route=\"/graphql\",le=\"10\"}").is_some());
    assert_eq!(value(&text, "gerbang_graphql_operation_duration_seconds_count{operation=\"login\"}"), Some(2.0));
    assert_eq!(value(&text, "gerbang_password_hash_queue"), Some(0.0));
    assert_eq!(
        value(&text, "gerbang_password_hash_wait_seconds_count"),
        Some(3.0),
        "the first account's hash, two verifications"
    );
    assert_eq!(value(&text, "gerbang_live_sessions"), Some(1.0));
    assert_eq!(value(&text, "gerbang_live_sessions_cached"), Some(1.0), "the `me` above");
    assert_eq!(value(&text, "gerbang_changes_link_up"), Some(1.0));
    let (in_use, idle) = (
        value(&text, "gerbang_db_connections{state=\"in_use\"}").unwrap(),
        value(&text, "gerbang_db_connections{state=\"idle\"}").unwrap(),
    );
    assert!(in_use + idle >= 1.0);
    assert!(text.contains("# HELP gerbang_logins_total"), "series are described");
    assert!(text.contains("# TYPE gerbang_http_request_duration_seconds histogram"));

    // Four more failures lock the account; the next attempt is throttled.
    for _ in 0..4 {
        app.login(DEV_EMAIL, "not the password").await;
    }
    assert_code(&app.login(DEV_EMAIL, "not the password").await, "TOO_MANY_REQUESTS");
    let text = scrape(&app).await;
    assert_eq!(value(&text, "gerbang_lockouts_total"), Some(1.0));
    assert_eq!(value(&text, "gerbang_logins_total{outcome=\"failed\"}"), Some(5.0));
    assert_eq!(value(&text, "gerbang_logins_total{outcome=\"throttled\"}"), Some(1.0));
    assert_eq!(value(&text, "gerbang_http_requests_total{route=\"/metrics\",status=\"200\"}"), Some(1.0));
    app.stop().await;
    db.cleanup().await;
}

#[tokio::test]
async fn operation_labels_come_from_a_bounded_set_whatever_clients_send() {
    let db = TestDb::create(crate::helpers::Backend::Sqlite).await.unwrap();
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    let token = Some(dev.access.as_str());
    data(&app.gql_as(token, "{ a: me { id } b: roles { id } }", json!({})).await);
    data(&app.gql_as(token, "{ __schema { queryType { name } } }", json!({})).await);
    data(&app.gql_as(token, "{ __typename }", json!({})).await);
    data(&app.gql_as(token, "query Q { ...F } fragment F on Query { roles { id } }", json!({})).await);
    for i in 0..20 {
        app.gql_as(token, &format!("{{ madeUpField{i} }}"), json!({})).await;
    }
    app.gql_as(token, "not even graphql", json!({})).await;
    let text = scrape(&app).await;
    let ops = |op: &str, outcome: &str| {
        value(&text, &format!("gerbang_graphql_operations_total{{operation=\"{op}\",outcome=\"{outcome}\"}}"))
    };
    assert_eq!(ops("multiple", "ok"), Some(1.0), "{text}");
    assert_eq!(ops("introspection", "ok"), Some(2.0));
    assert_eq!(ops("roles", "ok"), Some(1.0), "through a fragment");
    assert_eq!(ops("other", "BAD_USER_INPUT"), Some(21.0));
    assert!(!text.contains("madeUpField"), "no label value a client made up");
    app.stop().await;
    db.cleanup().await;
}

#[tokio::test]
async fn metrics_on_the_main_address_need_the_token_and_are_absent_without_one() {
    let db = TestDb::create(crate::helpers::Backend::Sqlite).await.unwrap();
    let open = TestApp::spawn_with(&db, |c| c.metrics_token = None).await;
    let anonymous = open.http.get(open.url("/metrics")).send().await.unwrap();
    assert_eq!(anonymous.status(), 404, "no token configured: no /metrics on the public address");
    open.stop().await;

    let app = TestApp::spawn(&db).await;
    let status = |token: Option<&'static str>| {
        let mut req = app.http.get(app.url("/metrics"));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        async move { req.send().await.unwrap() }
    };
    let anonymous = status(None).await;
    assert_eq!(anonymous.status(), 401, "anonymous");
    assert_eq!(anonymous.headers()["www-authenticate"], "Bearer");
    assert!(!anonymous.text().await.unwrap().contains("gerbang_"), "no series without the token");
    assert_eq!(status(Some("scrape-me-with-this-tokeN")).await.status(), 401, "a wrong token");
    assert_eq!(status(Some("scrape-me")).await.status(), 401, "a prefix of the token");
    let scraped = status(Some(METRICS_TOKEN)).await;
    assert_eq!(scraped.status(), 200);
    assert!(scraped.text().await.unwrap().contains("gerbang_http_requests_total"));
    app.stop().await;
    db.cleanup().await;
}

#[tokio::test]
async fn metrics_listen_serves_them_on_their_own_address_without_a_token() {
    let db = TestDb::create(crate::helpers::Backend::Sqlite).await.unwrap();
    let app = TestApp::spawn_with(&db, |c| {
        c.metrics_token = None;
        c.metrics_listen = Some("127.0.0.1:0".parse().unwrap());
    })
    .await;
    let apart = app.metrics_addr.expect("bound");
    assert_eq!(app.http.get(app.url("/metrics")).send().await.unwrap().status(), 404, "not on the public address");
    app.developer().await;
    let text = app.http.get(format!("http://{apart}/metrics")).send().await.unwrap().text().await.unwrap();
    assert_eq!(value(&text, "gerbang_logins_total{outcome=\"succeeded\"}"), Some(1.0));
    app.stop().await;
    db.cleanup().await;
}

#[tokio::test]
async fn every_response_carries_a_request_id_a_clients_own_when_it_looks_like_one() {
    let db = TestDb::create(crate::helpers::Backend::Sqlite).await.unwrap();
    let app = TestApp::spawn(&db).await;
    let id_of = async |sent: Option<&str>| {
        let mut req = app.http.get(app.url("/healthz"));
        if let Some(s) = sent {
            req = req.header("x-request-id", s);
        }
        let resp = req.send().await.unwrap();
        resp.headers()["x-request-id"].to_str().unwrap().to_owned()
    };
    let made = id_of(None).await;
    assert!(uuid::Uuid::parse_str(&made).is_ok_and(|u| u.get_version_num() == 7), "{made}");
    assert_ne!(id_of(None).await, made, "one per request");
    assert_eq!(id_of(Some("edge-7f3a.42:1")).await, "edge-7f3a.42:1", "the client's own, kept");
    for odd in ["has space", "quote\"d", &"x".repeat(129)] {
        let got = id_of(Some(odd)).await;
        assert!(uuid::Uuid::parse_str(&got).is_ok(), "{odd:?} replaced by one of ours, got {got}");
    }
    app.stop().await;
    db.cleanup().await;
}
