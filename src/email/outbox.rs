//! The outbox: a mail is a row written in the transaction that made its reason (a token),
//! and a worker in every instance sends what is due, with retries and back-off. Nothing is
//! sent inside a request, and nothing is lost while the SMTP server is away.
//!
//! Claiming is what keeps instances from sending one mail twice: a worker marks a batch
//! `claimed_until` a lease in one transaction (`FOR UPDATE SKIP LOCKED` on PostgreSQL and
//! MariaDB, so workers take different rows without waiting; SQLite has one writer), then
//! sends outside any transaction and deletes each row the SMTP server accepted. A worker
//! that dies mid-batch leaves its claims to expire; those mails are sent again by another,
//! which is the one case of a duplicate (at least once, never none).

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, bail};
use chrono::{DateTime, Utc};
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport as _, Message, Tokio1Executor};
use sea_orm::sea_query::{Expr, ExprTrait as _, LockBehavior, LockType};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    Set,
};
use secrecy::ExposeSecret as _;
use tokio::sync::Notify;
use uuid::Uuid;

use super::mail::Rendered;
use crate::config::Config;
use crate::db::entities::mail;
use crate::state::AppState;

/// Mails one claim takes.
const BATCH: u64 = 20;
/// How long a claimed mail is left to its worker (well over the SMTP timeout).
const LEASE: Duration = Duration::from_secs(120);
/// How long one SMTP exchange may take.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);
/// How often a worker looks for mails it was not told about: left by a worker that died,
/// or due for a retry another instance scheduled.
const SWEEP: Duration = Duration::from_secs(60);
/// The shortest wait before looking again for a mail that is due but was locked by another
/// worker's claim (which ends within milliseconds).
const LOOK_AGAIN: Duration = Duration::from_millis(200);
/// A mail not sent within a day is dropped: every link in it has expired by then.
const GIVE_UP_AFTER: Duration = Duration::from_secs(24 * 3600);

/// Where mails go.
enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// No SMTP server configured: each mail is written to the log (the quick start).
    Log,
}

/// This instance's sender: the transport, the From address, and the worker's doorbell.
pub(crate) struct Outbox {
    transport: Transport,
    from: Mailbox,
    wake: Notify,
}

impl std::fmt::Debug for Outbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let transport = match self.transport {
            Transport::Smtp(_) => "smtp",
            Transport::Log => "log",
        };
        f.debug_struct("Outbox").field("transport", &transport).field("from", &self.from.to_string()).finish()
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

impl Outbox {
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

    async fn send(&self, m: &mail::Model) -> Result<(), Failure> {
        let Transport::Smtp(smtp) = &self.transport else {
            tracing::info!(
                to = %m.recipient,
                subject = %m.subject,
                text = %m.text_body,
                "mail not sent (GERBANG_SMTP_URL is not set); its text follows"
            );
            return Ok(());
        };
        let to: Mailbox = m.recipient.parse().map_err(|e| Failure::Permanent(format!("recipient: {e}")))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(m.subject.clone())
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("Content-Language"),
                m.content_language.clone(),
            ))
            .multipart(MultiPart::alternative_plain_html(m.text_body.clone(), m.html_body.clone()))
            .map_err(|e| Failure::Permanent(format!("building the message: {e}")))?;
        smtp.send(message).await.map(|_| ()).map_err(|e| {
            let text = e.to_string();
            if e.is_permanent() { Failure::Permanent(text) } else { Failure::Transient(text) }
        })
    }
}

enum Failure {
    /// Try again later (connection refused, a 4xx answer, a timeout).
    Transient(String),
    /// Retrying cannot help (a 5xx answer, an address lettre refuses).
    Permanent(String),
}

/// Queues a mail in the caller's transaction: it exists if and only if that commits. Call
/// `Outbox::wake` after the commit.
pub(crate) async fn enqueue(txn: &impl ConnectionTrait, m: Rendered, now: DateTime<Utc>) -> crate::error::Result<()> {
    mail::ActiveModel {
        id: Set(Uuid::now_v7()),
        recipient: Set(m.to),
        subject: Set(m.subject),
        text_body: Set(m.text),
        html_body: Set(m.html),
        content_language: Set(m.locale.as_str().to_owned()),
        created_at: Set(now),
        next_attempt_at: Set(now),
        attempts: Set(0),
        claimed_until: Set(None),
        last_error: Set(None),
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// Back-off after the n-th failed attempt: 2 s, 4 s, 8 s… at most ten minutes.
fn backoff(attempts: i32) -> Duration {
    let exp = u32::try_from(attempts.clamp(1, 20) - 1).unwrap_or(0);
    Duration::from_secs(2u64.saturating_mul(1 << exp)).min(Duration::from_secs(600))
}

/// Claims up to `BATCH` due mails for this worker.
async fn claim(state: &AppState, now: DateTime<Utc>) -> Result<Vec<mail::Model>, sea_orm::DbErr> {
    let txn = state.db.begin_write().await?;
    let due = mail::Entity::find()
        .filter(mail::Column::NextAttemptAt.lte(now))
        .filter(unclaimed(now))
        .order_by_asc(mail::Column::NextAttemptAt)
        .limit(BATCH)
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .all(&*txn)
        .await?;
    if due.is_empty() {
        txn.commit().await?;
        return Ok(due);
    }
    let until = now + LEASE;
    mail::Entity::update_many()
        .col_expr(mail::Column::ClaimedUntil, Expr::value(until))
        .col_expr(mail::Column::Attempts, Expr::col(mail::Column::Attempts).add(1))
        .filter(mail::Column::Id.is_in(due.iter().map(|m| m.id)))
        .exec(&*txn)
        .await?;
    txn.commit().await?;
    Ok(due)
}

/// What became of one attempt, written back to its row.
async fn settle(
    state: &AppState,
    m: &mail::Model,
    result: Result<(), Failure>,
) -> Result<Option<Duration>, sea_orm::DbErr> {
    let now = state.now();
    let attempts = m.attempts + 1;
    let _turn = state.db.write_turn().await;
    let give_up = |why: &str| {
        tracing::error!(id = %m.id, to = %m.recipient, attempts, error = %why, "mail dropped");
        state.metrics.mail("dropped");
    };
    let retry = match result {
        Ok(()) => {
            state.metrics.mail(if state.outbox.logs_only() { "logged" } else { "sent" });
            None
        }
        Err(Failure::Permanent(why)) => {
            give_up(&why);
            None
        }
        Err(Failure::Transient(why))
            if now - m.created_at > chrono::Duration::from_std(GIVE_UP_AFTER).unwrap_or_default() =>
        {
            give_up(&why);
            None
        }
        Err(Failure::Transient(why)) => Some(why),
    };
    let Some(why) = retry else {
        mail::Entity::delete_by_id(m.id).exec(&state.db.conn).await?;
        return Ok(None);
    };
    let wait = backoff(attempts);
    tracing::warn!(id = %m.id, to = %m.recipient, attempts, retry_in = ?wait, error = %why, "mail not sent; will retry");
    let next = now + chrono::Duration::from_std(wait).unwrap_or_default();
    let mut row: mail::ActiveModel = m.clone().into();
    row.attempts = Set(attempts);
    row.next_attempt_at = Set(next);
    row.claimed_until = Set(None);
    row.last_error = Set(Some(why.chars().take(500).collect()));
    row.update(&state.db.conn).await?;
    state.metrics.mail("retry");
    Ok(Some(wait))
}

/// Sends every due mail; returns when to look again, if before the sweep: when this worker's
/// retry is due if the server is failing, else when the first mail it did not take is due.
async fn deliver_due(state: &AppState) -> Result<Option<Duration>, sea_orm::DbErr> {
    let mut retry: Option<Duration> = None;
    while retry.is_none() {
        let batch = claim(state, state.now()).await?;
        if batch.is_empty() {
            break;
        }
        for m in &batch {
            let result = state.outbox.send(m).await;
            if let Some(wait) = settle(state, m, result).await? {
                retry = Some(retry.map_or(wait, |r| r.min(wait)));
            }
        }
    }
    let waiting = mail::Entity::find().count(&state.db.conn).await?;
    state.metrics.set_outbox(waiting);
    if retry.is_some() || waiting == 0 {
        // Nothing left, or a failing server: then the rest of the queue waits for the retry.
        return Ok(retry);
    }
    // A mail this worker did not take may be due before the sweep: a retry another instance
    // scheduled, or one queued while another worker's claim held its row (a claim whose range
    // ends just before a new row locks that row too, and this worker's claim skips locked
    // rows). Look again when the first of them is due.
    let now = state.now();
    let next = mail::Entity::find()
        .filter(unclaimed(now))
        .order_by_asc(mail::Column::NextAttemptAt)
        .one(&state.db.conn)
        .await?;
    Ok(next.map(|m| (m.next_attempt_at - now).to_std().unwrap_or_default().max(LOOK_AGAIN)))
}

/// Not held by a worker: never claimed, or its lease ran out.
fn unclaimed(now: DateTime<Utc>) -> sea_orm::Condition {
    sea_orm::Condition::any().add(mail::Column::ClaimedUntil.is_null()).add(mail::Column::ClaimedUntil.lt(now))
}

/// The worker: sends when woken by a commit, when a retry is due, and every minute for
/// mails other instances left.
pub(crate) async fn run(state: AppState) {
    if state.outbox.logs_only() {
        tracing::warn!("GERBANG_SMTP_URL is not set: mails are written to this log instead of being sent");
    }
    let mut next_look = SWEEP;
    loop {
        tokio::select! {
            () = state.outbox.wake.notified() => {}
            () = tokio::time::sleep(next_look) => {}
        }
        next_look = match deliver_due(&state).await {
            Ok(retry) => retry.map_or(SWEEP, |r| r.min(SWEEP)),
            Err(e) => {
                tracing::warn!(error = %e, "sending mails from the outbox");
                Duration::from_secs(5)
            }
        };
    }
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

    #[test]
    fn back_off_doubles_up_to_ten_minutes() {
        let waits: Vec<u64> = (1..=12).map(|n| backoff(n).as_secs()).collect();
        assert_eq!(waits, [2, 4, 8, 16, 32, 64, 128, 256, 512, 600, 600, 600]);
    }
}
