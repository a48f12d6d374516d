//! What the Test integration page reads in one request (`TestingView`) and **Export results**
//! (SPEC 5.3): redacted views of the org, never a secret.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::model::{
    Instance, Org, Protocol, Submission, TestRun, TesterSession, User, API_VERSION,
};

/// One instance in the exported results (no details: no secrets).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportedInstance {
    /// Id.
    pub id: String,
    /// Application label.
    pub label: String,
    /// Protocols.
    pub protocols: Vec<Protocol>,
    /// The version it was generated from.
    pub submission_version: u32,
    /// Generated from the published version.
    pub from_published: bool,
    /// ACTIVE.
    pub active: bool,
}

/// **Export results** (SPEC 5.3): the integration's instances and runs, no secrets.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResultsExport {
    /// Contract version.
    pub api_version: u32,
    /// The integration.
    pub submission_id: String,
    /// Its display name.
    pub display_name: String,
    /// Its current version.
    pub version: u32,
    /// When exported.
    pub exported_at: DateTime<Utc>,
    /// Its instances.
    pub instances: Vec<ExportedInstance>,
    /// Every run of those instances.
    pub runs: Vec<TestRun>,
}

/// SPEC 5.3: the export of one integration's results.
pub fn export_results(submission: &Submission, org: &Org, now: DateTime<Utc>) -> ResultsExport {
    let instances: Vec<&Instance> = org
        .instances
        .iter()
        .filter(|i| i.submission_id == submission.id)
        .collect();
    let runs = org
        .test_runs
        .iter()
        .filter(|r| instances.iter().any(|i| i.id == r.instance_id))
        .cloned()
        .collect();
    ResultsExport {
        api_version: API_VERSION,
        submission_id: submission.id.clone(),
        display_name: submission.catalog.display_name.clone(),
        version: submission.version,
        exported_at: now,
        instances: instances
            .into_iter()
            .map(|i| ExportedInstance {
                id: i.id.clone(),
                label: i.label.clone(),
                protocols: i.protocols.clone(),
                submission_version: i.submission_version,
                from_published: i.from_published,
                active: i.active,
            })
            .collect(),
        runs,
    }
}

/// What the Test integration page needs in one read (`GET /api/v1/testing/{submissionId}`):
/// every instance of the org (redacted; the limit counts them all), this integration's runs,
/// the tester session, users and groups.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TestingView {
    /// Contract version.
    pub api_version: u32,
    /// The org URL.
    pub org_url: String,
    /// Every instance in the org, redacted.
    pub instances: Vec<Instance>,
    /// Runs of this integration's instances.
    pub test_runs: Vec<TestRun>,
    /// The tester session.
    pub tester_session: Option<TesterSession>,
    /// Users of the org.
    pub users: Vec<User>,
    /// Groups of the org.
    pub groups: Vec<crate::domain::model::Group>,
    /// Where the vendor's OAuth 2.0 authorization server sends the browser back after
    /// **Authenticate** (SCIM over OAuth 2.0): the server's public URL and
    /// [`CALLBACK_PATH`](crate::domain::scim_oauth::CALLBACK_PATH). Empty when the backend
    /// cannot receive it (the embedded one).
    pub scim_oauth_redirect_uri: String,
}

impl TestingView {
    /// The view of `org` for one integration.
    pub fn of(org: &Org, submission_id: &str) -> TestingView {
        let ids: Vec<&str> = org
            .instances
            .iter()
            .filter(|i| i.submission_id == submission_id)
            .map(|i| i.id.as_str())
            .collect();
        TestingView {
            api_version: API_VERSION,
            org_url: org.url.clone(),
            instances: org.instances.iter().map(Instance::redacted).collect(),
            test_runs: org
                .test_runs
                .iter()
                .filter(|r| ids.contains(&r.instance_id.as_str()))
                .cloned()
                .collect(),
            tester_session: org.tester_session.clone(),
            users: org.users.clone(),
            groups: org.groups.clone(),
            scim_oauth_redirect_uri: String::new(),
        }
    }

    /// The org as the core's rules see it (instances, runs, session).
    pub fn org(&self) -> Org {
        Org {
            url: self.org_url.clone(),
            instances: self.instances.clone(),
            users: self.users.clone(),
            groups: self.groups.clone(),
            tester_session: self.tester_session.clone(),
            test_runs: self.test_runs.clone(),
        }
    }
}
