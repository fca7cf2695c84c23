//! Faults lose nothing: a full disk, a database that goes away, a kill -9. An answered
//! write is durable; a refused one is coded; infrastructure failures are
//! INTERNAL_SERVER_ERROR, never UNAUTHENTICATED (a client would sign its user out over a
//! blip); requests fail fast while the database is gone, `/readyz` says so, and service
//! resumes by itself. Probes and errors log what an operator needs, without noise.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use gerbang::db::entities::user;
use sea_orm::EntityTrait;
use serde_json::{Value, json};

use crate::helpers::assert::data;
use crate::helpers::fixtures::DEV_PASSWORD;
use crate::helpers::process::serve_url;
use crate::helpers::proxy::Proxy;
use crate::helpers::{Backend, TestApp, TestDb};

const CREATE: &str = "mutation($e: String!) { createUser(input: { email: $e }) { email } }";

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// A small tmpfs, so a test can fill the disk under a database; unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    /// `None` where mounting is not allowed (not root), unless CI requires it.
    fn mount(size: &str) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().unwrap();
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            assert!(!in_ci(), "CI=true requires mounting a tmpfs (run as root)");
            eprintln!("skipping: cannot mount a tmpfs here");
            return None;
        }
        Some(SmallDisk { dir })
    }

    fn path(&self) -> &std::path::Path {
        self.dir.path()
    }

    /// Writes zeros until the disk is full.
    fn fill(&self) {
        use std::io::Write;
        let mut f = std::fs::File::create(self.path().join("filler")).unwrap();
        let chunk = vec![0u8; 64 * 1024];
        while f.write_all(&chunk).is_ok() {}
        let _ = f.sync_all();
    }

    fn free(&self) {
        std::fs::remove_file(self.path().join("filler")).unwrap();
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg("-l").arg(self.dir.path()).status();
    }
}

async fn status(app: &TestApp, path: &str) -> u16 {
    app.http.get(app.url(path)).send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn a_full_disk_loses_no_answered_write_and_service_resumes_when_space_is_freed() {
    let Some(disk) = SmallDisk::mount("4m") else { return };
    let db = TestDb::sqlite_at(&disk.path().join("gerbang.db"));
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    let mut answered = BTreeSet::new();
    let mut create = async |email: String| {
        let resp = app.gql_as(Some(&dev.access), CREATE, json!({ "e": email })).await;
        match resp["data"]["createUser"]["email"].as_str() {
            Some(e) => {
                answered.insert(e.to_owned());
                Ok(())
            }
            None => Err(resp["errors"][0]["extensions"]["code"].as_str().unwrap_or_default().to_owned()),
        }
    };
    for i in 0..5 {
        create(format!("before{i}@x.io")).await.unwrap();
    }
    assert_eq!(status(&app, "/readyz").await, 200);

    disk.fill();
    let mut refused = 0;
    for i in 0..30 {
        if let Err(code) = create(format!("full{i}@x.io")).await {
            assert_eq!(code, "INTERNAL_SERVER_ERROR");
            refused += 1;
        }
    }
    assert!(refused > 0, "a full disk refuses writes");
    assert_eq!(status(&app, "/readyz").await, 503, "not ready while writes fail");

    disk.free();
    let started = Instant::now();
    while create(format!("after{}@x.io", started.elapsed().as_millis())).await.is_err() {
        assert!(started.elapsed() < Duration::from_secs(5), "writes resume within 5 s of space being freed");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for i in 0..20 {
        create(format!("later{i}@x.io")).await.unwrap();
    }
    assert_eq!(status(&app, "/readyz").await, 200);
    app.stop().await;

    // Everything answered is in the file, as a fresh reader sees it after a restart.
    let conn = db.connect().await;
    let stored: BTreeSet<String> =
        user::Entity::find().all(&conn).await.unwrap().into_iter().map(|u| u.email).collect();
    let lost: Vec<&String> = answered.difference(&stored).collect();
    assert!(lost.is_empty(), "{} answered writes are gone: {lost:?}", lost.len());
    conn.close().await.unwrap();
}

backend_tests!(an_outage_fails_requests_fast_with_a_code_and_service_resumes_by_itself);

async fn an_outage_fails_requests_fast_with_a_code_and_service_resumes_by_itself(db: TestDb) {
    if db.backend == Backend::Sqlite {
        return; // a file cannot go away like a server: the full disk above is SQLite's outage
    }
    let proxy = Proxy::start(db.server_addr().unwrap()).await;
    let via = db.url_via(proxy.addr);
    let app = TestApp::spawn_with(&db, |c| {
        c.database_url = via;
        c.database_timeout = Duration::from_secs(1);
    })
    .await;
    let dev = app.developer().await;
    proxy.cut();
    for (what, query) in
        [("the session check", "{ me { id } }"), ("a write", "mutation { createRole(input: { name: \"x\" }) { id } }")]
    {
        let started = Instant::now();
        let resp = app.gql_as(Some(&dev.access), query, json!({})).await;
        let took = started.elapsed();
        assert_eq!(resp["errors"][0]["extensions"]["code"], "INTERNAL_SERVER_ERROR", "{what}: {resp}");
        assert!(took < Duration::from_secs(4), "{what} failed fast: {took:?}");
    }
    assert_eq!(status(&app, "/readyz").await, 503);

    proxy.restore();
    let started = Instant::now();
    loop {
        let resp = app.gql_as(Some(&dev.access), "{ me { id } }", json!({})).await;
        if resp["errors"].is_null() {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(5), "back within 5 s: {resp}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(status(&app, "/readyz").await, 200);
    app.stop().await;
}

backend_tests!(a_kill_9_in_a_stream_of_writes_loses_no_answered_one);

async fn a_kill_9_in_a_stream_of_writes_loses_no_answered_one(db: TestDb) {
    if db.backend == Backend::MySql {
        return; // the same guarantee, and a third copy of the slowest test: SQLite and PostgreSQL
    }
    let dir = tempfile::tempdir().unwrap();
    let mut running = serve_url(
        db.url.as_str(),
        dir.path(),
        &[("GERBANG_ADMIN_EMAIL", "dev@gerbang.test"), ("GERBANG_ADMIN_PASSWORD", DEV_PASSWORD)],
    );
    let url = format!("http://{}/graphql", running.addr);
    let http = reqwest::Client::new();
    let post = |body: Value, token: Option<String>| {
        let mut req = http.post(&url).json(&body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        async move { req.send().await.ok()?.json::<Value>().await.ok() }
    };
    let login = json!({ "query": crate::helpers::fixtures::LOGIN, "variables": { "u": "dev@gerbang.test", "p": DEV_PASSWORD } });
    let token = post(login, None).await.unwrap()["data"]["login"]["accessToken"].as_str().unwrap().to_owned();

    let writer = {
        let post = &post;
        let token = token.clone();
        async move {
            let mut answered = Vec::new();
            for i in 0.. {
                match post(json!({ "query": CREATE, "variables": { "e": format!("k{i}@x.io") } }), Some(token.clone()))
                    .await
                {
                    Some(resp) if resp["data"]["createUser"].is_object() => answered.push(format!("k{i}@x.io")),
                    Some(_) => {}
                    None => break, // the process is gone
                }
            }
            answered
        }
    };
    let killer = async {
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let pid = running.child.id().to_string();
        assert!(std::process::Command::new("kill").args(["-9", &pid]).status().unwrap().success());
    };
    let (answered, ()) = tokio::join!(writer, killer);
    let _ = running.child.wait();
    assert!(answered.len() > 20, "the stream ran: {} writes answered", answered.len());

    let conn = db.connect().await;
    let stored: BTreeSet<String> =
        user::Entity::find().all(&conn).await.unwrap().into_iter().map(|u| u.email).collect();
    let lost: Vec<&String> = answered.iter().filter(|e| !stored.contains(*e)).collect();
    assert!(lost.is_empty(), "{} of {} answered writes are gone: {lost:?}", lost.len(), answered.len());
    conn.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn probes_log_state_changes_only_and_errors_carry_no_backtrace() {
    let Some(db) = TestDb::create(Backend::Postgres).await else { return };
    let proxy = Proxy::start(db.server_addr().unwrap()).await;
    let via = db.url_via(proxy.addr);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_owned();
    let running = tokio::task::spawn_blocking(move || {
        serve_url(
            via.as_str(),
            &path,
            &[
                ("GERBANG_ADMIN_EMAIL", "dev@gerbang.test"),
                ("GERBANG_ADMIN_PASSWORD", DEV_PASSWORD),
                ("GERBANG_DATABASE_TIMEOUT", "1s"),
                ("RUST_BACKTRACE", "1"),
            ],
        )
    })
    .await
    .unwrap();
    let http = reqwest::Client::new();
    let base = format!("http://{}", running.addr);
    let login = json!({ "query": crate::helpers::fixtures::LOGIN, "variables": { "u": "dev@gerbang.test", "p": DEV_PASSWORD } });
    let resp: Value = http.post(format!("{base}/graphql")).json(&login).send().await.unwrap().json().await.unwrap();
    let token = data(&resp)["login"]["accessToken"].as_str().unwrap().to_owned();

    proxy.cut();
    for _ in 0..5 {
        assert_eq!(http.get(format!("{base}/readyz")).send().await.unwrap().status(), 503);
    }
    let me = json!({ "query": "{ me { id } }" });
    for _ in 0..3 {
        let resp: Value = http
            .post(format!("{base}/graphql"))
            .bearer_auth(&token)
            .json(&me)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(resp["errors"][0]["extensions"]["code"], "INTERNAL_SERVER_ERROR", "{resp}");
    }
    proxy.restore();
    let started = Instant::now();
    while http.get(format!("{base}/readyz")).send().await.unwrap().status() != 200 {
        assert!(started.elapsed() < Duration::from_secs(5));
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let lines = running.lines();
    let parsed: Vec<Value> = lines.iter().filter_map(|l| serde_json::from_str(l).ok()).collect();
    let level = |v: &Value| v["level"].as_str().unwrap_or_default().to_owned();
    let message = |v: &Value| v["message"].as_str().unwrap_or_default().to_owned();
    let not_ready: Vec<&Value> = parsed.iter().filter(|v| message(v) == "not ready").collect();
    assert_eq!(not_ready.len(), 1, "one WARN when readiness changes, not one per probe: {not_ready:?}");
    assert_eq!(level(not_ready[0]), "WARN");
    assert_eq!(parsed.iter().filter(|v| message(v) == "ready again").count(), 1);
    let probe_lines: Vec<&Value> = parsed
        .iter()
        .filter(|v| message(v) != "not ready" && message(v) != "ready again")
        .filter(|v| v.to_string().contains("/readyz") || v.to_string().contains("/healthz"))
        .collect();
    assert!(probe_lines.is_empty(), "probes are not logged one by one: {probe_lines:?}");
    assert!(
        !parsed.iter().any(|v| level(v) == "ERROR" && v.to_string().contains("tower_http")),
        "no ERROR from the HTTP layer"
    );
    let errors: Vec<&String> = lines.iter().filter(|l| l.contains("\"ERROR\"")).collect();
    assert!(!errors.is_empty(), "the failed requests are logged");
    for line in &errors {
        assert!(line.len() < 2000, "one short line per error, no backtrace: {line}");
        assert!(!line.contains("stack backtrace") && !line.contains("std::rt::lang_start"), "{line}");
    }
    drop(running);
    db.cleanup().await;
}
