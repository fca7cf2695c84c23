//! Values a user record is made of, each valid by construction: `parse` is the only way in.

use std::fmt;
use std::str::FromStr;

use secrecy::SecretString;

use crate::i18n::Message;

/// An email address (WHATWG's "valid email address": what browsers accept), at most 254
/// characters. Stored as given; compared and kept unique by `lower()`.
#[derive(Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    /// Most characters (RFC 5321's path limit).
    pub(crate) const MAX: usize = 254;

    /// Parses a trimmed address.
    pub fn parse(s: &str) -> Result<Self, Message> {
        let s = s.trim();
        if s.is_empty() {
            return Err(Message::Required);
        }
        if s.chars().count() > Self::MAX {
            return Err(Message::TooLong { max: Self::MAX });
        }
        let Some((local, domain)) = s.split_once('@') else { return Err(Message::InvalidEmail) };
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && local.chars().all(|c| c.is_ascii_alphanumeric() || ".!#$%&'*+/=?^_`{|}~-".contains(c));
        let domain_ok = !domain.is_empty()
            && domain.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            });
        if local_ok && domain_ok { Ok(Self(s.to_owned())) } else { Err(Message::InvalidEmail) }
    }

    /// The address as given.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// The comparison key: the whole address lower-cased.
    pub(crate) fn lower(&self) -> String {
        self.0.to_lowercase()
    }
}

/// A username: 3 to 32 of `a-z 0-9 . _ -`, compared case-insensitively.
#[derive(Clone, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    /// Parses a trimmed username; capitals are accepted and compared as lower case.
    pub fn parse(s: &str) -> Result<Self, Message> {
        let s = s.trim();
        let n = s.chars().count();
        if n == 0 {
            return Err(Message::Required);
        }
        if !(3..=32).contains(&n) || !s.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)) {
            return Err(Message::InvalidUsername);
        }
        Ok(Self(s.to_owned()))
    }

    /// The username as given.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// The comparison key.
    pub(crate) fn lower(&self) -> String {
        self.0.to_ascii_lowercase()
    }
}

/// Trims, then checks a free-text value's length in characters and rejects control
/// characters (except newlines where `multiline`).
fn text(s: &str, max: usize, multiline: bool) -> Result<String, Message> {
    let s = s.trim();
    let n = s.chars().count();
    if n == 0 {
        return Err(Message::Required);
    }
    if n > max {
        return Err(Message::TooLong { max });
    }
    if s.chars().any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\r' || c == '\t'))) {
        return Err(Message::InvalidCharacters);
    }
    Ok(s.to_owned())
}

/// What `users(filter: { search })` looks for: at most 200 characters, no control
/// characters (they mean nothing in a name and break full-text query syntax), trimmed and
/// lower-cased; an empty term searches for nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SearchTerm(String);

impl SearchTerm {
    /// Most characters.
    pub(crate) const MAX: usize = 200;

    /// Parses a term; `None` when it is blank.
    pub fn parse(s: &str) -> Result<Option<Self>, Message> {
        let s = s.trim();
        if s.chars().count() > Self::MAX {
            return Err(Message::SearchTooLong { max: Self::MAX });
        }
        if s.chars().any(char::is_control) {
            return Err(Message::InvalidCharacters);
        }
        Ok((!s.is_empty()).then(|| Self(s.to_lowercase())))
    }

    /// The lower-cased term.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

/// A display, first or last name: 1 to 100 characters of any script, trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    /// Parses a name.
    pub fn parse(s: &str) -> Result<Self, Message> {
        text(s, 100, false).map(Self)
    }

    /// The name.
    pub(crate) fn into_inner(self) -> String {
        self.0
    }
}

/// A phone number, E.164-ish: an optional `+`, then 6 to 15 digits, with spaces, dots,
/// hyphens and parentheses allowed as separators; at most 32 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// Parses a phone number.
    pub fn parse(s: &str) -> Result<Self, Message> {
        let s = s.trim();
        if s.is_empty() {
            return Err(Message::Required);
        }
        if s.chars().count() > 32 {
            return Err(Message::TooLong { max: 32 });
        }
        let body = s.strip_prefix('+').unwrap_or(s);
        let digits = body.chars().filter(char::is_ascii_digit).count();
        let ok = body.chars().all(|c| c.is_ascii_digit() || " .-()".contains(c))
            && (6..=15).contains(&digits)
            && body.starts_with(|c: char| c.is_ascii_digit() || c == '(');
        if ok { Ok(Self(s.to_owned())) } else { Err(Message::InvalidPhoneNumber) }
    }

    /// The number as given.
    pub(crate) fn into_inner(self) -> String {
        self.0
    }
}

/// A postal address: up to 500 characters, lines allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address(String);

impl Address {
    /// Parses an address.
    pub fn parse(s: &str) -> Result<Self, Message> {
        text(s, 500, true).map(Self)
    }

    /// The address.
    pub(crate) fn into_inner(self) -> String {
        self.0
    }
}

/// An avatar image URL: absolute `http` or `https` with a host, at most 2048 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AvatarUrl(String);

impl AvatarUrl {
    /// Parses a URL.
    pub fn parse(s: &str) -> Result<Self, Message> {
        let s = s.trim();
        if s.is_empty() {
            return Err(Message::Required);
        }
        if s.chars().count() > 2048 {
            return Err(Message::TooLong { max: 2048 });
        }
        match url::Url::parse(s) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty()) => {
                Ok(Self(s.to_owned()))
            }
            _ => Err(Message::InvalidUrl),
        }
    }

    /// The URL as given.
    pub(crate) fn into_inner(self) -> String {
        self.0
    }
}

/// Free-form deployment data: a JSON object of at most 16 KiB serialized.
#[derive(Debug, Clone, PartialEq)]
pub struct Attributes(serde_json::Value);

impl Attributes {
    /// Most bytes, serialized.
    pub(crate) const MAX_BYTES: usize = 16 * 1024;

    /// Parses a JSON value.
    pub fn parse(value: serde_json::Value) -> Result<Self, Message> {
        if !value.is_object() {
            return Err(Message::NotAnObject);
        }
        if serde_json::to_vec(&value).map_or(usize::MAX, |v| v.len()) > Self::MAX_BYTES {
            return Err(Message::TooLong { max: Self::MAX_BYTES });
        }
        Ok(Self(value))
    }

    /// The object.
    pub(crate) fn into_inner(self) -> serde_json::Value {
        self.0
    }
}

/// A new password: 8 to 128 characters and not one of the common passwords shipped with
/// gerbang. Never printed: `Debug` shows `[REDACTED]`.
#[derive(Debug, Clone)]
pub struct Password(SecretString);

/// Passwords that leaked lists show people choose most; one per line, lower case.
const COMMON_PASSWORDS: &str = include_str!("common-passwords.txt");

impl Password {
    /// Fewest characters.
    pub(crate) const MIN: usize = 8;
    /// Most characters; bounds the hashing cost an attacker can ask for.
    pub(crate) const MAX: usize = 128;

    /// Parses a password; it is not trimmed (spaces are part of a passphrase).
    pub fn parse(s: &str) -> Result<Self, Message> {
        let n = s.chars().count();
        if n == 0 {
            return Err(Message::Required);
        }
        if n < Self::MIN {
            return Err(Message::TooShort { min: Self::MIN });
        }
        if n > Self::MAX {
            return Err(Message::TooLong { max: Self::MAX });
        }
        if is_common(s) {
            return Err(Message::CommonPassword);
        }
        Ok(Self(SecretString::from(s)))
    }

    /// The secret, for hashing.
    pub fn secret(&self) -> &SecretString {
        &self.0
    }
}

fn is_common(password: &str) -> bool {
    let lower = password.to_lowercase();
    COMMON_PASSWORDS.lines().any(|line| line == lower)
}

macro_rules! display_and_parse {
    ($($t:ty),*) => {$(
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(&self.0) }
        }
        impl fmt::Debug for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { fmt::Debug::fmt(&self.0, f) }
        }
        impl FromStr for $t {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s).map_err(|m| m.text(crate::i18n::Locale::En))
            }
        }
    )*};
}
display_and_parse!(Email, Username);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_terms_are_short_printable_and_lower_cased() {
        assert_eq!(SearchTerm::parse("  Budi ").unwrap().unwrap().as_str(), "budi");
        assert_eq!(SearchTerm::parse("   ").unwrap(), None);
        assert_eq!(SearchTerm::parse("\u{0}ali").unwrap_err(), Message::InvalidCharacters);
        assert!(SearchTerm::parse(&"a".repeat(200)).is_ok());
        assert_eq!(SearchTerm::parse(&"a".repeat(201)).unwrap_err(), Message::SearchTooLong { max: 200 });
    }

    #[test]
    fn emails_browsers_accept_are_accepted_and_kept_as_given() {
        for ok in ["a@b.co", "Alice.Smith+tag@Example.COM", "admin@localhost", "x_y-z@sub.domain-1.id"] {
            assert_eq!(Email::parse(ok).unwrap().as_str(), ok);
        }
        assert_eq!(Email::parse("  Bob@X.io ").unwrap().lower(), "bob@x.io");
    }

    #[test]
    fn malformed_emails_are_refused() {
        for bad in ["", "plain", "@x.io", "a@", "a@@x.io", "a b@x.io", "a@-x.io", "a@x..io", "a@x_y.io"] {
            assert!(Email::parse(bad).is_err(), "{bad:?}");
        }
        let long = format!("{}@x.io", "a".repeat(250));
        assert_eq!(Email::parse(&long).unwrap_err(), Message::TooLong { max: 254 });
    }

    #[test]
    fn usernames_are_3_to_32_of_a_small_alphabet() {
        for ok in ["bob", "Alice.Smith", "a_b-c.d", &"x".repeat(32)] {
            assert!(Username::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["ab", &"x".repeat(33), "bob smith", "bób", "bob@x"] {
            assert_eq!(Username::parse(bad).unwrap_err(), Message::InvalidUsername, "{bad}");
        }
        assert_eq!(Username::parse("Alice").unwrap().lower(), "alice");
    }

    #[test]
    fn names_take_any_script_trimmed_up_to_100_characters() {
        assert_eq!(PersonName::parse("  Budi Śantoso 李 ").unwrap().into_inner(), "Budi Śantoso 李");
        assert_eq!(PersonName::parse("   ").unwrap_err(), Message::Required);
        assert_eq!(PersonName::parse(&"é".repeat(101)).unwrap_err(), Message::TooLong { max: 100 });
        assert!(PersonName::parse(&"é".repeat(100)).is_ok());
        assert_eq!(PersonName::parse("a\u{0}b").unwrap_err(), Message::InvalidCharacters);
    }

    #[test]
    fn phone_numbers_are_e164_ish() {
        for ok in ["+6281234567890", "0812-3456-7890", "(021) 555 1234", "+1 (555) 010.9999"] {
            assert!(PhoneNumber::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["12345", "+62 abc 123456", "++6281234567", "1234567890123456", "-123456789"] {
            assert!(PhoneNumber::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn addresses_keep_lines_and_stop_at_500_characters() {
        assert!(Address::parse("Jl. Merdeka 1\nJakarta").is_ok());
        assert_eq!(Address::parse(&"a".repeat(501)).unwrap_err(), Message::TooLong { max: 500 });
    }

    #[test]
    fn avatar_urls_must_be_http_or_https() {
        assert!(AvatarUrl::parse("https://cdn.example.com/a.png").is_ok());
        assert!(AvatarUrl::parse("http://127.0.0.1:9000/a.png").is_ok());
        for bad in ["javascript:alert(1)", "ftp://x/a.png", "/relative.png", "https://", "data:image/png;base64,AA"] {
            assert_eq!(AvatarUrl::parse(bad).unwrap_err(), Message::InvalidUrl, "{bad}");
        }
    }

    #[test]
    fn attributes_are_objects_up_to_16_kib() {
        assert!(Attributes::parse(serde_json::json!({"orgUnitId": 7})).is_ok());
        assert_eq!(Attributes::parse(serde_json::json!([1, 2])).unwrap_err(), Message::NotAnObject);
        let big = serde_json::json!({ "x": "a".repeat(16 * 1024) });
        assert_eq!(Attributes::parse(big).unwrap_err(), Message::TooLong { max: 16 * 1024 });
    }

    #[test]
    fn passwords_are_8_to_128_characters_and_not_common() {
        assert!(Password::parse("correct horse battery staple").is_ok());
        assert_eq!(Password::parse("short").unwrap_err(), Message::TooShort { min: 8 });
        assert_eq!(Password::parse(&"x".repeat(129)).unwrap_err(), Message::TooLong { max: 128 });
        for common in ["password", "Password1", "12345678", "qwertyuiop", "iloveyou"] {
            assert_eq!(Password::parse(common).unwrap_err(), Message::CommonPassword, "{common}");
        }
    }

    #[test]
    fn passwords_never_show_in_debug_output() {
        let p = Password::parse("correct horse battery staple").unwrap();
        assert!(!format!("{p:?}").contains("horse"));
    }
}
