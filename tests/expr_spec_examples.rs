//! Every example of SPEC section 6 as a golden test: source, variables, expected result.

use oin_wizard::expr::{evaluate, Dialect};
use std::collections::BTreeMap;

fn vars(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// (dialect, source, variables, expected)
/// (dialect, source, variables, expected)
type Golden = (
    Dialect,
    &'static str,
    &'static [(&'static str, &'static str)],
    &'static str,
);

pub const GOLDEN: &[Golden] = &[
    // OIDC redirect
    (Dialect::Oidc, "https://{app.subdomain}.example.org/strawberry/login", &[("subdomain", "berryfarm")], "https://berryfarm.example.org/strawberry/login"),
    (Dialect::Oidc, "https://{app.subdomain}.example.org/strawberry/login", &[], "https://.example.org/strawberry/login"),
    // OIDC conditional
    (Dialect::Oidc, "{String.stringContains(app.environment, 'PROD') ? 'https://app.data.one/' : 'https://app-sandbox.data.one/'}", &[("environment", "PROD-EU")], "https://app.data.one/"),
    (Dialect::Oidc, "{String.stringContains(app.environment, 'PROD') ? 'https://app.data.one/' : 'https://app-sandbox.data.one/'}", &[("environment", "dev")], "https://app-sandbox.data.one/"),
    (Dialect::Oidc, "{String.stringContains(app.environment, 'PROD') ? 'https://app.data.one/' : 'https://app-sandbox.data.one/'}", &[], "https://app-sandbox.data.one/"),
    // SAML ACS
    (Dialect::Saml, "https://${org.subdomain}.example.org/strawberry/login", &[("subdomain", "berryfarm")], "https://berryfarm.example.org/strawberry/login"),
    (Dialect::Saml, "${empty org.baseUrl ? 'https://app.mydomain.com' : org.baseUrl}", &[], "https://app.mydomain.com"),
    (Dialect::Saml, "${empty org.baseUrl ? 'https://app.mydomain.com' : org.baseUrl}", &[("baseUrl", "https://acme.mydomain.com")], "https://acme.mydomain.com"),
    (Dialect::Saml, "${fn:substringAfter(org.base_url, '//')}", &[("base_url", "https://acme.example.com")], "acme.example.com"),
    (Dialect::Saml, "${fn:substringAfter(org.base_url, '//')}", &[("base_url", "acme.example.com")], ""),
    (Dialect::Saml, "https://${fn:contains(org.environment, 'production') ? 'productiondomain.com' : 'previewdomain.com'}/sso/saml", &[("environment", "production")], "https://productiondomain.com/sso/saml"),
    (Dialect::Saml, "https://${fn:contains(org.environment, 'production') ? 'productiondomain.com' : 'previewdomain.com'}/sso/saml", &[("environment", "staging")], "https://previewdomain.com/sso/saml"),
    (Dialect::Saml, "https://${empty org.companyId ? 'login.myapp.io' : 'login.myapp.io?connection=' += org.companyId}", &[], "https://login.myapp.io"),
    (Dialect::Saml, "https://${empty org.companyId ? 'login.myapp.io' : 'login.myapp.io?connection=' += org.companyId}", &[("companyId", "acme")], "https://login.myapp.io?connection=acme"),
    (Dialect::Saml, "https://${fn:endsWith(org.site_url, 'host1.com') ? 'host1.com' : fn:endsWith(org.site_url, 'host2.com') ? 'host2.com' : '.host.com'}/sso/saml", &[("site_url", "a.host1.com")], "https://host1.com/sso/saml"),
    (Dialect::Saml, "https://${fn:endsWith(org.site_url, 'host1.com') ? 'host1.com' : fn:endsWith(org.site_url, 'host2.com') ? 'host2.com' : '.host.com'}/sso/saml", &[("site_url", "b.host2.com")], "https://host2.com/sso/saml"),
    (Dialect::Saml, "https://${fn:endsWith(org.site_url, 'host1.com') ? 'host1.com' : fn:endsWith(org.site_url, 'host2.com') ? 'host2.com' : '.host.com'}/sso/saml", &[("site_url", "other.org")], "https://.host.com/sso/saml"),
    (Dialect::Saml, "${fn:substringBefore(user.userName, '@')}@example.com", &[("user.userName", "jane.doe@acme.com")], "jane.doe@example.com"),
    // OIDC backwards compatible
    (Dialect::Oidc, "https://{String.len(app.companyId) == 0 ? 'login.myapp.io' : 'login.myapp.io?connection=' + app.companyId}", &[], "https://login.myapp.io"),
    (Dialect::Oidc, "https://{String.len(app.companyId) == 0 ? 'login.myapp.io' : 'login.myapp.io?connection=' + app.companyId}", &[("companyId", "acme")], "https://login.myapp.io?connection=acme"),
    // SCIM
    (Dialect::Scim, "'https://' + app.subdomain + '.example.org/strawberry/scim2/'", &[("subdomain", "berryfarm")], "https://berryfarm.example.org/strawberry/scim2/"),
    (Dialect::Scim, "'https://' + (app.region == 'us' ? 'myfruit' : 'myveggie') + '.example.com/strawberry/oauth/token'", &[("region", "us")], "https://myfruit.example.com/strawberry/oauth/token"),
    (Dialect::Scim, "'https://' + (app.region == 'us' ? 'myfruit' : 'myveggie') + '.example.com/strawberry/oauth/token'", &[("region", "eu")], "https://myveggie.example.com/strawberry/oauth/token"),
    (Dialect::Scim, "(String.len(app.baseUrl) == 0 ? 'https://fruit.example.com/scim2/' : app.baseUrl) + 'v1/oauth_token'", &[], "https://fruit.example.com/scim2/v1/oauth_token"),
    (Dialect::Scim, "(String.len(app.baseUrl) == 0 ? 'https://fruit.example.com/scim2/' : app.baseUrl) + 'v1/oauth_token'", &[("baseUrl", "https://acme.fruit.com/")], "https://acme.fruit.com/v1/oauth_token"),
    (Dialect::Scim, "'https://fruits.example.com/scim2/myapp' + (String.len(app.companyId) == 0 ? '/' : '?connection=' + app.companyId)", &[], "https://fruits.example.com/scim2/myapp/"),
    (Dialect::Scim, "'https://fruits.example.com/scim2/myapp' + (String.len(app.companyId) == 0 ? '/' : '?connection=' + app.companyId)", &[("companyId", "acme")], "https://fruits.example.com/scim2/myapp?connection=acme"),
    (Dialect::Scim, "(String.stringContains(app.environment,\"PROD\") ? 'https://fruit.example.com' : 'https://fruit-sandbox.example.com') + '/v1/oauth2/token'", &[("environment", "PROD")], "https://fruit.example.com/v1/oauth2/token"),
    (Dialect::Scim, "(String.stringContains(app.environment,\"PROD\") ? 'https://fruit.example.com' : 'https://fruit-sandbox.example.com') + '/v1/oauth2/token'", &[], "https://fruit-sandbox.example.com/v1/oauth2/token"),
    // SPEC 4.5 base URL example
    (Dialect::Scim, "'https://' + app.subdomain + '.example.com/scim2/'", &[("subdomain", "acme")], "https://acme.example.com/scim2/"),
    // A variable may hold a whole URL
    (Dialect::Oidc, "{app.baseURL}", &[("baseURL", "https://acme.example.com/cb")], "https://acme.example.com/cb"),
    (Dialect::Saml, "${org.baseURL}", &[("baseURL", "https://acme.example.com/acs")], "https://acme.example.com/acs"),
    (Dialect::Scim, "app.baseURL", &[("baseURL", "https://acme.example.com/scim2")], "https://acme.example.com/scim2"),
    // Documented String.* results
    (Dialect::Oidc, "{String.substring(\"This is a test\", 2, 9)}", &[], "is is a"),
    (Dialect::Oidc, "{String.substringAfter(\"abc@okta.com\", \"@\")}", &[], "okta.com"),
    (Dialect::Oidc, "{String.stringSwitch(\"First match wins\", \"default\", \"absent\", \"value1\", \"wins\", \"value2\", \"match\", \"value3\")}", &[], "value2"),
    (Dialect::Scim, "String.substring(\"This is a test\", 2, 9)", &[], "is is a"),
    (Dialect::Scim, "String.substringAfter(\"abc@okta.com\", \"@\")", &[], "okta.com"),
    (Dialect::Scim, "String.stringSwitch(\"First match wins\", \"default\", \"absent\", \"value1\", \"wins\", \"value2\", \"match\", \"value3\")", &[], "value2"),
    // Unset variables are "": empty is true, String.len is 0, == '' is true
    (Dialect::Saml, "${empty org.unset}", &[], "true"),
    (Dialect::Saml, "${org.unset == ''}", &[], "true"),
    (Dialect::Oidc, "{String.len(app.unset)}", &[], "0"),
    (Dialect::Oidc, "{app.unset == ''}", &[], "true"),
    (Dialect::Scim, "String.len(app.unset) == 0", &[], "true"),
];

#[test]
fn every_spec_example_evaluates_as_documented() {
    for (dialect, source, vs, expected) in GOLDEN {
        let got = evaluate(*dialect, source, &vars(vs));
        assert_eq!(
            got.as_deref().map_err(|e| e.to_string()),
            Ok(*expected),
            "{dialect:?} {source} with {vs:?}"
        );
    }
}

#[test]
fn the_library_examples_evaluate_as_documented() {
    use oin_wizard::expr::SPEC_EXAMPLES;
    assert_eq!(SPEC_EXAMPLES.len(), 18);
    for ex in SPEC_EXAMPLES {
        let got = evaluate(ex.dialect, ex.source, &vars(ex.vars));
        assert_eq!(
            got.as_deref().map_err(|e| e.to_string()),
            Ok(ex.expected),
            "{:?} {}",
            ex.dialect,
            ex.source
        );
    }
}
