//! Request and response bodies of the backend contract (docs/api.md, `/api/v1`) that are not
//! model types themselves. Both backends (embedded and HTTP) speak exactly these.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::model::{Protocol, TestCase, TesterSession, VersionKind, API_VERSION};
use super::transitions::ReviewDecision;

/// A list response: `GET /api/v1/submissions`, `GET /api/v1/instances`, …
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListResponse<T> {
    /// Always [`API_VERSION`].
    pub api_version: u32,
    /// The items.
    pub items: Vec<T>,
}

impl<T> ListResponse<T> {
    /// A list at the current contract version.
    pub fn new(items: Vec<T>) -> Self {
        ListResponse {
            api_version: API_VERSION,
            items,
        }
    }
}

/// `POST /api/v1/instances`: **Generate instance** (SPEC 5.2).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct GenerateInstanceRequest {
    /// The submission.
    pub submission_id: String,
    /// Generate from the current or the published version.
    pub version: VersionKind,
    /// One protocol, or one SSO protocol plus SCIM.
    pub protocols: Vec<Protocol>,
    /// Application label.
    pub label: String,
    /// A value per integration variable name.
    pub variable_values: BTreeMap<String, String>,
}

/// `POST /api/v1/instances/{id}/active`: the ACTIVE toggle.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SetActiveRequest {
    /// On or off.
    pub active: bool,
}

/// `PUT /api/v1/instances/{id}/assignments`: **Assign test users** (people or groups).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AssignRequest {
    /// User ids.
    pub user_ids: Vec<String>,
    /// Group ids.
    pub group_ids: Vec<String>,
}

/// `POST /api/v1/submissions/{id}/submit`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SubmitRequest {
    /// The version the user saw (409 when stale).
    pub version: u32,
    /// "I certify that I have successfully completed required tests".
    pub certified: bool,
}

/// `POST /api/v1/submissions/{id}/review` (catalog team only).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReviewRequest {
    /// The version reviewed.
    pub version: u32,
    /// The decision.
    pub decision: ReviewDecision,
    /// Optional note to the vendor.
    #[serde(default)]
    pub note: String,
}

/// `GET /api/v1/tester/session` and `POST /api/v1/tester/session` (initialize / refresh).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TesterSessionResponse {
    /// Always [`API_VERSION`].
    pub api_version: u32,
    /// The session, `null` before **Initialize Tester**.
    pub session: Option<TesterSession>,
}

/// `POST /api/v1/test-runs`: **Run test** for one case of an instance in the tester.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StartRunRequest {
    /// The instance in the tester.
    pub instance_id: String,
    /// The case.
    pub case: TestCase,
    /// Current or published version.
    #[serde(default)]
    pub version: VersionKind,
}

/// `PUT /api/v1/test-runs/{id}`: **Continue** with the result the user saw.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FinishRunRequest {
    /// "The user successfully signed in to your app".
    pub passed: bool,
    /// What went wrong (required for a failure).
    pub note: String,
}

/// `POST /api/v1/instances/{id}/scim-check`: the answer to "Test API Credentials". Three
/// outcomes: passed (`ok`), failed, or not run (`notRun`: no request was made, so neither).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ScimCheckResponse {
    /// Whether the credentials worked (a request reached the SCIM server and was accepted).
    pub ok: bool,
    /// No request was made (the backend has no way to reach the SCIM server): neither
    /// passed nor failed. `ok` is then false.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub not_run: bool,
    /// What the backend found, in words.
    pub message: String,
    /// Whether a request reached for the SCIM server (false: nothing was sent, e.g. the
    /// settings are incomplete or this backend cannot call it).
    pub called: bool,
    /// The HTTP status the SCIM server answered, when it answered.
    pub status: Option<u16>,
    /// How long the check took, in milliseconds, when a request was made.
    pub latency_ms: Option<u64>,
    /// The runner's report of the check (request and response, tokens redacted).
    pub report: Option<super::scim_report::Report>,
}
