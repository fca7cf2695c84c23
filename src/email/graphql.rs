//! The email mutations (shared/API.md, Email).

use async_graphql::{Context, Object};

use super::service;
use crate::auth::throttle::IpBucket;
use crate::error::{AppError, Result};
use crate::graphql::context::ContextExt;
use crate::graphql::guards::{PerIp, SignedInPerson};
use crate::users::domain::Email;
use crate::users::graphql::User;

/// Email mutations.
#[derive(Default)]
pub(crate) struct EmailMutation;

#[Object]
impl EmailMutation {
    /// Mails the caller a link that verifies its address (true also when it is verified
    /// already, and then nothing is mailed). At most 3 mails an hour.
    #[graphql(guard = "SignedInPerson")]
    async fn send_email_verification(&self, ctx: &Context<'_>) -> Result<bool> {
        service::send_verification(ctx.state()?, ctx.actor()?, ctx.request()?.locale).await
    }

    /// Verifies the address the token was mailed to; the token works once, for 24 hours.
    /// Attempts from one address count against its sign-in rate (`GERBANG_AUTH_RATE_PER_IP`).
    #[graphql(guard = "PerIp(IpBucket::SignIn)")]
    async fn verify_email(&self, ctx: &Context<'_>, token: String) -> Result<User> {
        let updated = service::verify(ctx.state()?, &token, &ctx.request()?.client).await?;
        Ok(User::new(updated))
    }

    /// Mails a reset link to the active account with this address, if there is one. The
    /// answer is always true, whether or not there is such an account.
    #[graphql(guard = "PerIp(IpBucket::Mail)")]
    async fn request_password_reset(&self, ctx: &Context<'_>, email: String) -> Result<bool> {
        let email = Email::parse(&email).map_err(|m| AppError::bad_field("email", m))?;
        let (state, request) = (ctx.state()?, ctx.request()?);
        // After the answer: its timing must not tell whether the account exists.
        let (state, client, locale) = (state.clone(), request.client.clone(), request.locale);
        tokio::spawn(async move {
            if let Err(e) = service::request_reset(&state, &email, &client, locale).await {
                tracing::error!(error = %crate::error::describe(&e), "queueing a password reset mail");
            }
        });
        Ok(true)
    }

    /// Sets a new password with a reset link's token (works once, for 1 hour): every session
    /// ends and a sign-in lock is lifted.
    #[graphql(guard = "PerIp(IpBucket::SignIn)")]
    async fn reset_password(&self, ctx: &Context<'_>, token: String, new_password: String) -> Result<bool> {
        service::reset_password(ctx.state()?, &token, &new_password, &ctx.request()?.client).await
    }

    /// Mails a confirmation link to `newEmail` and a notice to the current address; the
    /// address changes when the link is followed.
    #[graphql(guard = "SignedInPerson")]
    async fn request_email_change(
        &self,
        ctx: &Context<'_>,
        new_email: String,
        current_password: String,
    ) -> Result<bool> {
        let locale = ctx.request()?.locale;
        service::request_email_change(ctx.state()?, ctx.actor()?, &new_email, &current_password, locale).await
    }

    /// Makes the new address the account's (verified); the token works once, for 24 hours.
    /// CONFLICT when another account took the address meanwhile. Attempts from one address
    /// count against its sign-in rate (`GERBANG_AUTH_RATE_PER_IP`).
    #[graphql(guard = "PerIp(IpBucket::SignIn)")]
    async fn confirm_email_change(&self, ctx: &Context<'_>, token: String) -> Result<User> {
        let updated = service::confirm_email_change(ctx.state()?, &token, &ctx.request()?.client).await?;
        Ok(User::new(updated))
    }
}
