//! What changed, told to every instance over the database, so an instance may keep what it
//! read (a live session, its user and roles) until something says otherwise.
//!
//! A writing transaction records each change it makes *inside* the transaction: on
//! PostgreSQL a `NOTIFY` (delivered to every listening instance when, and only if, the
//! transaction commits); on MariaDB and SQLite a row in `change_events`, which every
//! instance polls every 500 ms. After the commit the instance that made the change applies
//! it to itself at once. The link to the others is watched: a dropped listener, a heartbeat
//! that does not come back, or a failed poll marks it down, and until it is up again every
//! reader must ask the database (it fails closed); when it comes back, everything kept is
//! dropped, since changes may have been missed meanwhile.

use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use sea_orm::DbBackend;
use uuid::Uuid;

/// Something whose cached reading is no longer true.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Change {
    /// A session ended.
    Session(Uuid),
    /// A user changed (profile, roles, activity, password, deletion, sign-in).
    User(Uuid),
    /// Roles or their permissions changed: anything cached may be wrong.
    Everything,
    /// The signing keys changed.
    Keys,
    /// An API key was revoked.
    ApiKey(Uuid),
}

impl Change {
    pub(super) fn encode(&self) -> String {
        match self {
            Self::Session(id) => format!("session:{id}"),
            Self::User(id) => format!("user:{id}"),
            Self::Everything => "everything".into(),
            Self::Keys => "keys".into(),
            Self::ApiKey(id) => format!("apikey:{id}"),
        }
    }

    fn decode(s: &str) -> Option<Self> {
        match s.split_once(':') {
            Some(("session", id)) => Uuid::try_parse(id).ok().map(Self::Session),
            Some(("user", id)) => Uuid::try_parse(id).ok().map(Self::User),
            Some(("apikey", id)) => Uuid::try_parse(id).ok().map(Self::ApiKey),
            None if s == "everything" => Some(Self::Everything),
            None if s == "keys" => Some(Self::Keys),
            _ => None,
        }
    }
}

/// Told every change, local or remote, synchronously.
pub(crate) type Listener = Arc<dyn Fn(&Change) + Send + Sync>;

/// The PostgreSQL channel.
pub(super) const CHANNEL: &str = "gerbang_changes";
/// How often MariaDB and SQLite instances read the change log.
pub(crate) const POLL_EVERY: Duration = Duration::from_millis(500);
/// How often a PostgreSQL listener proves its link with a notification to itself.
const HEARTBEAT_EVERY: Duration = Duration::from_millis(500);
/// A heartbeat not back within this is a dead link (a network that drops packets silently).
const HEARTBEAT_LOST_AFTER: Duration = Duration::from_secs(1);
/// A missing id in the change log older than this belongs to a rolled-back transaction.
const GAP_GIVEN_UP_AFTER: Duration = Duration::from_secs(10);
/// Change-log rows kept behind the newest; older ones are deleted.
const KEEP_EVENTS: i64 = 10_000;

/// Every instance's view of what changed.
pub(crate) struct ChangeBus {
    listeners: RwLock<Vec<Listener>>,
    link_up: AtomicBool,
    instance: Uuid,
}

impl std::fmt::Debug for ChangeBus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChangeBus").field("link_up", &self.link_up()).finish_non_exhaustive()
    }
}

impl Default for ChangeBus {
    fn default() -> Self {
        Self { listeners: RwLock::new(Vec::new()), link_up: AtomicBool::new(false), instance: Uuid::now_v7() }
    }
}

impl ChangeBus {
    /// Tells `listener` every change from now on.
    pub(crate) fn subscribe(&self, listener: Listener) {
        self.listeners.write().unwrap_or_else(std::sync::PoisonError::into_inner).push(listener);
    }

    /// Whether changes made elsewhere reach this instance now; when not, nothing read
    /// earlier may be trusted.
    pub(crate) fn link_up(&self) -> bool {
        self.link_up.load(Ordering::Acquire)
    }

    /// Applies a change to this instance's listeners.
    pub(crate) fn deliver(&self, change: &Change) {
        for listener in self.listeners.read().unwrap_or_else(std::sync::PoisonError::into_inner).iter() {
            listener(change);
        }
    }

    fn set_link(&self, up: bool) {
        if up && !self.link_up() {
            // Whatever happened while the link was down is unknown: start over.
            self.deliver(&Change::Everything);
            tracing::info!("change notifications are flowing; cached sessions are used again");
        } else if !up && self.link_up() {
            tracing::warn!("change notifications are interrupted; every request checks the database");
        }
        self.link_up.store(up, Ordering::Release);
    }

    /// Keeps the link to the other instances until the process ends.
    pub(crate) async fn run(self: Arc<Self>, db: super::Db) {
        match db.conn.get_database_backend() {
            DbBackend::Postgres => self.listen(db).await,
            _ => self.poll(db).await,
        }
    }

    async fn listen(&self, db: super::Db) {
        loop {
            if let Err(e) = self.listen_once(&db).await {
                tracing::debug!(error = %e, "change listener stopped");
            }
            self.set_link(false);
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }

    /// One listening connection, for as long as it lives and echoes its heartbeats.
    async fn listen_once(&self, db: &super::Db) -> Result<(), sea_orm::sqlx::Error> {
        use sea_orm::sqlx::postgres::PgListener;
        let pool = db.conn.get_postgres_connection_pool();
        let mut listener = PgListener::connect_with(pool).await?;
        listener.eager_reconnect(false);
        listener.listen(CHANNEL).await?;
        let ping = format!("ping:{}", self.instance);
        let mut heartbeat = tokio::time::interval(HEARTBEAT_EVERY);
        let mut awaiting: Option<Instant> = None;
        self.set_link(true);
        loop {
            tokio::select! {
                received = listener.try_recv() => {
                    let Some(notification) = received? else { return Ok(()) };
                    let payload = notification.payload();
                    if payload == ping {
                        awaiting = None;
                    } else if let Some(change) = Change::decode(payload) {
                        self.deliver(&change);
                    }
                }
                _ = heartbeat.tick() => {
                    if awaiting.is_some_and(|sent| sent.elapsed() > HEARTBEAT_LOST_AFTER) {
                        tracing::debug!("a heartbeat did not come back");
                        return Ok(());
                    }
                    let sent = sea_orm::sqlx::query("SELECT pg_notify($1, $2)").bind(CHANNEL).bind(&ping).execute(pool);
                    tokio::time::timeout(HEARTBEAT_LOST_AFTER, sent).await.map_err(|_| sea_orm::sqlx::Error::PoolTimedOut)??;
                    awaiting.get_or_insert_with(Instant::now);
                }
            }
        }
    }

    async fn poll(&self, db: super::Db) {
        let mut log = PolledLog::default();
        let mut every = tokio::time::interval(POLL_EVERY);
        let mut polls = 0u64;
        loop {
            every.tick().await;
            match log.read(&db).await {
                Ok(changes) => {
                    self.set_link(true);
                    for change in &changes {
                        self.deliver(change);
                    }
                }
                Err(e) => {
                    tracing::debug!(error = %e, "reading the change log");
                    self.set_link(false);
                    log = PolledLog::default();
                }
            }
            polls += 1;
            if polls.is_multiple_of(1200)
                && let Err(e) = log.prune(&db).await
            {
                tracing::debug!(error = %e, "pruning the change log");
            }
        }
    }
}

/// Where this instance is in the change log. Ids are given out in insert order but become
/// visible in commit order, so a missing id may still appear (a transaction in flight) or
/// never (one rolled back): ids at and above `next` that were seen are remembered, and a gap
/// is waited for a while before it is passed.
#[derive(Debug, Default)]
struct PolledLog {
    /// Every id below this has been applied or given up on; `None` before the first read.
    next: Option<i64>,
    seen: BTreeSet<i64>,
    gaps: HashMap<i64, Instant>,
}

/// Runs one query on whichever pool the database has, through sqlx itself: the log is
/// read twice a second, and those reads are not what `Db::statement_count` counts (the
/// statements requests cost).
macro_rules! on_pool {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db.conn.get_database_backend() {
            DbBackend::Sqlite => {
                let $pool = $db.conn.get_sqlite_connection_pool();
                $body
            }
            _ => {
                let $pool = $db.conn.get_mysql_connection_pool();
                $body
            }
        }
    };
}

impl PolledLog {
    async fn read(&mut self, db: &super::Db) -> Result<Vec<Change>, sea_orm::sqlx::Error> {
        use sea_orm::sqlx::query_as;
        let Some(next) = self.next else {
            // From now on: what happened before this instance looked holds nothing it cached.
            let (max,): (i64,) = on_pool!(db, |pool| {
                query_as("SELECT COALESCE(MAX(id), 0) FROM change_events").fetch_one(pool).await?
            });
            self.next = Some(max + 1);
            return Ok(Vec::new());
        };
        let rows: Vec<(i64, String)> = on_pool!(db, |pool| {
            query_as("SELECT id, payload FROM change_events WHERE id >= ? ORDER BY id LIMIT 1000")
                .bind(next)
                .fetch_all(pool)
                .await?
        });
        let mut changes = Vec::new();
        for (id, payload) in rows {
            if self.seen.insert(id)
                && let Some(change) = Change::decode(&payload)
            {
                changes.push(change);
            }
        }
        // Move `next` past what is settled.
        let mut next = next;
        while let Some(highest) = self.seen.last().copied()
            && next <= highest
        {
            if self.seen.remove(&next) {
                self.gaps.remove(&next);
                next += 1;
                continue;
            }
            let since = *self.gaps.entry(next).or_insert_with(Instant::now);
            if since.elapsed() < GAP_GIVEN_UP_AFTER {
                break;
            }
            self.gaps.remove(&next);
            next += 1;
        }
        self.next = Some(next);
        Ok(changes)
    }

    async fn prune(&self, db: &super::Db) -> Result<(), sea_orm::sqlx::Error> {
        let Some(next) = self.next else { return Ok(()) };
        let _turn = db.write_turn().await;
        on_pool!(db, |pool| {
            sea_orm::sqlx::query("DELETE FROM change_events WHERE id < ?")
                .bind(next - KEEP_EVENTS)
                .execute(pool)
                .await?;
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_travel_as_text() {
        let id = Uuid::now_v7();
        for change in [Change::Session(id), Change::User(id), Change::Everything, Change::Keys, Change::ApiKey(id)] {
            assert_eq!(Change::decode(&change.encode()), Some(change));
        }
        assert_eq!(Change::decode("ping:whatever"), None);
        assert_eq!(Change::decode("user:not-a-uuid"), None);
    }
}
