//! Keys and randomness: the AES-256-GCM key that encrypts secrets at rest (client secrets, SCIM
//! tokens, the test account password), random ids and session tokens, and password hashing
//! (argon2id). All randomness comes from the operating system (`ring::rand::SystemRandom`).
//!
//! The key is 32 bytes, read from the environment variable [`KEY_ENV`] (64 hex digits) or from
//! a key file (64 hex digits). A missing key file is created with a new random key on first
//! start (mode 0600). Replicas on one PostgreSQL database must share the key.

use std::path::Path;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use oin_wizard::domain::model::base64;
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};
use ring::digest;
use ring::rand::{SecureRandom, SystemRandom};

/// The environment variable that may hold the key (64 hex digits); it wins over the file.
pub const KEY_ENV: &str = "OIN_SERVER_KEY";

/// Prefix of sealed text: the format (and key) version, for a later rotation.
const SEALED_PREFIX: &str = "v1:";

/// The secret-sealing key and the random source.
pub struct Keys {
    key: LessSafeKey,
    rng: SystemRandom,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys(..)")
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    let text = text.trim();
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

impl Keys {
    /// Keys from 32 raw bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Keys, String> {
        let unbound = UnboundKey::new(&AES_256_GCM, bytes)
            .map_err(|_| "The secret key must be 32 bytes (64 hex digits)".to_string())?;
        Ok(Keys {
            key: LessSafeKey::new(unbound),
            rng: SystemRandom::new(),
        })
    }

    /// A fresh random key (tests, and the first start).
    pub fn generate() -> Result<Keys, String> {
        let mut bytes = [0u8; 32];
        SystemRandom::new()
            .fill(&mut bytes)
            .map_err(|_| "The operating system gave no randomness".to_string())?;
        Keys::from_bytes(&bytes)
    }

    /// The key from [`KEY_ENV`] if set, else from `path`, creating that file with a new key
    /// when it does not exist. Says which in the log, never the key.
    pub fn load(path: &Path) -> Result<Keys, String> {
        if let Ok(text) = std::env::var(KEY_ENV) {
            let bytes = unhex(&text)
                .ok_or_else(|| format!("{KEY_ENV} must be 64 hex digits (32 bytes)"))?;
            tracing::info!("secrets at rest: key from the environment ({KEY_ENV})");
            return Keys::from_bytes(&bytes);
        }
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let bytes = unhex(&text).ok_or_else(|| {
                    format!("{} must hold 64 hex digits (32 bytes)", path.display())
                })?;
                tracing::info!("secrets at rest: key from {}", path.display());
                Keys::from_bytes(&bytes)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut bytes = [0u8; 32];
                SystemRandom::new()
                    .fill(&mut bytes)
                    .map_err(|_| "The operating system gave no randomness".to_string())?;
                write_private(path, &hex(&bytes)).map_err(|e| {
                    format!("Could not create the key file {}: {e}", path.display())
                })?;
                tracing::warn!(
                    "secrets at rest: created a new key in {} (keep it with the database: without it the stored secrets cannot be read)",
                    path.display()
                );
                Keys::from_bytes(&bytes)
            }
            Err(e) => Err(format!(
                "Could not read the key file {}: {e}",
                path.display()
            )),
        }
    }

    /// `len` random bytes.
    pub fn random_bytes(&self, len: usize) -> Result<Vec<u8>, String> {
        let mut bytes = vec![0u8; len];
        self.rng
            .fill(&mut bytes)
            .map_err(|_| "The operating system gave no randomness".to_string())?;
        Ok(bytes)
    }

    /// A random token of `len` characters from an unambiguous alphabet, after `prefix`.
    pub fn token(&self, prefix: &str, len: usize) -> Result<String, String> {
        const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        let bytes = self.random_bytes(len)?;
        let mut out = String::from(prefix);
        // 256 is not a multiple of 56: reject the top values so every character is uniform.
        let limit = 256 - 256 % ALPHABET.len();
        let mut extra = Vec::new();
        for b in bytes {
            let mut b = usize::from(b);
            while b >= limit {
                if extra.is_empty() {
                    extra = self.random_bytes(16)?;
                }
                b = usize::from(extra.pop().unwrap_or(0));
            }
            out.push(char::from(ALPHABET[b % ALPHABET.len()]));
        }
        Ok(out)
    }

    /// Encrypts `plain` bound to `context` (the row it belongs to, so a sealed value moved to
    /// another row does not open).
    pub fn seal(&self, context: &str, plain: &[u8]) -> Result<String, String> {
        let nonce_bytes = self.random_bytes(NONCE_LEN)?;
        let mut nonce = [0u8; NONCE_LEN];
        nonce.copy_from_slice(&nonce_bytes);
        let mut data = plain.to_vec();
        self.key
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(context.as_bytes()),
                &mut data,
            )
            .map_err(|_| "Encryption failed".to_string())?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&data);
        Ok(format!("{SEALED_PREFIX}{}", base64::encode(&out)))
    }

    /// Decrypts what [`Keys::seal`] wrote for the same `context`.
    pub fn open(&self, context: &str, sealed: &str) -> Result<Vec<u8>, String> {
        let bytes = sealed
            .strip_prefix(SEALED_PREFIX)
            .and_then(base64::decode)
            .ok_or_else(|| format!("A stored secret of {context} is not in the sealed format"))?;
        if bytes.len() < NONCE_LEN {
            return Err(format!("A stored secret of {context} is truncated"));
        }
        let (nonce, data) = bytes.split_at(NONCE_LEN);
        let mut nonce_bytes = [0u8; NONCE_LEN];
        nonce_bytes.copy_from_slice(nonce);
        let mut data = data.to_vec();
        let plain = self
            .key
            .open_in_place(
                Nonce::assume_unique_for_key(nonce_bytes),
                Aad::from(context.as_bytes()),
                &mut data,
            )
            .map_err(|_| {
                format!(
                    "A stored secret of {context} does not open with this key (wrong key file?)"
                )
            })?;
        Ok(plain.to_vec())
    }
}

/// SHA-256 of a session token, hex: what the database keeps instead of the token.
pub fn token_hash(token: &str) -> String {
    hex(digest::digest(&digest::SHA256, token.as_bytes()).as_ref())
}

/// An argon2id hash (PHC string) of `password` with a random salt.
pub fn hash_password(keys: &Keys, password: &str) -> Result<String, String> {
    let salt_bytes = keys.random_bytes(16)?;
    let salt = SaltString::encode_b64(&salt_bytes).map_err(|e| e.to_string())?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| format!("Could not hash the password: {e}"))
}

/// Whether `password` matches the PHC `hash` (a malformed hash never matches).
pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_secrets_open_only_with_their_context_and_key() {
        let keys = Keys::generate().unwrap();
        let sealed = keys.seal("submission:s1", b"hunter2").unwrap();
        assert!(!sealed.contains("hunter2"));
        assert_eq!(keys.open("submission:s1", &sealed).unwrap(), b"hunter2");
        assert!(keys.open("submission:s2", &sealed).is_err());
        assert!(Keys::generate()
            .unwrap()
            .open("submission:s1", &sealed)
            .is_err());
        assert!(keys.open("submission:s1", "v1:AAAA").is_err());
        assert!(keys.open("submission:s1", "garbage").is_err());
    }

    #[test]
    fn passwords_verify_only_when_equal() {
        let keys = Keys::generate().unwrap();
        let hash = hash_password(&keys, "correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password(&hash, "correct horse"));
        assert!(!verify_password(&hash, "correct horse "));
        assert!(!verify_password("not a hash", "x"));
    }

    #[test]
    fn tokens_use_the_alphabet_and_differ() {
        let keys = Keys::generate().unwrap();
        let a = keys.token("t-", 32).unwrap();
        let b = keys.token("t-", 32).unwrap();
        assert_eq!(a.len(), 34);
        assert_ne!(a, b);
        assert!(a[2..].chars().all(|c| c.is_ascii_alphanumeric()));
    }
}
