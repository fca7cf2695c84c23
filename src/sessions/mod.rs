//! Sessions a user can see and end: `User.sessions`, `revokeSession`,
//! `revokeOtherSessions`, `revokeUserSessions` (shared/API.md, "Sessions"). The sessions
//! themselves (opening, refresh chains, ending) are `auth::session_chain`.

pub(crate) mod graphql;
pub(crate) mod service;

pub(crate) use graphql::SessionMutation;
