//! The TOTP and passkey mutations and `resetUserMfa` (shared/API.md, Multi-factor
//! sign-in); `completeLogin` and the passkey sign-in are with the other sign-in mutations
//! (`account`).

use std::collections::HashMap;

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use async_graphql::{Context, ID, Json, Object, SimpleObject};
use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::domain::MfaMethod;
use super::{passkey, service};
use crate::auth::permission::Permission;
use crate::db::entities::passkey as row;
use crate::error::Result;
use crate::graphql::context::ContextExt;
use crate::graphql::guards::{HasPermission, SignedInPerson};
use crate::graphql::loaders::{LoadError, PerRequest, data_loader, load_error};
use crate::graphql::scalars::{parse_id, to_id};

/// The second factors and passkeys of the users a request shows, each read for all of them
/// at once (`User.mfaMethods`, `User.passkeys`).
pub(crate) struct MfaLoaders {
    methods: DataLoader<MethodsByUser, HashMapCache>,
    passkeys: DataLoader<PasskeysByUser, HashMapCache>,
}

impl PerRequest for MfaLoaders {
    fn new(db: &DatabaseConnection) -> Self {
        Self { methods: data_loader(MethodsByUser(db.clone())), passkeys: data_loader(PasskeysByUser(db.clone())) }
    }
}

struct MethodsByUser(DatabaseConnection);

impl Loader<Uuid> for MethodsByUser {
    type Value = Vec<MfaMethod>;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> std::result::Result<HashMap<Uuid, Self::Value>, Self::Error> {
        Ok(service::methods_of_many(&self.0, keys).await?)
    }
}

struct PasskeysByUser(DatabaseConnection);

impl Loader<Uuid> for PasskeysByUser {
    type Value = Vec<row::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> std::result::Result<HashMap<Uuid, Self::Value>, Self::Error> {
        Ok(passkey::of_users(&self.0, keys).await?)
    }
}

/// A user's second factors (empty: a password signs it in).
pub(crate) async fn methods_of(ctx: &Context<'_>, user: Uuid) -> Result<Vec<MfaMethod>> {
    let loaders = ctx.loaders()?.of::<MfaLoaders>();
    Ok(loaders.methods.load_one(user).await.map_err(load_error)?.unwrap_or_default())
}

/// A user's passkeys, oldest first.
pub(crate) async fn passkeys_of(ctx: &Context<'_>, user: Uuid) -> Result<Vec<Passkey>> {
    let loaders = ctx.loaders()?.of::<MfaLoaders>();
    Ok(loaders
        .passkeys
        .load_one(user)
        .await
        .map_err(load_error)?
        .unwrap_or_default()
        .into_iter()
        .map(Passkey)
        .collect())
}

/// A registered passkey (WebAuthn credential).
pub(crate) struct Passkey(pub row::Model);

#[Object]
impl Passkey {
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    /// What its owner called it ("YubiKey", "Laptop").
    async fn name(&self) -> &str {
        &self.0.name
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// Its last sign-in; null if never.
    async fn last_used_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_used_at
    }
}

/// A WebAuthn ceremony begun: pass `options` to `navigator.credentials.create()` or
/// `.get()` (binary members are base64url strings), then send the result with `challengeId`
/// within five minutes. A challenge answers once.
#[derive(SimpleObject)]
pub(crate) struct PasskeyChallenge {
    pub challenge_id: String,
    pub options: Json<serde_json::Value>,
}

impl From<passkey::Begun> for PasskeyChallenge {
    fn from(b: passkey::Begun) -> Self {
        Self { challenge_id: b.id.to_string(), options: Json(b.options) }
    }
}

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
    /// Needs `currentPassword` unless this session signed in within GERBANG_SUDO_WINDOW
    /// (FORBIDDEN, reason RECENT_SIGN_IN_REQUIRED).
    #[graphql(guard = "SignedInPerson")]
    async fn begin_totp_enrollment(
        &self,
        ctx: &Context<'_>,
        current_password: Option<String>,
    ) -> Result<TotpEnrollment> {
        let (secret, otpauth_uri, qr_svg) =
            service::begin_enrollment(ctx.state()?, ctx.actor()?, current_password.as_deref()).await?;
        Ok(TotpEnrollment { secret, otpauth_uri, qr_svg })
    }

    /// Turns TOTP on with a current code from the app; returns 10 recovery codes, shown once.
    #[graphql(guard = "SignedInPerson")]
    async fn confirm_totp_enrollment(&self, ctx: &Context<'_>, code: String) -> Result<Vec<String>> {
        service::confirm_enrollment(ctx.state()?, ctx.actor()?, &code).await
    }

    /// Ten new recovery codes; the old ones stop working.
    #[graphql(guard = "SignedInPerson")]
    async fn regenerate_recovery_codes(&self, ctx: &Context<'_>, current_password: String) -> Result<Vec<String>> {
        service::regenerate_recovery_codes(ctx.state()?, ctx.actor()?, &current_password).await
    }

    /// Turns TOTP off (recovery codes go with it); false when it was not on.
    #[graphql(guard = "SignedInPerson")]
    async fn disable_totp(&self, ctx: &Context<'_>, current_password: String) -> Result<bool> {
        service::disable(ctx.state()?, ctx.actor()?, &current_password).await
    }

    /// Begins registering a passkey for the caller (options for
    /// `navigator.credentials.create()`). CONFLICT when the account has 20. Needs
    /// `currentPassword` unless this session signed in within GERBANG_SUDO_WINDOW (FORBIDDEN,
    /// reason RECENT_SIGN_IN_REQUIRED).
    #[graphql(guard = "SignedInPerson")]
    async fn begin_passkey_registration(
        &self,
        ctx: &Context<'_>,
        current_password: Option<String>,
    ) -> Result<PasskeyChallenge> {
        Ok(passkey::begin_registration(ctx.state()?, ctx.actor()?, current_password.as_deref()).await?.into())
    }

    /// Keeps the passkey `navigator.credentials.create()` made, under `name`.
    #[graphql(guard = "SignedInPerson")]
    async fn finish_passkey_registration(
        &self,
        ctx: &Context<'_>,
        challenge_id: String,
        name: String,
        credential: Json<serde_json::Value>,
    ) -> Result<Passkey> {
        let key = passkey::finish_registration(ctx.state()?, ctx.actor()?, &challenge_id, &name, credential.0).await?;
        Ok(Passkey(key))
    }

    /// Removes one of the caller's passkeys; returns its id.
    #[graphql(guard = "SignedInPerson")]
    async fn remove_passkey(&self, ctx: &Context<'_>, id: ID) -> Result<ID> {
        let id = parse_id(&id, "id")?;
        Ok(to_id(passkey::remove(ctx.state()?, ctx.actor()?, id).await?))
    }

    /// Removes a user's second factors and passkeys (USER_WRITE, for a user within reach).
    #[graphql(guard = "HasPermission(Permission::UserWrite).and(SignedInPerson)")]
    async fn reset_user_mfa(&self, ctx: &Context<'_>, user_id: ID) -> Result<bool> {
        let id = parse_id(&user_id, "userId")?;
        service::reset_user(ctx.state()?, ctx.actor()?, id).await
    }
}
