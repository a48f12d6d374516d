//! The examples SPEC section 6 gives, with variables and their documented results: golden
//! tests, the benchmark's workload, and help text the UI may show.

use super::Dialect;

/// One documented example: evaluating `source` with `vars` gives `expected`.
#[derive(Clone, Copy, Debug)]
pub struct Example {
    pub dialect: Dialect,
    pub source: &'static str,
    pub vars: &'static [(&'static str, &'static str)],
    pub expected: &'static str,
}

const fn ex(
    dialect: Dialect,
    source: &'static str,
    vars: &'static [(&'static str, &'static str)],
    expected: &'static str,
) -> Example {
    Example {
        dialect,
        source,
        vars,
        expected,
    }
}

use Dialect::{Oidc, Saml, Scim};

/// Every expression of SPEC 6, one row each (with values that exercise it).
pub const SPEC_EXAMPLES: &[Example] = &[
    ex(Oidc, "https://{app.subdomain}.example.org/strawberry/login", &[("subdomain", "berryfarm")], "https://berryfarm.example.org/strawberry/login"),
    ex(Oidc, "{String.stringContains(app.environment, 'PROD') ? 'https://app.data.one/' : 'https://app-sandbox.data.one/'}", &[("environment", "PROD")], "https://app.data.one/"),
    ex(Saml, "https://${org.subdomain}.example.org/strawberry/login", &[("subdomain", "berryfarm")], "https://berryfarm.example.org/strawberry/login"),
    ex(Saml, "${empty org.baseUrl ? 'https://app.mydomain.com' : org.baseUrl}", &[], "https://app.mydomain.com"),
    ex(Saml, "${fn:substringAfter(org.base_url, '//')}", &[("base_url", "https://acme.example.com")], "acme.example.com"),
    ex(Saml, "https://${fn:contains(org.environment, 'production') ? 'productiondomain.com' : 'previewdomain.com'}/sso/saml", &[("environment", "production")], "https://productiondomain.com/sso/saml"),
    ex(Saml, "https://${empty org.companyId ? 'login.myapp.io' : 'login.myapp.io?connection=' += org.companyId}", &[("companyId", "acme")], "https://login.myapp.io?connection=acme"),
    ex(Saml, "https://${fn:endsWith(org.site_url, 'host1.com') ? 'host1.com' : fn:endsWith(org.site_url, 'host2.com') ? 'host2.com' : '.host.com'}/sso/saml", &[("site_url", "a.host2.com")], "https://host2.com/sso/saml"),
    ex(Saml, "${fn:substringBefore(user.userName, '@')}@example.com", &[("user.userName", "jane.doe@acme.com")], "jane.doe@example.com"),
    ex(Oidc, "https://{String.len(app.companyId) == 0 ? 'login.myapp.io' : 'login.myapp.io?connection=' + app.companyId}", &[], "https://login.myapp.io"),
    ex(Scim, "'https://' + app.subdomain + '.example.org/strawberry/scim2/'", &[("subdomain", "berryfarm")], "https://berryfarm.example.org/strawberry/scim2/"),
    ex(Scim, "'https://' + (app.region == 'us' ? 'myfruit' : 'myveggie') + '.example.com/strawberry/oauth/token'", &[("region", "us")], "https://myfruit.example.com/strawberry/oauth/token"),
    ex(Scim, "(String.len(app.baseUrl) == 0 ? 'https://fruit.example.com/scim2/' : app.baseUrl) + 'v1/oauth_token'", &[], "https://fruit.example.com/scim2/v1/oauth_token"),
    ex(Scim, "'https://fruits.example.com/scim2/myapp' + (String.len(app.companyId) == 0 ? '/' : '?connection=' + app.companyId)", &[("companyId", "acme")], "https://fruits.example.com/scim2/myapp?connection=acme"),
    ex(Scim, "(String.stringContains(app.environment,\"PROD\") ? 'https://fruit.example.com' : 'https://fruit-sandbox.example.com') + '/v1/oauth2/token'", &[("environment", "PROD")], "https://fruit.example.com/v1/oauth2/token"),
    ex(Oidc, "{String.substring(\"This is a test\", 2, 9)}", &[], "is is a"),
    ex(Oidc, "{String.substringAfter(\"abc@okta.com\", \"@\")}", &[], "okta.com"),
    ex(Oidc, "{String.stringSwitch(\"First match wins\", \"default\", \"absent\", \"value1\", \"wins\", \"value2\", \"match\", \"value3\")}", &[], "value2"),
];
