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

use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait as _, LockBehavior, LockType};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    Set,
};
use uuid::Uuid;

use super::mail::Rendered;
use crate::db::entities::mail;
use crate::mailer::SendFailure;
use crate::state::AppState;

/// Mails one claim takes.
const BATCH: u64 = 20;
/// How long a claimed mail is left to its worker (well over the SMTP timeout).
const LEASE: Duration = Duration::from_secs(120);
/// How often a worker looks for mails it was not told about: left by a worker that died,
/// or due for a retry another instance scheduled.
const SWEEP: Duration = Duration::from_secs(60);
/// The shortest wait before looking again for a mail that is due but was locked by another
/// worker's claim (which ends within milliseconds).
const LOOK_AGAIN: Duration = Duration::from_millis(200);
/// A mail not sent within a day is dropped: every link in it has expired by then.
const GIVE_UP_AFTER: Duration = Duration::from_secs(24 * 3600);

/// Queues a mail in the caller's transaction: it exists if and only if that commits. Call
/// `Mailer::wake` (`state.outbox.wake()`) after the commit.
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
    result: Result<(), SendFailure>,
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
        Err(SendFailure::Permanent(why)) => {
            give_up(&why);
            None
        }
        Err(SendFailure::Transient(why))
            if now - m.created_at > chrono::Duration::from_std(GIVE_UP_AFTER).unwrap_or_default() =>
        {
            give_up(&why);
            None
        }
        Err(SendFailure::Transient(why)) => Some(why),
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
            () = state.outbox.rung() => {}
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
    fn back_off_doubles_up_to_ten_minutes() {
        let waits: Vec<u64> = (1..=12).map(|n| backoff(n).as_secs()).collect();
        assert_eq!(waits, [2, 4, 8, 16, 32, 64, 128, 256, 512, 600, 600, 600]);
    }
}
