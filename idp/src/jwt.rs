//! JWS compact serialization with RS256 (RFC 7515 §3.1, §5.1; RFC 7518 §3.3) for ID tokens
//! (OIDC Core §2).

use crate::keys::{KeyError, SigningKey};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};

/// The JOSE header of every token this provider signs. Field order is the output order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub alg: String,
    pub kid: String,
    pub typ: String,
}

/// `header.payload.signature`, each base64url without padding (RFC 7515 §7.1); the signature
/// is RSASSA-PKCS1-v1_5 SHA-256 over the ASCII of `header.payload` (RFC 7518 §3.3), signed
/// by `key` whose id is the header's `kid` (RFC 7515 §4.1.4).
pub fn sign_rs256<T: Serialize>(key: &SigningKey, claims: &T) -> Result<String, KeyError> {
    let header = Header {
        alg: "RS256".into(),
        kid: key.kid().to_string(),
        typ: "JWT".into(),
    };
    let header = serde_json::to_vec(&header).map_err(|e| KeyError(e.to_string()))?;
    let payload = serde_json::to_vec(claims).map_err(|e| KeyError(e.to_string()))?;
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(payload)
    );
    let signature = key.sign_rs256(signing_input.as_bytes())?;
    Ok(format!(
        "{signing_input}.{}",
        URL_SAFE_NO_PAD.encode(signature)
    ))
}

/// OIDC Core §3.1.3.6: `at_hash` is the base64url of the left half of the SHA-256 of the
/// access token's ASCII (SHA-256 because the ID token is RS256).
pub fn at_hash(access_token: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, access_token.as_bytes());
    let bytes = digest.as_ref();
    URL_SAFE_NO_PAD.encode(&bytes[..bytes.len() / 2])
}
