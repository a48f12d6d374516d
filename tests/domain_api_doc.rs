//! docs/api.md cannot drift: every ```json <Type> block parses into that type, and writing
//! it back yields every field of the example with the same value (fields the example leaves
//! out may be added with their defaults).

use oin_wizard::domain::api::*;
use oin_wizard::domain::dashboard::DashboardQuery;
use oin_wizard::domain::instances::{Detected, Eligibility, InstanceUpdate, TesterRow};
use oin_wizard::domain::testing::{ResultsExport, TestingView};
use oin_wizard::domain::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

fn blocks() -> Vec<(String, String)> {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/api.md"))
        .unwrap_or_default();
    let mut out = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in doc.lines() {
        match (&mut current, line.strip_prefix("```")) {
            (None, Some(info)) if info.starts_with("json") => {
                current = Some((
                    info.trim_start_matches("json").trim().to_string(),
                    String::new(),
                ));
            }
            (Some(_), Some("")) => out.extend(current.take()),
            (Some((_, body)), _) => {
                body.push_str(line);
                body.push('\n');
            }
            _ => {}
        }
    }
    out
}

/// Whether every field of `example` is in `written` with the same value.
fn subset(example: &Value, written: &Value, path: &str) -> Result<(), String> {
    match (example, written) {
        (Value::Object(e), Value::Object(w)) => e.iter().try_for_each(|(k, v)| match w.get(k) {
            None => Err(format!("{path}.{k}: not a field of the type")),
            Some(wv) => subset(v, wv, &format!("{path}.{k}")),
        }),
        (Value::Array(e), Value::Array(w)) if e.len() == w.len() => e
            .iter()
            .zip(w)
            .enumerate()
            .try_for_each(|(i, (a, b))| subset(a, b, &format!("{path}[{i}]"))),
        (e, w) if e == w => Ok(()),
        (e, w) => Err(format!("{path}: example {e} but written {w}")),
    }
}

fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(
    body: &str,
) -> Result<(), String> {
    let example: Value = serde_json::from_str(body).map_err(|e| format!("not JSON: {e}"))?;
    let typed: T =
        serde_json::from_value(example.clone()).map_err(|e| format!("does not parse: {e}"))?;
    let written = serde_json::to_value(&typed).map_err(|e| e.to_string())?;
    subset(&example, &written, "$")?;
    let again: T = serde_json::from_value(written).map_err(|e| e.to_string())?;
    if again != typed {
        return Err("second round trip differs".into());
    }
    Ok(())
}

#[test]
fn every_json_example_round_trips() {
    let blocks = blocks();
    assert!(blocks.len() >= 25, "found only {} examples", blocks.len());
    for (i, (ty, body)) in blocks.iter().enumerate() {
        let result = match ty.as_str() {
            "Submission" => round_trip::<Submission>(body),
            "PublishedVersion" => round_trip::<PublishedVersion>(body),
            "ListResponse<SubmissionSummary>" => {
                round_trip::<ListResponse<SubmissionSummary>>(body)
            }
            "ListResponse<TestRun>" => round_trip::<ListResponse<TestRun>>(body),
            "SubmitRequest" => round_trip::<SubmitRequest>(body),
            "ReviewRequest" => round_trip::<ReviewRequest>(body),
            "User" => round_trip::<User>(body),
            "Group" => round_trip::<Group>(body),
            "GenerateInstanceRequest" => round_trip::<GenerateInstanceRequest>(body),
            "Instance" => round_trip::<Instance>(body),
            "InstanceDetails" => round_trip::<InstanceDetails>(body),
            "InstanceUpdate" => round_trip::<InstanceUpdate>(body),
            "SetActiveRequest" => round_trip::<SetActiveRequest>(body),
            "AssignRequest" => round_trip::<AssignRequest>(body),
            "Detected" => round_trip::<Detected>(body),
            "Eligibility" => round_trip::<Eligibility>(body),
            "TesterSessionResponse" => round_trip::<TesterSessionResponse>(body),
            "TestRun" => round_trip::<TestRun>(body),
            "Problem" => round_trip::<Problem>(body),
            "UnmetRequirement" => round_trip::<UnmetRequirement>(body),
            "DomainError" => round_trip::<DomainError>(body),
            "TesterRow" => round_trip::<TesterRow>(body),
            "StartRunRequest" => round_trip::<StartRunRequest>(body),
            "FinishRunRequest" => round_trip::<FinishRunRequest>(body),
            "ScimCheckResponse" => round_trip::<ScimCheckResponse>(body),
            "ScimRun" => round_trip::<oin_wizard::domain::scim_report::ScimRun>(body),
            "ScimOauthStart" => round_trip::<oin_wizard::domain::scim_oauth::ScimOauthStart>(body),
            "TestingView" => round_trip::<TestingView>(body),
            "ResultsExport" => round_trip::<ResultsExport>(body),
            "DashboardQuery" => round_trip::<DashboardQuery>(body),
            other => Err(format!(
                "unknown type {other:?}: name the type after ```json"
            )),
        };
        assert_eq!(result, Ok(()), "example #{i} ({ty})");
    }
}

#[test]
fn the_full_submission_example_is_valid_and_redacted() {
    let full = blocks()
        .into_iter()
        .find(|(t, b)| t == "Submission" && b.contains("catalog"));
    let s: Option<Submission> = full.and_then(|(_, b)| serde_json::from_str(&b).ok());
    let s = s.unwrap_or_default();
    assert_eq!(s.test_info.password, REDACTED);
    let problems = validation::validate(&s, &StaticOnly);
    assert!(problems.is_empty(), "{problems:?}");
}
