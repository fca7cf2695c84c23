//! The admin console at `/admin`: its page and built assets come from the binary, under a
//! policy that allows no inline script or style and no other origin. Its screens are tested
//! in Chromium (`console/test/flows.ts`, run by `.ci/run`).

use crate::helpers::{Backend, TestApp, TestDb};

#[tokio::test]
async fn the_console_is_served_from_the_binary_under_a_strict_policy() {
    let db = TestDb::create(Backend::Sqlite).await.unwrap();
    let app = TestApp::spawn(&db).await;
    let page = app.http.get(app.url("/admin")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    assert_eq!(page.headers()["cache-control"], "no-cache");
    let csp = page.headers()["content-security-policy"].to_str().unwrap().to_owned();
    for directive in [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    ] {
        assert!(csp.contains(directive), "{directive} in {csp}");
    }
    assert!(!csp.contains("unsafe"), "{csp}");
    let html = page.text().await.unwrap();
    assert!(!html.contains("http://") && !html.contains("https://"), "nothing from elsewhere:\n{html}");
    assert!(!html.contains("<script>") && !html.contains("style="), "no inline script or style:\n{html}");

    for (asset, content_type) in [("app.js", "text/javascript"), ("app.css", "text/css")] {
        let at = html.find(&format!("/admin/assets/{asset}?v=")).unwrap_or_else(|| panic!("{asset} is linked"));
        let url = &html[at..html[at..].find('"').map(|end| at + end).unwrap()];
        let res = app.http.get(app.url(url)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{url}");
        assert!(res.headers()["content-type"].to_str().unwrap().starts_with(content_type), "{url}");
        assert!(res.headers()["cache-control"].to_str().unwrap().contains("immutable"), "{url}");
        assert!(res.bytes().await.unwrap().len() > 1000, "{url} has content");
    }
    assert_eq!(app.http.get(app.url("/admin/assets/nope.js")).send().await.unwrap().status(), 404);

    // The console's own routes are its page too: a reload on any screen works.
    for route in
        ["/admin/", "/admin/users", "/admin/users/0192c3d4-aaaa-7bbb-8ccc-123456789abc", "/admin/audit?action=LOGOUT"]
    {
        let res = app.http.get(app.url(route)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{route}");
        assert!(res.headers().contains_key("content-security-policy"), "{route}");
        assert!(res.text().await.unwrap().contains("<div id=\"app\">"), "{route}");
    }
    app.stop().await;
}
