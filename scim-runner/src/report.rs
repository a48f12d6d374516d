//! What a run hands back: serializable, secrets already redacted, one step per check.
//!
//! The server stores a [`Report`] as JSON and the Test integration page shows it; the
//! field names are camelCase like the rest of `docs/api.md`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Which action produced a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RunKind {
    /// **Test API Credentials**: one `GET /Users?count=1`.
    Credentials,
    /// **Run SCIM tests**: the suites of SPEC 5.4, limited to the declared operations.
    Conformance,
}

/// The outcome of one step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Verdict {
    /// The server did what the rule requires.
    Pass,
    /// It did not; the step's reason says what to change.
    Fail,
    /// Not run; the step's reason says why (not declared, an earlier step failed, time up).
    Skipped,
}

/// Whether a step is a conformance check or the runner tidying up after itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum StepKind {
    /// A check of the vendor's server; counts toward the outcome.
    Check,
    /// Removing what the run created; a failure leaves a [`Leftover`], not a failed check.
    Cleanup,
}

/// The rule a check enforces: document, section and the rule in a sentence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    /// "RFC 7643", "RFC 7644" or "RFC 6749".
    pub document: String,
    /// Section number, e.g. "3.3".
    pub section: String,
    /// What the section requires, in one sentence.
    pub text: String,
}

/// One HTTP request as sent (credentials and passwords replaced by `[redacted]`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordedRequest {
    /// HTTP method.
    pub method: String,
    /// Full URL (never carries a secret: credentials travel in headers only).
    pub url: String,
    /// The headers that matter, `Authorization` redacted.
    pub headers: Vec<(String, String)>,
    /// The body, redacted, if any.
    pub body: Option<String>,
}

/// One HTTP response as received (redacted, body cut at [`RECORDED_BODY_BYTES`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordedResponse {
    /// Status code.
    pub status: u16,
    /// The headers that matter (content type, location, WWW-Authenticate…).
    pub headers: Vec<(String, String)>,
    /// The body as text, redacted and possibly cut.
    pub body: String,
    /// Whether the body was cut for the report.
    pub truncated: bool,
}

/// How much of a response body a report keeps.
pub const RECORDED_BODY_BYTES: usize = 16 * 1024;

/// One request and what came back (a response, or why there was none).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Exchange {
    /// The request.
    pub request: RecordedRequest,
    /// The response, when one arrived.
    pub response: Option<RecordedResponse>,
    /// Why no (complete) response arrived: DNS, TLS, refused, timeout, too large…
    pub error: Option<String>,
    /// From sending to the end of the body.
    pub duration_ms: u64,
}

/// One check (or cleanup action) of a run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    /// Stable id, e.g. `users.create` (the UI and tests key on it).
    pub id: String,
    /// Title in the vendor's words, e.g. "Create a user".
    pub title: String,
    /// Check or cleanup.
    pub kind: StepKind,
    /// The rule it checks, when it checks one.
    pub rule: Option<Rule>,
    /// Pass, fail or skipped.
    pub verdict: Verdict,
    /// What happened, in words a vendor can act on.
    pub reason: String,
    /// Requests made by this step, in order.
    pub exchanges: Vec<Exchange>,
    /// Wall time of the step.
    pub duration_ms: u64,
}

/// Something the run created and could not remove: the vendor should delete it by hand.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Leftover {
    /// "User" or "Group".
    pub resource_type: String,
    /// Its id on the vendor's server.
    pub id: String,
    /// Its userName or displayName.
    pub name: String,
}

/// Counts of checks (cleanup steps are not counted).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Counts {
    /// Checks that passed.
    pub passed: u32,
    /// Checks that failed.
    pub failed: u32,
    /// Checks not run.
    pub skipped: u32,
}

/// The whole run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// Which action.
    pub kind: RunKind,
    /// The SCIM base URL that was called.
    pub base_url: String,
    /// When the run started.
    pub started_at: DateTime<Utc>,
    /// Wall time of the run.
    pub duration_ms: u64,
    /// True when at least one check ran and none failed.
    pub passed: bool,
    /// Counts of checks.
    pub counts: Counts,
    /// Every step in order.
    pub steps: Vec<Step>,
    /// What cleanup could not remove.
    pub leftovers: Vec<Leftover>,
}

impl Report {
    /// Builds a report from its steps, computing the counts and the outcome.
    pub fn new(
        kind: RunKind,
        base_url: String,
        started_at: DateTime<Utc>,
        duration_ms: u64,
        steps: Vec<Step>,
        leftovers: Vec<Leftover>,
    ) -> Report {
        let mut counts = Counts::default();
        for step in steps.iter().filter(|s| s.kind == StepKind::Check) {
            match step.verdict {
                Verdict::Pass => counts.passed += 1,
                Verdict::Fail => counts.failed += 1,
                Verdict::Skipped => counts.skipped += 1,
            }
        }
        Report {
            kind,
            base_url,
            started_at,
            duration_ms,
            passed: counts.failed == 0 && counts.passed > 0,
            counts,
            steps,
            leftovers,
        }
    }

    /// The step with this id, if the run has one.
    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.id == id)
    }

    /// Ids of the checks with this verdict, in order.
    pub fn ids_with(&self, verdict: Verdict) -> Vec<&str> {
        self.steps
            .iter()
            .filter(|s| s.kind == StepKind::Check && s.verdict == verdict)
            .map(|s| s.id.as_str())
            .collect()
    }
}
