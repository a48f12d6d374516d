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

pub mod assignment;
pub mod check;
pub mod jwt;
pub mod keys;
pub mod oidc;
pub mod saml;
mod xml;

pub use check::{Check, CheckKind, Verdict};
pub use keys::{KeyError, SigningKey};
