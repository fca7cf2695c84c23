//! The audit log as the API shows it: `auditEvents` and the pruning of old events. What an
//! event says and how it is written is the recorder's, in `auth::audit`, below every
//! feature that records one.

pub(crate) mod graphql;
pub mod service;

pub(crate) use graphql::AuditQuery;
