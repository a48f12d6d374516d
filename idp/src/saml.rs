//! The SAML 2.0 identity provider of one instance: metadata, AuthnRequests over the
//! HTTP-Redirect and HTTP-POST bindings, and Responses over HTTP-POST with both the Response
//! and the Assertion signed (RSA-SHA256, exclusive c14n, enveloped signature).
//!
//! Specifications: SAML 2.0 core ("core"), bindings ("bindings"), profiles ("profiles") and
//! metadata ("metadata"), OASIS 2005; XML Signature 1.1 ("XML DSig"); Exclusive XML
//! Canonicalization 1.0. Each rule cites its section.
//!
//! The server calls [`sp_initiated`] (or [`idp_initiated`]) with the request, then
//! [`needs_sign_in`], then [`respond`] for the signed-in user (or [`respond_error`]: NoPassive,
//! RequestDenied), then [`post_form`] to send the Response to the ACS URL.

use crate::check::{Check, CheckKind};
use crate::keys::{Certificate, KeyError, SigningKey};
use crate::xml::{El, NS_SAML, NS_SAMLP};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use oin_wizard::domain::{GroupAttributeStatement, GroupFilter, Instance, Submission};
use oin_wizard::expr::{self, Dialect};
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Read;

pub const BINDING_REDIRECT: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
pub const BINDING_POST: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";
pub const NAMEID_EMAIL: &str = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";
pub const NAMEID_UNSPECIFIED: &str = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified";
const CM_BEARER: &str = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
const AC_PASSWORD_PROTECTED: &str =
    "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport";
const ATTRNAME_UNSPECIFIED: &str = "urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified";
const STATUS_SUCCESS: &str = "urn:oasis:names:tc:SAML:2.0:status:Success";
const C14N_EXC: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
const SIG_RSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
const DIGEST_SHA256: &str = "http://www.w3.org/2001/04/xmlenc#sha256";
const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

/// How long an assertion may be used after it was issued (Conditions and
/// SubjectConfirmationData `NotOnOrAfter`).
pub const ASSERTION_LIFETIME_SECONDS: i64 = 300;
/// `NotBefore` lies this far before the issue instant, for an SP whose clock is a little behind.
pub const CLOCK_SKEW_SECONDS: i64 = 60;
/// Largest encoded SAMLRequest accepted, and largest inflated XML (a DEFLATE bomb stops there).
pub const MAX_REQUEST_BYTES: usize = 64 * 1024;
pub const MAX_INFLATED_BYTES: usize = 256 * 1024;

/// The identity provider's side of one instance (SPEC 5.2: what the admin sees).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityProvider {
    /// The IdP's entity ID: the `Issuer` of every Response and Assertion.
    pub entity_id: String,
    /// The single sign-on service URL (both bindings).
    pub sso_url: String,
}

impl IdentityProvider {
    /// From a SAML instance's generated details.
    pub fn of_instance(instance: &Instance) -> Option<IdentityProvider> {
        let d = instance.details.saml.as_ref()?;
        Some(IdentityProvider {
            entity_id: d.issuer.clone(),
            sso_url: d.sso_url.clone(),
        })
    }

    /// IdP metadata (metadata §2.3.2, §2.4.3): entity ID, signing certificates (every key
    /// of the key set, newest first, for rollover), NameID format, and the SSO URL for the
    /// HTTP-Redirect and HTTP-POST bindings. Already in canonical form.
    pub fn metadata(&self, certificates: &[Certificate]) -> String {
        let keys = certificates.iter().map(|c| {
            El::new("md:KeyDescriptor")
                .attr("use", "signing")
                .child(key_info(c))
        });
        El::new("md:EntityDescriptor")
            .attr("entityID", &self.entity_id)
            .child(
                El::new("md:IDPSSODescriptor")
                    .attr("WantAuthnRequestsSigned", "false")
                    .attr("protocolSupportEnumeration", NS_SAMLP)
                    .children(keys)
                    .child(El::new("md:NameIDFormat").text(NAMEID_EMAIL))
                    .child(
                        El::new("md:SingleSignOnService")
                            .attr("Binding", BINDING_REDIRECT)
                            .attr("Location", &self.sso_url),
                    )
                    .child(
                        El::new("md:SingleSignOnService")
                            .attr("Binding", BINDING_POST)
                            .attr("Location", &self.sso_url),
                    ),
            )
            .render()
    }
}

fn key_info(cert: &Certificate) -> El {
    El::new("ds:KeyInfo")
        .child(El::new("ds:X509Data").child(El::new("ds:X509Certificate").text(cert.base64())))
}

/// One attribute statement row, as in the submission (SPEC 4.4).
pub type AttributeStatement = oin_wizard::domain::AttributeStatement;

/// The service provider (the vendor's app) as one instance resolved it (SPEC 4.4, 5.2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceProvider {
    /// Entity ID / audience restriction.
    pub entity_id: String,
    pub default_acs_url: String,
    /// Other ACS URLs by index.
    pub acs_urls: Vec<(u16, String)>,
    pub attribute_statements: Vec<AttributeStatement>,
    pub group_attributes: Vec<GroupAttributeStatement>,
    /// The instance's integration variable values (bare names), for `org.<name>`.
    pub variables: BTreeMap<String, String>,
    /// The instance's default relay state (SPEC 4.4: RelayState is set per instance).
    pub default_relay_state: String,
    /// ForceAuthn for every sign-in to this instance (SPEC 4.4: on by default).
    pub force_authn: bool,
}

impl ServiceProvider {
    /// Resolves the submission version the instance was generated from with the instance's
    /// variable values (SAML dialect, SPEC 6). Fails with a message when a URL does not
    /// evaluate.
    pub fn resolve(source: &Submission, instance: &Instance) -> Result<ServiceProvider, String> {
        let vars = &instance.variable_values;
        let eval = |what: &str, template: &str| {
            expr::evaluate(Dialect::Saml, template, vars)
                .map_err(|e| format!("The {what} does not evaluate: {e}"))
        };
        let mut acs_urls = Vec::new();
        for acs in &source.saml.other_acs_urls {
            let index = acs
                .index
                .trim()
                .parse::<u16>()
                .map_err(|_| format!("ACS index {} is not 0–65535", acs.index))?;
            acs_urls.push((index, eval("ACS URL", &acs.url)?));
        }
        let details = instance.details.saml.as_ref();
        Ok(ServiceProvider {
            entity_id: eval("Entity ID", &source.saml.entity_id)?,
            default_acs_url: eval("default ACS URL", &source.saml.default_acs_url)?,
            acs_urls,
            attribute_statements: source.saml.attribute_statements.clone(),
            group_attributes: source.saml.group_attributes.clone(),
            variables: vars.clone(),
            default_relay_state: details
                .map(|d| d.default_relay_state.clone())
                .unwrap_or_default(),
            force_authn: details.is_none_or(|d| d.force_authn),
        })
    }
}

/// A parsed `samlp:AuthnRequest` (core §3.4.1).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthnRequest {
    pub id: String,
    pub version: String,
    pub issue_instant: String,
    pub destination: Option<String>,
    pub acs_url: Option<String>,
    pub acs_index: Option<String>,
    pub protocol_binding: Option<String>,
    pub force_authn: bool,
    pub is_passive: bool,
    pub issuer: Option<String>,
    pub name_id_format: Option<String>,
}

/// The binding an AuthnRequest arrived by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Binding {
    /// `GET` with `SAMLRequest` = base64(DEFLATE(xml)) in the query (bindings §3.4.4.1).
    Redirect,
    /// `POST` form with `SAMLRequest` = base64(xml) (bindings §3.5.4).
    Post,
}

/// A decoded `SAMLRequest`: the XML text, and whether its encoding broke the binding's rule
/// (DEFLATE on HTTP-POST, or none on HTTP-Redirect) and was accepted anyway.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodedRequest {
    pub xml: String,
    pub nonstandard: bool,
}

/// Decodes the `SAMLRequest` value (already URL-decoded) of `binding` to the XML text.
/// HTTP-POST requests that are DEFLATE-compressed anyway (as @node-saml/node-saml sends by
/// default), and HTTP-Redirect requests that are not, are read too and flagged.
pub fn decode_request(binding: Binding, saml_request: &str) -> Result<DecodedRequest, String> {
    if saml_request.len() > MAX_REQUEST_BYTES {
        return Err(format!(
            "The SAMLRequest is longer than {MAX_REQUEST_BYTES} bytes"
        ));
    }
    let compact: String = saml_request
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    let bytes = STANDARD
        .decode(compact)
        .map_err(|e| format!("The SAMLRequest is not base64: {e}"))?;
    let looks_like_xml = bytes
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'<');
    let (xml, nonstandard) = match binding {
        Binding::Post if looks_like_xml => (bytes, false),
        Binding::Post => (inflate(&bytes)?, true),
        Binding::Redirect if looks_like_xml => (bytes, true),
        Binding::Redirect => (inflate(&bytes)?, false),
    };
    let xml = String::from_utf8(xml).map_err(|_| "The SAMLRequest is not UTF-8 XML".to_string())?;
    Ok(DecodedRequest { xml, nonstandard })
}

/// bindings §3.4.4.1: DEFLATE (RFC 1951) without zlib header, bounded.
fn inflate(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    flate2::read::DeflateDecoder::new(bytes)
        .take(MAX_INFLATED_BYTES as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("The SAMLRequest is not DEFLATE-compressed: {e}"))?;
    if out.len() > MAX_INFLATED_BYTES {
        return Err(format!(
            "The SAMLRequest inflates to more than {MAX_INFLATED_BYTES} bytes"
        ));
    }
    Ok(out)
}

fn text_of(event: &Event<'_>, out: &mut String) -> Result<(), String> {
    match event {
        Event::Text(t) => out.push_str(
            &t.xml10_content()
                .map_err(|e| format!("Bad text in the request: {e}"))?,
        ),
        Event::CData(t) => out.push_str(&String::from_utf8_lossy(t)),
        Event::GeneralRef(r) => {
            if let Some(c) = r
                .resolve_char_ref()
                .map_err(|e| format!("Bad character reference: {e}"))?
            {
                out.push(c);
            } else {
                let name = r.decode().map_err(|e| format!("Bad reference: {e}"))?;
                let c = match name.as_ref() {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    other => return Err(format!("Unknown entity &{other};")),
                };
                out.push(c);
            }
        }
        _ => {}
    }
    Ok(())
}

/// Parses an AuthnRequest (core §3.4.1). A DOCTYPE is refused (no entity expansion, ever).
pub fn parse_authn_request(xml: &str) -> Result<AuthnRequest, String> {
    let mut reader = NsReader::from_str(xml);
    let mut req = AuthnRequest::default();
    let mut depth = 0usize;
    let mut seen_root = false;
    // Which child text is being read: Issuer directly under the root.
    let mut reading_issuer = false;
    let mut issuer = String::new();
    loop {
        let (ns, event) = reader
            .read_resolved_event()
            .map_err(|e| format!("The SAMLRequest is not well-formed XML: {e}"))?;
        let in_ns =
            |uri: &str| matches!(&ns, ResolveResult::Bound(n) if n.as_ref() == uri.as_bytes());
        match &event {
            Event::DocType(_) => {
                return Err("The SAMLRequest has a DOCTYPE: refused".into());
            }
            Event::Start(e) | Event::Empty(e) => {
                let local = e.local_name();
                let local = String::from_utf8_lossy(local.as_ref()).to_string();
                let empty = matches!(event, Event::Empty(_));
                if depth == 0 {
                    if !(in_ns(NS_SAMLP) && local == "AuthnRequest") {
                        return Err(format!(
                            "The SAMLRequest is a {local}, not a samlp:AuthnRequest"
                        ));
                    }
                    seen_root = true;
                    for a in e.attributes() {
                        let a = a.map_err(|e| format!("Bad attribute: {e}"))?;
                        let value = a
                            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .map_err(|e| format!("Bad attribute value: {e}"))?
                            .to_string();
                        match a.key.as_ref() {
                            b"ID" => req.id = value,
                            b"Version" => req.version = value,
                            b"IssueInstant" => req.issue_instant = value,
                            b"Destination" => req.destination = Some(value),
                            b"AssertionConsumerServiceURL" => req.acs_url = Some(value),
                            b"AssertionConsumerServiceIndex" => req.acs_index = Some(value),
                            b"ProtocolBinding" => req.protocol_binding = Some(value),
                            b"ForceAuthn" => {
                                req.force_authn = matches!(value.as_str(), "true" | "1")
                            }
                            b"IsPassive" => req.is_passive = matches!(value.as_str(), "true" | "1"),
                            _ => {}
                        }
                    }
                } else if depth == 1 && in_ns(NS_SAML) && local == "Issuer" {
                    reading_issuer = !empty;
                    req.issuer = Some(String::new());
                } else if depth == 1 && in_ns(NS_SAMLP) && local == "NameIDPolicy" {
                    for a in e.attributes().flatten() {
                        if a.key.as_ref() == b"Format" {
                            req.name_id_format = a
                                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .ok()
                                .map(|v| v.to_string());
                        }
                    }
                }
                if !empty {
                    depth += 1;
                }
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if reading_issuer && depth == 1 {
                    reading_issuer = false;
                    req.issuer = Some(issuer.trim().to_string());
                }
            }
            Event::Text(_) | Event::CData(_) | Event::GeneralRef(_) if reading_issuer => {
                text_of(&event, &mut issuer)?;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !seen_root {
        return Err("The SAMLRequest is empty".into());
    }
    if req.id.is_empty() {
        return Err("The AuthnRequest has no ID (core §3.2.1)".into());
    }
    Ok(req)
}

/// An error page (the request cannot be answered with a Response to a trusted ACS URL).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorPage {
    pub title: String,
    pub description: String,
}

/// A sign-in the IdP will answer: where the Response goes and what it must say.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SsoRequest {
    /// The AuthnRequest's ID: `InResponseTo` (SP-initiated only, profiles §4.1.4.2).
    pub in_response_to: Option<String>,
    /// The ACS URL the Response is posted to (always one of the SP's).
    pub acs_url: String,
    pub relay_state: Option<String>,
    /// The request's ForceAuthn (core §3.4.1).
    pub force_authn: bool,
    /// The request's IsPassive (core §3.4.1).
    pub is_passive: bool,
}

/// The answer of [`sp_initiated`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sso {
    pub outcome: Result<SsoRequest, ErrorPage>,
    pub checks: Vec<Check>,
}

fn page(checks: Vec<Check>, title: &str, description: String) -> Sso {
    Sso {
        outcome: Err(ErrorPage {
            title: title.into(),
            description,
        }),
        checks,
    }
}

/// The SSO service for an SP-initiated sign-in (profiles §4.1.4.1): decode and parse the
/// AuthnRequest, check version, issuer (the SP's entity ID), destination, protocol binding,
/// and pick the ACS URL: the requested URL only if it is one of the SP's, or the URL of the
/// requested index, or the default (core §3.4.1). Any failure is an error page: a Response
/// never goes to an unknown URL.
pub fn sp_initiated(
    idp: &IdentityProvider,
    sp: &ServiceProvider,
    binding: Binding,
    saml_request: &str,
    relay_state: Option<&str>,
) -> Sso {
    let mut checks = Vec::new();
    let decoded = match decode_request(binding, saml_request) {
        Ok(x) => x,
        Err(e) => {
            let rule = match binding {
                Binding::Redirect => "SAML bindings §3.4.4.1",
                Binding::Post => "SAML bindings §3.5.4",
            };
            checks.push(Check::fail(CheckKind::Request, rule, e.clone()));
            return page(checks, "The SAML request could not be read", e);
        }
    };
    if decoded.nonstandard {
        checks.push(match binding {
            Binding::Post => Check::warn(
                CheckKind::Request,
                "SAML bindings §3.5.4",
                "The HTTP-POST SAMLRequest is DEFLATE-compressed; the binding carries plain base64 (accepted anyway)",
            ),
            Binding::Redirect => Check::warn(
                CheckKind::Request,
                "SAML bindings §3.4.4.1",
                "The HTTP-Redirect SAMLRequest is not DEFLATE-compressed, as the binding requires (accepted anyway)",
            ),
        });
    }
    let req = match parse_authn_request(&decoded.xml) {
        Ok(r) => r,
        Err(e) => {
            checks.push(Check::fail(
                CheckKind::Request,
                "SAML core §3.4.1",
                e.clone(),
            ));
            return page(checks, "The SAML request could not be read", e);
        }
    };
    if req.version != "2.0" {
        let d = format!(
            "The AuthnRequest has Version \"{}\": only 2.0 is supported",
            req.version
        );
        checks.push(Check::fail(
            CheckKind::Request,
            "SAML core §3.2.1",
            d.clone(),
        ));
        return page(checks, "Unsupported SAML version", d);
    }
    checks.push(Check::pass(
        CheckKind::Request,
        match binding {
            Binding::Redirect => "SAML bindings §3.4.4.1",
            Binding::Post => "SAML bindings §3.5.4",
        },
        format!(
            "AuthnRequest {} received by HTTP-{}",
            req.id,
            match binding {
                Binding::Redirect => "Redirect",
                Binding::Post => "POST",
            }
        ),
    ));
    // profiles §4.1.4.1: the Issuer MUST be present and is the SP's entity ID.
    match req.issuer.as_deref() {
        Some(i) if i == sp.entity_id => checks.push(Check::pass(
            CheckKind::Issuer,
            "SAML profiles §4.1.4.1",
            format!("Issuer {i} is the instance's Entity ID"),
        )),
        other => {
            let d = match other {
                None | Some("") => "The AuthnRequest has no Issuer: send the app's Entity ID".to_string(),
                Some(i) => format!(
                    "Issuer {i} is not the instance's Entity ID {}: the app and the integration must use the same value",
                    sp.entity_id
                ),
            };
            checks.push(Check::fail(
                CheckKind::Issuer,
                "SAML profiles §4.1.4.1",
                d.clone(),
            ));
            return page(checks, "Unknown service provider", d);
        }
    }
    // core §3.2.1: Destination, if present, is where the request was received.
    if let Some(dest) = &req.destination {
        if *dest != idp.sso_url {
            let d = format!(
                "Destination {dest} is not this IdP's SSO URL {}",
                idp.sso_url
            );
            checks.push(Check::fail(
                CheckKind::Destination,
                "SAML core §3.2.1",
                d.clone(),
            ));
            return page(checks, "Wrong destination", d);
        }
        checks.push(Check::pass(
            CheckKind::Destination,
            "SAML core §3.2.1",
            "Destination is this IdP's SSO URL",
        ));
    }
    // core §3.4.1: the response binding; this IdP answers by HTTP-POST only.
    if let Some(b) = req
        .protocol_binding
        .as_deref()
        .filter(|b| *b != BINDING_POST)
    {
        let d = format!("ProtocolBinding {b} is not supported: the Response is sent by HTTP-POST");
        checks.push(Check::fail(
            CheckKind::Binding,
            "SAML profiles §4.1.2",
            d.clone(),
        ));
        return page(checks, "Unsupported binding", d);
    }
    // core §3.4.1: URL and index are mutually exclusive; profiles §4.1.4.1: the URL must be
    // one the IdP knows for this SP (its metadata).
    let acs = match (&req.acs_url, &req.acs_index) {
        (Some(_), Some(_)) => Err(
            "The AuthnRequest has both AssertionConsumerServiceURL and AssertionConsumerServiceIndex: send one".to_string(),
        ),
        (Some(url), None) => {
            if *url == sp.default_acs_url || sp.acs_urls.iter().any(|(_, u)| u == url) {
                Ok((url.clone(), format!("{url} is one of the instance's ACS URLs")))
            } else {
                Err(format!(
                    "AssertionConsumerServiceURL {url} is not one of the instance's ACS URLs ({})",
                    std::iter::once(sp.default_acs_url.as_str())
                        .chain(sp.acs_urls.iter().map(|(_, u)| u.as_str()))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            }
        }
        (None, Some(index)) => match index.trim().parse::<u16>() {
            Ok(i) => match sp.acs_urls.iter().find(|(n, _)| *n == i) {
                Some((_, url)) => Ok((url.clone(), format!("Index {i} is {url}"))),
                None => Err(format!("No ACS URL has the index {i}")),
            },
            Err(_) => Err(format!("AssertionConsumerServiceIndex {index} is not 0–65535")),
        },
        (None, None) => Ok((
            sp.default_acs_url.clone(),
            "No ACS URL requested: the default ACS URL".to_string(),
        )),
    };
    let acs_url = match acs {
        Ok((url, detail)) => {
            checks.push(Check::pass(CheckKind::Acs, "SAML core §3.4.1", detail));
            url
        }
        Err(d) => {
            checks.push(Check::fail(
                CheckKind::Acs,
                "SAML profiles §4.1.4.1",
                d.clone(),
            ));
            return page(checks, "Unknown ACS URL", d);
        }
    };
    // core §3.4.1.1: the NameID format this IdP sends is emailAddress (or unspecified).
    if let Some(f) = req
        .name_id_format
        .as_deref()
        .filter(|f| ![NAMEID_EMAIL, NAMEID_UNSPECIFIED].contains(f))
    {
        checks.push(Check::warn(
            CheckKind::Request,
            "SAML core §3.4.1.1",
            format!("NameIDPolicy asks for {f}; the NameID is sent as {NAMEID_EMAIL}"),
        ));
    }
    let relay_state = relay_state.filter(|r| !r.is_empty()).map(str::to_string);
    if relay_state.as_ref().is_some_and(|r| r.len() > 80) {
        checks.push(Check::warn(
            CheckKind::Request,
            "SAML bindings §3.4.3",
            "RelayState is longer than 80 bytes: some IdPs refuse it",
        ));
    }
    Sso {
        outcome: Ok(SsoRequest {
            in_response_to: Some(req.id),
            acs_url,
            relay_state,
            force_authn: req.force_authn,
            is_passive: req.is_passive,
        }),
        checks,
    }
}

/// An IdP-initiated sign-in (profiles §4.1.5, unsolicited Response): the default ACS URL, no
/// `InResponseTo`, the instance's default relay state; with the checks a run records.
pub fn idp_initiated(sp: &ServiceProvider) -> (SsoRequest, Vec<Check>) {
    let request = SsoRequest {
        in_response_to: None,
        acs_url: sp.default_acs_url.clone(),
        relay_state: Some(sp.default_relay_state.clone()).filter(|r| !r.is_empty()),
        force_authn: false,
        is_passive: false,
    };
    let checks = vec![
        Check::pass(
            CheckKind::Request,
            "SAML profiles §4.1.5",
            "IdP-initiated sign-in: an unsolicited Response, without InResponseTo",
        ),
        Check::pass(
            CheckKind::Acs,
            "SAML profiles §4.1.5",
            format!("The default ACS URL {}", sp.default_acs_url),
        ),
    ];
    (request, checks)
}

/// Whether the user must enter their password now (core §3.4.1 ForceAuthn; SPEC 4.4 the
/// instance's ForceAuthn, on by default): no session, or ForceAuthn asked by the request or
/// the instance, unless they just signed in for this request. With IsPassive, a needed
/// sign-in is an error instead (`Err`: core §3.4.1, status NoPassive).
pub fn needs_sign_in(
    sp: &ServiceProvider,
    request: &SsoRequest,
    has_session: bool,
    just_signed_in: bool,
) -> (Result<bool, String>, Check) {
    let rule = "SAML core §3.4.1";
    if just_signed_in {
        return (
            Ok(false),
            Check::pass(CheckKind::ForceAuthn, rule, "The user signed in"),
        );
    }
    let why = if !has_session {
        Some("no session")
    } else if request.force_authn {
        Some("the AuthnRequest has ForceAuthn=\"true\"")
    } else if sp.force_authn {
        Some("the instance forces authentication")
    } else {
        None
    };
    match why {
        None => (
            Ok(false),
            Check::pass(CheckKind::ForceAuthn, rule, "The user's session is reused"),
        ),
        Some(w) if request.is_passive => {
            let d = format!("IsPassive=\"true\", but the user must sign in ({w})");
            (Err(d.clone()), Check::fail(CheckKind::ForceAuthn, rule, d))
        }
        Some(w) => (
            Ok(true),
            Check::pass(
                CheckKind::ForceAuthn,
                rule,
                format!("Sign-in page shown ({w})"),
            ),
        ),
    }
}

/// The signed-in test user, as attribute statements see it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SamlUser {
    /// The username (`${user.userName}`), the NameID.
    pub user_name: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    /// Names of the user's groups, for group attribute statements.
    pub groups: Vec<String>,
}

impl SamlUser {
    /// From an org user and the names of their groups.
    pub fn of_user(user: &oin_wizard::domain::User, groups: Vec<String>) -> SamlUser {
        SamlUser {
            user_name: user.email.clone(),
            email: user.email.clone(),
            first_name: user.first_name.clone(),
            last_name: user.last_name.clone(),
            groups,
        }
    }

    /// The Expression Language variables for attribute statements (SPEC 4.4: `user.<attr>`,
    /// `appuser.<attr>`), beside the instance's `org.<name>` values.
    fn variables(&self, org: &BTreeMap<String, String>) -> BTreeMap<String, String> {
        let mut vars = org.clone();
        let display = format!("{} {}", self.first_name, self.last_name)
            .trim()
            .to_string();
        for root in ["user", "appuser"] {
            for (name, value) in [
                ("userName", &self.user_name),
                ("login", &self.user_name),
                ("email", &self.email),
                ("firstName", &self.first_name),
                ("lastName", &self.last_name),
                ("displayName", &display),
            ] {
                vars.insert(format!("{root}.{name}"), value.clone());
            }
        }
        vars
    }
}

/// What goes into one Response: the ids (fresh random values, see [`saml_id`]), the time,
/// and the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResponseInput<'a> {
    pub response_id: &'a str,
    pub assertion_id: &'a str,
    pub now: DateTime<Utc>,
    /// When the user entered their password (`AuthnInstant`).
    pub auth_instant: DateTime<Utc>,
    pub user: &'a SamlUser,
}

/// The key that signs and the certificate published for it (in `ds:KeyInfo`).
#[derive(Clone, Copy, Debug)]
pub struct Signer<'a> {
    pub key: &'a SigningKey,
    pub certificate: &'a Certificate,
}

/// A signed Response, ready for [`post_form`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedResponse {
    /// The Response XML (canonical form, as signed).
    pub xml: String,
    /// The `SAMLResponse` form value: base64 of `xml` (bindings §3.5.4).
    pub saml_response: String,
    pub acs_url: String,
    pub relay_state: Option<String>,
    pub checks: Vec<Check>,
}

/// An xs:ID for a Response or Assertion from a random token: `_` + the token (an NCName).
pub fn saml_id(random: &str) -> String {
    let clean: String = random
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .collect();
    format!("_{clean}")
}

fn is_ncname(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

fn instant(t: DateTime<Utc>) -> String {
    // core §1.3.3: xs:dateTime in UTC with "Z".
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Builds the Response for `request` and signs the Assertion, then the Response (profiles
/// §4.1.3.5: the Assertion MUST be signed; we sign both, as SPs may require either), each
/// with an enveloped RSA-SHA256 signature over its exclusive canonical form, carrying the
/// certificate. Audience = the SP's entity ID (core §2.5.1.4), Recipient = the ACS URL,
/// `InResponseTo` only for an SP-initiated request (profiles §4.1.4.2), the
/// conditions' validity window (core §2.5.1.2), attribute and group statements evaluated
/// with the Expression Language (SAML dialect, SPEC 4.4).
pub fn respond(
    idp: &IdentityProvider,
    sp: &ServiceProvider,
    request: &SsoRequest,
    input: &ResponseInput<'_>,
    signer: Signer<'_>,
) -> Result<SignedResponse, KeyError> {
    for id in [input.response_id, input.assertion_id] {
        if !is_ncname(id) {
            return Err(KeyError(format!("{id} is not a valid xs:ID")));
        }
    }
    let mut checks = Vec::new();
    let now = instant(input.now);
    let not_before = instant(input.now - Duration::seconds(CLOCK_SKEW_SECONDS));
    let not_on_or_after = instant(input.now + Duration::seconds(ASSERTION_LIFETIME_SECONDS));
    let user = input.user;
    let (name_id_format, name_id) = if user.user_name.contains('@') {
        (NAMEID_EMAIL, user.user_name.as_str())
    } else {
        (NAMEID_UNSPECIFIED, user.user_name.as_str())
    };
    let attributes = attribute_statement(sp, user, &mut checks);
    let mut assertion = El::new("saml:Assertion")
        .attr("ID", input.assertion_id)
        .attr("IssueInstant", &now)
        .attr("Version", "2.0")
        .child(El::new("saml:Issuer").text(&idp.entity_id))
        .child(
            El::new("saml:Subject")
                .child(
                    El::new("saml:NameID")
                        .attr("Format", name_id_format)
                        .text(name_id),
                )
                .child(
                    El::new("saml:SubjectConfirmation")
                        .attr("Method", CM_BEARER)
                        .child(
                            El::new("saml:SubjectConfirmationData")
                                .opt_attr("InResponseTo", request.in_response_to.as_deref())
                                .attr("NotOnOrAfter", &not_on_or_after)
                                .attr("Recipient", &request.acs_url),
                        ),
                ),
        )
        .child(
            El::new("saml:Conditions")
                .attr("NotBefore", &not_before)
                .attr("NotOnOrAfter", &not_on_or_after)
                .child(
                    El::new("saml:AudienceRestriction")
                        .child(El::new("saml:Audience").text(&sp.entity_id)),
                ),
        )
        .child(
            El::new("saml:AuthnStatement")
                .attr("AuthnInstant", instant(input.auth_instant))
                .attr("SessionIndex", input.assertion_id)
                .child(
                    El::new("saml:AuthnContext")
                        .child(El::new("saml:AuthnContextClassRef").text(AC_PASSWORD_PROTECTED)),
                ),
        );
    if let Some(a) = attributes {
        assertion = assertion.child(a);
    }
    checks.push(Check::pass(
        CheckKind::Audience,
        "SAML core §2.5.1.4",
        format!("Audience {}", sp.entity_id),
    ));
    checks.push(Check::pass(
        CheckKind::Acs,
        "SAML profiles §4.1.4.2",
        format!("Recipient and Destination {}", request.acs_url),
    ));
    checks.push(Check::pass(
        CheckKind::Request,
        "SAML profiles §4.1.4.2",
        match &request.in_response_to {
            Some(id) => format!("InResponseTo {id} (SP-initiated)"),
            None => "No InResponseTo (IdP-initiated)".to_string(),
        },
    ));
    sign(&mut assertion, input.assertion_id, signer)?;
    let mut response = El::new("samlp:Response")
        .attr("Destination", &request.acs_url)
        .attr("ID", input.response_id)
        .opt_attr("InResponseTo", request.in_response_to.as_deref())
        .attr("IssueInstant", &now)
        .attr("Version", "2.0")
        .child(El::new("saml:Issuer").text(&idp.entity_id))
        .child(
            El::new("samlp:Status")
                .child(El::new("samlp:StatusCode").attr("Value", STATUS_SUCCESS)),
        )
        .child(assertion);
    sign(&mut response, input.response_id, signer)?;
    checks.push(Check::pass(
        CheckKind::Signature,
        "SAML profiles §4.1.3.5, XML DSig §6.4.2",
        format!(
            "Response and Assertion signed RSA-SHA256 (exclusive c14n) with key {}",
            signer.key.kid()
        ),
    ));
    let xml = response.render();
    Ok(SignedResponse {
        saml_response: STANDARD.encode(xml.as_bytes()),
        xml,
        acs_url: request.acs_url.clone(),
        relay_state: request.relay_state.clone(),
        checks,
    })
}

/// Why the IdP answers an AuthnRequest without an assertion (core §3.2.2.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ErrorStatus {
    /// IsPassive, but the user would have to sign in.
    NoPassive,
    /// The user may not use this app (not assigned).
    RequestDenied,
}

/// A signed Response without an assertion, telling the SP why (core §3.2.2.2: top-level
/// `Responder`, second-level `NoPassive` or `RequestDenied`, and a `StatusMessage`).
/// Only for an SP-initiated request whose ACS URL was verified ([`sp_initiated`]).
pub fn respond_error(
    idp: &IdentityProvider,
    request: &SsoRequest,
    status: ErrorStatus,
    message: &str,
    response_id: &str,
    now: DateTime<Utc>,
    signer: Signer<'_>,
) -> Result<SignedResponse, KeyError> {
    if !is_ncname(response_id) {
        return Err(KeyError(format!("{response_id} is not a valid xs:ID")));
    }
    let second = match status {
        ErrorStatus::NoPassive => "urn:oasis:names:tc:SAML:2.0:status:NoPassive",
        ErrorStatus::RequestDenied => "urn:oasis:names:tc:SAML:2.0:status:RequestDenied",
    };
    let mut response = El::new("samlp:Response")
        .attr("Destination", &request.acs_url)
        .attr("ID", response_id)
        .opt_attr("InResponseTo", request.in_response_to.as_deref())
        .attr("IssueInstant", instant(now))
        .attr("Version", "2.0")
        .child(El::new("saml:Issuer").text(&idp.entity_id))
        .child(
            El::new("samlp:Status")
                .child(
                    El::new("samlp:StatusCode")
                        .attr("Value", "urn:oasis:names:tc:SAML:2.0:status:Responder")
                        .child(El::new("samlp:StatusCode").attr("Value", second)),
                )
                .child(El::new("samlp:StatusMessage").text(message)),
        );
    sign(&mut response, response_id, signer)?;
    let xml = response.render();
    Ok(SignedResponse {
        saml_response: STANDARD.encode(xml.as_bytes()),
        xml,
        acs_url: request.acs_url.clone(),
        relay_state: request.relay_state.clone(),
        checks: vec![Check::fail(
            match status {
                ErrorStatus::NoPassive => CheckKind::ForceAuthn,
                ErrorStatus::RequestDenied => CheckKind::Assignment,
            },
            "SAML core §3.2.2.2",
            message,
        )],
    })
}

/// XML DSig §3.1 with an enveloped signature (§6.6.4) and exclusive c14n (§6.5.2): the
/// digest of the element without its signature, the signature over the canonical
/// SignedInfo, inserted after the `Issuer` (core §5.4.1: a direct child, before the rest).
fn sign(element: &mut El, id: &str, signer: Signer<'_>) -> Result<(), KeyError> {
    // The element is written in canonical form, so its rendering is what exc-c14n yields
    // for it as the apex of the signed subset (the signature is not there yet: enveloped).
    let digest = ring::digest::digest(&ring::digest::SHA256, element.render().as_bytes());
    let signed_info = El::new("ds:SignedInfo")
        .child(El::new("ds:CanonicalizationMethod").attr("Algorithm", C14N_EXC))
        .child(El::new("ds:SignatureMethod").attr("Algorithm", SIG_RSA_SHA256))
        .child(
            El::new("ds:Reference")
                .attr("URI", format!("#{id}"))
                .child(
                    El::new("ds:Transforms")
                        .child(El::new("ds:Transform").attr("Algorithm", ENVELOPED))
                        .child(El::new("ds:Transform").attr("Algorithm", C14N_EXC)),
                )
                .child(El::new("ds:DigestMethod").attr("Algorithm", DIGEST_SHA256))
                .child(El::new("ds:DigestValue").text(STANDARD.encode(digest))),
        );
    let signature = signer.key.sign_rs256(signed_info.render().as_bytes())?;
    let signature = El::new("ds:Signature")
        .child(signed_info)
        .child(El::new("ds:SignatureValue").text(STANDARD.encode(signature)))
        .child(key_info(signer.certificate));
    element.insert(1, signature);
    Ok(())
}

fn attribute_statement(
    sp: &ServiceProvider,
    user: &SamlUser,
    checks: &mut Vec<Check>,
) -> Option<El> {
    let vars = user.variables(&sp.variables);
    let mut attributes = Vec::new();
    for row in &sp.attribute_statements {
        if row.name.trim().is_empty() {
            continue;
        }
        let mut values = Vec::new();
        for source in oin_wizard::domain::validation::split_values(&row.values) {
            if source.is_empty() {
                continue;
            }
            match expr::evaluate(Dialect::Saml, source, &vars) {
                Ok(v) => values.push(v),
                Err(e) => checks.push(Check::warn(
                    CheckKind::Attributes,
                    "SPEC 4.4",
                    format!(
                        "Attribute {}: {source} does not evaluate ({e}); the value is left out",
                        row.name
                    ),
                )),
            }
        }
        if !values.is_empty() {
            attributes.push(attribute(&row.name, values));
        }
    }
    for row in &sp.group_attributes {
        if row.name.trim().is_empty() {
            continue;
        }
        let matcher = match group_matcher(row) {
            Ok(m) => m,
            Err(e) => {
                checks.push(Check::warn(
                    CheckKind::Attributes,
                    "SPEC 4.4",
                    format!("Group attribute {}: {e}", row.name),
                ));
                continue;
            }
        };
        let groups: Vec<String> = user.groups.iter().filter(|g| matcher(g)).cloned().collect();
        if !groups.is_empty() {
            attributes.push(attribute(&row.name, groups));
        }
    }
    // core §2.7.3: an AttributeStatement holds at least one Attribute.
    (!attributes.is_empty()).then(|| El::new("saml:AttributeStatement").children(attributes))
}

fn attribute(name: &str, values: Vec<String>) -> El {
    El::new("saml:Attribute")
        .attr("Name", name)
        .attr("NameFormat", ATTRNAME_UNSPECIFIED)
        .children(
            values
                .into_iter()
                .map(|v| El::new("saml:AttributeValue").text(v)),
        )
}

type GroupMatcher = Box<dyn Fn(&str) -> bool>;

fn group_matcher(row: &GroupAttributeStatement) -> Result<GroupMatcher, String> {
    let value = row.value.clone();
    Ok(match row.filter {
        GroupFilter::StartsWith => Box::new(move |g| g.starts_with(&value)),
        GroupFilter::Equals => Box::new(move |g| g == value),
        GroupFilter::Contains => Box::new(move |g| g.contains(&value)),
        GroupFilter::Regex => {
            // The whole group name must match (a Java `matches`).
            let re = regex::Regex::new(&format!("^(?:{value})$"))
                .map_err(|e| format!("the regular expression {value} is invalid ({e})"))?;
            Box::new(move |g| re.is_match(g))
        }
    })
}

/// The HTTP-POST binding's page (bindings §3.5.4): a form posting `SAMLResponse` and
/// `RelayState` to the ACS URL, every value HTML-escaped. It submits itself with the script
/// whose CSP hash is [`post_form_script_csp`]; without script, its button does.
pub fn post_form(response: &SignedResponse) -> String {
    let relay = response
        .relay_state
        .as_deref()
        .map(|r| {
            format!(
                "<input type=\"hidden\" name=\"RelayState\" value=\"{}\">",
                crate::xml::escape_html(r)
            )
        })
        .unwrap_or_default();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Signing in</title></head>\
<body><form method=\"post\" action=\"{}\">\
<input type=\"hidden\" name=\"SAMLResponse\" value=\"{}\">{relay}\
<p>Signing you in to the app.</p><button type=\"submit\">Continue</button></form>\
<script>{POST_FORM_SCRIPT}</script></body></html>\n",
        crate::xml::escape_html(&response.acs_url),
        crate::xml::escape_html(&response.saml_response),
    )
}

/// The one inline script of [`post_form`].
pub const POST_FORM_SCRIPT: &str = "document.forms[0].submit();";

/// `script-src` source for [`POST_FORM_SCRIPT`] (CSP Level 3 hash source).
pub fn post_form_script_csp() -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, POST_FORM_SCRIPT.as_bytes());
    format!("'sha256-{}'", STANDARD.encode(digest))
}
