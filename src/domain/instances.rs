//! Test-integration rules (SPEC 5.2, 5.3): required instances, the combined SSO+SCIM
//! instance, the active limit, eligibility by version, test cases, result validity, and what
//! updating an instance invalidates. Time is always passed in.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::limits::{ACTIVE_INSTANCES_MAX, RESULT_VALID_HOURS};
use super::model::{
    Instance, Org, Protocol, RunResult, Submission, TestCase, TestRun, VersionKind,
};

/// Sign-in flows an SSO protocol supports (SPEC 5.1).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Flows {
    /// IdP-initiated.
    pub idp: bool,
    /// SP-initiated.
    pub sp: bool,
}

/// SPEC 5.1: OIDC: SP always, IdP exactly when an initiate login URI exists; SAML: as chosen;
/// SCIM: none.
pub fn supported_flows(submission: &Submission, protocol: Protocol) -> Flows {
    match protocol {
        Protocol::Oidc => Flows {
            idp: !submission.oidc.initiate_login_uri.trim().is_empty(),
            sp: true,
        },
        Protocol::Saml => Flows {
            idp: submission.test_settings.saml.idp_flow,
            sp: submission.test_settings.saml.sp_flow,
        },
        Protocol::Scim => Flows::default(),
    }
}

/// Whether the SSO protocol supports JIT provisioning (unanswered counts as no).
pub fn supports_jit(submission: &Submission, protocol: Protocol) -> bool {
    match protocol {
        Protocol::Oidc => submission.test_settings.oidc.jit == Some(true),
        Protocol::Saml => submission.test_settings.saml.jit == Some(true),
        Protocol::Scim => false,
    }
}

/// SPEC 5.3: the test cases for these flows. JIT with SP appears only when SP is the only
/// flow; with JIT, IdP and SP all supported, JIT with IdP is the (sufficient) JIT case.
pub fn test_cases(flows: Flows, jit: bool) -> Vec<TestCase> {
    let mut out = Vec::new();
    if flows.idp {
        out.push(TestCase::IdpFlow);
    }
    if flows.sp {
        out.push(TestCase::SpFlow);
    }
    if jit && flows.idp {
        out.push(TestCase::JitWithIdp);
    }
    if jit && flows.sp && !flows.idp {
        out.push(TestCase::JitWithSp);
    }
    out
}

/// The test cases one SSO protocol of a submission needs (all required to pass).
pub fn test_cases_for(submission: &Submission, protocol: Protocol) -> Vec<TestCase> {
    if !protocol.is_sso() || !submission.protocols.has(protocol) {
        return Vec::new();
    }
    test_cases(
        supported_flows(submission, protocol),
        supports_jit(submission, protocol),
    )
}

/// SPEC 5.2: the SSO protocol that may share one instance with SCIM: SCIM and exactly one SSO
/// protocol, no JIT, and the Create user operation on.
pub fn combinable_sso(submission: &Submission) -> Option<Protocol> {
    let p = submission.protocols;
    if !p.scim || !submission.scim.user_operations.create || p.oidc == p.saml {
        return None;
    }
    let sso = if p.oidc {
        Protocol::Oidc
    } else {
        Protocol::Saml
    };
    if supports_jit(submission, sso) {
        None
    } else {
        Some(sso)
    }
}

/// Checks the protocols asked for a new instance (SPEC 5.2): one protocol, or one SSO
/// protocol plus SCIM when the combined rule allows it.
pub fn check_instance_protocols(
    submission: &Submission,
    protocols: &[Protocol],
) -> Result<(), String> {
    for p in protocols {
        if !submission.protocols.has(*p) {
            return Err(format!("This submission does not support {}", p.label()));
        }
    }
    match protocols {
        [] => Err("Choose the protocol this instance is for".into()),
        [_] => Ok(()),
        [a, b] if a.is_sso() != b.is_sso() => {
            if combinable_sso(submission).is_some() {
                Ok(())
            } else {
                Err("One instance may serve SSO and SCIM only when the integration supports SCIM and exactly one SSO protocol, does not support JIT, and has the Create user operation on".into())
            }
        }
        _ => Err("Each SSO protocol needs its own instance".into()),
    }
}

/// One instance the Required app instances box asks for.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequiredInstance {
    /// CURRENT VERSION or PUBLISHED VERSION.
    pub version: VersionKind,
    /// The protocol it must serve (a combined SSO+SCIM instance serves both).
    pub protocol: Protocol,
}

/// SPEC 5.2: the instances needed: one per chosen protocol for the current version, and,
/// when a published integration is being edited, one per published protocol for it.
pub fn required_instances(submission: &Submission) -> Vec<RequiredInstance> {
    let mut out: Vec<RequiredInstance> = submission
        .protocols
        .list()
        .into_iter()
        .map(|protocol| RequiredInstance {
            version: VersionKind::Current,
            protocol,
        })
        .collect();
    if submission.is_editing_published() {
        if let Some(published) = &submission.published {
            out.extend(
                published
                    .submission
                    .protocols
                    .list()
                    .into_iter()
                    .map(|protocol| RequiredInstance {
                        version: VersionKind::Published,
                        protocol,
                    }),
            );
        }
    }
    out
}

/// Whether an instance may be used for tests, and for which version (SPEC 5.2).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind", content = "reason")]
pub enum Eligibility {
    /// Generated from the submission's latest version.
    Current,
    /// Generated from the published version, for backwards tests.
    Published,
    /// Not usable, with why.
    Ineligible(String),
}

/// The version an instance of the published version carries: the published snapshot's
/// configuration version (`None` when never published).
pub fn published_instance_version(submission: &Submission) -> Option<u32> {
    submission
        .published
        .as_ref()
        .map(|p| p.submission.instance_version().min(p.version))
}

/// SPEC 5.2: eligible for the current version when generated from the latest version; for the
/// published version when generated from it (before publishing, or after Edit integration
/// with "Published version") while a published integration is edited.
pub fn eligibility(submission: &Submission, instance: &Instance) -> Eligibility {
    if instance.submission_id != submission.id {
        return Eligibility::Ineligible("Generated from another integration".into());
    }
    let of_published = published_instance_version(submission) == Some(instance.submission_version);
    if instance.from_published {
        return if !of_published {
            Eligibility::Ineligible("Generated from an older published version".into())
        } else if submission.is_editing_published() {
            Eligibility::Published
        } else {
            Eligibility::Ineligible(
                "Generated from the published version, which is not being edited".into(),
            )
        };
    }
    if instance.submission_version == submission.instance_version() {
        Eligibility::Current
    } else if of_published && submission.is_editing_published() {
        Eligibility::Published
    } else {
        Eligibility::Ineligible(format!(
            "Generated from version {}; the integration was edited since (now version {}): generate a new instance",
            instance.submission_version,
            submission.instance_version()
        ))
    }
}

/// SPEC 5.2 (regenerate vs rerun): whether an edit changed what instances are generated
/// from: the protocols, the integration variables, or a protocol's properties. Catalog text,
/// the logo, the test account, test settings, preview values and the SCIM result links don't:
/// after those a rerun is enough, and instances stay eligible.
pub fn instance_configuration_changed(before: &Submission, after: &Submission) -> bool {
    before.protocols != after.protocols
        || before.variables != after.variables
        || before.oidc != after.oidc
        || before.saml != after.saml
        || before.scim != after.scim
}

/// Whether `instance` can serve `required` (eligible for its version and the protocol, with a
/// combined instance only when the combined rule holds).
pub fn serves(submission: &Submission, instance: &Instance, required: RequiredInstance) -> bool {
    let eligible = match eligibility(submission, instance) {
        Eligibility::Current => required.version == VersionKind::Current,
        Eligibility::Published => required.version == VersionKind::Published,
        Eligibility::Ineligible(_) => false,
    };
    if !eligible || !instance.protocols.contains(&required.protocol) {
        return false;
    }
    let shape_ok = match instance.protocols.as_slice() {
        [_] => true,
        [a, b] if a.is_sso() != b.is_sso() => {
            let version_submission = match required.version {
                VersionKind::Current => submission,
                VersionKind::Published => match &submission.published {
                    Some(p) => p.submission.as_ref(),
                    None => return false,
                },
            };
            combinable_sso(version_submission).is_some()
        }
        _ => false,
    };
    shape_ok
}

/// A required instance and the one detected for it, if any.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Detected {
    /// What is required.
    pub required: RequiredInstance,
    /// The detected instance's id (an active one preferred).
    pub instance_id: Option<String>,
    /// Whether the detected instance is active.
    pub active: bool,
}

/// SPEC 5.2, 5.5: the Required app instances box: each requirement with what was detected.
/// An SSO requirement names the instance the tester uses for it (as [`tester_rows`] does),
/// then any active one, then any; so the box, the tester and the submit gate agree.
pub fn detect(submission: &Submission, instances: &[Instance]) -> Vec<Detected> {
    required_instances(submission)
        .into_iter()
        .map(|required| {
            let mut candidates = instances.iter().filter(|i| serves(submission, i, required));
            let first = candidates
                .clone()
                .find(|i| i.in_tester && i.active)
                .or_else(|| candidates.clone().find(|i| i.active))
                .or_else(|| candidates.next());
            Detected {
                required,
                instance_id: first.map(|i| i.id.clone()),
                active: first.is_some_and(|i| i.active),
            }
        })
        .collect()
}

/// Number of active instances in the org.
pub fn active_count(instances: &[Instance]) -> usize {
    instances.iter().filter(|i| i.active).count()
}

/// SPEC 5.2: Generate instance (and activating one) is refused at 5 active instances.
pub fn can_generate(instances: &[Instance]) -> Result<(), String> {
    let n = active_count(instances);
    if n >= ACTIVE_INSTANCES_MAX {
        Err(format!(
            "{n} instances are active; the limit is {ACTIVE_INSTANCES_MAX}. Deactivate an instance you don't use (Clear filter shows them all) to generate another"
        ))
    } else {
        Ok(())
    }
}

/// SPEC 5.2: switching an instance on respects the active limit.
pub fn can_activate(instances: &[Instance], instance_id: &str) -> Result<(), String> {
    match instances.iter().find(|i| i.id == instance_id) {
        None => Err(format!("No instance {instance_id}")),
        Some(i) if i.active => Ok(()),
        Some(_) => can_generate(instances),
    }
}

/// SPEC 5.2: only inactive instances can be deleted.
pub fn can_delete(instance: &Instance) -> Result<(), String> {
    if instance.active {
        Err(format!(
            "Instance \"{}\" is active: switch ACTIVE off before deleting it",
            instance.label
        ))
    } else {
        Ok(())
    }
}

/// SPEC 5.3: Add to Tester is offered for active, eligible SSO instances only.
pub fn can_add_to_tester(submission: &Submission, instance: &Instance) -> Result<(), String> {
    if !instance.is_sso() {
        return Err("The tester only tests SSO: SCIM instances cannot be added".into());
    }
    if !instance.active {
        return Err(format!(
            "Instance \"{}\" is inactive: switch ACTIVE on first",
            instance.label
        ));
    }
    match eligibility(submission, instance) {
        Eligibility::Ineligible(reason) => Err(format!(
            "Instance \"{}\" is not eligible: {reason}",
            instance.label
        )),
        _ => Ok(()),
    }
}

/// Where a run stands, given the time now (SPEC 5.3: a pass is valid 48 hours).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunValidity {
    /// Passed, with this much time left.
    Valid {
        /// Time left before it needs a rerun.
        remaining: Duration,
    },
    /// Passed more than 48 hours ago: needs a rerun.
    Expired,
    /// Failed.
    Failed,
    /// Not finished.
    InProgress,
}

/// SPEC 5.3: a passed result is valid for 48 hours after it finished.
pub fn run_validity(run: &TestRun, now: DateTime<Utc>) -> RunValidity {
    match run.result {
        RunResult::InProgress => RunValidity::InProgress,
        RunResult::Failed => RunValidity::Failed,
        RunResult::Passed => {
            let finished = run.finished_at.unwrap_or(run.started_at);
            let expires = finished + Duration::hours(RESULT_VALID_HOURS);
            if now < expires {
                RunValidity::Valid {
                    remaining: expires - now,
                }
            } else {
                RunValidity::Expired
            }
        }
    }
}

/// The latest run for an instance, case and version (by start time).
pub fn latest_run<'a>(
    runs: &'a [TestRun],
    instance_id: &str,
    case: TestCase,
    version: VersionKind,
) -> Option<&'a TestRun> {
    runs.iter()
        .filter(|r| {
            r.instance_id == instance_id && r.case == Some(case) && r.version_kind == version
        })
        .max_by_key(|r| r.started_at)
}

/// What an instance's details update may change (SPEC 5.2).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct InstanceUpdate {
    /// New label.
    pub label: Option<String>,
    /// New variable values.
    pub variable_values: Option<BTreeMap<String, String>>,
    /// New assigned users.
    pub assigned_users: Option<Vec<String>>,
    /// New assigned groups.
    pub assigned_groups: Option<Vec<String>>,
    /// SCIM provisioning settings: the **Enable API integration** setting.
    pub api_integration_enabled: Option<bool>,
    /// SCIM provisioning settings: the token the vendor's SCIM server expects (header or
    /// bearer mode), entered by the admin. A secret; `"********"` keeps the stored one.
    pub scim_token: Option<String>,
}

impl InstanceUpdate {
    /// Whether it changes what a test ran against (label, variable values, assignments): those
    /// remove the instance's results; provisioning settings alone do not (SPEC 5.2).
    pub fn invalidates_results(&self) -> bool {
        self.label.is_some()
            || self.variable_values.is_some()
            || self.assigned_users.is_some()
            || self.assigned_groups.is_some()
    }
}

/// The state of the tester session at `now` (SPEC 5.3).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum TesterState {
    /// Never initialized: offer **Initialize Tester**.
    NotInitialized,
    /// Usable.
    Active,
    /// Expired: offer **Refresh tester session**.
    Expired,
}

impl Org {
    /// SPEC 5.2: applies **Update instance details** and removes that instance's earlier
    /// test results, which are returned.
    pub fn update_instance(
        &mut self,
        instance_id: &str,
        update: InstanceUpdate,
    ) -> Result<Vec<TestRun>, String> {
        let Some(instance) = self.instances.iter_mut().find(|i| i.id == instance_id) else {
            return Err(format!("No instance {instance_id}"));
        };
        let invalidates = update.invalidates_results();
        if update.api_integration_enabled.is_some() || update.scim_token.is_some() {
            let Some(scim) = instance.details.scim.as_mut() else {
                return Err(format!(
                    "Instance \"{}\" does not serve SCIM: it has no provisioning settings",
                    instance.label
                ));
            };
            if let Some(on) = update.api_integration_enabled {
                scim.api_integration_enabled = on;
            }
            if let Some(token) = update.scim_token {
                let token = token.trim();
                if token != super::model::REDACTED {
                    scim.token = token.to_string();
                }
            }
        }
        if let Some(label) = update.label {
            if label.trim().is_empty() {
                return Err("Application label is required".into());
            }
            instance.label = label;
        }
        if let Some(values) = update.variable_values {
            instance.variable_values = values;
        }
        if let Some(users) = update.assigned_users {
            instance.assigned_users = users;
        }
        if let Some(groups) = update.assigned_groups {
            instance.assigned_groups = groups;
        }
        if !invalidates {
            return Ok(Vec::new());
        }
        let (removed, kept): (Vec<TestRun>, Vec<TestRun>) = std::mem::take(&mut self.test_runs)
            .into_iter()
            .partition(|r| r.instance_id == instance_id);
        self.test_runs = kept;
        Ok(removed)
    }

    /// SPEC 5.3: **Remove from Tester** clears the instance's cases and their results.
    pub fn remove_from_tester(&mut self, instance_id: &str) -> Vec<TestRun> {
        if let Some(i) = self.instances.iter_mut().find(|i| i.id == instance_id) {
            i.in_tester = false;
        }
        let (removed, kept): (Vec<TestRun>, Vec<TestRun>) = std::mem::take(&mut self.test_runs)
            .into_iter()
            .partition(|r| r.instance_id == instance_id);
        self.test_runs = kept;
        removed
    }

    /// The tester session's state at `now`.
    pub fn tester_state(&self, now: DateTime<Utc>) -> TesterState {
        match &self.tester_session {
            None => TesterState::NotInitialized,
            Some(s) if now < s.expires_at => TesterState::Active,
            Some(_) => TesterState::Expired,
        }
    }

    /// SPEC 5.3: **Export results**: every run as JSON, no secrets (runs hold none).
    pub fn export_results(&self) -> String {
        serde_json::to_string_pretty(&self.test_runs).unwrap_or_else(|_| "[]".into())
    }
}

/// One row of the tester (SPEC 5.3): a case of a required SSO instance, filled with the
/// instance in the tester (if any) and the latest run's state.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TesterRow {
    /// Current or published version.
    pub version: VersionKind,
    /// OIDC or SAML.
    pub protocol: Protocol,
    /// The case.
    pub case: TestCase,
    /// The instance added to the tester for it; `None` disables **Run test**.
    pub instance_id: Option<String>,
    /// The latest run's id, if any.
    pub run_id: Option<String>,
    /// Whether that run is a pass still valid now.
    pub passed: bool,
    /// Seconds left before a pass needs a rerun (0 when not passed or expired).
    pub seconds_left: i64,
}

/// SPEC 5.3: the tester's rows: every case of every required SSO instance (current version,
/// and the published version's when it is being edited), with state at `now`.
pub fn tester_rows(submission: &Submission, org: &Org, now: DateTime<Utc>) -> Vec<TesterRow> {
    let mut out = Vec::new();
    for required in required_instances(submission) {
        if !required.protocol.is_sso() {
            continue;
        }
        let version_submission = match required.version {
            VersionKind::Current => submission,
            VersionKind::Published => match &submission.published {
                Some(p) => p.submission.as_ref(),
                None => continue,
            },
        };
        let instance = org
            .instances
            .iter()
            .find(|i| i.in_tester && i.active && serves(submission, i, required));
        for case in test_cases_for(version_submission, required.protocol) {
            let run =
                instance.and_then(|i| latest_run(&org.test_runs, &i.id, case, required.version));
            let validity = run.map(|r| run_validity(r, now));
            let (passed, seconds_left) = match validity {
                Some(RunValidity::Valid { remaining }) => (true, remaining.num_seconds()),
                _ => (false, 0),
            };
            out.push(TesterRow {
                version: required.version,
                protocol: required.protocol,
                case,
                instance_id: instance.map(|i| i.id.clone()),
                run_id: run.map(|r| r.id.clone()),
                passed,
                seconds_left,
            });
        }
    }
    out
}

/// SPEC 5.3, 1: whether **Run test** may start for this case on this instance now: a live
/// tester session, an active instance added to the tester, and the roles (JIT included).
pub fn can_run_test(
    user: &super::model::User,
    org: &Org,
    instance_id: &str,
    case: TestCase,
    now: DateTime<Utc>,
) -> Result<(), String> {
    let action = match case {
        TestCase::JitWithIdp | TestCase::JitWithSp => super::roles::Action::RunJitTest,
        TestCase::IdpFlow | TestCase::SpFlow => super::roles::Action::Test,
    };
    super::roles::permits(user, action)?;
    match org.tester_state(now) {
        TesterState::NotInitialized => {
            return Err("Initialize Tester first".into());
        }
        TesterState::Expired => {
            return Err("The tester session expired: choose Refresh tester session".into());
        }
        TesterState::Active => {}
    }
    let Some(instance) = org.instances.iter().find(|i| i.id == instance_id) else {
        return Err(format!("No instance {instance_id}"));
    };
    if !instance.in_tester {
        return Err(format!(
            "Instance \"{}\" is not in the tester: choose Add to Tester",
            instance.label
        ));
    }
    if !instance.active {
        return Err(format!(
            "Instance \"{}\" is inactive: switch ACTIVE on first",
            instance.label
        ));
    }
    Ok(())
}
