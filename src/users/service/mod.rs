//! User rules and storage. Every write runs in one transaction; uniqueness is the
//! database's word, mapped to CONFLICT on the field; rules that span rows (who may manage
//! whom, the last ROLE_WRITE holder) are checked under row locks, so they hold for
//! requests arriving at the same moment on PostgreSQL and MariaDB too.

mod bootstrap;
mod list;
mod presence;
mod write;

pub(crate) use bootstrap::{Bootstrap, bootstrap_developer};
pub(crate) use list::{Filter, SearchPlan, Sort, SortKey, count, list, list_all, roles_of_page};
pub(crate) use presence::{check_current_password, failed_attempt, prove_presence};
pub use write::create;
pub(crate) use write::{
    delete, insert, lock_own, lock_target, may_manage, set_email, set_password, set_password_as_service,
    unlock_as_service, update,
};

use sea_orm::{ConnectionTrait, EntityTrait};
use uuid::Uuid;

use super::domain::{Address, Attributes, AvatarUrl, Email, Password, PersonName, PhoneNumber, Username};
use crate::db::entities::user;
use crate::error::Result;
use crate::i18n::Locale;
pub(crate) use crate::patch::Patch;

/// A user to create, already parsed.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Email.
    pub email: Email,
    /// Password; without one the account cannot sign in until one is set.
    pub password: Option<Password>,
    /// Username.
    pub username: Option<Username>,
    /// Display name.
    pub display_name: Option<PersonName>,
    /// First name.
    pub first_name: Option<PersonName>,
    /// Last name.
    pub last_name: Option<PersonName>,
    /// Phone number.
    pub phone_number: Option<PhoneNumber>,
    /// Address.
    pub address: Option<Address>,
    /// Avatar URL.
    pub avatar_url: Option<AvatarUrl>,
    /// Whether the account may sign in.
    pub is_active: bool,
    /// Deployment-specific data.
    pub attributes: Option<Attributes>,
    /// Roles to hold.
    pub role_ids: Vec<Uuid>,
    /// Whether the address is known to be the user's (an administrator says so).
    pub email_verified: bool,
    /// The language of its mails.
    pub locale: Option<Locale>,
}

impl NewUser {
    /// An active user with only an email; the other fields are set by the caller.
    pub(crate) fn with_email(email: Email) -> Self {
        Self {
            email,
            password: None,
            username: None,
            display_name: None,
            first_name: None,
            last_name: None,
            phone_number: None,
            address: None,
            avatar_url: None,
            is_active: true,
            attributes: None,
            role_ids: Vec::new(),
            email_verified: false,
            locale: None,
        }
    }

    /// The GraphQL names of the fields given a value (for the audit log: names, not values).
    pub(crate) fn field_names(&self) -> Vec<&'static str> {
        let given = [
            ("email", true),
            ("password", self.password.is_some()),
            ("username", self.username.is_some()),
            ("displayName", self.display_name.is_some()),
            ("firstName", self.first_name.is_some()),
            ("lastName", self.last_name.is_some()),
            ("phoneNumber", self.phone_number.is_some()),
            ("address", self.address.is_some()),
            ("avatarUrl", self.avatar_url.is_some()),
            ("isActive", !self.is_active),
            ("attributes", self.attributes.is_some()),
            ("emailVerified", self.email_verified),
            ("locale", self.locale.is_some()),
        ];
        given.into_iter().filter_map(|(name, set)| set.then_some(name)).collect()
    }
}

/// Changes to a user, already parsed.
#[derive(Debug, Clone, Default)]
pub(crate) struct UserPatch {
    /// New email.
    pub email: Option<Email>,
    /// Username.
    pub username: Patch<Username>,
    /// Display name.
    pub display_name: Patch<PersonName>,
    /// First name.
    pub first_name: Patch<PersonName>,
    /// Last name.
    pub last_name: Patch<PersonName>,
    /// Phone number.
    pub phone_number: Patch<PhoneNumber>,
    /// Address.
    pub address: Patch<Address>,
    /// Avatar URL.
    pub avatar_url: Patch<AvatarUrl>,
    /// Active flag.
    pub is_active: Option<bool>,
    /// Attributes.
    pub attributes: Patch<Attributes>,
    /// The complete new set of roles.
    pub role_ids: Option<Vec<Uuid>>,
    /// Whether the address is known to be the user's (not for oneself).
    pub email_verified: Option<bool>,
    /// The language of its mails.
    pub locale: Patch<Locale>,
}

impl UserPatch {
    /// The GraphQL names of the fields the patch sets or clears (for the audit log).
    pub(crate) fn field_names(&self) -> Vec<&'static str> {
        let given = [
            ("email", self.email.is_some()),
            ("username", !matches!(self.username, Patch::Keep)),
            ("displayName", !matches!(self.display_name, Patch::Keep)),
            ("firstName", !matches!(self.first_name, Patch::Keep)),
            ("lastName", !matches!(self.last_name, Patch::Keep)),
            ("phoneNumber", !matches!(self.phone_number, Patch::Keep)),
            ("address", !matches!(self.address, Patch::Keep)),
            ("avatarUrl", !matches!(self.avatar_url, Patch::Keep)),
            ("isActive", self.is_active.is_some()),
            ("attributes", !matches!(self.attributes, Patch::Keep)),
            ("roleIds", self.role_ids.is_some()),
            ("emailVerified", self.email_verified.is_some()),
            ("locale", !matches!(self.locale, Patch::Keep)),
        ];
        given.into_iter().filter_map(|(name, set)| set.then_some(name)).collect()
    }
}

/// The user a sign-in names: by email when the identifier holds an `@`, else by username;
/// `ident` is already trimmed and lower-cased.
pub(crate) async fn by_identifier(db: &impl ConnectionTrait, ident: &str) -> Result<Option<user::Model>> {
    use sea_orm::{ColumnTrait, QueryFilter};
    let column = if ident.contains('@') { user::Column::EmailLower } else { user::Column::UsernameLower };
    Ok(user::Entity::find().filter(column.eq(ident)).one(db).await?)
}

/// One user, if it exists.
pub async fn get(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<user::Model>> {
    Ok(user::Entity::find_by_id(id).one(db).await?)
}

/// What `filter.search` matches: the lower-cased email, username and names, one per line.
/// The bench's seeding writes the same.
pub(crate) fn search_text(email: &str, username: Option<&str>, names: [Option<&str>; 3]) -> String {
    let mut parts = vec![email.to_lowercase()];
    parts.extend(username.map(str::to_lowercase));
    parts.extend(names.into_iter().flatten().map(str::to_lowercase));
    let mut text = parts.join("\n");
    if text.chars().count() > 1000 {
        text = text.chars().take(1000).collect();
    }
    text
}
