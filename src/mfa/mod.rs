//! Multi-factor sign-in (shared/API.md): TOTP with recovery codes, the `mfaToken` between
//! a password and a code, passkeys, and an administrator's reset. The sign-in steps themselves are in
//! `account`.

pub(crate) mod domain;
pub(crate) mod graphql;
pub(crate) mod passkey;
mod sealed;
pub(crate) mod service;
mod totp;

pub(crate) use domain::MfaMethod;
pub(crate) use graphql::MfaMutation;
pub(crate) use sealed::reseal_stale;
