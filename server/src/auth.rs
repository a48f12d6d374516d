//! Who is calling: the session cookie, the signed-in account extractor, the role checks, and
//! the throttling of failed sign-ins.

use axum::extract::FromRequestParts;
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use chrono::{Duration, Utc};
use oin_wizard::domain::roles::{permits, Action};
use oin_wizard::domain::User;

use crate::context::{AppState, Settings};
use crate::error::{ApiError, ApiResult};
use crate::keys::token_hash;
use crate::store::{Account, Store};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "oin_session";

/// The signed-in account of a request (401 without a valid session).
pub struct Signed(pub Account);

impl Signed {
    /// The user.
    pub fn user(&self) -> &User {
        &self.0.user
    }

    /// The user's org.
    pub fn org(&self) -> &str {
        &self.0.org_id
    }

    /// The domain's role rule for `action` (SPEC 1): 403 with its reason.
    pub fn allow(&self, action: Action) -> ApiResult<()> {
        permits(&self.0.user, action).map_err(ApiError::forbidden)
    }

    /// Reading the org's submissions, instances and results: the roles that edit them, or the
    /// catalog reviewer (who reads what it reviews).
    pub fn allow_read(&self) -> ApiResult<()> {
        match permits(&self.0.user, Action::EditSubmissions) {
            Ok(()) => Ok(()),
            Err(reason) => {
                permits(&self.0.user, Action::Review).map_err(|_| ApiError::forbidden(reason))
            }
        }
    }
}

/// The session token in a request's cookies, if any.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.trim().to_string())
        .filter(|v| !v.is_empty())
}

impl FromRequestParts<AppState> for Signed {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Signed> {
        let token = session_token(&parts.headers).ok_or_else(ApiError::unauthenticated)?;
        state
            .store
            .session_account(&token_hash(&token), Utc::now())
            .await?
            .map(Signed)
            .ok_or_else(ApiError::unauthenticated)
    }
}

/// The client's address when the server knows it (served with connect info; not in tests
/// that call the router directly).
pub struct ClientAddress(pub Option<std::net::IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddress(
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0.ip()),
        ))
    }
}

/// The `Set-Cookie` value of a new session: HttpOnly (no script reads it), SameSite=Strict (no
/// other site's request carries it), Secure when the server is reached over https.
pub fn session_cookie(settings: &Settings, token: &str, forwarded_https: bool) -> HeaderValue {
    let secure = if settings.https() || forwarded_https {
        "; Secure"
    } else {
        ""
    };
    let text = format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
        settings.session_hours * 3600
    );
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The `Set-Cookie` value that ends the session in the browser.
pub fn cleared_cookie(settings: &Settings, forwarded_https: bool) -> HeaderValue {
    let secure = if settings.https() || forwarded_https {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Adds a `Set-Cookie` header.
pub fn set_cookie(headers: &mut HeaderMap, value: HeaderValue) {
    headers.append(SET_COOKIE, value);
}

/// Whether a proxy in front said the request came over https.
pub fn forwarded_https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

/// The throttling keys of a sign-in: the email, and the client address when known.
pub fn throttle_keys(email: &str, address: Option<std::net::IpAddr>) -> Vec<(String, bool)> {
    let mut keys = vec![(format!("email:{}", email.trim().to_lowercase()), true)];
    if let Some(ip) = address {
        keys.push((format!("address:{ip}"), false));
    }
    keys
}

/// 429 when any key is at its limit within the window.
pub async fn check_throttle(
    store: &dyn Store,
    settings: &Settings,
    keys: &[(String, bool)],
) -> ApiResult<()> {
    let now = Utc::now();
    let window = Duration::minutes(settings.throttle_window_minutes);
    for (key, is_email) in keys {
        let limit = if *is_email {
            settings.failures_per_email
        } else {
            settings.failures_per_address
        };
        if store.failures(key, now - window).await? >= limit {
            return Err(ApiError::Throttled {
                retry_after_secs: u64::try_from(window.num_seconds()).unwrap_or(900),
            });
        }
    }
    Ok(())
}

/// Counts a failed sign-in under every key.
pub async fn record_failure(
    store: &dyn Store,
    settings: &Settings,
    keys: &[(String, bool)],
) -> ApiResult<()> {
    let now = Utc::now();
    let window = Duration::minutes(settings.throttle_window_minutes);
    for (key, _) in keys {
        store.add_failure(key, now - window, now).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_token_is_read_from_any_cookie_header() {
        let mut headers = HeaderMap::new();
        headers.append(COOKIE, HeaderValue::from_static("theme=dark"));
        headers.append(
            COOKIE,
            HeaderValue::from_static("a=1; oin_session=tok123; b=2"),
        );
        assert_eq!(session_token(&headers).as_deref(), Some("tok123"));
        let mut none = HeaderMap::new();
        none.append(COOKIE, HeaderValue::from_static("oin_session="));
        assert_eq!(session_token(&none), None);
    }

    #[test]
    fn cookies_are_secure_only_over_https() {
        let http = Settings::new("http://127.0.0.1:8080");
        let https = Settings::new("https://oin.example.com/");
        let plain = session_cookie(&http, "t", false);
        let plain = plain.to_str().unwrap();
        assert!(plain.contains("HttpOnly") && plain.contains("SameSite=Strict"));
        assert!(!plain.contains("Secure"));
        assert!(session_cookie(&https, "t", false)
            .to_str()
            .unwrap()
            .ends_with("; Secure"));
        assert!(session_cookie(&http, "t", true)
            .to_str()
            .unwrap()
            .ends_with("; Secure"));
    }
}
