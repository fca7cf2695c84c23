//! Brute-force defence.
//!
//! Failed sign-ins are counted in the database (so the lock holds across instances and
//! restarts), per account, and per identifier when no account has it: an unknown email is
//! throttled exactly like a known one, so the lockout tells nobody which accounts exist.
//! Counters are named by a keyed hash; the table never says who tried.
//!
//! An attempt is *claimed* before its password is checked, by one conditional `UPDATE`
//! that refuses once the failures so far plus the attempts in flight reach the threshold;
//! it is *settled* afterwards. So fifty wrong passwords sent at the same moment get
//! `threshold` checks, not fifty. Past the threshold the counter is locked for an
//! exponentially growing time, then admits one attempt at a time. A per-address rate limit
//! (per instance; IPv6 clients by /64) slows down spraying across many accounts.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use sea_orm::sea_query::{Expr, ExprTrait as _, SimpleExpr};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set, SqlErr};
use uuid::Uuid;

use super::secrets::Key;
use crate::db::Db;
use crate::db::entities::login_throttle::{self, Column};
use crate::error::{AppError, Result};

/// When and for how long counters are locked.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LockoutPolicy {
    /// Failures allowed before the first lock.
    pub threshold: u32,
    /// The first lock's length; each further failure doubles it.
    pub base: Duration,
    /// The longest lock.
    pub cap: Duration,
}

impl LockoutPolicy {
    /// How long the counter is locked after `failures` consecutive failures.
    pub(crate) fn lock_for(&self, failures: u32) -> Option<Duration> {
        let over = failures.checked_sub(self.threshold)?;
        let factor = 2u32.saturating_pow(Ord::min(over, 30));
        Some(self.base.saturating_mul(factor).min(self.cap))
    }
}

/// A claim older than this belongs to a request that died before settling it (a crash);
/// it no longer counts as in flight. Longer than any sign-in takes.
const STALE_CLAIM: Duration = Duration::from_secs(120);

/// Counters untouched for this long are forgotten.
const FORGET_AFTER: Duration = Duration::from_secs(24 * 3600);

/// What a counter counts.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Counted<'a> {
    /// An account, whichever of its identifiers was typed.
    Account(Uuid),
    /// An identifier no account has, normalised (trimmed, lower-cased).
    Identifier(&'a str),
}

/// The sign-in counters of one deployment.
#[derive(Debug, Clone)]
pub(crate) struct Throttle {
    key: Key,
    policy: LockoutPolicy,
}

fn chrono(d: Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
}

/// A claimed attempt; settle it with [`Throttle::succeeded`] or [`Throttle::failed`]. One
/// dropped unsettled (its request was cancelled) is released without counting a failure.
#[must_use = "settle the attempt"]
pub(crate) struct Attempt {
    key: String,
    db: Option<Db>,
}

impl Attempt {
    /// The attempt was settled in a transaction that committed: nothing to release.
    pub(crate) fn settled(mut self) {
        self.db = None;
    }
}

impl Drop for Attempt {
    fn drop(&mut self) {
        if let Some(db) = self.db.take() {
            let key = std::mem::take(&mut self.key);
            tokio::spawn(async move {
                if let Err(e) = release(&db, &key).await {
                    tracing::warn!(error = %e, "releasing a cancelled sign-in attempt");
                }
            });
        }
    }
}

/// `in_flight`, not counting a claim that went stale.
fn live_in_flight(stale_before: DateTime<Utc>) -> SimpleExpr {
    Expr::case(Expr::col(Column::ClaimedAt).is_null().or(Expr::col(Column::ClaimedAt).lt(stale_before)), Expr::val(0))
        .finally(Expr::col(Column::InFlight))
        .into()
}

/// Takes one attempt off the counter's attempts in flight.
async fn release(db: &Db, key: &str) -> Result<()> {
    let _turn = db.write_turn().await;
    login_throttle::Entity::update_many()
        .col_expr(
            Column::InFlight,
            Expr::case(Expr::col(Column::InFlight).gt(0), Expr::col(Column::InFlight).sub(1))
                .finally(Expr::val(0))
                .into(),
        )
        .filter(Column::Key.eq(key))
        .exec(&db.conn)
        .await?;
    Ok(())
}

impl Throttle {
    /// Counters named with `key`, locked by `policy`.
    pub(crate) fn new(key: Key, policy: LockoutPolicy) -> Self {
        Self { key, policy }
    }

    fn row_key(&self, counted: Counted<'_>) -> String {
        let mac = match counted {
            Counted::Account(id) => self.key.mac(&[b"account", id.as_bytes()]),
            Counted::Identifier(ident) => self.key.mac(&[b"identifier", ident.as_bytes()]),
        };
        hex::encode(mac)
    }

    /// Claims one attempt, or says how long to wait (TOO_MANY_REQUESTS).
    pub(crate) async fn claim(&self, db: &Db, counted: Counted<'_>, now: DateTime<Utc>) -> Result<Attempt> {
        let key = self.row_key(counted);
        // A failed claim is read back to learn why: no counter yet (make one), one that a
        // concurrent attempt made or released meanwhile (try again), or a real refusal.
        for _ in 0..3 {
            if self.try_claim(db, &key, now).await? {
                return Ok(Attempt { key, db: Some(db.clone()) });
            }
            let Some(row) = login_throttle::Entity::find_by_id(key.clone()).one(&db.conn).await? else {
                create(db, &key, now).await?;
                continue;
            };
            if let Some(until) = row.locked_until.filter(|until| *until > now) {
                let retry_after = (until - now).to_std().unwrap_or(Duration::from_secs(1));
                return Err(AppError::TooManyRequests { retry_after });
            }
            let in_flight =
                if row.claimed_at.is_some_and(|at| at >= now - chrono(STALE_CLAIM)) { row.in_flight } else { 0 };
            let room =
                i64::from(in_flight) + i64::from(row.failures) < i64::from(self.policy.threshold) || in_flight == 0;
            if !room {
                // Not locked: the threshold is taken by attempts still being checked.
                return Err(AppError::TooManyRequests { retry_after: Duration::from_secs(1) });
            }
        }
        Err(AppError::TooManyRequests { retry_after: Duration::from_secs(1) })
    }

    /// One statement: takes an attempt unless the counter is locked, or its failures plus
    /// the attempts in flight have reached the threshold (past it, one at a time).
    async fn try_claim(&self, db: &Db, key: &str, now: DateTime<Utc>) -> Result<bool> {
        let stale_before = now - chrono(STALE_CLAIM);
        let in_flight = live_in_flight(stale_before);
        let threshold = i64::from(self.policy.threshold);
        let _turn = db.write_turn().await;
        let claimed = login_throttle::Entity::update_many()
            // MySQL assigns left to right: `in_flight` is computed from the old `claimed_at`.
            .col_expr(Column::InFlight, in_flight.clone().add(1))
            .col_expr(Column::ClaimedAt, Expr::value(now))
            .col_expr(Column::UpdatedAt, Expr::value(now))
            .filter(Column::Key.eq(key))
            .filter(Column::LockedUntil.is_null().or(Column::LockedUntil.lte(now)))
            .filter(in_flight.clone().add(Expr::col(Column::Failures)).lt(threshold).or(in_flight.eq(0)))
            .exec(&db.conn)
            .await?
            .rows_affected;
        Ok(claimed == 1)
    }

    /// The password was right: the failures are forgotten.
    pub(crate) async fn succeeded(&self, db: &Db, attempt: Attempt, now: DateTime<Utc>) -> Result<()> {
        let _turn = db.write_turn().await;
        self.succeeded_in(&db.conn, &attempt, now).await?;
        attempt.settled();
        Ok(())
    }

    /// Gives an attempt back without counting it either way (the password was right and a
    /// second factor decides), before answering: a release left to `Drop` would land
    /// after the client's next attempt is claimed, which would count it as still in flight.
    pub(crate) async fn release(&self, db: &Db, attempt: Attempt) -> Result<()> {
        release(db, &attempt.key).await?;
        attempt.settled();
        Ok(())
    }

    /// As `succeeded`, inside the caller's writing transaction (a sign-in settles its attempt
    /// with the session it opens: one transaction, fewer round trips). Call
    /// [`Attempt::settled`] once it commits; dropped instead, the attempt is released.
    pub(crate) async fn succeeded_in(
        &self,
        txn: &impl ConnectionTrait,
        attempt: &Attempt,
        now: DateTime<Utc>,
    ) -> Result<()> {
        login_throttle::Entity::update_many()
            .col_expr(Column::Failures, Expr::value(0))
            .col_expr(Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
            .col_expr(
                Column::InFlight,
                Expr::case(Expr::col(Column::InFlight).gt(0), Expr::col(Column::InFlight).sub(1))
                    .finally(Expr::val(0))
                    .into(),
            )
            .col_expr(Column::UpdatedAt, Expr::value(now))
            .filter(Column::Key.eq(attempt.key.as_str()))
            .exec(txn)
            .await?;
        Ok(())
    }

    /// The password was wrong, inside the caller's writing transaction (which records the
    /// failure in the audit log): in one statement, one more failure, the attempt no longer
    /// in flight, and the lock the policy says for the new count. Done in steps, the counter
    /// would for a moment either count the attempt twice (refusing guesses the threshold
    /// still allows) or read "threshold reached, nothing in flight, not locked" (admitting
    /// one guess too many). Returns the lock this failure set, if it set one. Call
    /// [`Attempt::settled`] once the transaction commits.
    pub(crate) async fn failed_in(
        &self,
        txn: &impl ConnectionTrait,
        attempt: &Attempt,
        now: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>> {
        login_throttle::Entity::update_many()
            // MySQL assigns left to right: every expression here reads the old `failures`.
            .col_expr(Column::LockedUntil, self.lock_after_failure(now))
            .col_expr(
                Column::InFlight,
                Expr::case(Expr::col(Column::InFlight).gt(0), Expr::col(Column::InFlight).sub(1))
                    .finally(Expr::val(0))
                    .into(),
            )
            .col_expr(Column::Failures, Expr::col(Column::Failures).add(1))
            .col_expr(Column::UpdatedAt, Expr::value(now))
            .filter(Column::Key.eq(attempt.key.as_str()))
            .exec(txn)
            .await?;
        let row = login_throttle::Entity::find_by_id(attempt.key.clone()).one(txn).await?;
        Ok(row.and_then(|r| r.locked_until).filter(|until| *until > now))
    }

    /// `locked_until` once one more failure is counted: the policy's lock for each count
    /// from the threshold up to where the cap is reached, as one `CASE`.
    fn lock_after_failure(&self, now: DateTime<Utc>) -> SimpleExpr {
        let threshold = i64::from(self.policy.threshold);
        let next = Expr::col(Column::Failures).add(1);
        let mut over = 0u32;
        let mut steps = Vec::new();
        while let Some(lock) = self.policy.lock_for(self.policy.threshold.saturating_add(over)) {
            steps.push((threshold + i64::from(over), now + chrono(lock)));
            if lock >= self.policy.cap || over >= 31 {
                break;
            }
            over += 1;
        }
        let Some(((last_n, last_until), rest)) = steps.split_last() else {
            return Expr::col(Column::LockedUntil);
        };
        let mut case = Expr::case(next.clone().gte(*last_n), Expr::val(*last_until));
        for (n, until) in rest.iter().rev() {
            case = case.case(next.clone().eq(*n), Expr::val(*until));
        }
        case.finally(Expr::col(Column::LockedUntil)).into()
    }

    /// Lifts an account's lock and forgets its failures (a password set by an administrator
    /// or reset by email), inside the caller's transaction.
    pub(crate) async fn lift(&self, db: &impl ConnectionTrait, account: Uuid) -> Result<()> {
        login_throttle::Entity::delete_by_id(self.row_key(Counted::Account(account))).exec(db).await?;
        Ok(())
    }
}

/// Creates a counter; one made meanwhile by a concurrent attempt is just as good.
async fn create(db: &Db, key: &str, now: DateTime<Utc>) -> Result<()> {
    let _turn = db.write_turn().await;
    let inserted = login_throttle::ActiveModel {
        key: Set(key.to_owned()),
        failures: Set(0),
        in_flight: Set(0),
        claimed_at: Set(None),
        locked_until: Set(None),
        updated_at: Set(now),
    }
    .insert(&db.conn)
    .await;
    match inserted {
        Ok(_) => Ok(()),
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// Forgets counters nobody has touched for a day, a few hundred rows at a time so no
/// statement holds a lock for long. Returns how many went.
pub async fn prune(db: &Db, now: DateTime<Utc>) -> Result<u64> {
    let cutoff = now - chrono(FORGET_AFTER);
    let mut total = 0;
    loop {
        let keys: Vec<String> = login_throttle::Entity::find()
            .filter(Column::UpdatedAt.lt(cutoff))
            .filter(Column::LockedUntil.is_null().or(Column::LockedUntil.lt(now)))
            .limit(500)
            .all(&db.conn)
            .await?
            .into_iter()
            .map(|r| r.key)
            .collect();
        if keys.is_empty() {
            return Ok(total);
        }
        let _turn = db.write_turn().await;
        total +=
            login_throttle::Entity::delete_many().filter(Column::Key.is_in(keys)).exec(&db.conn).await?.rows_affected;
    }
}

/// A limit on attempts per client address.
#[derive(Clone)]
pub(crate) struct IpLimiter(Arc<DefaultKeyedRateLimiter<IpAddr>>);

impl std::fmt::Debug for IpLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IpLimiter")
    }
}

/// The address a limit counts: an IPv6 client is its /64, the smallest block one
/// subscriber is usually given, so walking through its addresses buys nothing.
fn limited_address(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => IpAddr::V6((u128::from(v6) & !u128::from(u64::MAX)).into()),
        v4 => v4,
    }
}

impl IpLimiter {
    /// `per_minute` attempts per address, with bursts of as many.
    pub(crate) fn new(per_minute: u32) -> Self {
        let n = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
        Self(Arc::new(RateLimiter::keyed(Quota::per_minute(n))))
    }

    /// `per_hour` attempts per address, with bursts of as many.
    pub(crate) fn per_hour(per_hour: u32) -> Self {
        let n = NonZeroU32::new(per_hour).unwrap_or(NonZeroU32::MIN);
        Self(Arc::new(RateLimiter::keyed(Quota::per_hour(n))))
    }

    /// Takes one attempt for `ip`, or says how long to wait.
    pub(crate) fn check(&self, ip: IpAddr) -> Result<()> {
        self.0.check_key(&limited_address(ip)).map_err(|not_until| AppError::TooManyRequests {
            retry_after: not_until
                .wait_time_from(governor::clock::Clock::now(&governor::clock::DefaultClock::default())),
        })?;
        // Keep the table from growing with every address ever seen.
        if self.0.len() > 10_000 {
            self.0.retain_recent();
        }
        Ok(())
    }
}

/// What a client address is limited on, each with its own budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IpBucket {
    /// Sign-in, registration and the mail links' tokens (`GERBANG_AUTH_RATE_PER_IP` a minute).
    SignIn,
    /// Password-reset mails (`GERBANG_EMAIL_RATE_PER_IP` an hour).
    Mail,
    /// Token introspection (`GERBANG_INTROSPECT_RATE_PER_IP` a minute).
    Introspection,
}

/// The per-address limits of one instance.
#[derive(Clone, Debug)]
pub(crate) struct IpLimits {
    sign_in: IpLimiter,
    mail: IpLimiter,
    introspection: IpLimiter,
}

impl IpLimits {
    /// The limits the configuration sets.
    pub(crate) fn new(config: &crate::config::Config) -> Self {
        Self {
            sign_in: IpLimiter::new(config.auth_rate_per_ip),
            mail: IpLimiter::per_hour(config.email_rate_per_ip),
            introspection: IpLimiter::new(config.introspect_rate_per_ip),
        }
    }

    /// Takes one attempt of `bucket` for `ip`, or says how long to wait.
    pub(crate) fn check(&self, bucket: IpBucket, ip: IpAddr) -> Result<()> {
        match bucket {
            IpBucket::SignIn => &self.sign_in,
            IpBucket::Mail => &self.mail,
            IpBucket::Introspection => &self.introspection,
        }
        .check(ip)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_grow_exponentially_up_to_the_cap() {
        let p = LockoutPolicy { threshold: 5, base: Duration::from_secs(30), cap: Duration::from_secs(900) };
        assert_eq!(p.lock_for(4), None);
        assert_eq!(p.lock_for(5), Some(Duration::from_secs(30)));
        assert_eq!(p.lock_for(6), Some(Duration::from_secs(60)));
        assert_eq!(p.lock_for(7), Some(Duration::from_secs(120)));
        assert_eq!(p.lock_for(40), Some(Duration::from_secs(900)));
    }

    #[test]
    fn the_ip_limit_refuses_past_its_quota() {
        let limiter = IpLimiter::new(3);
        let ip: IpAddr = [10, 0, 0, 1].into();
        for _ in 0..3 {
            limiter.check(ip).unwrap();
        }
        assert!(matches!(limiter.check(ip), Err(AppError::TooManyRequests { .. })));
        limiter.check([10, 0, 0, 2].into()).unwrap();
    }

    #[test]
    fn ipv6_clients_are_limited_by_their_slash_64() {
        let limiter = IpLimiter::new(2);
        limiter.check("2001:db8:1:2::1".parse().unwrap()).unwrap();
        limiter.check("2001:db8:1:2:ffff::9".parse().unwrap()).unwrap();
        assert!(
            matches!(
                limiter.check("2001:db8:1:2:aaaa:bbbb:cccc:dddd".parse().unwrap()),
                Err(AppError::TooManyRequests { .. })
            ),
            "a third address of the same /64"
        );
        limiter.check("2001:db8:1:3::1".parse().unwrap()).unwrap();
        assert_eq!(limited_address("::ffff:10.1.2.3".parse().unwrap()), "10.1.2.3".parse::<IpAddr>().unwrap());
    }
}
