//! What the customer admin sees for an instance, and where a test signs in (SPEC 5.2, 5.3):
//! rules and derivations only. Nothing here writes to the org: the same answers for the
//! embedded backend, a server and the page.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::records::NewSecrets;
use super::rejected;

/// Why the embedded backend's SCIM check makes no request, and the way to a real one.
pub const EMBEDDED_SCIM_CHECK: &str = "this backend is a simulated org with no server to call your SCIM server. The base URL and credentials are filled in; to test them against your SCIM server, run the reference server (oin-server, see the README)";
use crate::domain::api::ScimCheckResponse;
use crate::domain::expressions::Expressions;
use crate::domain::model::{
    Instance, InstanceDetails, OidcDetails, Protocol, SamlDetails, ScimAuthMode, ScimDetails,
    Submission, TestCase, VersionKind,
};
use crate::domain::transitions::DomainError;
use crate::domain::urls::{check_url, Scheme};
use crate::expr::Dialect;

/// The version of a submission an instance is generated from (SPEC 5.2): the current one, or
/// the published snapshot while a published integration is edited.
pub fn version_source(
    submission: &Submission,
    version: VersionKind,
) -> Result<&Submission, DomainError> {
    match version {
        VersionKind::Current => Ok(submission),
        VersionKind::Published => match &submission.published {
            Some(p) if submission.is_editing_published() => Ok(p.submission.as_ref()),
            Some(_) => Err(rejected(
                "Instances for the published version are generated after Edit integration",
            )),
            None => Err(rejected("This integration has no published version yet")),
        },
    }
}

/// The submission version an instance belongs to (its templates and variables).
pub fn instance_source<'a>(submission: &'a Submission, instance: &Instance) -> &'a Submission {
    match &submission.published {
        Some(p) if instance.from_published => p.submission.as_ref(),
        _ => submission,
    }
}

/// A value for every integration variable of `source` (missing ones empty, unknown dropped).
pub(crate) fn values_for(
    source: &Submission,
    given: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    source
        .variables
        .iter()
        .map(|v| {
            let value = given.get(&v.name).cloned().unwrap_or_default();
            (v.name.clone(), value)
        })
        .collect()
}

/// One URL the customer admin's instance gets, resolved with its variable values (SPEC 5.2).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResolvedUrl {
    /// The property's name ("Redirect URI 1").
    pub label: String,
    /// The protocol it belongs to.
    pub protocol: Protocol,
    /// The submission's value (an expression or a static URL).
    pub template: String,
    /// The resolved value ("" when it did not evaluate).
    pub value: String,
    /// Why it is not a valid URL, if it isn't.
    pub problem: Option<String>,
}

/// SPEC 5.2: every URL property of the instance's protocols, resolved with the instance's
/// variable values and checked as a URL.
pub fn resolved_urls(
    source: &Submission,
    instance: &Instance,
    expressions: &dyn Expressions,
) -> Vec<ResolvedUrl> {
    let values = values_for(source, &instance.variable_values);
    let scheme = if source.relaxed() {
        Scheme::HttpOrHttps
    } else {
        Scheme::Https
    };
    let mut templates: Vec<(String, Protocol, Dialect, &str)> = Vec::new();
    for p in &instance.protocols {
        match p {
            Protocol::Oidc => {
                for (i, uri) in source.oidc.redirect_uris.iter().enumerate() {
                    templates.push((format!("Redirect URI {}", i + 1), *p, Dialect::Oidc, uri));
                }
                if !source.oidc.initiate_login_uri.trim().is_empty() {
                    templates.push((
                        "Initiate login URI".into(),
                        *p,
                        Dialect::Oidc,
                        &source.oidc.initiate_login_uri,
                    ));
                }
                for (i, uri) in source.oidc.post_logout_uris.iter().enumerate() {
                    templates.push((
                        format!("Post logout redirect URI {}", i + 1),
                        *p,
                        Dialect::Oidc,
                        uri,
                    ));
                }
            }
            Protocol::Saml => {
                templates.push((
                    "ACS URL".into(),
                    *p,
                    Dialect::Saml,
                    &source.saml.default_acs_url,
                ));
                for (i, acs) in source.saml.other_acs_urls.iter().enumerate() {
                    templates.push((
                        format!("Other ACS URL {}", i + 1),
                        *p,
                        Dialect::Saml,
                        &acs.url,
                    ));
                }
                templates.push((
                    "Audience URI (SP Entity ID)".into(),
                    *p,
                    Dialect::Saml,
                    &source.saml.entity_id,
                ));
            }
            Protocol::Scim => templates.push((
                "SCIM base URL".into(),
                *p,
                Dialect::Scim,
                &source.scim.base_url,
            )),
        }
    }
    templates
        .into_iter()
        .filter(|(_, _, _, t)| !t.trim().is_empty())
        .map(|(label, protocol, dialect, template)| {
            let (value, problem) = match expressions.resolve(dialect, template, &values) {
                Ok(value) => {
                    // The SAML entity ID may be a URN: only URL-shaped values are checked.
                    let checked = if label.starts_with("Audience") && !value.contains("://") {
                        Ok(())
                    } else {
                        check_url(&label, &value, scheme)
                    };
                    (value, checked.err())
                }
                Err(e) => (
                    String::new(),
                    Some(format!("{label} does not evaluate with these values: {e}")),
                ),
            };
            ResolvedUrl {
                label,
                protocol,
                template: template.to_string(),
                value,
                problem,
            }
        })
        .collect()
}

fn resolve_or_empty(
    expressions: &dyn Expressions,
    dialect: Dialect,
    template: &str,
    values: &BTreeMap<String, String>,
) -> String {
    expressions
        .resolve(dialect, template, values)
        .unwrap_or_default()
}

/// SPEC 5.2: what the customer admin sees for an instance: the OIDC client, the SAML IdP
/// metadata, the SCIM provisioning settings, with URLs resolved by the Expression Language.
pub fn instance_details(
    source: &Submission,
    org_url: &str,
    instance: &Instance,
    secrets: &NewSecrets,
    expressions: &dyn Expressions,
) -> InstanceDetails {
    let values = values_for(source, &instance.variable_values);
    let org = org_url.trim_end_matches('/');
    let id = &instance.id;
    let mut details = InstanceDetails::default();
    for p in &instance.protocols {
        match p {
            Protocol::Oidc => {
                let initiate_login_uri = resolve_or_empty(
                    expressions,
                    Dialect::Oidc,
                    &source.oidc.initiate_login_uri,
                    &values,
                );
                details.oidc = Some(OidcDetails {
                    client_id: secrets.client_id.clone(),
                    client_secret: secrets.client_secret.clone(),
                    redirect_uris: source
                        .oidc
                        .redirect_uris
                        .iter()
                        .map(|u| resolve_or_empty(expressions, Dialect::Oidc, u, &values))
                        .collect(),
                    idp_flow_url: if initiate_login_uri.trim().is_empty() {
                        String::new()
                    } else {
                        format!("{org}/home/oidc/{id}")
                    },
                    initiate_login_uri,
                })
            }
            Protocol::Saml => {
                details.saml = Some(SamlDetails {
                    metadata_url: format!("{org}/app/{id}/sso/saml/metadata"),
                    sso_url: format!("{org}/app/{id}/sso/saml"),
                    issuer: format!("{org}/exk{id}"),
                    acs_url: resolve_or_empty(
                        expressions,
                        Dialect::Saml,
                        &source.saml.default_acs_url,
                        &values,
                    ),
                    idp_flow_url: format!("{org}/home/saml/{id}"),
                    signing_certificate: secrets.signing_certificate.clone(),
                    default_relay_state: String::new(),
                    force_authn: true,
                })
            }
            Protocol::Scim => {
                // SPEC 5.2: the admin enables the API integration and enters the token the
                // vendor's SCIM server expects; the org invents neither. Both are kept.
                let kept = instance.details.scim.clone().unwrap_or_default();
                let token = match source.scim.auth_mode {
                    ScimAuthMode::Header | ScimAuthMode::Bearer => kept.token,
                    ScimAuthMode::Oauth2 | ScimAuthMode::Basic => String::new(),
                };
                details.scim = Some(ScimDetails {
                    base_url: resolve_or_empty(
                        expressions,
                        Dialect::Scim,
                        &source.scim.base_url,
                        &values,
                    ),
                    auth_mode: source.scim.auth_mode,
                    api_integration_enabled: kept.api_integration_enabled,
                    token,
                })
            }
        }
    }
    details
}

/// SPEC 5.3: where **Run test** signs in: the IdP flow starts at the end-user dashboard tile
/// the backend gave the instance (`details.oidc.idpFlowUrl`, `details.saml.idpFlowUrl`: the
/// org, as the identity provider, then sends the browser to the app; an OIDC instance made
/// before it had one starts at its initiate login URI); the SP flow at the app's SP initiate
/// URL. The backend answers it in the run (`signInUrl`); the browser opens that and computes
/// nothing itself.
pub fn sign_in_url(
    submission: &Submission,
    instance: &Instance,
    case: TestCase,
) -> Result<String, String> {
    let source = instance_source(submission, instance);
    let protocol = instance
        .sso_protocol()
        .ok_or("SCIM instances have no sign-in to test")?;
    let url = match (case, protocol) {
        (TestCase::IdpFlow | TestCase::JitWithIdp, Protocol::Oidc) => instance
            .details
            .oidc
            .as_ref()
            .map(|d| {
                if d.idp_flow_url.is_empty() {
                    d.initiate_login_uri.clone()
                } else {
                    d.idp_flow_url.clone()
                }
            })
            .unwrap_or_default(),
        (TestCase::IdpFlow | TestCase::JitWithIdp, _) => instance
            .details
            .saml
            .as_ref()
            .map(|d| d.idp_flow_url.clone())
            .unwrap_or_default(),
        (TestCase::SpFlow | TestCase::JitWithSp, Protocol::Oidc) => {
            source.test_settings.oidc.sp_initiate_url.clone()
        }
        (TestCase::SpFlow | TestCase::JitWithSp, _) => {
            source.test_settings.saml.sp_initiate_url.clone()
        }
    };
    check_url("The sign-in URL", &url, Scheme::HttpOrHttps)?;
    Ok(url)
}

/// "Test API Credentials" (SPEC 5.2) as far as settings go: a valid base URL and complete
/// credentials for the mode. A server then makes the real request to the SCIM server.
pub fn check_scim_credentials(
    submission: &Submission,
    instance: &Instance,
) -> Result<(), DomainError> {
    let source = instance_source(submission, instance);
    let Some(scim) = &instance.details.scim else {
        return Err(rejected("This instance does not serve SCIM"));
    };
    check_url("The SCIM base URL", &scim.base_url, Scheme::Https).map_err(rejected)?;
    if !scim.api_integration_enabled {
        return Err(rejected(
            "Enable API integration in the instance's provisioning settings first",
        ));
    }
    match scim.auth_mode {
        ScimAuthMode::Header | ScimAuthMode::Bearer if scim.token.is_empty() => Err(rejected(
            "Enter the API token your SCIM server expects in the instance's provisioning settings",
        )),
        ScimAuthMode::Oauth2
            if source.scim.oauth.token_endpoint.trim().is_empty()
                || source.scim.oauth.client_id.trim().is_empty() =>
        {
            Err(rejected(
                "The OAuth 2 token endpoint and client ID are needed to get a token",
            ))
        }
        ScimAuthMode::Basic => Err(rejected(
            "Basic authentication is not supported: choose a token or OAuth 2",
        )),
        _ => Ok(()),
    }
}

/// "Test API Credentials" on a backend that does not reach the SCIM server (the embedded one,
/// a server without the SCIM runner wired in): settings that are incomplete fail with what to
/// fix; complete ones are **not run**, never reported as passed, since no request was made.
/// `why` says why no request was made and what to do instead.
pub fn scim_check_without_server(
    submission: &Submission,
    instance: &Instance,
    why: &str,
) -> ScimCheckResponse {
    match check_scim_credentials(submission, instance) {
        Ok(()) => ScimCheckResponse {
            ok: false,
            not_run: true,
            message: format!("No request was made: {why}"),
            ..ScimCheckResponse::default()
        },
        Err(e) => ScimCheckResponse {
            ok: false,
            not_run: false,
            message: e.message,
            ..ScimCheckResponse::default()
        },
    }
}

/// The default attribute mapping of a SCIM instance (SPEC 5.2), org attribute to app attribute;
/// the catalog uses it as the integration's provisioning settings.
pub const SCIM_MAPPINGS_TO_APP: &[(&str, &str)] = &[
    ("user.login", "userName"),
    ("user.firstName", "name.givenName"),
    ("user.lastName", "name.familyName"),
    ("user.email", "emails[type eq \"work\"].value"),
    ("user.displayName", "displayName"),
    ("user.status == ACTIVE", "active"),
];

/// The default mapping from the app to the org (imports), app attribute to org attribute.
pub const SCIM_MAPPINGS_TO_ORG: &[(&str, &str)] = &[
    ("userName", "user.login"),
    ("name.givenName", "user.firstName"),
    ("name.familyName", "user.lastName"),
    ("emails[type eq \"work\"].value", "user.email"),
    ("displayName", "user.displayName"),
];
