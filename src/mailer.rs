//! This instance's mailer: the SMTP transport (or the log), the From address, and the
//! outbox worker's doorbell. `AppState` holds it; the outbox worker (`email::outbox`) uses it
//! to send what is due, and a service that commits a mail rings it.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, bail};
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport as _, Message, Tokio1Executor};
use secrecy::ExposeSecret as _;
use tokio::sync::Notify;

use crate::config::Config;
use crate::db::entities::mail;

/// How long one SMTP exchange may take.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// Where mails go.
enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// No SMTP server configured: each mail is written to the log (the quick start).
    Log,
}

/// This instance's sender: the transport, the From address, and the worker's doorbell.
pub(crate) struct Mailer {
    transport: Transport,
    from: Mailbox,
    wake: Notify,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let transport = match self.transport {
            Transport::Smtp(_) => "smtp",
            Transport::Log => "log",
        };
        f.debug_struct("Mailer").field("transport", &transport).field("from", &self.from.to_string()).finish()
    }
}

/// Whether an SMTP URL's host is this machine. For a scheme the URL standard does not
/// know (`smtp`), the host comes as text, IP addresses included.
fn is_loopback(host: Option<&str>) -> bool {
    let Some(host) = host else { return false };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost") || bare.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// An SMTP transport from `GERBANG_SMTP_URL` (lettre's URL form), refusing plaintext to
/// anything but loopback unless it is allowed: mails carry sign-in links, and the URL a
/// password.
fn smtp_transport(url: &str, allow_plaintext: bool) -> anyhow::Result<AsyncSmtpTransport<Tokio1Executor>> {
    // The parser's message never quotes the URL (which may hold a password).
    let parsed = url::Url::parse(url).context("GERBANG_SMTP_URL is not a URL")?;
    let tls = parsed.query_pairs().find(|(k, _)| k == "tls").map(|(_, v)| v.into_owned());
    let encrypted = match (parsed.scheme(), tls.as_deref()) {
        ("smtps", None) | ("smtp", Some("required")) => true,
        ("smtp", None | Some("opportunistic")) => false,
        _ => bail!(
            "GERBANG_SMTP_URL: expected smtps://user:pass@host:465, smtp://user:pass@host:587?tls=required or smtp://host:25"
        ),
    };
    if !encrypted && !allow_plaintext && !is_loopback(parsed.host_str()) {
        bail!(
            "GERBANG_SMTP_URL: plaintext SMTP to {} would expose mails and credentials; use smtps:// or ?tls=required, or set GERBANG_SMTP_ALLOW_PLAINTEXT=true for a relay on a private network",
            parsed.host_str().unwrap_or_default()
        );
    }
    Ok(AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
        .context("GERBANG_SMTP_URL is not an SMTP URL lettre accepts")?
        .timeout(Some(SMTP_TIMEOUT))
        .build())
}

impl Mailer {
    /// The sender the configuration describes; an error names the variable at fault.
    pub(crate) fn from_config(config: &Config) -> anyhow::Result<Arc<Self>> {
        let from: Mailbox = config
            .mail_from
            .parse()
            .map_err(|e| anyhow::anyhow!("GERBANG_MAIL_FROM: {e} (expected e.g. Example <no-reply@example.com>)"))?;
        let transport = match &config.smtp_url {
            Some(url) => Transport::Smtp(smtp_transport(url.expose_secret(), config.smtp_allow_plaintext)?),
            None => Transport::Log,
        };
        Ok(Arc::new(Self { transport, from, wake: Notify::new() }))
    }

    /// Whether mails go to the log rather than to an SMTP server.
    pub(crate) fn logs_only(&self) -> bool {
        matches!(self.transport, Transport::Log)
    }

    /// Tells this instance's worker that a mail was committed.
    pub(crate) fn wake(&self) {
        self.wake.notify_one();
    }

    /// Resolves when `wake` was called (at once if it was since the last time).
    pub(crate) async fn rung(&self) {
        self.wake.notified().await;
    }

    /// Hands one mail to the SMTP server (or the log).
    pub(crate) async fn send(&self, m: &mail::Model) -> Result<(), SendFailure> {
        let Transport::Smtp(smtp) = &self.transport else {
            tracing::info!(
                to = %m.recipient,
                subject = %m.subject,
                text = %m.text_body,
                "mail not sent (GERBANG_SMTP_URL is not set); its text follows"
            );
            return Ok(());
        };
        let to: Mailbox = m.recipient.parse().map_err(|e| SendFailure::Permanent(format!("recipient: {e}")))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(m.subject.clone())
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("Content-Language"),
                m.content_language.clone(),
            ))
            .multipart(MultiPart::alternative_plain_html(m.text_body.clone(), m.html_body.clone()))
            .map_err(|e| SendFailure::Permanent(format!("building the message: {e}")))?;
        smtp.send(message).await.map(|_| ()).map_err(|e| {
            let text = e.to_string();
            if e.is_permanent() { SendFailure::Permanent(text) } else { SendFailure::Transient(text) }
        })
    }
}

pub(crate) enum SendFailure {
    /// Try again later (connection refused, a 4xx answer, a timeout).
    Transient(String),
    /// Retrying cannot help (a 5xx answer, an address lettre refuses).
    Permanent(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plaintext_smtp_is_refused_unless_loopback_or_allowed() {
        for ok in [
            "smtps://u:p@smtp.example.com:465",
            "smtp://u:p@smtp.example.com:587?tls=required",
            "smtp://127.0.0.1:25",
            "smtp://localhost:2525",
            "smtp://[::1]:25",
        ] {
            assert!(smtp_transport(ok, false).is_ok(), "{ok}");
        }
        for refused in ["smtp://smtp.example.com:25", "smtp://u:p@10.0.0.5:25?tls=opportunistic"] {
            let err = smtp_transport(refused, false).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(err.starts_with("GERBANG_SMTP_URL: plaintext"), "{refused}: {err}");
            assert!(!err.contains(":p@"), "the password stays out of the message: {err}");
            assert!(smtp_transport(refused, true).is_ok(), "{refused} with GERBANG_SMTP_ALLOW_PLAINTEXT");
        }
        for bad in ["http://smtp.example.com", "smtp://h:25?tls=sometimes", "not a url"] {
            let err = smtp_transport(bad, true).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(err.starts_with("GERBANG_SMTP_URL"), "{bad}: {err}");
        }
    }
}
