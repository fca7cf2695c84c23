//! Every secret the suite sends or receives (passwords, tokens) is remembered, and after each
//! test the audit log it wrote is searched for all of them: whatever a test did, no event
//! may carry a password, a token or a hash.

use std::collections::BTreeSet;
use std::sync::Mutex;

use sea_orm::{ConnectionTrait, Statement};
use serde_json::Value;

use super::TestDb;
use super::fixtures::{DEV_PASSWORD, PASSWORD};

static SEEN: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());

/// Shapes no event may hold whatever the test: an argon2 hash, a JWT.
const SHAPES: [&str; 2] = ["$argon2", "eyJ"];

fn collect(value: &Value, secret_key: bool, out: &mut Vec<String>) {
    match value {
        // Enum values (`USER_READ`) travel under short names like `p` too; they are no secret.
        Value::String(s)
            if secret_key && s.chars().count() >= 8 && !s.chars().all(|c| c.is_ascii_uppercase() || c == '_') =>
        {
            out.push(s.clone())
        }
        Value::Object(map) => {
            for (k, v) in map {
                let k = k.to_lowercase();
                let secret = k.contains("password") || k.ends_with("token") || k == "secret" || k == "t" || k == "p";
                collect(v, secret, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect(v, secret_key, out)),
        _ => {}
    }
}

/// Remembers the passwords and tokens in a request's variables and its response.
pub fn remember(variables: &Value, response: &Value) {
    let mut found = Vec::new();
    collect(variables, false, &mut found);
    collect(response, false, &mut found);
    if !found.is_empty() {
        SEEN.lock().unwrap_or_else(std::sync::PoisonError::into_inner).extend(found);
    }
}

/// Panics if any audit event of `db` holds a remembered secret.
pub async fn assert_none_in_the_audit_log(db: &TestDb) {
    let conn = db.connect().await;
    let backend = conn.get_database_backend();
    let sql = "SELECT action, details, user_agent FROM audit_events";
    // A test that never migrated (or migrated down) has no log.
    let Ok(rows) = conn.query_all_raw(Statement::from_string(backend, sql)).await else { return };
    let mut secrets: Vec<String> =
        SEEN.lock().unwrap_or_else(std::sync::PoisonError::into_inner).iter().cloned().collect();
    secrets.extend([DEV_PASSWORD.to_owned(), PASSWORD.to_owned()]);
    for row in rows {
        let action: String = row.try_get("", "action").unwrap_or_default();
        let details: Value = row.try_get("", "details").unwrap_or(Value::Null);
        let agent: Option<String> = row.try_get("", "user_agent").unwrap_or_default();
        let text = format!("{details} {}", agent.unwrap_or_default());
        for s in secrets.iter().map(String::as_str).chain(SHAPES) {
            assert!(!text.contains(s), "a {action} event holds a secret ({s:?}): {text}");
        }
    }
    conn.close().await.ok();
}
