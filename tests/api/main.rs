//! gerbang's integration tests: one binary, the real app over HTTP, every backend.
//! SQLite always; PostgreSQL with GERBANG_TEST_POSTGRES_URL; MariaDB/MySQL with
//! GERBANG_TEST_MYSQL_URL. Under CI=true a missing backend fails instead of skipping.
//! `TEST_LOG=1 cargo test` shows the app's logs.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation is a failed test

#[macro_use]
mod helpers;

mod api_keys;
mod app_permissions;
mod audit;
mod auth;
mod authz;
mod console;
mod email;
mod errors;
mod faults;
mod imports;
mod introspection;
mod limits;
mod live;
mod lockout;
mod metrics;
mod mfa;
mod migrations;
mod operator;
mod ops;
mod pagination;
mod passkeys;
mod presence;
mod races;
mod responses;
mod roles;
mod schema;
mod sessions;
mod users;
