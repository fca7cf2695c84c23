//! Users: the account records and their rules.

pub mod domain;
pub mod service;
