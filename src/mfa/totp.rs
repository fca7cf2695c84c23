//! RFC 6238 codes (SHA-1, 6 digits, 30 s steps, one step of skew either way), with
//! `totp-rs`; the QR code an authenticator app scans.

use chrono::{DateTime, Utc};
use qrcode::QrCode;
use qrcode::render::svg;
use rand_core::{OsRng, RngCore as _};
use totp_rs::{Builder, Secret, Totp};

/// A new secret: 160 random bits (RFC 4226's recommendation), base32.
pub(crate) fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    OsRng.fill_bytes(&mut bytes);
    Secret::from(bytes).to_base32()
}

fn totp(secret: &str, issuer: &str, account: &str) -> Result<Totp, String> {
    let secret = Secret::try_from_base32(secret).map_err(|e| format!("stored TOTP secret: {e:?}"))?;
    Builder::new()
        .with_secret(secret)
        .with_issuer(Some(issuer))
        .with_account_name(account)
        .build()
        .map_err(|e| format!("TOTP parameters: {e:?}"))
}

/// The `otpauth://` URI and its QR code (SVG) for an authenticator app.
pub(crate) fn provisioning(secret: &str, issuer: &str, account: &str) -> Result<(String, String), String> {
    let uri = totp(secret, issuer, account)?.to_url().map_err(|e| format!("otpauth URI: {e:?}"))?;
    let svg = QrCode::new(uri.as_bytes())
        .map_err(|e| format!("QR code: {e}"))?
        .render::<svg::Color<'_>>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    Ok((uri, svg))
}

/// The time step `code` is valid for at `now`, if it is valid (the step before and after
/// count too: clocks drift and people type slowly).
pub(crate) fn step_of(secret: &str, code: &str, now: DateTime<Utc>) -> Result<Option<i64>, String> {
    let Ok(seconds) = u64::try_from(now.timestamp()) else { return Ok(None) };
    let totp = totp(secret, "gerbang", "user")?;
    Ok(totp.check(code.trim(), seconds).and_then(|step| i64::try_from(step).ok()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_6238_sha1_test_vector() {
        // RFC 6238 appendix B: secret "12345678901234567890", T = 59 s → 94287082 (8 digits);
        // its last 6 digits are what a 6-digit authenticator shows.
        let secret = Secret::from(b"12345678901234567890".to_vec()).to_base32();
        let at = DateTime::<Utc>::from_timestamp(59, 0).unwrap();
        assert_eq!(step_of(&secret, "287082", at).unwrap(), Some(1));
        assert_eq!(step_of(&secret, "287083", at).unwrap(), None);
        // One step of skew either way, no more.
        let later = DateTime::<Utc>::from_timestamp(59 + 30, 0).unwrap();
        assert_eq!(step_of(&secret, "287082", later).unwrap(), Some(1));
        let too_late = DateTime::<Utc>::from_timestamp(59 + 60, 0).unwrap();
        assert_eq!(step_of(&secret, "287082", too_late).unwrap(), None);
    }

    #[test]
    fn provisioning_gives_an_otpauth_uri_and_an_svg() {
        let (uri, svg) = provisioning(&new_secret(), "gerbang", "ana@example.com").unwrap();
        assert!(uri.starts_with("otpauth://totp/gerbang:ana%40example.com?secret="), "{uri}");
        assert!(svg.contains("<svg") && svg.contains("</svg>"));
    }
}
