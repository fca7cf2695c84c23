//! gerbang: a GraphQL identity service. Start at `app::App`, then `http::router`.

/// A person's own account: register, login, refresh, logout, password change.
pub mod account;
/// API keys for scripts and services.
pub mod api_keys;
/// The running service: build (connect, migrate, bootstrap, bind) and serve.
pub mod app;
/// The audit log: events written with the changes they describe, and `auditEvents`.
pub mod audit;
/// Security primitives: permissions, passwords, keys, tokens, sessions, throttling, callers.
pub mod auth;
/// Bench-only helpers behind hidden subcommands (seeding, hash timing).
pub mod bench;
/// The command line.
pub mod cli;
/// Time as a parameter.
pub mod clock;
/// The typed configuration (flags and `GERBANG_*` variables).
pub mod config;
/// Database connection, migrations, readiness, entities.
pub mod db;
/// Email flows and the outbox that sends their mails.
pub mod email;
/// `AppError`, the one error vocabulary.
pub mod error;
/// The toolkit shared by GraphQL features.
pub mod graphql;
/// HTTP routes and layers.
pub mod http;
/// English and Indonesian messages.
pub mod i18n;
/// Keyset pages, whatever the list.
pub mod keyset;
/// The SMTP transport and the outbox worker's doorbell.
pub mod mailer;
/// Prometheus series.
pub mod metrics;
/// Multi-factor sign-in: TOTP, recovery codes.
pub mod mfa;
/// `Patch`, a change to a nullable field.
pub mod patch;
/// Roles.
pub mod roles;
/// The merged GraphQL schema.
pub mod schema;
/// Sessions a user can see and end.
pub mod sessions;
/// Shared state of a running instance.
pub mod state;
/// Logging.
pub mod telemetry;
/// Users.
pub mod users;
