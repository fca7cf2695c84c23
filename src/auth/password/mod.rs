//! Password hashing: argon2id with OWASP's parameters, PHC strings, on tokio's blocking
//! pool behind a semaphore sized to the cores. Each permit reuses one argon2 memory buffer,
//! so a login storm neither stalls other requests nor uses more than `memory × permits` of
//! RAM (a fresh 19 MiB allocation per hash, freed on whichever blocking thread ran it,
//! would pile up in the allocator's per-thread arenas); once no hash has run for a moment
//! the buffers are freed, so an idle instance holds none.

mod buffers;

use std::sync::Arc;

use anyhow::Context as _;
use argon2::Params;
use argon2::password_hash::phc::PasswordHash;
use base64::Engine as _;
use buffers::Buffers;
use rand_core::{OsRng, RngCore};
use secrecy::{ExposeSecret, SecretString};
use subtle::ConstantTimeEq as _;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::config::Config;

/// PHC strings use standard base64 without padding.
const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD_NO_PAD;
const SALT_LEN: usize = 16;
const OUTPUT_LEN: usize = 32;
/// Requests that hash let in at once, per permit: enough that a freed permit never waits
/// for the next hash to be ready, few enough that the rest of a storm of sign-ins waits at
/// the door holding its connection only, not its request's whole execution state (about
/// 60 KiB each, measured with 32 to 512 at once).
const ADMITTED_PER_PERMIT: usize = 4;

/// Hashes and verifies passwords.
#[derive(Clone)]
pub struct Hasher {
    params: Params,
    permits: Arc<Semaphore>,
    permit_count: usize,
    /// Requests that will hash, let in before they run (`admit`).
    admission: Arc<Semaphore>,
    /// Argon2's memory, one buffer per permit.
    buffers: Buffers,
    /// Verified against when a login names no account, so it costs what a real one costs.
    dummy_hash: Arc<str>,
    /// Where the queue is reported, if anywhere.
    observed: Option<Observed>,
}

/// A request waiting to hash, at the door or for a slot; leaving (in, or the request gone)
/// is reported. Only the wait for a slot is timed: the door's is the same request's.
struct Queued<'a> {
    observed: Option<&'a Observed>,
    since: std::time::Instant,
    timed: bool,
}

impl<'a> Queued<'a> {
    fn enter(observed: Option<&'a Observed>, timed: bool) -> Self {
        if let Some(o) = observed {
            o.waiting.increment(1.0);
        }
        Self { observed, since: std::time::Instant::now(), timed }
    }
}

impl Drop for Queued<'_> {
    fn drop(&mut self) {
        if let Some(o) = self.observed {
            o.waiting.decrement(1.0);
            if self.timed {
                o.wait.record(self.since.elapsed().as_secs_f64());
            }
        }
    }
}

/// Where the hasher reports its queue.
#[derive(Clone)]
struct Observed {
    waiting: metrics::Gauge,
    wait: metrics::Histogram,
}

impl std::fmt::Debug for Hasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hasher")
            .field("params", &self.params)
            .field("permits", &self.permit_count)
            .finish_non_exhaustive()
    }
}

/// What a stored PHC string says.
struct Stored {
    params: Params,
    salt: Vec<u8>,
    hash: Vec<u8>,
}

fn parse_phc(phc: &str) -> Option<Stored> {
    let parsed = PasswordHash::new(phc).ok()?;
    if parsed.algorithm.as_str() != "argon2id" {
        return None;
    }
    let params = Params::try_from(&parsed).ok()?;
    let salt = parsed.salt.as_ref()?.to_vec();
    let hash = parsed.hash.as_ref()?.as_bytes().to_vec();
    Some(Stored { params, salt, hash })
}

impl Hasher {
    /// A hasher with the configured cost; computes its dummy hash once.
    pub(crate) fn new(config: &Config) -> anyhow::Result<Self> {
        let params = Params::new(config.argon2_memory_kib, config.argon2_iterations, config.argon2_parallelism, None)
            .map_err(|e| anyhow::anyhow!("invalid argon2 parameters: {e}"))?;
        let permit_count = std::thread::available_parallelism().map_or(2, |n| n.get());
        let mut hasher = Self {
            buffers: Buffers::new(&params, permit_count),
            params,
            permits: Arc::new(Semaphore::new(permit_count)),
            permit_count,
            admission: Arc::new(Semaphore::new(permit_count * ADMITTED_PER_PERMIT)),
            dummy_hash: Arc::from(""),
            observed: None,
        };
        let dummy = hasher.hash_now(b"gerbang dummy password for unknown accounts")?;
        hasher.buffers.clear();
        hasher.dummy_hash = dummy.into();
        Ok(hasher)
    }

    /// Waits, in arrival order, until the request may run: one that is about to hash (a
    /// sign-in, a new password) holds the returned ticket while it runs.
    pub(crate) async fn admit(&self) -> Option<OwnedSemaphorePermit> {
        let _queued = Queued::enter(self.observed.as_ref(), false);
        // `None` only if the door were closed, which nothing does: then all would go in.
        self.admission.clone().acquire_owned().await.ok()
    }

    /// Reports how many hashes wait for a slot, and how long each waited, to `metrics`.
    pub(crate) fn observed(mut self, metrics: &crate::metrics::Metrics) -> Self {
        self.observed = Some(Observed {
            waiting: metrics.gauge("gerbang_password_hash_queue", &[]),
            wait: metrics.histogram("gerbang_password_hash_wait_seconds", &[]),
        });
        self
    }

    /// How many hashes may run at once.
    #[cfg(test)]
    pub(crate) fn permits(&self) -> usize {
        self.permit_count
    }

    /// Hashes on the current thread (start-up and inside the blocking pool).
    fn hash_now(&self, password: &[u8]) -> anyhow::Result<String> {
        let mut salt = [0u8; SALT_LEN];
        OsRng.fill_bytes(&mut salt);
        let mut out = [0u8; OUTPUT_LEN];
        self.buffers
            .with_memory(&self.params, |argon, mem| {
                argon.hash_password_into_with_memory(password, &salt, &mut out, mem)
            })
            .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))?;
        let p = &self.params;
        Ok(format!(
            "$argon2id$v=19$m={},t={},p={}${}${}",
            p.m_cost(),
            p.t_cost(),
            p.p_cost(),
            B64.encode(salt),
            B64.encode(out)
        ))
    }

    fn verify_now(&self, password: &[u8], phc: &str) -> bool {
        let Some(stored) = parse_phc(phc) else { return false };
        let mut out = vec![0u8; stored.hash.len()];
        let params = match Params::new(
            stored.params.m_cost(),
            stored.params.t_cost(),
            stored.params.p_cost(),
            Some(stored.hash.len()),
        ) {
            Ok(p) => p,
            Err(_) => return false,
        };
        let ok = self.buffers.with_memory(&params, |argon, mem| {
            argon.hash_password_into_with_memory(password, &stored.salt, &mut out, mem)
        });
        // Equal in time whatever the contents, so the comparison leaks nothing.
        ok.is_ok() && bool::from(out.ct_eq(&stored.hash))
    }

    async fn run<T: Send + 'static>(&self, work: impl FnOnce(&Hasher) -> T + Send + 'static) -> anyhow::Result<T> {
        let demand = self.buffers.demand();
        let queued = Queued::enter(self.observed.as_ref(), true);
        let permit = self.permits.clone().acquire_owned().await.context("password hasher closed")?;
        drop(queued);
        let this = self.clone();
        let span = tracing::Span::current();
        // The permit and the demand go with the hash, not with the request: a request
        // dropped mid-hash (its client went away) must not let another hash start while
        // this one still runs and holds its memory.
        tokio::task::spawn_blocking(move || {
            let result = span.in_scope(|| work(&this));
            drop(permit);
            drop(demand);
            this.buffers.finished();
            result
        })
        .await
        .context("password hashing task failed")
    }

    /// A PHC string for the password.
    pub(crate) async fn hash(&self, password: &SecretString) -> anyhow::Result<String> {
        let password = password.clone();
        self.run(move |h| h.hash_now(password.expose_secret().as_bytes())).await?
    }

    /// Whether the password matches the PHC string; `None` checks against the dummy hash
    /// and is always false, taking the same time as a real check.
    pub async fn verify(&self, password: &SecretString, phc: Option<&str>) -> anyhow::Result<bool> {
        let password = password.clone();
        let known = phc.is_some();
        let phc: String = phc.map_or_else(|| self.dummy_hash.to_string(), str::to_owned);
        let matched = self.run(move |h| h.verify_now(password.expose_secret().as_bytes(), &phc)).await?;
        Ok(known && matched)
    }

    /// Whether a stored hash was made with other parameters than the configured ones,
    /// and should be replaced after the next successful login.
    pub(crate) fn needs_rehash(&self, phc: &str) -> bool {
        let Some(stored) = parse_phc(phc) else { return true };
        stored.params.m_cost() != self.params.m_cost()
            || stored.params.t_cost() != self.params.t_cost()
            || stored.params.p_cost() != self.params.p_cost()
    }

    /// How many argon2 buffers are held for reuse (never more than the permits).
    #[cfg(test)]
    pub(crate) fn pooled_buffers(&self) -> usize {
        self.buffers.held()
    }

    /// How many argon2 buffers were allocated since start-up.
    #[cfg(test)]
    pub(crate) fn buffer_allocations(&self) -> usize {
        self.buffers.allocations()
    }
}

#[cfg(test)]
mod tests {
    use argon2::password_hash::{PasswordHasher, PasswordVerifier};
    use argon2::{Algorithm, Argon2, Version};

    use super::*;

    fn hasher(memory_kib: u32) -> Hasher {
        let mut config = Config::for_database("sqlite://x.db".parse().unwrap());
        config.argon2_memory_kib = memory_kib;
        config.argon2_iterations = 1;
        let mut h = Hasher::new(&config).unwrap();
        h.buffers.free_after = std::time::Duration::from_millis(50);
        h
    }

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let h = hasher(64);
        let pw = SecretString::from("correct horse battery");
        let phc = h.hash(&pw).await.unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=64,t=1,p=1$"), "{phc}");
        assert!(h.verify(&pw, Some(&phc)).await.unwrap());
        assert!(!h.verify(&SecretString::from("wrong horse"), Some(&phc)).await.unwrap());
        assert!(!h.verify(&pw, None).await.unwrap(), "no account never verifies");
        assert!(!h.verify(&pw, Some("$argon2id$garbage")).await.unwrap());
    }

    #[tokio::test]
    async fn hashes_interoperate_with_the_reference_implementation() {
        let h = hasher(64);
        let phc = h.hash(&SecretString::from("interop pass")).await.unwrap();
        let parsed = PasswordHash::new(&phc).unwrap();
        assert!(
            Argon2::default().verify_password(b"interop pass", &parsed).is_ok(),
            "argon2's own verifier accepts ours"
        );

        let params = Params::new(128, 2, 1, None).unwrap();
        let theirs = Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password(b"interop pass")
            .unwrap()
            .to_string();
        assert!(
            h.verify(&SecretString::from("interop pass"), Some(&theirs)).await.unwrap(),
            "we accept its hashes, other cost too"
        );
        assert!(h.needs_rehash(&theirs));
    }

    #[tokio::test]
    async fn memory_buffers_are_reused_and_freed_when_idle() {
        let h = hasher(64);
        assert_eq!(h.pooled_buffers(), 0, "nothing is held before the first hash");
        let before = h.buffer_allocations();
        let pw = SecretString::from("many logins here");
        let mut tasks = Vec::new();
        for _ in 0..32 {
            let (h, pw) = (h.clone(), pw.clone());
            tasks.push(tokio::spawn(async move { h.hash(&pw).await.unwrap() }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        let allocated = h.buffer_allocations() - before;
        assert!(allocated <= h.permits(), "32 queued hashes allocated {allocated} buffers: one per permit at most");
        assert!(h.pooled_buffers() >= 1, "kept for the next hash");
        tokio::time::sleep(h.buffers.free_after * 4).await;
        assert_eq!(h.pooled_buffers(), 0, "an idle hasher holds no argon2 memory");
    }

    #[tokio::test]
    async fn a_storm_waits_at_the_door_beyond_four_requests_a_permit() {
        let metrics = crate::metrics::Metrics::new(Vec::new());
        let h = hasher(64).observed(&metrics);
        let queue = || {
            let text = metrics.render();
            let line = text.lines().find(|l| l.starts_with("gerbang_password_hash_queue ")).map(str::to_owned);
            line.and_then(|l| l.rsplit(' ').next().and_then(|v| v.parse::<f64>().ok()))
        };
        let door = h.permits() * ADMITTED_PER_PERMIT;
        let mut inside = Vec::new();
        for _ in 0..door {
            inside.push(h.admit().await);
        }
        let next = tokio::spawn({
            let h = h.clone();
            async move { h.admit().await.is_some() }
        });
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        assert!(!next.is_finished(), "request {} waits while {door} are inside", door + 1);
        assert_eq!(queue(), Some(1.0), "a request waiting at the door is in the queue an operator sees");
        drop(inside.pop());
        let ticket = tokio::time::timeout(std::time::Duration::from_secs(5), next).await;
        assert!(matches!(ticket, Ok(Ok(true))), "one leaving lets the next in");
        assert_eq!(queue(), Some(0.0));
    }

    #[tokio::test]
    async fn hashes_made_with_other_parameters_need_rehashing() {
        let old = hasher(64);
        let new = hasher(128);
        let phc = old.hash(&SecretString::from("correct horse battery")).await.unwrap();
        assert!(!old.needs_rehash(&phc));
        assert!(new.needs_rehash(&phc));
        assert!(new.needs_rehash("not a phc string"));
    }
}
