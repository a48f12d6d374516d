//! The fixtures themselves satisfy every rule (so each failing row changes one thing).
mod common;

use common::*;
use oin_wizard::domain::validation::{validate, validate_page};
use oin_wizard::domain::StaticOnly;

#[test]
fn valid_fixture_has_no_problems() {
    let problems = validate(&valid(), &StaticOnly);
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn editing_published_fixture_has_no_errors() {
    let problems = validate(&editing_published(), &StaticOnly);
    assert!(errors_on(&problems, "").is_empty(), "{problems:?}");
}

#[test]
fn test_integration_page_checks_scim_links() {
    use oin_wizard::domain::Page;
    let mut s = valid();
    s.scim_test_results.spec_results_url = "javascript:alert(1)".into();
    let problems = validate_page(Page::TestIntegration, &s, &StaticOnly);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].field, "scimTestResults.specResultsUrl");
    assert!(problems[0].message.contains("not a javascript URL"));
    assert!(validate_page(Page::Submit, &s, &StaticOnly).is_empty());
}

#[test]
fn static_only_markers() {
    use oin_wizard::domain::expressions::looks_like_expression;
    use oin_wizard::expr::Dialect::{Oidc, Saml, Scim};
    // SPEC 6: where the expression is, per dialect.
    #[rustfmt::skip]
    let rows: &[(oin_wizard::expr::Dialect, &str, bool)] = &[
        (Oidc, "https://{app.subdomain}.example.org/login", true),
        (Oidc, "https://example.org/login", false),
        (Saml, "https://${org.subdomain}.example.org/acs", true),
        (Saml, "https://{org.subdomain}.example.org/acs", false),
        (Saml, "https://example.org/acs", false),
        (Scim, "'https://' + app.subdomain + '.example.org/scim2/'", true),
        (Scim, "app.baseUrl", true),
        (Scim, "(String.len(app.baseUrl) == 0 ? 'https://a.example/' : app.baseUrl) + 'v1'", true),
        (Scim, "https://app.example.com/scim/v2", false),
        (Scim, "https://myapp.example.com/scim/v2", false),
    ];
    for (dialect, value, expected) in rows {
        assert_eq!(
            looks_like_expression(*dialect, value),
            *expected,
            "{dialect:?} {value}"
        );
    }
}
