//! The org side of the Test integration page (SPEC 5.2–5.4): what a backend does when the user
//! generates, updates, toggles or deletes an instance, adds it to the tester, runs a test and
//! exports the results. Pure: ids, secrets and the time are passed in, every refusal is a
//! [`DomainError`] with an actionable message. The embedded backend calls these exactly as a
//! Rust server would.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::api::{FinishRunRequest, GenerateInstanceRequest, StartRunRequest};
use super::expressions::Expressions;
use super::instances::{
    can_activate, can_add_to_tester, can_delete, can_generate, can_run_test,
    check_instance_protocols, eligibility, published_instance_version, serves, tester_rows,
    Eligibility, InstanceUpdate, RequiredInstance,
};
use super::limits::TESTER_SESSION_HOURS;
use super::model::{
    Instance, InstanceDetails, NetworkRecord, OidcDetails, Org, Protocol, RunResult, SamlDetails,
    ScimAuthMode, ScimDetails, Submission, TestCase, TestRun, TestStep, TesterSession, User,
    VersionKind, API_VERSION,
};
use super::roles::{permits, Action};
use super::transitions::{DomainError, ErrorCode};
use super::urls::{check_url, Scheme};
use crate::expr::Dialect;

fn rejected(message: impl Into<String>) -> DomainError {
    DomainError::new(ErrorCode::Rejected, message)
}

fn forbid(user: &User, action: Action) -> Result<(), DomainError> {
    permits(user, action).map_err(|m| DomainError::new(ErrorCode::Forbidden, m))
}

fn no_instance(id: &str) -> DomainError {
    DomainError::new(
        ErrorCode::NotFound,
        format!("There is no instance with id {id}: it may have been deleted"),
    )
}

/// Secrets and ids a backend draws at random for a new instance (never derived from input).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewSecrets {
    /// The OIDC client ID.
    pub client_id: String,
    /// The OIDC client secret.
    pub client_secret: String,
    /// The SCIM API token (header and bearer modes).
    pub scim_token: String,
}

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
fn values_for(source: &Submission, given: &BTreeMap<String, String>) -> BTreeMap<String, String> {
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
                details.oidc = Some(OidcDetails {
                    client_id: secrets.client_id.clone(),
                    client_secret: secrets.client_secret.clone(),
                    redirect_uris: source
                        .oidc
                        .redirect_uris
                        .iter()
                        .map(|u| resolve_or_empty(expressions, Dialect::Oidc, u, &values))
                        .collect(),
                    initiate_login_uri: resolve_or_empty(
                        expressions,
                        Dialect::Oidc,
                        &source.oidc.initiate_login_uri,
                        &values,
                    ),
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
                    default_relay_state: String::new(),
                    force_authn: true,
                })
            }
            Protocol::Scim => {
                let token = match source.scim.auth_mode {
                    ScimAuthMode::Header | ScimAuthMode::Bearer => secrets.scim_token.clone(),
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
                    api_integration_enabled: true,
                    token,
                })
            }
        }
    }
    details
}

/// The secrets an instance already holds (kept when its details are recomputed).
fn secrets_of(instance: &Instance) -> NewSecrets {
    NewSecrets {
        client_id: instance
            .details
            .oidc
            .as_ref()
            .map(|d| d.client_id.clone())
            .unwrap_or_default(),
        client_secret: instance
            .details
            .oidc
            .as_ref()
            .map(|d| d.client_secret.clone())
            .unwrap_or_default(),
        scim_token: instance
            .details
            .scim
            .as_ref()
            .map(|d| d.token.clone())
            .unwrap_or_default(),
    }
}

/// **Generate instance** (SPEC 5.2): the roles, the protocols (combined SSO+SCIM only when
/// allowed), the 5-active limit, a label; the new instance is active, assigned to `user`, and
/// holds its secrets (shown once, as to a customer admin).
#[allow(clippy::too_many_arguments)]
pub fn generate_instance(
    org: &mut Org,
    submission: &Submission,
    user: &User,
    request: &GenerateInstanceRequest,
    id: &str,
    secrets: &NewSecrets,
    now: DateTime<Utc>,
    expressions: &dyn Expressions,
) -> Result<Instance, DomainError> {
    forbid(user, Action::Test)?;
    if request.submission_id != submission.id {
        return Err(rejected("The instance request names another integration"));
    }
    let source = version_source(submission, request.version)?;
    check_instance_protocols(source, &request.protocols).map_err(rejected)?;
    can_generate(&org.instances).map_err(rejected)?;
    let label = request.label.trim();
    if label.is_empty() {
        return Err(rejected(
            "Application label is required: it names the instance in your org",
        ));
    }
    let mut instance = Instance {
        id: id.to_string(),
        submission_id: submission.id.clone(),
        submission_version: match request.version {
            VersionKind::Current => submission.instance_version(),
            VersionKind::Published => published_instance_version(submission).unwrap_or(0),
        },
        from_published: request.version == VersionKind::Published,
        protocols: request.protocols.clone(),
        label: label.to_string(),
        variable_values: values_for(source, &request.variable_values),
        assigned_users: vec![user.id.clone()],
        assigned_groups: Vec::new(),
        active: true,
        in_tester: false,
        created_at: now,
        details: InstanceDetails::default(),
    };
    instance.details = instance_details(source, &org.url, &instance, secrets, expressions);
    org.instances.push(instance.clone());
    Ok(instance)
}

/// **Update instance details** (SPEC 5.2): label, variable values (URLs resolved again, secrets
/// kept) and assignments; that instance's earlier results are removed. Returns the instance and
/// how many results were removed.
pub fn update_instance(
    org: &mut Org,
    submission: &Submission,
    user: &User,
    instance_id: &str,
    update: InstanceUpdate,
    expressions: &dyn Expressions,
) -> Result<(Instance, usize), DomainError> {
    forbid(user, Action::Test)?;
    if !org.instances.iter().any(|i| i.id == instance_id) {
        return Err(no_instance(instance_id));
    }
    let removed = org.update_instance(instance_id, update).map_err(rejected)?;
    let org_url = org.url.clone();
    let instance = org
        .instances
        .iter_mut()
        .find(|i| i.id == instance_id)
        .ok_or_else(|| no_instance(instance_id))?;
    if instance.submission_id == submission.id {
        let source = instance_source(submission, instance);
        instance.variable_values = values_for(source, &instance.variable_values);
        let secrets = secrets_of(instance);
        instance.details = instance_details(source, &org_url, instance, &secrets, expressions);
    }
    Ok((instance.clone(), removed.len()))
}

/// The ACTIVE toggle (SPEC 5.2): switching on respects the 5-active limit.
pub fn set_active(
    org: &mut Org,
    user: &User,
    instance_id: &str,
    active: bool,
) -> Result<Instance, DomainError> {
    forbid(user, Action::Test)?;
    if active {
        can_activate(&org.instances, instance_id).map_err(|m| {
            if org.instances.iter().any(|i| i.id == instance_id) {
                rejected(m)
            } else {
                no_instance(instance_id)
            }
        })?;
    }
    let instance = org
        .instances
        .iter_mut()
        .find(|i| i.id == instance_id)
        .ok_or_else(|| no_instance(instance_id))?;
    instance.active = active;
    Ok(instance.clone())
}

/// Deletes an inactive instance and its results (SPEC 5.2).
pub fn delete_instance(org: &mut Org, user: &User, instance_id: &str) -> Result<(), DomainError> {
    forbid(user, Action::Test)?;
    let instance = org
        .instances
        .iter()
        .find(|i| i.id == instance_id)
        .ok_or_else(|| no_instance(instance_id))?;
    can_delete(instance).map_err(rejected)?;
    org.instances.retain(|i| i.id != instance_id);
    org.test_runs.retain(|r| r.instance_id != instance_id);
    Ok(())
}

/// **Add to Tester** (SPEC 5.3): an active, eligible SSO instance fills its version's cases;
/// another instance filling the same cases leaves the tester (its results stay recorded).
pub fn add_to_tester(
    org: &mut Org,
    submission: &Submission,
    user: &User,
    instance_id: &str,
) -> Result<Instance, DomainError> {
    forbid(user, Action::Test)?;
    let instance = org
        .instances
        .iter()
        .find(|i| i.id == instance_id)
        .ok_or_else(|| no_instance(instance_id))?;
    can_add_to_tester(submission, instance).map_err(rejected)?;
    let version = match eligibility(submission, instance) {
        Eligibility::Published => VersionKind::Published,
        _ => VersionKind::Current,
    };
    let slot = RequiredInstance {
        version,
        protocol: instance.sso_protocol().unwrap_or(Protocol::Oidc),
    };
    let replaced: Vec<String> = org
        .instances
        .iter()
        .filter(|i| i.id != instance_id && i.in_tester && serves(submission, i, slot))
        .map(|i| i.id.clone())
        .collect();
    for i in org.instances.iter_mut() {
        if replaced.contains(&i.id) {
            i.in_tester = false;
        }
        if i.id == instance_id {
            i.in_tester = true;
        }
    }
    org.instances
        .iter()
        .find(|i| i.id == instance_id)
        .cloned()
        .ok_or_else(|| no_instance(instance_id))
}

/// **Remove from Tester** (SPEC 5.3): its cases and their results are cleared.
pub fn remove_from_tester(
    org: &mut Org,
    user: &User,
    instance_id: &str,
) -> Result<Instance, DomainError> {
    forbid(user, Action::Test)?;
    if !org.instances.iter().any(|i| i.id == instance_id) {
        return Err(no_instance(instance_id));
    }
    org.remove_from_tester(instance_id);
    org.instances
        .iter()
        .find(|i| i.id == instance_id)
        .cloned()
        .ok_or_else(|| no_instance(instance_id))
}

/// **Initialize Tester** / **Refresh tester session** (SPEC 5.3).
pub fn start_tester_session(
    org: &mut Org,
    user: &User,
    session_id: &str,
    now: DateTime<Utc>,
) -> Result<TesterSession, DomainError> {
    forbid(user, Action::Test)?;
    let session = TesterSession {
        id: session_id.to_string(),
        started_at: now,
        expires_at: now + Duration::hours(TESTER_SESSION_HOURS),
    };
    org.tester_session = Some(session.clone());
    Ok(session)
}

/// SPEC 5.3: where **Run test** signs in: the IdP flow starts at the instance's initiate login
/// URI (OIDC) or its end-user dashboard tile (SAML); the SP flow at the app's SP initiate URL.
pub fn sign_in_url(
    submission: &Submission,
    org_url: &str,
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
            .map(|d| d.initiate_login_uri.clone())
            .unwrap_or_default(),
        (TestCase::IdpFlow | TestCase::JitWithIdp, _) => format!(
            "{}/home/{}/{}",
            org_url.trim_end_matches('/'),
            "saml",
            instance.id
        ),
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

fn step(at: DateTime<Utc>, description: impl Into<String>, ok: bool) -> TestStep {
    TestStep {
        at,
        description: description.into(),
        ok,
    }
}

fn record(
    at: DateTime<Utc>,
    method: &str,
    url: String,
    status: u16,
    summary: &str,
) -> NetworkRecord {
    NetworkRecord {
        at,
        method: method.into(),
        url,
        status,
        summary: summary.into(),
    }
}

/// **Run test** (SPEC 5.3): checks the roles, the tester session and that the case belongs to
/// the instance; records an in-progress run. A JIT run first creates a temporary user in the
/// org and assigns it to the instance.
pub fn start_run(
    org: &mut Org,
    submission: &Submission,
    user: &User,
    request: &StartRunRequest,
    run_id: &str,
    now: DateTime<Utc>,
) -> Result<TestRun, DomainError> {
    let jit = matches!(request.case, TestCase::JitWithIdp | TestCase::JitWithSp);
    forbid(
        user,
        if jit {
            Action::RunJitTest
        } else {
            Action::Test
        },
    )?;
    if !org.instances.iter().any(|i| i.id == request.instance_id) {
        return Err(no_instance(&request.instance_id));
    }
    can_run_test(user, org, &request.instance_id, request.case, now).map_err(rejected)?;
    let fills = tester_rows(submission, org, now).into_iter().any(|row| {
        row.case == request.case
            && row.version == request.version
            && row.instance_id.as_deref() == Some(request.instance_id.as_str())
    });
    if !fills {
        return Err(rejected(format!(
            "\"{}\" is not a test case of this instance for the {} version",
            request.case.label(),
            match request.version {
                VersionKind::Current => "current",
                VersionKind::Published => "published",
            }
        )));
    }
    let instance = org
        .instances
        .iter()
        .find(|i| i.id == request.instance_id)
        .cloned()
        .ok_or_else(|| no_instance(&request.instance_id))?;
    let url = sign_in_url(submission, &org.url, &instance, request.case).map_err(rejected)?;
    let org_url = org.url.trim_end_matches('/').to_string();
    let mut run = TestRun {
        id: run_id.to_string(),
        instance_id: instance.id.clone(),
        case: Some(request.case),
        version_kind: request.version,
        result: RunResult::InProgress,
        started_at: now,
        ..TestRun::default()
    };
    if jit {
        let short: String = run_id
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .rev()
            .take(8)
            .collect();
        let temp = User {
            id: format!("jit-{run_id}"),
            email: format!("oin.jit.{short}@example.com"),
            first_name: "Jit".into(),
            last_name: format!("Tester {short}"),
            roles: Vec::new(),
        };
        org.users.push(temp.clone());
        if let Some(i) = org.instances.iter_mut().find(|i| i.id == instance.id) {
            i.assigned_users.push(temp.id.clone());
        }
        run.steps.push(step(
            now,
            format!(
                "Created the temporary user {} {} <{}> and assigned it to \"{}\"",
                temp.first_name, temp.last_name, temp.email, instance.label
            ),
            true,
        ));
        run.network.push(record(
            now,
            "POST",
            format!("{org_url}/api/v1/users"),
            200,
            "Temporary JIT user created",
        ));
        run.network.push(record(
            now,
            "PUT",
            format!("{org_url}/api/v1/apps/{}/users/{}", instance.id, temp.id),
            200,
            "Temporary user assigned to the instance",
        ));
        run.jit_user = Some(temp);
    }
    run.steps.push(step(
        now,
        format!("Opened {url} in a new window to sign in"),
        true,
    ));
    run.network.push(record(
        now,
        "GET",
        url,
        0,
        "Sign-in started in the test window",
    ));
    org.test_runs.push(run.clone());
    Ok(run)
}

/// **Continue** (SPEC 5.3): records the result the user reported (a failure needs a note) and
/// the time; a JIT run's temporary user is unassigned and deleted.
pub fn finish_run(
    org: &mut Org,
    user: &User,
    run_id: &str,
    request: &FinishRunRequest,
    now: DateTime<Utc>,
) -> Result<TestRun, DomainError> {
    forbid(user, Action::Test)?;
    let note = request.note.trim().to_string();
    if !request.passed && note.is_empty() {
        return Err(rejected(
            "Describe what went wrong, so the result says why it failed",
        ));
    }
    let org_url = org.url.trim_end_matches('/').to_string();
    let Some(run) = org.test_runs.iter_mut().find(|r| r.id == run_id) else {
        return Err(DomainError::new(
            ErrorCode::NotFound,
            format!("There is no test run with id {run_id}"),
        ));
    };
    if run.result != RunResult::InProgress {
        return Err(DomainError::new(
            ErrorCode::InvalidTransition,
            "This test run has already finished: run the test again",
        ));
    }
    run.result = if request.passed {
        RunResult::Passed
    } else {
        RunResult::Failed
    };
    run.finished_at = Some(now);
    run.note = note.clone();
    run.steps.push(if request.passed {
        step(
            now,
            "Confirmed: the user successfully signed in to your app",
            true,
        )
    } else {
        step(now, format!("Reported a failure: {note}"), false)
    });
    let temp = run.jit_user.clone();
    let instance_id = run.instance_id.clone();
    if let Some(temp) = &temp {
        run.steps.push(step(
            now,
            format!(
                "Unassigned and deleted the temporary user {}. The account JIT created in your app stays there",
                temp.email
            ),
            true,
        ));
        run.network.push(record(
            now,
            "DELETE",
            format!("{org_url}/api/v1/apps/{instance_id}/users/{}", temp.id),
            204,
            "Temporary user unassigned",
        ));
        run.network.push(record(
            now,
            "DELETE",
            format!("{org_url}/api/v1/users/{}", temp.id),
            204,
            "Temporary user deleted",
        ));
    }
    let finished = run.clone();
    if let Some(temp) = temp {
        org.users.retain(|u| u.id != temp.id);
        for i in org.instances.iter_mut().filter(|i| i.id == instance_id) {
            i.assigned_users.retain(|u| *u != temp.id);
        }
    }
    Ok(finished)
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
    match scim.auth_mode {
        ScimAuthMode::Header | ScimAuthMode::Bearer if scim.token.is_empty() => {
            Err(rejected("Enter the API token the SCIM server expects"))
        }
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

/// One instance in the exported results (no details: no secrets).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportedInstance {
    /// Id.
    pub id: String,
    /// Application label.
    pub label: String,
    /// Protocols.
    pub protocols: Vec<Protocol>,
    /// The version it was generated from.
    pub submission_version: u32,
    /// Generated from the published version.
    pub from_published: bool,
    /// ACTIVE.
    pub active: bool,
}

/// **Export results** (SPEC 5.3): the integration's instances and runs, no secrets.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResultsExport {
    /// Contract version.
    pub api_version: u32,
    /// The integration.
    pub submission_id: String,
    /// Its display name.
    pub display_name: String,
    /// Its current version.
    pub version: u32,
    /// When exported.
    pub exported_at: DateTime<Utc>,
    /// Its instances.
    pub instances: Vec<ExportedInstance>,
    /// Every run of those instances.
    pub runs: Vec<TestRun>,
}

/// SPEC 5.3: the export of one integration's results.
pub fn export_results(submission: &Submission, org: &Org, now: DateTime<Utc>) -> ResultsExport {
    let instances: Vec<&Instance> = org
        .instances
        .iter()
        .filter(|i| i.submission_id == submission.id)
        .collect();
    let runs = org
        .test_runs
        .iter()
        .filter(|r| instances.iter().any(|i| i.id == r.instance_id))
        .cloned()
        .collect();
    ResultsExport {
        api_version: API_VERSION,
        submission_id: submission.id.clone(),
        display_name: submission.catalog.display_name.clone(),
        version: submission.version,
        exported_at: now,
        instances: instances
            .into_iter()
            .map(|i| ExportedInstance {
                id: i.id.clone(),
                label: i.label.clone(),
                protocols: i.protocols.clone(),
                submission_version: i.submission_version,
                from_published: i.from_published,
                active: i.active,
            })
            .collect(),
        runs,
    }
}

/// What the Test integration page needs in one read (`GET /api/v1/testing/{submissionId}`):
/// every instance of the org (redacted; the limit counts them all), this integration's runs,
/// the tester session, users and groups.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TestingView {
    /// Contract version.
    pub api_version: u32,
    /// The org URL.
    pub org_url: String,
    /// Every instance in the org, redacted.
    pub instances: Vec<Instance>,
    /// Runs of this integration's instances.
    pub test_runs: Vec<TestRun>,
    /// The tester session.
    pub tester_session: Option<TesterSession>,
    /// Users of the org.
    pub users: Vec<User>,
    /// Groups of the org.
    pub groups: Vec<super::model::Group>,
}

impl TestingView {
    /// The view of `org` for one integration.
    pub fn of(org: &Org, submission_id: &str) -> TestingView {
        let ids: Vec<&str> = org
            .instances
            .iter()
            .filter(|i| i.submission_id == submission_id)
            .map(|i| i.id.as_str())
            .collect();
        TestingView {
            api_version: API_VERSION,
            org_url: org.url.clone(),
            instances: org.instances.iter().map(Instance::redacted).collect(),
            test_runs: org
                .test_runs
                .iter()
                .filter(|r| ids.contains(&r.instance_id.as_str()))
                .cloned()
                .collect(),
            tester_session: org.tester_session.clone(),
            users: org.users.clone(),
            groups: org.groups.clone(),
        }
    }

    /// The org as the core's rules see it (instances, runs, session).
    pub fn org(&self) -> Org {
        Org {
            url: self.org_url.clone(),
            instances: self.instances.clone(),
            users: self.users.clone(),
            groups: self.groups.clone(),
            tester_session: self.tester_session.clone(),
            test_runs: self.test_runs.clone(),
        }
    }
}

/// Creates a test user in the org (SPEC 1, 5.2: org admin or super admin): an email, a first
/// and a last name; the email must be new to the org. Test users get no admin role.
pub fn create_test_user(
    org: &mut Org,
    user: &User,
    new_user: User,
    id: &str,
) -> Result<User, DomainError> {
    forbid(user, Action::CreateTestUsers)?;
    let email = new_user.email.trim().to_string();
    super::emails::check_email("Email", &email).map_err(rejected)?;
    if new_user.first_name.trim().is_empty() || new_user.last_name.trim().is_empty() {
        return Err(rejected("First name and last name are required"));
    }
    if org
        .users
        .iter()
        .any(|u| u.email.eq_ignore_ascii_case(&email))
    {
        return Err(rejected(format!(
            "A user with the email {email} already exists"
        )));
    }
    let created = User {
        id: id.to_string(),
        email,
        first_name: new_user.first_name.trim().to_string(),
        last_name: new_user.last_name.trim().to_string(),
        roles: Vec::new(),
    };
    org.users.push(created.clone());
    Ok(created)
}
