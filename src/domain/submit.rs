//! The submit gate (SPEC 5.5, 1): every unmet requirement, each with the page and field where
//! it is fixed. Empty means **Submit integration** may be enabled.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::expressions::Expressions;
use super::instances::{detect, run_validity, tester_rows, RunValidity};
use super::limits::RESULT_VALID_HOURS;
use super::model::{Org, Protocol, RecordSource, Status, Submission, User, VersionKind};
use super::pages::Page;
use super::roles::{permits, Action};
use super::scim_report::ScimRun;
use super::validation::validate;

/// One thing still missing before submitting, with where to fix it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UnmetRequirement {
    /// The page where it is fixed.
    pub page: Page,
    /// The field path or anchor on that page (`instances.current.oidc`, `tests.current.oidc.idpFlow`).
    pub field: String,
    /// What is missing, actionable.
    pub message: String,
}

impl UnmetRequirement {
    fn new(page: Page, field: impl Into<String>, message: impl Into<String>) -> Self {
        UnmetRequirement {
            page,
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Everything the gate looks at.
#[derive(Clone, Copy)]
pub struct SubmitContext<'a> {
    /// The submission.
    pub submission: &'a Submission,
    /// The org (instances, runs).
    pub org: &'a Org,
    /// Who submits.
    pub user: &'a User,
    /// The time now.
    pub now: DateTime<Utc>,
    /// "I certify that I have successfully completed required tests" is ticked.
    pub certified: bool,
    /// The expression seam.
    pub expressions: &'a dyn Expressions,
    /// The SCIM runner's runs of this integration's instances (issue 15: the server passes
    /// its latest run of each instance), or `None` where the backend has no runner (the
    /// embedded backend): then only the pasted result links count (SPEC 5.4, 5.5).
    pub scim_runs: Option<&'a [ScimRun]>,
}

/// Where the SCIM runner stands for the submit gate (SPEC 5.5 with issue 15): only
/// [`ScimRunnerStanding::Valid`] stands in for the two pasted result links.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScimRunnerStanding {
    /// The backend has no runner (embedded): the links are the only way.
    NoRunner,
    /// The integration has no SCIM protocol, or no SCIM instance of the current version was
    /// detected (the gate asks to generate one).
    NoInstance,
    /// The current SCIM instance was never run.
    NotRun,
    /// Its latest run is still going.
    InProgress,
    /// Its latest run ended with a failed check (or nothing checked).
    Failed,
    /// Its latest run called another base URL than the instance's now (its variable values
    /// changed since): the run does not describe the current settings.
    SettingsChanged,
    /// Its latest run passed more than 48 hours ago.
    Expired,
    /// Its latest run passed, against the current settings, within 48 hours.
    Valid {
        /// Time left before it needs a rerun.
        remaining: Duration,
    },
}

impl ScimRunnerStanding {
    /// What to do instead of pasting the links, when the runner could stand in for them.
    pub fn alternative(self) -> Option<&'static str> {
        match self {
            ScimRunnerStanding::NoRunner
            | ScimRunnerStanding::NoInstance
            | ScimRunnerStanding::Valid { .. } => None,
            ScimRunnerStanding::NotRun => Some("or pass Run SCIM tests on the Test integration page"),
            ScimRunnerStanding::InProgress => {
                Some("or wait for the SCIM test run in progress to pass")
            }
            ScimRunnerStanding::Failed => {
                Some("or fix what the last SCIM test run failed and run the SCIM tests again")
            }
            ScimRunnerStanding::SettingsChanged => Some(
                "or run the SCIM tests again: the instance's SCIM base URL changed since the last run",
            ),
            ScimRunnerStanding::Expired => Some(
                "or run the SCIM tests again: the last pass is more than 48 hours old",
            ),
        }
    }
}

/// SPEC 5.5 with issue 15: whether a SCIM runner run stands in for the pasted result links.
/// It must be the latest run of the SCIM instance detected for the current version (so one
/// generated from the current configuration version, SPEC 5.2), have ended with every check
/// that ran passing, have called the base URL the instance resolves to now, and have ended
/// within the 48 hours a passed test stays valid (SPEC 5.3, 5.5: the same window as the SSO
/// tests). A later failed or running run replaces an earlier pass, as in the Tester.
pub fn scim_runner_standing(
    submission: &Submission,
    org: &Org,
    runs: Option<&[ScimRun]>,
    now: DateTime<Utc>,
) -> ScimRunnerStanding {
    let Some(runs) = runs else {
        return ScimRunnerStanding::NoRunner;
    };
    if !submission.protocols.scim {
        return ScimRunnerStanding::NoInstance;
    }
    let instance = detect(submission, &org.instances)
        .into_iter()
        .find(|d| {
            d.required.version == VersionKind::Current && d.required.protocol == Protocol::Scim
        })
        .and_then(|d| d.instance_id)
        .and_then(|id| org.instances.iter().find(|i| i.id == id));
    let Some(instance) = instance else {
        return ScimRunnerStanding::NoInstance;
    };
    let latest = runs
        .iter()
        .filter(|r| r.instance_id == instance.id && r.submission_id == submission.id)
        .max_by_key(|r| r.started_at);
    let Some(run) = latest else {
        return ScimRunnerStanding::NotRun;
    };
    let (Some(finished), Some(report)) = (run.finished_at, run.report.as_ref()) else {
        return ScimRunnerStanding::InProgress;
    };
    if !run.passed() {
        return ScimRunnerStanding::Failed;
    }
    let base_url = instance
        .details
        .scim
        .as_ref()
        .map(|d| d.base_url.as_str())
        .unwrap_or_default();
    if report.base_url != base_url {
        return ScimRunnerStanding::SettingsChanged;
    }
    let expires = finished + Duration::hours(RESULT_VALID_HOURS);
    if now < expires {
        ScimRunnerStanding::Valid {
            remaining: expires - now,
        }
    } else {
        ScimRunnerStanding::Expired
    }
}

/// The field paths of the two pasted SCIM result links (SPEC 5.4).
const SCIM_LINK_FIELDS: [&str; 2] = [
    "scimTestResults.specResultsUrl",
    "scimTestResults.crudResultsUrl",
];

fn version_name(v: VersionKind) -> &'static str {
    match v {
        VersionKind::Current => "current version",
        VersionKind::Published => "published version",
    }
}

/// The version's key in field paths (`tests.current.oidc.IdpFlow`).
pub fn version_key(v: VersionKind) -> &'static str {
    match v {
        VersionKind::Current => "current",
        VersionKind::Published => "published",
    }
}

/// The protocol's key in field paths (`instances.current.oidc`).
pub fn protocol_key(p: Protocol) -> &'static str {
    match p {
        Protocol::Oidc => "oidc",
        Protocol::Saml => "saml",
        Protocol::Scim => "scim",
    }
}

/// SPEC 5.5 and 1: every unmet requirement, in page order. Never panics.
pub fn unmet_requirements(ctx: &SubmitContext<'_>) -> Vec<UnmetRequirement> {
    let s = ctx.submission;
    let mut out = Vec::new();
    // SPEC 1: roles and company email.
    if let Err(message) = permits(ctx.user, Action::Submit) {
        out.push(UnmetRequirement::new(Page::Submit, "user", message));
    }
    // SPEC 2: only a Draft or ISV to review submission can be submitted.
    match s.status {
        Status::Draft | Status::IsvToReview => {}
        Status::OinToReview => out.push(UnmetRequirement::new(
            Page::Submit,
            "status",
            "This submission is already with the catalog team (OIN to review)",
        )),
        Status::Published => out.push(UnmetRequirement::new(
            Page::Submit,
            "status",
            "This integration is published and read-only: choose Edit integration first",
        )),
    }
    // Every page's errors. SPEC 5.4 with issue 15: a valid SCIM runner run stands in for the
    // two result links; otherwise a link's message says what the runner would need.
    let runner = scim_runner_standing(s, ctx.org, ctx.scim_runs, ctx.now);
    for p in validate(s, ctx.expressions)
        .into_iter()
        .filter(|p| p.is_error())
    {
        let is_link = SCIM_LINK_FIELDS.contains(&p.field.as_str());
        if is_link && matches!(runner, ScimRunnerStanding::Valid { .. }) {
            continue;
        }
        let message = match runner.alternative().filter(|_| is_link) {
            Some(alternative) => format!("{}, {alternative}", p.message),
            None => p.message.clone(),
        };
        out.push(UnmetRequirement::new(p.page(), p.field, message));
    }
    // SPEC 5.5: required instances detected and active; SSO tests passed within 48 hours.
    let detected = detect(s, &ctx.org.instances);
    for d in &detected {
        let r = d.required;
        let anchor = format!(
            "instances.{}.{}",
            version_key(r.version),
            protocol_key(r.protocol)
        );
        if d.instance_id.is_none() {
            out.push(UnmetRequirement::new(
                Page::TestIntegration,
                anchor,
                format!(
                    "No {} instance for the {} was detected: generate one",
                    r.protocol.label(),
                    version_name(r.version)
                ),
            ));
            continue;
        }
        if !d.active {
            out.push(UnmetRequirement::new(
                Page::TestIntegration,
                anchor,
                format!(
                    "The {} instance for the {} is inactive: switch ACTIVE on",
                    r.protocol.label(),
                    version_name(r.version)
                ),
            ));
        }
    }
    // SPEC 5.5, 5.3: every required SSO case passed within 48 hours, read from the tester's
    // rows: the instance in the tester and its latest run, exactly as the tester shows them.
    // A case whose instance is missing altogether is covered by "generate one" above.
    let missing = |row: &super::instances::TesterRow| {
        detected.iter().any(|d| {
            d.instance_id.is_none()
                && d.required.version == row.version
                && d.required.protocol == row.protocol
        })
    };
    for row in tester_rows(s, ctx.org, ctx.now)
        .into_iter()
        .filter(|r| !missing(r))
    {
        let field = format!(
            "tests.{}.{}.{:?}",
            version_key(row.version),
            protocol_key(row.protocol),
            row.case
        );
        let what = format!(
            "{} test \"{}\" for the {}",
            row.protocol.label(),
            row.case.label(),
            version_name(row.version)
        );
        let run = row
            .run_id
            .as_ref()
            .and_then(|id| ctx.org.test_runs.iter().find(|r| &r.id == id));
        let problem = match (&row.instance_id, run.map(|run| run_validity(run, ctx.now))) {
            (None, _) => Some(format!(
                "The {what} has not run: no active, eligible {} instance is in the tester. Choose Add to Tester, then run it",
                row.protocol.label()
            )),
            (Some(_), Some(RunValidity::Valid { .. })) => None,
            (Some(_), None) => Some(format!("The {what} has not passed yet: run it")),
            (Some(_), Some(RunValidity::Expired)) => Some(format!(
                "The {what} passed more than 48 hours ago: run it again"
            )),
            (Some(_), Some(RunValidity::Failed)) => {
                Some(format!("The {what} failed: fix the issue and run it again"))
            }
            (Some(_), Some(RunValidity::InProgress)) => {
                Some(format!("The {what} is still in progress: finish it"))
            }
        };
        if let Some(message) = problem {
            out.push(UnmetRequirement::new(Page::TestIntegration, field, message));
        }
    }
    // SPEC 5.4: both SCIM result links are checked by `validate` above (or the runner).
    // SPEC 5.5: the certification checkbox.
    if !ctx.certified {
        out.push(UnmetRequirement::new(
            Page::Submit,
            "certified",
            "Tick \"I certify that I have successfully completed required tests\"",
        ));
    }
    out
}

/// How many of the tester's required cases hold a result nobody observed, of how many cases
/// (issue 11): the submit page says so, as the run details and the export do.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SelfReported {
    /// Cases whose latest run is self-reported (any result).
    pub self_reported: usize,
    /// Every required SSO case.
    pub cases: usize,
}

/// SPEC 5.3, 5.5: which of the tester's results rest on the user's word alone.
pub fn self_reported_results(
    submission: &Submission,
    org: &Org,
    now: DateTime<Utc>,
) -> SelfReported {
    let rows = tester_rows(submission, org, now);
    let self_reported = rows
        .iter()
        .filter_map(|row| row.run_id.as_ref())
        .filter_map(|id| org.test_runs.iter().find(|r| &r.id == id))
        .filter(|run| run.source == RecordSource::SelfReported)
        .count();
    SelfReported {
        self_reported,
        cases: rows.len(),
    }
}
