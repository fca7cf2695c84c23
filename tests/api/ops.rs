//! Running gerbang: first start, health and readiness, graceful shutdown, bad config.

use std::io::{Read, Write};
use std::process::Command;
use std::time::Duration;

use gerbang::db::entities::{role, user, user_role};
use gerbang::users::domain::Password;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use secrecy::SecretString;

use crate::helpers::process::{gerbang, serve};
use crate::helpers::proxy::Proxy;
use crate::helpers::{Backend, TestApp, TestDb};

backend_tests!(empty: the_first_start_creates_exactly_one_developer_account);
backend_tests!(readyz_turns_503_while_the_database_is_gone_and_200_when_it_is_back, sigterm_lets_a_slow_request_finish);

async fn the_first_start_creates_exactly_one_developer_account(db: TestDb) {
    let first = TestApp::spawn_with(&db, |c| {
        c.admin_email = Some("Root@Example.com".parse().unwrap());
        c.admin_password = Some(SecretString::from("a long admin passphrase"));
    })
    .await;
    first.stop().await;
    let second = TestApp::spawn_with(&db, |c| c.admin_email = Some("other@example.com".parse().unwrap())).await;

    let conn = &second.state.db.conn;
    let users = user::Entity::find().all(conn).await.unwrap();
    assert_eq!(users.len(), 1, "the second start creates none");
    let admin = &users[0];
    assert_eq!(admin.email, "Root@Example.com");
    let developer = role::Entity::find().filter(role::Column::Name.eq("developer")).one(conn).await.unwrap().unwrap();
    let memberships = user_role::Entity::find().filter(user_role::Column::UserId.eq(admin.id)).all(conn).await.unwrap();
    assert_eq!(memberships.iter().map(|m| m.role_id).collect::<Vec<_>>(), vec![developer.id]);
    let password = Password::parse("a long admin passphrase").unwrap();
    assert!(second.state.hasher.verify(password.secret(), admin.password_hash.as_deref()).await.unwrap());
    second.stop().await;
}

#[tokio::test]
async fn without_admin_settings_the_first_account_gets_a_generated_password() {
    let db = TestDb::create_empty(Backend::Sqlite).await.unwrap();
    let app = TestApp::spawn_with(&db, |c| {
        c.admin_email = None;
        c.admin_password = None;
    })
    .await;
    let users = user::Entity::find().all(&app.state.db.conn).await.unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].email, "admin@localhost");
    assert_eq!(users[0].username.as_deref(), Some("admin"));
    assert!(users[0].password_hash.as_deref().is_some_and(|h| h.starts_with("$argon2id$")));
    app.stop().await;
}

async fn readyz_turns_503_while_the_database_is_gone_and_200_when_it_is_back(db: TestDb) {
    let status = |app: &TestApp, path: &'static str| {
        let req = app.http.get(app.url(path));
        async move { req.send().await.unwrap().status().as_u16() }
    };
    if db.backend == Backend::Sqlite {
        let app = TestApp::spawn(&db).await;
        let path = db.url.sqlite_path().unwrap();
        let moved = path.with_extension("moved");
        assert_eq!(status(&app, "/readyz").await, 200);
        std::fs::rename(&path, &moved).unwrap();
        assert_eq!(status(&app, "/readyz").await, 503, "the database file is gone");
        assert_eq!(status(&app, "/healthz").await, 200, "the process is still up");
        std::fs::rename(&moved, &path).unwrap();
        assert_eq!(status(&app, "/readyz").await, 200, "the file is back");
        app.stop().await;
        return;
    }
    let proxy = Proxy::start(db.server_addr().unwrap()).await;
    let via = db.url_via(proxy.addr);
    let app = TestApp::spawn_with(&db, |c| c.database_url = via).await;
    assert_eq!(status(&app, "/readyz").await, 200);
    proxy.cut();
    assert_eq!(status(&app, "/readyz").await, 503, "the database server is unreachable");
    assert_eq!(status(&app, "/healthz").await, 200, "the process is still up");
    proxy.restore();
    let mut back = 0;
    for _ in 0..20 {
        back = status(&app, "/readyz").await;
        if back == 200 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert_eq!(back, 200, "ready again once the server is reachable");
    app.stop().await;
}

async fn sigterm_lets_a_slow_request_finish(db: TestDb) {
    let dir = tempfile::tempdir().unwrap();
    let mut running = serve(&db, dir.path(), &[]);
    let addr = running.addr.clone();
    let pid = running.child.id().to_string();

    let outcome = tokio::task::spawn_blocking(move || {
        // A client that uploads its request slowly: in flight when SIGTERM arrives.
        let body = r#"{"query":"{ __typename }"}"#;
        let mut conn = std::net::TcpStream::connect(&addr).unwrap();
        conn.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        write!(conn, "POST /graphql HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len()).unwrap();
        conn.write_all(&body.as_bytes()[..10]).unwrap();
        conn.flush().unwrap();
        std::thread::sleep(Duration::from_millis(300));

        let killed = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(killed.success());
        std::thread::sleep(Duration::from_millis(700));

        conn.write_all(&body.as_bytes()[10..]).unwrap();
        let mut response = String::new();
        conn.read_to_string(&mut response).unwrap();
        let refused_after = std::net::TcpStream::connect(&addr).is_err();
        (response, refused_after)
    })
    .await
    .unwrap();

    let (response, refused_after) = outcome;
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains(r#""__typename":"Query""#), "{response}");
    assert!(refused_after, "no new connections once shutting down");
    let status = running.child.wait().unwrap();
    assert!(status.success(), "a graceful stop exits 0: {status}");
}

fn one_line_error(output: &std::process::Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(1), "exit code 1; stderr: {stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
    assert!(!stderr.contains("panicked") && !stderr.contains("backtrace"), "{stderr}");
    stderr
}

#[test]
fn a_bad_database_url_stops_start_up_with_one_line_and_exit_code_1() {
    let out = gerbang(&["serve"], &[("GERBANG_DATABASE_URL", "redis://u:hunter2@127.0.0.1/0")]).output().unwrap();
    let err = one_line_error(&out);
    assert!(err.contains("GERBANG_DATABASE_URL"), "{err}");
    assert!(!err.contains("hunter2"), "the password is not echoed: {err}");
}

#[test]
fn an_unreadable_sqlite_path_stops_start_up_with_one_line_and_exit_code_1() {
    let out =
        gerbang(&["serve"], &[("GERBANG_DATABASE_URL", "sqlite:///proc/no-such-dir/gerbang.db")]).output().unwrap();
    let err = one_line_error(&out);
    assert!(err.contains("cannot open database"), "{err}");
}

#[test]
fn bad_values_name_their_variable() {
    for (var, value) in [
        ("GERBANG_LISTEN", "not-an-address"),
        ("GERBANG_ACCESS_TOKEN_TTL", "soon"),
        ("GERBANG_ALLOW_REGISTRATION", "maybe"),
        ("GERBANG_LOG_FORMAT", "xml"),
        ("GERBANG_ADMIN_EMAIL", "not an email"),
        ("GERBANG_CORS_ORIGINS", "app.example.com/path"),
        ("GERBANG_TRUSTED_PROXIES", "10.0.0.0/33"),
        ("GERBANG_MAX_BATCH", "0"),
        ("GERBANG_HEADER_READ_TIMEOUT", "0s"),
        ("GERBANG_APP_URL", "app.example.com"),
        ("GERBANG_REQUIRE_VERIFIED_EMAIL", "maybe"),
        ("GERBANG_METRICS_TOKEN", "too-short"),
    ] {
        let out = gerbang(&["serve"], &[(var, value)]).output().unwrap();
        let err = one_line_error(&out);
        assert!(err.contains(var), "{var}: {err}");
    }
}

#[test]
fn a_common_admin_password_is_refused_at_start_up() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("g.db").display());
    let out = gerbang(&["serve"], &[("GERBANG_DATABASE_URL", &url), ("GERBANG_ADMIN_PASSWORD", "password123")])
        .output()
        .unwrap();
    let err = one_line_error(&out);
    assert!(err.contains("GERBANG_ADMIN_PASSWORD"), "{err}");
}

#[test]
fn an_smtp_url_that_would_send_in_plaintext_or_cannot_work_stops_start_up() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("g.db").display());
    for (smtp, from) in [
        ("smtp://mailer:hunter2@mail.example.com:25", "gerbang <no-reply@example.com>"),
        ("smtps://mailer:hunter2@mail.example.com:465?tls=sometimes", "gerbang <no-reply@example.com>"),
        ("smtps://mailer:hunter2@mail.example.com:465", "not an address"),
    ] {
        let env = [("GERBANG_DATABASE_URL", url.as_str()), ("GERBANG_SMTP_URL", smtp), ("GERBANG_MAIL_FROM", from)];
        let err = one_line_error(&gerbang(&["serve"], &env).output().unwrap());
        let var = if from.contains('@') { "GERBANG_SMTP_URL" } else { "GERBANG_MAIL_FROM" };
        assert!(err.contains(var), "{smtp}: {err}");
        assert!(!err.contains("hunter2"), "the password is not echoed: {err}");
    }
}

#[test]
fn a_passkey_origin_outside_its_relying_party_stops_start_up() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("g.db").display());
    for (rp_id, origins, var) in [
        ("example.com", "https://app.example.net", "GERBANG_WEBAUTHN_ORIGINS"),
        ("10.0.0.1", "https://app.example.com", "GERBANG_WEBAUTHN_RP_ID"),
    ] {
        let env = [
            ("GERBANG_DATABASE_URL", url.as_str()),
            ("GERBANG_WEBAUTHN_RP_ID", rp_id),
            ("GERBANG_WEBAUTHN_ORIGINS", origins),
        ];
        let err = one_line_error(&gerbang(&["serve"], &env).output().unwrap());
        assert!(err.contains(var), "{rp_id} {origins}: {err}");
    }
}

#[test]
fn help_documents_every_variable() {
    let out = gerbang(&["--help"], &[]).output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for var in [
        "GERBANG_LISTEN",
        "GERBANG_DATABASE_URL",
        "GERBANG_ADMIN_EMAIL",
        "GERBANG_ADMIN_PASSWORD",
        "GERBANG_ALLOW_REGISTRATION",
        "GERBANG_ACCESS_TOKEN_TTL",
        "GERBANG_REFRESH_TOKEN_TTL",
        "GERBANG_CORS_ORIGINS",
        "GERBANG_LOG",
        "GERBANG_LOG_FORMAT",
        "GERBANG_MAX_BATCH",
        "GERBANG_MAX_EXPANDED_SIZE",
        "GERBANG_HEADER_READ_TIMEOUT",
        "GERBANG_MAX_CONNECTIONS",
        "GERBANG_TRUSTED_PROXIES",
        "GERBANG_SESSION_MAX_LIFETIME",
        "GERBANG_DATABASE_TIMEOUT",
        "GERBANG_AUDIT_RETENTION",
        "GERBANG_METRICS_LISTEN",
        "GERBANG_METRICS_TOKEN",
        "GERBANG_SMTP_URL",
        "GERBANG_SMTP_ALLOW_PLAINTEXT",
        "GERBANG_MAIL_FROM",
        "GERBANG_APP_URL",
        "GERBANG_REQUIRE_VERIFIED_EMAIL",
        "GERBANG_EMAIL_RATE_PER_IP",
        "GERBANG_WEBAUTHN_RP_ID",
        "GERBANG_WEBAUTHN_ORIGINS",
    ] {
        assert!(help.contains(var), "--help mentions {var}");
    }
}

#[test]
fn subcommand_help_shows_only_that_subcommands_options() {
    let help = |args: &[&str]| {
        let out = gerbang(args, &[]).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let serve = help(&["serve", "--help"]);
    assert!(
        serve.contains("GERBANG_LISTEN") && serve.contains("GERBANG_SMTP_URL"),
        "serve documents the config: {serve}"
    );
    let cases: [&[&str]; 6] = [
        &["migrate", "--help"],
        &["migrate", "down", "--help"],
        &["users", "--help"],
        &["users", "list", "--help"],
        &["keys", "--help"],
        &["print-schema", "--help"],
    ];
    for args in cases {
        let text = help(args);
        // A config option marked `global = true` would show up here again, env and all.
        assert!(!text.contains("--listen") && !text.contains("[env: GERBANG_"), "{args:?}: {text}");
        assert!(text.lines().count() < 25, "{args:?} is short: {text}");
    }
    assert!(help(&["migrate", "down", "--help"]).contains("--yes"));
    assert!(help(&["migrate", "--help"]).contains("GERBANG_DATABASE_URL"), "it says where the database comes from");
}

/// Starts `gerbang serve` with text logs and returns it with the lines it printed up to
/// and including the first one `until` accepts.
fn serve_text(env: &[(&str, &str)], until: impl Fn(&str) -> bool) -> (crate::helpers::process::Running, Vec<String>) {
    use std::io::BufRead as _;
    let mut vars = vec![("GERBANG_LISTEN", "127.0.0.1:0"), ("GERBANG_LOG_FORMAT", "text")];
    vars.extend_from_slice(env);
    let mut child = gerbang(&["serve"], &vars).stdout(std::process::Stdio::piped()).spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut lines = Vec::new();
    loop {
        let line = rx.recv_timeout(Duration::from_secs(60)).unwrap_or_else(|_| panic!("no such line in {lines:#?}"));
        let done = until(&line);
        lines.push(line);
        if done {
            break;
        }
    }
    let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    (crate::helpers::process::Running { child, addr: String::new(), log }, lines)
}

#[tokio::test]
async fn a_busy_port_stops_the_first_start_before_the_database_is_touched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.db");
    let url = format!("sqlite://{}", path.display());
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let taken = busy.local_addr().unwrap().to_string();
    let out = gerbang(&["serve"], &[("GERBANG_DATABASE_URL", &url), ("GERBANG_LISTEN", &taken)]).output().unwrap();
    let err = one_line_error(&out);
    assert!(err.contains("GERBANG_LISTEN"), "{err}");
    assert!(!path.exists(), "no database, so no first account whose password nobody saw");
    drop(busy);

    // The next start on a free port creates the account and shows it, in one banner.
    let owned = url.clone();
    let (running, lines) = tokio::task::spawn_blocking(move || {
        serve_text(&[("GERBANG_DATABASE_URL", owned.as_str())], |l| l.contains("password  "))
    })
    .await
    .unwrap();
    let banner = lines.join("\n");
    let password = lines.last().unwrap().split_whitespace().nth(1).unwrap().to_owned();
    assert_eq!(password.len(), 32, "{banner}");
    let head = lines.iter().position(|l| l.contains("is listening on")).expect("a banner");
    let addr = lines[head].rsplit(' ').next().unwrap().to_owned();
    let banner_lines = &lines[head..];
    assert_eq!(banner_lines.len(), 8, "one short banner: {banner}");
    // Opened at localhost, where passkeys work, not at the loopback address.
    let port = addr.rsplit(':').next().unwrap();
    assert!(banner_lines[1].contains(&format!("http://localhost:{port}/graphql")), "{banner}");
    assert!(banner_lines[2].contains(&format!("http://localhost:{port}/admin")), "{banner}");
    assert!(banner_lines[3].contains(&format!("Database  {url}")), "{banner}");
    assert!(banner_lines[5].ends_with("username  admin"), "{banner}");
    assert!(banner_lines[6].ends_with("email     admin@localhost"), "{banner}");
    assert!(!lines[..head].iter().any(|l| l.contains(&password)), "the password is shown once, in the banner");

    let login = reqwest::Client::new()
        .post(format!("http://{addr}/graphql"))
        .json(&serde_json::json!({ "query": crate::helpers::fixtures::LOGIN, "variables": { "u": "admin", "p": password } }))
        .send()
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap();
    assert!(login["data"]["login"]["accessToken"].is_string(), "the shown password signs in: {login}");
    drop(running);

    // Later starts show where they are, no password, and say the admin settings are unused.
    let owned = url.clone();
    let (running, lines) = tokio::task::spawn_blocking(move || {
        let env = [("GERBANG_DATABASE_URL", owned.as_str()), ("GERBANG_ADMIN_PASSWORD", "another long passphrase")];
        serve_text(&env, |l| l.contains("Database  "))
    })
    .await
    .unwrap();
    let text = lines.join("\n");
    assert!(text.contains("GERBANG_ADMIN_PASSWORD is ignored"), "{text}");
    assert!(!text.contains("password  "), "{text}");
    drop(running);
}

#[test]
fn the_json_banner_carries_the_urls_the_database_and_the_first_account() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("g.db").display());
    let running = crate::helpers::process::serve_url(&url, dir.path(), &[]);
    let json = |lines: &[String]| -> Vec<serde_json::Value> {
        lines.iter().filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok()).collect()
    };
    let mut lines = running.lines();
    for _ in 0..40 {
        if json(&lines).iter().any(|v| v.get("addr").is_some()) {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
        lines = running.lines();
    }
    let banner = json(&lines).into_iter().find(|v| v.get("addr").is_some()).unwrap();
    let addr = &running.addr;
    assert_eq!(banner["level"], "WARN", "a generated password is shown even with GERBANG_LOG=warn");
    let port = addr.to_string().rsplit(':').next().unwrap().to_owned();
    assert_eq!(banner["graphql"], format!("http://localhost:{port}/graphql"));
    assert_eq!(banner["admin"], format!("http://localhost:{port}/admin"));
    assert_eq!(banner["database"], url);
    assert_eq!(banner["username"], "admin");
    assert_eq!(banner["email"], "admin@localhost");
    assert_eq!(banner["password"].as_str().unwrap().len(), 32);
    let shown = lines.iter().filter(|l| l.contains(banner["password"].as_str().unwrap())).count();
    assert_eq!(shown, 1, "once: {lines:#?}");
}

#[tokio::test]
async fn the_bare_address_leads_to_the_console() {
    let db = TestDb::create(Backend::Sqlite).await.unwrap();
    let app = TestApp::spawn(&db).await;
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let resp = client.get(app.url("/")).send().await.unwrap();
    assert!(resp.status().is_redirection(), "{}", resp.status());
    assert_eq!(resp.headers()["location"], "/admin");
    app.stop().await;
}

/// The SPA of `GERBANG_APP_URL` calls `/graphql` from its own origin; its preflights pass
/// with no further setting (they answered 405 when only GERBANG_CORS_ORIGINS counted).
#[tokio::test]
async fn the_app_urls_origin_passes_cors_preflights_out_of_the_box() {
    let db = TestDb::create(Backend::Sqlite).await.unwrap();
    let preflight = async |app: &TestApp, origin: &str| {
        app.http
            .request(reqwest::Method::OPTIONS, app.url("/graphql"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "authorization, content-type")
            .send()
            .await
            .unwrap()
    };
    let app = TestApp::spawn(&db).await;
    let ok = preflight(&app, "http://localhost:5173").await;
    assert!(ok.status().is_success(), "{}", ok.status());
    assert_eq!(ok.headers()["access-control-allow-origin"], "http://localhost:5173");
    let methods = ok.headers()["access-control-allow-methods"].to_str().unwrap().to_lowercase();
    assert!(methods.contains("post"), "{methods}");
    app.stop().await;

    let app = TestApp::spawn_with(&db, |c| c.app_url = "https://app.example.com/portal".into()).await;
    let ok = preflight(&app, "https://app.example.com").await;
    assert_eq!(
        ok.headers()["access-control-allow-origin"],
        "https://app.example.com",
        "the URL's origin, not its path"
    );
    let other = preflight(&app, "http://localhost:5173").await;
    assert!(other.headers().get("access-control-allow-origin").is_none(), "the default is not allowed once changed");
    app.stop().await;
}

#[tokio::test]
async fn a_refused_cors_preflight_is_logged_once() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("g.db").display());
    let running = crate::helpers::process::serve_url(&url, dir.path(), &[]);
    let graphql = format!("http://{}/graphql", running.addr);
    let client = reqwest::Client::new();
    let refused = client
        .request(reqwest::Method::OPTIONS, &graphql)
        .header("origin", "https://evil.example.net")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();
    assert!(refused.headers().get("access-control-allow-origin").is_none());
    // Same-origin and allowed requests carry an Origin too: no line for those.
    client
        .post(&graphql)
        .header("origin", "https://evil.example.net")
        .json(&serde_json::json!({ "query": "{ __typename }" }))
        .send()
        .await
        .unwrap();
    client
        .request(reqwest::Method::OPTIONS, &graphql)
        .header("origin", "http://localhost:5173")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();
    let warned = || -> Vec<serde_json::Value> {
        running
            .lines()
            .iter()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter(|v| v["message"].as_str().is_some_and(|m| m.contains("CORS")))
            .collect()
    };
    for _ in 0..40 {
        if !warned().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let warned = warned();
    assert_eq!(warned.len(), 1, "{warned:#?}");
    assert_eq!(warned[0]["level"], "WARN");
    assert_eq!(warned[0]["origin"], "https://evil.example.net");
    assert!(warned[0]["message"].as_str().unwrap().contains("GERBANG_CORS_ORIGINS"));
}

#[test]
fn migrate_status_up_and_down_work_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("g.db").display());
    let run = |action: &str| {
        let mut args = vec!["migrate"];
        args.extend(action.split(' '));
        let out = gerbang(&args, &[("GERBANG_DATABASE_URL", &url), ("GERBANG_LOG", "warn")]).output().unwrap();
        assert!(out.status.success(), "migrate {action}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(run("status").lines().all(|l| l.starts_with("pending ")));
    run("up");
    let status = run("status");
    assert_eq!(status.lines().count(), <migration::Migrator as migration::MigratorTrait>::migrations().len());
    assert!(status.lines().all(|l| l.starts_with("applied ")), "{status}");
    run("down --yes");
    assert!(run("status").lines().all(|l| l.starts_with("pending ")));
}

#[test]
fn print_schema_prints_the_sdl() {
    let out = gerbang(&["print-schema"], &[]).output().unwrap();
    assert!(out.status.success());
    let sdl = String::from_utf8(out.stdout).unwrap();
    assert!(sdl.contains("type Role"), "{sdl}");
}

#[tokio::test]
async fn healthz_answers_while_the_process_is_up() {
    let db = TestDb::create(Backend::Sqlite).await.unwrap();
    let app = TestApp::spawn(&db).await;
    let res = app.http.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<serde_json::Value>().await.unwrap()["status"], "ok");
    app.stop().await;
}

/// Write transactions that read before they write take turns: none fails with
/// SQLITE_BUSY, and each sees the writes of the ones before it.
#[tokio::test]
async fn sqlite_write_transactions_take_turns() {
    use sea_orm::{ConnectionTrait, Statement};
    let db = TestDb::create(Backend::Sqlite).await.unwrap();
    let app = TestApp::spawn(&db).await;
    let conn = app.state.db.conn.clone();
    conn.execute_unprepared("CREATE TABLE turns (n INTEGER NOT NULL UNIQUE)").await.unwrap();
    let mut tasks = Vec::new();
    for _ in 0..40 {
        let db = app.state.db.clone();
        tasks.push(tokio::spawn(async move {
            let txn = db.begin_write().await?;
            let next = txn
                .query_one_raw(Statement::from_string(txn.get_database_backend(), "SELECT COUNT(*) AS c FROM turns"))
                .await?
                .map(|row| row.try_get::<i64>("", "c"))
                .transpose()?
                .unwrap_or(0);
            tokio::task::yield_now().await;
            txn.execute_unprepared(&format!("INSERT INTO turns (n) VALUES ({next})")).await?;
            txn.commit().await
        }));
    }
    for t in tasks {
        t.await.unwrap().expect("every transaction succeeds");
    }
    let count = conn
        .query_one_raw(Statement::from_string(conn.get_database_backend(), "SELECT COUNT(*) AS c FROM turns"))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "c")
        .unwrap();
    assert_eq!(count, 40, "0..40, each once: no two transactions read the same count");
    app.stop().await;
}

#[tokio::test]
async fn concurrent_sqlite_writers_wait_instead_of_failing() {
    let db = TestDb::create(Backend::Sqlite).await.unwrap();
    let app = TestApp::spawn(&db).await;
    let conn = app.state.db.conn.clone();
    let mut tasks = Vec::new();
    for i in 0..40 {
        let conn = conn.clone();
        tasks.push(tokio::spawn(async move {
            use sea_orm::ConnectionTrait;
            let table = if i % 2 == 0 { "a" } else { "b" };
            conn.execute_unprepared(&format!("CREATE TABLE IF NOT EXISTS w_{table} (n INTEGER)")).await?;
            conn.execute_unprepared(&format!("INSERT INTO w_{table} (n) VALUES ({i})")).await
        }));
    }
    for t in tasks {
        t.await.unwrap().expect("every write succeeds");
    }
    assert_eq!(user::Entity::find().count(&conn).await.unwrap(), 1);
    app.stop().await;
}

/// The database holds password hashes and signing keys: a new SQLite file, its WAL and
/// its shared-memory file are readable by the service's user only.
#[cfg(unix)]
#[tokio::test]
async fn a_new_sqlite_database_is_private_to_its_owner() {
    use std::os::unix::fs::PermissionsExt;
    let db = TestDb::create_empty(Backend::Sqlite).await.unwrap();
    let app = TestApp::spawn(&db).await;
    app.developer().await;
    let path = db.url.sqlite_path().unwrap();
    for file in [path.clone(), path.with_extension("db-wal"), path.with_extension("db-shm")] {
        let mode = std::fs::metadata(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display())).permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{} is {:o}", file.display(), mode & 0o777);
    }
    app.stop().await;
}
