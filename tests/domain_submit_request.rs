//! `transitions::submit_request`: the stored version is checked before the gate (a server and
//! the embedded backend answer a stale submit alike).
mod common;

use common::*;
use oin_wizard::domain::api::SubmitRequest;
use oin_wizard::domain::transitions::submit_request;
use oin_wizard::domain::{ErrorCode, Org, StaticOnly, SubmitContext};

#[test]
fn a_stale_version_conflicts_and_the_current_one_meets_the_gate() {
    let submission = valid();
    let org = Org::default();
    let user = admin();
    let ctx = SubmitContext {
        submission: &submission,
        org: &org,
        user: &user,
        now: now(),
        certified: false,
        expressions: &StaticOnly,
        scim_runs: None,
    };
    let stale = SubmitRequest {
        version: submission.version - 1,
        certified: true,
    };
    assert_eq!(
        submit_request(&ctx, &stale).map(|_| ()).unwrap_err().code,
        ErrorCode::Conflict
    );
    // The request's certification is the one the gate sees (the context's is replaced).
    let current = SubmitRequest {
        version: submission.version,
        certified: true,
    };
    let err = submit_request(&ctx, &current).map(|_| ()).unwrap_err();
    assert_eq!(err.code, ErrorCode::UnmetRequirements);
    assert!(
        !err.unmet.iter().any(|u| u.field == "certified"),
        "{:?}",
        err.unmet
    );
}
