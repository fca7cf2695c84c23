//! The inputs of the user queries and mutations, each parsed into the service's types with
//! every bad field reported at once.

use async_graphql::{Enum, ID, InputObject, Json, MaybeUndefined};
use uuid::Uuid;

use crate::error::{AppError, Collect, Result};
use crate::graphql::scalars::{self, parse_id};
use crate::i18n::Locale;
use crate::users::domain::{
    Address, Attributes, AvatarUrl, Email, Password, PersonName, PhoneNumber, SearchTerm, Username,
};
use crate::users::service::{Filter, NewUser, Patch, Sort, SortKey, UserPatch};

/// Which users `users` returns.
#[derive(InputObject, Default)]
pub(crate) struct UserFilter {
    /// Case-insensitive; at most 200 characters. Three or more characters match anywhere in
    /// the email, username, display, first or last name; one or two match the start of the
    /// email, username or display name.
    pub search: Option<String>,
    /// Only members of this role.
    pub role_id: Option<ID>,
    /// Only active (or only inactive) users.
    pub is_active: Option<bool>,
}

/// What users can be sorted by.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub(crate) enum UserSortField {
    /// Creation time.
    CreatedAt,
    /// Email, case-insensitively.
    Email,
    /// Username, case-insensitively (users without one first).
    Username,
    /// Display name (users without one first).
    DisplayName,
}

/// Sort direction.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub(crate) enum SortDirection {
    /// Ascending.
    Asc,
    /// Descending.
    Desc,
}

/// How `users` is sorted; ties are broken by id, so pages never overlap.
#[derive(InputObject)]
pub(crate) struct UserSort {
    /// The key.
    pub field: UserSortField,
    /// The direction.
    pub direction: SortDirection,
}

impl From<UserSort> for Sort {
    fn from(s: UserSort) -> Self {
        let key = match s.field {
            UserSortField::CreatedAt => SortKey::CreatedAt,
            UserSortField::Email => SortKey::Email,
            UserSortField::Username => SortKey::Username,
            UserSortField::DisplayName => SortKey::DisplayName,
        };
        Sort { key, descending: s.direction == SortDirection::Desc }
    }
}

impl UserFilter {
    pub(super) fn parse(self) -> Result<Filter> {
        let mut c = Collect::default();
        let role_id = self
            .role_id
            .and_then(|id| c.field("roleId", parse_id(&id, "roleId").map_err(|_| crate::i18n::Message::InvalidId)));
        let search = self.search.and_then(|s| c.field("search", SearchTerm::parse(&s))).flatten();
        c.finish()?;
        Ok(Filter { search, role_id, is_active: self.is_active })
    }
}

/// Fields of a new user.
#[derive(InputObject)]
pub(crate) struct CreateUserInput {
    pub email: String,
    /// Without one, the account cannot sign in until a password is set.
    pub password: Option<String>,
    pub username: Option<String>,
    pub display_name: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone_number: Option<String>,
    pub address: Option<String>,
    pub avatar_url: Option<String>,
    /// Defaults to true.
    pub is_active: Option<bool>,
    pub attributes: Option<Json<serde_json::Value>>,
    pub role_ids: Option<Vec<ID>>,
    /// Whether the address is known to be the user's; defaults to false.
    pub email_verified: Option<bool>,
    /// "en" or "id": the language of the user's mails.
    pub locale: Option<String>,
}

/// Changes to a user: every field optional; an explicit null clears a nullable field.
#[derive(InputObject)]
pub(crate) struct UpdateUserInput {
    pub email: MaybeUndefined<String>,
    pub username: MaybeUndefined<String>,
    pub display_name: MaybeUndefined<String>,
    pub first_name: MaybeUndefined<String>,
    pub last_name: MaybeUndefined<String>,
    pub phone_number: MaybeUndefined<String>,
    pub address: MaybeUndefined<String>,
    pub avatar_url: MaybeUndefined<String>,
    pub is_active: MaybeUndefined<bool>,
    pub attributes: MaybeUndefined<Json<serde_json::Value>>,
    /// The complete new set of roles.
    pub role_ids: MaybeUndefined<Vec<ID>>,
    /// Whether the address is known to be the user's (USER_WRITE, not for oneself). A
    /// changed email is unverified unless this says otherwise.
    pub email_verified: MaybeUndefined<bool>,
    /// "en" or "id": the language of the user's mails; null for the request's language.
    pub locale: MaybeUndefined<String>,
}

/// Most roles one user may be given in one request: more is a mistake or an attack (each
/// id becomes a statement parameter, and databases cap those).
const MAX_ROLE_IDS: usize = 100;

fn parse_role_ids(c: &mut Collect, ids: Vec<ID>) -> Vec<Uuid> {
    if ids.len() > MAX_ROLE_IDS {
        c.fail("roleIds", crate::i18n::Message::TooMany { max: MAX_ROLE_IDS });
        return Vec::new();
    }
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        match Uuid::try_parse(id.as_str()) {
            Ok(u) => out.push(u),
            Err(_) => c.fail("roleIds", crate::i18n::Message::InvalidId),
        }
    }
    out
}

/// A required (non-nullable) field given as null in a patch.
fn required<T>(c: &mut Collect, field: &'static str, v: MaybeUndefined<T>) -> Option<T> {
    match v {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => {
            c.fail(field, crate::i18n::Message::Required);
            None
        }
        MaybeUndefined::Value(v) => Some(v),
    }
}

fn text_patch<T>(
    c: &mut Collect,
    field: &'static str,
    v: MaybeUndefined<String>,
    parse: impl FnOnce(&str) -> std::result::Result<T, crate::i18n::Message>,
) -> Patch<T> {
    c.field(field, scalars::patch(v, |s| parse(&s))).unwrap_or_default()
}

impl CreateUserInput {
    /// Parses every field, reporting all bad ones together.
    pub(crate) fn parse(self) -> Result<NewUser> {
        let mut c = Collect::default();
        let email = c.field("email", Email::parse(&self.email));
        let password = match self.password {
            Some(p) => c.field("password", Password::parse(&p)).map(Some),
            None => Some(None),
        };
        let username = self.username.and_then(|v| c.field("username", Username::parse(&v)));
        let display_name = self.display_name.and_then(|v| c.field("displayName", PersonName::parse(&v)));
        let first_name = self.first_name.and_then(|v| c.field("firstName", PersonName::parse(&v)));
        let last_name = self.last_name.and_then(|v| c.field("lastName", PersonName::parse(&v)));
        let phone_number = self.phone_number.and_then(|v| c.field("phoneNumber", PhoneNumber::parse(&v)));
        let address = self.address.and_then(|v| c.field("address", Address::parse(&v)));
        let avatar_url = self.avatar_url.and_then(|v| c.field("avatarUrl", AvatarUrl::parse(&v)));
        let attributes = self.attributes.and_then(|v| c.field("attributes", Attributes::parse(v.0)));
        let role_ids = parse_role_ids(&mut c, self.role_ids.unwrap_or_default());
        let locale = self.locale.and_then(|v| c.field("locale", Locale::parse(&v)));
        c.finish()?;
        let (Some(email), Some(password)) = (email, password) else {
            return Err(AppError::Internal(anyhow::anyhow!("a parsed field went missing")));
        };
        Ok(NewUser {
            email,
            password,
            username,
            display_name,
            first_name,
            last_name,
            phone_number,
            address,
            avatar_url,
            is_active: self.is_active.unwrap_or(true),
            attributes,
            role_ids,
            email_verified: self.email_verified.unwrap_or(false),
            locale,
        })
    }
}

impl UpdateUserInput {
    /// Parses every present field, reporting all bad ones together.
    pub(crate) fn parse(self) -> Result<UserPatch> {
        let mut c = Collect::default();
        let email = required(&mut c, "email", self.email).and_then(|v| c.field("email", Email::parse(&v)));
        let username = text_patch(&mut c, "username", self.username, Username::parse);
        let display_name = text_patch(&mut c, "displayName", self.display_name, PersonName::parse);
        let first_name = text_patch(&mut c, "firstName", self.first_name, PersonName::parse);
        let last_name = text_patch(&mut c, "lastName", self.last_name, PersonName::parse);
        let phone_number = text_patch(&mut c, "phoneNumber", self.phone_number, PhoneNumber::parse);
        let address = text_patch(&mut c, "address", self.address, Address::parse);
        let avatar_url = text_patch(&mut c, "avatarUrl", self.avatar_url, AvatarUrl::parse);
        let is_active = required(&mut c, "isActive", self.is_active);
        let attributes =
            c.field("attributes", scalars::patch(self.attributes, |v| Attributes::parse(v.0))).unwrap_or_default();
        let role_ids = required(&mut c, "roleIds", self.role_ids).map(|ids| parse_role_ids(&mut c, ids));
        let email_verified = required(&mut c, "emailVerified", self.email_verified);
        let locale = text_patch(&mut c, "locale", self.locale, Locale::parse);
        c.finish()?;
        Ok(UserPatch {
            email,
            username,
            display_name,
            first_name,
            last_name,
            phone_number,
            address,
            avatar_url,
            is_active,
            attributes,
            role_ids,
            email_verified,
            locale,
        })
    }
}
