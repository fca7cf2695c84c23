//! Argon2's memory: one buffer per hashing permit, reused while hashing goes on and freed a
//! moment after it stops. A fresh 19 MiB allocation per hash, freed on whichever blocking
//! thread ran it, would pile up in the allocator's per-thread arenas; an idle instance
//! should hold none.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use argon2::{Algorithm, Argon2, Block, Params, Version};

/// How long buffers are kept after the last hash: long enough that logins a few seconds
/// apart reuse them (a fresh 19 MiB buffer costs about as much as a third of a hash in page
/// faults), short enough that an idle instance gives the memory back.
pub(super) const FREE_BUFFERS_AFTER: Duration = Duration::from_secs(5);

/// glibc serves an allocation from its own mmap, handed back to the system on free, only
/// when it is at least the mmap threshold; that threshold grows to the size of every
/// mmapped chunk freed below 32 MiB, so after the first hash a 19 MiB buffer would come
/// from an arena that keeps the memory for good. Reserving just over 32 MiB keeps every
/// buffer an mmap of its own; the pages beyond `blocks` are never touched, so they cost
/// address space, not memory.
const MMAP_ALWAYS: usize = (32 << 20) / size_of::<Block>() + 1;

fn fresh_buffer(blocks: usize) -> Vec<Block> {
    let mut buf = Vec::with_capacity(blocks.max(MMAP_ALWAYS));
    buf.resize(blocks, Block::default());
    buf
}

/// The buffers, and what decides when they go.
#[derive(Clone)]
pub(super) struct Buffers {
    /// Blocks of the configured parameters: buffers of this size are kept.
    blocks: usize,
    /// At most this many are kept (one per permit).
    keep: usize,
    idle: Arc<Mutex<Vec<Vec<Block>>>>,
    /// How many buffers were ever allocated (reuse shows as few).
    allocations: Arc<AtomicUsize>,
    /// Hashes running or waiting for a permit.
    demand: Arc<AtomicUsize>,
    /// Hashes finished since start-up: a pending free checks that none ran meanwhile.
    finished: Arc<AtomicUsize>,
    /// How long buffers outlive the last hash.
    pub(super) free_after: Duration,
}

/// Counts one hash from the moment it asks for a permit until it is done, also when the
/// request is cancelled while it waits.
pub(super) struct Demand(Arc<AtomicUsize>);

impl Drop for Demand {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Buffers {
    /// Buffers for `params`, at most `keep` of them idle.
    pub(super) fn new(params: &Params, keep: usize) -> Self {
        Self {
            blocks: params.block_count(),
            keep,
            idle: Arc::new(Mutex::new(Vec::new())),
            allocations: Arc::new(AtomicUsize::new(0)),
            demand: Arc::new(AtomicUsize::new(0)),
            finished: Arc::new(AtomicUsize::new(0)),
            free_after: FREE_BUFFERS_AFTER,
        }
    }

    fn idle(&self) -> std::sync::MutexGuard<'_, Vec<Vec<Block>>> {
        self.idle.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Counts a hash as wanted until the returned value is dropped.
    pub(super) fn demand(&self) -> Demand {
        self.demand.fetch_add(1, Ordering::AcqRel);
        Demand(self.demand.clone())
    }

    /// Runs argon2 with `params` over a kept buffer (or a temporary one when a stored hash
    /// asks for another size), keeping the buffer afterwards.
    pub(super) fn with_memory<T>(&self, params: &Params, f: impl FnOnce(&Argon2<'_>, &mut [Block]) -> T) -> T {
        let blocks = params.block_count();
        let reusable = blocks == self.blocks;
        let kept = if reusable { self.idle().pop() } else { None };
        let mut buf = kept.unwrap_or_else(|| {
            self.allocations.fetch_add(1, Ordering::Relaxed);
            fresh_buffer(blocks)
        });
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
        let result = f(&argon, &mut buf[..blocks]);
        if reusable {
            let mut idle = self.idle();
            if idle.len() < self.keep {
                idle.push(buf);
            }
        }
        result
    }

    /// One hash finished: frees the buffers `free_after` from now, unless hashing went on
    /// meanwhile.
    pub(super) fn finished(&self) {
        let finished = self.finished.fetch_add(1, Ordering::AcqRel) + 1;
        if self.demand.load(Ordering::Acquire) > 0 {
            return;
        }
        let this = self.clone();
        tokio::spawn(async move {
            tokio::time::sleep(this.free_after).await;
            if this.finished.load(Ordering::Acquire) == finished && this.demand.load(Ordering::Acquire) == 0 {
                this.idle().clear();
            }
        });
    }

    /// Frees every idle buffer now.
    pub(super) fn clear(&self) {
        self.idle().clear();
    }

    /// How many buffers are held for reuse.
    #[cfg(test)]
    pub(super) fn held(&self) -> usize {
        self.idle().len()
    }

    /// How many buffers were allocated since start-up.
    #[cfg(test)]
    pub(super) fn allocations(&self) -> usize {
        self.allocations.load(Ordering::Relaxed)
    }
}
