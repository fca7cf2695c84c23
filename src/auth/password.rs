//! Password hashing: argon2id with OWASP's parameters, PHC strings, on tokio's blocking
//! pool behind a semaphore sized to the cores, so a login storm neither stalls other
//! requests nor uses more than `memory × permits` of RAM.

use std::sync::Arc;

use anyhow::Context as _;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::Semaphore;

use crate::config::Config;

/// Hashes and verifies passwords.
#[derive(Clone)]
pub struct Hasher {
    params: Params,
    permits: Arc<Semaphore>,
    /// Verified against when a login names no account, so it costs what a real one costs.
    dummy_hash: Arc<str>,
}

impl std::fmt::Debug for Hasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hasher").field("params", &self.params).finish_non_exhaustive()
    }
}

impl Hasher {
    /// A hasher with the configured cost; computes its dummy hash once.
    pub fn new(config: &Config) -> anyhow::Result<Self> {
        let params = Params::new(config.argon2_memory_kib, config.argon2_iterations, config.argon2_parallelism, None)
            .map_err(|e| anyhow::anyhow!("invalid argon2 parameters: {e}"))?;
        let permits = std::thread::available_parallelism().map_or(2, |n| n.get());
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
        let dummy_hash = argon
            .hash_password(b"gerbang dummy password for unknown accounts")
            .map_err(|e| anyhow::anyhow!("hashing the dummy password: {e}"))?
            .to_string();
        Ok(Self { params, permits: Arc::new(Semaphore::new(permits)), dummy_hash: dummy_hash.into() })
    }

    /// How many hashes may run at once.
    pub fn permits(&self) -> usize {
        self.permits.available_permits()
    }

    fn argon(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(Argon2<'static>) -> T + Send + 'static,
    ) -> anyhow::Result<T> {
        let _permit = self.permits.acquire().await.context("password hasher closed")?;
        let argon = self.argon();
        let span = tracing::Span::current();
        tokio::task::spawn_blocking(move || span.in_scope(|| work(argon))).await.context("password hashing task failed")
    }

    /// A PHC string for the password.
    pub async fn hash(&self, password: &SecretString) -> anyhow::Result<String> {
        let password = password.clone();
        self.run(move |argon| {
            argon
                .hash_password(password.expose_secret().as_bytes())
                .map(|h| h.to_string())
                .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
        })
        .await?
    }

    /// Whether the password matches the PHC string; `None` checks against the dummy hash
    /// and is always false, taking the same time as a real check.
    pub async fn verify(&self, password: &SecretString, phc: Option<&str>) -> anyhow::Result<bool> {
        let password = password.clone();
        let known = phc.is_some();
        let phc: String = phc.map_or_else(|| self.dummy_hash.to_string(), str::to_owned);
        let matched = self
            .run(move |argon| {
                let Ok(parsed) = PasswordHash::new(&phc) else { return false };
                argon.verify_password(password.expose_secret().as_bytes(), &parsed).is_ok()
            })
            .await?;
        Ok(known && matched)
    }

    /// Whether a stored hash was made with other parameters than the configured ones,
    /// and should be replaced after the next successful login.
    pub fn needs_rehash(&self, phc: &str) -> bool {
        let Ok(parsed) = PasswordHash::new(phc) else { return true };
        let Ok(stored) = Params::try_from(&parsed) else { return true };
        parsed.algorithm.as_str() != "argon2id"
            || stored.m_cost() != self.params.m_cost()
            || stored.t_cost() != self.params.t_cost()
            || stored.p_cost() != self.params.p_cost()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hasher(memory_kib: u32) -> Hasher {
        let mut config = Config::for_database("sqlite://x.db".parse().unwrap());
        config.argon2_memory_kib = memory_kib;
        config.argon2_iterations = 1;
        Hasher::new(&config).unwrap()
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
