//! The submit gate (SPEC 5.5, 1): every unmet requirement, each with the page and field where
//! it is fixed. Empty means **Submit integration** may be enabled.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::expressions::Expressions;
use super::instances::{detect, run_validity, tester_rows, RunValidity};
use super::model::{Org, Protocol, RecordSource, Status, Submission, User, VersionKind};
use super::pages::Page;
use super::roles::{permits, Action};
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
}

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
    // Every page's errors.
    for p in validate(s, ctx.expressions)
        .into_iter()
        .filter(|p| p.is_error())
    {
        out.push(UnmetRequirement::new(p.page(), p.field, p.message));
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
    // SPEC 5.4: both SCIM result links are checked by `validate` above.
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
