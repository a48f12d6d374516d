//! What the SCIM runner (`scim-runner/`, issue 15) hands back: serializable, secrets already
//! redacted, one step per check; and a [`ScimRun`], a run as the server stores it.
//!
//! The server stores a [`Report`] as JSON and the Test integration page shows it; the
//! field names are camelCase like the rest of `docs/api.md`. The types live in the domain so
//! the runner, the server and the app share one definition.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Which action produced a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum RunKind {
    /// **Test API Credentials**: one `GET /Users?count=1`.
    Credentials,
    /// **Run SCIM tests**: the suites of SPEC 5.4, limited to the declared operations.
    Conformance,
}

/// The outcome of one step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum StepKind {
    /// A check of the vendor's server; counts toward the outcome.
    Check,
    /// Removing what the run created; a failure leaves a [`Leftover`], not a failed check.
    Cleanup,
}

/// The rule a check enforces: document, section and the rule in a sentence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

    /// One line for a list or a notice: what passed, or the first failure's reason.
    pub fn headline(&self) -> String {
        let checks = || self.steps.iter().filter(|s| s.kind == StepKind::Check);
        let failed: Vec<&Step> = checks().filter(|s| s.verdict == Verdict::Fail).collect();
        match (self.kind, failed.first()) {
            (RunKind::Credentials, Some(first)) => first.reason.clone(),
            (RunKind::Credentials, None) => checks()
                .next_back()
                .map(|s| s.reason.clone())
                .unwrap_or_else(|| "Nothing was checked.".into()),
            (RunKind::Conformance, Some(first)) if failed.len() == 1 => {
                format!("1 check failed ({}): {}", first.title, first.reason)
            }
            (RunKind::Conformance, Some(_)) => {
                let titles: Vec<&str> = failed.iter().map(|s| s.title.as_str()).collect();
                format!("{} checks failed: {}.", failed.len(), titles.join("; "))
            }
            (RunKind::Conformance, None) if self.counts.passed == 0 => {
                "Nothing was checked.".into()
            }
            (RunKind::Conformance, None) => format!(
                "All {} checks passed ({} not applicable).",
                self.counts.passed, self.counts.skipped
            ),
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

/// A **Run SCIM tests** run as the server keeps it (`POST /api/v1/instances/{id}/scim-runs`):
/// the steps so far while it runs, the whole report once it ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ScimRun {
    /// The run's id.
    pub id: String,
    /// The SCIM instance it called.
    pub instance_id: String,
    /// The integration the instance belongs to.
    pub submission_id: String,
    /// When the server started it.
    pub started_at: DateTime<Utc>,
    /// When it ended (cleanup included); `None` while it runs.
    pub finished_at: Option<DateTime<Utc>>,
    /// The steps completed so far (all of them once it ended).
    pub steps: Vec<Step>,
    /// The report, once it ended.
    pub report: Option<Report>,
}

impl ScimRun {
    /// Whether it ended with every check that ran passing (a report whose `passed` holds).
    pub fn passed(&self) -> bool {
        self.finished_at.is_some() && self.report.as_ref().is_some_and(|r| r.passed)
    }

    /// The run in one line as the Test integration page shows it, with the end time in the
    /// zone `east_minutes` east of UTC, named (issue 11; [`super::time`]).
    pub fn outcome_words(&self, east_minutes: i32) -> String {
        let (Some(at), Some(report)) = (&self.finished_at, &self.report) else {
            return format!("SCIM tests running: {} steps done…", self.steps.len());
        };
        let leftovers = if report.leftovers.is_empty() {
            String::new()
        } else {
            format!(
                ". Delete by hand what cleanup could not: {}",
                report
                    .leftovers
                    .iter()
                    .map(|l| format!("{} {} ({})", l.resource_type, l.name, l.id))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        format!(
            "{} {} ({} passed, {} failed, {} not applicable; {:.1} s, ended {}){}",
            if report.passed {
                "SCIM tests passed:"
            } else {
                "SCIM tests failed:"
            },
            report.headline(),
            report.counts.passed,
            report.counts.failed,
            report.counts.skipped,
            report.duration_ms as f64 / 1000.0,
            super::time::local_time_seconds(*at, east_minutes),
            leftovers
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The JSON the server stores and the UI reads: field names and enum spellings.
    #[test]
    fn a_report_serializes_to_the_agreed_shape() {
        let step = |id: &str, kind, verdict| Step {
            id: id.into(),
            title: "Create a user".into(),
            kind,
            rule: Some(Rule {
                document: "RFC 7644".into(),
                section: "3.3".into(),
                text: "POST creates.".into(),
            }),
            verdict,
            reason: "Created.".into(),
            exchanges: vec![Exchange {
                request: RecordedRequest {
                    method: "POST".into(),
                    url: "https://scim.example.com/v2/Users".into(),
                    headers: vec![("Authorization".into(), "Bearer [redacted]".into())],
                    body: Some("{}".into()),
                },
                response: Some(RecordedResponse {
                    status: 201,
                    headers: vec![("content-type".into(), "application/scim+json".into())],
                    body: "{}".into(),
                    truncated: false,
                }),
                error: None,
                duration_ms: 12,
            }],
            duration_ms: 13,
        };
        let started = DateTime::parse_from_rfc3339("2026-12-04T16:00:00Z")
            .map(|d| d.with_timezone(&Utc))
            .unwrap();
        let report = Report::new(
            RunKind::Conformance,
            "https://scim.example.com/v2".into(),
            started,
            40,
            vec![
                step("users.create", StepKind::Check, Verdict::Pass),
                step("users.patch", StepKind::Check, Verdict::Skipped),
                step("cleanup.1", StepKind::Cleanup, Verdict::Fail),
            ],
            vec![Leftover {
                resource_type: "User".into(),
                id: "u1".into(),
                name: "a@example.com".into(),
            }],
        );
        let v = serde_json::to_value(&report).unwrap();
        assert_eq!(v["kind"], "conformance");
        assert_eq!(v["startedAt"], "2026-12-04T16:00:00Z");
        assert_eq!(
            (v["passed"].as_bool(), v["durationMs"].as_u64()),
            (Some(true), Some(40))
        );
        assert_eq!(
            v["counts"],
            serde_json::json!({"passed": 1, "failed": 0, "skipped": 1})
        );
        let s = &v["steps"][0];
        assert_eq!(
            (s["kind"].as_str(), s["verdict"].as_str()),
            (Some("check"), Some("pass"))
        );
        assert_eq!(
            s["rule"],
            serde_json::json!({"document": "RFC 7644", "section": "3.3", "text": "POST creates."})
        );
        let ex = &s["exchanges"][0];
        assert_eq!(
            ex["request"]["headers"][0],
            serde_json::json!(["Authorization", "Bearer [redacted]"])
        );
        assert_eq!(
            (ex["response"]["status"].as_u64(), ex["durationMs"].as_u64()),
            (Some(201), Some(12))
        );
        assert!(ex["error"].is_null());
        assert_eq!(v["steps"][2]["kind"], "cleanup");
        assert_eq!(
            v["leftovers"][0],
            serde_json::json!({"resourceType": "User", "id": "u1", "name": "a@example.com"})
        );
        let back: Report = serde_json::from_value(v).unwrap();
        assert_eq!(back, report);
    }

    #[test]
    fn headlines_say_what_passed_or_what_failed_first() {
        let step = |id: &str, title: &str, verdict, reason: &str| Step {
            id: id.into(),
            title: title.into(),
            kind: StepKind::Check,
            rule: None,
            verdict,
            reason: reason.into(),
            exchanges: Vec::new(),
            duration_ms: 0,
        };
        let at = DateTime::<Utc>::UNIX_EPOCH; // the domain has no clock
        let pass = step(
            "credentials",
            "Test API Credentials",
            Verdict::Pass,
            "Answered 200 in 5 ms.",
        );
        let fail = step(
            "users.filter",
            "Find the user by userName",
            Verdict::Fail,
            "Ignored the filter.",
        );
        let fail2 = step(
            "users.create",
            "Create a user",
            Verdict::Fail,
            "200 not 201.",
        );
        let skip = step(
            "users.patch",
            "Update the user with PATCH",
            Verdict::Skipped,
            "Not declared.",
        );
        let report =
            |kind, steps: Vec<Step>| Report::new(kind, String::new(), at, 0, steps, Vec::new());
        let rows = [
            (
                report(RunKind::Credentials, vec![pass.clone()]),
                "Answered 200 in 5 ms.",
            ),
            (
                report(RunKind::Credentials, vec![fail.clone()]),
                "Ignored the filter.",
            ),
            (
                report(RunKind::Conformance, vec![pass.clone(), skip.clone()]),
                "All 1 checks passed (1 not applicable).",
            ),
            (
                report(RunKind::Conformance, vec![pass.clone(), fail.clone()]),
                "1 check failed (Find the user by userName): Ignored the filter.",
            ),
            (
                report(RunKind::Conformance, vec![fail2, fail]),
                "2 checks failed: Create a user; Find the user by userName.",
            ),
            (
                report(RunKind::Conformance, vec![skip]),
                "Nothing was checked.",
            ),
        ];
        for (r, want) in rows {
            assert_eq!(r.headline(), want);
        }
    }

    #[test]
    fn a_run_with_no_check_run_has_not_passed() {
        let report = Report::new(
            RunKind::Credentials,
            String::new(),
            DateTime::<Utc>::UNIX_EPOCH,
            0,
            Vec::new(),
            Vec::new(),
        );
        assert!(!report.passed);
    }
}
