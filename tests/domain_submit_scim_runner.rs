//! SPEC 5.5 with issue 15: a passing, current run of the server's SCIM runner stands in for
//! the two pasted SCIM result links; without a runner (embedded backend) the links stay
//! required.
mod common;

use chrono::Duration;
use common::*;
use oin_wizard::domain::scim_report::{Report, RunKind, ScimRun, Step, StepKind, Verdict};
use oin_wizard::domain::*;

use Protocol::{Oidc, Saml, Scim};
use TestCase::{IdpFlow, JitWithIdp, SpFlow};
use VersionKind::Current;

const BASE: &str = "https://berryfarm.example.org/scim2";

/// `valid()` without the pasted links.
fn without_links() -> Submission {
    let mut s = valid();
    s.scim_test_results = ScimTestResults::default();
    s
}

/// Every SSO case passed 1 h ago; the SCIM instance (version 3, current) resolves to `BASE`.
fn org() -> Org {
    let mut runs = Vec::new();
    for case in [IdpFlow, SpFlow] {
        runs.push(run("oidc", case, Current, RunResult::Passed, 1));
    }
    for case in [IdpFlow, SpFlow, JitWithIdp] {
        runs.push(run("saml", case, Current, RunResult::Passed, 1));
    }
    let in_tester = |mut i: Instance| {
        i.in_tester = true;
        i
    };
    let mut scim = instance("scim", &[Scim], 3, false);
    scim.details.scim = Some(ScimDetails {
        base_url: BASE.into(),
        ..ScimDetails::default()
    });
    Org {
        instances: vec![
            in_tester(instance("oidc", &[Oidc], 3, false)),
            in_tester(instance("saml", &[Saml], 3, false)),
            scim,
        ],
        test_runs: runs,
        ..Org::default()
    }
}

fn step(verdict: Verdict) -> Step {
    Step {
        id: "users.create".into(),
        title: "Create a user".into(),
        kind: StepKind::Check,
        rule: None,
        verdict,
        reason: "Created.".into(),
        exchanges: Vec::new(),
        duration_ms: 5,
    }
}

/// A run of `instance` that ended `hours` ago (`None`: still running) with one check.
fn scim_run(instance: &str, id: &str, hours: Option<i64>, verdict: Verdict) -> ScimRun {
    let started = hours_ago(hours.unwrap_or(0)) - Duration::minutes(1);
    let report = Report::new(
        RunKind::Conformance,
        BASE.into(),
        started,
        60_000,
        vec![step(verdict)],
        Vec::new(),
    );
    ScimRun {
        id: id.into(),
        instance_id: instance.into(),
        submission_id: "sub-1".into(),
        started_at: started,
        finished_at: hours.map(hours_ago),
        steps: report.steps.clone(),
        report: hours.map(|_| report),
    }
}

fn gate(s: &Submission, org: &Org, runs: Option<&[ScimRun]>) -> Vec<UnmetRequirement> {
    unmet_requirements(&SubmitContext {
        submission: s,
        org,
        user: &admin(),
        now: now(),
        certified: true,
        expressions: &StaticOnly,
        scim_runs: runs,
    })
}

fn link_fields(unmet: &[UnmetRequirement]) -> Vec<(&str, &str)> {
    unmet
        .iter()
        .map(|u| (u.field.as_str(), u.message.as_str()))
        .collect()
}

#[test]
fn a_passing_current_run_stands_in_for_both_links() {
    let runs = [scim_run("scim", "r1", Some(2), Verdict::Pass)];
    assert_eq!(gate(&without_links(), &org(), Some(&runs)), vec![]);
    assert!(matches!(
        scim_runner_standing(&without_links(), &org(), Some(&runs), now()),
        ScimRunnerStanding::Valid { remaining } if remaining == Duration::hours(46)
    ));
}

#[test]
fn the_embedded_backend_keeps_requiring_the_links_even_with_runs() {
    // No runner: `None`, whatever runs a caller could have.
    let unmet = gate(&without_links(), &org(), None);
    assert_eq!(
        link_fields(&unmet)
            .iter()
            .map(|(f, _)| *f)
            .collect::<Vec<_>>(),
        vec![
            "scimTestResults.specResultsUrl",
            "scimTestResults.crudResultsUrl"
        ]
    );
    // Without a runner the message does not send the user to it.
    assert!(unmet.iter().all(|u| !u.message.contains("Run SCIM tests")));
    assert_eq!(
        scim_runner_standing(&without_links(), &org(), None, now()),
        ScimRunnerStanding::NoRunner
    );
}

#[test]
fn pasted_links_still_pass_on_the_server_without_a_run() {
    assert_eq!(gate(&valid(), &org(), Some(&[])), vec![]);
}

type Case = (&'static str, fn(&mut Org, &mut Vec<ScimRun>), &'static str);

/// Each way a run does not count, with the words the link's requirement gains.
#[rustfmt::skip]
const NOT_COUNTING: &[Case] = &[
    ("never run", |_, runs| runs.clear(), "or pass Run SCIM tests on the Test integration page"),
    ("failed", |_, runs| runs[0] = scim_run("scim", "r1", Some(1), Verdict::Fail), "or fix what the last SCIM test run failed"),
    ("running", |_, runs| runs[0] = scim_run("scim", "r1", None, Verdict::Pass), "or wait for the SCIM test run in progress"),
    ("49 h old", |_, runs| runs[0] = scim_run("scim", "r1", Some(49), Verdict::Pass), "the last pass is more than 48 hours old"),
    ("exactly 48 h old", |_, runs| runs[0] = scim_run("scim", "r1", Some(48), Verdict::Pass), "the last pass is more than 48 hours old"),
    // A later failure replaces the earlier pass, as in the Tester.
    ("pass then fail", |_, runs| runs.push(scim_run("scim", "r2", Some(1), Verdict::Fail)), "or fix what the last SCIM test run failed"),
    // Only skipped checks: nothing was checked, so nothing passed.
    ("nothing checked", |_, runs| runs[0] = scim_run("scim", "r1", Some(1), Verdict::Skipped), "or fix what the last SCIM test run failed"),
    // The instance's variable values changed: it resolves to another base URL now.
    ("settings changed", |org, _| {
        if let Some(d) = org.instances[2].details.scim.as_mut() { d.base_url = "https://other.example.org/scim2".into() }
    }, "the instance's SCIM base URL changed since the last run"),
    // A pass on another (e.g. deleted) instance is not the detected current one's.
    ("other instance", |_, runs| runs[0] = scim_run("gone", "r1", Some(1), Verdict::Pass), "or pass Run SCIM tests"),
];

#[test]
fn runs_that_are_not_a_current_pass_leave_the_links_required_and_say_why() {
    for (name, setup, words) in NOT_COUNTING {
        let mut o = org();
        let mut runs = vec![scim_run("scim", "r1", Some(2), Verdict::Pass)];
        setup(&mut o, &mut runs);
        let unmet = gate(&without_links(), &o, Some(&runs));
        let fields = link_fields(&unmet);
        assert_eq!(fields.len(), 2, "{name}: {fields:?}");
        for (field, message) in fields {
            assert!(field.starts_with("scimTestResults."), "{name}: {field}");
            assert!(message.contains(words), "{name}: {message}");
        }
    }
}

#[test]
fn a_run_of_an_instance_from_an_older_version_does_not_count() {
    // The integration was edited (version 4): the instance of version 3 is no longer
    // eligible, so no SCIM instance is detected and the gate asks to generate one; its runs
    // don't stand in for the links.
    let mut s = without_links();
    s.version = 4;
    s.config_version = 4;
    let runs = [scim_run("scim", "r1", Some(1), Verdict::Pass)];
    let standing = scim_runner_standing(&s, &org(), Some(&runs), now());
    assert_eq!(standing, ScimRunnerStanding::NoInstance);
    let unmet = gate(&s, &org(), Some(&runs));
    assert!(unmet
        .iter()
        .any(|u| u.field == "scimTestResults.specResultsUrl"));
    assert!(unmet.iter().any(|u| u.field == "instances.current.scim"));
}

#[test]
fn an_integration_without_scim_never_looks_at_runs() {
    let mut s = valid();
    s.protocols.scim = false;
    let runs = [scim_run("scim", "r1", Some(1), Verdict::Fail)];
    assert_eq!(
        scim_runner_standing(&s, &org(), Some(&runs), now()),
        ScimRunnerStanding::NoInstance
    );
}

#[test]
fn the_pass_counts_through_the_submit_transition() {
    // `transitions::submit` (the server's path) uses the same gate.
    let s = without_links();
    let o = org();
    let runs = [scim_run("scim", "r1", Some(2), Verdict::Pass)];
    let u = admin();
    let ctx = SubmitContext {
        submission: &s,
        org: &o,
        user: &u,
        now: now(),
        certified: true,
        expressions: &StaticOnly,
        scim_runs: Some(&runs),
    };
    let submitted = transitions::submit(&ctx).map(|s| s.status);
    assert_eq!(submitted.ok(), Some(Status::OinToReview));
    let refused = transitions::submit(&SubmitContext {
        scim_runs: None,
        ..ctx
    });
    assert!(refused.is_err());
}
