//! The org's identity provider for the Submission Tester (issue 14), as pure functions: an
//! OpenID Connect provider ([`oidc`]) and a SAML 2.0 identity provider ([`saml`]), signing with
//! the keys of [`keys`].
//!
//! No I/O, no clock, no database: every function takes the request's data, the instance's
//! configuration, the keys and `now`, and answers what to send back together with the
//! [`check::Check`]s it made (what a tester run records). Random values (codes, tokens, ids)
//! come in as arguments; [`keys::random_token`] makes them. The server stores what these
//! functions hand it (authorization codes, access tokens) and calls them again.
//!
//! Each rule cites the section of the specification that states it (RFC 6749, RFC 7636,
//! OpenID Connect Core 1.0, SAML 2.0 core, bindings and profiles).
//!
//! # How the server wires it (issue 14)
//!
//! | endpoint (paths as `domain::testing` names them) | calls | the server stores |
//! | --- | --- | --- |
//! | `GET /.well-known/openid-configuration` | `oidc::Provider::at_org(org_url).discovery()` | |
//! | `GET /oauth2/v1/keys` | `keys::KeySet::jwks` | each key's PKCS#8 (encrypted at rest) and creation time; at start `KeySet::rotation(now)` says whether to `SigningKey::generate` or retire one |
//! | `GET /oauth2/v1/authorize` | `oidc::Client::of_instance` (found by `client_id`), `validate_authorization`, `next_step` (the sign-in page on `Next::SignIn`), `assignment::sign_in_user`, `issue_code` | the `ValidAuthorization` while the user signs in; the `AuthorizationCode` under its `key` |
//! | `POST /oauth2/v1/token` | `client_credentials`, `exchange_code` with the code found by `secret_key(code)` (save it back: it is spent) | the `AccessGrant` under its `key`; revoke grants of `revoke_code_grants` |
//! | `GET /oauth2/v1/userinfo` | `bearer_token`, `userinfo` | |
//! | the OIDC IdP flow (tile) | `oidc::initiate_login` | |
//! | `GET {org}/app/{id}/sso/saml/metadata` | `saml::IdentityProvider::metadata` (a certificate per key) | |
//! | `GET`/`POST {org}/app/{id}/sso/saml` | `saml::sp_initiated`, `needs_sign_in`, `assignment::sign_in_user`, `respond` or `respond_error`, `post_form` (its CSP: `post_form_script_csp`) | |
//! | the SAML IdP flow `{org}/home/saml/{id}` | `saml::idp_initiated`, then as above | |
//!
//! Every answer carries its checks: `check::record` makes them the run's network entry and
//! steps, for the run the run cookie names (`assignment::run_in_progress`).

pub mod assignment;
pub mod check;
pub mod jwt;
pub mod keys;
pub mod oidc;
pub mod saml;
mod xml;

pub use check::{Check, CheckKind, Verdict};
pub use keys::{KeyError, SigningKey};
