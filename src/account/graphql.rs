//! `AuthPayload` and the account mutations.

use async_graphql::{ComplexObject, Context, InputObject, Json, Object, SimpleObject};
use secrecy::{ExposeSecret, SecretString};

use super::service::{self, Issued};
use crate::auth::throttle::IpBucket;
use crate::error::{AppError, Collect, Refusal, Result};
use crate::graphql::context::ContextExt;
use crate::graphql::guards::{NotAnApiKey, PerIp, SignedInPerson, not_an_api_key, per_ip};
use crate::graphql::loaders::load_error;
use crate::i18n::Locale;
use crate::metrics::LoginOutcome;
use crate::users::domain::{Email, Password, PersonName, Username};
use crate::users::graphql::User;
use crate::users::service::NewUser;

/// Tokens for a new session.
#[derive(SimpleObject)]
#[graphql(complex)]
pub(crate) struct AuthPayload {
    /// Send as `Authorization: Bearer <accessToken>`.
    pub access_token: String,
    /// Exchange with `refreshToken` for new tokens; each is accepted once.
    pub refresh_token: String,
    /// Always "Bearer".
    pub token_type: String,
    /// Seconds until `accessToken` expires.
    pub expires_in: i32,
    #[graphql(skip)]
    user_id: uuid::Uuid,
    #[graphql(skip)]
    user: Option<crate::db::entities::user::Model>,
}

#[ComplexObject]
impl AuthPayload {
    /// The signed-in user (read only when asked for, after a refresh).
    async fn user(&self, ctx: &Context<'_>) -> Result<User> {
        let model = match &self.user {
            Some(u) => u.clone(),
            None => ctx
                .loaders()?
                .user_by_id
                .load_one(self.user_id)
                .await
                .map_err(load_error)?
                .ok_or(AppError::Unauthenticated(crate::error::AuthFailure::Revoked))?,
        };
        Ok(User::owned(model))
    }
}

impl From<Issued> for AuthPayload {
    fn from(i: Issued) -> Self {
        Self {
            access_token: i.access_token,
            refresh_token: i.refresh_token.expose_secret().to_owned(),
            token_type: "Bearer".into(),
            expires_in: i32::try_from(i.expires_in).unwrap_or(i32::MAX),
            user_id: i.user_id,
            user: i.user,
        }
    }
}

/// A new account.
#[derive(InputObject)]
pub(crate) struct RegisterInput {
    pub email: String,
    pub password: String,
    pub username: Option<String>,
    pub display_name: Option<String>,
    /// "en" or "id": the language of the account's mails (else the request's).
    pub locale: Option<String>,
}

/// Credentials.
#[derive(InputObject)]
pub(crate) struct LoginInput {
    /// A username or an email address, in any case.
    pub username_or_email: String,
    pub password: String,
}

impl RegisterInput {
    fn parse(self) -> Result<NewUser> {
        let mut c = Collect::default();
        let email = c.field("email", Email::parse(&self.email));
        let password = c.field("password", Password::parse(&self.password));
        let username = self.username.and_then(|v| c.field("username", Username::parse(&v)));
        let display_name = self.display_name.and_then(|v| c.field("displayName", PersonName::parse(&v)));
        let locale = self.locale.and_then(|v| c.field("locale", Locale::parse(&v)));
        c.finish()?;
        let (Some(email), Some(password)) = (email, password) else {
            return Err(AppError::Internal(anyhow::anyhow!("a parsed field went missing")));
        };
        Ok(NewUser { password: Some(password), username, display_name, locale, ..NewUser::with_email(email) })
    }
}

/// How a sign-in step ended, for `gerbang_logins_total`.
fn outcome(result: &Result<service::Issued>) -> LoginOutcome {
    match result {
        Ok(_) => LoginOutcome::Succeeded,
        Err(AppError::MfaRequired { .. }) => LoginOutcome::SecondFactorRequired,
        Err(AppError::Unauthenticated(_) | AppError::Refused(Refusal::EmailNotVerified)) => LoginOutcome::Failed,
        Err(AppError::TooManyRequests { .. }) => LoginOutcome::Throttled,
        Err(_) => LoginOutcome::Error,
    }
}

/// Account mutations.
#[derive(Default)]
pub(crate) struct AccountMutation;

#[Object]
impl AccountMutation {
    /// Creates an account with the default role and signs it in (when registration is open).
    #[graphql(guard = "NotAnApiKey.and(PerIp(IpBucket::SignIn))")]
    async fn register(&self, ctx: &Context<'_>, input: RegisterInput) -> Result<AuthPayload> {
        let new = input.parse()?;
        let request = ctx.request()?;
        Ok(service::register(ctx.state()?, new, &request.client, request.locale).await?.into())
    }

    /// Signs in by username or email.
    async fn login(&self, ctx: &Context<'_>, input: LoginInput) -> Result<AuthPayload> {
        let state = ctx.state()?;
        let result = match not_an_api_key(ctx).and_then(|()| per_ip(ctx, IpBucket::SignIn)) {
            Ok(()) => service::login(state, &input.username_or_email, &input.password, &ctx.request()?.client).await,
            Err(e) => Err(e),
        };
        state.metrics.login(outcome(&result));
        Ok(result?.into())
    }

    /// Finishes a sign-in that needs a second factor: the `mfaToken` of `login`'s
    /// UNAUTHENTICATED answer, and a code from the authenticator app or a recovery code.
    async fn complete_login(&self, ctx: &Context<'_>, mfa_token: String, code: String) -> Result<AuthPayload> {
        let state = ctx.state()?;
        let result = match not_an_api_key(ctx).and_then(|()| per_ip(ctx, IpBucket::SignIn)) {
            Ok(()) => service::complete_login(state, &mfa_token, &code, &ctx.request()?.client).await,
            Err(e) => Err(e),
        };
        state.metrics.login(outcome(&result));
        Ok(result?.into())
    }

    /// Begins a passkey sign-in (options for `navigator.credentials.get()`). With a name,
    /// the options list that account's passkeys; without, the browser offers the ones it
    /// holds for this site.
    #[graphql(guard = "NotAnApiKey.and(PerIp(IpBucket::SignIn))")]
    async fn begin_passkey_login(
        &self,
        ctx: &Context<'_>,
        username_or_email: Option<String>,
    ) -> Result<crate::mfa::graphql::PasskeyChallenge> {
        Ok(crate::mfa::passkey::begin_login(ctx.state()?, username_or_email.as_deref()).await?.into())
    }

    /// Signs in with what `navigator.credentials.get()` returned; complete by itself.
    async fn finish_passkey_login(
        &self,
        ctx: &Context<'_>,
        challenge_id: String,
        credential: Json<serde_json::Value>,
    ) -> Result<AuthPayload> {
        let state = ctx.state()?;
        let result = match not_an_api_key(ctx).and_then(|()| per_ip(ctx, IpBucket::SignIn)) {
            Ok(()) => service::passkey_login(state, &challenge_id, credential.0, &ctx.request()?.client).await,
            Err(e) => Err(e),
        };
        state.metrics.login(outcome(&result));
        Ok(result?.into())
    }

    /// Exchanges a refresh token for new tokens; the old refresh token stops working.
    #[graphql(guard = "NotAnApiKey")]
    async fn refresh_token(&self, ctx: &Context<'_>, refresh_token: String) -> Result<AuthPayload> {
        Ok(service::refresh(ctx.state()?, &SecretString::from(refresh_token), &ctx.request()?.client).await?.into())
    }

    /// Ends the caller's current session (or, given only a refresh token, its session).
    async fn logout(&self, ctx: &Context<'_>, refresh_token: Option<String>) -> Result<bool> {
        let refresh = refresh_token.map(SecretString::from);
        let request = ctx.request()?;
        service::logout(ctx.state()?, &request.caller, refresh.as_ref(), &request.client).await
    }

    /// Changes the caller's password; other sessions end, this one stays.
    #[graphql(guard = "SignedInPerson")]
    async fn change_password(&self, ctx: &Context<'_>, current_password: String, new_password: String) -> Result<bool> {
        service::change_password(ctx.state()?, ctx.actor()?, &current_password, &new_password).await
    }
}
