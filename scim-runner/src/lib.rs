//! The SCIM conformance runner (issue 15): calls a vendor's SCIM 2.0 server the way Okta's
//! provisioning would and reports, step by step, which rule of RFC 7643/7644 held.
//!
//! Two entry points, both returning a serializable [`Report`] with secrets redacted:
//! - [`test_credentials`]: **Test API Credentials**, one `GET {base}/Users?count=1`.
//! - [`run_scim_tests`]: **Run SCIM tests**, the suites of SPEC 5.4 limited to the operations
//!   the integration declares (SPEC 4.5), then cleanup of everything the run created.
//!
//! Safety (see [`address`]): https and public addresses only unless `allow_local`; no
//! redirects; per-request, per-run and size limits ([`Limits`]); [`RunLocks`] lets a server
//! refuse a second run for the same instance while one is going.
//!
//! Native only; the wasm app never depends on it.

pub mod address;
pub mod checks;
pub mod http;
pub mod oauth;
pub mod report;
mod suite;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use oin_wizard::domain::model::{
    GroupOperations, Instance, ScimAuthMode, ScimDetails, ScimOauth, ScimProperties, Submission,
    UserOperations,
};
use oin_wizard::domain::{testing, Expressions};
use oin_wizard::expr::Dialect;

pub use address::{NameLookup, SystemLookup};
pub use http::Limits;
pub use report::{Report, Step, Verdict};

/// How the runner authenticates to the SCIM server (SPEC 4.5).
#[derive(Clone, PartialEq, Eq)]
pub enum Auth {
    /// Header mode: `Authorization: {token}`.
    Header {
        /// The API token.
        token: String,
    },
    /// Bearer mode: `Authorization: Bearer {token}`.
    Bearer {
        /// The API token.
        token: String,
    },
    /// OAuth 2 with an access token the server already holds (from the authorization code
    /// grant the customer admin completed): `Authorization: Bearer {access_token}`.
    OAuth2AccessToken {
        /// The access token.
        access_token: String,
    },
    /// OAuth 2 where the runner obtains a token itself with the client credentials grant
    /// (RFC 6749 §4.4) at the token endpoint, then sends it as a bearer token.
    OAuth2ClientCredentials {
        /// Token endpoint (https, checked like the base URL).
        token_endpoint: String,
        /// Client ID.
        client_id: String,
        /// Client secret.
        client_secret: String,
        /// Space-separated scopes, may be empty.
        scopes: String,
    },
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Auth::Header { .. } => f.write_str("Auth::Header([redacted])"),
            Auth::Bearer { .. } => f.write_str("Auth::Bearer([redacted])"),
            Auth::OAuth2AccessToken { .. } => f.write_str("Auth::OAuth2AccessToken([redacted])"),
            Auth::OAuth2ClientCredentials {
                token_endpoint,
                client_id,
                ..
            } => write!(
                f,
                "Auth::OAuth2ClientCredentials({token_endpoint}, {client_id}, [redacted])"
            ),
        }
    }
}

impl Auth {
    /// The authentication of an instance (its resolved details) for an integration's OAuth
    /// settings. OAuth 2 uses the client credentials grant with the integration's token
    /// endpoint (already resolved by the caller when it is an expression). Basic is refused
    /// (SPEC 4.5: not offered).
    pub fn from_instance(details: &ScimDetails, oauth: &ScimOauth) -> Result<Auth, String> {
        match details.auth_mode {
            ScimAuthMode::Header => Ok(Auth::Header { token: details.token.clone() }),
            ScimAuthMode::Bearer => Ok(Auth::Bearer { token: details.token.clone() }),
            ScimAuthMode::Oauth2 => Ok(Auth::OAuth2ClientCredentials {
                token_endpoint: oauth.token_endpoint.clone(),
                client_id: oauth.client_id.clone(),
                client_secret: oauth.client_secret.clone(),
                scopes: oauth.scopes.clone(),
            }),
            ScimAuthMode::Basic => Err(
                "Basic authentication is not offered (SPEC 4.5): switch the integration to header, bearer or OAuth 2 authentication."
                    .into(),
            ),
        }
    }
}

/// The operations the integration declares (SPEC 4.5): the runner checks only these.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Declared {
    /// User operations.
    pub users: UserOperations,
    /// Group operations, when Groups are managed.
    pub groups: Option<GroupOperations>,
}

impl Declared {
    /// What an integration's SCIM properties declare.
    pub fn from_properties(scim: &ScimProperties) -> Declared {
        Declared {
            users: scim.user_operations,
            groups: scim.manage_groups.then_some(scim.group_operations),
        }
    }
}

/// Everything one run needs.
#[derive(Clone)]
pub struct RunConfig {
    /// The instance's SCIM base URL (e.g. `https://acme.example.com/scim/v2`).
    pub base_url: String,
    /// How to authenticate.
    pub auth: Auth,
    /// Declared operations.
    pub declared: Declared,
    /// Time and size limits.
    pub limits: Limits,
    /// Allow http and local/private addresses: for local testing only, behind an explicit
    /// server start-up flag.
    pub allow_local: bool,
    /// How names are resolved ([`SystemLookup`] in production).
    pub lookup: Arc<dyn NameLookup>,
}

impl RunConfig {
    /// A configuration with default limits, public addresses only and the system resolver.
    pub fn new(base_url: impl Into<String>, auth: Auth, declared: Declared) -> RunConfig {
        RunConfig {
            base_url: base_url.into(),
            auth,
            declared,
            limits: Limits::default(),
            allow_local: false,
            lookup: Arc::new(SystemLookup),
        }
    }
}

impl RunConfig {
    /// The run for a stored SCIM instance of a submission: the domain's own checks first
    /// (`testing::check_scim_credentials`: base URL, token or OAuth 2 settings present, no
    /// Basic), then the instance's resolved base URL, its authentication, the OAuth 2 token
    /// endpoint evaluated with the instance's variable values (SPEC 5.2), and the operations
    /// of the version the instance was generated from. `Err` is a message for the vendor.
    pub fn for_instance(
        submission: &Submission,
        instance: &Instance,
        expressions: &dyn Expressions,
    ) -> Result<RunConfig, String> {
        Self::for_instance_with(submission, instance, expressions, false)
    }

    /// [`RunConfig::for_instance`] with the server's `allow_local` flag: when set, an
    /// `http://` base URL is accepted (the domain checks everything else about the instance
    /// as if it were https) and the run may call local addresses. Without it, exactly
    /// `for_instance`.
    pub fn for_instance_with(
        submission: &Submission,
        instance: &Instance,
        expressions: &dyn Expressions,
        allow_local: bool,
    ) -> Result<RunConfig, String> {
        let as_checked = match instance.details.scim.as_ref() {
            Some(d) if allow_local && d.base_url.starts_with("http://") => {
                let mut copy = instance.clone();
                if let Some(d) = copy.details.scim.as_mut() {
                    d.base_url = d.base_url.replacen("http://", "https://", 1);
                }
                std::borrow::Cow::Owned(copy)
            }
            _ => std::borrow::Cow::Borrowed(instance),
        };
        testing::check_scim_credentials(submission, &as_checked).map_err(|e| e.message)?;
        let details = instance
            .details
            .scim
            .as_ref()
            .ok_or("This instance does not serve SCIM")?;
        let source = testing::instance_source(submission, instance);
        let mut auth = Auth::from_instance(details, &source.scim.oauth)?;
        if let Auth::OAuth2ClientCredentials { token_endpoint, .. } = &mut auth {
            *token_endpoint = expressions
                .resolve(Dialect::Scim, token_endpoint, &instance.variable_values)
                .map_err(|e| format!("The OAuth 2 token endpoint does not evaluate with this instance's values: {e}"))?;
        }
        let mut config = RunConfig::new(
            details.base_url.clone(),
            auth,
            Declared::from_properties(&source.scim),
        );
        config.allow_local = allow_local;
        Ok(config)
    }
}

impl std::fmt::Debug for RunConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunConfig")
            .field("base_url", &self.base_url)
            .field("auth", &self.auth)
            .field("declared", &self.declared)
            .field("limits", &self.limits)
            .field("allow_local", &self.allow_local)
            .finish_non_exhaustive()
    }
}

/// **Test API Credentials**: `GET {base}/Users?count=1` with the configured authentication
/// (after obtaining a token, for OAuth 2 client credentials). Reports status, latency and,
/// when it fails, the cause: DNS, TLS, connection refused, timeout, 401/403, not SCIM JSON,
/// wrong schema URN…
pub async fn test_credentials(config: &RunConfig) -> Report {
    suite::credentials_only(config).await
}

/// **Run SCIM tests**: the checks of SPEC 5.4 for the declared operations, then cleanup of
/// every user and group the run created, whatever failed before.
///
/// Do not drop the future before it ends: cleanup runs at its end. A run bounds itself
/// (`limits.run_timeout` plus `limits.cleanup_timeout`).
pub async fn run_scim_tests(config: &RunConfig) -> Report {
    suite::conformance(config, None).await
}

/// [`run_scim_tests`], telling `on_step` of each step as it completes (for a live view).
pub async fn run_scim_tests_observed(
    config: &RunConfig,
    on_step: &mut (dyn FnMut(&Step) + Send + Sync),
) -> Report {
    suite::conformance(config, Some(on_step)).await
}

/// Run locks: at most one run per key (an instance id) at a time, in this process.
#[derive(Clone, Debug, Default)]
pub struct RunLocks {
    running: Arc<Mutex<HashSet<String>>>,
}

/// Held while a run goes; dropping it frees the key.
#[derive(Debug)]
pub struct RunPermit {
    key: String,
    running: Arc<Mutex<HashSet<String>>>,
}

/// A run for this key is already going.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlreadyRunning;

impl std::fmt::Display for AlreadyRunning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(
            "A SCIM test run for this instance is already in progress; wait for it to finish.",
        )
    }
}

impl std::error::Error for AlreadyRunning {}

impl RunLocks {
    /// New, empty set of locks.
    pub fn new() -> RunLocks {
        RunLocks::default()
    }

    /// Takes the lock for `key`, or says a run is already going.
    pub fn try_start(&self, key: &str) -> Result<RunPermit, AlreadyRunning> {
        let mut running = self.running.lock().unwrap_or_else(|p| p.into_inner());
        if !running.insert(key.to_string()) {
            return Err(AlreadyRunning);
        }
        Ok(RunPermit {
            key: key.to_string(),
            running: self.running.clone(),
        })
    }

    /// Whether a run holds `key`.
    pub fn is_running(&self, key: &str) -> bool {
        self.running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains(key)
    }
}

impl Drop for RunPermit {
    fn drop(&mut self) {
        self.running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&self.key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_instances_authentication_maps_to_the_runners() {
        let oauth = ScimOauth {
            authorize_endpoint: "https://id.example.com/authorize".into(),
            token_endpoint: "https://id.example.com/token".into(),
            client_id: "cid".into(),
            client_secret: "csecret".into(),
            scopes: "scim".into(),
        };
        let details = |mode| ScimDetails {
            base_url: "https://acme.example.com/scim/v2".into(),
            auth_mode: mode,
            api_integration_enabled: true,
            token: "tok".into(),
        };
        assert_eq!(
            Auth::from_instance(&details(ScimAuthMode::Header), &oauth),
            Ok(Auth::Header {
                token: "tok".into()
            })
        );
        assert_eq!(
            Auth::from_instance(&details(ScimAuthMode::Bearer), &oauth),
            Ok(Auth::Bearer {
                token: "tok".into()
            })
        );
        assert_eq!(
            Auth::from_instance(&details(ScimAuthMode::Oauth2), &oauth),
            Ok(Auth::OAuth2ClientCredentials {
                token_endpoint: "https://id.example.com/token".into(),
                client_id: "cid".into(),
                client_secret: "csecret".into(),
                scopes: "scim".into(),
            })
        );
        let basic = Auth::from_instance(&details(ScimAuthMode::Basic), &oauth).unwrap_err();
        assert!(basic.starts_with("Basic authentication is not offered (SPEC 4.5)"));
    }

    #[test]
    fn groups_are_declared_only_when_managed() {
        let mut scim = ScimProperties::default();
        scim.user_operations.patch = true;
        assert_eq!(Declared::from_properties(&scim).groups, None);
        assert!(Declared::from_properties(&scim).users.patch);
        scim.manage_groups = true;
        scim.group_operations.delete = false;
        let groups = Declared::from_properties(&scim).groups.expect("groups");
        assert!(groups.create && groups.update && !groups.delete);
    }
}
