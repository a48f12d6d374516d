//! The one shared context every handler gets: the store, the keys, the configuration and the
//! built app it serves.

use std::sync::Arc;

use crate::keys::Keys;
use crate::site::Site;
use crate::store::Store;

/// Settings that shape behaviour (from the command line).
#[derive(Clone, Debug)]
pub struct Settings {
    /// The origin users reach the server at (`--public-url`), e.g. `https://oin.example.com`:
    /// the org URLs are under it, cookies are `Secure` when it is https, and a state-changing
    /// request's `Origin` may name it.
    pub public_url: String,
    /// How long a session lasts.
    pub session_hours: i64,
    /// Failed sign-ins per email within [`Settings::throttle_window_minutes`] before 429.
    pub failures_per_email: i64,
    /// Failed sign-ins per client address within the window before 429.
    pub failures_per_address: i64,
    /// The throttling window.
    pub throttle_window_minutes: i64,
}

impl Settings {
    /// Defaults for a server reached at `public_url`.
    pub fn new(public_url: &str) -> Settings {
        Settings {
            public_url: public_url.trim_end_matches('/').to_string(),
            session_hours: 12,
            failures_per_email: 5,
            failures_per_address: 50,
            throttle_window_minutes: 15,
        }
    }

    /// Whether the server is reached over https (session cookies are then `Secure`).
    pub fn https(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    /// The URL of an org (its issuer when the tester plays the identity provider).
    pub fn org_url(&self, org_id: &str) -> String {
        format!("{}/orgs/{org_id}", self.public_url)
    }
}

/// What every request can reach.
pub struct Context {
    /// The database.
    pub store: Arc<dyn Store>,
    /// Secret sealing, random ids and tokens.
    pub keys: Arc<Keys>,
    /// Settings.
    pub settings: Settings,
    /// The built app (`--dist`), when there is one.
    pub site: Option<Site>,
    /// The SCIM runner's flag and run locks (issue 15).
    pub scim: crate::http::scim::ScimRunner,
}

/// The state handlers get.
pub type AppState = Arc<Context>;
