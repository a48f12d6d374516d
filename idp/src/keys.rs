//! Signing keys: RSA 2048 generation (rcgen on aws-lc-rs: ring cannot generate RSA keys),
//! import from PKCS#8, the key id (RFC 7638 thumbprint), the JWK and JWKS documents, the
//! self-signed X.509 certificate the SAML metadata publishes, and rotation.
//!
//! Every signature is made by ring (`RsaKeyPair::sign`, RSASSA-PKCS1-v1_5 with SHA-256); the
//! `rsa` crate is never used (RUSTSEC-2023-0071).

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use ring::rand::SystemRandom;
use ring::signature::{RsaKeyPair, RSA_PKCS1_SHA256};
use serde::{Deserialize, Serialize};

/// Why a key could not be made, read or used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyError(pub String);

impl std::fmt::Display for KeyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for KeyError {}

/// RSA modulus size of generated keys (RFC 7518 §3.3: 2048 bits or larger for RS256).
pub const RSA_BITS: usize = 2048;

/// An RSA private key that signs ID tokens and SAML messages. Holds the PKCS#8 document the
/// server stores (encrypted at rest), and its public parts.
pub struct SigningKey {
    pkcs8: Vec<u8>,
    pair: RsaKeyPair,
    n: Vec<u8>,
    e: Vec<u8>,
    kid: String,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the private key.
        f.debug_struct("SigningKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl SigningKey {
    /// A new random RSA 2048 key (rcgen's aws-lc-rs backend), as PKCS#8.
    pub fn generate() -> Result<SigningKey, KeyError> {
        let pair =
            rcgen::KeyPair::generate_rsa_for(&rcgen::PKCS_RSA_SHA256, rcgen::RsaKeySize::_2048)
                .map_err(|e| KeyError(format!("Could not generate an RSA key: {e}")))?;
        SigningKey::from_pkcs8_der(&pair.serialize_der())
    }

    /// Reads a PKCS#8 (RFC 5208) DER RSA private key, as [`SigningKey::pkcs8_der`] wrote it.
    pub fn from_pkcs8_der(der: &[u8]) -> Result<SigningKey, KeyError> {
        let pair = RsaKeyPair::from_pkcs8(der)
            .map_err(|e| KeyError(format!("Not a usable PKCS#8 RSA private key: {e}")))?;
        if pair.public().modulus_len() * 8 < RSA_BITS {
            return Err(KeyError(format!(
                "The RSA key is shorter than {RSA_BITS} bits (RFC 7518 §3.3)"
            )));
        }
        let public = ring::rsa::PublicKeyComponents::<Vec<u8>>::from(pair.public());
        let n = public.n;
        let e = public.e;
        let kid = thumbprint(&n, &e);
        Ok(SigningKey {
            pkcs8: der.to_vec(),
            pair,
            n,
            e,
            kid,
        })
    }

    /// Reads a `-----BEGIN PRIVATE KEY-----` PEM (PKCS#8).
    pub fn from_pkcs8_pem(pem: &str) -> Result<SigningKey, KeyError> {
        let body: String = pem
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with("-----"))
            .collect();
        if !pem.contains("-----BEGIN PRIVATE KEY-----") {
            return Err(KeyError(
                "Expected a PKCS#8 PEM (-----BEGIN PRIVATE KEY-----)".into(),
            ));
        }
        let der = STANDARD
            .decode(body)
            .map_err(|e| KeyError(format!("The PEM body is not base64: {e}")))?;
        SigningKey::from_pkcs8_der(&der)
    }

    /// The PKCS#8 DER to store (a secret: encrypt it at rest, never log it).
    pub fn pkcs8_der(&self) -> &[u8] {
        &self.pkcs8
    }

    /// The PKCS#8 PEM (a secret).
    pub fn pkcs8_pem(&self) -> String {
        pem("PRIVATE KEY", &self.pkcs8)
    }

    /// The key id: the RFC 7638 JWK thumbprint (SHA-256, base64url), stable for the key.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The public key as a JWK (RFC 7517 §4, RFC 7518 §6.3.1).
    pub fn jwk(&self) -> Jwk {
        Jwk {
            kty: "RSA".into(),
            alg: "RS256".into(),
            kid: self.kid.clone(),
            use_: "sig".into(),
            e: URL_SAFE_NO_PAD.encode(&self.e),
            n: URL_SAFE_NO_PAD.encode(&self.n),
        }
    }

    /// RSASSA-PKCS1-v1_5 with SHA-256 (RFC 8017 §8.2; JWA RS256, XML DSig rsa-sha256) over
    /// `message`, by ring. Deterministic: the same key and message give the same bytes.
    pub fn sign_rs256(&self, message: &[u8]) -> Result<Vec<u8>, KeyError> {
        let mut signature = vec![0u8; self.pair.public().modulus_len()];
        self.pair
            .sign(
                &RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                message,
                &mut signature,
            )
            .map_err(|_| KeyError("Signing failed".into()))?;
        Ok(signature)
    }

    /// A self-signed X.509 v3 certificate for this key (RFC 5280), signed with SHA-256 with
    /// RSA: what SAML metadata and `ds:KeyInfo` publish. Deterministic for the same key,
    /// name and validity (serial number from the key id).
    pub fn self_signed_certificate(
        &self,
        common_name: &str,
        not_before: DateTime<Utc>,
        not_after: DateTime<Utc>,
    ) -> Result<Certificate, KeyError> {
        let err = |e: rcgen::Error| KeyError(format!("Could not make the certificate: {e}"));
        let key = rcgen::KeyPair::try_from(self.pkcs8.as_slice()).map_err(err)?;
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).map_err(err)?;
        params.distinguished_name = rcgen::DistinguishedName::new();
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, common_name);
        params.not_before = to_time(not_before)?;
        params.not_after = to_time(not_after)?;
        let mut serial = URL_SAFE_NO_PAD
            .decode(&self.kid)
            .map_err(|_| KeyError("Bad key id".into()))?;
        serial.truncate(16);
        if let Some(first) = serial.first_mut() {
            *first &= 0x7f; // RFC 5280 §4.1.2.2: a positive integer
        }
        params.serial_number = Some(rcgen::SerialNumber::from_slice(&serial));
        params.key_usages = vec![rcgen::KeyUsagePurpose::DigitalSignature];
        let cert = params.self_signed(&key).map_err(err)?;
        Ok(Certificate {
            der: cert.der().to_vec(),
        })
    }
}

fn to_time(t: DateTime<Utc>) -> Result<time::OffsetDateTime, KeyError> {
    time::OffsetDateTime::from_unix_timestamp(t.timestamp())
        .map_err(|_| KeyError(format!("{t} is out of range for a certificate")))
}

/// RFC 7638 §3.2: the thumbprint of an RSA JWK hashes `{"e":…,"kty":"RSA","n":…}` with the
/// members in lexicographic order and no whitespace.
fn thumbprint(n: &[u8], e: &[u8]) -> String {
    let json = format!(
        r#"{{"e":"{}","kty":"RSA","n":"{}"}}"#,
        URL_SAFE_NO_PAD.encode(e),
        URL_SAFE_NO_PAD.encode(n)
    );
    URL_SAFE_NO_PAD.encode(ring::digest::digest(&ring::digest::SHA256, json.as_bytes()))
}

fn pem(label: &str, der: &[u8]) -> String {
    let b64 = STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// An X.509 certificate (DER).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Certificate {
    pub der: Vec<u8>,
}

impl Certificate {
    /// Base64 of the DER, one line: the content of `ds:X509Certificate` (XML DSig §4.4.4).
    pub fn base64(&self) -> String {
        STANDARD.encode(&self.der)
    }

    /// `-----BEGIN CERTIFICATE-----` PEM, for a vendor to paste into their app.
    pub fn pem(&self) -> String {
        pem("CERTIFICATE", &self.der)
    }
}

/// A public RSA key as a JWK (RFC 7517 §4, RFC 7518 §6.3.1). Field order is the output order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Jwk {
    pub kty: String,
    pub alg: String,
    pub kid: String,
    #[serde(rename = "use")]
    pub use_: String,
    pub e: String,
    pub n: String,
}

/// A JWK Set (RFC 7517 §5): the body of the JWKS endpoint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Jwks {
    pub keys: Vec<Jwk>,
}

impl Jwks {
    /// The JSON body.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| r#"{"keys":[]}"#.into())
    }
}

/// How long a key signs before a new one takes over.
pub const ROTATE_AFTER_DAYS: i64 = 90;
/// How long a superseded key stays in the JWKS (and SAML metadata), so tokens it signed and
/// caches of the old JWKS keep verifying (ID tokens live one hour; caches a few days).
pub const RETIRE_AFTER_SUPERSEDED_DAYS: i64 = 7;

/// A signing key with the time it was created (what the server stores per key).
#[derive(Debug)]
pub struct DatedKey {
    pub created_at: DateTime<Utc>,
    pub key: SigningKey,
}

/// The provider's keys, newest first: the newest signs, all are published.
#[derive(Debug, Default)]
pub struct KeySet {
    keys: Vec<DatedKey>,
}

/// What [`KeySet::rotation`] asks the server to do (then it calls [`KeySet::add`] or
/// [`KeySet::retire`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rotation {
    /// No key, or the newest is older than [`ROTATE_AFTER_DAYS`]: generate one.
    pub generate: bool,
    /// Key ids superseded for more than [`RETIRE_AFTER_SUPERSEDED_DAYS`]: delete them.
    pub retire: Vec<String>,
}

impl KeySet {
    /// Keys in any order; they are kept newest first.
    pub fn new(mut keys: Vec<DatedKey>) -> KeySet {
        keys.sort_by_key(|k| std::cmp::Reverse(k.created_at));
        KeySet { keys }
    }

    /// Adds a key (it becomes the signing key when it is the newest).
    pub fn add(&mut self, key: DatedKey) {
        self.keys.push(key);
        self.keys.sort_by_key(|k| std::cmp::Reverse(k.created_at));
    }

    /// Removes a key by id.
    pub fn retire(&mut self, kid: &str) {
        self.keys.retain(|k| k.key.kid() != kid);
    }

    /// The key that signs: the newest.
    pub fn signing_key(&self) -> Option<&SigningKey> {
        self.keys.first().map(|k| &k.key)
    }

    /// Every key, newest first.
    pub fn keys(&self) -> impl Iterator<Item = &DatedKey> {
        self.keys.iter()
    }

    /// The key with this id.
    pub fn find(&self, kid: &str) -> Option<&SigningKey> {
        self.keys.iter().map(|k| &k.key).find(|k| k.kid() == kid)
    }

    /// The JWKS: every key, newest first (OIDC Core §10.1.1: keys are added before they sign
    /// and kept while tokens they signed may still be checked).
    pub fn jwks(&self) -> Jwks {
        Jwks {
            keys: self.keys.iter().map(|k| k.key.jwk()).collect(),
        }
    }

    /// What rotation is due at `now`.
    pub fn rotation(&self, now: DateTime<Utc>) -> Rotation {
        let generate = match self.keys.first() {
            None => true,
            Some(newest) => now - newest.created_at >= Duration::days(ROTATE_AFTER_DAYS),
        };
        // A key is superseded when the next newer key was created.
        let retire = self
            .keys
            .windows(2)
            .filter(|w| now - w[0].created_at >= Duration::days(RETIRE_AFTER_SUPERSEDED_DAYS))
            .map(|w| w[1].key.kid().to_string())
            .collect();
        Rotation { generate, retire }
    }
}

/// A fresh random secret for codes, tokens and ids: 32 bytes from the system's CSPRNG,
/// base64url (43 characters). Pure functions take such values as input; the server makes them.
pub fn random_token() -> Result<String, KeyError> {
    use ring::rand::SecureRandom;
    let mut bytes = [0u8; 32];
    SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| KeyError("The system random generator failed".into()))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}
