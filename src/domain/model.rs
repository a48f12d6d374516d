//! The submission model. Its serde form IS the JSON contract (docs/api.md): camelCase field
//! names, enums as stable strings, every field defaulted so a partial draft still parses.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Version of the JSON contract; backends serve it under `/api/v1`.
pub const API_VERSION: u32 = 1;

/// Text put in place of a secret by [`Submission::redacted`] and friends.
pub const REDACTED: &str = "********";

/// A protocol an integration supports (SPEC 3).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    /// SSO with OpenID Connect.
    Oidc,
    /// SSO with SAML 2.0.
    Saml,
    /// Provisioning with SCIM 2.0.
    Scim,
}

impl Protocol {
    /// Whether this is a sign-in (SSO) protocol.
    pub fn is_sso(self) -> bool {
        matches!(self, Protocol::Oidc | Protocol::Saml)
    }

    /// The name the UI shows.
    pub fn label(self) -> &'static str {
        match self {
            Protocol::Oidc => "OIDC",
            Protocol::Saml => "SAML 2.0",
            Protocol::Scim => "SCIM 2.0",
        }
    }
}

/// A submission's status (SPEC 2).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub enum Status {
    /// Not submitted; never reviewed.
    #[default]
    Draft,
    /// Submitted: the catalog team reviews and tests it.
    OinToReview,
    /// The catalog team found issues: the vendor fixes and resubmits.
    IsvToReview,
    /// Listed in the catalog; read-only until **Edit integration**.
    Published,
}

impl Status {
    /// The name the dashboard shows.
    pub fn label(self) -> &'static str {
        match self {
            Status::Draft => "Draft",
            Status::OinToReview => "OIN to review",
            Status::IsvToReview => "ISV to review",
            Status::Published => "Published",
        }
    }
}

/// Which protocols were chosen (SPEC 3): any non-empty combination.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Protocols {
    /// SSO with OIDC.
    pub oidc: bool,
    /// SSO with SAML 2.0.
    pub saml: bool,
    /// Provisioning with SCIM 2.0.
    pub scim: bool,
}

impl Protocols {
    /// The chosen protocols, in a stable order.
    pub fn list(self) -> Vec<Protocol> {
        let mut out = Vec::new();
        if self.oidc {
            out.push(Protocol::Oidc);
        }
        if self.saml {
            out.push(Protocol::Saml);
        }
        if self.scim {
            out.push(Protocol::Scim);
        }
        out
    }

    /// Whether `protocol` is chosen.
    pub fn has(self, protocol: Protocol) -> bool {
        match protocol {
            Protocol::Oidc => self.oidc,
            Protocol::Saml => self.saml,
            Protocol::Scim => self.scim,
        }
    }

    /// Whether nothing is chosen.
    pub fn is_empty(self) -> bool {
        !(self.oidc || self.saml || self.scim)
    }

    /// Whether an SSO protocol is chosen.
    pub fn has_sso(self) -> bool {
        self.oidc || self.saml
    }
}

/// An uploaded logo: the bytes are the truth, the name and media type are only what the
/// browser said (SPEC 4.1: check the bytes, not the name). JSON: bytes as base64.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Logo {
    /// File name as uploaded.
    pub file_name: String,
    /// Media type the browser reported (not trusted).
    pub media_type: String,
    /// The file's bytes, base64 in JSON.
    #[serde(with = "base64")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Byte))]
    pub data: Vec<u8>,
}

/// Catalog properties (SPEC 4.1).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Catalog {
    /// Main title in the catalog, 1–64 characters.
    pub display_name: String,
    /// What the integration gives customers, under 1024 characters.
    pub description: String,
    /// The logo, if uploaded.
    pub logo: Option<Logo>,
    /// Chosen use-case ids (see [`super::limits::USE_CASES`]); defaults are not stored.
    pub use_cases: Vec<String>,
}

/// One integration variable row (SPEC 4.2).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Variable {
    /// What the customer's admin sees at install time.
    pub label: String,
    /// Used in expressions as `app.<name>` / `org.<name>`.
    pub name: String,
}

/// OIDC properties (SPEC 4.3). Empty strings mean "not given".
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct OidcProperties {
    /// One or more; static https URL or expression.
    pub redirect_uris: Vec<String>,
    /// Optional; when given the IdP flow is supported.
    pub initiate_login_uri: String,
    /// Optional rows.
    pub post_logout_uris: Vec<String>,
    /// Customer-facing setup guide.
    pub config_guide_url: String,
}

/// One extra ACS URL row (SPEC 4.4). The index is kept as typed so nothing is lost.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AcsUrl {
    /// ACS URL, static or expression.
    pub url: String,
    /// Integer 0–65535 as typed.
    pub index: String,
}

/// One attribute statement row (SPEC 4.4).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AttributeStatement {
    /// Attribute name.
    pub name: String,
    /// Comma-separated values; each may be an expression.
    pub values: String,
}

/// How a group attribute statement filters groups.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum GroupFilter {
    /// Group name starts with the value.
    #[default]
    StartsWith,
    /// Group name equals the value.
    Equals,
    /// Group name contains the value.
    Contains,
    /// Group name matches the regular expression.
    Regex,
}

/// One group attribute statement row (SPEC 4.4).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct GroupAttributeStatement {
    /// Attribute name.
    pub name: String,
    /// Filter kind.
    pub filter: GroupFilter,
    /// Filter value.
    pub value: String,
}

/// SAML 2.0 properties (SPEC 4.4).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SamlProperties {
    /// Default ACS URL.
    pub default_acs_url: String,
    /// Other ACS URLs with their indexes.
    pub other_acs_urls: Vec<AcsUrl>,
    /// Entity ID / audience restriction.
    pub entity_id: String,
    /// Attribute statements.
    pub attribute_statements: Vec<AttributeStatement>,
    /// Group attribute statements.
    pub group_attributes: Vec<GroupAttributeStatement>,
    /// Customer-facing setup guide.
    pub config_guide_url: String,
}

/// SCIM authentication mode (SPEC 4.5). `basic` only appears in published legacy
/// integrations and is never accepted.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ScimAuthMode {
    /// `Authorization: {token}`.
    #[default]
    Header,
    /// `Authorization: Bearer {token}`.
    Bearer,
    /// OAuth 2 authorization code grant.
    Oauth2,
    /// Basic authentication: not offered.
    Basic,
}

/// SCIM OAuth 2 settings (SPEC 4.5); used when the mode is OAuth 2.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ScimOauth {
    /// Authorize endpoint (https, expression allowed).
    pub authorize_endpoint: String,
    /// Token endpoint (https, expression allowed).
    pub token_endpoint: String,
    /// Client ID, the same for every customer tenant.
    pub client_id: String,
    /// Client secret: a secret, redacted in lists and exports.
    pub client_secret: String,
    /// Optional scopes, space-separated.
    pub scopes: String,
}

/// SCIM user operations (SPEC 4.5).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct UserOperations {
    /// Create users.
    pub create: bool,
    /// Read users: always on.
    pub read: bool,
    /// Update users.
    pub update: bool,
    /// Change password.
    pub change_password: bool,
    /// Deactivate users.
    pub deactivate: bool,
    /// Support PATCH for User.
    pub patch: bool,
    /// Import the user schema.
    pub import_user_schema: bool,
    /// Import users: always on.
    pub import_users: bool,
}

impl Default for UserOperations {
    fn default() -> Self {
        UserOperations {
            create: false,
            read: true,
            update: false,
            change_password: false,
            deactivate: false,
            patch: false,
            import_user_schema: false,
            import_users: true,
        }
    }
}

/// SCIM group operations (SPEC 4.5), when groups are managed. All on by default.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct GroupOperations {
    /// Create groups.
    pub create: bool,
    /// Read groups: always on.
    pub read: bool,
    /// Update groups (uses PATCH).
    pub update: bool,
    /// Delete groups.
    pub delete: bool,
    /// Import groups: always on.
    pub import_groups: bool,
}

impl Default for GroupOperations {
    fn default() -> Self {
        GroupOperations {
            create: true,
            read: true,
            update: true,
            delete: true,
            import_groups: true,
        }
    }
}

/// SCIM 2.0 properties (SPEC 4.5).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ScimProperties {
    /// Base URL (https, expression allowed).
    pub base_url: String,
    /// Whether Groups are managed (Users always are).
    pub manage_groups: bool,
    /// Authentication mode.
    pub auth_mode: ScimAuthMode,
    /// OAuth 2 settings, used when `authMode` is `oauth2`.
    pub oauth: ScimOauth,
    /// User operations.
    pub user_operations: UserOperations,
    /// Group operations.
    pub group_operations: GroupOperations,
    /// Link to the configuration guide.
    pub config_guide_url: String,
}

/// Test information for the review team (SPEC 5.1).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TestInfo {
    /// Static URL where the reviewer signs in to the vendor's app.
    pub account_url: String,
    /// Test admin account in the vendor's app.
    pub username: String,
    /// Secret: redacted in lists and exports.
    pub password: String,
    /// Escalation email, never shown to customers.
    pub support_contact: String,
    /// Optional free text.
    pub instructions: String,
}

/// OIDC test settings (SPEC 5.1). Flows are derived: SP always, IdP when an initiate login
/// URI exists (see [`super::instances::supported_flows`]).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct OidcTestSettings {
    /// JIT provisioning: `None` until answered.
    pub jit: Option<bool>,
    /// The app's SP-initiated sign-in URL (required: SP is always on).
    pub sp_initiate_url: String,
}

/// SAML test settings (SPEC 5.1).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SamlTestSettings {
    /// IdP-initiated flow supported.
    pub idp_flow: bool,
    /// SP-initiated flow supported.
    pub sp_flow: bool,
    /// JIT provisioning: `None` until answered.
    pub jit: Option<bool>,
    /// Required when the SP flow is supported.
    pub sp_initiate_url: String,
    /// Required when the SP flow is supported.
    pub sp_flow_description: String,
}

/// Per-protocol test settings (SPEC 5.1).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TestSettings {
    /// OIDC.
    pub oidc: OidcTestSettings,
    /// SAML.
    pub saml: SamlTestSettings,
}

/// SCIM test-result links entered on the Test integration page (SPEC 5.4).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ScimTestResults {
    /// Link to the SCIM API specification test results.
    pub spec_results_url: String,
    /// Link to the CRUD test results.
    pub crud_results_url: String,
}

/// The version the review team last published (SPEC 0): kept for backwards tests.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PublishedVersion {
    /// The submission version that was published.
    pub version: u32,
    /// When it was published.
    pub published_at: DateTime<Utc>,
    /// The submission as published (its own `published` is empty).
    #[cfg_attr(feature = "openapi", schema(no_recursion))]
    pub submission: Box<Submission>,
}

/// One integration being prepared (SPEC 0).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Submission {
    /// Stable id.
    pub id: String,
    /// Increases by one on every saved edit; stale saves conflict (409).
    pub version: u32,
    /// Status.
    pub status: Status,
    /// Last-updated time (the dashboard date).
    pub updated: DateTime<Utc>,
    /// Chosen protocols.
    pub protocols: Protocols,
    /// Catalog properties.
    pub catalog: Catalog,
    /// Integration variables.
    pub variables: Vec<Variable>,
    /// Preview value per variable name, used to check expressions (nothing typed is lost).
    pub preview_values: BTreeMap<String, String>,
    /// OIDC properties (validated only when OIDC is chosen).
    pub oidc: OidcProperties,
    /// SAML properties (validated only when SAML is chosen).
    pub saml: SamlProperties,
    /// SCIM properties (validated only when SCIM is chosen).
    pub scim: ScimProperties,
    /// Test information.
    pub test_info: TestInfo,
    /// Per-protocol test settings.
    pub test_settings: TestSettings,
    /// SCIM test-result links.
    pub scim_test_results: ScimTestResults,
    /// Migrated from the older tool (relaxed rules, SPEC 4.2).
    pub migrated: bool,
    /// The published version, once published.
    pub published: Option<PublishedVersion>,
    /// The version instances must be generated from (SPEC 5.2): the last version whose
    /// configuration changed. Saving only the SCIM result links keeps it, so entering them on
    /// the Test integration page doesn't make every instance ineligible. 0: same as `version`.
    pub config_version: u32,
    /// The catalog team's last message to the vendor (set with "ISV to review"); only the
    /// review decision changes it.
    pub review_note: String,
}

impl Submission {
    /// A copy with every secret replaced by [`REDACTED`] (password, OAuth client secret), in
    /// the published snapshot too. Use it for exports, logs and anything not editing.
    pub fn redacted(&self) -> Submission {
        let mut copy = self.clone();
        redact(&mut copy.test_info.password);
        redact(&mut copy.scim.oauth.client_secret);
        if let Some(published) = copy.published.as_mut() {
            *published.submission = published.submission.redacted();
        }
        copy
    }

    /// The dashboard row: no secrets, no protocol details.
    pub fn summary(&self) -> SubmissionSummary {
        SubmissionSummary {
            id: self.id.clone(),
            version: self.version,
            display_name: self.catalog.display_name.clone(),
            logo: self.catalog.logo.clone(),
            protocols: self.protocols,
            status: self.status,
            updated: self.updated,
            review_note: self.review_note.clone(),
            published_version: self.published.as_ref().map(|p| p.version),
        }
    }

    /// The version instances are generated from and eligible for (see `config_version`).
    pub fn instance_version(&self) -> u32 {
        if self.config_version == 0 || self.config_version > self.version {
            self.version
        } else {
            self.config_version
        }
    }

    /// Whether the published version is being edited (a new current version exists beside a
    /// published one).
    pub fn is_editing_published(&self) -> bool {
        self.published.is_some() && self.status != Status::Published
    }

    /// Whether the migrated relaxations apply (SPEC 4.2): migrated from the older tool and
    /// published.
    pub fn relaxed(&self) -> bool {
        self.migrated && self.published.is_some()
    }

    /// Variable names of the published version (empty when never published).
    pub fn published_variable_names(&self) -> Vec<String> {
        self.published
            .as_ref()
            .map(|p| {
                p.submission
                    .variables
                    .iter()
                    .map(|v| v.name.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Names of the current variables; `added_since_published` only those the published
    /// version lacks (what existing instances see as empty, SPEC 6).
    pub fn variable_names(&self) -> Vec<String> {
        self.variables
            .iter()
            .map(|v| v.name.trim().to_string())
            .filter(|n| !n.is_empty())
            .collect()
    }

    /// Variable names added since the published version (all, when never published).
    pub fn added_since_published(&self) -> Vec<String> {
        if self.published.is_none() {
            return Vec::new();
        }
        let old = self.published_variable_names();
        self.variable_names()
            .into_iter()
            .filter(|n| !old.contains(n))
            .collect()
    }
}

fn redact(secret: &mut String) {
    if !secret.is_empty() {
        *secret = REDACTED.to_string();
    }
}

/// A dashboard row (SPEC 2): what lists show; never carries secrets.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SubmissionSummary {
    /// Submission id.
    pub id: String,
    /// Current version.
    pub version: u32,
    /// Display name.
    pub display_name: String,
    /// Logo, if any.
    pub logo: Option<Logo>,
    /// Protocols.
    pub protocols: Protocols,
    /// Status.
    pub status: Status,
    /// Last-updated time.
    pub updated: DateTime<Utc>,
    /// The catalog team's message with "ISV to review" (empty otherwise), shown on the row.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub review_note: String,
    /// The published version this row edits or is (`None`: never published). A Draft that
    /// edits a published integration can't be deleted (`transitions::can_delete`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published_version: Option<u32>,
}

/// Which version of a submission something belongs to (SPEC 5.2, 5.3).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub enum VersionKind {
    /// The version being edited and submitted.
    #[default]
    Current,
    /// The published version, for backwards-compatibility tests.
    Published,
}

/// What the customer admin sees for an OIDC instance.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct OidcDetails {
    /// Client ID.
    pub client_id: String,
    /// Client secret: a secret.
    pub client_secret: String,
    /// Redirect URIs resolved with the instance's variable values.
    pub redirect_uris: Vec<String>,
    /// Initiate login URI resolved, if any.
    pub initiate_login_uri: String,
    /// Where the IdP flow starts: the org's end-user dashboard tile of the instance
    /// (`{org URL}/home/oidc/{id}`), which sends the browser on to the initiate login URI with
    /// `iss` (OpenID Connect Core §4). Empty when the app has no initiate login URI.
    pub idp_flow_url: String,
}

/// What the customer admin sees for a SAML instance.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SamlDetails {
    /// IdP metadata URL.
    pub metadata_url: String,
    /// IdP single sign-on URL.
    pub sso_url: String,
    /// IdP issuer.
    pub issuer: String,
    /// ACS URL resolved with the instance's variable values.
    pub acs_url: String,
    /// Where the IdP flow starts: the instance's tile on the end-user dashboard.
    pub idp_flow_url: String,
    /// The IdP's signing certificate (PEM), offered for download; empty when the backend has
    /// none (the embedded backend is a simulated org and signs nothing).
    pub signing_certificate: String,
    /// Default relay state for this instance.
    pub default_relay_state: String,
    /// ForceAuthn (on by default).
    pub force_authn: bool,
}

/// What the customer admin sees for a SCIM instance.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ScimDetails {
    /// Base URL resolved with the instance's variable values.
    pub base_url: String,
    /// Authentication mode.
    pub auth_mode: ScimAuthMode,
    /// Whether the API integration is enabled.
    pub api_integration_enabled: bool,
    /// Token for header/bearer modes: a secret.
    pub token: String,
}

/// Generated details of an instance, per protocol.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct InstanceDetails {
    /// OIDC details.
    pub oidc: Option<OidcDetails>,
    /// SAML details.
    pub saml: Option<SamlDetails>,
    /// SCIM details.
    pub scim: Option<ScimDetails>,
}

/// An app instance generated in the org from one version of a submission (SPEC 0, 5.2).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Instance {
    /// Stable id (the app instance's id in the org).
    pub id: String,
    /// The submission it was generated from.
    pub submission_id: String,
    /// The submission version it was generated from.
    pub submission_version: u32,
    /// Whether it was generated from the published version.
    pub from_published: bool,
    /// One protocol, or one SSO protocol plus SCIM (SPEC 5.2).
    pub protocols: Vec<Protocol>,
    /// Application label.
    pub label: String,
    /// Value per integration variable name.
    pub variable_values: BTreeMap<String, String>,
    /// Assigned user ids.
    pub assigned_users: Vec<String>,
    /// Assigned group ids.
    pub assigned_groups: Vec<String>,
    /// The ACTIVE toggle.
    pub active: bool,
    /// Whether it was added to the tester.
    pub in_tester: bool,
    /// When it was generated.
    pub created_at: DateTime<Utc>,
    /// What the admin would see.
    pub details: InstanceDetails,
}

impl Instance {
    /// A copy with the OIDC client secret and SCIM token redacted.
    pub fn redacted(&self) -> Instance {
        let mut copy = self.clone();
        if let Some(d) = copy.details.oidc.as_mut() {
            redact(&mut d.client_secret);
        }
        if let Some(d) = copy.details.scim.as_mut() {
            redact(&mut d.token);
        }
        copy
    }

    /// Whether this instance serves an SSO protocol.
    pub fn is_sso(&self) -> bool {
        self.protocols.iter().any(|p| p.is_sso())
    }

    /// The SSO protocol it serves, if any.
    pub fn sso_protocol(&self) -> Option<Protocol> {
        self.protocols.iter().copied().find(|p| p.is_sso())
    }
}

/// A tester check (SPEC 5.3).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum TestCase {
    /// IdP flow.
    IdpFlow,
    /// SP flow.
    SpFlow,
    /// JIT provisioning (with IdP flow).
    JitWithIdp,
    /// JIT provisioning (with SP flow).
    JitWithSp,
}

impl TestCase {
    /// The name the tester shows.
    pub fn label(self) -> &'static str {
        match self {
            TestCase::IdpFlow => "IdP flow",
            TestCase::SpFlow => "SP flow",
            TestCase::JitWithIdp => "JIT provisioning (with IdP flow)",
            TestCase::JitWithSp => "JIT provisioning (with SP flow)",
        }
    }
}

/// Result of a run.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RunResult {
    /// Started, not yet continued.
    #[default]
    InProgress,
    /// The user confirmed a successful sign-in.
    Passed,
    /// The user reported a failure.
    Failed,
}

/// Where a record of a run comes from (SPEC 5.3; docs/api.md "Tester"). A record that does
/// not say is taken as self-reported: nothing is claimed as observed unless a backend says so.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RecordSource {
    /// The backend did or saw it itself (it created a user, it issued the sign-in).
    Observed,
    /// The user said so (a result confirmed in the "Test in progress" panel); nothing checked it.
    #[default]
    SelfReported,
}

/// One step of a run.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TestStep {
    /// When.
    pub at: DateTime<Utc>,
    /// What happened.
    pub description: String,
    /// Whether the step succeeded.
    pub ok: bool,
    /// Whether the backend recorded it itself or the user reported it.
    pub source: RecordSource,
}

/// One network request a backend observed during a run (no headers or bodies: no secrets).
/// Only a backend that saw the request records it; nothing is written on its behalf.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NetworkRecord {
    /// When.
    pub at: DateTime<Utc>,
    /// HTTP method.
    pub method: String,
    /// URL without query string secrets.
    pub url: String,
    /// HTTP status, 0 when none.
    pub status: u16,
    /// Short description.
    pub summary: String,
}

/// One tester run for one instance (SPEC 5.3).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TestRun {
    /// Stable id.
    pub id: String,
    /// The instance tested.
    pub instance_id: String,
    /// The case.
    pub case: Option<TestCase>,
    /// Current or published version.
    pub version_kind: VersionKind,
    /// Result.
    pub result: RunResult,
    /// Whether a backend observed the result (`observed`), or it is what the user reported
    /// (`selfReported`: every run of the embedded backend, which sees no sign-in).
    pub source: RecordSource,
    /// Where the test window signs in, as the backend computed it (the browser never
    /// overrides it).
    pub sign_in_url: String,
    /// Started.
    pub started_at: DateTime<Utc>,
    /// Finished (on Continue).
    pub finished_at: Option<DateTime<Utc>>,
    /// Steps.
    pub steps: Vec<TestStep>,
    /// Network traffic the backend observed (empty when it observed none).
    pub network: Vec<NetworkRecord>,
    /// What the user reported when the run failed.
    pub note: String,
    /// JIT runs: the temporary user the backend created for the sign-in (its name and email
    /// are what the app must show).
    pub jit_user: Option<User>,
    /// JIT runs: the temporary user's password, a secret. Only the answer to **Run test**
    /// carries it (shown once); stored runs, views and exports never do.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub jit_password: String,
}

/// An org role (SPEC 1), spelled as the org names it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Role {
    /// Super admin.
    SuperAdmin,
    /// App admin.
    AppAdmin,
    /// Org admin.
    OrgAdmin,
    /// The catalog team's reviewer (the embedded backend's Review desk, SPEC 2).
    CatalogReviewer,
}

/// A user of the org.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct User {
    /// Stable id.
    pub id: String,
    /// Email (its domain decides whether submissions are reviewed).
    pub email: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Admin roles.
    pub roles: Vec<Role>,
}

/// A group of the org.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Group {
    /// Stable id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Member user ids.
    pub user_ids: Vec<String>,
}

/// The tester session (SPEC 5.3).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TesterSession {
    /// Session id.
    pub id: String,
    /// When initialized or refreshed.
    pub started_at: DateTime<Utc>,
    /// When it expires.
    pub expires_at: DateTime<Utc>,
}

/// The developer's org: instances, users, groups, tester session and runs.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Org {
    /// The org URL (issuer of the org authorization server).
    pub url: String,
    /// App instances.
    pub instances: Vec<Instance>,
    /// Users.
    pub users: Vec<User>,
    /// Groups.
    pub groups: Vec<Group>,
    /// Tester session, once initialized.
    pub tester_session: Option<TesterSession>,
    /// Recorded tester runs.
    pub test_runs: Vec<TestRun>,
}

/// Base64 (standard alphabet, padded) for bytes in JSON.
pub mod base64 {
    use serde::{Deserialize, Deserializer, Serializer};

    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /// Encodes bytes.
    pub fn encode(bytes: &[u8]) -> String {
        let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
        for chunk in bytes.chunks(3) {
            let b = [
                chunk[0],
                chunk.get(1).copied().unwrap_or(0),
                chunk.get(2).copied().unwrap_or(0),
            ];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    }

    /// Decodes base64 (whitespace ignored); `None` when malformed.
    pub fn decode(text: &str) -> Option<Vec<u8>> {
        let clean: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
        if !clean.len().is_multiple_of(4) {
            return None;
        }
        let mut out = Vec::with_capacity(clean.len() / 4 * 3);
        for quad in clean.chunks(4) {
            let mut n = 0u32;
            let mut pad = 0;
            for (i, &c) in quad.iter().enumerate() {
                let v = match c {
                    b'A'..=b'Z' => c - b'A',
                    b'a'..=b'z' => c - b'a' + 26,
                    b'0'..=b'9' => c - b'0' + 52,
                    b'+' => 62,
                    b'/' => 63,
                    b'=' if i >= 2 => {
                        pad += 1;
                        0
                    }
                    _ => return None,
                };
                if pad > 0 && c != b'=' {
                    return None;
                }
                n = (n << 6) | u32::from(v);
            }
            let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
            out.extend_from_slice(&bytes[..3 - pad]);
        }
        Some(out)
    }

    /// Serde: bytes as a base64 string.
    pub fn serialize<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&encode(bytes))
    }

    /// Serde: a base64 string as bytes.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(deserializer)?;
        decode(&text).ok_or_else(|| serde::de::Error::custom("logo data is not valid base64"))
    }
}
