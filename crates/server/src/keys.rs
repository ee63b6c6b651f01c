//! Signing keys: one ring per purpose (e-card tokens, WeChat bind tokens, offline e-card device
//! keys, stored SMS sign-in codes), each key named by a key id (`kid`) carried in what it signs, so keys rotate without
//! breaking what is already out.
//!
//! A ring is configured as `kid:secret[,kid:secret…]`: the first key signs, every key listed
//! verifies. Rotation: put a new key first and keep the old one second until everything it
//! signed has expired (60 s for e-card tokens, 10 min for bind tokens, one session for offline
//! device keys, 5 min for SMS codes), then remove it. Production refuses to start without the rings; a development
//! server (`--dev-outbox`) generates one random key per purpose, kept in the database so
//! restarts and instances agree.
use crate::config::Config;
use crate::crypto::{constant_time_eq, hmac_sha256_hex, random_hex};
use crate::db::Db;

/// A secret shorter than this is refused (hex of 16 random bytes is 32 characters).
const MIN_SECRET_CHARS: usize = 32;

/// What a ring signs. Every signed message is prefixed with the purpose, so even a secret
/// shared by mistake could not make a token of one kind pass as another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Ecard,
    WeChatBind,
    OfflineCard,
    /// Not a token handed out: the keyed hash under which an SMS code is stored.
    SmsCode,
}

impl Purpose {
    /// The command-line flag that configures this ring.
    pub fn flag(self) -> &'static str {
        match self {
            Purpose::Ecard => "--ecard-keys",
            Purpose::WeChatBind => "--wechat-bind-keys",
            Purpose::OfflineCard => "--offline-card-keys",
            Purpose::SmsCode => "--sms-code-keys",
        }
    }

    /// The environment variable equivalent to the flag.
    pub fn env(self) -> &'static str {
        match self {
            Purpose::Ecard => "PORTAL_ECARD_KEYS",
            Purpose::WeChatBind => "PORTAL_WECHAT_BIND_KEYS",
            Purpose::OfflineCard => "PORTAL_OFFLINE_CARD_KEYS",
            Purpose::SmsCode => "PORTAL_SMS_CODE_KEYS",
        }
    }

    fn domain(self) -> &'static str {
        match self {
            Purpose::Ecard => "ecard",
            Purpose::WeChatBind => "wechat-bind",
            Purpose::OfflineCard => "offline-card",
            Purpose::SmsCode => "sms-code",
        }
    }

    fn configured(self, config: &Config) -> Option<&str> {
        match self {
            Purpose::Ecard => config.ecard_keys.as_deref(),
            Purpose::WeChatBind => config.wechat_bind_keys.as_deref(),
            Purpose::OfflineCard => config.offline_card_keys.as_deref(),
            Purpose::SmsCode => config.sms_code_keys.as_deref(),
        }
        .filter(|spec| !spec.trim().is_empty())
    }

    /// Whether production needs this ring: bind tokens exist only with WeChat sign-in on.
    fn required(self, config: &Config) -> bool {
        self != Purpose::WeChatBind || config.wechat_app_id.is_some()
    }
}

/// Why the keys could not be set up; each message is one line naming the flag to fix.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error(
        "no signing keys configured: set {flag} (or {env}) to kid:secret[,kid:secret…] with secrets of at least 32 random characters, or run a development server with --dev-outbox"
    )]
    Missing {
        flag: &'static str,
        env: &'static str,
    },
    #[error("{flag}: entry {position} is not kid:secret (kid: 1–16 of A-Z a-z 0-9 _ -)")]
    Malformed { flag: &'static str, position: usize },
    #[error("{flag}: the secret of key `{kid}` is shorter than 32 characters")]
    Short { flag: &'static str, kid: String },
    #[error("{flag}: key id `{kid}` is listed twice")]
    DuplicateKid { flag: &'static str, kid: String },
    #[error("{flag} and {other} share a secret: give every purpose its own keys")]
    Shared {
        flag: &'static str,
        other: &'static str,
    },
    #[error("cannot keep development keys in the database: {0}")]
    Database(#[from] sqlx::Error),
}

/// One key: its id and secret.
#[derive(Clone)]
struct Key {
    kid: String,
    secret: String,
}

/// The keys of one purpose: the first signs, all verify.
#[derive(Clone)]
pub struct KeyRing {
    purpose: Purpose,
    keys: Vec<Key>,
}

impl KeyRing {
    /// Parses `kid:secret[,kid:secret…]`.
    pub fn parse(purpose: Purpose, spec: &str) -> Result<KeyRing, KeyError> {
        let flag = purpose.flag();
        let mut keys: Vec<Key> = Vec::new();
        let entries = spec.split(',').map(str::trim).filter(|e| !e.is_empty());
        for (index, entry) in entries.enumerate() {
            // Never echo the entry: it may be a secret missing its kid.
            let malformed = || KeyError::Malformed {
                flag,
                position: index + 1,
            };
            let (kid, secret) = entry.split_once(':').ok_or_else(malformed)?;
            if !valid_kid(kid) {
                return Err(malformed());
            }
            if secret.chars().count() < MIN_SECRET_CHARS {
                return Err(KeyError::Short {
                    flag,
                    kid: kid.to_owned(),
                });
            }
            if keys.iter().any(|k| k.kid == kid) {
                return Err(KeyError::DuplicateKid {
                    flag,
                    kid: kid.to_owned(),
                });
            }
            keys.push(Key {
                kid: kid.to_owned(),
                secret: secret.to_owned(),
            });
        }
        if keys.is_empty() {
            return Err(KeyError::Missing {
                flag,
                env: purpose.env(),
            });
        }
        Ok(KeyRing { purpose, keys })
    }

    fn single(purpose: Purpose, kid: &str, secret: String) -> KeyRing {
        KeyRing {
            purpose,
            keys: vec![Key {
                kid: kid.to_owned(),
                secret,
            }],
        }
    }

    /// The id of the key that signs.
    pub fn current_kid(&self) -> &str {
        &self.keys[0].kid
    }

    /// Signs `message` with the current key: (kid, hex signature).
    pub fn sign(&self, message: &str) -> (String, String) {
        let key = &self.keys[0];
        (key.kid.clone(), self.mac(key, message))
    }

    /// Whether `signature` is `message` signed by the accepted key `kid`.
    pub fn verify(&self, kid: &str, message: &str, signature: &str) -> bool {
        self.keys
            .iter()
            .find(|k| k.kid == kid)
            .is_some_and(|key| constant_time_eq(&self.mac(key, message), signature))
    }

    /// A secret derived for `label` under the accepted key `kid` (32 bytes, hex), e.g. an
    /// offline device key: nothing secret needs storing, and removing `kid` revokes them all.
    pub fn derive(&self, kid: &str, label: &str) -> Option<String> {
        let key = self.keys.iter().find(|k| k.kid == kid)?;
        Some(self.mac(key, &format!("derive:{label}")))
    }

    /// `message` as `kid.signature`, to be stored and checked later with `verify_stored`.
    pub fn sign_stored(&self, message: &str) -> String {
        let (kid, signature) = self.sign(message);
        format!("{kid}.{signature}")
    }

    /// Whether `stored` (from `sign_stored`) is `message` under a key still listed.
    pub fn verify_stored(&self, stored: &str, message: &str) -> bool {
        stored
            .split_once('.')
            .is_some_and(|(kid, signature)| self.verify(kid, message, signature))
    }

    fn mac(&self, key: &Key, message: &str) -> String {
        hmac_sha256_hex(
            key.secret.as_bytes(),
            &format!("{}:{message}", self.purpose.domain()),
        )
    }
}

/// A kid goes inside dotted tokens: short, and no `.`, `:` or `,`.
pub fn valid_kid(kid: &str) -> bool {
    (1..=16).contains(&kid.len())
        && kid
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Every purpose's ring.
#[derive(Clone)]
pub struct Keys {
    pub ecard: KeyRing,
    pub wechat_bind: KeyRing,
    pub offline_card: KeyRing,
    pub sms_code: KeyRing,
}

/// What to do about a ring nobody configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unconfigured {
    /// Serving: production refuses to start, development keeps generated keys in the database.
    Serve,
    /// Seeding and admin commands sign nothing: a throwaway key will do.
    Throwaway,
}

impl Keys {
    /// The configured rings, or generated ones where the configuration allows.
    pub async fn load(config: &Config, db: &Db, policy: Unconfigured) -> Result<Keys, KeyError> {
        let keys = Keys {
            ecard: ring(config, db, Purpose::Ecard, policy).await?,
            wechat_bind: ring(config, db, Purpose::WeChatBind, policy).await?,
            offline_card: ring(config, db, Purpose::OfflineCard, policy).await?,
            sms_code: ring(config, db, Purpose::SmsCode, policy).await?,
        };
        refuse_shared_secrets(&[
            &keys.ecard,
            &keys.wechat_bind,
            &keys.offline_card,
            &keys.sms_code,
        ])?;
        Ok(keys)
    }
}

async fn ring(
    config: &Config,
    db: &Db,
    purpose: Purpose,
    policy: Unconfigured,
) -> Result<KeyRing, KeyError> {
    if let Some(spec) = purpose.configured(config) {
        return KeyRing::parse(purpose, spec);
    }
    if config.is_development() {
        let name = format!("dev_key_{}", purpose.domain());
        let secret = crate::shared_secret(db, &name).await?;
        return Ok(KeyRing::single(purpose, "dev", secret));
    }
    if policy == Unconfigured::Serve && purpose.required(config) {
        return Err(KeyError::Missing {
            flag: purpose.flag(),
            env: purpose.env(),
        });
    }
    // Nothing will ever verify against it: nothing it could sign is issued.
    Ok(KeyRing::single(purpose, "none", random_hex(32)))
}

fn refuse_shared_secrets(rings: &[&KeyRing]) -> Result<(), KeyError> {
    for (i, ring) in rings.iter().enumerate() {
        for other in &rings[i + 1..] {
            let shared = ring
                .keys
                .iter()
                .any(|a| other.keys.iter().any(|b| a.secret == b.secret));
            if shared {
                return Err(KeyError::Shared {
                    flag: ring.purpose.flag(),
                    other: other.purpose.flag(),
                });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const B: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    #[test]
    fn the_first_key_signs_and_every_listed_key_verifies() {
        let old = KeyRing::parse(Purpose::Ecard, &format!("k0:{A}")).unwrap();
        let (kid, signature) = old.sign("hello");
        assert_eq!(kid, "k0");
        let rotated = KeyRing::parse(Purpose::Ecard, &format!("k1:{B},k0:{A}")).unwrap();
        assert_eq!(rotated.current_kid(), "k1");
        assert!(rotated.verify("k0", "hello", &signature));
        assert!(!rotated.verify("k1", "hello", &signature));
        let retired = KeyRing::parse(Purpose::Ecard, &format!("k1:{B}")).unwrap();
        assert!(!retired.verify("k0", "hello", &signature));
    }

    #[test]
    fn a_stored_code_verifies_while_its_key_is_listed_and_never_without_a_key() {
        let old = KeyRing::parse(Purpose::SmsCode, &format!("k0:{A}")).unwrap();
        let stored = old.sign_stored("13800000001:123456");
        assert!(stored.starts_with("k0."));
        assert!(
            !stored.contains(&crate::crypto::sha256_hex("13800000001:123456")),
            "not the plain hash anyone could recompute for all million codes"
        );
        let rotated = KeyRing::parse(Purpose::SmsCode, &format!("k1:{B},k0:{A}")).unwrap();
        assert!(rotated.verify_stored(&stored, "13800000001:123456"));
        assert!(!rotated.verify_stored(&stored, "13800000001:123457"));
        let retired = KeyRing::parse(Purpose::SmsCode, &format!("k1:{B}")).unwrap();
        assert!(!retired.verify_stored(&stored, "13800000001:123456"));
        assert!(!rotated.verify_stored("no-kid-here", "13800000001:123456"));
    }

    #[test]
    fn the_same_secret_signs_differently_for_each_purpose() {
        let ecard = KeyRing::parse(Purpose::Ecard, &format!("k:{A}")).unwrap();
        let bind = KeyRing::parse(Purpose::WeChatBind, &format!("k:{A}")).unwrap();
        let (_, signature) = ecard.sign("m");
        assert!(!bind.verify("k", "m", &signature));
        assert!(matches!(
            refuse_shared_secrets(&[&ecard, &bind]),
            Err(KeyError::Shared { .. })
        ));
    }

    #[test]
    fn bad_specs_are_refused_with_the_flag_named() {
        let specs = [
            String::new(),
            A.to_owned(),
            format!("bad.kid:{A}"),
            format!("k:{A},k:{B}"),
            "k:short".to_owned(),
        ];
        for spec in &specs {
            let error = KeyRing::parse(Purpose::OfflineCard, spec).err().unwrap();
            let line = error.to_string();
            assert!(line.contains("--offline-card-keys"), "{line}");
            assert!(!line.contains('\n'));
            assert!(
                !line.contains(A) && !line.contains(B),
                "secrets never printed: {line}"
            );
        }
    }
}
