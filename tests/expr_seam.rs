//! The Expression Language behind the domain's seam: expression problems reach the domain's
//! validation with the field path, and valid SPEC 6 expressions pass.

mod common;

use oin_wizard::domain::validation::validate_configure;
use oin_wizard::domain::{Problem, Severity};
use oin_wizard::expr::ExpressionLanguage;

fn on(problems: &[Problem], field: &str) -> Vec<(Severity, String)> {
    problems
        .iter()
        .filter(|p| p.field == field)
        .map(|p| (p.severity, p.message.clone()))
        .collect()
}

#[test]
fn the_valid_fixture_has_no_expression_problems() {
    let s = common::valid();
    let problems = validate_configure(&s, &ExpressionLanguage);
    let errors: Vec<&Problem> = problems.iter().filter(|p| p.is_error()).collect();
    assert!(errors.is_empty(), "{errors:?}");
}

/// (field, value set on it, expected message fragment, severity) — SPEC 6.
#[test]
fn expression_problems_land_on_their_fields() {
    type Edit = fn(&mut oin_wizard::domain::Submission, &str);
    let rows: &[(&str, Edit, &str, &str, Severity)] = &[
        (
            "oidc.redirectUris[0]",
            |s, v| s.oidc.redirect_uris[0] = v.into(),
            "https://{app.tenant}.example.org/cb",
            "tenant",
            Severity::Error,
        ),
        (
            "oidc.redirectUris[0]",
            |s, v| s.oidc.redirect_uris[0] = v.into(),
            "https://{org.subdomain}.example.org/cb",
            "app.",
            Severity::Error,
        ),
        (
            "saml.defaultAcsUrl",
            |s, v| s.saml.default_acs_url = v.into(),
            "https://${app.subdomain}.example.org/acs",
            "org.",
            Severity::Error,
        ),
        (
            "saml.defaultAcsUrl",
            |s, v| s.saml.default_acs_url = v.into(),
            "${'https://' + org.subdomain}",
            "+=",
            Severity::Error,
        ),
        (
            "saml.defaultAcsUrl",
            |s, v| s.saml.default_acs_url = v.into(),
            "https://${String.toUpperCase(org.subdomain)}.x.org",
            "fn:",
            Severity::Error,
        ),
        (
            "scim.baseUrl",
            |s, v| s.scim.base_url = v.into(),
            "'https://' + app.subdomain + '.example.org/scim2/",
            "",
            Severity::Error,
        ),
        (
            "oidc.redirectUris[0]",
            |s, v| s.oidc.redirect_uris[0] = v.into(),
            "{app.subdomain}",
            "URL",
            Severity::Error,
        ),
    ];
    for (field, edit, value, fragment, severity) in rows {
        let mut s = common::valid();
        edit(&mut s, value);
        let found = on(&validate_configure(&s, &ExpressionLanguage), field);
        assert!(
            found
                .iter()
                .any(|(sev, m)| sev == severity && m.contains(fragment)),
            "{field} = {value}: expected a {severity:?} containing {fragment:?}, got {found:?}"
        );
    }
}

#[test]
fn a_static_value_is_not_an_expression() {
    use oin_wizard::domain::Expressions;
    use oin_wizard::expr::Dialect;
    let e = ExpressionLanguage;
    assert!(!e.is_expression(Dialect::Scim, "https://app.example.com/scim/v2/"));
    assert!(e.is_expression(Dialect::Scim, "'https://' + app.subdomain"));
    assert!(e.is_expression(Dialect::Oidc, "https://{app.x}.example.com"));
    assert!(!e.is_expression(Dialect::Saml, "https://example.com/acs"));
}
