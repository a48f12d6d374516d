//! Every limit of the wizard in one place (SPEC 7), as data: newer versions of the public guide
//! change some of them (no active-instance limit, seven use cases, at most 3 chosen).

/// SPEC 4.1: display name, in characters (not bytes).
pub const DISPLAY_NAME_MAX_CHARS: usize = 64;
/// SPEC 4.1: the description must be *under* this many characters.
pub const DESCRIPTION_UNDER_CHARS: usize = 1024;
/// SPEC 4.1: the logo file must be *under* this many bytes (1 MB).
pub const LOGO_UNDER_BYTES: usize = 1024 * 1024;
/// SPEC 4.1: the allowed logo sizes, width × height in pixels, with what they are called.
pub const LOGO_SIZES: &[(u32, u32, &str)] = &[
    (244, 244, "circle"),
    (200, 200, "square"),
    (244, 156, "landscape"),
    (156, 244, "portrait"),
];
/// SPEC 4.1: use cases the vendor may choose (stable id, label shown).
pub const USE_CASES: &[(&str, &str)] = &[
    ("zeroTrust", "Zero Trust"),
    ("identityVerification", "Identity Verification"),
    ("iga", "Identity Governance and Administration (IGA)"),
];
/// SPEC 4.1: default use case added by the catalog team when OIDC or SAML is chosen.
pub const USE_CASE_SSO: (&str, &str) = ("singleSignOn", "Single Sign-On");
/// SPEC 4.1: default use case added by the catalog team when SCIM is chosen.
pub const USE_CASE_LCM: (&str, &str) = ("lifecycleManagement", "Lifecycle Management");
/// SPEC 7: at most this many chosen use cases.
pub const USE_CASES_CHOSEN_MAX: usize = 3;
/// SPEC 4.1: chosen plus default use cases.
pub const USE_CASES_TOTAL_MAX: usize = 5;
/// SPEC 4.2: integration variables (migrated published integrations may keep more).
pub const VARIABLES_MAX: usize = 3;
/// SPEC 4.2: variable name length.
pub const VARIABLE_NAME_MAX_CHARS: usize = 1024;
/// SPEC 4.3–4.5, 7: redirect URI, ACS URL, SCIM base URL and endpoints.
pub const URL_PROPERTY_MAX_CHARS: usize = 1024;
/// SPEC 4.4: highest ACS index.
pub const ACS_INDEX_MAX: u32 = 65535;
/// SPEC 5.1: SP initiate URL.
pub const SP_INITIATE_URL_MAX_CHARS: usize = 512;
/// SPEC 5.1: SAML SP-initiated flow description.
pub const SP_FLOW_DESCRIPTION_MAX_CHARS: usize = 2048;
/// SPEC 5.2: active instances in the org at once.
pub const ACTIVE_INSTANCES_MAX: usize = 5;
/// SPEC 5.3: a passed tester result stays valid this many hours.
pub const RESULT_VALID_HOURS: i64 = 48;
/// How long a tester session lasts before **Refresh tester session** (SPEC 5.3).
pub const TESTER_SESSION_HOURS: i64 = 8;
/// SPEC 5.1: the suggested username of the test admin account.
pub const SUGGESTED_TEST_USERNAME: &str = "isvtest@okta.com";

/// SPEC 1: personal-mail domains: submissions from these are never reviewed.
/// An entry ending in `.*` matches that name under any top-level domain (`yahoo.*` matches
/// `yahoo.com` and `yahoo.co.uk`). Matching ignores case; subdomains match too.
pub const PERSONAL_MAIL_DOMAINS: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "yahoo.*",
    "ymail.com",
    "rocketmail.com",
    "outlook.com",
    "outlook.*",
    "hotmail.*",
    "live.com",
    "live.*",
    "msn.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "aol.com",
    "aim.com",
    "proton.me",
    "protonmail.com",
    "protonmail.ch",
    "pm.me",
    "gmx.*",
    "mail.com",
    "yandex.*",
    "zoho.com",
    "zohomail.com",
    "qq.com",
    "163.com",
    "126.com",
    "sina.com",
    "mail.ru",
    "web.de",
    "tutanota.com",
    "fastmail.com",
    "hey.com",
];
