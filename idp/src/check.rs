//! What the identity provider checked while answering one request, and the verdict of each
//! check: the record a tester run shows as a step and a network entry (issue 14: client auth,
//! redirect URI, PKCE, nonce, issuer, ACS, audience, assignment).

use serde::{Deserialize, Serialize};

/// Which rule a [`Check`] is about. Stable names for the run record and the UI.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum CheckKind {
    /// The client is known (`client_id`) — OIDC Core §3.1.2.1, RFC 6749 §4.1.1.
    Client,
    /// The client authenticated at the token endpoint — RFC 6749 §2.3.1, §3.2.1.
    ClientAuth,
    /// The redirect URI matched a registered one exactly — RFC 6749 §3.1.2.3, OIDC Core §3.1.2.1.
    RedirectUri,
    /// `response_type=code` — OIDC Core §3.1.2.1.
    ResponseType,
    /// The requested scopes — OIDC Core §3.1.2.1, §5.4.
    Scope,
    /// `state` echoed — RFC 6749 §4.1.1, §10.12.
    State,
    /// PKCE — RFC 7636 §4.3, §4.4.1, §4.6.
    Pkce,
    /// `nonce` carried into the ID token — OIDC Core §3.1.2.1, §2.
    Nonce,
    /// `prompt`, `max_age` — OIDC Core §3.1.2.1.
    Prompt,
    /// `grant_type` — RFC 6749 §4.1.3.
    GrantType,
    /// The authorization code: known, unused, unexpired, for this client — RFC 6749 §4.1.3, §10.5.
    Code,
    /// An access token presented at the userinfo endpoint — RFC 6750 §2.1, §3.1.
    AccessToken,
    /// The issuer of an IdP-initiated login (OIDC Core §4), or of a SAML AuthnRequest
    /// (SAML profiles §4.1.4.1).
    Issuer,
    /// The assertion consumer service URL or index — SAML profiles §4.1.4.1, core §3.4.1.
    Acs,
    /// The audience the assertion is restricted to — SAML core §2.5.1.4.
    Audience,
    /// `Destination` of a SAML request — SAML core §3.2.1.
    Destination,
    /// The protocol binding asked for — SAML core §3.4.1, bindings §3.5.
    Binding,
    /// The SAML message itself: encoding, XML, version — SAML bindings §3.4.4.1, §3.5.4, core §3.2.1.
    Request,
    /// `ForceAuthn` / `IsPassive` — SAML core §3.4.1.
    ForceAuthn,
    /// Attribute and group statements evaluated for the user (SPEC 4.4, SAML core §2.7.3).
    Attributes,
    /// The signed-in user is assigned to the instance (SPEC 5.2 Assign test users).
    Assignment,
    /// The signature on what was issued (ID token, SAML Response and Assertion).
    Signature,
}

impl CheckKind {
    /// The name a vendor reads.
    pub fn label(self) -> &'static str {
        match self {
            CheckKind::Client => "Client",
            CheckKind::ClientAuth => "Client authentication",
            CheckKind::RedirectUri => "Redirect URI",
            CheckKind::ResponseType => "Response type",
            CheckKind::Scope => "Scopes",
            CheckKind::State => "State",
            CheckKind::Pkce => "PKCE",
            CheckKind::Nonce => "Nonce",
            CheckKind::Prompt => "Prompt",
            CheckKind::GrantType => "Grant type",
            CheckKind::Code => "Authorization code",
            CheckKind::AccessToken => "Access token",
            CheckKind::Issuer => "Issuer",
            CheckKind::Acs => "ACS URL",
            CheckKind::Audience => "Audience",
            CheckKind::Destination => "Destination",
            CheckKind::Binding => "Binding",
            CheckKind::Request => "Request",
            CheckKind::ForceAuthn => "ForceAuthn",
            CheckKind::Attributes => "Attribute statements",
            CheckKind::Assignment => "Assignment",
            CheckKind::Signature => "Signature",
        }
    }
}

/// The outcome of one check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Verdict {
    /// The rule holds.
    Pass,
    /// The rule holds, but the request omits something a careful app sends (e.g. `state`).
    Warning,
    /// The rule is broken: the request was refused.
    Fail,
}

/// One rule checked for one request: which, the verdict, what was seen (in words a vendor can
/// act on, never a secret), and the specification section that states the rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Check {
    pub kind: CheckKind,
    pub verdict: Verdict,
    pub detail: String,
    /// E.g. "RFC 7636 §4.6".
    pub rule: String,
}

impl Check {
    pub fn pass(kind: CheckKind, rule: &str, detail: impl Into<String>) -> Check {
        Check::new(kind, Verdict::Pass, rule, detail)
    }

    pub fn warn(kind: CheckKind, rule: &str, detail: impl Into<String>) -> Check {
        Check::new(kind, Verdict::Warning, rule, detail)
    }

    pub fn fail(kind: CheckKind, rule: &str, detail: impl Into<String>) -> Check {
        Check::new(kind, Verdict::Fail, rule, detail)
    }

    fn new(kind: CheckKind, verdict: Verdict, rule: &str, detail: impl Into<String>) -> Check {
        Check {
            kind,
            verdict,
            detail: detail.into(),
            rule: rule.to_string(),
        }
    }

    /// One line for a run's step list: `Redirect URI: pass — … (RFC 6749 §3.1.2.3)`.
    pub fn line(&self) -> String {
        let verdict = match self.verdict {
            Verdict::Pass => "pass",
            Verdict::Warning => "warning",
            Verdict::Fail => "fail",
        };
        format!(
            "{}: {verdict} — {} ({})",
            self.kind.label(),
            self.detail,
            self.rule
        )
    }
}

/// Whether every check passed (warnings allowed).
pub fn all_passed(checks: &[Check]) -> bool {
    checks.iter().all(|c| c.verdict != Verdict::Fail)
}

/// Query parameters whose values never reach a run record (COMMON: secrets never in URLs
/// or logs): codes, tokens, client secrets, PKCE verifiers, passwords and the SAML messages
/// (which carry the user's attributes).
pub const REDACTED_PARAMS: [&str; 9] = [
    "code",
    "client_secret",
    "code_verifier",
    "access_token",
    "id_token",
    "password",
    "SAMLRequest",
    "SAMLResponse",
    "Signature",
];

/// `url` as a run may record it: the values of [`REDACTED_PARAMS`] replaced by `…`, user
/// info and fragment removed. A value that does not parse as a URL loses its whole query.
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) => {
            let _ = u.set_username("");
            let _ = u.set_password(None);
            u.set_fragment(None);
            if u.query().is_some() {
                let pairs: Vec<(String, String)> = u
                    .query_pairs()
                    .map(|(k, v)| {
                        let v = if REDACTED_PARAMS.contains(&k.as_ref()) {
                            "…".to_string()
                        } else {
                            v.into_owned()
                        };
                        (k.into_owned(), v)
                    })
                    .collect();
                u.query_pairs_mut().clear().extend_pairs(pairs);
            }
            u.to_string()
        }
        Err(_) => url.split(['?', '#']).next().unwrap_or_default().to_string(),
    }
}

/// What a tester run records for one request the identity provider answered (issue 14): a
/// network entry (method, redacted URL, status, a summary naming the first failed check)
/// and one step per check, in words a vendor can act on.
pub fn record(
    at: chrono::DateTime<chrono::Utc>,
    method: &str,
    url: &str,
    status: u16,
    what: &str,
    checks: &[Check],
) -> (
    oin_wizard::domain::NetworkRecord,
    Vec<oin_wizard::domain::TestStep>,
) {
    let failed = checks.iter().find(|c| c.verdict == Verdict::Fail);
    let warnings = checks
        .iter()
        .filter(|c| c.verdict == Verdict::Warning)
        .count();
    let summary = match failed {
        Some(f) => format!("{what}: {} failed — {}", f.kind.label(), f.detail),
        None if warnings > 0 => format!(
            "{what}: {} checks passed, {warnings} warning{}",
            checks.len() - warnings,
            if warnings == 1 { "" } else { "s" }
        ),
        None => format!("{what}: {} checks passed", checks.len()),
    };
    let network = oin_wizard::domain::NetworkRecord {
        at,
        method: method.to_string(),
        url: redact_url(url),
        status,
        summary,
    };
    let steps = checks
        .iter()
        .map(|c| oin_wizard::domain::TestStep {
            at,
            description: format!("{what} — {}", c.line()),
            ok: c.verdict != Verdict::Fail,
            // The identity provider checked this request itself.
            source: oin_wizard::domain::RecordSource::Observed,
        })
        .collect();
    (network, steps)
}
