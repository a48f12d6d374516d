//! Shared fixtures for the domain tests: a complete valid submission, logo bytes, users,
//! instances, runs, and a fake of the expression seam.
#![allow(dead_code)]

use std::cell::RefCell;
use std::collections::BTreeMap;

use chrono::{DateTime, Duration, TimeZone, Utc};
use oin_wizard::domain::expressions::looks_like_expression;
use oin_wizard::domain::*;
use oin_wizard::expr::Dialect;

/// 2026-11-28 12:00 UTC: "now" in every test.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0)
        .single()
        .unwrap_or_default()
}

pub fn hours_ago(h: i64) -> DateTime<Utc> {
    now() - Duration::hours(h)
}

/// The CRC-32 of a PNG chunk (type and data), computed bit by bit (independent of the
/// table-driven one under test).
pub fn png_crc(kind: &[u8], data: &[u8]) -> u32 {
    let mut c = 0xFFFF_FFFFu32;
    for &b in kind.iter().chain(data) {
        c ^= u32::from(b);
        for _ in 0..8 {
            c = if c & 1 == 1 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
    }
    c ^ 0xFFFF_FFFF
}

/// One PNG chunk with its length and CRC.
pub fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut b = (data.len() as u32).to_be_bytes().to_vec();
    b.extend_from_slice(kind);
    b.extend_from_slice(data);
    b.extend_from_slice(&png_crc(kind, data).to_be_bytes());
    b
}

/// A structurally whole PNG: signature, IHDR with the given size, one IDAT, IEND, each with
/// its CRC.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
    b.extend(png_chunk(b"IHDR", &ihdr));
    b.extend(png_chunk(
        b"IDAT",
        &[0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    ));
    b.extend(png_chunk(b"IEND", &[]));
    b
}

/// A structurally whole GIF: header, a 2-colour table, one image with its data, the trailer.
pub fn gif(width: u16, height: u16) -> Vec<u8> {
    let mut b = b"GIF89a".to_vec();
    b.extend_from_slice(&width.to_le_bytes());
    b.extend_from_slice(&height.to_le_bytes());
    b.extend_from_slice(&[0x80, 0, 0]);
    b.extend_from_slice(&[0, 0, 0, 255, 255, 255]);
    b.extend_from_slice(&[0x2C, 0, 0, 0, 0]);
    b.extend_from_slice(&width.to_le_bytes());
    b.extend_from_slice(&height.to_le_bytes());
    b.extend_from_slice(&[0, 0x02, 0x01, 0x44, 0x00, 0x3B]);
    b
}

/// A structurally whole JPEG: SOI, APP0 (JFIF), SOF0 with the given size, SOS with a few
/// bytes of scan data (a stuffed 0xFF00 and a restart marker among them), EOI.
pub fn jpeg(width: u16, height: u16) -> Vec<u8> {
    let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
    b.extend_from_slice(b"JFIF\0");
    b.extend_from_slice(&[1, 1, 0, 0, 1, 0, 1, 0, 0]);
    b.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x11, 0x08]);
    b.extend_from_slice(&height.to_be_bytes());
    b.extend_from_slice(&width.to_be_bytes());
    b.extend_from_slice(&[3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
    b.extend_from_slice(&[
        0xFF, 0xDA, 0x00, 0x0C, 3, 1, 0, 2, 0x11, 3, 0x11, 0, 0x3F, 0,
    ]);
    b.extend_from_slice(&[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56]);
    b.extend_from_slice(&[0xFF, 0xD9]);
    b
}

pub fn logo(data: Vec<u8>) -> Logo {
    Logo {
        file_name: "logo.png".into(),
        media_type: "image/png".into(),
        data,
    }
}

/// A complete, valid submission with OIDC, SAML and SCIM, version 3, Draft.
pub fn valid() -> Submission {
    Submission {
        id: "sub-1".into(),
        version: 3,
        status: Status::Draft,
        updated: hours_ago(1),
        protocols: Protocols {
            oidc: true,
            saml: true,
            scim: true,
        },
        catalog: Catalog {
            display_name: "Strawberry Fields".into(),
            description: "Sign in to Strawberry Fields with Okta and provision users.".into(),
            logo: Some(logo(png(244, 244))),
            use_cases: vec!["zeroTrust".into()],
        },
        variables: vec![Variable {
            label: "Subdomain".into(),
            name: "subdomain".into(),
        }],
        preview_values: BTreeMap::from([("subdomain".into(), "berryfarm".into())]),
        oidc: OidcProperties {
            redirect_uris: vec!["https://{app.subdomain}.example.org/strawberry/login".into()],
            initiate_login_uri: "https://example.org/strawberry/start".into(),
            post_logout_uris: vec![],
            config_guide_url: "https://example.org/docs/okta-oidc".into(),
        },
        saml: SamlProperties {
            default_acs_url: "https://${org.subdomain}.example.org/strawberry/saml".into(),
            other_acs_urls: vec![AcsUrl {
                url: "https://example.org/acs/2".into(),
                index: "2".into(),
            }],
            entity_id: "https://example.org/strawberry".into(),
            attribute_statements: vec![AttributeStatement {
                name: "email".into(),
                values: "${user.email}".into(),
            }],
            group_attributes: vec![],
            config_guide_url: "https://example.org/docs/okta-saml".into(),
        },
        scim: ScimProperties {
            base_url: "'https://' + app.subdomain + '.example.org/scim2/'".into(),
            manage_groups: true,
            auth_mode: ScimAuthMode::Bearer,
            oauth: ScimOauth::default(),
            user_operations: UserOperations {
                create: true,
                update: true,
                deactivate: true,
                ..UserOperations::default()
            },
            group_operations: GroupOperations::default(),
            config_guide_url: "https://example.org/docs/okta-scim".into(),
        },
        test_info: TestInfo {
            account_url: "https://example.org/login".into(),
            username: "isvtest@okta.com".into(),
            password: "s3cret-Pa55".into(),
            support_contact: "support@example.org".into(),
            instructions: String::new(),
        },
        test_settings: TestSettings {
            oidc: OidcTestSettings {
                jit: Some(false),
                sp_initiate_url: "https://example.org/strawberry/sso".into(),
            },
            saml: SamlTestSettings {
                idp_flow: true,
                sp_flow: true,
                jit: Some(true),
                sp_initiate_url: "https://example.org/strawberry/saml-start".into(),
                sp_flow_description: "Open the app, choose Sign in with Okta.".into(),
            },
        },
        scim_test_results: ScimTestResults {
            spec_results_url: "https://www.runscope.com/radar/abc/spec".into(),
            crud_results_url: "https://www.runscope.com/radar/abc/crud".into(),
        },
        migrated: false,
        published: None,
        ..Submission::default()
    }
}

/// A published submission (version 2 published) being edited: Draft version 3.
pub fn editing_published() -> Submission {
    let mut published = valid();
    published.version = 2;
    published.status = Status::Published;
    let mut s = valid();
    s.published = Some(PublishedVersion {
        version: 2,
        published_at: hours_ago(24 * 30),
        submission: Box::new(published),
    });
    s
}

pub fn user(email: &str, roles: &[Role]) -> User {
    User {
        id: "u1".into(),
        email: email.into(),
        first_name: "Ada".into(),
        last_name: "Lovelace".into(),
        roles: roles.to_vec(),
    }
}

pub fn admin() -> User {
    user("dev@example.org", &[Role::SuperAdmin])
}

pub fn instance(id: &str, protocols: &[Protocol], version: u32, from_published: bool) -> Instance {
    Instance {
        id: id.into(),
        submission_id: "sub-1".into(),
        submission_version: version,
        from_published,
        protocols: protocols.to_vec(),
        label: format!("Test {id}"),
        active: true,
        created_at: hours_ago(5),
        ..Instance::default()
    }
}

pub fn run(
    instance_id: &str,
    case: TestCase,
    kind: VersionKind,
    result: RunResult,
    finished_hours_ago: i64,
) -> TestRun {
    TestRun {
        id: format!("{instance_id}-{case:?}-{kind:?}"),
        instance_id: instance_id.into(),
        case: Some(case),
        version_kind: kind,
        result,
        started_at: hours_ago(finished_hours_ago) - Duration::minutes(2),
        finished_at: Some(hours_ago(finished_hours_ago)),
        ..TestRun::default()
    }
}

/// The fake expression engine: markers as `StaticOnly`; a value containing `BAD` yields an
/// error; records every field it was asked about.
/// One question to the fake: field, dialect, value, kind, variables, added variables.
pub type Asked = (String, Dialect, String, ExprKind, Vec<String>, Vec<String>);

#[derive(Default)]
pub struct FakeExpressions {
    pub asked: RefCell<Vec<Asked>>,
}

impl Expressions for FakeExpressions {
    fn is_expression(&self, dialect: Dialect, value: &str) -> bool {
        looks_like_expression(dialect, value)
    }

    fn problems(&self, f: &ExprField<'_>) -> Vec<Problem> {
        self.asked.borrow_mut().push((
            f.field.to_string(),
            f.dialect,
            f.value.to_string(),
            f.kind,
            f.variables.to_vec(),
            f.added_variables.to_vec(),
        ));
        if f.value.contains("BAD") {
            vec![Problem::error(f.field, "Expression error: unexpected BAD")]
        } else {
            Vec::new()
        }
    }
}

/// Messages of errors on `field` (or all errors when `field` is empty).
pub fn errors_on(problems: &[Problem], field: &str) -> Vec<String> {
    problems
        .iter()
        .filter(|p| p.is_error() && (field.is_empty() || p.field == field))
        .map(|p| p.message.clone())
        .collect()
}

pub fn warnings_on(problems: &[Problem], field: &str) -> Vec<String> {
    problems
        .iter()
        .filter(|p| !p.is_error() && (field.is_empty() || p.field == field))
        .map(|p| p.message.clone())
        .collect()
}

/// Asserts one table row: `expected` None = no error on `field`; Some(text) = an error on
/// `field` whose message contains `text`.
pub fn check_row(name: &str, problems: &[Problem], field: &str, expected: Option<&str>) {
    let errs = errors_on(problems, field);
    match expected {
        None => assert!(errs.is_empty(), "{name}: expected no error on {field}, got {errs:?}"),
        Some(text) => assert!(
            errs.iter().any(|m| m.contains(text)),
            "{name}: expected an error on {field} containing {text:?}, got {errs:?} (all: {problems:?})"
        ),
    }
}
