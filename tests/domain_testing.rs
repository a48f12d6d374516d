//! The org side of Test integration (SPEC 5.2–5.4): generating, updating, toggling and deleting
//! instances, the tester session and runs (JIT temporary users), the SCIM check, the export,
//! test users, the review decision and `configVersion`. The Expression Language is the real one.

mod common;

use std::collections::BTreeMap;

use chrono::Duration;
use common::*;
use oin_wizard::domain::api::{
    FinishRunRequest, GenerateInstanceRequest, ReviewRequest, StartRunRequest,
};
use oin_wizard::domain::instances::{eligibility, Eligibility, InstanceUpdate};
use oin_wizard::domain::testing::*;
use oin_wizard::domain::transitions::{review_request, save_edit};
use oin_wizard::domain::*;
use oin_wizard::expr::seam::ExpressionLanguage;

const EL: ExpressionLanguage = ExpressionLanguage;

fn secrets() -> NewSecrets {
    NewSecrets {
        client_id: "0oaCLIENT".into(),
        client_secret: "CLIENT-SECRET-42".into(),
        signing_certificate: String::new(),
    }
}

fn org() -> Org {
    Org {
        url: "https://org.example.com".into(),
        users: vec![admin()],
        ..Org::default()
    }
}

fn request(protocols: &[Protocol], label: &str, subdomain: &str) -> GenerateInstanceRequest {
    GenerateInstanceRequest {
        submission_id: "sub-1".into(),
        version: VersionKind::Current,
        protocols: protocols.to_vec(),
        label: label.into(),
        variable_values: BTreeMap::from([("subdomain".to_string(), subdomain.to_string())]),
    }
}

fn generate(org: &mut Org, s: &Submission, protocols: &[Protocol], id: &str) -> Instance {
    let r = generate_instance(
        org,
        s,
        &admin(),
        &request(protocols, &format!("Test {id}"), "acme"),
        id,
        &secrets(),
        now(),
        &EL,
    );
    match r {
        Ok(i) => i,
        Err(e) => panic!("generate {id}: {e}"),
    }
}

fn code<T: std::fmt::Debug>(r: Result<T, DomainError>) -> ErrorCode {
    match r {
        Ok(v) => panic!("expected a refusal, got {v:?}"),
        Err(e) => e.code,
    }
}

#[test]
fn generate_resolves_urls_with_the_instance_values_and_holds_secrets() {
    let s = valid();
    let mut o = org();
    let i = generate(&mut o, &s, &[Protocol::Oidc], "a");
    let oidc = i.details.oidc.clone().unwrap_or_default();
    assert_eq!(
        oidc.redirect_uris,
        vec!["https://acme.example.org/strawberry/login".to_string()]
    );
    assert_eq!(oidc.client_secret, "CLIENT-SECRET-42");
    assert_eq!(i.submission_version, s.instance_version());
    assert!(i.active && !i.in_tester);
    assert_eq!(i.assigned_users, vec![admin().id]);
    assert_eq!(o.instances.len(), 1);
    assert_eq!(eligibility(&s, &i), Eligibility::Current);
    // SCIM: base URL expression resolved; no token invented (the admin enters the vendor's).
    let scim = generate(&mut o, &s, &[Protocol::Scim], "b");
    let d = scim.details.scim.clone().unwrap_or_default();
    assert_eq!(d.base_url, "https://acme.example.org/scim2/");
    assert_eq!(d.token, "");
    // SAML: IdP details under the org URL.
    let saml = generate(&mut o, &s, &[Protocol::Saml], "c");
    let d = saml.details.saml.clone().unwrap_or_default();
    assert_eq!(
        d.metadata_url,
        "https://org.example.com/app/c/sso/saml/metadata"
    );
    assert!(d.force_authn);
    assert_eq!(d.acs_url, "https://acme.example.org/strawberry/saml");
}

#[test]
fn resolved_urls_flag_values_that_make_an_invalid_url() {
    let s = valid();
    let mut o = org();
    let mut i = generate(&mut o, &s, &[Protocol::Oidc], "a");
    assert!(resolved_urls(&s, &i, &EL)
        .iter()
        .all(|u| u.problem.is_none()));
    i.variable_values
        .insert("subdomain".into(), "bad host".into());
    let urls = resolved_urls(&s, &i, &EL);
    let redirect = urls.iter().find(|u| u.label == "Redirect URI 1");
    let Some(redirect) = redirect else {
        panic!("no redirect URI in {urls:?}")
    };
    assert_eq!(
        redirect.value,
        "https://bad host.example.org/strawberry/login"
    );
    assert!(
        redirect.problem.as_deref().unwrap_or("").contains("spaces"),
        "{redirect:?}"
    );
    // The static initiate login URI stays fine.
    assert!(urls
        .iter()
        .any(|u| u.label == "Initiate login URI" && u.problem.is_none()));
}

#[test]
fn generate_refusals() {
    let s = valid();
    // Roles.
    let mut o = org();
    let app_admin = user("dev@example.org", &[Role::AppAdmin]);
    let r = generate_instance(
        &mut o,
        &s,
        &app_admin,
        &request(&[Protocol::Oidc], "x", "a"),
        "x",
        &secrets(),
        now(),
        &EL,
    );
    assert_eq!(code(r), ErrorCode::Forbidden);
    // Label.
    let r = generate_instance(
        &mut o,
        &s,
        &admin(),
        &request(&[Protocol::Oidc], "  ", "a"),
        "x",
        &secrets(),
        now(),
        &EL,
    );
    assert_eq!(code(r), ErrorCode::Rejected);
    // Two SSO protocols on one instance.
    let r = generate_instance(
        &mut o,
        &s,
        &admin(),
        &request(&[Protocol::Oidc, Protocol::Saml], "x", "a"),
        "x",
        &secrets(),
        now(),
        &EL,
    );
    assert_eq!(code(r), ErrorCode::Rejected);
    // Published version of a never-published integration.
    let mut req = request(&[Protocol::Oidc], "x", "a");
    req.version = VersionKind::Published;
    let r = generate_instance(&mut o, &s, &admin(), &req, "x", &secrets(), now(), &EL);
    assert_eq!(code(r), ErrorCode::Rejected);
    // The 5-active limit, and switching one off makes room.
    for n in 0..5 {
        generate(&mut o, &s, &[Protocol::Oidc], &format!("i{n}"));
    }
    let r = generate_instance(
        &mut o,
        &s,
        &admin(),
        &request(&[Protocol::Oidc], "sixth", "a"),
        "i5",
        &secrets(),
        now(),
        &EL,
    );
    let Err(e) = r else {
        panic!("a sixth active instance was generated")
    };
    assert!(e.message.contains("limit is 5"), "{}", e.message);
    assert!(set_active(&mut o, &admin(), "i0", false).is_ok());
    generate(&mut o, &s, &[Protocol::Oidc], "i5");
    // Activating the inactive one again is refused at the limit.
    assert_eq!(
        code(set_active(&mut o, &admin(), "i0", true)),
        ErrorCode::Rejected
    );
    assert_eq!(
        code(set_active(&mut o, &admin(), "nope", true)),
        ErrorCode::NotFound
    );
}

#[test]
fn a_published_version_instance_while_editing() {
    let s = editing_published();
    let mut o = org();
    let mut req = request(&[Protocol::Oidc], "Old", "acme");
    req.version = VersionKind::Published;
    let i = generate_instance(&mut o, &s, &admin(), &req, "p", &secrets(), now(), &EL);
    let Ok(i) = i else { panic!("{i:?}") };
    assert!(i.from_published);
    assert_eq!(i.submission_version, 2);
    assert_eq!(eligibility(&s, &i), Eligibility::Published);
}

#[test]
fn update_removes_that_instances_results_resolves_again_and_keeps_secrets() {
    let s = valid();
    let mut o = org();
    generate(&mut o, &s, &[Protocol::Oidc], "a");
    generate(&mut o, &s, &[Protocol::Saml], "b");
    o.test_runs = vec![
        run(
            "a",
            TestCase::SpFlow,
            VersionKind::Current,
            RunResult::Passed,
            1,
        ),
        run(
            "b",
            TestCase::SpFlow,
            VersionKind::Current,
            RunResult::Passed,
            1,
        ),
    ];
    let update = InstanceUpdate {
        label: Some("Renamed".into()),
        variable_values: Some(BTreeMap::from([(
            "subdomain".to_string(),
            "beta".to_string(),
        )])),
        ..InstanceUpdate::default()
    };
    let r = update_instance(&mut o, &s, &admin(), "a", update, &EL);
    let Ok((i, removed)) = r else { panic!("{r:?}") };
    assert_eq!(removed, 1);
    assert_eq!(i.label, "Renamed");
    let oidc = i.details.oidc.clone().unwrap_or_default();
    assert_eq!(
        oidc.redirect_uris,
        vec!["https://beta.example.org/strawberry/login".to_string()]
    );
    assert_eq!(oidc.client_secret, "CLIENT-SECRET-42");
    assert_eq!(o.test_runs.len(), 1);
    assert_eq!(o.test_runs[0].instance_id, "b");
    // Assignments count as an update too.
    let r = update_instance(
        &mut o,
        &s,
        &admin(),
        "b",
        InstanceUpdate {
            assigned_groups: Some(vec!["g".into()]),
            ..InstanceUpdate::default()
        },
        &EL,
    );
    assert!(matches!(r, Ok((_, 1))), "{r:?}");
    assert_eq!(
        code(update_instance(
            &mut o,
            &s,
            &admin(),
            "zz",
            InstanceUpdate::default(),
            &EL
        )),
        ErrorCode::NotFound
    );
}

#[test]
fn only_inactive_instances_are_deleted_with_their_results() {
    let s = valid();
    let mut o = org();
    generate(&mut o, &s, &[Protocol::Oidc], "a");
    o.test_runs = vec![run(
        "a",
        TestCase::SpFlow,
        VersionKind::Current,
        RunResult::Passed,
        1,
    )];
    assert_eq!(
        code(delete_instance(&mut o, &admin(), "a")),
        ErrorCode::Rejected
    );
    assert!(set_active(&mut o, &admin(), "a", false).is_ok());
    assert!(delete_instance(&mut o, &admin(), "a").is_ok());
    assert!(o.instances.is_empty() && o.test_runs.is_empty());
}

#[test]
fn add_to_tester_takes_eligible_active_sso_instances_and_replaces_the_slot() {
    let s = valid();
    let mut o = org();
    generate(&mut o, &s, &[Protocol::Oidc], "a");
    generate(&mut o, &s, &[Protocol::Oidc], "b");
    generate(&mut o, &s, &[Protocol::Scim], "c");
    assert!(add_to_tester(&mut o, &s, &admin(), "a").is_ok());
    assert!(add_to_tester(&mut o, &s, &admin(), "b").is_ok());
    let in_tester: Vec<&str> = o
        .instances
        .iter()
        .filter(|i| i.in_tester)
        .map(|i| i.id.as_str())
        .collect();
    assert_eq!(in_tester, vec!["b"]);
    let Err(e) = add_to_tester(&mut o, &s, &admin(), "c") else {
        panic!("SCIM added")
    };
    assert!(e.message.contains("SCIM"));
    // Catalog text is no configuration: the instance stays eligible (SPEC 5.2, rerun only).
    let mut edited = s.clone();
    edited.catalog.description.push('!');
    let Ok(saved) = save_edit(&s, &edited, &admin(), now()) else {
        panic!()
    };
    assert!(add_to_tester(&mut o, &saved, &admin(), "a").is_ok());
    // After an edit of a protocol setting, the instance is no longer eligible.
    let mut edited = saved.clone();
    edited
        .oidc
        .redirect_uris
        .push("https://example.org/other".into());
    let Ok(saved) = save_edit(&saved, &edited, &admin(), now()) else {
        panic!()
    };
    let Err(e) = add_to_tester(&mut o, &saved, &admin(), "a") else {
        panic!("ineligible added")
    };
    assert!(e.message.contains("not eligible"), "{}", e.message);
}

fn tester_ready(s: &Submission) -> Org {
    let mut o = org();
    generate(&mut o, s, &[Protocol::Oidc], "a");
    generate(&mut o, s, &[Protocol::Saml], "b");
    assert!(add_to_tester(&mut o, s, &admin(), "a").is_ok());
    assert!(add_to_tester(&mut o, s, &admin(), "b").is_ok());
    o
}

fn start(
    o: &mut Org,
    s: &Submission,
    instance: &str,
    case: TestCase,
    id: &str,
) -> Result<TestRun, DomainError> {
    let req = StartRunRequest {
        instance_id: instance.into(),
        case,
        version: VersionKind::Current,
    };
    start_run(o, s, &admin(), &req, id, "Jit-Pa55-word", now())
}

#[test]
fn runs_need_a_live_tester_session_and_a_case_of_the_instance() {
    let s = valid();
    let mut o = tester_ready(&s);
    let Err(e) = start(&mut o, &s, "a", TestCase::SpFlow, "r1") else {
        panic!("ran without a session")
    };
    assert!(e.message.contains("Initialize Tester"));
    assert!(start_tester_session(&mut o, &admin(), "sess", now() - Duration::hours(9)).is_ok());
    let Err(e) = start(&mut o, &s, "a", TestCase::SpFlow, "r1") else {
        panic!("ran on an expired session")
    };
    assert!(e.message.contains("Refresh tester session"));
    assert!(start_tester_session(&mut o, &admin(), "sess", now()).is_ok());
    // OIDC here has JIT off: no JIT case.
    assert_eq!(
        code(start(&mut o, &s, "a", TestCase::JitWithIdp, "r1")),
        ErrorCode::Rejected
    );
    let r = start(&mut o, &s, "a", TestCase::SpFlow, "r1");
    let Ok(r) = r else { panic!("{r:?}") };
    assert_eq!(r.result, RunResult::InProgress);
    // The backend answers where the window signs in; the domain invents no HTTP exchange and
    // claims no observation: the run is the user's word until a backend observes one.
    assert_eq!(r.sign_in_url, "https://example.org/strawberry/sso");
    assert!(r.network.is_empty(), "{:?}", r.network);
    assert_eq!(r.source, RecordSource::SelfReported);
    // A failure needs a note; a finished run can't finish again.
    let fail = FinishRunRequest {
        passed: false,
        note: " ".into(),
    };
    assert_eq!(
        code(finish_run(&mut o, &admin(), "r1", &fail, now())),
        ErrorCode::Rejected
    );
    let pass = FinishRunRequest {
        passed: true,
        note: String::new(),
    };
    let Ok(done) = finish_run(&mut o, &admin(), "r1", &pass, now()) else {
        panic!()
    };
    assert_eq!(done.result, RunResult::Passed);
    assert_eq!(done.finished_at, Some(now()));
    assert!(done.network.is_empty(), "{:?}", done.network);
    assert_eq!(done.source, RecordSource::SelfReported);
    // The pass is recorded as what the user reported, not as something observed.
    let last = done.steps.last().cloned().unwrap_or_default();
    assert_eq!(last.source, RecordSource::SelfReported);
    assert!(
        last.description.starts_with("You reported: "),
        "{}",
        last.description
    );
    assert!(done
        .steps
        .iter()
        .all(|st| st.source == RecordSource::SelfReported
            || !st.description.contains("signed in to")));
    assert_eq!(
        code(finish_run(&mut o, &admin(), "r1", &pass, now())),
        ErrorCode::InvalidTransition
    );
    assert_eq!(
        code(finish_run(&mut o, &admin(), "zz", &pass, now())),
        ErrorCode::NotFound
    );
}

#[test]
fn a_jit_run_creates_a_temporary_user_and_removes_it_after_continue() {
    let s = valid(); // SAML: IdP + SP + JIT.
    let mut o = tester_ready(&s);
    assert!(start_tester_session(&mut o, &admin(), "sess", now()).is_ok());
    let users_before = o.users.len();
    let r = start(&mut o, &s, "b", TestCase::JitWithIdp, "run-jit-1");
    let Ok(r) = r else { panic!("{r:?}") };
    let Some(temp) = r.jit_user.clone() else {
        panic!("no temporary user")
    };
    // SPEC 5.3: the temporary user's credential is in the answer, once; never in the record,
    // the page's view or the export.
    assert_eq!(r.jit_password, "Jit-Pa55-word");
    assert!(o.test_runs.iter().all(|run| run.jit_password.is_empty()));
    let view = serde_json::to_string(&TestingView::of(&o, "sub-1")).unwrap_or_default();
    let export = serde_json::to_string(&export_results(&s, &o, now())).unwrap_or_default();
    assert!(!view.contains("Jit-Pa55-word") && !export.contains("Jit-Pa55-word"));
    let req = StartRunRequest {
        instance_id: "b".into(),
        case: TestCase::JitWithIdp,
        version: VersionKind::Current,
    };
    assert_eq!(
        code(start_run(&mut o, &s, &admin(), &req, "no-pw", " ", now())),
        ErrorCode::Rejected
    );
    assert_eq!(o.users.len(), users_before + 1);
    let b = o
        .instances
        .iter()
        .find(|i| i.id == "b")
        .cloned()
        .unwrap_or_default();
    assert!(b.assigned_users.contains(&temp.id));
    // The SAML IdP flow starts at the dashboard tile the backend gave the instance.
    assert_eq!(r.sign_in_url, "https://org.example.com/home/saml/b");
    assert!(r.network.is_empty(), "{:?}", r.network);
    // Creating the temporary user is the org's own action: recorded as observed.
    assert!(r
        .steps
        .iter()
        .any(|st| st.source == RecordSource::Observed && st.description.contains(&temp.email)));
    let fail = FinishRunRequest {
        passed: false,
        note: "Last name was empty".into(),
    };
    let Ok(done) = finish_run(&mut o, &admin(), "run-jit-1", &fail, now()) else {
        panic!()
    };
    assert_eq!(done.result, RunResult::Failed);
    assert_eq!(done.note, "Last name was empty");
    assert!(done.network.is_empty(), "{:?}", done.network);
    assert!(done
        .steps
        .iter()
        .any(|st| st.source == RecordSource::SelfReported
            && !st.ok
            && st.description == "You reported a failure: Last name was empty"));
    assert!(done
        .steps
        .iter()
        .any(|st| st.description.contains("stays there")));
    assert_eq!(o.users.len(), users_before);
    let b = o
        .instances
        .iter()
        .find(|i| i.id == "b")
        .cloned()
        .unwrap_or_default();
    assert!(!b.assigned_users.contains(&temp.id));
    // Only the JIT-permitted roles may run it.
    let app_admin = user("dev@example.org", &[Role::AppAdmin]);
    let req = StartRunRequest {
        instance_id: "b".into(),
        case: TestCase::JitWithIdp,
        version: VersionKind::Current,
    };
    assert_eq!(
        code(start_run(
            &mut o,
            &s,
            &app_admin,
            &req,
            "x",
            "Jit-Pa55-word",
            now()
        )),
        ErrorCode::Forbidden
    );
}

#[test]
fn sign_in_urls() {
    let s = valid();
    let mut o = org();
    let a = generate(&mut o, &s, &[Protocol::Oidc], "a");
    let c = generate(&mut o, &s, &[Protocol::Scim], "c");
    let b = generate(&mut o, &s, &[Protocol::Saml], "b");
    // OIDC's IdP flow: the org's tile of the instance, which goes on to the initiate login URI.
    let tile = format!("{}/home/oidc/{}", o.url, a.id);
    assert_eq!(
        a.details.oidc.as_ref().map(|d| d.idp_flow_url.clone()),
        Some(tile.clone())
    );
    assert_eq!(sign_in_url(&s, &a, TestCase::IdpFlow), Ok(tile));
    // An instance made before it had a tile starts at the initiate login URI.
    let mut old = a.clone();
    if let Some(d) = old.details.oidc.as_mut() {
        d.idp_flow_url.clear();
    }
    assert_eq!(
        sign_in_url(&s, &old, TestCase::IdpFlow),
        Ok("https://example.org/strawberry/start".into())
    );
    assert_eq!(
        sign_in_url(&s, &a, TestCase::SpFlow),
        Ok("https://example.org/strawberry/sso".into())
    );
    // SAML's IdP flow: the address the backend put in the instance's details, nothing else.
    let mut moved = b.clone();
    if let Some(d) = moved.details.saml.as_mut() {
        d.idp_flow_url = "https://idp.example.net/tile/b".into();
    }
    assert_eq!(
        sign_in_url(&s, &moved, TestCase::IdpFlow),
        Ok("https://idp.example.net/tile/b".into())
    );
    assert!(sign_in_url(&s, &c, TestCase::SpFlow).is_err());
}

#[test]
fn the_export_holds_runs_but_no_secret() {
    let s = valid();
    let mut o = tester_ready(&s);
    assert!(start_tester_session(&mut o, &admin(), "sess", now()).is_ok());
    generate(&mut o, &s, &[Protocol::Scim], "c");
    let token = InstanceUpdate {
        scim_token: Some("SCIM-TOKEN-42".into()),
        ..InstanceUpdate::default()
    };
    assert!(update_instance(&mut o, &s, &admin(), "c", token, &EL).is_ok());
    assert!(start(&mut o, &s, "a", TestCase::SpFlow, "r1").is_ok());
    let export = export_results(&s, &o, now());
    assert_eq!(export.runs.len(), 1);
    assert_eq!(export.instances.len(), 3);
    let text = serde_json::to_string(&export).unwrap_or_default();
    // Each run says it is self-reported, in the file too.
    assert!(text.contains("\"source\":\"selfReported\""), "{text}");
    assert!(!text.contains("\"network\":[{"), "{text}");
    for secret in ["CLIENT-SECRET-42", "SCIM-TOKEN-42", "s3cret-Pa55"] {
        assert!(!text.contains(secret), "{secret} in the export");
    }
    // The page's view is redacted too.
    let view = serde_json::to_string(&TestingView::of(&o, "sub-1")).unwrap_or_default();
    assert!(!view.contains("CLIENT-SECRET-42") && !view.contains("SCIM-TOKEN-42"));
}

#[test]
fn the_admin_enters_the_scim_token_the_vendor_expects() {
    // SPEC 5.2, issue 11: the org does not invent a SCIM token. The instance starts with API
    // integration off and no token; the admin enables it and enters the token the vendor's
    // SCIM server expects, which changes no test result.
    let s = valid();
    let mut o = org();
    let c = generate(&mut o, &s, &[Protocol::Scim], "c");
    let scim = c.details.scim.clone().unwrap_or_default();
    assert_eq!(scim.token, "");
    assert!(!scim.api_integration_enabled);
    let e = check_scim_credentials(&s, &c).err().map(|e| e.message);
    assert_eq!(
        e.as_deref(),
        Some("Enable API integration in the instance's provisioning settings first")
    );
    let update = InstanceUpdate {
        api_integration_enabled: Some(true),
        scim_token: Some(" vendor-issued-token ".into()),
        ..InstanceUpdate::default()
    };
    let r = update_instance(&mut o, &s, &admin(), "c", update, &EL);
    let Ok((c, removed)) = r else { panic!("{r:?}") };
    assert_eq!(removed, 0);
    let scim = c.details.scim.clone().unwrap_or_default();
    assert_eq!(scim.token, "vendor-issued-token");
    assert!(scim.api_integration_enabled);
    assert!(check_scim_credentials(&s, &c).is_ok());
    // The redacted placeholder sent back keeps the token; an OIDC instance has no SCIM token.
    let keep = InstanceUpdate {
        scim_token: Some(REDACTED.into()),
        ..InstanceUpdate::default()
    };
    let r = update_instance(&mut o, &s, &admin(), "c", keep, &EL);
    assert!(
        matches!(r, Ok((c, _)) if c.details.scim.as_ref().map(|d| d.token.as_str()) == Some("vendor-issued-token"))
    );
    let a = generate(&mut o, &s, &[Protocol::Oidc], "a");
    let token_for_oidc = InstanceUpdate {
        scim_token: Some("x".into()),
        ..InstanceUpdate::default()
    };
    assert_eq!(
        code(update_instance(
            &mut o,
            &s,
            &admin(),
            &a.id,
            token_for_oidc,
            &EL
        )),
        ErrorCode::Rejected
    );
}

#[test]
fn scim_credentials_check_the_settings() {
    let s = valid();
    let mut o = org();
    generate(&mut o, &s, &[Protocol::Scim], "c");
    let update = InstanceUpdate {
        api_integration_enabled: Some(true),
        scim_token: Some("SCIM-TOKEN-42".into()),
        ..InstanceUpdate::default()
    };
    let Ok((c, _)) = update_instance(&mut o, &s, &admin(), "c", update, &EL) else {
        panic!()
    };
    assert!(check_scim_credentials(&s, &c).is_ok());
    // Without a server no request is made: not run, which is neither passed nor failed.
    let answer = scim_check_without_server(&s, &c, EMBEDDED_SCIM_CHECK);
    assert!(answer.not_run && !answer.ok, "{answer:?}");
    assert!(
        answer.message.starts_with("No request was made"),
        "{}",
        answer.message
    );
    let mut no_token = c.clone();
    if let Some(d) = no_token.details.scim.as_mut() {
        d.token.clear();
    }
    assert!(check_scim_credentials(&s, &no_token).is_err());
    let answer = scim_check_without_server(&s, &no_token, EMBEDDED_SCIM_CHECK);
    assert!(!answer.not_run && !answer.ok, "{answer:?}");
    let a = generate(&mut o, &s, &[Protocol::Oidc], "a");
    assert!(check_scim_credentials(&s, &a).is_err());
}

#[test]
fn test_users() {
    let mut o = org();
    let new = User {
        email: "tess@example.org".into(),
        first_name: "Tess".into(),
        last_name: "Ter".into(),
        ..User::default()
    };
    let Ok(u) = create_test_user(&mut o, &admin(), new.clone(), "u9") else {
        panic!()
    };
    assert!(u.roles.is_empty());
    assert_eq!(
        code(create_test_user(&mut o, &admin(), new.clone(), "u10")),
        ErrorCode::Rejected
    );
    let app_admin = user("dev@example.org", &[Role::AppAdmin]);
    assert_eq!(
        code(create_test_user(&mut o, &app_admin, new, "u11")),
        ErrorCode::Forbidden
    );
}

#[test]
fn saving_only_the_scim_result_links_keeps_instances_eligible() {
    let s = valid();
    let i = instance("a", &[Protocol::Oidc], s.instance_version(), false);
    let mut links = s.clone();
    links.scim_test_results.crud_results_url = "https://example.org/crud-2".into();
    let Ok(saved) = save_edit(&s, &links, &admin(), now()) else {
        panic!()
    };
    assert_eq!(saved.version, s.version + 1);
    assert_eq!(eligibility(&saved, &i), Eligibility::Current);
    // Also when the store read the logo without its bytes (the embedded backend keeps them
    // apart): the SCIM links stay a links-only save.
    let mut stored_without_bytes = saved.clone();
    if let Some(logo) = stored_without_bytes.catalog.logo.as_mut() {
        logo.data.clear();
    }
    let mut links2 = saved.clone();
    links2.scim_test_results.spec_results_url = "https://example.org/spec-2".into();
    let Ok(saved_again) = save_edit(&stored_without_bytes, &links2, &admin(), now()) else {
        panic!()
    };
    assert_eq!(eligibility(&saved_again, &i), Eligibility::Current);
    let mut config = saved.clone();
    config
        .oidc
        .redirect_uris
        .push("https://example.org/other".into());
    let Ok(saved2) = save_edit(&saved, &config, &admin(), now()) else {
        panic!()
    };
    assert!(matches!(
        eligibility(&saved2, &i),
        Eligibility::Ineligible(_)
    ));
}

#[test]
fn review_decisions_by_the_catalog_team() {
    let mut s = valid();
    s.status = Status::OinToReview;
    let reviewer = user("reviewer@catalog.example", &[Role::CatalogReviewer]);
    let back = |note: &str, version| ReviewRequest {
        version,
        decision: ReviewDecision::ChangesRequested,
        note: note.into(),
    };
    assert_eq!(
        code(review_request(&s, &admin(), &back("fix", s.version), now())),
        ErrorCode::Forbidden
    );
    assert_eq!(
        code(review_request(&s, &reviewer, &back("  ", s.version), now())),
        ErrorCode::Rejected
    );
    assert_eq!(
        code(review_request(
            &s,
            &reviewer,
            &back("fix", s.version - 1),
            now()
        )),
        ErrorCode::Conflict
    );
    let Ok(returned) = review_request(&s, &reviewer, &back(" Fix the ACS URL ", s.version), now())
    else {
        panic!()
    };
    assert_eq!(returned.status, Status::IsvToReview);
    assert_eq!(returned.review_note, "Fix the ACS URL");
    // The vendor can't change the note by saving.
    let mut edited = returned.clone();
    edited.review_note = "nothing to see".into();
    let Ok(saved) = save_edit(&returned, &edited, &admin(), now()) else {
        panic!()
    };
    assert_eq!(saved.review_note, "Fix the ACS URL");
    // Publish.
    let publish = ReviewRequest {
        version: s.version,
        decision: ReviewDecision::Publish,
        note: String::new(),
    };
    let Ok(published) = review_request(&s, &reviewer, &publish, now()) else {
        panic!()
    };
    assert_eq!(published.status, Status::Published);
    assert_eq!(published.published.map(|p| p.version), Some(s.version));
}

#[test]
fn regenerate_replaces_an_outdated_instance_in_its_active_slot() {
    // SPEC 5.2, issue 11: five active instances, one made outdated by a redirect URI change.
    let s = valid();
    let mut o = tester_ready(&s);
    assert!(start_tester_session(&mut o, &admin(), "sess", now()).is_ok());
    assert!(start(&mut o, &s, "a", TestCase::SpFlow, "r1").is_ok());
    for id in ["c", "d", "e"] {
        generate(&mut o, &s, &[Protocol::Scim], id);
    }
    assert_eq!(o.instances.iter().filter(|i| i.active).count(), 5);
    // Up to date: regenerating is refused (a rerun is what it needs).
    assert_eq!(
        code(regenerate_instance(
            &mut o,
            &s,
            &admin(),
            "a",
            "a2",
            &secrets(),
            now(),
            &EL
        )),
        ErrorCode::Rejected
    );
    let mut edited = s.clone();
    edited.oidc.redirect_uris = vec!["https://{app.subdomain}.example.org/new-callback".into()];
    let Ok(saved) = save_edit(&s, &edited, &admin(), now()) else {
        panic!()
    };
    // At the limit, Generate is refused, but Regenerate takes the outdated one's place.
    assert!(generate_instance(
        &mut o,
        &saved,
        &admin(),
        &request(&[Protocol::Oidc], "Another", "acme"),
        "f",
        &secrets(),
        now(),
        &EL
    )
    .is_err());
    let r = regenerate_instance(&mut o, &saved, &admin(), "a", "a2", &secrets(), now(), &EL);
    let Ok(new) = r else { panic!("{r:?}") };
    assert_eq!(new.label, "Test a");
    assert!(new.active && !new.in_tester);
    assert_eq!(
        new.variable_values.get("subdomain").map(String::as_str),
        Some("acme")
    );
    assert_eq!(eligibility(&saved, &new), Eligibility::Current);
    let redirect = new.details.oidc.as_ref().map(|d| d.redirect_uris.clone());
    assert_eq!(
        redirect,
        Some(vec!["https://acme.example.org/new-callback".to_string()])
    );
    assert!(o.instances.iter().all(|i| i.id != "a"));
    assert!(o.test_runs.iter().all(|r| r.instance_id != "a"));
    assert_eq!(o.instances.iter().filter(|i| i.active).count(), 5);
    // Another integration's instance is not regenerated from this one.
    let mut other = saved.clone();
    other.id = "sub-2".into();
    assert_eq!(
        code(regenerate_instance(
            &mut o,
            &other,
            &admin(),
            "b",
            "b2",
            &secrets(),
            now(),
            &EL
        )),
        ErrorCode::Rejected
    );
    let app_admin = user("dev@example.org", &[Role::AppAdmin]);
    assert_eq!(
        code(regenerate_instance(
            &mut o,
            &saved,
            &app_admin,
            "b",
            "b2",
            &secrets(),
            now(),
            &EL
        )),
        ErrorCode::Forbidden
    );
}

#[test]
fn the_panel_shows_each_observed_record_once_in_order() {
    let at = chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap();
    let step = |d: &str, source| TestStep {
        at,
        description: d.into(),
        ok: true,
        source,
    };
    let net = |url: &str, status| NetworkRecord {
        at,
        method: "GET".into(),
        url: url.into(),
        status,
        summary: "Authorization request".into(),
    };
    let run = TestRun {
        steps: vec![
            step("Started the run", RecordSource::Observed),
            step("Redirect URI matches", RecordSource::Observed),
            step("Redirect URI matches", RecordSource::Observed),
            step("You reported: signed in", RecordSource::SelfReported),
            step("PKCE S256 verified", RecordSource::Observed),
        ],
        network: vec![
            net("https://org.example.com/oauth2/v1/authorize", 200),
            net("https://org.example.com/oauth2/v1/authorize", 200),
            net("https://org.example.com/oauth2/v1/authorize", 303),
        ],
        ..TestRun::default()
    };
    let (steps, network) = observed_so_far(&run);
    let words: Vec<&str> = steps.iter().map(|s| s.description.as_str()).collect();
    assert_eq!(
        words,
        [
            "Started the run",
            "Redirect URI matches",
            "PKCE S256 verified"
        ]
    );
    assert_eq!(
        network.iter().map(|n| n.status).collect::<Vec<_>>(),
        [200, 303]
    );
}
