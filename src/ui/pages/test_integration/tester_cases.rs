//! SPEC 5.3: the tester's test cases, grouped CURRENT VERSION / PUBLISHED VERSION and by
//! protocol, each with its state now (a pass counts down its 48 hours), **Run test**, and an
//! expansion with the latest run's steps and network traffic. The rows come from
//! `domain::instances::tester_rows`; each row's id is the submit checklist's link target.

use chrono::{DateTime, Duration, Utc};
use leptos::prelude::*;

use crate::domain::instances::{can_run_test, run_validity, tester_rows, RunValidity, TesterRow};
use crate::domain::roles::Action;
use crate::domain::submit::{protocol_key, version_key};
use crate::domain::{
    NetworkRecord, Org, Protocol, RecordSource, RunResult, TestCase, TestRun, VersionKind,
};
use crate::ui::components::problem_summary::field_id;
use crate::ui::context::app_state;
use crate::ui::editor::editor;
use crate::ui::testing::testing;

use super::tester_run::runs;

/// The element id of a case's row (`tests.current.oidc.IdpFlow` → `field-tests-current-oidc-IdpFlow`),
/// the same path `domain::submit` names in its unmet requirements.
pub fn row_id(version: VersionKind, protocol: Protocol, case: TestCase) -> String {
    field_id(&format!(
        "tests.{}.{}.{case:?}",
        version_key(version),
        protocol_key(protocol)
    ))
}

/// The id of a case's expand button (focus returns there after a run).
pub fn toggle_id(version: VersionKind, protocol: Protocol, case: TestCase) -> String {
    format!("{}-toggle", row_id(version, protocol, case))
}

/// A time as the tester shows it: in the user's time zone, to the second, with the zone
/// named (issue 11; the words come from `domain::time`).
pub fn show_time(t: DateTime<Utc>) -> String {
    crate::ui::components::local_time::local_seconds(t)
}

/// "47 h 59 min": the time a pass has left.
fn time_left(d: Duration) -> String {
    let minutes = d.num_minutes().max(0);
    format!("{} h {} min", minutes / 60, minutes % 60)
}

/// SPEC 5.3: a case's state in words, at `now`.
pub fn state_words(run: Option<&TestRun>, now: DateTime<Utc>) -> String {
    let Some(run) = run else {
        return "Not run".into();
    };
    match run_validity(run, now) {
        RunValidity::Valid { remaining } => format!("Passed — {} left", time_left(remaining)),
        RunValidity::Expired => "Expired — run again".into(),
        RunValidity::Failed => format!("Failed: {}", run.note),
        RunValidity::InProgress => "In progress".into(),
    }
}

fn version_heading(v: VersionKind) -> &'static str {
    match v {
        VersionKind::Current => "CURRENT VERSION",
        VersionKind::Published => "PUBLISHED VERSION",
    }
}

/// The test cases, grouped by version and protocol.
#[component]
pub fn TesterCases(org: Memo<Org>) -> impl IntoView {
    let testing = testing();
    let editor = editor();
    let rows = Memo::new(move |_| {
        let now = testing.now.get();
        org.with(|o| editor.draft.with(|s| tester_rows(s, o, now)))
    });
    let versions = Memo::new(move |_| {
        let mut out: Vec<VersionKind> = Vec::new();
        rows.with(|rs| {
            for r in rs {
                if !out.contains(&r.version) {
                    out.push(r.version);
                }
            }
        });
        out
    });
    view! {
        <Show when=move || rows.with(|r| !r.is_empty())
            fallback=|| view! { <p class="field-help">"No SSO test cases: the test settings name no sign-in flow."</p> }>
            <For each=move || versions.get() key=|v| *v let:version>
                <VersionGroup version=version rows=rows org=org />
            </For>
        </Show>
    }
}

/// One version's cases, a table per protocol.
#[component]
fn VersionGroup(version: VersionKind, rows: Memo<Vec<TesterRow>>, org: Memo<Org>) -> impl IntoView {
    let heading = format!("tester-{}", version_key(version));
    let protocols = Memo::new(move |_| {
        let mut out: Vec<Protocol> = Vec::new();
        rows.with(|rs| {
            for r in rs.iter().filter(|r| r.version == version) {
                if !out.contains(&r.protocol) {
                    out.push(r.protocol);
                }
            }
        });
        out
    });
    let group_heading = heading.clone();
    view! {
        <div class="tester-version">
            <h3 id=heading>{version_heading(version)}</h3>
            <For each=move || protocols.get() key=|p| *p let:protocol>
                <ProtocolTable version=version protocol=protocol rows=rows org=org
                    version_heading=group_heading.clone() />
            </For>
        </div>
    }
}

/// One protocol's cases for one version.
#[component]
fn ProtocolTable(
    version: VersionKind,
    protocol: Protocol,
    rows: Memo<Vec<TesterRow>>,
    org: Memo<Org>,
    version_heading: String,
) -> impl IntoView {
    let heading = format!("{version_heading}-{}", protocol_key(protocol));
    let labelled_by = format!("{version_heading} {heading}");
    let cases = Memo::new(move |_| {
        rows.with(|rs| {
            rs.iter()
                .filter(|r| r.version == version && r.protocol == protocol)
                .map(|r| r.case)
                .collect::<Vec<_>>()
        })
    });
    view! {
        <h4 id=heading>{protocol.label()}</h4>
        <div class="table-scroll">
            <table class="tester-cases" aria-labelledby=labelled_by>
                <thead>
                    <tr>
                        <th scope="col">"Test case"</th>
                        <th scope="col">"Instance"</th>
                        <th scope="col">"State"</th>
                        <th scope="col">"Action"</th>
                    </tr>
                </thead>
                <For each=move || cases.get() key=|c| *c let:case>
                    <CaseRow version=version protocol=protocol case=case rows=rows org=org />
                </For>
            </table>
        </div>
    }
}

/// One case: its row and, when expanded, the latest run's details.
#[component]
fn CaseRow(
    version: VersionKind,
    protocol: Protocol,
    case: TestCase,
    rows: Memo<Vec<TesterRow>>,
    org: Memo<Org>,
) -> impl IntoView {
    let testing = testing();
    let state = app_state();
    let runs = runs();
    let row = Memo::new(move |_| {
        rows.with(|rs| {
            rs.iter()
                .find(|r| r.version == version && r.protocol == protocol && r.case == case)
                .cloned()
        })
    });
    let run = Memo::new(move |_| {
        let id = row.with(|r| r.as_ref().and_then(|r| r.run_id.clone()))?;
        org.with(|o| o.test_runs.iter().find(|r| r.id == id).cloned())
    });
    let instance_label = move || {
        let id = row.with(|r| r.as_ref().and_then(|r| r.instance_id.clone()));
        match id {
            None => "No instance in the tester".to_string(),
            Some(id) => org.with(|o| {
                o.instances
                    .iter()
                    .find(|i| i.id == id)
                    .map(|i| i.label.clone())
                    .unwrap_or_default()
            }),
        }
    };
    let state_text = move || run.with(|r| state_words(r.as_ref(), testing.now.get()));
    let refusal = move || -> Option<String> {
        let instance_id = row.with(|r| r.as_ref().and_then(|r| r.instance_id.clone()));
        let Some(instance_id) = instance_id else {
            return Some(format!(
                "Add an active, eligible {} instance to the tester first",
                protocol.label()
            ));
        };
        // An unknown account: the one rule (AppState::permits); a known one: the case's own.
        let Some(user) = state.user.get() else {
            return state.permits(Action::Test).err();
        };
        if let Err(why) =
            org.with(|o| can_run_test(&user, o, &instance_id, case, testing.now.get()))
        {
            return Some(why);
        }
        if runs.active.with(Option::is_some) {
            return Some("Finish the test in progress first: choose Continue".into());
        }
        None
    };
    let expanded = RwSignal::new(false);
    let id = row_id(version, protocol, case);
    let details_id = format!("{id}-details");
    let reason_id = format!("{id}-reason");
    let toggle = toggle_id(version, protocol, case);
    let run_it = move |_| {
        if let Some(r) = row.get_untracked() {
            runs.run_test(&r);
        }
    };
    let state_class = move || {
        run.with(
            |r| match r.as_ref().map(|r| run_validity(r, testing.now.get())) {
                Some(RunValidity::Valid { .. }) => "run-state passed",
                Some(RunValidity::Failed) | Some(RunValidity::Expired) => "run-state failed",
                _ => "run-state",
            },
        )
    };
    view! {
        <tbody>
            // Focusable by the submit checklist's link (tabindex -1: not a tab stop).
            <tr id=id tabindex="-1">
                <th scope="row">
                    <button type="button" class="disclosure" id=toggle
                        aria-expanded=move || expanded.get().to_string()
                        aria-controls=details_id.clone()
                        on:click=move |_| expanded.update(|e| *e = !*e)>
                        {case.label()}
                    </button>
                </th>
                <td>{instance_label}</td>
                <td class=state_class>{state_text}</td>
                <td>
                    <button type="button" class="button small"
                        aria-describedby=reason_id.clone()
                        disabled=move || refusal().is_some() || runs.starting.get()
                        on:click=run_it>"Run test"</button>
                    <p class="field-help" id=reason_id>{refusal}</p>
                </td>
            </tr>
            <tr id=details_id class="case-details" hidden=move || !expanded.get()>
                <td colspan="4">
                    {move || match run.get() {
                        None => view! { <p>"No run yet: choose Run test."</p> }.into_any(),
                        Some(r) => view! { <RunDetails run=r /> }.into_any(),
                    }}
                </td>
            </tr>
        </tbody>
    }
}

/// The latest run: result, times, steps and network traffic (no secrets are recorded).
#[component]
fn RunDetails(run: TestRun) -> impl IntoView {
    let result = match run.result {
        RunResult::Passed => "Passed",
        RunResult::Failed => "Failed",
        RunResult::InProgress => "In progress",
    };
    let steps_id = format!("steps-{}", run.id);
    let finished = run
        .finished_at
        .map(show_time)
        .unwrap_or_else(|| "Not finished".into());
    let note = (!run.note.is_empty()).then(|| {
        view! { <dt>"What went wrong"</dt><dd>{run.note.clone()}</dd> }
    });
    let source = source_words(run.source);
    let traffic = if run.network.is_empty() {
        view! {
            <p class="field-help">
                "Network traffic: none observed. The backend recorded no request of this sign-in; only a backend that watches the sign-in (the reference server, oin-server) records traffic."
            </p>
        }
        .into_any()
    } else {
        view! { <NetworkTable records=run.network.clone() caption="Network traffic" /> }.into_any()
    };
    view! {
        <dl class="facts">
            <dt>"Result"</dt><dd>{result}</dd>
            <dt>"Recorded as"</dt><dd>{source}</dd>
            <dt>"Started"</dt><dd>{show_time(run.started_at)}</dd>
            <dt>"Finished"</dt><dd>{finished}</dd>
            {note}
        </dl>
        <p class="field-label" id=steps_id.clone()>"Steps"</p>
        <ol class="run-steps" aria-labelledby=steps_id>
            {run.steps.into_iter().map(|s| view! {
                <li>
                    <span class="mono">{show_time(s.at)}</span>" "
                    {if s.ok { "" } else { "Failed: " }}
                    {s.description}
                    {(s.source == RecordSource::SelfReported).then_some(" (self-reported)")}
                </li>
            }).collect_view()}
        </ol>
        {traffic}
    }
}

/// SPEC 5.3: how a run's result was recorded, in words.
pub fn source_words(source: RecordSource) -> &'static str {
    match source {
        RecordSource::Observed => "Observed by the backend",
        RecordSource::SelfReported => {
            "Self-reported: the result is what you reported; no backend observed the sign-in"
        }
    }
}

/// The requests a backend observed during a run, under `caption`.
#[component]
pub(super) fn NetworkTable(records: Vec<NetworkRecord>, caption: &'static str) -> impl IntoView {
    view! {
        <div class="table-scroll">
            <table class="network">
                <caption>{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Method"</th>
                        <th scope="col">"URL"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Summary"</th>
                    </tr>
                </thead>
                <tbody>
                    {records.into_iter().map(|n| view! {
                        <tr>
                            <td>{n.method}</td>
                            <td class="mono url">{n.url}</td>
                            <td>{if n.status == 0 { "—".to_string() } else { n.status.to_string() }}</td>
                            <td>{n.summary}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
