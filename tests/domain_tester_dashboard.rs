//! SPEC 5.3: tester rows and Run test preconditions; SPEC 2: dashboard filter and sort.
mod common;

use common::*;
use oin_wizard::domain::dashboard::{filter_and_sort, DashboardQuery, SortBy};
use oin_wizard::domain::instances::{can_run_test, tester_rows};
use oin_wizard::domain::*;

use Protocol::{Oidc, Saml};
use TestCase::{IdpFlow, JitWithIdp, SpFlow};

fn tester_org() -> Org {
    let mut oidc = instance("oidc", &[Oidc], 3, false);
    oidc.in_tester = true;
    let saml = instance("saml", &[Saml], 3, false); // not added to the tester
    Org {
        instances: vec![oidc, saml],
        test_runs: vec![
            run("oidc", IdpFlow, VersionKind::Current, RunResult::Passed, 2),
            run("oidc", SpFlow, VersionKind::Current, RunResult::Passed, 50),
        ],
        tester_session: Some(TesterSession {
            id: "t".into(),
            started_at: hours_ago(1),
            expires_at: hours_ago(-4),
        }),
        ..Org::default()
    }
}

#[test]
fn tester_row_table() {
    let rows = tester_rows(&valid(), &tester_org(), now());
    #[rustfmt::skip]
    let expected: &[(Protocol, TestCase, Option<&str>, bool, i64)] = &[
        (Oidc, IdpFlow,    Some("oidc"), true,  46 * 3600),
        (Oidc, SpFlow,     Some("oidc"), false, 0),          // expired
        (Saml, IdpFlow,    None,         false, 0),          // not in the tester
        (Saml, SpFlow,     None,         false, 0),
        (Saml, JitWithIdp, None,         false, 0),          // JIT with SP not listed: IdP suffices
    ];
    let got: Vec<(Protocol, TestCase, Option<&str>, bool, i64)> = rows
        .iter()
        .map(|r| {
            (
                r.protocol,
                r.case,
                r.instance_id.as_deref(),
                r.passed,
                r.seconds_left,
            )
        })
        .collect();
    assert_eq!(got, expected.to_vec());
    // Editing a published integration lists the published version's cases too.
    let rows = tester_rows(&editing_published(), &tester_org(), now());
    assert_eq!(
        rows.iter()
            .filter(|r| r.version == VersionKind::Published)
            .count(),
        5
    );
}

#[test]
fn run_test_rows() {
    type Setup = fn(&mut Org, &mut User);
    #[rustfmt::skip]
    let rows: &[(&str, Setup, TestCase, Option<&str>)] = &[
        ("ready",             |_, _| {}, IdpFlow, None),
        ("jit, app+org admin",|_, u| u.roles = vec![Role::AppAdmin, Role::OrgAdmin], JitWithIdp, None),
        ("jit, app admin",    |_, u| u.roles = vec![Role::AppAdmin], JitWithIdp, Some("JIT tests need the super admin role")),
        ("test, app admin",   |_, u| u.roles = vec![Role::AppAdmin], IdpFlow, Some("Testing needs the super admin role")),
        ("no session",        |o, _| o.tester_session = None, IdpFlow, Some("Initialize Tester first")),
        ("session expired",   |o, _| if let Some(t) = o.tester_session.as_mut() { t.expires_at = hours_ago(1) }, IdpFlow, Some("The tester session expired: choose Refresh tester session")),
        ("not in tester",     |o, _| o.instances[0].in_tester = false, IdpFlow, Some("is not in the tester: choose Add to Tester")),
        ("inactive",          |o, _| o.instances[0].active = false, IdpFlow, Some("is inactive")),
        ("unknown instance",  |o, _| o.instances.clear(), IdpFlow, Some("No instance oidc")),
    ];
    for (name, setup, case, expected) in rows {
        let mut org = tester_org();
        let mut u = admin();
        setup(&mut org, &mut u);
        let got = can_run_test(&u, &org, "oidc", *case, now());
        match expected {
            None => assert_eq!(got, Ok(()), "{name}"),
            Some(text) => assert!(
                got.as_ref().is_err_and(|m| m.contains(text)),
                "{name}: {got:?}"
            ),
        }
    }
}

fn summary(name: &str, status: Status, hours: i64) -> SubmissionSummary {
    SubmissionSummary {
        id: name.into(),
        display_name: name.into(),
        status,
        updated: hours_ago(hours),
        ..SubmissionSummary::default()
    }
}

#[test]
fn dashboard_rows() {
    let rows = vec![
        summary("Banana", Status::Published, 5),
        summary("apple", Status::Draft, 1),
        summary("Cherry", Status::IsvToReview, 3),
        summary("Apricot", Status::Draft, 9),
    ];
    let q = |name: &str, statuses: Vec<Status>, sort| DashboardQuery {
        name: name.into(),
        statuses,
        sort,
    };
    #[rustfmt::skip]
    let cases: Vec<(DashboardQuery, Vec<usize>)> = vec![
        (q("", vec![], SortBy::UpdatedNewest), vec![1, 2, 0, 3]),
        (q("", vec![], SortBy::NameAscending), vec![1, 3, 0, 2]),
        (q("", vec![], SortBy::NameDescending), vec![2, 0, 3, 1]),
        (q("", vec![], SortBy::Status), vec![1, 3, 2, 0]),
        (q("AP", vec![], SortBy::NameAscending), vec![1, 3]),
        (q("", vec![Status::Draft], SortBy::UpdatedNewest), vec![1, 3]),
        (q("an", vec![Status::Published, Status::Draft], SortBy::NameAscending), vec![0]),
        (q("zzz", vec![], SortBy::NameAscending), vec![]),
    ];
    for (query, expected) in cases {
        assert_eq!(filter_and_sort(&rows, &query), expected, "{query:?}");
    }
    // Thousands of rows stay fast.
    let many: Vec<SubmissionSummary> = (0..20_000)
        .map(|n| summary(&format!("Integration {n}"), Status::Draft, n % 500))
        .collect();
    let start = std::time::Instant::now();
    let shown = filter_and_sort(&many, &q("integration 1", vec![], SortBy::NameAscending));
    assert_eq!(shown.len(), 11_111);
    assert!(start.elapsed().as_millis() < 2_000);
}
