//! The relying party: which site passkeys belong to and which origins may use them.

use std::sync::Arc;

use webauthn_rs::prelude::{Url, Webauthn, WebauthnBuilder};

use super::CHALLENGE_TTL;
use crate::config::Config;

/// The relying party from GERBANG_WEBAUTHN_RP_ID / GERBANG_WEBAUTHN_ORIGINS, defaulting to
/// GERBANG_APP_URL's host and origin. None (passkeys off, with a warning) when the default
/// would be an IP address, which WebAuthn does not accept as a relying party; an explicit
/// setting that cannot work stops the start-up with one line naming the variable.
pub(crate) fn relying_party(config: &Config) -> anyhow::Result<Option<Arc<Webauthn>>> {
    let app = Url::parse(&config.app_url)?;
    let rp_id = match (&config.webauthn_rp_id, app.domain()) {
        (Some(id), _) => {
            let id = id.trim().trim_end_matches('.').to_ascii_lowercase();
            if id.is_empty() || id.parse::<std::net::IpAddr>().is_ok() || id.contains(['/', ':']) {
                anyhow::bail!("GERBANG_WEBAUTHN_RP_ID: expected a domain such as example.com, got {id:?}");
            }
            id
        }
        (None, Some(domain)) => domain.to_owned(),
        (None, None) => {
            tracing::warn!(
                app_url = %config.app_url,
                "passkeys are off: GERBANG_APP_URL's host is an IP address, which cannot be a WebAuthn relying party; set GERBANG_WEBAUTHN_RP_ID and GERBANG_WEBAUTHN_ORIGINS"
            );
            return Ok(None);
        }
    };
    let within = |origin: &Url| origin.domain().is_some_and(|d| d == rp_id || d.ends_with(&format!(".{rp_id}")));
    let origins: Vec<Url> = if config.webauthn_origins.is_empty() {
        // The console is served by gerbang itself (`/admin`): its origin may use passkeys too,
        // when it is within the relying party id (http://localhost:8000 for the quick start).
        let own = own_origin(config).filter(|own| within(own) && own.origin() != app.origin());
        std::iter::once(app.clone()).chain(own).collect()
    } else {
        config
            .webauthn_origins
            .iter()
            .map(|o| Url::parse(o).map_err(|e| anyhow::anyhow!("GERBANG_WEBAUTHN_ORIGINS: {o:?}: {e}")))
            .collect::<anyhow::Result<_>>()?
    };
    for origin in &origins {
        if !within(origin) {
            anyhow::bail!(
                "GERBANG_WEBAUTHN_ORIGINS: {} is not within the relying party id {rp_id:?} (GERBANG_WEBAUTHN_RP_ID)",
                origin.origin().ascii_serialization()
            );
        }
    }
    let mut builder = WebauthnBuilder::new(&rp_id, &origins[0])
        .map_err(|e| anyhow::anyhow!("GERBANG_WEBAUTHN_ORIGINS: {e}"))?
        .rp_name(&rp_id)
        .timeout(CHALLENGE_TTL);
    for origin in &origins[1..] {
        builder = builder.append_allowed_origin(origin);
    }
    Ok(Some(Arc::new(builder.build().map_err(|e| anyhow::anyhow!("GERBANG_WEBAUTHN_RP_ID: {e}"))?)))
}

/// Where gerbang's own pages are opened: GERBANG_PUBLIC_URL, else `localhost` at the listen
/// port when it listens on a loopback or every address.
fn own_origin(config: &Config) -> Option<Url> {
    if let Some(url) = &config.public_url {
        return Url::parse(url).ok();
    }
    let listen = config.listen;
    let local = listen.ip().is_loopback() || listen.ip().is_unspecified();
    (local && listen.port() != 0).then(|| Url::parse(&format!("http://localhost:{}", listen.port())).ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(app_url: &str, rp_id: Option<&str>, origins: &[&str]) -> Config {
        let mut c = Config::for_database("sqlite::memory:".parse().unwrap());
        c.app_url = app_url.into();
        c.webauthn_rp_id = rp_id.map(Into::into);
        c.webauthn_origins = origins.iter().map(|o| (*o).to_owned()).collect();
        c
    }

    #[test]
    fn the_relying_party_defaults_to_the_app_url() {
        let rp = relying_party(&config("http://localhost:5173", None, &[])).unwrap().unwrap();
        assert_eq!(rp.get_allowed_origins()[0].as_str(), "http://localhost:5173/");
    }

    #[test]
    fn the_console_served_at_localhost_may_use_passkeys_by_default() {
        let mut c = config("http://localhost:5173", None, &[]);
        c.listen = "127.0.0.1:8000".parse().unwrap();
        let rp = relying_party(&c).unwrap().unwrap();
        let origins: Vec<&str> = rp.get_allowed_origins().iter().map(Url::as_str).collect();
        assert_eq!(origins, ["http://localhost:5173/", "http://localhost:8000/"]);
        // A public URL outside the relying party is not added (and does not stop the start).
        c.public_url = Some("https://id.other.test".into());
        let rp = relying_party(&c).unwrap().unwrap();
        assert_eq!(rp.get_allowed_origins().len(), 1);
        // Named origins are taken as they are.
        c.webauthn_origins = vec!["http://localhost:5173".into()];
        c.public_url = None;
        assert_eq!(relying_party(&c).unwrap().unwrap().get_allowed_origins().len(), 1);
    }

    #[test]
    fn an_ip_address_turns_passkeys_off_unless_a_relying_party_is_named() {
        assert!(relying_party(&config("http://127.0.0.1:8080", None, &[])).unwrap().is_none());
        let named = relying_party(&config("http://127.0.0.1:8080", Some("example.com"), &["https://app.example.com"]));
        assert!(named.unwrap().is_some());
    }

    #[test]
    fn settings_that_cannot_work_name_their_variable() {
        let outside = relying_party(&config("https://app.example.com", Some("example.com"), &["https://evil.test"]));
        assert!(outside.unwrap_err().to_string().starts_with("GERBANG_WEBAUTHN_ORIGINS"));
        let ip = relying_party(&config("https://app.example.com", Some("10.0.0.1"), &[]));
        assert!(ip.unwrap_err().to_string().starts_with("GERBANG_WEBAUTHN_RP_ID"));
        // A parent domain is a valid relying party for an app on a subdomain.
        assert!(relying_party(&config("https://app.example.com", Some("example.com"), &[])).unwrap().is_some());
    }
}
