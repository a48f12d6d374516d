//! The Expression Language of dynamic properties (SPEC 6): parse, check, evaluate, explain.
//!
//! Pure Rust: no web-sys, no Leptos. Compiles natively and to wasm.

use serde::{Deserialize, Serialize};

/// The three expression dialects, one per protocol's properties (SPEC 6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    /// OIDC properties: text with `{ … }` parts, variables `app.<name>`, Okta `String.*`.
    Oidc,
    /// SAML properties: text with `${ … }` parts, variables `org.<name>`, JSTL `fn:*`, Jakarta EL.
    Saml,
    /// SCIM properties: the whole value is one expression, variables `app.<name>`, Okta `String.*`.
    Scim,
}
