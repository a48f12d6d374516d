//! SPEC 4.3–4.5, 5.1: OIDC, SAML and SCIM properties and test settings. One row per case.
mod common;

use common::*;
use oin_wizard::domain::validation::{
    parse_acs_index, split_values, validate_configure, validate_test_info,
};
use oin_wizard::domain::*;

type Edit = fn(&mut Submission);

#[rustfmt::skip]
const CONFIGURE_ROWS: &[(&str, Edit, &str, Option<&str>)] = &[
    // SPEC 4.3: OIDC.
    ("oidc redirect static ok",  |s| s.oidc.redirect_uris = vec!["https://example.org/cb".into()], "oidc.redirectUris[0]", None),
    ("oidc redirect none",       |s| s.oidc.redirect_uris.clear(), "oidc.redirectUris", Some("At least one redirect URI is required")),
    ("oidc redirect blank only", |s| s.oidc.redirect_uris = vec!["".into()], "oidc.redirectUris", Some("At least one redirect URI is required")),
    ("oidc redirect blank row",  |s| s.oidc.redirect_uris.push(" ".into()), "oidc.redirectUris[1]", Some("Redirect URI is required")),
    ("oidc redirect http",       |s| s.oidc.redirect_uris = vec!["http://example.org/cb".into()], "oidc.redirectUris[0]", Some("Redirect URI must use https://, not http://")),
    ("oidc redirect relative",   |s| s.oidc.redirect_uris = vec!["/cb".into()], "oidc.redirectUris[0]", Some("Redirect URI \"/cb\" is not a complete URL")),
    ("oidc redirect 1024",       |s| s.oidc.redirect_uris = vec![format!("https://example.org/{}", "a".repeat(1004))], "oidc.redirectUris[0]", None),
    ("oidc redirect 1025",       |s| s.oidc.redirect_uris = vec![format!("https://example.org/{}", "a".repeat(1005))], "oidc.redirectUris[0]", Some("Redirect URI is 1025 characters; the limit is 1024")),
    ("oidc redirect expr 1025",  |s| s.oidc.redirect_uris = vec![format!("https://{{app.subdomain}}.example.org/{}", "a".repeat(989))], "oidc.redirectUris[0]", Some("Redirect URI is 1025 characters; the limit is 1024")),
    ("oidc redirect expression", |s| s.oidc.redirect_uris = vec!["{app.baseUrl}".into()], "oidc.redirectUris[0]", None),
    ("oidc redirect bad expr",   |s| s.oidc.redirect_uris = vec!["https://{BAD}".into()], "oidc.redirectUris[0]", Some("Expression error")),
    ("oidc initiate optional",   |s| s.oidc.initiate_login_uri.clear(), "oidc.initiateLoginUri", None),
    ("oidc initiate javascript", |s| s.oidc.initiate_login_uri = "javascript:go()".into(), "oidc.initiateLoginUri", Some("Initiate login URI must be an https:// address, not a javascript URL")),
    ("oidc post-logout ok",      |s| s.oidc.post_logout_uris = vec!["https://example.org/bye".into()], "oidc.postLogoutUris[0]", None),
    ("oidc post-logout creds",   |s| s.oidc.post_logout_uris = vec!["https://a:b@example.org/bye".into()], "oidc.postLogoutUris[0]", Some("must not contain a user name or password")),
    ("oidc guide missing",       |s| s.oidc.config_guide_url.clear(), "oidc.configGuideUrl", Some("Configuration guide URL is required")),
    ("oidc guide expression",    |s| s.oidc.config_guide_url = "https://{app.subdomain}.example.org".into(), "oidc.configGuideUrl", Some("Configuration guide URL must be a static URL; expressions are not allowed here")),
    ("oidc off: not checked",    |s| { s.protocols.oidc = false; s.oidc.redirect_uris.clear(); }, "oidc.redirectUris", None),
    // SPEC 4.4: SAML.
    ("saml acs missing",         |s| s.saml.default_acs_url.clear(), "saml.defaultAcsUrl", Some("Default ACS URL is required")),
    ("saml acs static ok",       |s| s.saml.default_acs_url = "https://example.org/acs".into(), "saml.defaultAcsUrl", None),
    ("saml acs http",            |s| s.saml.default_acs_url = "http://example.org/acs".into(), "saml.defaultAcsUrl", Some("Default ACS URL must use https://")),
    ("saml acs no scheme",       |s| s.saml.default_acs_url = "example.org/acs".into(), "saml.defaultAcsUrl", Some("is not a complete URL")),
    ("saml acs expr any form",   |s| s.saml.default_acs_url = "${empty org.baseUrl ? 'https://app.mydomain.com' : org.baseUrl}".into(), "saml.defaultAcsUrl", None),
    ("saml acs oidc-style braces", |s| s.saml.default_acs_url = "https://{org.subdomain}.example.org".into(), "saml.defaultAcsUrl", Some("Default ACS URL has an invalid host name")),
    ("saml acs 1025",            |s| s.saml.default_acs_url = format!("https://example.org/{}", "a".repeat(1005)), "saml.defaultAcsUrl", Some("Default ACS URL is 1025 characters; the limit is 1024")),
    ("saml other acs url empty", |s| s.saml.other_acs_urls[0].url.clear(), "saml.otherAcsUrls[0].url", Some("ACS URL is required")),
    ("saml index empty",         |s| s.saml.other_acs_urls[0].index.clear(), "saml.otherAcsUrls[0].index", Some("Index is required")),
    ("saml index 0",             |s| s.saml.other_acs_urls[0].index = "0".into(), "saml.otherAcsUrls[0].index", None),
    ("saml index 65535",         |s| s.saml.other_acs_urls[0].index = "65535".into(), "saml.otherAcsUrls[0].index", None),
    ("saml index 70000",         |s| s.saml.other_acs_urls[0].index = "70000".into(), "saml.otherAcsUrls[0].index", Some("Index 70000 is out of range 0–65535")),
    ("saml index -1",            |s| s.saml.other_acs_urls[0].index = "-1".into(), "saml.otherAcsUrls[0].index", Some("Index -1 is out of range 0–65535")),
    ("saml index 1.5",           |s| s.saml.other_acs_urls[0].index = "1.5".into(), "saml.otherAcsUrls[0].index", Some("Index \"1.5\" must be a whole number 0–65535")),
    ("saml index abc",           |s| s.saml.other_acs_urls[0].index = "abc".into(), "saml.otherAcsUrls[0].index", Some("must be a whole number")),
    ("saml index huge",          |s| s.saml.other_acs_urls[0].index = "99999999999999999999999".into(), "saml.otherAcsUrls[0].index", Some("is out of range 0–65535")),
    ("saml index duplicate",     |s| s.saml.other_acs_urls.push(AcsUrl { url: "https://example.org/acs/3".into(), index: "2".into() }), "saml.otherAcsUrls[1].index", Some("Index 2 is already used by another ACS URL")),
    ("saml index distinct",      |s| s.saml.other_acs_urls.push(AcsUrl { url: "https://example.org/acs/3".into(), index: "3".into() }), "saml.otherAcsUrls[1].index", None),
    ("saml entity id missing",   |s| s.saml.entity_id.clear(), "saml.entityId", Some("Entity ID / audience restriction is required")),
    ("saml attr name missing",   |s| s.saml.attribute_statements[0].name.clear(), "saml.attributeStatements[0].name", Some("Attribute name is required")),
    ("saml attr values missing", |s| s.saml.attribute_statements[0].values.clear(), "saml.attributeStatements[0].values", Some("A value is required")),
    ("saml attr empty entry",    |s| s.saml.attribute_statements[0].values = "a,,b".into(), "saml.attributeStatements[0].values", Some("Values has an empty entry between commas")),
    ("saml attr bad expr",       |s| s.saml.attribute_statements[0].values = "x, ${BAD}".into(), "saml.attributeStatements[0].values", Some("Expression error")),
    ("saml group name missing",  |s| s.saml.group_attributes = vec![GroupAttributeStatement { name: "".into(), filter: GroupFilter::StartsWith, value: "eng".into() }], "saml.groupAttributes[0].name", Some("Group attribute name is required")),
    ("saml group filter missing",|s| s.saml.group_attributes = vec![GroupAttributeStatement { name: "groups".into(), filter: GroupFilter::Regex, value: "".into() }], "saml.groupAttributes[0].value", Some("Filter value is required")),
    ("saml guide missing",       |s| s.saml.config_guide_url.clear(), "saml.configGuideUrl", Some("Configuration guide URL is required")),
    // SPEC 4.5: SCIM.
    ("scim base missing",        |s| s.scim.base_url.clear(), "scim.baseUrl", Some("Base URL is required")),
    ("scim base static ok",      |s| s.scim.base_url = "https://example.org/scim/v2".into(), "scim.baseUrl", None),
    ("scim base app. host ok",   |s| s.scim.base_url = "https://app.example.com/scim/v2".into(), "scim.baseUrl", None),
    ("scim base app. host http", |s| s.scim.base_url = "http://app.example.com/scim/v2".into(), "scim.baseUrl", Some("Base URL must use https://")),
    ("scim base http",           |s| s.scim.base_url = "http://example.org/scim/v2".into(), "scim.baseUrl", Some("Base URL must use https://")),
    ("scim base 1025",           |s| s.scim.base_url = format!("https://example.org/{}", "a".repeat(1005)), "scim.baseUrl", Some("Base URL is 1025 characters; the limit is 1024")),
    ("scim base bad expr",       |s| s.scim.base_url = "'https://' + BAD".into(), "scim.baseUrl", Some("Expression error")),
    ("scim basic",               |s| s.scim.auth_mode = ScimAuthMode::Basic, "scim.authMode", Some("Basic authentication is not offered: choose Header, Bearer or OAuth 2")),
    ("scim header",              |s| s.scim.auth_mode = ScimAuthMode::Header, "scim.authMode", None),
    ("scim oauth complete",      |s| { s.scim.auth_mode = ScimAuthMode::Oauth2; s.scim.oauth = oauth(); }, "", None),
    ("scim oauth no authorize",  |s| { s.scim.auth_mode = ScimAuthMode::Oauth2; s.scim.oauth = ScimOauth { authorize_endpoint: "".into(), ..oauth() }; }, "scim.oauth.authorizeEndpoint", Some("Authorize endpoint is required")),
    ("scim oauth token http",    |s| { s.scim.auth_mode = ScimAuthMode::Oauth2; s.scim.oauth = ScimOauth { token_endpoint: "http://example.org/token".into(), ..oauth() }; }, "scim.oauth.tokenEndpoint", Some("Token endpoint must use https://")),
    ("scim oauth token expr",    |s| { s.scim.auth_mode = ScimAuthMode::Oauth2; s.scim.oauth = ScimOauth { token_endpoint: "'https://' + app.subdomain + '.example.org/token'".into(), ..oauth() }; }, "scim.oauth.tokenEndpoint", None),
    ("scim oauth no client id",  |s| { s.scim.auth_mode = ScimAuthMode::Oauth2; s.scim.oauth = ScimOauth { client_id: "".into(), ..oauth() }; }, "scim.oauth.clientId", Some("Client ID is required")),
    ("scim oauth no secret",     |s| { s.scim.auth_mode = ScimAuthMode::Oauth2; s.scim.oauth = ScimOauth { client_secret: "".into(), ..oauth() }; }, "scim.oauth.clientSecret", Some("Client secret is required")),
    ("scim oauth comma scopes",  |s| { s.scim.auth_mode = ScimAuthMode::Oauth2; s.scim.oauth = ScimOauth { scopes: "users,groups".into(), ..oauth() }; }, "scim.oauth.scopes", Some("Separate scopes with spaces, not commas")),
    ("scim oauth ignored for bearer", |s| s.scim.oauth = ScimOauth::default(), "scim.oauth.clientId", None),
    ("scim read off",            |s| s.scim.user_operations.read = false, "scim.userOperations.read", Some("Read users is always on")),
    ("scim import users off",    |s| s.scim.user_operations.import_users = false, "scim.userOperations.importUsers", Some("Import users is always on")),
    ("scim group read off",      |s| s.scim.group_operations.read = false, "scim.groupOperations.read", Some("Read groups is always on")),
    ("scim import groups off",   |s| s.scim.group_operations.import_groups = false, "scim.groupOperations.importGroups", Some("Import groups is always on")),
    ("scim groups unmanaged",    |s| { s.scim.manage_groups = false; s.scim.group_operations.read = false; }, "scim.groupOperations.read", None),
    ("scim guide missing",       |s| s.scim.config_guide_url.clear(), "scim.configGuideUrl", Some("Link to configuration guide is required")),
];

fn oauth() -> ScimOauth {
    ScimOauth {
        authorize_endpoint: "https://example.org/oauth/authorize".into(),
        token_endpoint: "https://example.org/oauth/token".into(),
        client_id: "okta-client".into(),
        client_secret: "client-s3cret".into(),
        scopes: "users groups".into(),
    }
}

#[test]
fn configure_rows() {
    for (name, edit, field, expected) in CONFIGURE_ROWS {
        let mut s = valid();
        edit(&mut s);
        let fake = FakeExpressions::default();
        check_row(name, &validate_configure(&s, &fake), field, *expected);
    }
}

#[test]
fn published_basic_scim_cannot_be_updated() {
    // SPEC 4.5: a published Basic SCIM integration must be submitted anew.
    let mut s = editing_published();
    s.scim.auth_mode = ScimAuthMode::Basic;
    if let Some(p) = s.published.as_mut() {
        p.submission.scim.auth_mode = ScimAuthMode::Basic;
    }
    check_row(
        "published basic",
        &validate_configure(&s, &StaticOnly),
        "scim.authMode",
        Some("A published SCIM integration that uses Basic authentication cannot be updated: submit a new integration with Header, Bearer or OAuth 2 authentication"),
    );
}

#[test]
fn seam_gets_dialect_and_kind() {
    let fake = FakeExpressions::default();
    validate_configure(&valid(), &fake);
    let asked = fake.asked.borrow();
    let find = |field: &str| asked.iter().find(|a| a.0 == field).map(|a| (a.1, a.3));
    use oin_wizard::expr::Dialect;
    assert_eq!(
        find("oidc.redirectUris[0]"),
        Some((
            Dialect::Oidc,
            ExprKind::Url {
                http_allowed: false
            }
        ))
    );
    assert_eq!(
        find("saml.defaultAcsUrl"),
        Some((
            Dialect::Saml,
            ExprKind::Url {
                http_allowed: false
            }
        ))
    );
    assert_eq!(
        find("saml.attributeStatements[0].values"),
        Some((Dialect::Saml, ExprKind::SamlAttributeValue))
    );
    assert_eq!(
        find("scim.baseUrl"),
        Some((
            Dialect::Scim,
            ExprKind::Url {
                http_allowed: false
            }
        ))
    );
}

#[rustfmt::skip]
const TEST_INFO_ROWS: &[(&str, Edit, &str, Option<&str>)] = &[
    // SPEC 5.1: test information.
    ("account url missing",    |s| s.test_info.account_url.clear(), "testInfo.accountUrl", Some("Account URL is required")),
    ("account url expression", |s| s.test_info.account_url = "https://{app.subdomain}.example.org".into(), "testInfo.accountUrl", Some("Account URL must be a static URL; expressions are not allowed here")),
    ("account url http",       |s| s.test_info.account_url = "http://example.org/login".into(), "testInfo.accountUrl", Some("Account URL must use https://")),
    ("username missing",       |s| s.test_info.username.clear(), "testInfo.username", Some("Username is required")),
    ("password missing",       |s| s.test_info.password.clear(), "testInfo.password", Some("Password is required")),
    ("support missing",        |s| s.test_info.support_contact.clear(), "testInfo.supportContact", Some("Support contact is required")),
    ("support not email",      |s| s.test_info.support_contact = "call us".into(), "testInfo.supportContact", Some("Support contact \"call us\" is not an email address like name@company.com")),
    ("instructions optional",  |s| s.test_info.instructions.clear(), "testInfo.instructions", None),
    // SPEC 5.1: OIDC test settings: SP always on, so its URL is required.
    ("oidc jit unanswered",    |s| s.test_settings.oidc.jit = None, "testSettings.oidc.jit", Some("Answer whether OIDC supports JIT provisioning")),
    ("oidc sp url missing",    |s| s.test_settings.oidc.sp_initiate_url.clear(), "testSettings.oidc.spInitiateUrl", Some("SP initiate URL is required")),
    ("oidc sp url 512",        |s| s.test_settings.oidc.sp_initiate_url = format!("https://example.org/{}", "a".repeat(492)), "testSettings.oidc.spInitiateUrl", None),
    ("oidc sp url 513",        |s| s.test_settings.oidc.sp_initiate_url = format!("https://example.org/{}", "a".repeat(493)), "testSettings.oidc.spInitiateUrl", Some("SP initiate URL is 513 characters; the limit is 512")),
    ("oidc off: no sp url",    |s| { s.protocols.oidc = false; s.test_settings.oidc.sp_initiate_url.clear(); }, "testSettings.oidc.spInitiateUrl", None),
    // SPEC 5.1: SAML test settings.
    ("saml no flow",           |s| { s.test_settings.saml.idp_flow = false; s.test_settings.saml.sp_flow = false; }, "testSettings.saml.flows", Some("Choose at least one supported SAML sign-in flow: IdP or SP")),
    ("saml idp only",          |s| { s.test_settings.saml.sp_flow = false; s.test_settings.saml.sp_initiate_url.clear(); s.test_settings.saml.sp_flow_description.clear(); }, "", None),
    ("saml jit unanswered",    |s| s.test_settings.saml.jit = None, "testSettings.saml.jit", Some("Answer whether SAML supports JIT provisioning")),
    ("saml sp url missing",    |s| s.test_settings.saml.sp_initiate_url.clear(), "testSettings.saml.spInitiateUrl", Some("SP initiate URL is required")),
    ("saml sp url javascript", |s| s.test_settings.saml.sp_initiate_url = "javascript:x".into(), "testSettings.saml.spInitiateUrl", Some("not a javascript URL")),
    ("saml description missing", |s| s.test_settings.saml.sp_flow_description.clear(), "testSettings.saml.spFlowDescription", Some("SP-initiated flow description is required")),
    ("saml description 2048",  |s| s.test_settings.saml.sp_flow_description = "d".repeat(2048), "testSettings.saml.spFlowDescription", None),
    ("saml description 2049",  |s| s.test_settings.saml.sp_flow_description = "d".repeat(2049), "testSettings.saml.spFlowDescription", Some("SP-initiated flow description is 2049 characters; the limit is 2048")),
];

#[test]
fn test_info_rows() {
    for (name, edit, field, expected) in TEST_INFO_ROWS {
        let mut s = valid();
        edit(&mut s);
        check_row(name, &validate_test_info(&s), field, *expected);
    }
}

#[test]
fn acs_index_parse_rows() {
    #[rustfmt::skip]
    let rows: &[(&str, Result<u32, &str>)] = &[
        ("0", Ok(0)), (" 7 ", Ok(7)), ("65535", Ok(65535)),
        ("65536", Err("Index 65536 is out of range 0–65535")),
        ("-5", Err("Index -5 is out of range 0–65535")),
        ("", Err("Index is required")),
        ("x1", Err("Index \"x1\" must be a whole number 0–65535")),
        ("--", Err("Index \"--\" must be a whole number 0–65535")),
    ];
    for (text, expected) in rows {
        assert_eq!(
            parse_acs_index(text),
            expected.map_err(String::from),
            "{text}"
        );
    }
}

#[test]
fn attribute_values_split_outside_expressions() {
    assert_eq!(split_values("a, b"), vec!["a", "b"]);
    assert_eq!(
        split_values("${fn:substring(user.userName, 0, 3)}, x"),
        vec!["${fn:substring(user.userName, 0, 3)}", "x"]
    );
    assert_eq!(
        split_values("${fn:join(a, ',')}"),
        vec!["${fn:join(a, ',')}"]
    );
}
