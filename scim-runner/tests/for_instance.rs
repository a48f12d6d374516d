//! A stored submission and SCIM instance become a run configuration through the domain's own
//! rules (no rule written twice).

use oin_scim_runner::{Auth, RunConfig};
use oin_wizard::domain::model::{
    Instance, InstanceDetails, Protocol, ScimAuthMode, ScimDetails, Submission, Variable,
};
use oin_wizard::expr::seam::ExpressionLanguage;

fn scim_submission() -> Submission {
    let mut s = Submission::default();
    s.protocols.scim = true;
    s.variables = vec![Variable {
        name: "subdomain".into(),
        ..Variable::default()
    }];
    s.scim.base_url = "'https://' + app.subdomain + '.example.com/scim/v2'".into();
    s.scim.user_operations.create = true;
    s.scim.user_operations.patch = true;
    s.scim.manage_groups = true;
    s.scim.oauth.token_endpoint = "'https://' + app.subdomain + '.example.com/oauth/token'".into();
    s.scim.oauth.client_id = "cid".into();
    s.scim.oauth.client_secret = "csecret".into();
    s
}

fn scim_instance(mode: ScimAuthMode, token: &str) -> Instance {
    let details = InstanceDetails {
        scim: Some(ScimDetails {
            base_url: "https://acme.example.com/scim/v2".into(),
            auth_mode: mode,
            api_integration_enabled: true,
            token: token.into(),
        }),
        ..InstanceDetails::default()
    };
    Instance {
        protocols: vec![Protocol::Scim],
        variable_values: [("subdomain".to_string(), "acme".to_string())].into(),
        details,
        ..Instance::default()
    }
}

#[test]
fn bearer_and_header_instances_use_their_token_and_the_declared_operations() {
    let c = RunConfig::for_instance(
        &scim_submission(),
        &scim_instance(ScimAuthMode::Bearer, "tok"),
        &ExpressionLanguage,
    )
    .expect("config");
    assert_eq!(c.base_url, "https://acme.example.com/scim/v2");
    assert_eq!(
        c.auth,
        Auth::Bearer {
            token: "tok".into()
        }
    );
    assert!(c.declared.users.create && c.declared.users.patch && !c.declared.users.deactivate);
    assert!(c.declared.groups.is_some());
    assert!(
        !c.allow_local,
        "local addresses only behind the server's explicit flag"
    );
    let c = RunConfig::for_instance(
        &scim_submission(),
        &scim_instance(ScimAuthMode::Header, "tok"),
        &ExpressionLanguage,
    )
    .expect("config");
    assert_eq!(
        c.auth,
        Auth::Header {
            token: "tok".into()
        }
    );
}

#[test]
fn oauth2_resolves_the_token_endpoint_with_the_instances_values() {
    let c = RunConfig::for_instance(
        &scim_submission(),
        &scim_instance(ScimAuthMode::Oauth2, ""),
        &ExpressionLanguage,
    )
    .expect("config");
    assert_eq!(
        c.auth,
        Auth::OAuth2ClientCredentials {
            token_endpoint: "https://acme.example.com/oauth/token".into(),
            client_id: "cid".into(),
            client_secret: "csecret".into(),
            scopes: String::new(),
        }
    );
}

#[test]
fn the_domains_rules_refuse_incomplete_instances() {
    let rows = [
        (
            scim_instance(ScimAuthMode::Bearer, ""),
            "Enter the API token your SCIM server expects",
        ),
        (
            scim_instance(ScimAuthMode::Basic, "tok"),
            "Basic authentication is not supported",
        ),
        (Instance::default(), "This instance does not serve SCIM"),
    ];
    for (instance, want) in rows {
        let err = RunConfig::for_instance(&scim_submission(), &instance, &ExpressionLanguage)
            .expect_err(want);
        assert!(err.starts_with(want), "{err}");
    }
    let mut http = scim_instance(ScimAuthMode::Bearer, "tok");
    if let Some(d) = http.details.scim.as_mut() {
        d.base_url = "http://acme.example.com/scim/v2".into();
    }
    let err =
        RunConfig::for_instance(&scim_submission(), &http, &ExpressionLanguage).expect_err("http");
    assert!(err.contains("https"), "{err}");
}

/// An http base URL passes only behind the server's `allow_local` flag; every other rule of
/// the domain still applies.
#[test]
fn http_base_urls_need_the_allow_local_flag() {
    let mut instance = scim_instance(ScimAuthMode::Bearer, "tok");
    if let Some(d) = instance.details.scim.as_mut() {
        d.base_url = "http://127.0.0.1:8080/scim/v2".into();
    }
    let refused = RunConfig::for_instance(&scim_submission(), &instance, &ExpressionLanguage)
        .expect_err("https only by default");
    assert!(refused.contains("https"), "{refused}");
    let c = RunConfig::for_instance_with(&scim_submission(), &instance, &ExpressionLanguage, true)
        .expect("allowed locally");
    assert_eq!(c.base_url, "http://127.0.0.1:8080/scim/v2");
    assert!(c.allow_local);
    if let Some(d) = instance.details.scim.as_mut() {
        d.token.clear();
    }
    let refused =
        RunConfig::for_instance_with(&scim_submission(), &instance, &ExpressionLanguage, true)
            .expect_err("a missing token is still refused");
    assert!(refused.contains("API token"), "{refused}");
}
