//! SPEC 5.4: the three SCIM test sets. The two result links are fields of the submission,
//! saved by the editor like any wizard field (saving only them keeps instances eligible: the
//! core's `config_version`); the manual test plan is certified on the Submit page.
//!
//! With the server's SCIM runner (HTTP backend), **Run SCIM tests** runs the checks against a
//! SCIM instance and shows each step; a passing run stands in for the two links (issue 15).

use std::time::Duration;

use leptos::prelude::*;

use crate::domain::api::ScimCheckResponse;
use crate::domain::scim_report::{ScimRun, Step, StepKind, Verdict};
use crate::domain::{Instance, Page, Protocol};
use crate::ui::components::bound::BoundText;
use crate::ui::components::field::TextKind;
use crate::ui::context::app_state;
use crate::ui::editor::editor;
use crate::ui::testing::testing;
use crate::ui::wizard::page_path;

/// The SCIM test result links and the manual test plan.
#[component]
pub fn ScimTests() -> impl IntoView {
    let editor = editor();
    let submit_href = move || editor.draft.with(|s| page_path(&s.id, Page::Submit));
    view! {
        <section class="scim-tests" aria-labelledby="scim-tests">
            <h2 id="scim-tests">"SCIM testing"</h2>
            <p>
                "A SCIM integration is tested in three sets. Run the first two with your own tools and "
                "give a link to each set's results; the catalog team opens them during the review. "
                "For SCIM tests, use users imported from your app or users created in this org and pushed to your app."
            </p>
            <ScimRunner />
            <ol class="scim-sets">
                <li>
                    <h3>"SCIM API specification tests"</h3>
                    <p class="field-help">
                        "Run the SCIM API specification tests against your SCIM server, then link to their results."
                    </p>
                    <BoundText
                        path="scimTestResults.specResultsUrl"
                        label="Link to the SCIM API specification test results"
                        required=true
                        kind=TextKind::Url
                        help="An https:// link the catalog team can open, e.g. https://runscope.example.com/results/123"
                        get=|s| s.scim_test_results.spec_results_url.clone()
                        set=|s, v| s.scim_test_results.spec_results_url = v
                    />
                </li>
                <li>
                    <h3>"CRUD tests"</h3>
                    <p class="field-help">
                        "Create, read, update and deactivate users (and groups, when you manage them) through "
                        "your SCIM server from an instance of this integration, then link to the results."
                    </p>
                    <BoundText
                        path="scimTestResults.crudResultsUrl"
                        label="Link to the CRUD test results"
                        required=true
                        kind=TextKind::Url
                        help="An https:// link the catalog team can open."
                        get=|s| s.scim_test_results.crud_results_url.clone()
                        set=|s, v| s.scim_test_results.crud_results_url = v
                    />
                </li>
                <li>
                    <h3>"Manual test plan"</h3>
                    <p>
                        "Work through the manual SCIM test plan with a generated SCIM instance: provisioning, "
                        "profile updates, deactivation and, when supported, groups and imports. Nothing to link "
                        "here: you certify that it passed when you submit, on the "
                        <a href=submit_href>"Submit page"</a>"."
                    </p>
                </li>
            </ol>
        </section>
    }
}

/// What **Test API Credentials** answered, in one line: the message, then the status and
/// latency when a request was made, or that none was.
pub fn check_words(r: &ScimCheckResponse) -> String {
    match (r.called, r.status, r.latency_ms) {
        (true, Some(status), Some(ms)) => format!("{} (HTTP {status}, {ms} ms)", r.message),
        (true, None, Some(ms)) => format!("{} (no answer, {ms} ms)", r.message),
        _ => r.message.clone(),
    }
}

/// **Run SCIM tests** for each SCIM instance of this integration (the server's runner), or,
/// on the in-browser backend, that the runner needs the server.
#[component]
fn ScimRunner() -> impl IntoView {
    let state = app_state();
    if state.is_embedded() {
        return view! {
            <div class="scim-runner">
                <h3>"Run SCIM tests"</h3>
                <p class="notice">
                    "Running the SCIM tests from here needs the OIN Wizard server: this in-browser backend "
                    "cannot call your SCIM server, so nothing is run. Use your own tools and link to their results below."
                </p>
            </div>
        }
        .into_any();
    }
    let testing = testing();
    let editor = editor();
    let instances = move || -> Vec<Instance> {
        let submission_id = editor.draft.with(|s| s.id.clone());
        testing.view.with(|v| {
            v.as_ref()
                .map(|v| {
                    v.instances
                        .iter()
                        .filter(|i| {
                            i.submission_id == submission_id
                                && i.protocols.contains(&Protocol::Scim)
                        })
                        .cloned()
                        .collect()
                })
                .unwrap_or_default()
        })
    };
    view! {
        <div class="scim-runner">
            <h3>"Run SCIM tests"</h3>
            <p class="field-help">
                "The server calls your SCIM server through a SCIM instance of this integration, checks each rule of "
                "RFC 7643 and 7644 for the operations you declared, and removes the users and groups it created. "
                "A passing run counts in place of the two result links."
            </p>
            {move || {
                let list = instances();
                if list.is_empty() {
                    view! { <p>"Generate a SCIM instance above to run the SCIM tests against it."</p> }.into_any()
                } else {
                    list.into_iter()
                        .map(|i| view! { <InstanceRun instance_id=i.id.clone() label=i.label.clone() /> })
                        .collect_view()
                        .into_any()
                }
            }}
        </div>
    }
    .into_any()
}

/// One instance's latest run and its **Run SCIM tests** button; polls while the run goes.
#[component]
fn InstanceRun(instance_id: String, label: String) -> impl IntoView {
    let id = StoredValue::new(instance_id);
    let run = RwSignal::new(None::<ScimRun>);
    let error = RwSignal::new(None::<String>);
    let starting = RwSignal::new(false);
    let running = move || run.with(|r| r.as_ref().is_some_and(|r| r.finished_at.is_none()));
    // Read once here: the interval's callback runs outside any reactive owner, where the app
    // state's context is not reachable (it panicked there, and the live steps never came).
    let state = app_state();
    let load = move || {
        let backend = state.backend();
        let instance_id = id.get_value();
        leptos::task::spawn_local(async move {
            match backend.latest_scim_run(&instance_id).await {
                Ok(latest) => {
                    let _ = run.try_set(latest);
                }
                Err(e) => {
                    let _ = error.try_set(Some(e.to_string()));
                }
            }
        });
    };
    load();
    if let Ok(handle) = set_interval_with_handle(
        move || {
            if run.try_with_untracked(|r| r.as_ref().is_some_and(|r| r.finished_at.is_none()))
                == Some(true)
            {
                load();
            }
        },
        Duration::from_millis(1500),
    ) {
        on_cleanup(move || handle.clear());
    }
    let start = move |_| {
        let backend = app_state().backend();
        let instance_id = id.get_value();
        starting.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let answer = backend.start_scim_run(&instance_id).await;
            let _ = starting.try_set(false);
            match answer {
                Ok(started) => {
                    let _ = run.try_set(Some(started));
                }
                Err(e) => {
                    let _ = error.try_set(Some(e.to_string()));
                }
            }
        });
    };
    let heading = format!("SCIM tests of {label}");
    view! {
        <section class="scim-run" aria-label=heading.clone()>
            <h4>{heading.clone()}</h4>
            <div class="button-row">
                <button type="button" class="button primary"
                    disabled=move || starting.get() || running()
                    on:click=start>"Run SCIM tests"</button>
            </div>
            {move || error.get().map(|e| view! { <p class="notice error" role="alert">{e}</p> })}
            <div role="status" aria-live="polite">
                {move || run.get().map(|r| view! { <p class=outcome_class(&r)>{outcome_words(&r)}</p> })}
            </div>
            {move || run.get().filter(|r| !r.steps.is_empty()).map(|r| view! { <StepTable steps=r.steps /> })}
        </section>
    }
}

fn outcome_class(run: &ScimRun) -> &'static str {
    match (&run.finished_at, run.passed()) {
        (None, _) => "notice",
        (Some(_), true) => "notice success",
        (Some(_), false) => "notice error",
    }
}

fn outcome_words(run: &ScimRun) -> String {
    let at = run.finished_at.unwrap_or(run.started_at);
    run.outcome_words(crate::ui::components::local_time::browser_offset(at))
}

fn verdict_words(step: &Step) -> &'static str {
    match (step.kind, step.verdict) {
        (StepKind::Cleanup, Verdict::Pass) => "Cleaned up",
        (StepKind::Cleanup, Verdict::Fail) => "Left over",
        (_, Verdict::Pass) => "Pass",
        (_, Verdict::Fail) => "Fail",
        (_, Verdict::Skipped) => "Skipped",
    }
}

/// The steps: check, RFC section, verdict, reason, time, and the requests and responses
/// (tokens already redacted by the runner).
#[component]
fn StepTable(steps: Vec<Step>) -> impl IntoView {
    let rows = steps
        .into_iter()
        .map(|step| {
            let rule = step
                .rule
                .as_ref()
                .map(|r| format!("{} §{}", r.document, r.section))
                .unwrap_or_default();
            let rule_text = step
                .rule
                .as_ref()
                .map(|r| r.text.clone())
                .unwrap_or_default();
            let exchanges = step
                .exchanges
                .iter()
                .map(|e| {
                    let mut text = format!("{} {}\n", e.request.method, e.request.url);
                    for (k, v) in &e.request.headers {
                        text.push_str(&format!("{k}: {v}\n"));
                    }
                    if let Some(body) = &e.request.body {
                        text.push_str(&format!("\n{body}\n"));
                    }
                    match (&e.response, &e.error) {
                        (Some(r), _) => {
                            text.push_str(&format!("\n→ {} ({} ms)\n", r.status, e.duration_ms));
                            for (k, v) in &r.headers {
                                text.push_str(&format!("{k}: {v}\n"));
                            }
                            text.push_str(&format!(
                                "\n{}{}",
                                r.body,
                                if r.truncated { "\n[cut]" } else { "" }
                            ));
                        }
                        (None, Some(err)) => text.push_str(&format!("\n→ no answer: {err}")),
                        (None, None) => {}
                    }
                    text
                })
                .collect::<Vec<_>>()
                .join("\n\n");
            let verdict = verdict_words(&step);
            let class = match step.verdict {
                Verdict::Pass => "verdict pass",
                Verdict::Fail => "verdict fail",
                Verdict::Skipped => "verdict skipped",
            };
            view! {
                <tr>
                    <td>{step.title.clone()}<br /><code>{step.id.clone()}</code></td>
                    <td title=rule_text>{rule}</td>
                    <td class=class>{verdict}</td>
                    <td>
                        {step.reason.clone()}
                        {(!exchanges.is_empty()).then(|| view! {
                            <details>
                                <summary>"Requests and responses"</summary>
                                <pre class="scim-exchange">{exchanges}</pre>
                            </details>
                        })}
                    </td>
                    <td>{format!("{} ms", step.duration_ms)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll">
            <table class="scim-steps">
                <caption>"Steps of the SCIM test run"</caption>
                <thead>
                    <tr><th scope="col">"Check"</th><th scope="col">"Rule"</th><th scope="col">"Verdict"</th><th scope="col">"Reason"</th><th scope="col">"Time"</th></tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
