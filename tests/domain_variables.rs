//! SPEC 4.2, 7: integration variables and the migrated-published relaxations.
mod common;

use common::*;
use oin_wizard::domain::validation::{is_valid_variable_name, validate_configure};
use oin_wizard::domain::*;

type Edit = fn(&mut Submission);

fn var(label: &str, name: &str) -> Variable {
    Variable {
        label: label.into(),
        name: name.into(),
    }
}

/// A migrated published integration with 5 variables, one uppercase, being edited.
fn migrated() -> Submission {
    let mut s = editing_published();
    s.migrated = true;
    let vars = vec![
        var("A", "a"),
        var("B", "b"),
        var("C", "c"),
        var("D", "d"),
        var("Tenant", "TenantId"),
    ];
    if let Some(p) = s.published.as_mut() {
        p.submission.variables = vars.clone();
    }
    s.variables = vars;
    s
}

#[rustfmt::skip]
const ROWS: &[(&str, Edit, &str, Option<&str>)] = &[
    ("none",                 |s| s.variables.clear(), "variables", None),
    ("three",                |s| s.variables = vec![var("A", "a"), var("B", "b"), var("C", "c")], "variables", None),
    ("four",                 |s| s.variables = vec![var("A", "a"), var("B", "b"), var("C", "c"), var("D", "d")], "variables", Some("4 integration variables; the limit is 3. To change more than 3 variables, contact the catalog team")),
    ("label missing",        |s| s.variables = vec![var("", "a")], "variables[0].label", Some("Label is required")),
    ("name missing",         |s| s.variables = vec![var("A", " ")], "variables[0].name", Some("Name is required")),
    ("name ok digits _",     |s| s.variables = vec![var("A", "subdomain_div1")], "variables[0].name", None),
    ("name uppercase",       |s| s.variables = vec![var("A", "Subdomain")], "variables[0].name", Some("Name \"Subdomain\" must start with a lowercase letter and use only lowercase letters, digits and _")),
    ("name starts digit",    |s| s.variables = vec![var("A", "1st")], "variables[0].name", Some("must start with a lowercase letter")),
    ("name starts _",        |s| s.variables = vec![var("A", "_x")], "variables[0].name", Some("must start with a lowercase letter")),
    ("name hyphen",          |s| s.variables = vec![var("A", "sub-domain")], "variables[0].name", Some("must start with a lowercase letter")),
    ("name non-ascii",       |s| s.variables = vec![var("A", "café")], "variables[0].name", Some("must start with a lowercase letter")),
    ("name 1024",            |s| s.variables = vec![var("A", &"a".repeat(1024))], "variables[0].name", None),
    ("name 1025",            |s| s.variables = vec![var("A", &"a".repeat(1025))], "variables[0].name", Some("Name is 1025 characters; the limit is 1024")),
    ("name duplicate",       |s| s.variables = vec![var("A", "x"), var("B", "x")], "variables[1].name", Some("Name \"x\" is already used by another variable")),
    ("new on non-migrated published: uppercase", |s| { *s = editing_published(); s.variables = vec![var("A", "Sub")]; }, "variables[0].name", Some("must start with a lowercase letter")),
];

#[test]
fn variable_rows() {
    for (name, edit, field, expected) in ROWS {
        let mut s = valid();
        edit(&mut s);
        check_row(name, &validate_configure(&s, &StaticOnly), field, *expected);
    }
}

#[rustfmt::skip]
const MIGRATED_ROWS: &[(&str, Edit, &str, Option<&str>)] = &[
    // SPEC 4.2: keep more than 3 and uppercase names of a migrated published integration.
    ("kept 5 with uppercase",   |_| {}, "variables", None),
    ("kept uppercase name",     |_| {}, "variables[4].name", None),
    ("sixth variable",          |s| s.variables.push(var("E", "e")), "variables", Some("6 integration variables; the limit is 5 (this migrated integration had 5)")),
    ("new uppercase name",      |s| s.variables[0].name = "NewOne".into(), "variables[0].name", Some("must start with a lowercase letter")),
    ("not migrated: 5 refused", |s| s.migrated = false, "variables", Some("5 integration variables; the limit is 3")),
    ("not migrated: uppercase", |s| s.migrated = false, "variables[4].name", Some("must start with a lowercase letter")),
    // SPEC 4.2: http kept for migrated published integrations, with a warning.
    ("http redirect migrated",  |s| s.oidc.redirect_uris = vec!["http://example.org/cb".into()], "oidc.redirectUris[0]", None),
    ("http acs migrated",       |s| s.saml.default_acs_url = "http://example.org/acs".into(), "saml.defaultAcsUrl", None),
    ("http scim base migrated", |s| s.scim.base_url = "http://example.org/scim".into(), "scim.baseUrl", None),
    ("http redirect not migrated", |s| { s.migrated = false; s.oidc.redirect_uris = vec!["http://example.org/cb".into()]; }, "oidc.redirectUris[0]", Some("Redirect URI must use https://, not http://")),
    ("http guide migrated",     |s| s.oidc.config_guide_url = "http://example.org/guide".into(), "oidc.configGuideUrl", Some("must use https://")),
];

#[test]
fn migrated_rows() {
    for (name, edit, field, expected) in MIGRATED_ROWS {
        let mut s = migrated();
        edit(&mut s);
        check_row(name, &validate_configure(&s, &StaticOnly), field, *expected);
    }
}

#[test]
fn migrated_http_is_a_warning() {
    let mut s = migrated();
    s.oidc.redirect_uris = vec!["http://example.org/cb".into()];
    let problems = validate_configure(&s, &StaticOnly);
    assert_eq!(
        warnings_on(&problems, "oidc.redirectUris[0]"),
        vec!["Redirect URI uses http://; it is kept for this migrated integration, but https:// is safer"]
    );
}

#[test]
fn renaming_a_published_variable_warns() {
    // SPEC 4.2: renaming deletes the old variable: existing expressions break.
    let mut s = editing_published();
    s.variables[0].name = "sub_domain".into();
    let problems = validate_configure(&s, &StaticOnly);
    let warnings = warnings_on(&problems, "variables");
    assert_eq!(warnings.len(), 1, "{problems:?}");
    assert!(warnings[0].contains("Variable \"subdomain\" of the published version is gone"));
    // Unchanged: no warning.
    let problems = validate_configure(&editing_published(), &StaticOnly);
    assert!(warnings_on(&problems, "variables").is_empty());
}

#[test]
fn name_syntax_table() {
    #[rustfmt::skip]
    let rows: &[(&str, bool)] = &[
        ("a", true), ("subdomain_div1", true), ("a_", true), ("z9", true),
        ("", false), ("A", false), ("9a", false), ("_a", false), ("a-b", false), ("a b", false), ("ä", false),
    ];
    for (name, ok) in rows {
        assert_eq!(is_valid_variable_name(name), *ok, "{name}");
    }
}

#[test]
fn added_variables_reach_the_seam() {
    // SPEC 6: the seam gets the variables added since the published version.
    let mut s = editing_published();
    s.variables.push(var("Company", "company_id"));
    let fake = FakeExpressions::default();
    validate_configure(&s, &fake);
    let asked = fake.asked.borrow();
    assert!(!asked.is_empty());
    for (_, _, _, _, variables, added) in asked.iter() {
        assert_eq!(
            variables,
            &vec!["subdomain".to_string(), "company_id".to_string()]
        );
        assert_eq!(added, &vec!["company_id".to_string()]);
    }
}
