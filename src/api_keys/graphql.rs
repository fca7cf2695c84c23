//! `ApiKey`, `CreatedApiKey`, `User.apiKeys` and the key mutations.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use secrecy::ExposeSecret as _;

use super::service::{self, KeyName, NewKey};
use crate::auth::app_permission::AppPermissions;
use crate::auth::permission::{Permission, PermissionSet};
use crate::db::entities::api_key as row;
use crate::error::{AppError, Collect, Result};
use crate::graphql::context::ContextExt;
use crate::graphql::guards::{SignedIn, SignedInPerson};
use crate::graphql::loaders::load_error;
use crate::graphql::scalars::{parse_id, to_id};
use crate::users::graphql::User;

/// A credential for scripts and services: sent as `Authorization: Bearer <secret>`, it acts
/// as its owner with what both it and the owner hold.
pub(crate) struct ApiKey(pub row::Model);

#[Object]
impl ApiKey {
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The first characters of the secret (`gbk_` and 8 more), to recognise it by.
    async fn prefix(&self) -> &str {
        &self.0.prefix
    }

    /// What the key may use of its owner's permissions.
    async fn permissions(&self) -> Vec<Permission> {
        PermissionSet::from_stored(&self.0.permissions).to_vec()
    }

    /// What the key may use of its owner's application permissions.
    async fn app_permissions(&self) -> Vec<String> {
        AppPermissions::from_stored(&self.0.app_permissions).names()
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When it stops working; null: never.
    async fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.0.expires_at
    }

    /// Its last use, to the minute (it is not written on every request).
    async fn last_used_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_used_at
    }

    /// Whose key it is.
    async fn owner(&self, ctx: &Context<'_>) -> Result<User> {
        let owner = ctx.loaders()?.user_by_id.load_one(self.0.user_id).await.map_err(load_error)?;
        // A key outlives no owner (they are deleted together), so this is a race with a delete.
        Ok(User::new(owner.ok_or(AppError::NotFound(crate::error::Entity::User))?))
    }
}

/// A new key and its secret.
#[derive(SimpleObject)]
pub(crate) struct CreatedApiKey {
    pub api_key: ApiKey,
    /// The secret, shown here once: only its hash is kept.
    pub secret: String,
}

/// A key to create.
#[derive(InputObject)]
pub(crate) struct CreateApiKeyInput {
    /// 1 to 100 characters, to tell keys apart.
    pub name: String,
    /// At most the caller's own; none when omitted.
    pub permissions: Option<Vec<Permission>>,
    /// At most the caller's own; none when omitted.
    pub app_permissions: Option<Vec<String>>,
    /// When it stops working; never when omitted.
    pub expires_at: Option<DateTime<Utc>>,
    /// The caller's password; needed unless this session signed in within
    /// GERBANG_SUDO_WINDOW (FORBIDDEN, reason RECENT_SIGN_IN_REQUIRED).
    pub current_password: Option<String>,
}

impl CreateApiKeyInput {
    fn parse(&mut self) -> Result<NewKey> {
        let mut c = Collect::default();
        let name = c.field("name", KeyName::parse(&self.name));
        let app = crate::auth::app_permission::collect(
            &mut c,
            "appPermissions",
            self.app_permissions.as_deref().unwrap_or_default(),
        );
        c.finish()?;
        let (Some(name), Some(app_permissions)) = (name, app) else {
            return Err(AppError::Internal(anyhow::anyhow!("a parsed field went missing")));
        };
        Ok(NewKey {
            name,
            permissions: self.permissions.take().unwrap_or_default().into_iter().collect(),
            app_permissions,
            expires_at: self.expires_at,
        })
    }
}

impl ApiKey {
    /// A user's keys, newest first.
    pub(crate) async fn of_user(ctx: &Context<'_>, user_id: uuid::Uuid) -> Result<Vec<Self>> {
        Ok(service::of_user(&ctx.state()?.db.conn, user_id).await?.into_iter().map(Self).collect())
    }
}

/// API key mutations.
#[derive(Default)]
pub(crate) struct ApiKeyMutation;

#[Object]
impl ApiKeyMutation {
    /// Creates a key for the caller (a signed-in person, not a key) with at most the
    /// caller's own permissions. The secret is in the answer, and nowhere else ever.
    #[graphql(guard = "SignedInPerson")]
    async fn create_api_key(&self, ctx: &Context<'_>, mut input: CreateApiKeyInput) -> Result<CreatedApiKey> {
        let new = input.parse()?;
        let (model, secret) =
            service::create(ctx.state()?, ctx.actor()?, new, input.current_password.as_deref()).await?;
        // Shown once, to the one who created it.
        Ok(CreatedApiKey { api_key: ApiKey(model), secret: secret.expose_secret().to_owned() })
    }

    /// Revokes a key: the owner, or USER_WRITE for users within the caller's reach. It
    /// stops working at once. Returns its id.
    #[graphql(guard = "SignedIn")]
    async fn revoke_api_key(&self, ctx: &Context<'_>, id: ID) -> Result<ID> {
        let id = parse_id(&id, "id")?;
        Ok(to_id(service::revoke(ctx.state()?, ctx.actor()?, id).await?))
    }
}
