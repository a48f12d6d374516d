//! Keys, JWKS and RS256 ID tokens, verified by an independent JWT implementation
//! (jsonwebtoken on aws-lc-rs).

mod common;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::Duration;
use common::{golden, t0, test_key, test_key_2};
use jsonwebtoken::jwk::{JwkSet, ThumbprintHash};
use jsonwebtoken::{decode, decode_header, Algorithm, DecodingKey, Validation};
use oin_idp::jwt::{at_hash, sign_rs256};
use oin_idp::keys::{DatedKey, KeySet, RETIRE_AFTER_SUPERSEDED_DAYS, ROTATE_AFTER_DAYS};
use oin_idp::SigningKey;
use serde_json::{json, Value};

fn jwks_of(keys: &[&SigningKey]) -> JwkSet {
    let set = KeySet::new(
        keys.iter()
            .enumerate()
            .map(|(i, k)| DatedKey {
                created_at: t0() - Duration::days(i as i64),
                key: SigningKey::from_pkcs8_der(k.pkcs8_der()).expect("copy"),
            })
            .collect(),
    );
    serde_json::from_str(&set.jwks().to_json()).expect("jsonwebtoken reads our JWKS")
}

fn verify(token: &str, jwks: &JwkSet, aud: &str) -> Result<Value, jsonwebtoken::errors::Error> {
    let header = decode_header(token)?;
    let kid = header.kid.clone().unwrap_or_default();
    let jwk = jwks
        .find(&kid)
        .ok_or(jsonwebtoken::errors::ErrorKind::InvalidKeyFormat)?;
    let key = DecodingKey::from_jwk(jwk)?;
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_audience(&[aud]);
    validation.set_issuer(&["https://org.example"]);
    validation.validate_exp = false; // the claims use a fixed past time
    decode::<Value>(token, &key, &validation).map(|d| d.claims)
}

fn claims() -> Value {
    json!({"iss": "https://org.example", "sub": "u1", "aud": "client-1",
           "iat": t0().timestamp(), "exp": (t0() + Duration::hours(1)).timestamp(),
           "nonce": "n-0S6_WzA2Mj"})
}

#[test]
fn generated_key_is_rsa_2048_and_survives_pkcs8() {
    let key = SigningKey::generate().expect("generate");
    let jwk = key.jwk();
    assert_eq!(URL_SAFE_NO_PAD.decode(&jwk.n).expect("n").len(), 256);
    assert_eq!(jwk.e, "AQAB");
    let again = SigningKey::from_pkcs8_der(key.pkcs8_der()).expect("reread");
    assert_eq!(again.kid(), key.kid());
    let from_pem = SigningKey::from_pkcs8_pem(&key.pkcs8_pem()).expect("pem");
    assert_eq!(from_pem.kid(), key.kid());
    assert_ne!(SigningKey::generate().expect("second").kid(), key.kid());
}

#[test]
fn kid_is_the_rfc7638_thumbprint() {
    for key in [test_key(), test_key_2()] {
        let set = jwks_of(&[&key]);
        let theirs = set.keys[0]
            .thumbprint(ThumbprintHash::SHA256)
            .expect("thumbprint");
        assert_eq!(key.kid(), theirs);
    }
}

#[test]
fn bad_keys_are_refused_with_a_message() {
    let rows: [(&[u8], &str); 2] = [
        (b"not a key", "Not a usable PKCS#8 RSA private key"),
        (&[], "Not a usable PKCS#8 RSA private key"),
    ];
    for (input, message) in rows {
        let err = SigningKey::from_pkcs8_der(input).expect_err("refused");
        assert!(err.0.starts_with(message), "{}", err.0);
    }
    let err =
        SigningKey::from_pkcs8_pem("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n").expect_err("pkcs1");
    assert!(err.0.contains("PKCS#8"), "{}", err.0);
}

#[test]
fn id_token_verifies_with_an_independent_library() {
    let key = test_key();
    let token = sign_rs256(&key, &claims()).expect("sign");
    let header = decode_header(&token).expect("header");
    assert_eq!(header.alg, Algorithm::RS256);
    assert_eq!(header.kid.as_deref(), Some(key.kid()));
    assert_eq!(header.typ.as_deref(), Some("JWT"));
    let verified = verify(&token, &jwks_of(&[&key]), "client-1").expect("verifies");
    assert_eq!(verified, claims());
}

#[test]
fn tampered_or_foreign_tokens_are_rejected_by_the_verifier() {
    let key = test_key();
    let token = sign_rs256(&key, &claims()).expect("sign");
    let jwks = jwks_of(&[&key]);
    // Another payload under the same signature.
    let parts: Vec<&str> = token.split('.').collect();
    let mut forged = claims();
    forged["sub"] = json!("admin");
    let forged_payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&forged).expect("json"));
    let tampered = format!("{}.{}.{}", parts[0], forged_payload, parts[2]);
    assert!(verify(&tampered, &jwks, "client-1").is_err());
    // Signed by a key that is not in the JWKS under that kid.
    let other = sign_rs256(&test_key_2(), &claims()).expect("sign");
    assert!(verify(&other, &jwks, "client-1").is_err());
    // Wrong audience.
    assert!(verify(&token, &jwks, "client-2").is_err());
}

#[test]
fn id_token_bytes_are_golden() {
    // RSASSA-PKCS1-v1_5 is deterministic: a fixed key and claims give fixed bytes.
    let token = sign_rs256(&test_key(), &claims()).expect("sign");
    golden("id_token.jwt", &token);
}

#[test]
fn jwks_is_golden() {
    let set = KeySet::new(vec![
        DatedKey {
            created_at: t0() - Duration::days(1),
            key: test_key_2(),
        },
        DatedKey {
            created_at: t0(),
            key: test_key(),
        },
    ]);
    golden("jwks.json", &set.jwks().to_json());
}

#[test]
fn at_hash_is_the_left_half_of_sha256() {
    // openssl dgst -sha256 -binary | head -c 16 | base64url
    assert_eq!(at_hash("access-token-1"), "xbDyM5Wjs8mTAhnyPZlETA");
}

#[test]
fn rotation_newest_signs_and_old_keys_retire() {
    let (old, new) = (test_key_2(), test_key());
    let (old_kid, new_kid) = (old.kid().to_string(), new.kid().to_string());
    let mut set = KeySet::default();
    assert!(set.rotation(t0()).generate, "no key yet: generate");
    set.add(DatedKey {
        created_at: t0(),
        key: old,
    });
    assert!(
        !set.rotation(t0() + Duration::days(ROTATE_AFTER_DAYS - 1))
            .generate
    );
    let due = t0() + Duration::days(ROTATE_AFTER_DAYS);
    assert!(set.rotation(due).generate);
    set.add(DatedKey {
        created_at: due,
        key: new,
    });
    assert_eq!(set.signing_key().map(|k| k.kid()), Some(new_kid.as_str()));
    let kids: Vec<String> = set.jwks().keys.into_iter().map(|k| k.kid).collect();
    assert_eq!(
        kids,
        [new_kid.clone(), old_kid.clone()],
        "both published, newest first"
    );
    // Tokens signed by the old key still verify during the grace period.
    let old_token = sign_rs256(set.find(&old_kid).expect("old"), &claims()).expect("sign");
    let jwks: JwkSet = serde_json::from_str(&set.jwks().to_json()).expect("jwks");
    assert!(verify(&old_token, &jwks, "client-1").is_ok());
    let grace = due + Duration::days(RETIRE_AFTER_SUPERSEDED_DAYS);
    assert!(set.rotation(grace - Duration::seconds(1)).retire.is_empty());
    assert_eq!(set.rotation(grace).retire, std::slice::from_ref(&old_kid));
    set.retire(&old_kid);
    assert_eq!(set.jwks().keys.len(), 1);
}

#[test]
fn certificate_is_deterministic_and_parses() {
    let key = test_key();
    let a = key
        .self_signed_certificate("OIN test IdP", t0(), t0() + Duration::days(3650))
        .expect("cert");
    let b = key
        .self_signed_certificate("OIN test IdP", t0(), t0() + Duration::days(3650))
        .expect("cert");
    assert_eq!(a, b);
    assert!(a.pem().starts_with("-----BEGIN CERTIFICATE-----\n"));
    golden("certificate.pem", &a.pem());
}
