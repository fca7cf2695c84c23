//! Reading GraphQL responses in tests.

use serde_json::Value;

/// The codes of shared/API.md.
pub const API_CODES: [&str; 7] = [
    "UNAUTHENTICATED",
    "FORBIDDEN",
    "NOT_FOUND",
    "CONFLICT",
    "BAD_USER_INPUT",
    "TOO_MANY_REQUESTS",
    "INTERNAL_SERVER_ERROR",
];

/// Panics if any error lacks a code from `API_CODES`.
pub fn every_error_has_an_api_code(resp: &Value) {
    for err in resp["errors"].as_array().into_iter().flatten() {
        let code = err["extensions"]["code"].as_str().unwrap_or_default();
        assert!(API_CODES.contains(&code), "error without an API code: {err}");
        let msg = err["message"].as_str().unwrap_or_default().to_lowercase();
        for leak in ["select ", "insert ", "sqlx", "sqlite", "postgres", "mysql", "panicked", "users.", "constraint"] {
            assert!(!msg.contains(leak), "error message leaks internals ({leak}): {err}");
        }
    }
}

/// The response's data, or a panic showing its errors.
pub fn data(resp: &Value) -> &Value {
    assert!(resp["errors"].is_null(), "unexpected errors: {resp}");
    &resp["data"]
}

/// The code of the first error, or a panic when there is none.
pub fn code(resp: &Value) -> &str {
    resp["errors"][0]["extensions"]["code"].as_str().unwrap_or_else(|| panic!("expected an error: {resp}"))
}

/// Asserts the first error's code.
#[track_caller]
pub fn assert_code(resp: &Value, expected: &str) {
    assert_eq!(code(resp), expected, "{resp}");
}

/// The fields named in a BAD_USER_INPUT or CONFLICT error.
pub fn bad_fields(resp: &Value) -> Vec<String> {
    let mut fields: Vec<String> =
        resp["errors"][0]["extensions"]["fields"].as_object().map(|m| m.keys().cloned().collect()).unwrap_or_default();
    fields.sort();
    fields
}

/// Asserts a FORBIDDEN for a rule other than a missing permission, with its reason.
#[track_caller]
pub fn assert_refused(resp: &Value, reason: &str) {
    assert_eq!(code(resp), "FORBIDDEN", "{resp}");
    assert_eq!(resp["errors"][0]["extensions"]["reason"], reason, "{resp}");
}
