//! What a backend writes in its org for the Test integration page (SPEC 5.2–5.3): instances
//! generated, regenerated, updated, toggled, deleted, added to the tester; tester sessions;
//! runs and JIT users. Each function checks the rules first (`domain::instances`, roles),
//! then records. It records only what the org itself did (`observed`) and what the user
//! reported (`selfReported`): never an HTTP exchange on anyone's behalf.

use chrono::{DateTime, Duration, Utc};

use super::admin_view::{
    instance_details, instance_source, sign_in_url, values_for, version_source,
};
use super::{forbid, no_instance, rejected};
use crate::domain::api::{FinishRunRequest, GenerateInstanceRequest, StartRunRequest};
use crate::domain::expressions::Expressions;
use crate::domain::instances::{
    can_activate, can_add_to_tester, can_delete, can_generate, can_run_test,
    check_instance_protocols, eligibility, published_instance_version, serves, tester_rows,
    Eligibility, InstanceUpdate, RequiredInstance,
};
use crate::domain::limits::TESTER_SESSION_HOURS;
use crate::domain::model::{
    Instance, InstanceDetails, NetworkRecord, Org, Protocol, RecordSource, RunResult, Submission,
    TestCase, TestRun, TestStep, TesterSession, User, VersionKind,
};
use crate::domain::roles::Action;
use crate::domain::transitions::{DomainError, ErrorCode};

/// Secrets and ids a backend draws at random for a new instance (never derived from input).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewSecrets {
    /// The OIDC client ID.
    pub client_id: String,
    /// The OIDC client secret.
    pub client_secret: String,
    /// The SAML signing certificate (PEM) of the org's IdP; empty when the backend has none
    /// (the embedded backend signs nothing).
    pub signing_certificate: String,
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
        signing_certificate: instance
            .details
            .saml
            .as_ref()
            .map(|d| d.signing_certificate.clone())
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

/// **Regenerate instance** (SPEC 5.2, issue 11): an instance made outdated by a change of a
/// protocol setting or a variable is replaced by one generated from the version it serves,
/// with its label, variable values, assignments and ACTIVE state; the outdated one goes with
/// its results. It takes the old one's place, so it never needs a free active slot. Only an
/// ineligible instance of this integration can be regenerated (an eligible one needs a rerun,
/// not a new instance).
#[allow(clippy::too_many_arguments)]
pub fn regenerate_instance(
    org: &mut Org,
    submission: &Submission,
    user: &User,
    instance_id: &str,
    new_id: &str,
    secrets: &NewSecrets,
    now: DateTime<Utc>,
    expressions: &dyn Expressions,
) -> Result<Instance, DomainError> {
    forbid(user, Action::Test)?;
    let old = org
        .instances
        .iter()
        .find(|i| i.id == instance_id)
        .cloned()
        .ok_or_else(|| no_instance(instance_id))?;
    if old.submission_id != submission.id {
        return Err(rejected(format!(
            "Instance \"{}\" belongs to another integration: regenerate it there",
            old.label
        )));
    }
    if !matches!(eligibility(submission, &old), Eligibility::Ineligible(_)) {
        return Err(rejected(format!(
            "Instance \"{}\" is up to date: nothing it depends on changed, so rerun its tests instead",
            old.label
        )));
    }
    let version = if old.from_published && submission.is_editing_published() {
        VersionKind::Published
    } else {
        VersionKind::Current
    };
    let source = version_source(submission, version)?;
    check_instance_protocols(source, &old.protocols).map_err(|why| {
        rejected(format!(
            "Instance \"{}\" cannot be regenerated as it was: {why}. Generate a new instance instead",
            old.label
        ))
    })?;
    let mut instance = Instance {
        id: new_id.to_string(),
        submission_id: submission.id.clone(),
        submission_version: match version {
            VersionKind::Current => submission.instance_version(),
            VersionKind::Published => published_instance_version(submission).unwrap_or(0),
        },
        from_published: version == VersionKind::Published,
        variable_values: values_for(source, &old.variable_values),
        in_tester: false,
        created_at: now,
        details: InstanceDetails::default(),
        ..old.clone()
    };
    instance.details = instance_details(source, &org.url, &instance, secrets, expressions);
    org.instances.retain(|i| i.id != instance_id);
    org.test_runs.retain(|r| r.instance_id != instance_id);
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

/// A step the backend recorded itself (it did this in its org).
fn observed(at: DateTime<Utc>, description: impl Into<String>) -> TestStep {
    TestStep {
        at,
        description: description.into(),
        ok: true,
        source: RecordSource::Observed,
    }
}

/// A step that is the user's own word, recorded as such.
fn reported(at: DateTime<Utc>, description: impl Into<String>, ok: bool) -> TestStep {
    TestStep {
        at,
        description: description.into(),
        ok,
        source: RecordSource::SelfReported,
    }
}

/// **Run test** (SPEC 5.3): checks the roles, the tester session and that the case belongs to
/// the instance; records an in-progress run with the sign-in URL the test window must open.
/// A JIT run first creates a temporary user in the org and assigns it to the instance, with
/// `jit_password` (drawn at random by the backend) as its credential: the returned run
/// carries it once, the recorded one does not.
///
/// What this records is what the org itself did (the run, the temporary user) and, later,
/// what the user reports: the run is `selfReported` and holds no network traffic. A backend
/// that observes the sign-in itself marks its run `observed` and adds the requests it saw.
pub fn start_run(
    org: &mut Org,
    submission: &Submission,
    user: &User,
    request: &StartRunRequest,
    run_id: &str,
    jit_password: &str,
    now: DateTime<Utc>,
) -> Result<TestRun, DomainError> {
    let jit = matches!(request.case, TestCase::JitWithIdp | TestCase::JitWithSp);
    if jit && jit_password.trim().is_empty() {
        return Err(DomainError::new(
            ErrorCode::Rejected,
            "A JIT run needs a password for its temporary user: the backend must draw one",
        ));
    }
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
    let url = sign_in_url(submission, &instance, request.case).map_err(rejected)?;
    let mut run = TestRun {
        id: run_id.to_string(),
        instance_id: instance.id.clone(),
        case: Some(request.case),
        version_kind: request.version,
        result: RunResult::InProgress,
        source: RecordSource::SelfReported,
        sign_in_url: url.clone(),
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
        run.steps.push(observed(
            now,
            format!(
                "Created the temporary user {} {} <{}> in the org and assigned it to \"{}\"",
                temp.first_name, temp.last_name, temp.email, instance.label
            ),
        ));
        run.jit_user = Some(temp);
    }
    run.steps.push(observed(
        now,
        format!("Started the run: the test window signs in at {url}"),
    ));
    org.test_runs.push(run.clone());
    if jit {
        run.jit_password = jit_password.to_string();
    }
    Ok(run)
}

/// **Continue** (SPEC 5.3): records the result the user reported (a failure needs a note) as
/// their word, and the time; a JIT run's temporary user is unassigned and deleted.
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
    let who = run
        .jit_user
        .as_ref()
        .map(|u| format!(" as {}", u.email))
        .unwrap_or_default();
    run.steps.push(if request.passed {
        reported(
            now,
            format!("You reported: signed in{who}; the user successfully signed in to your app"),
            true,
        )
    } else {
        reported(now, format!("You reported a failure: {note}"), false)
    });
    let temp = run.jit_user.clone();
    let instance_id = run.instance_id.clone();
    if let Some(temp) = &temp {
        run.steps.push(observed(
            now,
            format!(
                "Unassigned and deleted the temporary user {} in the org. The account JIT created in your app stays there",
                temp.email
            ),
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
    crate::domain::emails::check_email("Email", &email).map_err(rejected)?;
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

/// What the "Test in progress" panel shows of a run while it goes (issue 14): the steps and
/// network entries the backend observed so far, in the order recorded, each once (a record
/// read twice, e.g. by two overlapping polls or a retried request, is shown once). The
/// user's own words (self-reported steps) are not "observed".
pub fn observed_so_far(run: &TestRun) -> (Vec<TestStep>, Vec<NetworkRecord>) {
    let mut steps: Vec<TestStep> = Vec::new();
    for s in &run.steps {
        if s.source == RecordSource::Observed && !steps.contains(s) {
            steps.push(s.clone());
        }
    }
    let mut network: Vec<NetworkRecord> = Vec::new();
    for n in &run.network {
        if !network.contains(n) {
            network.push(n.clone());
        }
    }
    (steps, network)
}
