//! SPEC 4.5, 5.2 (issue 11, 15): the **Authenticate** step of a SCIM instance whose integration
//! uses OAuth 2.0: the authorization code grant (RFC 6749 §4.1) with PKCE S256 (RFC 7636),
//! as pure rules. The server draws the random state and verifier, seals the tokens and calls
//! the vendor's token endpoint; here are what may start, the authorize URL and when a token
//! needs refreshing.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::expressions::Expressions;
use super::model::{Instance, ScimAuthMode, Submission};
use super::testing::instance_source;
use crate::expr::Dialect;

/// The answer to `POST /instances/{id}/scim-oauth`: where to send the browser.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScimOauthStart {
    /// The vendor's authorize endpoint with the request's parameters (no secret: the client
    /// ID, the redirect URI, the scopes, the state and the PKCE challenge).
    pub authorize_url: String,
}

/// A refresh is due this long before the access token expires (a run must not start with a
/// token that dies mid-way).
pub const REFRESH_MARGIN_SECONDS: i64 = 60;

/// Where a server receives the browser back from the vendor's authorize page, under its
/// public URL (the vendor registers the whole URL as a redirect URI of its OAuth client).
pub const CALLBACK_PATH: &str = "/api/v1/scim-oauth/callback";

/// The resolved endpoints and client of an instance's OAuth 2.0 settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OauthClient {
    /// Authorize endpoint, resolved with the instance's variable values.
    pub authorize_endpoint: String,
    /// Token endpoint, resolved likewise.
    pub token_endpoint: String,
    /// Client ID.
    pub client_id: String,
    /// Client secret (sent with HTTP Basic to the token endpoint only).
    pub client_secret: String,
    /// Space-separated scopes, may be empty.
    pub scopes: String,
}

/// SPEC 4.5, 5.2: whether **Authenticate** applies to this instance, and with which client:
/// it serves SCIM, its integration uses OAuth 2.0, both endpoints evaluate (expressions with
/// the instance's values) to https URLs (http only when `allow_http`, the server's local
/// testing flag), and the client ID is given. `Err` is what to fix.
pub fn oauth_client(
    submission: &Submission,
    instance: &Instance,
    expressions: &dyn Expressions,
    allow_http: bool,
) -> Result<OauthClient, String> {
    let Some(scim) = &instance.details.scim else {
        return Err("This instance does not serve SCIM".into());
    };
    if scim.auth_mode != ScimAuthMode::Oauth2 {
        return Err(
            "Authenticate applies only when the integration uses OAuth 2.0 for SCIM; this one uses a token".into(),
        );
    }
    let oauth = &instance_source(submission, instance).scim.oauth;
    let endpoint = |label: &str, value: &str| -> Result<String, String> {
        if value.trim().is_empty() {
            return Err(format!("The integration's OAuth 2.0 {label} is empty"));
        }
        let resolved = expressions
            .resolve(Dialect::Scim, value.trim(), &instance.variable_values)
            .map_err(|e| {
                format!("The OAuth 2.0 {label} does not evaluate with this instance's values: {e}")
            })?;
        let url = url::Url::parse(resolved.trim())
            .map_err(|e| format!("The OAuth 2.0 {label} is not a URL ({e}): {resolved}"))?;
        match url.scheme() {
            "https" => Ok(url.to_string()),
            "http" if allow_http => Ok(url.to_string()),
            _ => Err(format!("The OAuth 2.0 {label} must use https: {resolved}")),
        }
    };
    let client = OauthClient {
        authorize_endpoint: endpoint("authorize endpoint", &oauth.authorize_endpoint)?,
        token_endpoint: endpoint("token endpoint", &oauth.token_endpoint)?,
        client_id: oauth.client_id.trim().to_string(),
        client_secret: oauth.client_secret.clone(),
        scopes: oauth
            .scopes
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
    };
    if client.client_id.is_empty() {
        return Err("The integration's OAuth 2.0 client ID is empty".into());
    }
    Ok(client)
}

/// RFC 6749 §4.1.1, RFC 7636 §4.3: the authorize URL: `response_type=code`, the client ID,
/// the redirect URI, the scopes when any, the state and the S256 code challenge, added to the
/// endpoint's own query (which it keeps).
pub fn authorize_url(
    client: &OauthClient,
    redirect_uri: &str,
    state: &str,
    code_challenge: &str,
) -> Result<String, String> {
    let mut url = url::Url::parse(&client.authorize_endpoint)
        .map_err(|e| format!("The OAuth 2.0 authorize endpoint is not a URL: {e}"))?;
    {
        let mut q = url.query_pairs_mut();
        q.append_pair("response_type", "code");
        q.append_pair("client_id", &client.client_id);
        q.append_pair("redirect_uri", redirect_uri);
        if !client.scopes.is_empty() {
            q.append_pair("scope", &client.scopes);
        }
        q.append_pair("state", state);
        q.append_pair("code_challenge", code_challenge);
        q.append_pair("code_challenge_method", "S256");
    }
    Ok(url.to_string())
}

/// Whether a token expiring at `expires_at` must be refreshed before use at `now` (within
/// [`REFRESH_MARGIN_SECONDS`] of expiry, or past it). A token without an expiry is used as is.
pub fn needs_refresh(expires_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    expires_at.is_some_and(|at| now + Duration::seconds(REFRESH_MARGIN_SECONDS) >= at)
}

/// When a token issued at `now` with `expires_in` seconds (RFC 6749 §5.1) expires; `None`
/// when the answer gave no lifetime (or a nonsensical one).
pub fn expiry(now: DateTime<Utc>, expires_in: Option<i64>) -> Option<DateTime<Utc>> {
    expires_in
        .filter(|s| *s > 0 && *s < 10 * 365 * 24 * 3600)
        .map(|s| now + Duration::seconds(s))
}

/// Where the browser returns after the vendor's authorize page: the instance's Test
/// integration page with the outcome in the query (`scimOauth=connected|failed`, the
/// instance, and on failure the words to show). Never carries a code, a state or a token.
pub fn return_path(submission_id: &str, instance_id: &str, outcome: Result<(), &str>) -> String {
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    q.append_pair("scimOauthInstance", instance_id);
    match outcome {
        Ok(()) => {
            q.append_pair("scimOauth", "connected");
        }
        Err(message) => {
            q.append_pair("scimOauth", "failed");
            q.append_pair("scimOauthMessage", message);
        }
    }
    // The id as one path segment, percent-encoded.
    let path = match url::Url::parse("http://app.invalid/") {
        Ok(mut base) => {
            if let Ok(mut segments) = base.path_segments_mut() {
                segments.extend(["integrations", submission_id, "test"]);
            }
            base.path().to_string()
        }
        Err(_) => "/".into(),
    };
    format!("{path}?{}", q.finish())
}

/// What the Test integration page reads back from [`return_path`]'s query: the instance and
/// the outcome (`Err` with the words to show). `None` when the query is not a return.
pub fn read_return(query: &str) -> Option<(String, Result<(), String>)> {
    let pairs: Vec<(String, String)> =
        url::form_urlencoded::parse(query.trim_start_matches('?').as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let instance = get("scimOauthInstance").filter(|i| !i.is_empty())?;
    match get("scimOauth").as_deref() {
        Some("connected") => Some((instance, Ok(()))),
        Some("failed") => Some((
            instance,
            Err(get("scimOauthMessage")
                .filter(|m| !m.is_empty())
                .unwrap_or_else(|| "The OAuth 2.0 authorization failed.".into())),
        )),
        _ => None,
    }
}
