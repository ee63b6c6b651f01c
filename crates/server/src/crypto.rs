//! Tokens, hashes and signatures.
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Argon2, Params};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::sync::Semaphore;

/// `n` random bytes as lowercase hex.
pub fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex(&bytes)
}

/// A new opaque id with a readable prefix, e.g. `mem_3f2a…`.
pub fn new_id(prefix: &str) -> String {
    format!("{prefix}_{}", random_hex(12))
}

/// An opaque id that sorts by creation within this process (microseconds, strictly
/// increasing), so "newest first" is stable for rows written in the same second.
pub fn new_sortable_id(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static LAST: AtomicU64 = AtomicU64::new(0);
    let now = chrono::Utc::now().timestamp_micros().max(0) as u64;
    let previous = LAST
        .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |last| {
            Some(now.max(last + 1))
        })
        .unwrap_or(now);
    let micros = now.max(previous + 1);
    format!("{prefix}_{micros:014x}{}", random_hex(4))
}

/// A uniformly random 6-digit code.
pub fn six_digit_code() -> String {
    use rand::Rng;
    format!("{:06}", rand::rngs::OsRng.gen_range(0..1_000_000))
}

pub fn sha256_hex(input: &str) -> String {
    hex(&Sha256::digest(input.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Argon2id with the given cost, run off the async workers.
///
/// Verifying is CPU-bound for tens of milliseconds: on an async worker it would stall every
/// other request of that worker. So it runs on tokio's blocking pool, at most `threads` at a
/// time, with at most `max_waiting` requests queued; beyond that the caller gets
/// [`HashingBusy`] at once (a 503 the client can retry) instead of joining an ever longer queue.
pub struct PasswordHashing {
    argon: Argon2<'static>,
    /// Hash of a random secret made at start-up: unknown accounts are verified against it, so
    /// they cost exactly the one verification a known account costs.
    dummy: String,
    threads: Arc<Semaphore>,
    waiting: AtomicUsize,
    max_waiting: usize,
}

/// The hashing queue is full.
#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error("password hashing queue is full")]
pub struct HashingBusy;

impl PasswordHashing {
    /// With a queue sized for this machine (one thread per core but one, 64 waiting).
    pub fn new(memory_kib: u32, iterations: u32) -> Self {
        Self::with_queue(memory_kib, iterations, 0, 64)
    }

    /// `threads` 0 means one per core but one (at least one).
    pub fn with_queue(
        memory_kib: u32,
        iterations: u32,
        threads: usize,
        max_waiting: usize,
    ) -> Self {
        let params = Params::new(memory_kib, iterations, 1, None).unwrap_or_default();
        let argon = Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
        let threads = match threads {
            // One core is left to the async workers, so health checks and member pages are
            // answered while every hashing thread is busy.
            0 => {
                std::thread::available_parallelism().map_or(1, |n| n.get().saturating_sub(1).max(1))
            }
            n => n,
        };
        let mut hashing = Self {
            argon,
            dummy: String::new(),
            threads: Arc::new(Semaphore::new(threads)),
            waiting: AtomicUsize::new(0),
            max_waiting,
        };
        hashing.dummy = hashing.hash(&random_hex(16));
        hashing
    }

    pub fn hash(&self, secret: &str) -> String {
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        self.argon
            .hash_password(secret.as_bytes(), &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    }

    /// Exactly one Argon2 verification, whether or not there is a stored hash: without one (or
    /// with an unreadable one) the start-up dummy is verified instead and the answer is false.
    pub fn verify_blocking(&self, secret: &str, stored: Option<&str>) -> bool {
        let parsed = stored.and_then(|s| PasswordHash::new(s).ok());
        let real = parsed.is_some();
        let hash = match parsed {
            Some(parsed) => parsed,
            None => match PasswordHash::new(&self.dummy) {
                Ok(dummy) => dummy,
                Err(_) => return false,
            },
        };
        let matches = self.argon.verify_password(secret.as_bytes(), &hash).is_ok();
        real && matches
    }

    /// [`Self::verify_blocking`] on the blocking pool, through the bounded queue.
    pub async fn verify(
        self: &Arc<Self>,
        secret: &str,
        stored: Option<&str>,
    ) -> Result<bool, HashingBusy> {
        self.ticket()?.verify(secret, stored).await
    }

    /// A place in the queue, taken before any other work for the sign-in, so a flood past the
    /// queue is turned away without touching the database.
    pub fn ticket(self: &Arc<Self>) -> Result<HashingTicket, HashingBusy> {
        if self.waiting.fetch_add(1, Ordering::AcqRel) >= self.max_waiting {
            self.waiting.fetch_sub(1, Ordering::AcqRel);
            return Err(HashingBusy);
        }
        Ok(HashingTicket {
            hashing: Arc::clone(self),
        })
    }
}

/// A place in the hashing queue, given up when the hash starts or when dropped (also when the
/// request is abandoned).
pub struct HashingTicket {
    hashing: Arc<PasswordHashing>,
}

impl HashingTicket {
    /// Waits for a hashing thread, then verifies there.
    pub async fn verify(self, secret: &str, stored: Option<&str>) -> Result<bool, HashingBusy> {
        let hashing = Arc::clone(&self.hashing);
        let permit = hashing
            .threads
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| HashingBusy)?;
        drop(self);
        let (secret, stored) = (secret.to_owned(), stored.map(str::to_owned));
        // The permit travels with the work: a request given up mid-hash still holds its thread
        // until the hash is done, so the count of running hashes stays true.
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            hashing.verify_blocking(&secret, stored.as_deref())
        })
        .await
        .map_err(|_| HashingBusy)
    }
}

impl Drop for HashingTicket {
    fn drop(&mut self) {
        self.hashing.waiting.fetch_sub(1, Ordering::AcqRel);
    }
}

/// HMAC-SHA256 of `message` under `key`, hex.
pub fn sign(key: &str, message: &str) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("HMAC takes any key length");
    mac.update(message.as_bytes());
    hex(&mac.finalize().into_bytes())
}

/// HMAC-SHA256 of `message` under a byte key, hex (the contract's implementation, which the
/// portal shares for offline e-card codes).
pub fn hmac_sha256_hex(key: &[u8], message: &str) -> String {
    hex(&contract::card::hmac_sha256(key, message.as_bytes()))
}

/// Constant-time check of a signature made by `sign`.
pub fn verify_signature(key: &str, message: &str, signature: &str) -> bool {
    constant_time_eq(&sign(key, message), signature)
}

/// Compares secrets without revealing through timing how much of them matched.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_only_against_its_own_hash() {
        let hashing = PasswordHashing::new(1024, 1);
        let stored = hashing.hash("correct horse");
        assert!(hashing.verify_blocking("correct horse", Some(&stored)));
        assert!(!hashing.verify_blocking("wrong", Some(&stored)));
        assert!(!hashing.verify_blocking("correct horse", None));
        assert!(!hashing.verify_blocking("correct horse", Some("not a hash")));
    }

    #[tokio::test]
    async fn a_full_hashing_queue_answers_busy_at_once() {
        let hashing = Arc::new(PasswordHashing::with_queue(1024, 1, 1, 2));
        let stored = hashing.hash("secret");
        let tries: Vec<_> = (0..200)
            .map(|_| {
                let (hashing, stored) = (hashing.clone(), stored.clone());
                tokio::spawn(async move { hashing.verify("secret", Some(&stored)).await })
            })
            .collect();
        let mut busy = 0;
        for t in tries {
            match t.await.unwrap() {
                Ok(verified) => assert!(verified),
                Err(HashingBusy) => busy += 1,
            }
        }
        assert!(busy > 0, "200 at once cannot all fit a queue of 2");
        assert!(hashing.verify("secret", Some(&stored)).await.unwrap());
    }

    #[test]
    fn signatures_detect_tampering() {
        let signature = sign("key", "card_1.1700000000");
        assert!(verify_signature("key", "card_1.1700000000", &signature));
        assert!(!verify_signature("key", "card_2.1700000000", &signature));
        assert!(!verify_signature("other", "card_1.1700000000", &signature));
    }

    #[test]
    fn sortable_ids_sort_in_creation_order() {
        let ids: Vec<String> = (0..1000).map(|_| new_sortable_id("ntf")).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(ids, sorted);
    }

    #[test]
    fn codes_are_six_digits() {
        for _ in 0..100 {
            let code = six_digit_code();
            assert_eq!(code.len(), 6);
            assert!(code.bytes().all(|b| b.is_ascii_digit()));
        }
    }
}
