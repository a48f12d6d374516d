//! SPEC 5.2, 5.3: required instances, combined SSO+SCIM, active limit, eligibility, test
//! cases, 48-hour validity, what updating an instance invalidates.
mod common;

use chrono::Duration;
use common::*;
use oin_wizard::domain::instances::*;
use oin_wizard::domain::*;

use Protocol::{Oidc, Saml, Scim};
use TestCase::{IdpFlow, JitWithIdp, JitWithSp, SpFlow};

#[test]
fn test_case_rows() {
    // SPEC 5.3: (idp, sp, jit) → cases. JIT with SP only when SP is the only flow; with all
    // three, JIT with IdP is sufficient.
    #[rustfmt::skip]
    let rows: &[(bool, bool, bool, &[TestCase])] = &[
        (true,  false, false, &[IdpFlow]),
        (false, true,  false, &[SpFlow]),
        (true,  true,  false, &[IdpFlow, SpFlow]),
        (true,  false, true,  &[IdpFlow, JitWithIdp]),
        (false, true,  true,  &[SpFlow, JitWithSp]),
        (true,  true,  true,  &[IdpFlow, SpFlow, JitWithIdp]),
        (false, false, true,  &[]),
        (false, false, false, &[]),
    ];
    for (idp, sp, jit, expected) in rows {
        assert_eq!(
            test_cases(Flows { idp: *idp, sp: *sp }, *jit),
            expected.to_vec(),
            "idp={idp} sp={sp} jit={jit}"
        );
    }
}

#[test]
fn oidc_flow_rows() {
    // SPEC 5.1: OIDC SP always; IdP exactly when an initiate login URI exists.
    let mut s = valid();
    assert_eq!(
        supported_flows(&s, Oidc),
        Flows {
            idp: true,
            sp: true
        }
    );
    s.oidc.initiate_login_uri = "  ".into();
    assert_eq!(
        supported_flows(&s, Oidc),
        Flows {
            idp: false,
            sp: true
        }
    );
    assert_eq!(test_cases_for(&s, Oidc), vec![SpFlow]);
    s.test_settings.oidc.jit = Some(true);
    assert_eq!(test_cases_for(&s, Oidc), vec![SpFlow, JitWithSp]);
    assert_eq!(test_cases_for(&s, Scim), vec![]);
    s.protocols.oidc = false;
    assert_eq!(test_cases_for(&s, Oidc), vec![]);
}

fn sso_scim(sso: Protocol, jit: bool, create: bool) -> Submission {
    let mut s = valid();
    s.protocols = Protocols {
        oidc: sso == Oidc,
        saml: sso == Saml,
        scim: true,
    };
    s.test_settings.oidc.jit = Some(jit);
    s.test_settings.saml.jit = Some(jit);
    s.scim.user_operations.create = create;
    s
}

#[test]
fn combined_instance_rows() {
    // SPEC 5.2: one instance for SSO and SCIM only with SCIM + exactly one SSO, no JIT, Create on.
    #[rustfmt::skip]
    let rows: &[(&str, Submission, Option<Protocol>)] = &[
        ("oidc+scim, no jit, create", sso_scim(Oidc, false, true), Some(Oidc)),
        ("saml+scim, no jit, create", sso_scim(Saml, false, true), Some(Saml)),
        ("jit",                       sso_scim(Oidc, true, true), None),
        ("no create",                 sso_scim(Oidc, false, false), None),
        ("two sso",                   valid(), None),
        ("no scim",                   { let mut s = sso_scim(Oidc, false, true); s.protocols.scim = false; s }, None),
    ];
    for (name, s, expected) in rows {
        assert_eq!(combinable_sso(s), *expected, "{name}");
    }
    let s = sso_scim(Oidc, false, true);
    assert_eq!(check_instance_protocols(&s, &[Oidc, Scim]), Ok(()));
    assert_eq!(check_instance_protocols(&s, &[Scim]), Ok(()));
    let refused = check_instance_protocols(&sso_scim(Oidc, true, true), &[Oidc, Scim]);
    assert!(refused.is_err_and(|m| m.starts_with("One instance may serve SSO and SCIM only when")));
    let two_sso = check_instance_protocols(&valid(), &[Oidc, Saml]);
    assert_eq!(
        two_sso,
        Err("Each SSO protocol needs its own instance".into())
    );
    assert_eq!(
        check_instance_protocols(&s, &[Saml]),
        Err("This submission does not support SAML 2.0".into())
    );
    assert_eq!(
        check_instance_protocols(&s, &[]),
        Err("Choose the protocol this instance is for".into())
    );
}

#[test]
fn required_instance_rows() {
    let current = |p| RequiredInstance {
        version: VersionKind::Current,
        protocol: p,
    };
    let published = |p| RequiredInstance {
        version: VersionKind::Published,
        protocol: p,
    };
    assert_eq!(
        required_instances(&valid()),
        vec![current(Oidc), current(Saml), current(Scim)]
    );
    // SPEC 5.2: editing a published one also needs the published version's instances.
    let mut s = editing_published();
    s.protocols.saml = false;
    assert_eq!(
        required_instances(&s),
        vec![
            current(Oidc),
            current(Scim),
            published(Oidc),
            published(Saml),
            published(Scim)
        ]
    );
    // Published and not being edited: nothing extra.
    let mut p = editing_published();
    p.status = Status::Published;
    assert_eq!(required_instances(&p).len(), 3);
}

#[test]
fn eligibility_rows() {
    let s = editing_published(); // current version 3, published version 2
    #[rustfmt::skip]
    let rows: &[(&str, Instance, Eligibility)] = &[
        ("latest version",          instance("a", &[Oidc], 3, false), Eligibility::Current),
        ("older version",           instance("b", &[Oidc], 1, false), Eligibility::Ineligible("Generated from version 1; the integration was edited since (now version 3): generate a new instance".into())),
        // Generated before publishing from the version that got published: it serves the
        // published version's tests once the integration is edited (SPEC 5.2).
        ("the version published",   instance("f", &[Oidc], 2, false), Eligibility::Published),
        ("published version",       instance("c", &[Oidc], 2, true),  Eligibility::Published),
        ("older published version", instance("d", &[Oidc], 1, true),  Eligibility::Ineligible("Generated from an older published version".into())),
        ("other submission",        Instance { submission_id: "other".into(), ..instance("e", &[Oidc], 3, false) }, Eligibility::Ineligible("Generated from another integration".into())),
    ];
    for (name, i, expected) in rows {
        assert_eq!(&eligibility(&s, i), expected, "{name}");
    }
    // Any later edit makes a current instance ineligible.
    let mut edited = s.clone();
    edited.version = 4;
    assert!(matches!(
        eligibility(&edited, &instance("a", &[Oidc], 3, false)),
        Eligibility::Ineligible(_)
    ));
}

#[test]
fn detection_prefers_active_and_respects_combined_rule() {
    let s = sso_scim(Oidc, false, true);
    let mut inactive = instance("old", &[Oidc], 3, false);
    inactive.active = false;
    let combined = instance("combo", &[Oidc, Scim], 3, false);
    let found = detect(&s, &[inactive.clone(), combined.clone()]);
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].instance_id.as_deref(), Some("combo"));
    assert!(found[0].active);
    assert_eq!(found[1].instance_id.as_deref(), Some("combo"));
    // With JIT the combined instance doesn't serve.
    let jit = sso_scim(Oidc, true, true);
    let found = detect(&jit, &[combined]);
    assert!(found.iter().all(|d| d.instance_id.is_none()));
    // Only an inactive one: detected but inactive.
    let found = detect(&s, &[inactive]);
    assert_eq!(found[0].instance_id.as_deref(), Some("old"));
    assert!(!found[0].active);
}

#[test]
fn active_limit_rows() {
    // SPEC 5.2: at most 5 active instances.
    let make = |active: usize, inactive: usize| -> Vec<Instance> {
        (0..active + inactive)
            .map(|n| Instance {
                active: n < active,
                ..instance(&format!("i{n}"), &[Oidc], 3, false)
            })
            .collect()
    };
    #[rustfmt::skip]
    let rows: &[(usize, usize, Option<&str>)] = &[
        (0, 0, None), (4, 3, None),
        (5, 0, Some("5 instances are active; the limit is 5. Deactivate an instance you don't use (Clear filter shows them all) to generate another")),
        (6, 1, Some("6 instances are active; the limit is 5")),
    ];
    for (active, inactive, expected) in rows {
        let got = can_generate(&make(*active, *inactive));
        match expected {
            None => assert_eq!(got, Ok(()), "{active}"),
            Some(text) => assert!(got.is_err_and(|m| m.starts_with(text)), "{active}"),
        }
    }
    let five = make(5, 1);
    assert!(can_activate(&five, "i5").is_err());
    assert_eq!(can_activate(&five, "i0"), Ok(()));
    assert_eq!(can_activate(&make(4, 1), "i4"), Ok(()));
    assert!(can_activate(&five, "nope").is_err());
}

#[test]
fn delete_and_tester_rows() {
    let s = valid();
    let active = instance("a", &[Oidc], 3, false);
    let inactive = Instance {
        active: false,
        ..active.clone()
    };
    assert_eq!(can_delete(&inactive), Ok(()));
    assert_eq!(
        can_delete(&active),
        Err("Instance \"Test a\" is active: switch ACTIVE off before deleting it".into())
    );
    // SPEC 5.3: Add to Tester only for active, eligible SSO instances.
    assert_eq!(can_add_to_tester(&s, &active), Ok(()));
    assert_eq!(
        can_add_to_tester(&s, &inactive),
        Err("Instance \"Test a\" is inactive: switch ACTIVE on first".into())
    );
    assert_eq!(
        can_add_to_tester(&s, &instance("s", &[Scim], 3, false)),
        Err("The tester only tests SSO: SCIM instances cannot be added".into())
    );
    assert!(can_add_to_tester(&s, &instance("o", &[Oidc], 2, false))
        .is_err_and(|m| m.contains("is not eligible: Generated from version 2")));
    assert_eq!(
        can_add_to_tester(&s, &instance("c", &[Saml, Scim], 3, false)),
        Ok(())
    );
}

#[test]
fn validity_rows() {
    // SPEC 5.3: a pass is valid 48 hours.
    #[rustfmt::skip]
    let rows: &[(RunResult, i64, RunValidity)] = &[
        (RunResult::Passed, 1,  RunValidity::Valid { remaining: Duration::hours(47) }),
        (RunResult::Passed, 47, RunValidity::Valid { remaining: Duration::hours(1) }),
        (RunResult::Passed, 48, RunValidity::Expired),
        (RunResult::Passed, 100, RunValidity::Expired),
        (RunResult::Failed, 1,  RunValidity::Failed),
        (RunResult::InProgress, 0, RunValidity::InProgress),
    ];
    for (result, ago, expected) in rows {
        let r = run("a", IdpFlow, VersionKind::Current, *result, *ago);
        assert_eq!(run_validity(&r, now()), *expected, "{result:?} {ago}h");
    }
}

#[test]
fn updating_an_instance_removes_its_results() {
    // SPEC 5.2: Update instance details invalidates that instance's earlier results.
    let mut org = Org {
        instances: vec![
            instance("a", &[Oidc], 3, false),
            instance("b", &[Saml], 3, false),
        ],
        test_runs: vec![
            run("a", IdpFlow, VersionKind::Current, RunResult::Passed, 1),
            run("a", SpFlow, VersionKind::Current, RunResult::Passed, 1),
            run("b", IdpFlow, VersionKind::Current, RunResult::Passed, 1),
        ],
        ..Org::default()
    };
    let update = InstanceUpdate {
        label: Some("Renamed".into()),
        ..InstanceUpdate::default()
    };
    let removed = org.update_instance("a", update);
    assert_eq!(removed.map(|r| r.len()), Ok(2));
    assert_eq!(org.test_runs.len(), 1);
    assert_eq!(org.instances[0].label, "Renamed");
    let blank = InstanceUpdate {
        label: Some(" ".into()),
        ..InstanceUpdate::default()
    };
    assert_eq!(
        org.update_instance("b", blank),
        Err("Application label is required".into())
    );
    assert_eq!(org.test_runs.len(), 1);
    assert!(org
        .update_instance("zzz", InstanceUpdate::default())
        .is_err());
    // SPEC 5.3: Remove from Tester clears results too.
    assert_eq!(org.remove_from_tester("b").len(), 1);
    assert!(org.test_runs.is_empty());
}

#[test]
fn tester_session_rows() {
    let mut org = Org::default();
    assert_eq!(org.tester_state(now()), TesterState::NotInitialized);
    org.tester_session = Some(TesterSession {
        id: "t".into(),
        started_at: hours_ago(2),
        expires_at: hours_ago(-1),
    });
    assert_eq!(org.tester_state(now()), TesterState::Active);
    org.tester_session = Some(TesterSession {
        id: "t".into(),
        started_at: hours_ago(2),
        expires_at: hours_ago(1),
    });
    assert_eq!(org.tester_state(now()), TesterState::Expired);
}

#[test]
fn only_protocol_settings_and_variables_make_instances_outdated() {
    // SPEC 5.2, issue 11: regenerate when a protocol setting or a variable changed; catalog
    // text, the logo, the test account and the SCIM result links need at most a rerun.
    use oin_wizard::domain::transitions::save_edit;
    type Edit = fn(&mut Submission);
    #[rustfmt::skip]
    let rows: &[(&str, Edit, bool)] = &[
        ("description",      |s| s.catalog.description = "Another description.".into(), false),
        ("display name",     |s| s.catalog.display_name = "Renamed".into(), false),
        ("logo",             |s| s.catalog.logo = Some(logo(png(200, 200))), false),
        ("use cases",        |s| s.catalog.use_cases.clear(), false),
        ("test account",     |s| s.test_info.username = "other@example.org".into(), false),
        ("test password",    |s| s.test_info.password = "An0ther-Pa55".into(), false),
        ("instructions",     |s| s.test_info.instructions = "Ask for the VPN.".into(), false),
        ("scim links",       |s| s.scim_test_results.crud_results_url = "https://example.org/crud-9".into(), false),
        ("preview values",   |s| { s.preview_values.insert("subdomain".into(), "other".into()); }, false),
        ("redirect uri",     |s| s.oidc.redirect_uris.push("https://example.org/other".into()), true),
        ("acs url",          |s| s.saml.default_acs_url = "https://example.org/acs-2".into(), true),
        ("scim base url",    |s| s.scim.base_url = "https://example.org/scim3/".into(), true),
        ("variable",         |s| s.variables[0].name = "tenant".into(), true),
        ("protocols",        |s| s.protocols.saml = false, true),
    ];
    for (name, edit, outdated) in rows {
        let s = valid();
        let i = instance("a", &[Oidc], s.instance_version(), false);
        let mut edited = s.clone();
        edit(&mut edited);
        let saved = match save_edit(&s, &edited, &admin(), now()) {
            Ok(saved) => saved,
            Err(e) => panic!("{name}: {e}"),
        };
        let e = eligibility(&saved, &i);
        assert_eq!(
            matches!(e, Eligibility::Ineligible(_)),
            *outdated,
            "{name}: {e:?}"
        );
    }
}
