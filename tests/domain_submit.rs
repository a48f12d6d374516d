//! SPEC 5.5, 5.4, 1: the submit gate, and SPEC 2: where "Test your integration" lands.
mod common;

use common::*;
use oin_wizard::domain::navigation::{first_incomplete_page, test_your_integration};
use oin_wizard::domain::*;

use Protocol::{Oidc, Saml, Scim};
use TestCase::{IdpFlow, JitWithIdp, SpFlow};
use VersionKind::{Current, Published};

/// An org where `valid()` may be submitted: three active instances, every case passed 1 h ago.
fn ready_org() -> Org {
    let mut runs = Vec::new();
    for case in [IdpFlow, SpFlow] {
        runs.push(run("oidc", case, Current, RunResult::Passed, 1));
    }
    for case in [IdpFlow, SpFlow, JitWithIdp] {
        runs.push(run("saml", case, Current, RunResult::Passed, 1));
    }
    // The SSO instances are in the tester: the tests counted are the tester's (SPEC 5.5).
    let in_tester = |mut i: Instance| {
        i.in_tester = true;
        i
    };
    Org {
        instances: vec![
            in_tester(instance("oidc", &[Oidc], 3, false)),
            in_tester(instance("saml", &[Saml], 3, false)),
            instance("scim", &[Scim], 3, false),
        ],
        test_runs: runs,
        ..Org::default()
    }
}

fn gate(s: &Submission, org: &Org, user: &User, certified: bool) -> Vec<UnmetRequirement> {
    unmet_requirements(&SubmitContext {
        submission: s,
        org,
        user,
        now: now(),
        certified,
        expressions: &StaticOnly,
        scim_runs: None,
    })
}

type Setup = fn(&mut Submission, &mut Org, &mut User, &mut bool);

#[rustfmt::skip]
const ROWS: &[(&str, Setup, Page, &str, Option<&str>)] = &[
    ("all met",              |_, _, _, _| {}, Page::Submit, "", None),
    // SPEC 5.5: certification checkbox.
    ("not certified",        |_, _, _, c| *c = false, Page::Submit, "certified", Some("Tick \"I certify that I have successfully completed required tests\"")),
    // SPEC 1: roles and company email.
    ("personal mail",        |_, _, u, _| u.email = "dev@gmail.com".into(), Page::Submit, "user", Some("You are signed in as dev@gmail.com, a personal email address")),
    ("app admin only",       |_, _, u, _| u.roles = vec![Role::AppAdmin], Page::Submit, "user", Some("Submitting needs the super admin role, or both the app admin and org admin roles")),
    ("app + org admin",      |_, _, u, _| u.roles = vec![Role::AppAdmin, Role::OrgAdmin], Page::Submit, "user", None),
    // SPEC 2: status.
    ("under review",         |s, _, _, _| s.status = Status::OinToReview, Page::Submit, "status", Some("already with the catalog team")),
    ("isv to review ok",     |s, _, _, _| s.status = Status::IsvToReview, Page::Submit, "status", None),
    ("published",            |s, _, _, _| s.status = Status::Published, Page::Submit, "status", Some("read-only: choose Edit integration first")),
    // Page errors reach the gate with their page.
    ("display name missing", |s, _, _, _| s.catalog.display_name.clear(), Page::Configure, "catalog.displayName", Some("Display name is required")),
    ("no protocol",          |s, _, _, _| s.protocols = Protocols::default(), Page::SelectProtocol, "protocols", Some("Choose at least one protocol")),
    ("password missing",     |s, _, _, _| s.test_info.password.clear(), Page::TestInfo, "testInfo.password", Some("Password is required")),
    // SPEC 5.5: instances detected and active.
    ("scim instance missing",|_, o, _, _| o.instances.retain(|i| i.id != "scim"), Page::TestIntegration, "instances.current.scim", Some("No SCIM 2.0 instance for the current version was detected: generate one")),
    ("oidc inactive",        |_, o, _, _| o.instances[0].active = false, Page::TestIntegration, "instances.current.oidc", Some("The OIDC instance for the current version is inactive: switch ACTIVE on")),
    ("instance outdated",    |s, _, _, _| s.version = 4, Page::TestIntegration, "instances.current.saml", Some("No SAML 2.0 instance for the current version was detected")),
    // SPEC 5.5, 5.3: every required test passed within 48 hours.
    ("test expired",         |_, o, _, _| o.test_runs[0] = run("oidc", IdpFlow, Current, RunResult::Passed, 49), Page::TestIntegration, "tests.current.oidc.IdpFlow", Some("The OIDC test \"IdP flow\" for the current version passed more than 48 hours ago: run it again")),
    ("test failed",          |_, o, _, _| o.test_runs[1] = run("oidc", SpFlow, Current, RunResult::Failed, 1), Page::TestIntegration, "tests.current.oidc.SpFlow", Some("failed: fix the issue and run it again")),
    ("test in progress",     |_, o, _, _| o.test_runs[1].result = RunResult::InProgress, Page::TestIntegration, "tests.current.oidc.SpFlow", Some("is still in progress")),
    ("test never run",       |_, o, _, _| o.test_runs.retain(|r| r.case != Some(JitWithIdp)), Page::TestIntegration, "tests.current.saml.JitWithIdp", Some("The SAML 2.0 test \"JIT provisioning (with IdP flow)\" for the current version has not passed yet: run it")),
    ("latest run counts",    |_, o, _, _| { let mut newer = run("oidc", IdpFlow, Current, RunResult::Failed, 0); newer.id = "newer".into(); o.test_runs.push(newer); }, Page::TestIntegration, "tests.current.oidc.IdpFlow", Some("failed")),
    ("run on other instance",|_, o, _, _| o.test_runs[0].instance_id = "saml".into(), Page::TestIntegration, "tests.current.oidc.IdpFlow", Some("has not passed yet")),
    ("jit with sp not needed",|_, _, _, _| {}, Page::TestIntegration, "tests.current.saml.JitWithSp", None),
    // SPEC 5.4: SCIM links.
    ("spec link missing",    |s, _, _, _| s.scim_test_results.spec_results_url.clear(), Page::TestIntegration, "scimTestResults.specResultsUrl", Some("Link to the SCIM API specification test results is required")),
    ("crud link missing",    |s, _, _, _| s.scim_test_results.crud_results_url.clear(), Page::TestIntegration, "scimTestResults.crudResultsUrl", Some("Link to the CRUD test results is required")),
    ("crud link not url",    |s, _, _, _| s.scim_test_results.crud_results_url = "see-email".into(), Page::TestIntegration, "scimTestResults.crudResultsUrl", Some("is not a complete URL")),
    ("no scim: no links",    |s, o, _, _| { s.protocols.scim = false; s.scim_test_results = ScimTestResults::default(); o.instances.retain(|i| i.id != "scim"); }, Page::TestIntegration, "scimTestResults.specResultsUrl", None),
];

#[test]
fn gate_rows() {
    for (name, setup, page, field, expected) in ROWS {
        let mut s = valid();
        let mut org = ready_org();
        let mut u = admin();
        let mut certified = true;
        setup(&mut s, &mut org, &mut u, &mut certified);
        let unmet = gate(&s, &org, &u, certified);
        let on_field: Vec<&UnmetRequirement> = unmet
            .iter()
            .filter(|r| field.is_empty() || r.field == *field)
            .collect();
        match expected {
            None => assert!(
                on_field.is_empty(),
                "{name}: expected nothing on {field}, got {unmet:?}"
            ),
            Some(text) => assert!(
                on_field
                    .iter()
                    .any(|r| r.message.contains(text) && r.page == *page),
                "{name}: expected {text:?} on {field} ({page:?}), got {unmet:?}"
            ),
        }
    }
}

#[test]
fn editing_published_needs_published_tests() {
    // SPEC 5.2, 5.3: the published version's instances and cases are required too.
    let s = editing_published();
    let mut org = ready_org();
    let unmet = gate(&s, &org, &admin(), true);
    let fields: Vec<&str> = unmet.iter().map(|r| r.field.as_str()).collect();
    assert_eq!(
        fields,
        vec![
            "instances.published.oidc",
            "instances.published.saml",
            "instances.published.scim"
        ]
    );
    for (id, p) in [("p-oidc", Oidc), ("p-saml", Saml), ("p-scim", Scim)] {
        let mut i = instance(id, &[p], 2, true);
        i.in_tester = p.is_sso();
        org.instances.push(i);
    }
    for case in [IdpFlow, SpFlow] {
        org.test_runs
            .push(run("p-oidc", case, Published, RunResult::Passed, 2));
    }
    let unmet = gate(&s, &org, &admin(), true);
    let fields: Vec<&str> = unmet.iter().map(|r| r.field.as_str()).collect();
    assert_eq!(
        fields,
        vec![
            "tests.published.saml.IdpFlow",
            "tests.published.saml.SpFlow",
            "tests.published.saml.JitWithIdp"
        ]
    );
    // A current-version run on the published instance doesn't count.
    org.test_runs
        .push(run("p-saml", IdpFlow, Current, RunResult::Passed, 2));
    assert_eq!(gate(&s, &org, &admin(), true).len(), 3);
    for case in [IdpFlow, SpFlow, JitWithIdp] {
        org.test_runs
            .push(run("p-saml", case, Published, RunResult::Passed, 2));
    }
    assert_eq!(gate(&s, &org, &admin(), true), vec![]);
}

#[test]
fn the_gate_and_the_box_look_at_the_instances_in_the_tester() {
    // Issue 11, SPEC 5.5: two active, eligible OIDC instances; the newer one is in the tester
    // and passed every case. The gate and the Required app instances box look at that one,
    // exactly as the tester's rows do (they used to check the older one: "has not passed yet").
    let s = valid();
    let mut org = ready_org();
    org.instances[0].in_tester = false;
    let mut newer = instance("oidc-2", &[Oidc], 3, false);
    newer.created_at = hours_ago(1);
    newer.in_tester = true;
    org.instances.push(newer);
    for r in org.test_runs.iter_mut().filter(|r| r.instance_id == "oidc") {
        r.instance_id = "oidc-2".into();
        r.id = format!("2-{}", r.id);
    }
    assert_eq!(gate(&s, &org, &admin(), true), vec![]);
    let detected = instances::detect(&s, &org.instances);
    let oidc = detected
        .iter()
        .find(|d| d.required.protocol == Oidc)
        .and_then(|d| d.instance_id.clone());
    assert_eq!(oidc.as_deref(), Some("oidc-2"));
    let rows = instances::tester_rows(&s, &org, now());
    assert!(rows
        .iter()
        .filter(|r| r.protocol == Oidc)
        .all(|r| r.instance_id.as_deref() == Some("oidc-2") && r.passed));
    // Passes of an instance that left the tester do not count: the tester shows it not run.
    org.instances[0].in_tester = true;
    let back = org.instances.len() - 1;
    org.instances[back].in_tester = false;
    let unmet = gate(&s, &org, &admin(), true);
    assert!(
        unmet
            .iter()
            .any(|u| u.field == "tests.current.oidc.IdpFlow"
                && u.message.contains("has not passed yet")),
        "{unmet:?}"
    );
    // No instance in the tester at all: the case says to add one.
    org.instances[0].in_tester = false;
    let unmet = gate(&s, &org, &admin(), true);
    assert!(
        unmet.iter().any(|u| u.field == "tests.current.oidc.IdpFlow"
            && u.message.contains("Add to Tester")),
        "{unmet:?}"
    );
}

#[test]
fn the_submit_page_counts_self_reported_results() {
    // Issue 11: results nobody observed are counted as self-reported; observed ones are not.
    let s = valid();
    let mut org = ready_org();
    let counted = submit::self_reported_results(&s, &org, now());
    assert_eq!(
        counted,
        submit::SelfReported {
            self_reported: 5,
            cases: 5
        }
    );
    for r in org.test_runs.iter_mut().filter(|r| r.instance_id == "saml") {
        r.source = RecordSource::Observed;
    }
    let counted = submit::self_reported_results(&s, &org, now());
    assert_eq!(
        counted,
        submit::SelfReported {
            self_reported: 2,
            cases: 5
        }
    );
}

#[test]
fn landing_rows() {
    // SPEC 2: "Test your integration" lands on the first incomplete page.
    type Edit = fn(&mut Submission);
    #[rustfmt::skip]
    let rows: &[(&str, Edit, Page, &str)] = &[
        ("complete",            |_| {}, Page::TestIntegration, ""),
        ("links don't block",   |s| s.scim_test_results = ScimTestResults::default(), Page::TestIntegration, ""),
        ("no protocols",        |s| s.protocols = Protocols::default(), Page::SelectProtocol, "protocols"),
        ("configure missing",   |s| s.saml.entity_id.clear(), Page::Configure, "saml.entityId"),
        ("test info missing",   |s| s.test_info.username.clear(), Page::TestInfo, "testInfo.username"),
        ("both: first wins",    |s| { s.test_info.username.clear(); s.catalog.logo = None; }, Page::Configure, "catalog.logo"),
        ("warnings don't stop", |s| { s.oidc.redirect_uris.push(s.oidc.redirect_uris[0].clone()); }, Page::TestIntegration, ""),
    ];
    for (name, edit, page, field) in rows {
        let mut s = valid();
        edit(&mut s);
        let landing = first_incomplete_page(&s, &StaticOnly);
        assert_eq!(landing.page, *page, "{name}");
        if field.is_empty() {
            assert!(landing.missing.is_empty(), "{name}");
            assert_eq!(landing.notice(), None, "{name}");
        } else {
            assert_eq!(landing.missing[0].field, *field, "{name}");
            let notice = landing.notice().unwrap_or_default();
            assert!(notice.starts_with("Testing needs protocols, configuration and test details complete. Still missing on this page: "), "{name}");
            assert!(notice.contains(&landing.missing[0].message), "{name}");
        }
    }
    let mut published = valid();
    published.status = Status::Published;
    assert_eq!(
        test_your_integration(&published, &StaticOnly),
        Err("This integration is read-only: choose Edit integration first".into())
    );
}

#[test]
fn pages_of_fields() {
    #[rustfmt::skip]
    let rows: &[(&str, Page)] = &[
        ("protocols", Page::SelectProtocol), ("catalog.displayName", Page::Configure),
        ("variables[0].name", Page::Configure), ("oidc.redirectUris[1]", Page::Configure),
        ("saml.otherAcsUrls[0].index", Page::Configure), ("scim.baseUrl", Page::Configure),
        ("testInfo.password", Page::TestInfo), ("testSettings.saml.flows", Page::TestInfo),
        ("scimTestResults.crudResultsUrl", Page::TestIntegration), ("instances.current.oidc", Page::TestIntegration),
        ("certified", Page::Submit), ("", Page::Submit),
    ];
    for (field, page) in rows {
        assert_eq!(Page::of_field(field), *page, "{field}");
    }
}

#[test]
fn expression_problems_reach_the_gate() {
    // SPEC 6 through the seam: an expression error blocks submitting, on the Configure page.
    let mut s = valid();
    s.oidc.redirect_uris = vec!["https://{BAD}.example.org".into()];
    let org = ready_org();
    let u = admin();
    let fake = FakeExpressions::default();
    let unmet = unmet_requirements(&SubmitContext {
        submission: &s,
        org: &org,
        user: &u,
        now: now(),
        certified: true,
        expressions: &fake,
        scim_runs: None,
    });
    assert_eq!(
        unmet,
        vec![UnmetRequirement {
            page: Page::Configure,
            field: "oidc.redirectUris[0]".into(),
            message: "Expression error: unexpected BAD".into(),
        }]
    );
}
