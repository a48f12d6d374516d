//! Table tests of `check`/`analyze`, `is_expression` and `variables`: each diagnostic with its
//! severity, kind, the exact text its span covers, and a hint.

use oin_wizard::expr::{
    analyze, check, is_expression, variables, CheckOptions, Dialect, FieldKind, Kind, Severity,
};
use std::collections::BTreeMap;

fn opts(
    field: FieldKind,
    known: &[&str],
    preview: &[(&str, &str)],
    added: &[&str],
) -> CheckOptions {
    CheckOptions {
        known_variables: Some(known.iter().map(|s| s.to_string()).collect()),
        field,
        preview: preview
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<BTreeMap<_, _>>(),
        added_since_published: added.iter().map(|s| s.to_string()).collect(),
    }
}

const URL: FieldKind = FieldKind::Url { allow_http: false };
const URL_HTTP: FieldKind = FieldKind::Url { allow_http: true };
const TEXT: FieldKind = FieldKind::Text;
const ATTR: FieldKind = FieldKind::SamlAttributeValue;

type Row = (
    Dialect,
    &'static str,
    FieldKind,
    &'static [(Severity, Kind, &'static str, &'static str)],
);

use Dialect::{Oidc, Saml, Scim};
use Kind::*;
use Severity::{Error as E, Warning as W};

/// (dialect, source, field, expected diagnostics: severity, kind, span text, message fragment).
/// Known variables: subdomain, region, companyId; preview: subdomain=acme, region=us;
/// companyId was added since the published version.
const ROWS: &[Row] = &[
    // clean values
    (Oidc, "https://{app.subdomain}.example.org/strawberry/login", URL, &[]),
    (Saml, "https://${org.subdomain}.example.org/strawberry/login", URL, &[]),
    (Scim, "'https://' + app.subdomain + '.example.org/scim2/'", URL, &[]),
    (Oidc, "https://static.example.com/cb", URL, &[]),
    (Oidc, "", URL, &[]),
    (Scim, "  ", URL, &[]),
    (Saml, "https://static.example.com/acs", URL, &[]),
    (Scim, "https://static.example.com/scim2", URL, &[]),
    (Oidc, "anything {app.region}", TEXT, &[]),
    // static URLs
    (Oidc, "http://static.example.com/cb", URL, &[(E, InvalidUrl, "http://static.example.com/cb", "Not a complete https URL: it must use https://")]),
    (Oidc, "http://static.example.com/cb", URL_HTTP, &[]),
    (Saml, "static.example.com/acs", URL, &[(E, InvalidUrl, "static.example.com/acs", "must start with https://")]),
    (Scim, "ftp://x.com", URL, &[(E, InvalidUrl, "ftp://x.com", "not ftp://")]),
    // unbalanced
    (Oidc, "https://{app.subdomain.example.org", URL, &[(E, Syntax, "{", "Unclosed `{`")]),
    (Saml, "https://${org.subdomain.example.org", URL, &[(E, Syntax, "${", "Unclosed `${`")]),
    (Oidc, "https://{(app.subdomain}.x.org", URL, &[(E, Syntax, "(", "Unclosed `(`")]),
    (Scim, "('https://' + app.subdomain", URL, &[(E, Syntax, "(", "Unclosed `(`")]),
    (Scim, "'https://' + app.subdomain + '.x.org", URL, &[(E, Syntax, "'", "Unclosed quote")]),
    (Oidc, "https://x.org/}", TEXT, &[(W, Syntax, "}", "Unmatched `}`")]),
    // unknown variables
    (Oidc, "https://{app.subdomian}.x.org", URL, &[(E, UnknownVariable, "app.subdomian", "Unknown variable `app.subdomian`")]),
    (Saml, "https://${org.tenant}.x.org", URL, &[(E, UnknownVariable, "org.tenant", "not one of the integration variables")]),
    (Scim, "'https://' + app.Subdomain + '.x.org'", URL, &[(E, UnknownVariable, "app.Subdomain", "Unknown variable")]),
    // wrong prefix
    (Oidc, "https://{org.subdomain}.x.org", URL, &[(E, WrongPrefix, "org.subdomain", "wrong prefix for OIDC")]),
    (Saml, "https://${app.subdomain}.x.org", URL, &[(E, WrongPrefix, "app.subdomain", "wrong prefix for SAML")]),
    (Scim, "'https://' + org.subdomain", URL, &[(E, WrongPrefix, "org.subdomain", "wrong prefix for SCIM")]),
    // functions
    (Oidc, "https://{String.toLower(app.subdomain)}.x.org", URL, &[(E, UnknownFunction, "String.toLower", "Unknown function")]),
    (Oidc, "https://{String.len()}.x.org", URL, &[(E, Arity, "String.len", "takes 1 argument, got 0")]),
    (Saml, "https://${String.toLowerCase(org.subdomain)}.x.org", URL, &[(E, WrongDialect, "String.toLowerCase", "not supported in SAML")]),
    (Oidc, "https://{fn:toLowerCase(app.subdomain)}.x.org", URL, &[(E, WrongDialect, "fn:toLowerCase", "SAML function")]),
    (Scim, "fn:toLowerCase(app.subdomain)", URL, &[(E, WrongDialect, "fn:toLowerCase", "SAML function")]),
    (Saml, "${fn:substring(org.subdomain, 0)}", TEXT, &[(E, Arity, "fn:substring", "takes 3 arguments, got 2")]),
    // SAML +
    (Saml, "${'https://' + org.subdomain + '.x.org'}", URL, &[(E, SamlPlus, "+", "`+` adds numbers"), (E, SamlPlus, "+", "`+` adds numbers")]),
    (Saml, "https://${org.subdomain + org.region}.x.org", URL, &[(E, Type, "org.subdomain", "text 'acme' is not a number"), (W, SamlPlus, "+", "fails unless both sides are numbers")]),
    (Saml, "${org.region + 1}", TEXT, &[(E, Type, "org.region", "not a number"), (W, SamlPlus, "+", "fails unless both sides are numbers")]),
    (Saml, "${'1' + 2}", TEXT, &[]),
    // preview URL check
    (Oidc, "https://{app.companyId}.x.org", URL, &[(W, InvalidUrl, "https://{app.companyId}.x.org", "With app.companyId empty the result `https://.x.org` is not a valid URL"), (W, BackwardsCompatibility, "https://{app.companyId}.x.org", "Existing instances")]),
    (Oidc, "https://{app.subdomain} .x.org", URL, &[(E, InvalidUrl, "https://{app.subdomain} .x.org", "With the preview values the result `https://acme .x.org` is not a valid URL: it contains a space")]),
    (Scim, "'https://' + app.region", URL, &[]),
    (Scim, "'http://' + app.region", URL, &[(E, InvalidUrl, "'http://' + app.region", "must use https://")]),
    (Scim, "'http://' + app.region", URL_HTTP, &[]),
    // backwards compatibility
    (Oidc, "https://{String.len(app.companyId) == 0 ? 'login.myapp.io' : 'login.myapp.io?connection=' + app.companyId}", URL, &[]),
    (Saml, "https://${empty org.companyId ? 'login.myapp.io' : 'login.myapp.io?connection=' += org.companyId}", URL, &[]),
    (Scim, "'https://' + app.companyId + '.x.org'", URL, &[(W, InvalidUrl, "'https://' + app.companyId + '.x.org'", "With app.companyId empty"), (W, BackwardsCompatibility, "'https://' + app.companyId + '.x.org'", "for them the result is `https://.x.org`")]),
    (Oidc, "https://x.org/{String.substring(app.companyId, 0, 2)}", URL, &[(W, Evaluation, "2", "out of range"), (W, BackwardsCompatibility, "2", "Existing instances don't have app.companyId yet")]),
    // evaluation errors with complete previews
    (Oidc, "https://x.org/{String.substring(app.region, 0, 5)}", URL, &[(E, Evaluation, "5", "out of range")]),
    (Saml, "${7 % 0}", TEXT, &[(E, Evaluation, "%", "Division by zero")]),
    // user references (SAML attribute statements)
    (Saml, "${user.userName}", ATTR, &[]),
    (Saml, "user.email", ATTR, &[]),
    (Saml, "appuser.department", ATTR, &[]),
    (Saml, "${fn:substringBefore(user.userName, '@')}@example.com", ATTR, &[]),
    (Saml, "${user.firstName} ${user.lastName}", ATTR, &[]),
    (Saml, "${user.profile.email}", ATTR, &[(E, UserReference, "user.profile.email", "not an accepted user reference")]),
    (Saml, "user.profile.email", ATTR, &[(E, UserReference, "user.profile.email", "not an accepted user reference")]),
    (Saml, " idpuser.email", ATTR, &[(E, UserReference, "idpuser.email", "not an accepted user reference")]),
    (Saml, "user", ATTR, &[(E, UserReference, "user", "not an accepted user reference")]),
    (Saml, "Sales", ATTR, &[]),
    (Saml, "${idpuser.email}", ATTR, &[(E, UserReference, "idpuser.email", "not an accepted user reference")]),
    (Saml, "${user.userName}", URL, &[(E, UserReference, "user.userName", "only available in attribute statements")]),
    (Oidc, "{user.email}", TEXT, &[(E, UserReference, "user.email", "not available in OIDC properties")]),
    // typos the public guide shows
    (Saml, "https://x.org/?connection={org.companyId}", URL, &[(E, InvalidUrl, "https://x.org/?connection={org.companyId}", "`{`"), (W, Syntax, "{", "kept as text: SAML expressions start with `${`")]),
    (Oidc, "https://${app.subdomain}.x.org", URL, &[(E, InvalidUrl, "https://${app.subdomain}.x.org", "contains `$`"), (W, Syntax, "$", "This `$` is kept as text")]),
    (Oidc, "https://`{app.subdomain}.x.org", URL, &[(E, InvalidUrl, "https://`{app.subdomain}.x.org", "contains `")]),
];

#[test]
fn check_rows() {
    let mut failures = Vec::new();
    for (dialect, source, field, expected) in ROWS {
        let o = opts(
            *field,
            &["subdomain", "region", "companyId"],
            &[("subdomain", "acme"), ("region", "us")],
            &["companyId"],
        );
        let got = check(*dialect, source, &o);
        let ok = got.len() == expected.len()
            && got
                .iter()
                .zip(expected.iter())
                .all(|(d, (sev, kind, span_text, msg))| {
                    d.severity == *sev
                        && d.kind == *kind
                        && (span_text.is_empty() || source.get(d.span.clone()) == Some(*span_text))
                        && d.message.contains(msg)
                });
        for d in &got {
            assert!(
                source.is_char_boundary(d.span.start)
                    && source.is_char_boundary(d.span.end)
                    && d.span.end <= source.len()
            );
            if d.severity == Severity::Error && d.kind != Kind::InvalidUrl {
                assert!(
                    d.hint.is_some() || d.kind == Kind::Evaluation,
                    "{source}: error without a hint: {d:?}"
                );
            }
        }
        if !ok {
            failures.push(format!(
                "{dialect:?} {source:?}:\n  expected {expected:?}\n  got {:?}",
                got.iter()
                    .map(|d| (
                        d.severity,
                        d.kind,
                        source.get(d.span.clone()).unwrap_or("?"),
                        d.message.as_str()
                    ))
                    .collect::<Vec<_>>()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} rows failed:\n{}",
        failures.len(),
        ROWS.len(),
        failures.join("\n")
    );
}

#[test]
fn hints_say_how_to_fix() {
    let o = opts(TEXT, &["subdomain"], &[], &[]);
    let hint = |d: Dialect, s: &str| {
        check(d, s, &o)
            .first()
            .and_then(|d| d.hint.clone())
            .unwrap_or_default()
    };
    assert_eq!(hint(Oidc, "{org.subdomain}"), "write `app.subdomain`");
    assert_eq!(hint(Saml, "${app.subdomain}"), "write `org.subdomain`");
    assert_eq!(
        hint(Saml, "${'a' + 'b'}"),
        "join texts with `+=`, e.g. 'https://' += org.subdomain"
    );
    assert_eq!(
        hint(Saml, "${String.len(org.subdomain)}"),
        "use fn:length(s)"
    );
    assert_eq!(
        hint(Oidc, "{fn:length(app.subdomain)}"),
        "use String.len(s)"
    );
    assert_eq!(
        hint(Oidc, "{app.subdomian}"),
        "add it under Integration variables, or use one of: app.subdomain"
    );
    assert_eq!(hint(Oidc, "{app.SubDomain}"), "did you mean app.subdomain?");
    assert_eq!(
        hint(Oidc, "{String.substring(app.subdomain, 1)}"),
        "String.substring(s, start, end)"
    );
}

#[test]
fn analyze_gives_preview_and_backwards_compatible_result() {
    let o = opts(
        URL,
        &["subdomain", "companyId"],
        &[("subdomain", "acme"), ("companyId", "c42")],
        &["companyId"],
    );
    let a = analyze(Oidc, "https://{app.subdomain}.x.org/{app.companyId}", &o);
    assert!(a.is_expression);
    assert_eq!(a.preview.as_deref(), Some("https://acme.x.org/c42"));
    assert_eq!(
        a.backwards_compatible.as_deref(),
        Some("https://acme.x.org/")
    );
    assert_eq!(a.variables, vec!["subdomain", "companyId"]);
    assert!(a.diagnostics.is_empty(), "{:?}", a.diagnostics);

    let a = analyze(Scim, "'https://' + app.companyId + '.x.org'", &o);
    assert_eq!(a.preview.as_deref(), Some("https://c42.x.org"));
    assert_eq!(a.backwards_compatible.as_deref(), Some("https://.x.org"));
    assert_eq!(a.diagnostics.len(), 1);
    assert_eq!(a.diagnostics[0].kind, Kind::BackwardsCompatibility);
    assert!(a.diagnostics[0]
        .hint
        .as_deref()
        .unwrap_or("")
        .contains("String.len(app.companyId) == 0"));

    let a = analyze(
        Saml,
        "https://${org.companyId}.x.org",
        &opts(URL, &["companyId"], &[("companyId", "c")], &["companyId"]),
    );
    assert!(a.diagnostics[0]
        .hint
        .as_deref()
        .unwrap_or("")
        .contains("empty org.companyId"));

    // Not using an added variable: no backwards-compatible result.
    let a = analyze(Oidc, "https://{app.subdomain}.x.org", &o);
    assert_eq!(a.backwards_compatible, None);
    // Syntax errors: no preview.
    let a = analyze(Oidc, "https://{app.subdomain", &o);
    assert_eq!(a.preview, None);
    assert!(a.has_errors());
    // Static values preview as themselves.
    let a = analyze(Saml, "https://x.org/\\${literal}", &o);
    assert!(!a.is_expression);
    assert_eq!(a.preview.as_deref(), Some("https://x.org/${literal}"));
    // Attribute values: plain user references.
    let mut o2 = opts(ATTR, &[], &[("user.email", "j@x.org")], &[]);
    let a = analyze(Saml, "user.email", &o2);
    assert_eq!(a.preview.as_deref(), Some("j@x.org"));
    assert!(a.is_expression);
    o2.known_variables = None;
    assert!(check(Saml, "${org.anything}", &o2).is_empty());
}

#[test]
fn is_expression_rows() {
    let rows: &[(Dialect, &str, bool)] = &[
        (Oidc, "https://x.org/cb", false),
        (Oidc, "https://{app.sub}.x.org", true),
        (Oidc, "https://{app.sub", true),
        (Oidc, "", false),
        (Oidc, "https://x.org/}", false),
        (Saml, "https://x.org/acs", false),
        (Saml, "https://${org.sub}.x.org", true),
        (Saml, "https://\\${org.sub}.x.org", false),
        (Saml, "https://{org.sub}.x.org", false),
        (Saml, "${", true),
        (Saml, "$", false),
        (Scim, "https://x.org/scim2", false),
        (Scim, "'https://' + app.sub", true),
        (Scim, "\"https://\" + app.sub", true),
        (Scim, "(app.a == '' ? 'x' : 'y')", true),
        (Scim, "app.baseUrl", true),
        (Scim, "String.toLowerCase(app.x)", true),
        (Scim, "  'x'", true),
        (Scim, "", false),
        (Scim, "{app.x}", true),
        (Scim, "!true", true),
        (Scim, "example.com/scim", false),
    ];
    for (d, s, want) in rows {
        assert_eq!(is_expression(*d, s), *want, "{d:?} {s:?}");
    }
}

#[test]
fn variables_rows() {
    let rows: &[(Dialect, &str, &[&str])] = &[
        (Oidc, "https://{app.a}.x.org/{app.b}?{app.a}", &["a", "b"]),
        (
            Oidc,
            "{String.len(app.companyId) == 0 ? 'x' : app.companyId}",
            &["companyId"],
        ),
        (Oidc, "{org.a}", &[]),
        (Oidc, "https://x.org", &[]),
        (Oidc, "{app.a} {app.b", &["a"]),
        (
            Saml,
            "${empty org.baseUrl ? 'https://x' : org.baseUrl}",
            &["baseUrl"],
        ),
        (Saml, "${fn:substringBefore(user.userName, '@')}", &[]),
        (Saml, "${app.a} ${org.b}", &["b"]),
        (
            Scim,
            "'https://' + app.sub + (app.region == 'us' ? 'a' : app.other)",
            &["sub", "region", "other"],
        ),
        (Scim, "https://x.org", &[]),
    ];
    for (d, s, want) in rows {
        assert_eq!(
            variables(*d, s),
            want.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            "{d:?} {s:?}"
        );
    }
}
