//! The TOTP mutations and `resetUserMfa` (shared/API.md, Multi-factor sign-in);
//! `completeLogin` is with the other sign-in mutations (`account`).

use async_graphql::{Context, ID, Object, SimpleObject};

use super::service;
use crate::auth::permission::Permission;
use crate::error::Result;
use crate::graphql::context::ContextExt;
use crate::graphql::guards::{HasPermission, SignedIn};
use crate::graphql::scalars::parse_id;

/// What an authenticator app needs; shown once, while enrolment is pending.
#[derive(SimpleObject)]
pub(crate) struct TotpEnrollment {
    /// The shared secret (base32), for typing in by hand.
    pub secret: String,
    /// `otpauth://totp/…`, what the QR code holds.
    pub otpauth_uri: String,
    /// The QR code, as an SVG document.
    pub qr_svg: String,
}

/// Multi-factor mutations.
#[derive(Default)]
pub(crate) struct MfaMutation;

#[Object]
impl MfaMutation {
    /// Starts setting up an authenticator app; nothing changes until
    /// `confirmTotpEnrollment`. CONFLICT when one is on already.
    #[graphql(guard = "SignedIn")]
    async fn begin_totp_enrollment(&self, ctx: &Context<'_>) -> Result<TotpEnrollment> {
        let (secret, otpauth_uri, qr_svg) = service::begin_enrollment(ctx.state()?, ctx.actor()?).await?;
        Ok(TotpEnrollment { secret, otpauth_uri, qr_svg })
    }

    /// Turns TOTP on with a current code from the app; returns 10 recovery codes, shown once.
    #[graphql(guard = "SignedIn")]
    async fn confirm_totp_enrollment(&self, ctx: &Context<'_>, code: String) -> Result<Vec<String>> {
        service::confirm_enrollment(ctx.state()?, ctx.actor()?, &code).await
    }

    /// Ten new recovery codes; the old ones stop working.
    #[graphql(guard = "SignedIn")]
    async fn regenerate_recovery_codes(&self, ctx: &Context<'_>, current_password: String) -> Result<Vec<String>> {
        service::regenerate_recovery_codes(ctx.state()?, ctx.actor()?, &current_password).await
    }

    /// Turns TOTP off (recovery codes go with it); false when it was not on.
    #[graphql(guard = "SignedIn")]
    async fn disable_totp(&self, ctx: &Context<'_>, current_password: String) -> Result<bool> {
        service::disable(ctx.state()?, ctx.actor()?, &current_password).await
    }

    /// Removes a user's second factors (USER_WRITE, for a user within reach).
    #[graphql(guard = "HasPermission(Permission::UserWrite)")]
    async fn reset_user_mfa(&self, ctx: &Context<'_>, user_id: ID) -> Result<bool> {
        let id = parse_id(&user_id, "userId")?;
        service::reset_user(ctx.state()?, ctx.actor()?, id).await
    }
}
