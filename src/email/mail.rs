//! The mails: plain text and HTML from templates compiled into the binary
//! (`templates/mail/`), in English or Indonesian.

use askama::Template;

use crate::i18n::Locale;

/// What a mail is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A link that proves the address.
    Verify,
    /// A link to choose a new password.
    Reset,
    /// To the new address: a link that confirms it.
    ChangeConfirm,
    /// To the old address: a change was asked for (no link).
    ChangeNotice,
    /// A way to sign in or to act for the account was added (no link).
    CredentialAdded,
    /// A way to sign in or to act for the account was removed (no link).
    CredentialRemoved,
}

/// A mail ready for the outbox.
#[derive(Debug, Clone)]
pub(crate) struct Rendered {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub locale: Locale,
}

/// What a mail says; `address` is the one it is about (the account's, or the new one).
pub(crate) struct Content<'a> {
    pub kind: Kind,
    pub locale: Locale,
    /// How the user is greeted: its display name, else its address.
    pub name: &'a str,
    pub address: &'a str,
    pub link: Option<&'a str>,
    /// How long the link works.
    pub hours: i64,
    /// What a credential notice is about, in the mail's language ("a passkey named …").
    pub what: &'a str,
}

#[derive(Template)]
#[template(path = "mail/body.txt")]
struct Text<'a> {
    kind: Kind,
    id: bool,
    name: &'a str,
    address: &'a str,
    link: &'a str,
    hours: i64,
    what: &'a str,
}

#[derive(Template)]
#[template(path = "mail/body.html")]
struct Html<'a> {
    kind: Kind,
    id: bool,
    subject: &'a str,
    name: &'a str,
    address: &'a str,
    link: Option<&'a str>,
    hours: i64,
    what: &'a str,
}

fn subject(kind: Kind, locale: Locale) -> &'static str {
    use Locale::{En, Id};
    match (kind, locale) {
        (Kind::Verify, En) => "Confirm your email address",
        (Kind::Verify, Id) => "Konfirmasi alamat email Anda",
        (Kind::Reset, En) => "Reset your password",
        (Kind::Reset, Id) => "Atur ulang kata sandi Anda",
        (Kind::ChangeConfirm, En) => "Confirm your new email address",
        (Kind::ChangeConfirm, Id) => "Konfirmasi alamat email baru Anda",
        (Kind::ChangeNotice, En) => "Your email address is being changed",
        (Kind::ChangeNotice, Id) => "Alamat email Anda sedang diubah",
        (Kind::CredentialAdded, En) => "A sign-in method was added to your account",
        (Kind::CredentialAdded, Id) => "Metode masuk ditambahkan ke akun Anda",
        (Kind::CredentialRemoved, En) => "A sign-in method was removed from your account",
        (Kind::CredentialRemoved, Id) => "Metode masuk dihapus dari akun Anda",
    }
}

impl Content<'_> {
    /// Both parts of the mail to `to`.
    pub(crate) fn render(&self, to: &str) -> Result<Rendered, askama::Error> {
        let id = self.locale == Locale::Id;
        let subject = subject(self.kind, self.locale);
        let text = Text {
            kind: self.kind,
            id,
            name: self.name,
            address: self.address,
            link: self.link.unwrap_or_default(),
            hours: self.hours,
            what: self.what,
        }
        .render()?;
        let html = Html {
            kind: self.kind,
            id,
            subject,
            name: self.name,
            address: self.address,
            link: self.link,
            hours: self.hours,
            what: self.what,
        }
        .render()?;
        Ok(Rendered { to: to.to_owned(), subject: subject.to_owned(), text, html, locale: self.locale })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(kind: Kind, locale: Locale, link: Option<&'static str>) -> Content<'static> {
        Content {
            kind,
            locale,
            name: "Ana <b>",
            address: "ana@example.com",
            link,
            hours: 24,
            what: "A passkey named \"Key <1>\"",
        }
    }

    #[test]
    fn every_kind_renders_in_both_languages_with_its_link() {
        let link = Some("https://app.example.com/verify-email?token=abc");
        for kind in [Kind::Verify, Kind::Reset, Kind::ChangeConfirm] {
            for locale in [Locale::En, Locale::Id] {
                let m = content(kind, locale, link).render("ana@example.com").unwrap();
                assert!(m.text.contains("https://app.example.com/verify-email?token=abc"), "{kind:?} {locale:?}");
                assert!(m.html.contains("href=\"https://app.example.com/verify-email?token=abc\""), "{}", m.html);
                assert!(m.text.starts_with(if locale == Locale::Id { "Halo" } else { "Hello" }), "{}", m.text);
            }
        }
        let notice = content(Kind::ChangeNotice, Locale::En, None).render("old@example.com").unwrap();
        assert!(!notice.text.contains("http") && !notice.html.contains("href"), "{}", notice.text);
    }

    #[test]
    fn credential_notices_say_what_changed_and_carry_no_link() {
        for (kind, en, id) in [
            (Kind::CredentialAdded, "was added to your account", "ditambahkan ke akun Anda"),
            (Kind::CredentialRemoved, "was removed from your account", "dihapus dari akun Anda"),
        ] {
            for (locale, said) in [(Locale::En, en), (Locale::Id, id)] {
                let m = content(kind, locale, None).render("ana@example.com").unwrap();
                assert!(m.text.contains(said), "{kind:?} {locale:?}: {}", m.text);
                assert!(m.text.contains("A passkey named \"Key <1>\""), "{}", m.text);
                assert!(m.html.contains("Key &#60;1&#62;") || m.html.contains("Key &lt;1&gt;"), "{}", m.html);
                assert!(!m.text.contains("http") && !m.html.contains("href"), "{}", m.text);
            }
        }
    }

    #[test]
    fn names_are_escaped_in_html_only() {
        let m = content(Kind::Verify, Locale::En, Some("https://x.test/verify-email?token=t")).render("a@b.c").unwrap();
        assert!(m.text.contains("Hello Ana <b>,"));
        assert!(m.html.contains("Hello Ana &#60;b&#62;,") || m.html.contains("Hello Ana &lt;b&gt;,"), "{}", m.html);
    }
}
