//! The sample integrations of "Load sample integrations": one per status, each valid enough
//! to open, and the published one carries its snapshot.

use chrono::{TimeZone, Utc};
use oin_wizard::backend::samples::sample_submissions;
use oin_wizard::domain::{Status, Submission};

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
fn samples_hold_no_secrets() {
    for s in samples() {
        assert!(s.test_info.password.is_empty(), "{}", s.id);
        assert!(s.scim.oauth.client_secret.is_empty(), "{}", s.id);
    }
}
