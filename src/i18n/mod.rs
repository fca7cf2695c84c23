//! English and Indonesian messages, chosen per request from `Accept-Language`
//! (shared/API.md, Errors). Codes never change with the language; only `message` does.

mod messages;

pub use messages::Message;

/// The languages gerbang answers in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Locale {
    /// English, the default.
    #[default]
    En,
    /// Bahasa Indonesia.
    Id,
}

impl Locale {
    /// Its tag: "en" or "id".
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Id => "id",
        }
    }

    /// "en" or "id", in any case.
    pub(crate) fn parse(tag: &str) -> Result<Self, Message> {
        match tag.trim().to_ascii_lowercase().as_str() {
            "en" => Ok(Self::En),
            "id" => Ok(Self::Id),
            _ => Err(Message::InvalidLocale),
        }
    }

    /// Picks the supported language the client prefers most (RFC 9110 §12.5.4 q-values);
    /// English when the header is missing, malformed or names nothing we speak.
    pub(crate) fn from_accept_language(header: Option<&str>) -> Self {
        let Some(header) = header else { return Self::En };
        let mut best: Option<(f32, Locale)> = None;
        for item in header.split(',') {
            let mut parts = item.trim().split(';');
            let tag = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok()))
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or_default();
            let locale = match primary {
                "id" | "in" => Locale::Id,
                "en" => Locale::En,
                _ => continue,
            };
            if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, locale));
            }
        }
        best.map_or(Self::En, |(_, l)| l)
    }
}

#[cfg(test)]
mod tests {
    use super::Locale;

    #[test]
    fn accept_language_picks_the_preferred_supported_language() {
        let cases = [
            (None, Locale::En),
            (Some("id"), Locale::Id),
            (Some("id-ID,id;q=0.9,en;q=0.8"), Locale::Id),
            (Some("en-US,en;q=0.9,id;q=0.8"), Locale::En),
            (Some("fr-FR, id;q=0.5"), Locale::Id),
            (Some("fr-FR"), Locale::En),
            (Some("id;q=0"), Locale::En),
            (Some(";;;,,garbage"), Locale::En),
        ];
        for (header, expected) in cases {
            assert_eq!(Locale::from_accept_language(header), expected, "{header:?}");
        }
    }
}
