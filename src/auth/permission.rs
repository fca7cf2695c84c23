//! Permissions (shared/API.md `enum Permission`) and sets of them.

use std::fmt;

/// What a role lets its members do.
#[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Permission {
    /// List and read every user, private fields included.
    UserRead,
    /// Create, update, deactivate, delete users; set their passwords and roles.
    UserWrite,
    /// Read roles' permissions and members.
    RoleRead,
    /// Create, update, delete roles.
    RoleWrite,
    /// Read the audit log.
    AuditRead,
}

impl Permission {
    /// Every permission, in a fixed order.
    pub const ALL: [Permission; 5] =
        [Self::UserRead, Self::UserWrite, Self::RoleRead, Self::RoleWrite, Self::AuditRead];

    /// The stored and wire name.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::UserRead => "USER_READ",
            Self::UserWrite => "USER_WRITE",
            Self::RoleRead => "ROLE_READ",
            Self::RoleWrite => "ROLE_WRITE",
            Self::AuditRead => "AUDIT_READ",
        }
    }

    fn bit(self) -> u8 {
        match self {
            Self::UserRead => 1,
            Self::UserWrite => 2,
            Self::RoleRead => 4,
            Self::RoleWrite => 8,
            Self::AuditRead => 16,
        }
    }
}

/// A set of permissions: a role's, or a user's effective ones (the union of its roles').
#[derive(Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct PermissionSet(u8);

impl PermissionSet {
    /// No permission.
    pub const EMPTY: Self = Self(0);

    /// Whether `p` is in the set.
    pub(crate) fn contains(self, p: Permission) -> bool {
        self.0 & p.bit() != 0
    }

    /// Whether every permission of `other` is in this set.
    pub(crate) fn is_superset_of(self, other: Self) -> bool {
        other.0 & !self.0 == 0
    }

    /// Both sets together.
    pub(crate) fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    /// The permissions, in `Permission::ALL` order.
    pub(crate) fn to_vec(self) -> Vec<Permission> {
        Permission::ALL.into_iter().filter(|p| self.contains(*p)).collect()
    }

    /// Reads the stored form (`"ROLE_READ,USER_READ"`). Unknown names are skipped, so a
    /// database written by a newer version still loads.
    pub fn from_stored(s: &str) -> Self {
        s.split(',').filter_map(|name| Permission::ALL.into_iter().find(|p| p.as_str() == name.trim())).collect()
    }

    /// The union of several stored sets: a user's effective permissions from its roles'.
    pub fn union_of<'a>(stored: impl IntoIterator<Item = &'a str>) -> Self {
        stored.into_iter().fold(Self::EMPTY, |acc, s| acc.union(Self::from_stored(s)))
    }

    /// The permissions in both sets.
    pub(crate) fn intersection(self, other: Self) -> Self {
        Self(self.0 & other.0)
    }

    /// The permissions of this set that `other` lacks.
    pub(crate) fn minus(self, other: Self) -> Self {
        Self(self.0 & !other.0)
    }

    /// The names, sorted.
    pub(crate) fn names(self) -> Vec<&'static str> {
        let mut names: Vec<&str> = self.to_vec().into_iter().map(Permission::as_str).collect();
        names.sort_unstable();
        names
    }

    /// The stored form: names sorted, comma-separated.
    pub(crate) fn to_stored(self) -> String {
        self.names().join(",")
    }
}

impl FromIterator<Permission> for PermissionSet {
    fn from_iter<I: IntoIterator<Item = Permission>>(iter: I) -> Self {
        Self(iter.into_iter().fold(0, |acc, p| acc | p.bit()))
    }
}

impl fmt::Debug for PermissionSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.to_vec()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_form_round_trips_and_is_sorted() {
        let set: PermissionSet = [Permission::UserWrite, Permission::RoleRead].into_iter().collect();
        assert_eq!(set.to_stored(), "ROLE_READ,USER_WRITE");
        assert_eq!(PermissionSet::from_stored(&set.to_stored()), set);
        assert_eq!(PermissionSet::from_stored(""), PermissionSet::EMPTY);
        assert_eq!(PermissionSet::from_stored("USER_READ,SOMETHING_NEW"), [Permission::UserRead].into_iter().collect());
    }

    #[test]
    fn supersets_cover_every_permission_of_the_other() {
        let admin: PermissionSet =
            [Permission::UserRead, Permission::UserWrite, Permission::RoleRead].into_iter().collect();
        let all: PermissionSet = Permission::ALL.into_iter().collect();
        assert!(all.is_superset_of(admin));
        assert!(!admin.is_superset_of(all));
        assert!(admin.is_superset_of(PermissionSet::EMPTY));
        assert_eq!(admin.union(all), all);
    }
}
