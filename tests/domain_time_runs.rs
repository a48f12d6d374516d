//! Issue 11: the Tester's and the SCIM runner's times in the user's zone, with the zone named
//! (the browser passes its offset; the words are the core's).
use chrono::{TimeZone, Utc};
use oin_wizard::domain::scim_report::{Report, RunKind, ScimRun, Step, StepKind, Verdict};
use oin_wizard::domain::time::local_time_seconds;

fn at(h: u32, m: u32, s: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, h, m, s)
        .single()
        .unwrap_or_default()
}

#[test]
fn tester_times_to_the_second_in_the_users_zone() {
    #[rustfmt::skip]
    let rows: &[(i32, &str)] = &[
        (0,        "Nov 28, 2026, 21:05:09 (UTC)"),
        (330,      "Nov 29, 2026, 02:35:09 (UTC+05:30)"),
        (-480,     "Nov 28, 2026, 13:05:09 (UTC-08:00)"),
        (-420,     "Nov 28, 2026, 14:05:09 (UTC-07:00)"),
        // Not a zone: UTC rather than a wrong time.
        (i32::MAX, "Nov 28, 2026, 21:05:09 (UTC)"),
    ];
    for (offset, words) in rows {
        assert_eq!(
            local_time_seconds(at(21, 5, 9), *offset),
            *words,
            "{offset}"
        );
    }
}

fn run(finished: bool) -> ScimRun {
    let step = Step {
        id: "users.create".into(),
        title: "Create a user".into(),
        kind: StepKind::Check,
        rule: None,
        verdict: Verdict::Pass,
        reason: "Created.".into(),
        exchanges: Vec::new(),
        duration_ms: 5,
    };
    let report = Report::new(
        RunKind::Conformance,
        "https://scim.example.org/v2".into(),
        at(21, 4, 0),
        2_500,
        vec![step.clone()],
        Vec::new(),
    );
    ScimRun {
        id: "r1".into(),
        instance_id: "i1".into(),
        submission_id: "s1".into(),
        started_at: at(21, 4, 0),
        finished_at: finished.then(|| at(21, 4, 3)),
        steps: vec![step],
        report: finished.then_some(report),
    }
}

#[test]
fn a_scim_run_ends_in_the_users_zone() {
    assert_eq!(
        run(true).outcome_words(330),
        "SCIM tests passed: All 1 checks passed (0 not applicable). (1 passed, 0 failed, 0 not applicable; 2.5 s, ended Nov 29, 2026, 02:34:03 (UTC+05:30))"
    );
    assert!(run(true)
        .outcome_words(-480)
        .ends_with("ended Nov 28, 2026, 13:04:03 (UTC-08:00))"));
    assert_eq!(
        run(false).outcome_words(330),
        "SCIM tests running: 1 steps done…"
    );
}
