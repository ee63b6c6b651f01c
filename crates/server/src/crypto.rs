//! Tokens, hashes and signatures.
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Argon2, Params};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};

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

/// Argon2id with the given cost (memory in KiB, iterations).
pub struct PasswordHashing {
    argon: Argon2<'static>,
}

impl PasswordHashing {
    pub fn new(memory_kib: u32, iterations: u32) -> Self {
        let params = Params::new(memory_kib, iterations, 1, None).unwrap_or_default();
        Self {
            argon: Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params),
        }
    }

    pub fn hash(&self, secret: &str) -> String {
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        self.argon
            .hash_password(secret.as_bytes(), &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    }

    /// Verifies against a stored hash; with no stored hash it still does the work, so timing
    /// does not reveal whether an account exists.
    pub fn verify(&self, secret: &str, stored: Option<&str>) -> bool {
        let dummy = stored.is_none().then(|| self.hash("timing-equaliser"));
        let hash = stored.or(dummy.as_deref()).unwrap_or_default();
        let matches = PasswordHash::new(hash).is_ok_and(|parsed| {
            self.argon
                .verify_password(secret.as_bytes(), &parsed)
                .is_ok()
        });
        stored.is_some() && matches
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
        assert!(hashing.verify("correct horse", Some(&stored)));
        assert!(!hashing.verify("wrong", Some(&stored)));
        assert!(!hashing.verify("correct horse", None));
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
