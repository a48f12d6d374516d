//! The OAuth 2.0 authorization code grant's token requests for SCIM (SPEC 4.5, 5.2; RFC 6749
//! §4.1.3 and §6): exchanging the code the vendor's authorize page returned (with the PKCE
//! verifier, RFC 7636 §4.5) and refreshing. Sent the runner's one way ([`Caller`]): checked
//! address, no redirects, time and size limits; the client authenticates with HTTP Basic
//! (`client_secret_basic`, RFC 6749 §2.3.1). Nothing here logs or records a secret.

use std::sync::Arc;
use std::time::Instant;

use base64::Engine;
use reqwest::Method;
use serde_json::Value;

use crate::address::NameLookup;
use crate::http::{Body, Caller, Limits};

/// What the token endpoint issued.
#[derive(Clone, PartialEq, Eq)]
pub struct Tokens {
    /// The bearer access token.
    pub access_token: String,
    /// The refresh token, when one was issued.
    pub refresh_token: Option<String>,
    /// `expires_in` seconds, when given.
    pub expires_in: Option<i64>,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tokens([redacted])")
    }
}

/// Where the token endpoint is and who the client is.
#[derive(Clone)]
pub struct TokenClient {
    /// Token endpoint URL (https unless `allow_local`).
    pub token_endpoint: String,
    /// Client ID.
    pub client_id: String,
    /// Client secret.
    pub client_secret: String,
    /// The server's local-testing flag: http and local addresses allowed.
    pub allow_local: bool,
    /// Name resolution (checked like every runner request).
    pub lookup: Arc<dyn NameLookup>,
}

fn encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

impl TokenClient {
    /// RFC 6749 §4.1.3 with RFC 7636 §4.5: the code for tokens.
    pub async fn exchange_code(
        &self,
        code: &str,
        redirect_uri: &str,
        code_verifier: &str,
    ) -> Result<Tokens, String> {
        let form = format!(
            "grant_type=authorization_code&code={}&redirect_uri={}&code_verifier={}",
            encode(code),
            encode(redirect_uri),
            encode(code_verifier)
        );
        self.request(form).await
    }

    /// RFC 6749 §6: a new access token for the refresh token (a new refresh token replaces
    /// the old one when the answer carries one; the caller keeps the old one otherwise).
    pub async fn refresh(&self, refresh_token: &str) -> Result<Tokens, String> {
        let form = format!(
            "grant_type=refresh_token&refresh_token={}",
            encode(refresh_token)
        );
        self.request(form).await
    }

    async fn request(&self, form: String) -> Result<Tokens, String> {
        let caller = Caller::new(
            self.lookup.clone(),
            self.allow_local,
            Limits::default(),
            Instant::now(),
        )?;
        let basic = base64::engine::general_purpose::STANDARD.encode(format!(
            "{}:{}",
            encode(&self.client_id),
            encode(&self.client_secret)
        ));
        let (_exchange, result) = caller
            .send(
                Method::POST,
                self.token_endpoint.trim(),
                Some(Body::Form(form)),
                Some(&format!("Basic {basic}")),
            )
            .await;
        let reply = result.map_err(|f| format!("The token endpoint could not be reached. {f}"))?;
        let v = reply.json.as_ref();
        if reply.status != 200 {
            let error = v.and_then(|v| v.get("error")).and_then(Value::as_str);
            let description = v
                .and_then(|v| v.get("error_description"))
                .and_then(Value::as_str);
            return Err(match error {
                Some(e) => format!(
                    "The token endpoint refused the request (HTTP {}): {e}{}. Check the client ID and secret, and authenticate again.",
                    reply.status,
                    description.map(|d| format!(" ({d})")).unwrap_or_default()
                ),
                None => format!(
                    "The token endpoint answered HTTP {}; expected 200 with an access token (RFC 6749 §5.1).",
                    reply.status
                ),
            });
        }
        let v = v.ok_or("The token endpoint's answer is not JSON (RFC 6749 §5.1).")?;
        let access_token = v
            .get("access_token")
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
            .ok_or("The token endpoint's answer has no access_token (RFC 6749 §5.1).")?;
        match v.get("token_type").and_then(Value::as_str) {
            Some(t) if t.eq_ignore_ascii_case("bearer") => {}
            other => {
                return Err(format!(
                    "The token endpoint issued token_type {}; SCIM calls send bearer tokens (RFC 6750).",
                    other.unwrap_or("(missing)")
                ))
            }
        }
        Ok(Tokens {
            access_token: access_token.to_string(),
            refresh_token: v
                .get("refresh_token")
                .and_then(Value::as_str)
                .filter(|t| !t.is_empty())
                .map(str::to_string),
            expires_in: v.get("expires_in").and_then(Value::as_i64),
        })
    }
}
