//! SPEC 4.1: default use cases, added by the catalog team and shown read-only.

use super::limits::{USE_CASES, USE_CASE_LCM, USE_CASE_SSO};
use super::model::Protocols;

/// The defaults for these protocols (id, label): Single Sign-On with OIDC or SAML,
/// Lifecycle Management with SCIM.
pub fn default_use_cases(protocols: Protocols) -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    if protocols.has_sso() {
        out.push(USE_CASE_SSO);
    }
    if protocols.scim {
        out.push(USE_CASE_LCM);
    }
    out
}

/// The label of a use-case id (chosen or default), if known.
pub fn use_case_label(id: &str) -> Option<&'static str> {
    USE_CASES
        .iter()
        .chain([&USE_CASE_SSO, &USE_CASE_LCM])
        .find(|(known, _)| *known == id)
        .map(|(_, label)| *label)
}
