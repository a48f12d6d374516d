//! The OpenID Connect provider of one org, for the authorization code flow: discovery, the
//! authorization endpoint (with PKCE and `prompt`), authorization codes, the token endpoint
//! (`client_secret_basic`, `client_secret_post`), userinfo, and third-party initiated login.
//!
//! Specifications: RFC 6749 (OAuth 2.0), RFC 6750 (bearer tokens), RFC 7636 (PKCE), RFC 9207
//! (`iss` in the authorization response), RFC 9700 (OAuth security BCP), OpenID Connect Core
//! 1.0 ("OIDC Core") and Discovery 1.0. Each rule cites its section.
//!
//! The server calls, per request: [`validate_authorization`] then [`next_step`] (sign in?) then
//! [`issue_code`] at the authorization endpoint; [`client_credentials`] then
//! [`exchange_code`] at the token endpoint; [`bearer_token`] then [`userinfo`] at userinfo.
//! It stores the [`AuthorizationCode`] and [`AccessGrant`] records these hand it, keyed by
//! [`secret_key`] of the code or token (never the raw value).

use crate::check::{Check, CheckKind};
use crate::jwt;
use crate::keys::{KeyError, SigningKey};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use oin_wizard::domain::Instance;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// RFC 6749 §4.1.2: "A maximum authorization code lifetime of 10 minutes is RECOMMENDED";
/// the code is redeemed by the app's back end right after the redirect.
pub const CODE_LIFETIME_SECONDS: i64 = 60;
/// Access tokens and ID tokens live one hour.
pub const TOKEN_LIFETIME_SECONDS: i64 = 3600;
/// Scopes this provider grants (SPEC 4.3: no `offline_access`, no custom scopes).
pub const SUPPORTED_SCOPES: [&str; 3] = ["openid", "profile", "email"];

/// The provider's issuer and endpoint URLs (OIDC Discovery §3).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provider {
    /// The issuer identifier: an https URL without query or fragment (OIDC Discovery §3).
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub userinfo_endpoint: String,
    pub jwks_uri: String,
}

impl Provider {
    /// The org authorization server's layout (SPEC 4.3: the issuer is the org URL):
    /// `/oauth2/v1/authorize`, `/oauth2/v1/token`, `/oauth2/v1/userinfo`, `/oauth2/v1/keys`.
    pub fn at_org(issuer: &str) -> Provider {
        let issuer = issuer.trim_end_matches('/').to_string();
        Provider {
            authorization_endpoint: format!("{issuer}/oauth2/v1/authorize"),
            token_endpoint: format!("{issuer}/oauth2/v1/token"),
            userinfo_endpoint: format!("{issuer}/oauth2/v1/userinfo"),
            jwks_uri: format!("{issuer}/oauth2/v1/keys"),
            issuer,
        }
    }

    /// The body of `/.well-known/openid-configuration` (OIDC Discovery §3, §4.2): exactly what
    /// this provider does, nothing more.
    pub fn discovery(&self) -> Discovery {
        let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        Discovery {
            issuer: self.issuer.clone(),
            authorization_endpoint: self.authorization_endpoint.clone(),
            token_endpoint: self.token_endpoint.clone(),
            userinfo_endpoint: self.userinfo_endpoint.clone(),
            jwks_uri: self.jwks_uri.clone(),
            response_types_supported: strings(&["code"]),
            response_modes_supported: strings(&["query"]),
            grant_types_supported: strings(&["authorization_code"]),
            subject_types_supported: strings(&["public"]),
            id_token_signing_alg_values_supported: strings(&["RS256"]),
            scopes_supported: strings(&SUPPORTED_SCOPES),
            token_endpoint_auth_methods_supported: strings(&[
                "client_secret_basic",
                "client_secret_post",
            ]),
            claims_supported: strings(&[
                "iss",
                "sub",
                "aud",
                "exp",
                "iat",
                "auth_time",
                "nonce",
                "at_hash",
                "amr",
                "name",
                "given_name",
                "family_name",
                "preferred_username",
                "email",
            ]),
            code_challenge_methods_supported: strings(&["S256"]),
            prompt_values_supported: strings(&["none", "login", "consent", "select_account"]),
            request_parameter_supported: false,
            request_uri_parameter_supported: false,
            authorization_response_iss_parameter_supported: true,
        }
    }
}

/// The discovery document (OIDC Discovery §3). Field order is the output order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discovery {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub userinfo_endpoint: String,
    pub jwks_uri: String,
    pub response_types_supported: Vec<String>,
    pub response_modes_supported: Vec<String>,
    pub grant_types_supported: Vec<String>,
    pub subject_types_supported: Vec<String>,
    pub id_token_signing_alg_values_supported: Vec<String>,
    pub scopes_supported: Vec<String>,
    pub token_endpoint_auth_methods_supported: Vec<String>,
    pub claims_supported: Vec<String>,
    pub code_challenge_methods_supported: Vec<String>,
    pub prompt_values_supported: Vec<String>,
    pub request_parameter_supported: bool,
    pub request_uri_parameter_supported: bool,
    /// RFC 9207 §3: the authorization response carries `iss`.
    pub authorization_response_iss_parameter_supported: bool,
}

/// One instance's OIDC client (SPEC 5.2: what the customer admin sees).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Client {
    pub client_id: String,
    /// A secret: never logged, never in a URL.
    pub client_secret: String,
    /// Resolved with the instance's variable values; matched exactly.
    pub redirect_uris: Vec<String>,
    /// Resolved; empty when the integration has none (no IdP flow).
    pub initiate_login_uri: String,
}

impl Client {
    /// The client of an OIDC instance, from its generated details (`None` for other protocols).
    pub fn of_instance(instance: &Instance) -> Option<Client> {
        let d = instance.details.oidc.as_ref()?;
        Some(Client {
            client_id: d.client_id.clone(),
            client_secret: d.client_secret.clone(),
            redirect_uris: d.redirect_uris.clone(),
            initiate_login_uri: d.initiate_login_uri.clone(),
        })
    }
}

/// The signed-in test user's claims (OIDC Core §5.1).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserProfile {
    /// `sub`: the user's stable id in the org (OIDC Core §2).
    pub sub: String,
    pub email: String,
    pub given_name: String,
    pub family_name: String,
    /// The username (SPEC: the email is the username).
    pub preferred_username: String,
}

impl UserProfile {
    /// From an org user.
    pub fn of_user(user: &oin_wizard::domain::User) -> UserProfile {
        UserProfile {
            sub: user.id.clone(),
            email: user.email.clone(),
            given_name: user.first_name.clone(),
            family_name: user.last_name.clone(),
            preferred_username: user.email.clone(),
        }
    }

    fn name(&self) -> String {
        format!("{} {}", self.given_name, self.family_name)
            .trim()
            .to_string()
    }
}

/// The key under which a code or token is stored: hex SHA-256 of its value, so a database
/// read never yields a usable code or token.
pub fn secret_key(value: &str) -> String {
    ring::digest::digest(&ring::digest::SHA256, value.as_bytes())
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Query or form parameters, each name at most once (RFC 6749 §3.1, §3.2: "MUST NOT be
/// included more than once"); a parameter sent without a value is treated as omitted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Params {
    values: BTreeMap<String, String>,
    repeated: Vec<String>,
}

impl Params {
    /// From decoded name/value pairs (e.g. `url::form_urlencoded::parse`).
    pub fn from_pairs<I, K, V>(pairs: I) -> Params
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let mut p = Params::default();
        let mut seen = std::collections::BTreeSet::new();
        for (k, v) in pairs {
            let (k, v) = (k.as_ref().to_string(), v.as_ref().to_string());
            if !seen.insert(k.clone()) {
                if !p.repeated.contains(&k) {
                    p.repeated.push(k);
                }
            } else if !v.is_empty() {
                p.values.insert(k, v);
            }
        }
        p
    }

    /// From an `application/x-www-form-urlencoded` string (a query or a form body).
    pub fn from_urlencoded(text: &str) -> Params {
        Params::from_pairs(url::form_urlencoded::parse(text.as_bytes()))
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    fn repeated(&self, name: &str) -> bool {
        self.repeated.iter().any(|r| r == name)
    }
}

/// An error to show on the provider's own page: RFC 6749 §4.1.2.1, "MUST NOT automatically
/// redirect the user-agent to the invalid redirection URI".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorPage {
    pub error: String,
    pub description: String,
}

/// What the authorization endpoint answers when the request cannot go on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuthorizeError {
    /// Unknown client or redirect URI: an error page, never a redirect (RFC 6749 §4.1.2.1).
    Page(ErrorPage),
    /// Redirect to the (verified) redirect URI with `error`, `error_description`, `state`
    /// and `iss` (RFC 6749 §4.1.2.1, RFC 9207 §2).
    Redirect {
        url: String,
        error: String,
        description: String,
    },
}

/// `prompt` (OIDC Core §3.1.2.1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Prompt {
    /// Sign in only if there is no session.
    #[default]
    Default,
    /// `none`: never show a page; `login_required` when the user would have to sign in.
    None,
    /// `login`: sign in again even with a session.
    Login,
}

/// A validated authorization request: the server keeps it while the user signs in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidAuthorization {
    pub client_id: String,
    pub redirect_uri: String,
    pub scopes: Vec<String>,
    pub state: Option<String>,
    pub nonce: Option<String>,
    /// S256 code challenge (RFC 7636 §4.3), when the app uses PKCE.
    pub code_challenge: Option<String>,
    pub prompt: Prompt,
    /// `max_age` in seconds (OIDC Core §3.1.2.1).
    pub max_age: Option<i64>,
}

/// The answer of [`validate_authorization`]: the request or the error, and what was checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Authorization {
    pub outcome: Result<ValidAuthorization, AuthorizeError>,
    pub checks: Vec<Check>,
}

fn redirect_with(redirect_uri: &str, pairs: &[(&str, &str)]) -> String {
    match url::Url::parse(redirect_uri) {
        Ok(mut url) => {
            // RFC 6749 §3.1.2: a query in the registered URI is kept; parameters are added.
            {
                let mut q = url.query_pairs_mut();
                for (k, v) in pairs {
                    q.append_pair(k, v);
                }
            }
            url.to_string()
        }
        // Registered URIs were checked as URLs when the instance was generated; a value that
        // no longer parses still gets the parameters.
        Err(_) => {
            let sep = if redirect_uri.contains('?') { '&' } else { '?' };
            let query: String = url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(pairs)
                .finish();
            format!("{redirect_uri}{sep}{query}")
        }
    }
}

fn error_redirect(
    provider: &Provider,
    redirect_uri: &str,
    state: Option<&str>,
    error: &str,
    description: &str,
) -> AuthorizeError {
    let mut pairs = vec![("error", error), ("error_description", description)];
    if let Some(s) = state {
        pairs.push(("state", s));
    }
    pairs.push(("iss", provider.issuer.as_str()));
    AuthorizeError::Redirect {
        url: redirect_with(redirect_uri, &pairs),
        error: error.into(),
        description: description.into(),
    }
}

fn is_pkce_value(s: &str) -> bool {
    // RFC 7636 §4.1: 43–128 characters of [A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~".
    (43..=128).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

/// The authorization endpoint's checks, in the order RFC 6749 §4.1.2.1 needs them: the client
/// and the redirect URI first (a failure there is an error page, never a redirect), then
/// everything else (a failure there redirects back with an error).
pub fn validate_authorization(
    provider: &Provider,
    client: Option<&Client>,
    params: &Params,
) -> Authorization {
    let mut checks = Vec::new();
    let page = |error: &str, description: String| {
        Err(AuthorizeError::Page(ErrorPage {
            error: error.into(),
            description,
        }))
    };
    // OIDC Core §3.1.2.1: client_id REQUIRED; RFC 6749 §4.1.2.1: no redirect for a bad client.
    let Some(client_id) = params
        .get("client_id")
        .filter(|_| !params.repeated("client_id"))
    else {
        checks.push(Check::fail(
            CheckKind::Client,
            "RFC 6749 §4.1.1",
            "The request has no client_id (or more than one)",
        ));
        return Authorization {
            outcome: page(
                "invalid_request",
                "The request has no client_id: the app must send its client ID".into(),
            ),
            checks,
        };
    };
    let Some(client) = client.filter(|c| c.client_id == client_id) else {
        checks.push(Check::fail(
            CheckKind::Client,
            "RFC 6749 §4.1.2.1",
            format!("No app instance has the client ID \"{client_id}\""),
        ));
        return Authorization {
            outcome: page(
                "invalid_client",
                format!("No app instance has the client ID \"{client_id}\": copy the client ID from the instance"),
            ),
            checks,
        };
    };
    checks.push(Check::pass(
        CheckKind::Client,
        "RFC 6749 §4.1.1",
        format!("Client ID {client_id}"),
    ));
    // OIDC Core §3.1.2.1: redirect_uri REQUIRED and "MUST exactly match one of the
    // Redirection URI values for the Client pre-registered" (simple string comparison).
    let redirect_uri = match params.get("redirect_uri") {
        Some(_) if params.repeated("redirect_uri") => {
            checks.push(Check::fail(
                CheckKind::RedirectUri,
                "RFC 6749 §3.1",
                "redirect_uri is sent more than once",
            ));
            return Authorization {
                outcome: page(
                    "invalid_request",
                    "redirect_uri is sent more than once".into(),
                ),
                checks,
            };
        }
        None => {
            checks.push(Check::fail(
                CheckKind::RedirectUri,
                "OIDC Core §3.1.2.1",
                "The request has no redirect_uri",
            ));
            return Authorization {
                outcome: page(
                    "invalid_request",
                    "The request has no redirect_uri: OpenID Connect requires it".into(),
                ),
                checks,
            };
        }
        Some(uri) if !client.redirect_uris.iter().any(|r| r == uri) => {
            checks.push(Check::fail(
                CheckKind::RedirectUri,
                "OIDC Core §3.1.2.1, RFC 6749 §3.1.2.3",
                format!(
                    "{uri} is not one of the instance's redirect URIs ({}); they must match exactly",
                    client.redirect_uris.join(", ")
                ),
            ));
            return Authorization {
                outcome: page(
                    "invalid_request",
                    format!("The redirect URI {uri} is not registered for this app instance. Add it to the integration's Redirect URIs (exactly, including the path and trailing slash) and regenerate the instance"),
                ),
                checks,
            };
        }
        Some(uri) => uri.to_string(),
    };
    checks.push(Check::pass(
        CheckKind::RedirectUri,
        "OIDC Core §3.1.2.1",
        format!("{redirect_uri} matches a registered redirect URI exactly"),
    ));

    // From here on, errors go back to the app (RFC 6749 §4.1.2.1).
    let state = if params.repeated("state") {
        None
    } else {
        params.get("state").map(str::to_string)
    };
    let fail = |checks: &mut Vec<Check>, kind, rule: &str, error: &str, description: String| {
        checks.push(Check::fail(kind, rule, description.clone()));
        error_redirect(
            provider,
            &redirect_uri,
            state.as_deref(),
            error,
            &description,
        )
    };
    if let Some(name) = params.repeated.first() {
        let e = fail(
            &mut checks,
            CheckKind::Client,
            "RFC 6749 §3.1",
            "invalid_request",
            format!("The parameter {name} is sent more than once"),
        );
        return Authorization {
            outcome: Err(e),
            checks,
        };
    }
    // OIDC Core §6.1, §6.2: request objects are not supported.
    for (param, error) in [
        ("request", "request_not_supported"),
        ("request_uri", "request_uri_not_supported"),
    ] {
        if params.get(param).is_some() {
            let e = fail(
                &mut checks,
                CheckKind::Client,
                "OIDC Core §6",
                error,
                format!("The {param} parameter is not supported: send the parameters in the query"),
            );
            return Authorization {
                outcome: Err(e),
                checks,
            };
        }
    }
    // OIDC Core §3.1.2.1: response_type=code for the authorization code flow.
    match params.get("response_type") {
        Some("code") => checks.push(Check::pass(
            CheckKind::ResponseType,
            "OIDC Core §3.1.2.1",
            "response_type=code (authorization code flow)",
        )),
        other => {
            let (error, description) = match other {
                None => (
                    "invalid_request",
                    "The request has no response_type: send response_type=code".to_string(),
                ),
                Some(t) => (
                    "unsupported_response_type",
                    format!("response_type={t} is not supported: only the authorization code flow (response_type=code)"),
                ),
            };
            let e = fail(
                &mut checks,
                CheckKind::ResponseType,
                "RFC 6749 §4.1.1",
                error,
                description,
            );
            return Authorization {
                outcome: Err(e),
                checks,
            };
        }
    }
    if let Some(mode) = params.get("response_mode").filter(|m| *m != "query") {
        let e = fail(
            &mut checks,
            CheckKind::ResponseType,
            "OAuth 2.0 Multiple Response Types §2.1",
            "invalid_request",
            format!("response_mode={mode} is not supported: the code comes back in the query"),
        );
        return Authorization {
            outcome: Err(e),
            checks,
        };
    }
    // OIDC Core §3.1.2.1: scope REQUIRED, containing openid; RFC 6749 §3.3: space-delimited.
    let scopes: Vec<String> = params
        .get("scope")
        .unwrap_or("")
        .split(' ')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let unknown: Vec<&str> = scopes
        .iter()
        .map(String::as_str)
        .filter(|s| !SUPPORTED_SCOPES.contains(s))
        .collect();
    if !scopes.iter().any(|s| s == "openid") || !unknown.is_empty() {
        let description = if unknown.is_empty() {
            "The scope must include openid".to_string()
        } else {
            format!(
                "Unsupported scope {}: the org authorization server grants openid, profile and email only (no offline_access, no custom scopes)",
                unknown.join(", ")
            )
        };
        let e = fail(
            &mut checks,
            CheckKind::Scope,
            "OIDC Core §3.1.2.1, RFC 6749 §3.3",
            "invalid_scope",
            description,
        );
        return Authorization {
            outcome: Err(e),
            checks,
        };
    }
    checks.push(Check::pass(
        CheckKind::Scope,
        "OIDC Core §3.1.2.1",
        format!("scope={}", scopes.join(" ")),
    ));
    // RFC 7636 §4.3, §4.4.1: only S256 is supported.
    let code_challenge = match (
        params.get("code_challenge"),
        params.get("code_challenge_method"),
    ) {
        (None, None) => {
            checks.push(Check::warn(
                CheckKind::Pkce,
                "RFC 9700 §2.1.1",
                "No PKCE code_challenge: PKCE is recommended for confidential clients too",
            ));
            None
        }
        (Some(c), Some("S256")) if is_pkce_value(c) && c.len() == 43 => {
            checks.push(Check::pass(
                CheckKind::Pkce,
                "RFC 7636 §4.3",
                "code_challenge with method S256",
            ));
            Some(c.to_string())
        }
        (Some(_), Some("S256")) => {
            let e = fail(
                &mut checks,
                CheckKind::Pkce,
                "RFC 7636 §4.2",
                "invalid_request",
                "The code_challenge is not a base64url SHA-256 (43 characters)".into(),
            );
            return Authorization {
                outcome: Err(e),
                checks,
            };
        }
        (None, Some(_)) => {
            let e = fail(
                &mut checks,
                CheckKind::Pkce,
                "RFC 7636 §4.3",
                "invalid_request",
                "code_challenge_method is sent without a code_challenge".into(),
            );
            return Authorization {
                outcome: Err(e),
                checks,
            };
        }
        (Some(_), method) => {
            let e = fail(
                &mut checks,
                CheckKind::Pkce,
                "RFC 7636 §4.4.1",
                "invalid_request",
                format!(
                    "PKCE method {} is not supported: use code_challenge_method=S256",
                    method.unwrap_or("plain (the default when none is sent)")
                ),
            );
            return Authorization {
                outcome: Err(e),
                checks,
            };
        }
    };
    // OIDC Core §3.1.2.1: prompt is a space-delimited list; none with anything else is an error.
    let prompts: Vec<&str> = params
        .get("prompt")
        .unwrap_or("")
        .split(' ')
        .filter(|s| !s.is_empty())
        .collect();
    let prompt = if prompts.contains(&"none") {
        if prompts.len() > 1 {
            let e = fail(
                &mut checks,
                CheckKind::Prompt,
                "OIDC Core §3.1.2.1",
                "invalid_request",
                "prompt=none cannot be combined with other prompt values".into(),
            );
            return Authorization {
                outcome: Err(e),
                checks,
            };
        }
        Prompt::None
    } else if prompts.contains(&"login") {
        Prompt::Login
    } else if let Some(p) = prompts
        .iter()
        .find(|p| !["consent", "select_account"].contains(p))
    {
        let e = fail(
            &mut checks,
            CheckKind::Prompt,
            "OIDC Core §3.1.2.1",
            "invalid_request",
            format!("prompt={p} is not a prompt value"),
        );
        return Authorization {
            outcome: Err(e),
            checks,
        };
    } else {
        Prompt::Default
    };
    let max_age = match params.get("max_age") {
        None => None,
        Some(v) => match v.parse::<i64>() {
            Ok(n) if n >= 0 => Some(n),
            _ => {
                let e = fail(
                    &mut checks,
                    CheckKind::Prompt,
                    "OIDC Core §3.1.2.1",
                    "invalid_request",
                    format!("max_age={v} is not a number of seconds"),
                );
                return Authorization {
                    outcome: Err(e),
                    checks,
                };
            }
        },
    };
    // OIDC Core §3.1.2.1: nonce OPTIONAL for the code flow; when sent it goes into the ID token.
    let nonce = params.get("nonce").map(str::to_string);
    checks.push(match &nonce {
        Some(_) => Check::pass(
            CheckKind::Nonce,
            "OIDC Core §3.1.2.1",
            "nonce sent: it will be in the ID token",
        ),
        None => Check::warn(
            CheckKind::Nonce,
            "OIDC Core §3.1.2.1, §15.5.2",
            "No nonce: the app cannot tie the ID token to this sign-in",
        ),
    });
    // RFC 6749 §10.12: state protects the redirect against CSRF.
    checks.push(match &state {
        Some(_) => Check::pass(
            CheckKind::State,
            "RFC 6749 §4.1.1",
            "state sent: echoed back",
        ),
        None => Check::warn(
            CheckKind::State,
            "RFC 6749 §10.12",
            "No state: the app's redirect endpoint is open to CSRF",
        ),
    });
    Authorization {
        outcome: Ok(ValidAuthorization {
            client_id: client_id.to_string(),
            redirect_uri,
            scopes,
            state,
            nonce,
            code_challenge,
            prompt,
            max_age,
        }),
        checks,
    }
}

/// The user's session with the provider (the run's sign-in).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub user_id: String,
    /// When the user last entered their password (OIDC Core §2 `auth_time`).
    pub auth_time: DateTime<Utc>,
}

/// What the authorization endpoint does next for a valid request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Next {
    /// Show the sign-in page; after it, call [`next_step`] again with `just_signed_in`.
    SignIn,
    /// Go on to [`issue_code`] for the session's user.
    Issue,
    /// Redirect back with an error (`login_required`).
    Fail(AuthorizeError),
}

/// OIDC Core §3.1.2.1, §3.1.2.3: whether the user must sign in first (`prompt=login`,
/// `max_age` exceeded, no session), or cannot (`prompt=none` → `login_required`).
/// `just_signed_in`: the user signed in for this very request.
pub fn next_step(
    provider: &Provider,
    request: &ValidAuthorization,
    session: Option<&Session>,
    just_signed_in: bool,
    now: DateTime<Utc>,
) -> (Next, Check) {
    let rule = "OIDC Core §3.1.2.1";
    let needs = match session {
        _ if just_signed_in => None,
        None => Some("no session"),
        Some(_) if request.prompt == Prompt::Login => Some("prompt=login asks for a new sign-in"),
        Some(s)
            if request
                .max_age
                .and_then(Duration::try_seconds)
                .is_some_and(|limit| now - s.auth_time > limit) =>
        {
            Some("the sign-in is older than max_age")
        }
        Some(_) => None,
    };
    match (needs, request.prompt) {
        (None, _) => (
            Next::Issue,
            Check::pass(
                CheckKind::Prompt,
                rule,
                if just_signed_in {
                    "The user signed in"
                } else {
                    "The user's session is reused"
                },
            ),
        ),
        (Some(why), Prompt::None) => {
            let description = format!("prompt=none, but the user must sign in ({why})");
            (
                Next::Fail(error_redirect(
                    provider,
                    &request.redirect_uri,
                    request.state.as_deref(),
                    "login_required",
                    &description,
                )),
                Check::fail(CheckKind::Prompt, rule, description),
            )
        }
        (Some(why), _) => (
            Next::SignIn,
            Check::pass(
                CheckKind::Prompt,
                rule,
                format!("Sign-in page shown ({why})"),
            ),
        ),
    }
}

/// An issued authorization code, as the server stores it (under [`secret_key`] of the code).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizationCode {
    /// [`secret_key`] of the code value.
    pub key: String,
    pub client_id: String,
    pub redirect_uri: String,
    pub user: UserProfile,
    pub scopes: Vec<String>,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    pub auth_time: DateTime<Utc>,
    pub issued_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// Set when redeemed: a code is single-use (RFC 6749 §4.1.2).
    pub redeemed_at: Option<DateTime<Utc>>,
}

/// The answer of [`issue_code`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issued {
    pub outcome: Result<(AuthorizationCode, String), AuthorizeError>,
    pub checks: Vec<Check>,
}

/// Issues `code` (a fresh [`crate::keys::random_token`]) for the signed-in `user` when the
/// user is assigned to the instance, and the redirect carrying it with `state` and `iss`
/// (RFC 6749 §4.1.2, RFC 9207 §2). Unassigned: redirect with `access_denied`.
pub fn issue_code(
    provider: &Provider,
    request: &ValidAuthorization,
    user: &UserProfile,
    assigned: bool,
    auth_time: DateTime<Utc>,
    code: &str,
    now: DateTime<Utc>,
) -> Issued {
    if !assigned {
        let description = format!(
            "{} is not assigned to this app instance: assign the user (or a group) on the Test integration page",
            user.preferred_username
        );
        return Issued {
            outcome: Err(error_redirect(
                provider,
                &request.redirect_uri,
                request.state.as_deref(),
                "access_denied",
                &description,
            )),
            checks: vec![Check::fail(
                CheckKind::Assignment,
                "RFC 6749 §4.1.2.1",
                description,
            )],
        };
    }
    let record = AuthorizationCode {
        key: secret_key(code),
        client_id: request.client_id.clone(),
        redirect_uri: request.redirect_uri.clone(),
        user: user.clone(),
        scopes: request.scopes.clone(),
        nonce: request.nonce.clone(),
        code_challenge: request.code_challenge.clone(),
        auth_time,
        issued_at: now,
        expires_at: now + Duration::seconds(CODE_LIFETIME_SECONDS),
        redeemed_at: None,
    };
    let mut pairs = vec![("code", code)];
    if let Some(s) = &request.state {
        pairs.push(("state", s));
    }
    pairs.push(("iss", &provider.issuer));
    Issued {
        outcome: Ok((record, redirect_with(&request.redirect_uri, &pairs))),
        checks: vec![
            Check::pass(
                CheckKind::Assignment,
                "SPEC 5.2",
                format!("{} is assigned to the instance", user.preferred_username),
            ),
            Check::pass(
                CheckKind::Code,
                "RFC 6749 §4.1.2",
                format!("Authorization code issued, valid {CODE_LIFETIME_SECONDS} s, single-use"),
            ),
        ],
    }
}

/// How the client authenticated (RFC 6749 §2.3.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientAuthMethod {
    ClientSecretBasic,
    ClientSecretPost,
}

/// The client's credentials as sent (the secret is compared, never recorded).
#[derive(Clone, PartialEq, Eq)]
pub struct ClientCredentials {
    pub client_id: String,
    secret: String,
    pub method: ClientAuthMethod,
}

impl std::fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("client_id", &self.client_id)
            .field("method", &self.method)
            .finish_non_exhaustive()
    }
}

/// A token or userinfo endpoint error (RFC 6749 §5.2, RFC 6750 §3): status, body and headers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenError {
    pub status: u16,
    pub error: String,
    pub description: String,
    /// RFC 6749 §5.2: with 401 after an `Authorization` header attempt, the
    /// `WWW-Authenticate` the server must send; RFC 6750 §3 for bearer tokens.
    pub www_authenticate: Option<String>,
}

impl TokenError {
    fn new(status: u16, error: &str, description: impl Into<String>) -> TokenError {
        TokenError {
            status,
            error: error.into(),
            description: description.into(),
            www_authenticate: None,
        }
    }

    /// The JSON body (RFC 6749 §5.2).
    pub fn body(&self) -> String {
        serde_json::json!({"error": self.error, "error_description": self.description}).to_string()
    }
}

/// Headers on every token endpoint answer (RFC 6749 §5.1).
pub const TOKEN_RESPONSE_HEADERS: [(&str, &str); 2] =
    [("Cache-Control", "no-store"), ("Pragma", "no-cache")];

fn form_decode(part: &str) -> Option<String> {
    // RFC 6749 §2.3.1: client id and secret are form-urlencoded before Basic encoding.
    let spaced = part.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8()
        .ok()
        .map(|s| s.into_owned())
}

/// RFC 6749 §2.3.1: the client's credentials from HTTP Basic (`client_secret_basic`) or the
/// form body (`client_secret_post`); both at once is an error (RFC 6749 §2.3: "MUST NOT use
/// more than one authentication method in each request").
pub fn client_credentials(
    authorization: Option<&str>,
    form: &Params,
) -> (Result<ClientCredentials, TokenError>, Check) {
    let basic_realm = "Basic realm=\"oin-idp\"".to_string();
    let fail = |status: u16, error: &str, rule: &str, d: String, basic: bool| {
        let mut e = TokenError::new(status, error, d.clone());
        if basic {
            e.www_authenticate = Some(basic_realm.clone());
        }
        (Err(e), Check::fail(CheckKind::ClientAuth, rule, d))
    };
    let post_secret = form.get("client_secret");
    match authorization {
        Some(header) => {
            let Some(encoded) = header
                .strip_prefix("Basic ")
                .or_else(|| header.strip_prefix("basic "))
            else {
                return fail(
                    401,
                    "invalid_client",
                    "RFC 6749 §2.3.1",
                    "The Authorization header is not HTTP Basic: use client_secret_basic or client_secret_post".into(),
                    true,
                );
            };
            if post_secret.is_some() {
                return fail(
                    400,
                    "invalid_request",
                    "RFC 6749 §2.3",
                    "The client authenticated twice (Basic header and client_secret in the body): use one method".into(),
                    false,
                );
            }
            let decoded = STANDARD
                .decode(encoded.trim())
                .ok()
                .and_then(|b| String::from_utf8(b).ok());
            let parts = decoded.as_deref().and_then(|d| d.split_once(':'));
            let creds =
                parts.and_then(|(id, secret)| Some((form_decode(id)?, form_decode(secret)?)));
            let Some((client_id, secret)) = creds else {
                return fail(
                    401,
                    "invalid_client",
                    "RFC 7617 §2",
                    "The Basic credentials are not base64 of client_id:client_secret".into(),
                    true,
                );
            };
            if let Some(form_id) = form.get("client_id").filter(|f| *f != client_id) {
                return fail(
                    400,
                    "invalid_request",
                    "RFC 6749 §3.2.1",
                    format!(
                        "client_id {form_id} in the body differs from the Basic user {client_id}"
                    ),
                    false,
                );
            }
            (
                Ok(ClientCredentials {
                    client_id,
                    secret,
                    method: ClientAuthMethod::ClientSecretBasic,
                }),
                Check::pass(
                    CheckKind::ClientAuth,
                    "RFC 6749 §2.3.1",
                    "client_secret_basic",
                ),
            )
        }
        None => match (form.get("client_id"), post_secret) {
            (Some(id), Some(secret)) => (
                Ok(ClientCredentials {
                    client_id: id.to_string(),
                    secret: secret.to_string(),
                    method: ClientAuthMethod::ClientSecretPost,
                }),
                Check::pass(
                    CheckKind::ClientAuth,
                    "RFC 6749 §2.3.1",
                    "client_secret_post",
                ),
            ),
            _ => fail(
                401,
                "invalid_client",
                "RFC 6749 §3.2.1",
                "The client did not authenticate: send client_secret_basic or client_secret_post"
                    .into(),
                false,
            ),
        },
    }
}

/// The token endpoint's success body (RFC 6749 §5.1, OIDC Core §3.1.3.3). Field order is the
/// output order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: String,
    pub expires_in: i64,
    pub scope: String,
    pub id_token: String,
}

/// An access token's grant, as the server stores it (under [`secret_key`] of the token).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessGrant {
    pub key: String,
    pub client_id: String,
    pub user: UserProfile,
    pub scopes: Vec<String>,
    pub expires_at: DateTime<Utc>,
    /// The code it was issued for: a second use of the code revokes it (RFC 6749 §4.1.2).
    pub code_key: String,
}

/// The ID token's claims (OIDC Core §2, §5.1). Field order is the output order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdTokenClaims {
    pub iss: String,
    pub sub: String,
    pub aud: String,
    pub exp: i64,
    pub iat: i64,
    pub auth_time: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
    pub at_hash: String,
    pub amr: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub given_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preferred_username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// The answer of [`exchange_code`].
#[derive(Debug)]
pub struct Exchange {
    pub outcome: Result<(TokenResponse, AccessGrant), TokenError>,
    /// The code was already redeemed: revoke the grants issued for
    /// [`AuthorizationCode::key`] (RFC 6749 §4.1.2: "SHOULD revoke … all tokens previously
    /// issued based on that authorization code").
    pub revoke_code_grants: Option<String>,
    pub checks: Vec<Check>,
}

fn same_secret(a: &str, b: &str) -> bool {
    // Compare digests: equal length, no early exit on the secret's bytes.
    let da = ring::digest::digest(&ring::digest::SHA256, a.as_bytes());
    let db = ring::digest::digest(&ring::digest::SHA256, b.as_bytes());
    da.as_ref()
        .iter()
        .zip(db.as_ref())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

/// The token endpoint for `grant_type=authorization_code` (RFC 6749 §4.1.3, OIDC Core
/// §3.1.3.2): the client authenticated, the code known, unexpired, unused, issued to this
/// client for this redirect URI, the PKCE verifier (RFC 7636 §4.6). On success: the token
/// response with an RS256 ID token signed by `key`, the grant to store, and `code` marked
/// redeemed (the server saves it). `access_token` is a fresh random token.
#[allow(clippy::too_many_arguments)]
pub fn exchange_code(
    provider: &Provider,
    key: &SigningKey,
    client: Option<&Client>,
    credentials: &ClientCredentials,
    form: &Params,
    code: Option<&mut AuthorizationCode>,
    access_token: &str,
    now: DateTime<Utc>,
) -> Exchange {
    let mut checks = Vec::new();
    let mut revoke = None;
    let outcome = exchange_inner(
        provider,
        key,
        client,
        credentials,
        form,
        code,
        access_token,
        now,
        &mut checks,
        &mut revoke,
    );
    Exchange {
        outcome,
        revoke_code_grants: revoke,
        checks,
    }
}

fn token_fail(
    checks: &mut Vec<Check>,
    kind: CheckKind,
    rule: &str,
    status: u16,
    error: &str,
    description: String,
) -> TokenError {
    checks.push(Check::fail(kind, rule, description.clone()));
    TokenError::new(status, error, description)
}

#[allow(clippy::too_many_arguments)]
fn exchange_inner(
    provider: &Provider,
    key: &SigningKey,
    client: Option<&Client>,
    credentials: &ClientCredentials,
    form: &Params,
    code: Option<&mut AuthorizationCode>,
    access_token: &str,
    now: DateTime<Utc>,
    checks: &mut Vec<Check>,
    revoke: &mut Option<String>,
) -> Result<(TokenResponse, AccessGrant), TokenError> {
    // RFC 6749 §3.2.1, §5.2: an unknown client or a wrong secret is invalid_client (401).
    let client = match client.filter(|c| c.client_id == credentials.client_id) {
        Some(c) if same_secret(&c.client_secret, &credentials.secret) => c,
        found => {
            let description = if found.is_some() {
                "The client secret is wrong: copy it from the instance (regenerating the instance changes it)".to_string()
            } else {
                format!(
                    "No app instance has the client ID \"{}\"",
                    credentials.client_id
                )
            };
            let mut e = token_fail(
                checks,
                CheckKind::ClientAuth,
                "RFC 6749 §5.2",
                401,
                "invalid_client",
                description,
            );
            if credentials.method == ClientAuthMethod::ClientSecretBasic {
                e.www_authenticate = Some("Basic realm=\"oin-idp\"".into());
            }
            return Err(e);
        }
    };
    checks.push(Check::pass(
        CheckKind::ClientAuth,
        "RFC 6749 §2.3.1",
        format!(
            "{} authenticated with {}",
            client.client_id,
            match credentials.method {
                ClientAuthMethod::ClientSecretBasic => "client_secret_basic",
                ClientAuthMethod::ClientSecretPost => "client_secret_post",
            }
        ),
    ));
    if let Some(name) = form.repeated.first() {
        return Err(token_fail(
            checks,
            CheckKind::GrantType,
            "RFC 6749 §3.2",
            400,
            "invalid_request",
            format!("The parameter {name} is sent more than once"),
        ));
    }
    match form.get("grant_type") {
        Some("authorization_code") => checks.push(Check::pass(
            CheckKind::GrantType,
            "RFC 6749 §4.1.3",
            "grant_type=authorization_code",
        )),
        None => {
            return Err(token_fail(
                checks,
                CheckKind::GrantType,
                "RFC 6749 §4.1.3",
                400,
                "invalid_request",
                "The request has no grant_type".into(),
            ))
        }
        Some(g) => {
            return Err(token_fail(
                checks,
                CheckKind::GrantType,
                "RFC 6749 §5.2",
                400,
                "unsupported_grant_type",
                format!(
                    "grant_type={g} is not supported: only authorization_code (no refresh tokens)"
                ),
            ))
        }
    }
    if form.get("code").is_none() {
        return Err(token_fail(
            checks,
            CheckKind::Code,
            "RFC 6749 §4.1.3",
            400,
            "invalid_request",
            "The request has no code".into(),
        ));
    }
    let Some(code) = code else {
        return Err(token_fail(
            checks,
            CheckKind::Code,
            "RFC 6749 §5.2",
            400,
            "invalid_grant",
            "The authorization code is unknown".into(),
        ));
    };
    if code.redeemed_at.is_some() {
        *revoke = Some(code.key.clone());
        return Err(token_fail(
                checks,
            CheckKind::Code,
            "RFC 6749 §4.1.2",
            400,
            "invalid_grant",
            "The authorization code was already used: a code is single-use (tokens issued for it are revoked)".into(),
        ));
    }
    // Whatever happens next, this code is spent (RFC 6749 §4.1.2: used at most once).
    code.redeemed_at = Some(now);
    if code.client_id != client.client_id {
        return Err(token_fail(
            checks,
            CheckKind::Code,
            "RFC 6749 §4.1.3",
            400,
            "invalid_grant",
            "The authorization code was issued to another client".into(),
        ));
    }
    if now >= code.expires_at {
        return Err(token_fail(
            checks,
            CheckKind::Code,
            "RFC 6749 §4.1.2",
            400,
            "invalid_grant",
            format!(
                "The authorization code expired ({} s after it was issued): redeem it at once",
                CODE_LIFETIME_SECONDS
            ),
        ));
    }
    checks.push(Check::pass(
        CheckKind::Code,
        "RFC 6749 §4.1.3",
        "Code known, unused, unexpired, issued to this client",
    ));
    // RFC 6749 §4.1.3: redirect_uri REQUIRED when it was in the authorization request, and
    // identical.
    match form.get("redirect_uri") {
        Some(r) if r == code.redirect_uri => checks.push(Check::pass(
            CheckKind::RedirectUri,
            "RFC 6749 §4.1.3",
            "redirect_uri identical to the authorization request's",
        )),
        other => {
            return Err(token_fail(
                checks,
                CheckKind::RedirectUri,
                "RFC 6749 §4.1.3",
                400,
                "invalid_grant",
                match other {
                    None => "The request has no redirect_uri: send the one used to authorize"
                        .to_string(),
                    Some(r) => format!(
                        "redirect_uri {r} differs from the authorization request's {}",
                        code.redirect_uri
                    ),
                },
            ))
        }
    }
    // RFC 7636 §4.5, §4.6; RFC 9700 §2.1.1 (a verifier without a challenge is refused).
    match (&code.code_challenge, form.get("code_verifier")) {
        (None, None) => {}
        (Some(challenge), Some(verifier)) if is_pkce_value(verifier) => {
            let digest = ring::digest::digest(&ring::digest::SHA256, verifier.as_bytes());
            if URL_SAFE_NO_PAD.encode(digest) != *challenge {
                return Err(token_fail(
                checks,
                    CheckKind::Pkce,
                    "RFC 7636 §4.6",
                    400,
                    "invalid_grant",
                    "The code_verifier does not match the code_challenge (BASE64URL(SHA256(verifier)))".into(),
                ));
            }
            checks.push(Check::pass(
                CheckKind::Pkce,
                "RFC 7636 §4.6",
                "code_verifier matches the S256 code_challenge",
            ));
        }
        (Some(_), Some(_)) => {
            return Err(token_fail(
                checks,
                CheckKind::Pkce,
                "RFC 7636 §4.1",
                400,
                "invalid_grant",
                "The code_verifier must be 43–128 characters of A–Z a–z 0–9 - . _ ~".into(),
            ))
        }
        (Some(_), None) => {
            return Err(token_fail(
                checks,
                CheckKind::Pkce,
                "RFC 7636 §4.5",
                400,
                "invalid_grant",
                "The authorization request had a code_challenge: send the code_verifier".into(),
            ))
        }
        (None, Some(_)) => {
            return Err(token_fail(
                checks,
                CheckKind::Pkce,
                "RFC 9700 §2.1.1",
                400,
                "invalid_grant",
                "A code_verifier was sent, but the authorization request had no code_challenge"
                    .into(),
            ))
        }
    }
    let has = |s: &str| code.scopes.iter().any(|c| c == s);
    let profile = has("profile");
    let email = has("email");
    let user = &code.user;
    let claims = IdTokenClaims {
        iss: provider.issuer.clone(),
        sub: user.sub.clone(),
        aud: client.client_id.clone(),
        exp: (now + Duration::seconds(TOKEN_LIFETIME_SECONDS)).timestamp(),
        iat: now.timestamp(),
        auth_time: code.auth_time.timestamp(),
        nonce: code.nonce.clone(),
        at_hash: jwt::at_hash(access_token),
        amr: vec!["pwd".into()],
        name: profile.then(|| user.name()),
        given_name: profile.then(|| user.given_name.clone()),
        family_name: profile.then(|| user.family_name.clone()),
        preferred_username: profile.then(|| user.preferred_username.clone()),
        email: email.then(|| user.email.clone()),
    };
    let id_token = jwt::sign_rs256(key, &claims).map_err(|KeyError(e)| {
        token_fail(
            checks,
            CheckKind::Signature,
            "RFC 7515 §5.1",
            500,
            "server_error",
            format!("The ID token could not be signed: {e}"),
        )
    })?;
    checks.push(Check::pass(
        CheckKind::Nonce,
        "OIDC Core §2",
        match &code.nonce {
            Some(_) => "ID token carries the request's nonce",
            None => "ID token without nonce (none was sent)",
        },
    ));
    checks.push(Check::pass(
        CheckKind::Signature,
        "OIDC Core §2, RFC 7518 §3.3",
        format!("ID token signed RS256 with key {}", key.kid()),
    ));
    let scope = code.scopes.join(" ");
    Ok((
        TokenResponse {
            access_token: access_token.to_string(),
            token_type: "Bearer".into(),
            expires_in: TOKEN_LIFETIME_SECONDS,
            scope,
            id_token,
        },
        AccessGrant {
            key: secret_key(access_token),
            client_id: client.client_id.clone(),
            user: user.clone(),
            scopes: code.scopes.clone(),
            expires_at: now + Duration::seconds(TOKEN_LIFETIME_SECONDS),
            code_key: code.key.clone(),
        },
    ))
}

/// RFC 6750 §2.1: the access token from `Authorization: Bearer …` (the only method accepted;
/// tokens in URLs are refused, RFC 6750 §2.3 / §5.3).
pub fn bearer_token(authorization: Option<&str>) -> Result<&str, TokenError> {
    let realm = "Bearer realm=\"oin-idp\"";
    match authorization {
        None => {
            // RFC 6750 §3.1: no error code when the request had no authentication.
            let mut e = TokenError::new(
                401,
                "invalid_request",
                "No access token: send Authorization: Bearer <token>",
            );
            e.www_authenticate = Some(realm.into());
            Err(e)
        }
        Some(h) => match h
            .strip_prefix("Bearer ")
            .or_else(|| h.strip_prefix("bearer "))
        {
            Some(t) if !t.trim().is_empty() => Ok(t.trim()),
            _ => {
                let mut e = TokenError::new(
                    400,
                    "invalid_request",
                    "The Authorization header is not a Bearer token",
                );
                e.www_authenticate = Some(format!("{realm}, error=\"invalid_request\""));
                Err(e)
            }
        },
    }
}

/// The userinfo endpoint (OIDC Core §5.3): the claims the grant's scopes allow (OIDC Core
/// §5.4), or 401 `invalid_token` for an unknown or expired token (RFC 6750 §3.1).
pub fn userinfo(
    grant: Option<&AccessGrant>,
    now: DateTime<Utc>,
) -> (Result<serde_json::Value, TokenError>, Check) {
    let invalid = |d: &str| {
        let mut e = TokenError::new(401, "invalid_token", d);
        e.www_authenticate = Some(format!(
            "Bearer realm=\"oin-idp\", error=\"invalid_token\", error_description=\"{d}\""
        ));
        (
            Err(e),
            Check::fail(CheckKind::AccessToken, "RFC 6750 §3.1", d),
        )
    };
    let Some(grant) = grant else {
        return invalid("The access token is unknown or revoked");
    };
    if now >= grant.expires_at {
        return invalid("The access token expired");
    }
    let user = &grant.user;
    let has = |s: &str| grant.scopes.iter().any(|c| c == s);
    let mut claims = serde_json::Map::new();
    claims.insert("sub".into(), user.sub.clone().into());
    if has("profile") {
        claims.insert("name".into(), user.name().into());
        claims.insert("given_name".into(), user.given_name.clone().into());
        claims.insert("family_name".into(), user.family_name.clone().into());
        claims.insert(
            "preferred_username".into(),
            user.preferred_username.clone().into(),
        );
    }
    if has("email") {
        claims.insert("email".into(), user.email.clone().into());
    }
    (
        Ok(serde_json::Value::Object(claims)),
        Check::pass(
            CheckKind::AccessToken,
            "OIDC Core §5.3",
            format!(
                "Access token valid; claims for scope {}",
                grant.scopes.join(" ")
            ),
        ),
    )
}

/// OIDC Core §4 (third-party initiated login): the URL the dashboard tile opens: the app's
/// initiate login URI with `iss` (REQUIRED) and, optionally, `login_hint`. The URI must be
/// https (OIDC Core §4; plain http only on loopback, for local test apps).
pub fn initiate_login(
    provider: &Provider,
    client: &Client,
    login_hint: Option<&str>,
) -> (Result<String, String>, Check) {
    let uri = client.initiate_login_uri.trim();
    let rule = "OIDC Core §4";
    if uri.is_empty() {
        let d = "The integration has no Initiate login URI, so it does not support the IdP flow";
        return (Err(d.into()), Check::fail(CheckKind::Issuer, rule, d));
    }
    let parsed = match url::Url::parse(uri) {
        Ok(u) => u,
        Err(e) => {
            let d = format!("The Initiate login URI {uri} is not a URL ({e})");
            return (Err(d.clone()), Check::fail(CheckKind::Issuer, rule, d));
        }
    };
    let loopback = matches!(parsed.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
    if parsed.scheme() != "https" && !(parsed.scheme() == "http" && loopback) {
        let d = format!("The Initiate login URI {uri} must use https");
        return (Err(d.clone()), Check::fail(CheckKind::Issuer, rule, d));
    }
    let mut pairs = vec![("iss", provider.issuer.as_str())];
    if let Some(hint) = login_hint {
        pairs.push(("login_hint", hint));
    }
    (
        Ok(redirect_with(uri, &pairs)),
        Check::pass(
            CheckKind::Issuer,
            rule,
            format!(
                "Sent to the Initiate login URI with iss={}",
                provider.issuer
            ),
        ),
    )
}
