//! "Load sample integrations": one submission per status for a first look at an empty
//! dashboard (embedded backend). Each is one that could really be submitted: a logo of an
//! accepted size (`sample_logos/`, 2-bit PNGs under 1 KB each), a test account, test
//! settings and, for SCIM, the result links. Plain Rust, so native tests run the domain's
//! validation and submit gate over them (`tests/backend_samples.rs`).

use chrono::{DateTime, Duration, Utc};

use crate::domain::transitions::{review, ReviewDecision};
use crate::domain::{
    Catalog, Logo, OidcProperties, OidcTestSettings, Protocols, SamlProperties, SamlTestSettings,
    ScimAuthMode, ScimProperties, ScimTestResults, Status, Submission, TestInfo, TestSettings,
    UserOperations, Variable,
};

fn test_info(host: &str, instructions: &str) -> TestInfo {
    TestInfo {
        account_url: format!("https://{host}/login"),
        username: "isvtest@okta.com".into(),
        // A sample's test account is an example, and says so.
        password: "sample-password-not-a-real-account".into(),
        support_contact: format!("support@{host}"),
        instructions: instructions.into(),
    }
}

/// A sample logo (a fruit on a transparent background, one of the accepted sizes).
fn logo(file_name: &str, data: &[u8]) -> Option<Logo> {
    Some(Logo {
        file_name: file_name.into(),
        media_type: "image/png".into(),
        data: data.to_vec(),
    })
}

fn base(
    id: &str,
    name: &str,
    description: &str,
    logo: Option<Logo>,
    updated: DateTime<Utc>,
) -> Submission {
    Submission {
        id: id.into(),
        version: 1,
        status: Status::Draft,
        updated,
        catalog: Catalog {
            display_name: name.into(),
            description: description.into(),
            logo,
            use_cases: Vec::new(),
        },
        ..Submission::default()
    }
}

/// Four submissions, one per status (Draft, OIN to review, ISV to review, Published), with
/// ids prefixed by `prefix` so loading twice never collides.
pub fn sample_submissions(prefix: &str, now: DateTime<Utc>) -> Vec<Submission> {
    let mut draft = base(
        &format!("{prefix}-strawberry"),
        "Strawberry Fields",
        "Sign in to Strawberry Fields with single sign-on.",
        logo(
            "strawberry.png",
            include_bytes!("sample_logos/strawberry.png"),
        ),
        now - Duration::hours(2),
    );
    draft.protocols = Protocols {
        oidc: true,
        ..Protocols::default()
    };
    draft.variables = vec![Variable {
        label: "Subdomain".into(),
        name: "subdomain".into(),
    }];
    draft
        .preview_values
        .insert("subdomain".into(), "berryfarm".into());
    draft.oidc = OidcProperties {
        redirect_uris: vec!["https://{app.subdomain}.example.org/strawberry/login".into()],
        initiate_login_uri: String::new(),
        post_logout_uris: Vec::new(),
        config_guide_url: "https://example.org/docs/okta-oidc".into(),
    };
    draft.test_info = test_info(
        "strawberry.example.org",
        "Sign in as isvtest@okta.com; Settings > Single sign-on holds the Okta connection.",
    );
    draft.test_settings = TestSettings {
        oidc: OidcTestSettings {
            jit: Some(false),
            sp_initiate_url: "https://berryfarm.example.org/strawberry/sso".into(),
        },
        ..TestSettings::default()
    };

    let mut in_review = base(
        &format!("{prefix}-blueberry"),
        "Blueberry HR",
        "Single sign-on to Blueberry HR with SAML 2.0.",
        logo(
            "blueberry.png",
            include_bytes!("sample_logos/blueberry.png"),
        ),
        now - Duration::days(3),
    );
    in_review.protocols = Protocols {
        saml: true,
        ..Protocols::default()
    };
    in_review.version = 6;
    in_review.status = Status::OinToReview;
    in_review.saml = SamlProperties {
        default_acs_url: "https://hr.blueberry.example/saml/acs".into(),
        entity_id: "https://hr.blueberry.example".into(),
        config_guide_url: "https://hr.blueberry.example/docs/okta".into(),
        ..SamlProperties::default()
    };
    in_review.test_info = test_info(
        "hr.blueberry.example",
        "The test admin can reach Admin > SAML to check the assertion.",
    );
    in_review.test_settings = TestSettings {
        saml: SamlTestSettings {
            idp_flow: true,
            jit: Some(false),
            ..SamlTestSettings::default()
        },
        ..TestSettings::default()
    };

    let mut changes = base(
        &format!("{prefix}-cranberry"),
        "Cranberry Directory",
        "Provision users and groups from Okta to Cranberry Directory.",
        logo(
            "cranberry.png",
            include_bytes!("sample_logos/cranberry.png"),
        ),
        now - Duration::days(8),
    );
    changes.protocols = Protocols {
        scim: true,
        ..Protocols::default()
    };
    changes.version = 9;
    changes.status = Status::IsvToReview;
    changes.scim = ScimProperties {
        base_url: "https://api.cranberry.example/scim/v2/".into(),
        manage_groups: true,
        auth_mode: ScimAuthMode::Bearer,
        user_operations: UserOperations {
            create: true,
            update: true,
            deactivate: true,
            ..UserOperations::default()
        },
        config_guide_url: "https://cranberry.example/docs/scim".into(),
        ..ScimProperties::default()
    };
    changes.test_info = test_info(
        "cranberry.example",
        "The SCIM server is https://api.cranberry.example/scim/v2/; Admin > API tokens issues a bearer token.",
    );
    changes.scim_test_results = ScimTestResults {
        spec_results_url: "https://cranberry.example/oin/scim-spec-results".into(),
        crud_results_url: "https://cranberry.example/oin/scim-crud-results".into(),
    };

    let mut published = base(
        &format!("{prefix}-raspberry"),
        "Raspberry Suite",
        "Single sign-on and user provisioning for Raspberry Suite.",
        logo(
            "raspberry.png",
            include_bytes!("sample_logos/raspberry.png"),
        ),
        now - Duration::days(40),
    );
    published.protocols = Protocols {
        oidc: true,
        scim: true,
        ..Protocols::default()
    };
    published.version = 12;
    published.status = Status::OinToReview;
    published.oidc = OidcProperties {
        redirect_uris: vec!["https://suite.raspberry.example/oidc/callback".into()],
        initiate_login_uri: "https://suite.raspberry.example/oidc/start".into(),
        post_logout_uris: Vec::new(),
        config_guide_url: "https://suite.raspberry.example/docs/oidc".into(),
    };
    published.scim = ScimProperties {
        base_url: "https://suite.raspberry.example/scim/v2/".into(),
        auth_mode: ScimAuthMode::Header,
        user_operations: UserOperations {
            create: true,
            update: true,
            deactivate: true,
            ..UserOperations::default()
        },
        config_guide_url: "https://suite.raspberry.example/docs/scim".into(),
        ..ScimProperties::default()
    };
    published.test_info = test_info(
        "suite.raspberry.example",
        "Admin > Integrations > Okta holds both the SSO and the SCIM settings; the SCIM token is under API access.",
    );
    published.scim_test_results = ScimTestResults {
        spec_results_url: "https://suite.raspberry.example/oin/scim-spec-results".into(),
        crud_results_url: "https://suite.raspberry.example/oin/scim-crud-results".into(),
    };
    published.test_settings = TestSettings {
        oidc: OidcTestSettings {
            jit: Some(true),
            sp_initiate_url: "https://suite.raspberry.example/login".into(),
        },
        ..TestSettings::default()
    };
    let published = review(
        &published,
        ReviewDecision::Publish,
        now - Duration::days(40),
    )
    .unwrap_or(published);

    vec![draft, in_review, changes, published]
}
