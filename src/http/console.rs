//! The admin console (`console/`, a Preact SPA): its built files are embedded in the binary,
//! so `/admin` works with no Node and no network on the machine that serves it. Every path
//! under `/admin` that is not an asset is the console's own route and gets its page.

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

const INDEX: &str = include_str!("../../console/dist/index.html");

const ASSETS: [(&str, &str, &[u8]); 2] = [
    ("app.js", "text/javascript; charset=utf-8", include_bytes!("../../console/dist/app.js")),
    ("app.css", "text/css; charset=utf-8", include_bytes!("../../console/dist/app.css")),
];

/// Stricter than GraphiQL's: no inline script or style at all, requests to this origin only,
/// images from this origin or `data:` (the TOTP QR code).
const POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                      connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// `GET /admin` and the console's routes under it.
pub(crate) async fn page() -> impl IntoResponse {
    (
        [
            (header::CONTENT_SECURITY_POLICY, POLICY),
            // A new build's page names new asset URLs; the page itself is never kept stale.
            (header::CACHE_CONTROL, "no-cache"),
            (header::REFERRER_POLICY, "no-referrer"),
        ],
        Html(INDEX),
    )
}

/// `GET /admin/{*path}`: an asset (its URL carries a digest, so it is cached for a year),
/// or the page for a console route.
pub(crate) async fn route(Path(path): Path<String>) -> Response {
    let Some(file) = path.strip_prefix("assets/") else {
        return page().await.into_response();
    };
    match ASSETS.iter().find(|(name, _, _)| *name == file) {
        Some((_, content_type, body)) => (
            [(header::CONTENT_TYPE, *content_type), (header::CACHE_CONTROL, "public, max-age=31536000, immutable")],
            *body,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
