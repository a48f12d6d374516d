//! The one door to the backend (STYLE: "one door"). Pages call [`Backend`] and nothing else:
//! never `fetch`, never storage. Two implementations, chosen at start-up:
//!
//! - `embedded` (default): the contract of `docs/api.md` inside the browser, on IndexedDB,
//!   deciding every rule and transition with [`crate::domain`] exactly as a server would.
//! - `http`: the same contract against any server, over JSON, at the `baseUrl` of
//!   [`config`] (`config.json`, read at start-up).
//!
//! The trait, its error type, the configuration and the HTTP backend's reading of answers are
//! plain Rust (native too, tested there); the implementations are wasm32.

use std::future::Future;
use std::pin::Pin;

use crate::domain::api::{
    FinishRunRequest, GenerateInstanceRequest, ReviewRequest, ScimCheckResponse, StartRunRequest,
    SubmitRequest,
};
use crate::domain::instances::InstanceUpdate;
use crate::domain::scim_report::ScimRun;
use crate::domain::testing::TestingView;
use crate::domain::{
    DomainError, ErrorCode, Instance, Submission, SubmissionSummary, TestRun, TesterSession, User,
};

pub mod config;
pub mod drafts;
#[cfg(target_arch = "wasm32")]
pub mod embedded;
pub mod http;
#[cfg(target_arch = "wasm32")]
mod idb;
#[cfg(target_arch = "wasm32")]
pub mod lazy;
#[cfg(target_arch = "wasm32")]
pub mod prefs;
pub mod records;
pub mod samples;

/// A future a backend call returns (single-threaded: the browser).
pub type BackendFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, BackendError>> + 'a>>;

/// Why a backend call failed, in words a user can act on. Never holds a secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BackendError {
    /// The backend refused the request by a rule (403/404/409/422): the domain's own error.
    Refused(DomainError),
    /// The network is down or the server unreachable: retry later.
    Offline(String),
    /// The server took too long: retry.
    Timeout(String),
    /// The server failed (5xx) or answered something unreadable: retry, or report.
    Server(String),
    /// Browser storage failed (embedded backend): unavailable, blocked or full.
    Storage(String),
    /// The server does not know who is asking (401): sign in, then retry.
    SignIn(String),
}

impl BackendError {
    /// The message to show as-is.
    pub fn message(&self) -> &str {
        match self {
            BackendError::Refused(e) => &e.message,
            BackendError::Offline(m)
            | BackendError::Timeout(m)
            | BackendError::Server(m)
            | BackendError::Storage(m)
            | BackendError::SignIn(m) => m,
        }
    }

    /// Whether trying the same call again may succeed (offers "Retry").
    pub fn is_retryable(&self) -> bool {
        !matches!(self, BackendError::Refused(_))
    }

    /// Whether signing in (again) is the way out (a 401): offers the sign-in form.
    pub fn needs_sign_in(&self) -> bool {
        matches!(self, BackendError::SignIn(_))
    }

    /// Whether this is a stale save (409 Conflict): someone saved a newer version.
    pub fn is_conflict(&self) -> bool {
        matches!(self, BackendError::Refused(e) if e.code == ErrorCode::Conflict)
    }
}

impl std::fmt::Display for BackendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for BackendError {}

impl From<DomainError> for BackendError {
    fn from(e: DomainError) -> Self {
        BackendError::Refused(e)
    }
}

/// What a backend without the SCIM runner (the embedded one) answers to **Run SCIM tests**:
/// a refusal that says so, never a simulated run.
pub fn needs_the_server() -> BackendError {
    BackendError::Refused(DomainError::new(
        ErrorCode::Rejected,
        "Run SCIM tests needs the OIN Wizard server: this in-browser backend cannot call your SCIM server. Run the SCIM API specification and CRUD tests with your own tools and link to their results below.",
    ))
}

/// What the in-browser backend answers to **Authenticate** (SPEC 4.5, 5.2).
pub fn oauth_needs_the_server() -> BackendError {
    BackendError::Refused(DomainError::new(
        ErrorCode::Rejected,
        OAUTH_NEEDS_THE_SERVER,
    ))
}

/// The words of [`oauth_needs_the_server`], also shown beside the disabled button.
pub const OAUTH_NEEDS_THE_SERVER: &str = "Authenticate needs the OIN Wizard server: the vendor's authorization server sends the code to a redirect URI, and this in-browser backend has none, so no OAuth 2.0 token can be obtained here.";

/// The operations of `docs/api.md` the UI uses. Both implementations answer with the
/// domain's types; a refused request is [`BackendError::Refused`] with the domain's message.
pub trait Backend {
    /// The signed-in user (header, role rules).
    fn current_user(&self) -> BackendFuture<'_, User>;
    /// Every submission, as list rows (no secrets).
    fn list_submissions(&self) -> BackendFuture<'_, Vec<SubmissionSummary>>;
    /// **Build new OIN integration**: a new Draft.
    fn create_submission(&self) -> BackendFuture<'_, Submission>;
    /// One submission, whole.
    fn get_submission(&self, id: &str) -> BackendFuture<'_, Submission>;
    /// Saves an edit based on `submission.version`; a stale one is refused with Conflict.
    fn save_submission(&self, submission: Submission) -> BackendFuture<'_, Submission>;
    /// **Edit integration** on a published submission: a Draft dated now, published version kept.
    fn edit_integration(&self, id: &str) -> BackendFuture<'_, Submission>;
    /// Signs in to a server (`POST /session`): the user, or why not (a wrong password, too
    /// many attempts). The embedded backend has no sign-in.
    fn sign_in(&self, _email: String, _password: String) -> BackendFuture<'_, User> {
        Box::pin(async {
            Err(BackendError::Refused(DomainError::new(
                ErrorCode::Forbidden,
                "The embedded backend has no sign-in: everything stays in this browser",
            )))
        })
    }
    /// Signs out of a server (`DELETE /session`).
    fn sign_out(&self) -> BackendFuture<'_, ()> {
        Box::pin(async { Ok(()) })
    }
    /// **Delete draft**: removes a Draft the user no longer wants (`transitions::can_delete`).
    fn delete_submission(&self, id: &str) -> BackendFuture<'_, ()>;
    /// **Withdraw submission**: OIN to review → Draft (`transitions::withdraw`).
    fn withdraw_submission(&self, id: &str) -> BackendFuture<'_, Submission>;
    /// Changes the signed-in user's email and roles (the embedded org's profile dialog, so
    /// every role rule can be tried); a server refuses it.
    fn update_current_user(&self, user: User) -> BackendFuture<'_, User>;
    /// "Load sample integrations": one submission per status (embedded backend only).
    fn load_samples(&self) -> BackendFuture<'_, ()>;
    /// The logo bytes of a submission whose list row names a logo without its bytes (the
    /// embedded backend keeps logos apart as Blobs). `None`: no logo.
    fn logo_bytes(&self, _id: &str) -> BackendFuture<'_, Option<Vec<u8>>> {
        Box::pin(async { Ok(None) })
    }

    /// The Test integration page's read: every org instance (redacted), this integration's
    /// runs, the tester session, users and groups.
    fn testing_view(&self, submission_id: &str) -> BackendFuture<'_, TestingView>;
    /// **Generate instance**: the new instance with its secrets (shown as to a customer admin).
    fn generate_instance(&self, request: GenerateInstanceRequest) -> BackendFuture<'_, Instance>;
    /// **Regenerate instance**: an outdated instance replaced in its slot by one generated from
    /// the version it serves (with its secrets, shown once).
    fn regenerate_instance(&self, id: &str) -> BackendFuture<'_, Instance>;
    /// One instance with its secrets (the reveal of a client secret or SCIM token).
    fn get_instance(&self, id: &str) -> BackendFuture<'_, Instance>;
    /// **Update instance details** (and assignments): that instance's results are removed.
    fn update_instance(&self, id: &str, update: InstanceUpdate) -> BackendFuture<'_, Instance>;
    /// The ACTIVE toggle.
    fn set_instance_active(&self, id: &str, active: bool) -> BackendFuture<'_, Instance>;
    /// Deletes an inactive instance.
    fn delete_instance(&self, id: &str) -> BackendFuture<'_, ()>;
    /// **Add to Tester**.
    fn add_to_tester(&self, id: &str) -> BackendFuture<'_, Instance>;
    /// **Remove from Tester**: its results are cleared.
    fn remove_from_tester(&self, id: &str) -> BackendFuture<'_, Instance>;
    /// **Initialize Tester** / **Refresh tester session**.
    fn start_tester_session(&self) -> BackendFuture<'_, TesterSession>;
    /// **Run test**: an in-progress run (JIT: the temporary user is created and assigned).
    fn start_run(&self, request: StartRunRequest) -> BackendFuture<'_, TestRun>;
    /// **Continue**: the result (JIT: the temporary user is removed).
    fn finish_run(&self, id: &str, request: FinishRunRequest) -> BackendFuture<'_, TestRun>;
    /// "Test API Credentials" of a SCIM instance.
    fn check_scim_credentials(&self, id: &str) -> BackendFuture<'_, ScimCheckResponse>;
    /// **Run SCIM tests**: the server's SCIM runner starts a run against the instance (one at
    /// a time per instance: Conflict while one runs). The embedded backend has no runner and
    /// answers [`needs_the_server`].
    fn start_scim_run(&self, instance_id: &str) -> BackendFuture<'_, ScimRun>;
    /// The instance's latest SCIM run, running or ended (`None`: never run).
    fn latest_scim_run(&self, instance_id: &str) -> BackendFuture<'_, Option<ScimRun>>;
    /// **Authenticate** (SCIM over OAuth 2.0): the vendor's authorize URL to send the browser
    /// to. The embedded backend cannot receive the code and answers [`oauth_needs_the_server`].
    fn start_scim_oauth(
        &self,
        instance_id: &str,
    ) -> BackendFuture<'_, crate::domain::scim_oauth::ScimOauthStart>;
    /// Creates a test user in the org (org admin or super admin).
    fn create_test_user(&self, user: User) -> BackendFuture<'_, User>;
    /// **Submit integration**.
    fn submit(&self, id: &str, request: SubmitRequest) -> BackendFuture<'_, Submission>;
    /// The catalog team's decision (the embedded backend's Review desk).
    fn review(&self, id: &str, request: ReviewRequest) -> BackendFuture<'_, Submission>;
}
