//! The sample integrations of "Load sample integrations": one per status, each one that
//! could really be submitted (the domain's own validation and submit gate say so), and the
//! published one carries its snapshot.

use chrono::{TimeZone, Utc};
use oin_wizard::backend::samples::sample_submissions;
use oin_wizard::domain::validation::validate;
use oin_wizard::domain::{Org, Role, Status, Submission, SubmitContext, User};
use oin_wizard::expr::seam::ExpressionLanguage;

fn samples() -> Vec<Submission> {
    let now = Utc
        .with_ymd_and_hms(2026, 11, 28, 12, 0, 0)
        .single()
        .unwrap_or_default();
    sample_submissions("s1", now)
}

#[test]
fn one_sample_per_status() {
    let statuses: Vec<Status> = samples().iter().map(|s| s.status).collect();
    for status in [
        Status::Draft,
        Status::OinToReview,
        Status::IsvToReview,
        Status::Published,
    ] {
        assert_eq!(
            statuses.iter().filter(|s| **s == status).count(),
            1,
            "{status:?}"
        );
    }
}

#[test]
fn ids_are_prefixed_and_unique() {
    let all = samples();
    let mut ids: Vec<&str> = all.iter().map(|s| s.id.as_str()).collect();
    assert!(ids.iter().all(|id| id.starts_with("s1-")));
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), all.len());
}

#[test]
fn the_published_sample_keeps_its_snapshot() {
    let all = samples();
    let published = all.iter().find(|s| s.status == Status::Published);
    let snapshot = published.and_then(|s| s.published.as_ref());
    assert!(snapshot.is_some(), "published sample without a snapshot");
    assert_eq!(snapshot.map(|p| p.version), published.map(|s| s.version));
}

#[test]
fn every_sample_could_really_be_submitted() {
    let user = User {
        email: "dev@strawberry.example".into(),
        roles: vec![Role::SuperAdmin],
        ..User::default()
    };
    let org = Org::default();
    for s in samples() {
        // Every page's rules, with the real Expression Language: logo, test account, URLs…
        let problems = validate(&s, &ExpressionLanguage);
        assert!(problems.is_empty(), "{}: {problems:?}", s.id);
        if let Some(p) = &s.published {
            let problems = validate(&p.submission, &ExpressionLanguage);
            assert!(problems.is_empty(), "{} (published): {problems:?}", s.id);
        }
        assert!(s.catalog.logo.is_some(), "{} has no logo", s.id);
        // The submit gate, as the Submit page runs it: what is left is only what a user does
        // in their own org (generate instances, run the tests) and the sample's status.
        let submittable = Submission {
            status: Status::Draft,
            ..s.clone()
        };
        let unmet = oin_wizard::domain::unmet_requirements(&SubmitContext {
            submission: &submittable,
            org: &org,
            user: &user,
            now: submittable.updated,
            certified: true,
            expressions: &ExpressionLanguage,
            scim_runs: None,
        });
        let left: Vec<_> = unmet
            .iter()
            .filter(|u| !u.field.starts_with("instances.") && !u.field.starts_with("tests."))
            .collect();
        assert!(left.is_empty(), "{}: {left:?}", s.id);
        assert!(!unmet.is_empty(), "{}: the gate asks for instances", s.id);
    }
}

#[test]
fn sample_logos_are_ones_the_wizard_accepts() {
    let mut sizes: Vec<(u32, u32)> = samples()
        .iter()
        .filter_map(|s| s.catalog.logo.as_ref())
        .filter_map(|l| imagesize_of(&l.data))
        .collect();
    sizes.sort_unstable();
    // One of each allowed size (SPEC 4.1).
    assert_eq!(sizes, vec![(156, 244), (200, 200), (244, 156), (244, 244)]);
}

/// Width and height from a PNG's IHDR.
fn imagesize_of(data: &[u8]) -> Option<(u32, u32)> {
    let w = data.get(16..20)?;
    let h = data.get(20..24)?;
    Some((
        u32::from_be_bytes([w[0], w[1], w[2], w[3]]),
        u32::from_be_bytes([h[0], h[1], h[2], h[3]]),
    ))
}

#[test]
fn sample_secrets_say_they_are_samples() {
    // A sample's test account is an example, not anyone's credential.
    for s in samples() {
        assert!(
            s.test_info.password.starts_with("sample-"),
            "{}: {}",
            s.id,
            s.test_info.password
        );
        assert!(s.scim.oauth.client_secret.is_empty(), "{}", s.id);
    }
}
