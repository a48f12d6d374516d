//! Who may sign in: assignment (directly or by group) and the JIT temporary user's lifecycle,
//! driven by the domain's own start_run/finish_run (SPEC 5.2, 5.3).

mod common;
#[path = "../../tests/common/mod.rs"]
mod fixtures;

use fixtures::{admin, now, valid};
use oin_idp::assignment::{group_names, is_assigned, run_in_progress, sign_in_user};
use oin_idp::check::Verdict;
use oin_wizard::domain::api::{FinishRunRequest, GenerateInstanceRequest, StartRunRequest};
use oin_wizard::domain::testing::*;
use oin_wizard::domain::*;
use oin_wizard::expr::seam::ExpressionLanguage;

fn org_with_saml_instance() -> (Org, Submission) {
    let s = valid(); // SAML: IdP + SP + JIT.
    let mut org = Org {
        url: "https://org.example.com".into(),
        users: vec![admin()],
        ..Org::default()
    };
    let request = GenerateInstanceRequest {
        submission_id: "sub-1".into(),
        version: VersionKind::Current,
        protocols: vec![Protocol::Saml],
        label: "Test b".into(),
        variable_values: [("subdomain".to_string(), "acme".to_string())].into(),
    };
    let secrets = NewSecrets {
        client_id: String::new(),
        client_secret: String::new(),
        signing_certificate: String::new(),
    };
    generate_instance(
        &mut org,
        &s,
        &admin(),
        &request,
        "b",
        &secrets,
        now(),
        &ExpressionLanguage,
    )
    .expect("generate");
    add_to_tester(&mut org, &s, &admin(), "b").expect("tester");
    start_tester_session(&mut org, &admin(), "sess", now()).expect("session");
    (org, s)
}

#[test]
fn a_jit_user_signs_in_only_while_its_run_is_in_progress() {
    let (mut org, s) = org_with_saml_instance();
    let req = StartRunRequest {
        instance_id: "b".into(),
        case: TestCase::JitWithIdp,
        version: VersionKind::Current,
    };
    let run = start_run(
        &mut org,
        &s,
        &admin(),
        &req,
        "run-jit-1",
        "Jit-Pa55-1",
        now(),
    )
    .expect("started");
    let temp = run.jit_user.clone().expect("temporary user");

    let live = run_in_progress(&org, "run-jit-1", "b")
        .expect("in progress")
        .clone();
    let (who, check) = sign_in_user(&org, "b", &temp.email.to_uppercase(), Some(&live));
    assert_eq!(who.expect("signs in").id, temp.id);
    assert_eq!(check.verdict, Verdict::Pass);
    // The admin is assigned too (generate assigns its creator), but this run is about JIT.
    let (who, _) = sign_in_user(&org, "b", &admin().email, Some(&live));
    assert!(who
        .expect_err("not the temporary user")
        .contains("temporary user"));
    assert!(run_in_progress(&org, "run-jit-1", "other").is_err());

    let done = FinishRunRequest {
        passed: true,
        note: String::new(),
    };
    finish_run(&mut org, &admin(), "run-jit-1", &done, now()).expect("finished");
    assert!(run_in_progress(&org, "run-jit-1", "b")
        .expect_err("ended")
        .contains("has ended"));
    let (who, check) = sign_in_user(&org, "b", &temp.email, None);
    assert!(who.expect_err("deleted").starts_with("No user"));
    assert_eq!(check.verdict, Verdict::Fail);
}

#[test]
fn assignment_directly_or_through_a_group() {
    let (mut org, _) = org_with_saml_instance();
    let member = User {
        id: "u2".into(),
        email: "grace@vendor.example".into(),
        ..User::default()
    };
    org.users.push(member.clone());
    let instance = org.instances[0].clone();
    assert!(
        is_assigned(&org, &instance, &admin().id),
        "the creator is assigned"
    );
    assert!(!is_assigned(&org, &instance, "u2"));
    let (who, check) = sign_in_user(&org, "b", "grace@vendor.example", None);
    assert!(who.expect_err("unassigned").contains("is not assigned"));
    assert_eq!(check.verdict, Verdict::Fail);
    org.groups.push(Group {
        id: "g1".into(),
        name: "oin-testers".into(),
        user_ids: vec!["u2".into()],
    });
    org.instances[0].assigned_groups.push("g1".into());
    assert!(sign_in_user(&org, "b", "grace@vendor.example", None)
        .0
        .is_ok());
    assert_eq!(group_names(&org, "u2"), ["oin-testers"]);
    org.instances[0].active = false;
    assert!(sign_in_user(&org, "b", "grace@vendor.example", None)
        .0
        .expect_err("inactive")
        .contains("inactive"));
    assert!(sign_in_user(&org, "zz", "grace@vendor.example", None)
        .0
        .is_err());
}

/// The JIT journey through the core: Run test creates the temporary user, the IdP signs it in
/// and issues a SAML Response that @node-saml/node-saml accepts with the user's names and
/// email; after Continue the same user cannot sign in.
#[test]
fn jit_with_saml_through_the_core() {
    use oin_idp::saml::*;
    let (mut org, s) = org_with_saml_instance();
    let req = StartRunRequest {
        instance_id: "b".into(),
        case: TestCase::JitWithIdp,
        version: VersionKind::Current,
    };
    let run = start_run(
        &mut org,
        &s,
        &admin(),
        &req,
        "run-jit-2",
        "Jit-Pa55-2",
        now(),
    )
    .expect("started");
    let temp = run.jit_user.clone().expect("temporary user");
    let instance = org
        .instances
        .iter()
        .find(|i| i.id == "b")
        .cloned()
        .expect("instance");
    let sp = ServiceProvider::resolve(&s, &instance).expect("resolves");
    let idp = IdentityProvider::of_instance(&instance).expect("saml details");
    let (request, _) = idp_initiated(&sp);
    let live = run_in_progress(&org, "run-jit-2", "b")
        .expect("live")
        .clone();
    let user = sign_in_user(&org, "b", &temp.email, Some(&live))
        .0
        .expect("signs in")
        .clone();
    let saml_user = SamlUser::of_user(&user, group_names(&org, &user.id));
    let clock: chrono::DateTime<chrono::Utc> = std::time::SystemTime::now().into();
    let key = common::test_key();
    let cert = key
        .self_signed_certificate("OIN test IdP", clock, clock + chrono::Duration::days(1))
        .expect("cert");
    let input = ResponseInput {
        response_id: "_r9",
        assertion_id: "_a9",
        now: clock,
        auth_instant: clock,
        user: &saml_user,
    };
    let signed = respond(
        &idp,
        &sp,
        &request,
        &input,
        Signer {
            key: &key,
            certificate: &cert,
        },
    )
    .expect("signed");

    let dir = common::temp_dir("jit-saml");
    let node_dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/node");
    assert!(
        node_dir.join("node_modules/@node-saml/node-saml").is_dir(),
        "run `npm ci` in idp/tests/node (./dev setup does)"
    );
    std::fs::write(dir.join("response.xml"), &signed.xml).expect("write");
    std::fs::write(dir.join("cert.pem"), cert.pem()).expect("write");
    let job = serde_json::json!({
        "issuer": sp.entity_id, "callbackUrl": sp.default_acs_url, "entryPoint": idp.sso_url,
        "idpIssuer": idp.entity_id, "certFile": dir.join("cert.pem"), "responseFile": dir.join("response.xml"),
        "inResponseTo": null,
    });
    std::fs::write(dir.join("job.json"), job.to_string()).expect("write");
    let out = std::process::Command::new("node")
        .arg(node_dir.join("saml.mjs"))
        .arg("validate")
        .arg(dir.join("job.json"))
        .output()
        .expect("node");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["ok"], true, "{v}");
    assert_eq!(v["profile"]["nameID"], temp.email.as_str());
    // The submission's attribute statement `email = ${user.email}`.
    assert_eq!(v["profile"]["email"], temp.email.as_str());

    let done = FinishRunRequest {
        passed: true,
        note: String::new(),
    };
    finish_run(&mut org, &admin(), "run-jit-2", &done, now()).expect("finished");
    assert!(
        sign_in_user(&org, "b", &temp.email, None).0.is_err(),
        "deleted: cannot sign in afterwards"
    );
}
