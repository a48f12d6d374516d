//! `oin-server`: the reference server of the OIN Wizard's backend contract (docs/api.md).
//!
//! It decides every rule with the app's own core (`oin_wizard::domain`, `oin_wizard::expr`),
//! natively: the server never trusts the client. The shape follows STYLE.md, "The server":
//!
//! - [`http`]: one module per API area; thin handlers.
//! - [`context`]: the one shared context (store, keys, settings, the built app).
//! - [`auth`]: the signed-in account extractor, session cookies, throttling; [`csrf`].
//! - [`error`]: the one error enum, mapped to status and body in one place.
//! - [`store`]: the store trait, on SQLite and PostgreSQL with the same migrations.
//! - [`keys`]: secrets at rest (AES-256-GCM), random ids and tokens, argon2id passwords.
//! - [`site`]: the built app on the same origin, with its own `_headers`.
//! - [`accounts`]: `oin-server user add` (an org per company email domain, SPEC 1).

pub mod accounts;
pub mod auth;
pub mod context;
pub mod csrf;
pub mod error;
pub mod http;
pub mod keys;
pub mod site;
pub mod store;

pub use context::{AppState, Context, Settings};

/// What `oin-server` does on every start before it serves, on the store it opened: the
/// identity provider's signing keys (a first one, then rotation; issue 14), and every org's
/// URL (the issuer) and its instances' identity provider URLs moved under the public URL it
/// serves at now (an org is made by `user add`, which may not have been given the same
/// `--public-url`).
pub async fn start(
    store: &dyn store::Store,
    keys: &keys::Keys,
    settings: &Settings,
) -> Result<(), String> {
    http::idp::rotate_keys(store, keys, chrono::Utc::now())
        .await
        .map_err(|e| format!("Could not prepare the identity provider's keys: {e:?}"))?;
    http::idp::move_orgs(store, settings)
        .await
        .map_err(|e| format!("Could not move the orgs to {}: {e:?}", settings.public_url))?;
    Ok(())
}
