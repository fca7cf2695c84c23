//! Brute-force defence. Failed logins are counted per account in the database, so the
//! lock holds across instances and restarts; past a threshold the account is locked for
//! an exponentially growing time, and no password is checked while it is. A per-IP rate
//! limit (per instance) slows down spraying across many accounts.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use sea_orm::sea_query::Expr;
use sea_orm::sea_query::ExprTrait as _;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::db::entities::login_failure;
use crate::error::{AppError, Result};

/// When and for how long accounts are locked.
#[derive(Debug, Clone, Copy)]
pub struct LockoutPolicy {
    /// Failures allowed before the first lock.
    pub threshold: u32,
    /// The first lock's length; each further failure doubles it.
    pub base: Duration,
    /// The longest lock.
    pub cap: Duration,
}

impl LockoutPolicy {
    /// How long the account is locked after `failures` consecutive failures.
    pub fn lock_for(&self, failures: u32) -> Option<Duration> {
        let over = failures.checked_sub(self.threshold)?;
        let factor = 2u32.saturating_pow(Ord::min(over, 30));
        Some(self.base.saturating_mul(factor).min(self.cap))
    }
}

/// If the account is locked at `now`, how long until it is not.
pub async fn locked_for(db: &impl ConnectionTrait, user_id: Uuid, now: DateTime<Utc>) -> Result<Option<Duration>> {
    let row = login_failure::Entity::find_by_id(user_id).one(db).await?;
    Ok(row.and_then(|r| r.locked_until).filter(|until| *until > now).and_then(|until| (until - now).to_std().ok()))
}

/// Counts a failed login; locks the account once the policy says so.
pub async fn record_failure(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    now: DateTime<Utc>,
    policy: &LockoutPolicy,
) -> Result<()> {
    let bumped = login_failure::Entity::update_many()
        .col_expr(login_failure::Column::Failures, Expr::col(login_failure::Column::Failures).add(1))
        .col_expr(login_failure::Column::LastFailureAt, Expr::value(now))
        .filter(login_failure::Column::UserId.eq(user_id))
        .exec(db)
        .await?
        .rows_affected;
    if bumped == 0 {
        login_failure::ActiveModel {
            user_id: Set(user_id),
            failures: Set(1),
            last_failure_at: Set(now),
            locked_until: Set(None),
        }
        .insert(db)
        .await?;
    }
    let failures = login_failure::Entity::find_by_id(user_id).one(db).await?.map_or(1, |r| r.failures);
    if let Some(lock) = policy.lock_for(u32::try_from(failures).unwrap_or(u32::MAX)) {
        let until = now + chrono::Duration::from_std(lock).unwrap_or(chrono::Duration::MAX);
        login_failure::Entity::update_many()
            .col_expr(login_failure::Column::LockedUntil, Expr::value(until))
            .filter(login_failure::Column::UserId.eq(user_id))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Forgets the failures after a successful login.
pub async fn reset(db: &impl ConnectionTrait, user_id: Uuid) -> Result<()> {
    login_failure::Entity::delete_by_id(user_id).exec(db).await?;
    Ok(())
}

/// Per-client-IP limit on login and register attempts.
#[derive(Clone)]
pub struct IpLimiter(Arc<DefaultKeyedRateLimiter<IpAddr>>);

impl std::fmt::Debug for IpLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IpLimiter")
    }
}

impl IpLimiter {
    /// `per_minute` attempts per IP, with bursts of as many.
    pub fn new(per_minute: u32) -> Self {
        let n = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
        Self(Arc::new(RateLimiter::keyed(Quota::per_minute(n))))
    }

    /// Takes one attempt for `ip`, or says how long to wait.
    pub fn check(&self, ip: IpAddr) -> Result<()> {
        self.0.check_key(&ip).map_err(|not_until| AppError::TooManyRequests {
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
}
