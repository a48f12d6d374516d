//! "Load sample integrations": one submission per status for a first look at an empty
//! dashboard (embedded backend). Plain Rust, so the samples are checked by native tests.

use chrono::{DateTime, Duration, Utc};

use crate::domain::transitions::{review, ReviewDecision};
use crate::domain::{
    Catalog, OidcProperties, OidcTestSettings, Protocols, SamlProperties, SamlTestSettings,
    ScimAuthMode, ScimProperties, Status, Submission, TestInfo, TestSettings, UserOperations,
    Variable,
};

fn test_info(host: &str) -> TestInfo {
    TestInfo {
        account_url: format!("https://{host}/login"),
        username: "isvtest@okta.com".into(),
        password: String::new(),
        support_contact: format!("support@{host}"),
        instructions: String::new(),
    }
}

fn base(id: &str, name: &str, description: &str, updated: DateTime<Utc>) -> Submission {
    Submission {
        id: id.into(),
        version: 1,
        status: Status::Draft,
        updated,
        catalog: Catalog {
            display_name: name.into(),
            description: description.into(),
            logo: None,
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

    let mut in_review = base(
        &format!("{prefix}-blueberry"),
        "Blueberry HR",
        "Single sign-on to Blueberry HR with SAML 2.0.",
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
    in_review.test_info = test_info("hr.blueberry.example");
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
    changes.test_info = test_info("cranberry.example");

    let mut published = base(
        &format!("{prefix}-raspberry"),
        "Raspberry Suite",
        "Single sign-on and user provisioning for Raspberry Suite.",
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
    published.test_info = test_info("suite.raspberry.example");
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
