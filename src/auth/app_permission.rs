//! Application permissions: the deployment's own permission names (`invoice:write`), which
//! gerbang stores on roles and API keys and hands to the deployment's APIs in access tokens
//! and introspection answers. gerbang gives them no meaning of its own, except
//! `gerbang:introspect`, which lets an API key call the introspection endpoint.

use std::collections::BTreeSet;
use std::sync::Arc;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::db::entities::role;
use crate::error::Collect;
use crate::i18n::Message;

/// Most application permissions one role or API key may list.
pub(crate) const MAX_PER_HOLDER: usize = 100;

/// Lets an API key ask `POST /oauth/introspect` about tokens.
pub(crate) const INTROSPECT: &str = "gerbang:introspect";

/// An application permission name: `^[a-z][a-z0-9_.:-]{0,127}$`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct AppPermission(String);

impl AppPermission {
    /// Parses a name; the error names the entry, so a list's bad entries can be told apart.
    pub(crate) fn parse(s: &str) -> Result<Self, Message> {
        let mut chars = s.chars();
        let first_ok = chars.next().is_some_and(|c| c.is_ascii_lowercase());
        let rest_ok = chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_.:-".contains(c));
        if first_ok && rest_ok && s.len() <= 128 {
            Ok(Self(s.to_owned()))
        } else {
            // Long garbage is cut: the message quotes the entry, it does not echo a megabyte.
            let name: String = s.chars().take(40).collect();
            Err(Message::InvalidAppPermission { name })
        }
    }

    /// Parses a list: every bad entry gets its own message; duplicates count once.
    pub(crate) fn parse_list(names: &[String]) -> Result<AppPermissions, Vec<Message>> {
        let mut errors: Vec<Message> = names.iter().filter_map(|n| Self::parse(n).err()).collect();
        let set: BTreeSet<String> = names.iter().cloned().collect();
        if set.len() > MAX_PER_HOLDER {
            errors.push(Message::TooMany { max: MAX_PER_HOLDER });
        }
        if errors.is_empty() { Ok(AppPermissions::of(set)) } else { Err(errors) }
    }
}

/// A set of application permissions: a role's, an API key's, or a user's effective ones.
/// The developer role holds every one, named or not (`all`).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct AppPermissions {
    all: bool,
    names: Arc<BTreeSet<String>>,
}

impl std::fmt::Debug for AppPermissions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.all { f.write_str("{all}") } else { f.debug_set().entries(self.names.iter()).finish() }
    }
}

impl AppPermissions {
    /// Every application permission: the developer role's.
    pub(crate) fn all() -> Self {
        Self { all: true, names: Arc::default() }
    }

    fn of(names: BTreeSet<String>) -> Self {
        Self { all: false, names: Arc::new(names) }
    }

    /// Reads the stored form (`"invoice:read,invoice:write"`).
    pub fn from_stored(s: &str) -> Self {
        Self::of(s.split(',').filter(|n| !n.is_empty()).map(str::to_owned).collect())
    }

    /// The stored form: names sorted, comma-separated (a name never holds a comma).
    pub(crate) fn to_stored(&self) -> String {
        self.names.iter().map(String::as_str).collect::<Vec<_>>().join(",")
    }

    /// A user's effective set from its roles: every permission if one of them is the
    /// developer role, else the union of their lists.
    pub fn of_roles(roles: &[crate::db::entities::role::Model]) -> Self {
        if roles.iter().any(|r| r.is_system && r.name_lower == "developer") {
            return Self::all();
        }
        Self::of(
            roles
                .iter()
                .flat_map(|r| r.app_permissions.split(','))
                .filter(|n| !n.is_empty())
                .map(str::to_owned)
                .collect(),
        )
    }

    /// Whether this set holds every permission, named or not.
    pub(crate) fn is_all(&self) -> bool {
        self.all
    }

    /// Whether `name` is in the set.
    pub(crate) fn contains(&self, name: &str) -> bool {
        self.all || self.names.contains(name)
    }

    /// Whether every permission of `other` is in this set.
    pub(crate) fn is_superset_of(&self, other: &Self) -> bool {
        self.all || (!other.all && other.names.is_subset(&self.names))
    }

    /// The permissions in both sets: what an API key may use of its owner's.
    pub(crate) fn intersection(&self, other: &Self) -> Self {
        match (self.all, other.all) {
            (true, _) => other.clone(),
            (_, true) => self.clone(),
            _ => Self::of(self.names.intersection(&other.names).cloned().collect()),
        }
    }

    /// The names of this set's permissions that `other` lacks.
    pub(crate) fn minus(&self, other: &Self) -> Vec<String> {
        self.names.iter().filter(|n| !other.contains(n)).cloned().collect()
    }

    /// The names listed, sorted (for the developer's set, the ones listed on top of all).
    pub(crate) fn names(&self) -> Vec<String> {
        self.names.iter().cloned().collect()
    }
}

/// Every application permission some role lists: what "all of them" means where names
/// must be spelled out (the developer's token claims and `appPermissions`).
pub(crate) async fn known_app_permissions(db: &impl ConnectionTrait) -> Result<Vec<String>, sea_orm::DbErr> {
    let lists: Vec<String> = role::Entity::find()
        .select_only()
        .column(role::Column::AppPermissions)
        .filter(role::Column::AppPermissions.ne(""))
        .into_tuple()
        .all(db)
        .await?;
    let names: std::collections::BTreeSet<String> =
        lists.iter().flat_map(|l| l.split(',')).filter(|n| !n.is_empty()).map(str::to_owned).collect();
    Ok(names.into_iter().collect())
}

/// A user's effective application permissions, spelled out.
pub(crate) async fn spell_out(db: &impl ConnectionTrait, set: &AppPermissions) -> Result<Vec<String>, sea_orm::DbErr> {
    if set.is_all() { Ok(spelled_out(set, &known_app_permissions(db).await?)) } else { Ok(set.names()) }
}

/// `set` spelled out, `known` being every name some role has.
pub(crate) fn spelled_out(set: &AppPermissions, known: &[String]) -> Vec<String> {
    if !set.is_all() {
        return set.names();
    }
    let mut names = known.to_vec();
    names.extend(set.names());
    names.sort_unstable();
    names.dedup();
    names
}

/// Parses a list of application permission names from `field`, recording a message per bad
/// entry.
pub(crate) fn collect(c: &mut Collect, field: &'static str, names: &[String]) -> Option<AppPermissions> {
    match AppPermission::parse_list(names) {
        Ok(set) => Some(set),
        Err(messages) => {
            for m in messages {
                c.fail(field, m);
            }
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_lowercase_words_with_separators() {
        for ok in ["notes:write", "invoice.read", "a", "x-1_y.z:w", &"a".repeat(128)] {
            assert!(AppPermission::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["", "Notes:write", "1notes", ":notes", "notes write", "notes,write", "nötes", &"a".repeat(129)] {
            assert!(AppPermission::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn every_bad_entry_of_a_list_is_named() {
        let list = ["notes:write".to_owned(), "Bad".to_owned(), "also bad".to_owned()];
        let errors = AppPermission::parse_list(&list).unwrap_err();
        assert_eq!(
            errors,
            vec![
                Message::InvalidAppPermission { name: "Bad".into() },
                Message::InvalidAppPermission { name: "also bad".into() }
            ]
        );
        let many: Vec<String> = (0..=MAX_PER_HOLDER).map(|i| format!("p{i}")).collect();
        assert_eq!(AppPermission::parse_list(&many).unwrap_err(), vec![Message::TooMany { max: MAX_PER_HOLDER }]);
    }

    #[test]
    fn the_developer_set_holds_everything_and_intersects_to_the_other() {
        let notes = AppPermissions::from_stored("notes:read,notes:write");
        let read = AppPermissions::from_stored("notes:read");
        assert!(AppPermissions::all().is_superset_of(&notes));
        assert!(!notes.is_superset_of(&AppPermissions::all()));
        assert!(notes.is_superset_of(&read) && !read.is_superset_of(&notes));
        assert_eq!(AppPermissions::all().intersection(&read), read);
        assert_eq!(notes.intersection(&read), read);
        assert_eq!(notes.to_stored(), "notes:read,notes:write");
        assert_eq!(AppPermissions::from_stored(""), AppPermissions::default());
        assert_eq!(notes.minus(&read), vec!["notes:write".to_owned()]);
    }
}
