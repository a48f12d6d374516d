//! Property tests: validation, the submit gate, the landing page, transitions, URL and logo
//! checks never panic on arbitrary input (a panic in wasm kills the page).
mod common;

use common::*;
use oin_wizard::domain::emails::{check_email, is_personal_mail};
use oin_wizard::domain::logo::check_logo;
use oin_wizard::domain::navigation::first_incomplete_page;
use oin_wizard::domain::transitions::{edit_published, review, save_edit, submit};
use oin_wizard::domain::urls::{check_url, Scheme};
use oin_wizard::domain::validation::validate;
use oin_wizard::domain::*;
use proptest::prelude::*;

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-zA-Z0-9:/._{}$'\" ,@%+=-]{0,40}",
        "[0-9-]{0,25}",
        Just("https://example.org/cb".to_string()),
        Just("https://{app.subdomain}.example.org".to_string()),
        Just("${org.x}, ${fn:join(a, ',')}".to_string()),
        Just("'https://' + app.x".to_string()),
        Just("http://user:pw@[::1]:99999/".to_string()),
        Just("a@gmail.com".to_string()),
        Just("日本語.例え/パス".to_string()),
    ]
}

fn bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..64),
        proptest::collection::vec(any::<u8>(), 0..64).prop_map(|t| [
            b"\x89PNG\r\n\x1a\n".to_vec(),
            t
        ]
        .concat()),
        proptest::collection::vec(any::<u8>(), 0..64)
            .prop_map(|t| [vec![0xFF, 0xD8, 0xFF], t].concat()),
        proptest::collection::vec(any::<u8>(), 0..64)
            .prop_map(|t| [b"GIF89a".to_vec(), t].concat()),
    ]
}

/// Pools the submission's fields are drawn from.
#[derive(Debug, Clone)]
struct Pools {
    texts: Vec<String>,
    flags: Vec<bool>,
    logo: Vec<u8>,
    numbers: Vec<u32>,
}

fn pools() -> impl Strategy<Value = Pools> {
    (
        proptest::collection::vec(text(), 48),
        proptest::collection::vec(any::<bool>(), 40),
        bytes(),
        proptest::collection::vec(0u32..6, 16),
    )
        .prop_map(|(texts, flags, logo, numbers)| Pools {
            texts,
            flags,
            logo,
            numbers,
        })
}

struct Draw<'a> {
    p: &'a Pools,
    t: usize,
    f: usize,
    n: usize,
}

impl Draw<'_> {
    fn s(&mut self) -> String {
        self.t += 1;
        self.p.texts[self.t % self.p.texts.len()].clone()
    }
    fn b(&mut self) -> bool {
        self.f += 1;
        self.p.flags[self.f % self.p.flags.len()]
    }
    fn n(&mut self) -> usize {
        self.n += 1;
        self.p.numbers[self.n % self.p.numbers.len()] as usize
    }
    fn list(&mut self) -> Vec<String> {
        (0..self.n()).map(|_| self.s()).collect()
    }
    fn opt(&mut self) -> Option<bool> {
        if self.b() {
            Some(self.b())
        } else {
            None
        }
    }
}

fn submission(p: &Pools) -> Submission {
    let mut d = Draw {
        p,
        t: 0,
        f: 0,
        n: 0,
    };
    let mut s = Submission {
        id: "sub-1".into(),
        version: p.numbers[0],
        status: [
            Status::Draft,
            Status::OinToReview,
            Status::IsvToReview,
            Status::Published,
        ][d.n() % 4],
        updated: now(),
        protocols: Protocols {
            oidc: d.b(),
            saml: d.b(),
            scim: d.b(),
        },
        migrated: d.b(),
        ..Submission::default()
    };
    s.catalog = Catalog {
        display_name: d.s(),
        description: d.s(),
        logo: if d.b() {
            Some(Logo {
                file_name: d.s(),
                media_type: d.s(),
                data: p.logo.clone(),
            })
        } else {
            None
        },
        use_cases: d.list(),
    };
    s.variables = (0..d.n())
        .map(|_| Variable {
            label: d.s(),
            name: d.s(),
        })
        .collect();
    s.preview_values = (0..d.n()).map(|_| (d.s(), d.s())).collect();
    s.oidc = OidcProperties {
        redirect_uris: d.list(),
        initiate_login_uri: d.s(),
        post_logout_uris: d.list(),
        config_guide_url: d.s(),
    };
    s.saml = SamlProperties {
        default_acs_url: d.s(),
        other_acs_urls: (0..d.n())
            .map(|_| AcsUrl {
                url: d.s(),
                index: d.s(),
            })
            .collect(),
        entity_id: d.s(),
        attribute_statements: (0..d.n())
            .map(|_| AttributeStatement {
                name: d.s(),
                values: d.s(),
            })
            .collect(),
        group_attributes: (0..d.n())
            .map(|_| GroupAttributeStatement {
                name: d.s(),
                filter: GroupFilter::Regex,
                value: d.s(),
            })
            .collect(),
        config_guide_url: d.s(),
    };
    s.scim = ScimProperties {
        base_url: d.s(),
        manage_groups: d.b(),
        auth_mode: [
            ScimAuthMode::Header,
            ScimAuthMode::Bearer,
            ScimAuthMode::Oauth2,
            ScimAuthMode::Basic,
        ][d.n() % 4],
        oauth: ScimOauth {
            authorize_endpoint: d.s(),
            token_endpoint: d.s(),
            client_id: d.s(),
            client_secret: d.s(),
            scopes: d.s(),
        },
        user_operations: UserOperations {
            create: d.b(),
            read: d.b(),
            import_users: d.b(),
            ..UserOperations::default()
        },
        group_operations: GroupOperations {
            read: d.b(),
            import_groups: d.b(),
            ..GroupOperations::default()
        },
        config_guide_url: d.s(),
    };
    s.test_info = TestInfo {
        account_url: d.s(),
        username: d.s(),
        password: d.s(),
        support_contact: d.s(),
        instructions: d.s(),
    };
    s.test_settings = TestSettings {
        oidc: OidcTestSettings {
            jit: d.opt(),
            sp_initiate_url: d.s(),
        },
        saml: SamlTestSettings {
            idp_flow: d.b(),
            sp_flow: d.b(),
            jit: d.opt(),
            sp_initiate_url: d.s(),
            sp_flow_description: d.s(),
        },
    };
    s.scim_test_results = ScimTestResults {
        spec_results_url: d.s(),
        crud_results_url: d.s(),
    };
    if d.b() {
        let mut old = s.clone();
        old.variables.truncate(d.n());
        s.published = Some(PublishedVersion {
            version: p.numbers[1],
            published_at: now(),
            submission: Box::new(old),
        });
    }
    s
}

fn org(p: &Pools) -> Org {
    let protocols = [Protocol::Oidc, Protocol::Saml, Protocol::Scim];
    let instances = (0..p.numbers[2]).map(|n| {
        let n = n as usize;
        Instance {
            active: p.flags[n],
            protocols: vec![protocols[n % 3], protocols[(n + p.numbers[3] as usize) % 3]],
            ..instance(&format!("i{n}"), &[], p.numbers[4 + n % 8], p.flags[n + 1])
        }
    });
    let cases = [
        TestCase::IdpFlow,
        TestCase::SpFlow,
        TestCase::JitWithIdp,
        TestCase::JitWithSp,
    ];
    let results = [RunResult::Passed, RunResult::Failed, RunResult::InProgress];
    let runs = (0..p.numbers[5] * 3).map(|n| {
        let n = n as usize;
        let kind = if p.flags[n % 40] {
            VersionKind::Current
        } else {
            VersionKind::Published
        };
        run(
            &format!("i{}", n % 6),
            cases[n % 4],
            kind,
            results[n % 3],
            (n as i64) * 13 - 20,
        )
    });
    Org {
        instances: instances.collect(),
        test_runs: runs.collect(),
        ..Org::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn validation_and_gate_never_panic(p in pools(), certified in any::<bool>()) {
        let s = submission(&p);
        let o = org(&p);
        let u = user(&p.texts[0], &[Role::AppAdmin, Role::OrgAdmin]);
        let fake = FakeExpressions::default();
        let problems = validate(&s, &fake);
        let _ = validate(&s, &StaticOnly);
        let ctx = SubmitContext { submission: &s, org: &o, user: &u, now: now(), certified, expressions: &StaticOnly, scim_runs: None };
        let unmet = unmet_requirements(&ctx);
        // Every validation error is an unmet requirement.
        prop_assert!(problems.iter().filter(|p| p.is_error()).count() <= unmet.len());
        let _ = first_incomplete_page(&s, &StaticOnly);
        let _ = submit(&ctx);
        let _ = review(&s, ReviewDecision::Publish, now());
        let _ = edit_published(&s, &u, now());
        let _ = save_edit(&s, &s, &u, now());
        let _ = oin_wizard::domain::instances::detect(&s, &o.instances);
        let _ = serde_json::to_string(&s.redacted());
    }

    #[test]
    fn field_checks_never_panic(t in text(), b in bytes()) {
        let _ = check_url("URL", &t, Scheme::Https);
        let _ = check_url("URL", &t, Scheme::HttpOrHttps);
        let _ = check_email("Email", &t);
        let _ = is_personal_mail(&t);
        let _ = check_logo(&b);
        let _ = oin_wizard::domain::validation::parse_acs_index(&t);
        let _ = oin_wizard::domain::validation::split_values(&t);
        let _ = oin_wizard::domain::model::base64::decode(&t);
    }

    #[test]
    fn submission_json_round_trips(p in pools()) {
        let s = submission(&p);
        let text = serde_json::to_string(&s).unwrap_or_default();
        let back: Submission = serde_json::from_str(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(back, s);
    }
}
