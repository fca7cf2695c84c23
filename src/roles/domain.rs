//! Values a role is made of, valid by construction.

use crate::i18n::Message;

/// A role name: 1 to 64 characters, trimmed, no control characters; unique
/// case-insensitively.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RoleName(String);

impl RoleName {
    /// Parses a name.
    pub(crate) fn parse(s: &str) -> Result<Self, Message> {
        let s = s.trim();
        let n = s.chars().count();
        if n == 0 {
            return Err(Message::Required);
        }
        if n > 64 {
            return Err(Message::TooLong { max: 64 });
        }
        if s.chars().any(char::is_control) {
            return Err(Message::InvalidCharacters);
        }
        Ok(Self(s.to_owned()))
    }

    /// The name as given.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// The comparison key.
    pub(crate) fn lower(&self) -> String {
        self.0.to_lowercase()
    }
}

/// A role's numeric code: a positive integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RoleCode(i32);

impl RoleCode {
    /// Parses a code.
    pub(crate) fn parse(n: i32) -> Result<Self, Message> {
        if n > 0 { Ok(Self(n)) } else { Err(Message::NotPositive) }
    }

    /// The number.
    pub(crate) fn get(self) -> i32 {
        self.0
    }
}

/// A role description: up to 500 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Description(String);

impl Description {
    /// Parses a description.
    pub(crate) fn parse(s: &str) -> Result<Self, Message> {
        let s = s.trim();
        if s.is_empty() {
            return Err(Message::Required);
        }
        if s.chars().count() > 500 {
            return Err(Message::TooLong { max: 500 });
        }
        Ok(Self(s.to_owned()))
    }

    /// The text.
    pub(crate) fn into_inner(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_are_1_to_64_characters() {
        assert_eq!(RoleName::parse("  Finance ").unwrap().as_str(), "Finance");
        assert_eq!(RoleName::parse("Keuangan Ünit").unwrap().lower(), "keuangan ünit");
        assert_eq!(RoleName::parse(" ").unwrap_err(), Message::Required);
        assert_eq!(RoleName::parse(&"r".repeat(65)).unwrap_err(), Message::TooLong { max: 64 });
    }

    #[test]
    fn role_codes_are_positive() {
        assert_eq!(RoleCode::parse(7).unwrap().get(), 7);
        assert_eq!(RoleCode::parse(0).unwrap_err(), Message::NotPositive);
        assert_eq!(RoleCode::parse(-3).unwrap_err(), Message::NotPositive);
    }
}
