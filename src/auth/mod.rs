//! Security primitives, with no GraphQL types: permissions and password hashing.

pub mod password;
pub mod permission;
