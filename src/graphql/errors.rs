//! `present`: the one place that turns errors into the wire format of shared/API.md.

use async_graphql::{Response, ServerError};

use crate::error::{API_CODES, AppError, retry_after_secs};
use crate::i18n::{Locale, Message};

/// Gives every error of the response a code from `API_CODES` and a message in the
/// request's language, adds `fields` / `retryAfter`, and scrubs anything unexpected.
pub(crate) fn present(response: &mut Response, locale: Locale) {
    for err in &mut response.errors {
        present_one(err, locale);
    }
}

fn present_one(err: &mut ServerError, locale: Locale) {
    if let Some(app) = err.source::<AppError>() {
        if let AppError::Internal(cause) = app {
            // The cause chain on one line; never `{:?}`, which adds the backtrace anyhow
            // captured under RUST_BACKTRACE=1 (megabytes a second under load).
            tracing::error!(error = %format!("{cause:#}"), path = ?err.path, "resolver failed");
        }
        let code = app.code();
        let message = app.message().text(locale);
        let fields = app.fields(locale);
        let retry_after = match app {
            AppError::TooManyRequests { retry_after } => Some(retry_after_secs(*retry_after)),
            _ => None,
        };
        let reason = match app {
            AppError::Refused(why) => Some(why.reason()),
            _ => None,
        };
        let mfa = match app {
            AppError::MfaRequired { token, methods } => Some((token.clone(), methods.clone())),
            _ => None,
        };
        err.message = message;
        let ext = err.extensions.get_or_insert_with(Default::default);
        ext.set("code", code);
        if let Some(fields) = fields {
            let value = serde_json::to_value(fields).unwrap_or_default();
            ext.set("fields", async_graphql::Value::from_json(value).unwrap_or_default());
        }
        if let Some(secs) = retry_after {
            ext.set("retryAfter", secs);
        }
        if let Some(reason) = reason {
            ext.set("reason", reason);
        }
        if let Some((token, methods)) = mfa {
            ext.set("mfaRequired", true);
            ext.set("mfaToken", token);
            let names = methods.iter().map(|m| async_graphql::Value::Enum(async_graphql::Name::new(m))).collect();
            ext.set("methods", async_graphql::Value::List(names));
        }
        return;
    }
    let has_api_code = err
        .extensions
        .as_ref()
        .and_then(|e| e.get("code"))
        .is_some_and(|c| matches!(c, async_graphql::Value::String(s) if API_CODES.contains(&s.as_str())));
    if has_api_code {
        return;
    }
    if err.path.is_empty() {
        // Raised before execution: syntax, validation, variables, depth or complexity.
        // async-graphql's text says what is wrong with the request and leaks nothing.
        err.extensions.get_or_insert_with(Default::default).set("code", "BAD_USER_INPUT");
    } else {
        tracing::error!(message = %err.message, path = ?err.path, "resolver failed without an AppError");
        err.message = Message::Internal.text(locale);
        err.extensions = None;
        err.extensions.get_or_insert_with(Default::default).set("code", "INTERNAL_SERVER_ERROR");
    }
}
