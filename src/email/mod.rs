//! Email: verification, password reset and email change (shared/API.md, Email), and the
//! outbox that delivers their mails through SMTP (or, without an SMTP server, to the log).

pub(crate) mod graphql;
mod mail;
pub(crate) mod notice;
pub(crate) mod outbox;
pub(crate) mod service;
pub(crate) mod token;

pub(crate) use graphql::EmailMutation;
