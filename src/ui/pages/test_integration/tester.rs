//! SPEC 5.3: the OIN Submission Tester: its session, the instances in it, the test cases
//! (`tester_cases`), the run in progress (`tester_run`) and **Export results**. Every rule
//! (session state, who may add, which cases, validity) is the core's; this shows it.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::domain::instances::{can_add_to_tester, eligibility, Eligibility, TesterState};
use crate::domain::testing::export_results;
use crate::domain::{Instance, Org};
use crate::ui::editor::editor;
use crate::ui::testing::{protocols_label, test_refusal, testing, Outcome};

use super::simulated::{SimulatedOrg, Where};
use super::tester_cases::{show_time, TesterCases};
use super::tester_run::{RunPanel, Runs, BLOCKED};

/// The tester: session, instances in it, cases, the run in progress, export.
#[component]
pub fn TesterSection() -> impl IntoView {
    let runs = Runs::new();
    provide_context(runs);
    let testing = testing();
    let org = Memo::new(move |_| testing.org());
    view! {
        <section class="tester" aria-labelledby="tester">
            <h2 id="tester">"OIN Submission Tester"</h2>
            <p class="field-help">
                "Add each SSO instance to the tester, then run every case: the tester opens the sign-in in a new window. "
                "Sign in there as a test user, not as yourself: use a private window, or sign out of your org and your app first. "
                "A passed result stays valid for 48 hours."
            </p>
            <SimulatedOrg place=Where::Tester />
            <SessionBar org=org />
            <TesterInstances org=org />
            {move || runs.blocked.get().then(|| view! { <p class="notice error" role="alert">{BLOCKED}</p> })}
            {move || runs.start_error.get().map(|e| view! { <p class="notice error" role="alert">{e}</p> })}
            <RunPanel />
            <TesterCases org=org />
            <ExportResults org=org />
        </section>
    }
}

/// **Initialize Tester** / **Refresh tester session**, and when the session expires.
#[component]
fn SessionBar(org: Memo<Org>) -> impl IntoView {
    let testing = testing();
    let tester_state = move || org.with(|o| o.tester_state(testing.now.get()));
    let expires = move || {
        org.with(|o| {
            o.tester_session
                .as_ref()
                .map(|s| show_time(s.expires_at))
                .unwrap_or_default()
        })
    };
    let start = move |_| {
        testing.act(
            |b| b.start_tester_session(),
            |s| format!("Tester session active until {}", show_time(s.expires_at)),
        )
    };
    let refusal = test_refusal();
    let refusal = move || refusal.get();
    let disabled = move || refusal().is_some() || testing.busy.get();
    view! {
        <div class="tester-session">
            {move || match tester_state() {
                TesterState::NotInitialized => view! {
                    <p>"The tester is not initialized yet: initialize it to run tests."</p>
                    <button type="button" class="button primary" aria-describedby="tester-session-reason"
                        disabled=disabled on:click=start>"Initialize Tester"</button>
                }.into_any(),
                TesterState::Active => view! {
                    <p>"Tester session active until "<strong>{expires}</strong>"."</p>
                }.into_any(),
                TesterState::Expired => view! {
                    <p>"The tester session expired at "<strong>{expires}</strong>": refresh it to run tests."</p>
                    <button type="button" class="button primary" aria-describedby="tester-session-reason"
                        disabled=disabled on:click=start>"Refresh tester session"</button>
                }.into_any(),
            }}
            <p class="field-help" id="tester-session-reason">{refusal}</p>
        </div>
    }
}

/// The eligible instances of this integration, each with **Add to Tester** or **Remove from
/// Tester** (or why it cannot be added).
#[component]
fn TesterInstances(org: Memo<Org>) -> impl IntoView {
    let editor = editor();
    let testing = testing();
    let ids = Memo::new(move |_| {
        editor.draft.with(|s| {
            org.with(|o| {
                o.instances
                    .iter()
                    .filter(|i| {
                        i.submission_id == s.id
                            && !matches!(eligibility(s, i), Eligibility::Ineligible(_))
                    })
                    .map(|i| i.id.clone())
                    .collect::<Vec<_>>()
            })
        })
    });
    let removing = RwSignal::new(None::<(String, String)>);
    let dialog = NodeRef::<html::Dialog>::new();
    let close = move || {
        if let Some(d) = dialog.get() {
            d.close();
        }
    };
    let confirm = move |_| {
        close();
        if let Some((id, label)) = removing.get_untracked() {
            testing.act(
                move |b| b.remove_from_tester(&id),
                move |_| {
                    format!("Removed \"{label}\" from the tester; its test results were cleared")
                },
            );
        }
    };
    let ask_remove = move |id: String, label: String| {
        removing.set(Some((id, label)));
        if let Some(d) = dialog.get() {
            let _ = d.show_modal();
        }
    };
    let removing_label = move || removing.get().map(|(_, l)| l).unwrap_or_default();
    view! {
        <h3>"Instances in the tester"</h3>
        <Show when=move || ids.with(|i| !i.is_empty())
            fallback=|| view! { <p class="field-help">"No eligible instance yet: generate one under Application instances for testing."</p> }>
            <ul class="tester-instances">
                <For each=move || ids.get() key=|id| id.clone() let:id>
                    <TesterInstance id=id org=org ask_remove=ask_remove />
                </For>
            </ul>
        </Show>
        <dialog node_ref=dialog class="dialog" aria-labelledby="remove-tester-title">
            <h2 id="remove-tester-title">"Remove from Tester?"</h2>
            <p>{move || format!("Removing \"{}\" from the tester clears its test results: its cases will need to be run again.", removing_label())}</p>
            <div class="button-row end">
                <button type="button" class="button" on:click=move |_| close()>"Cancel"</button>
                <button type="button" class="button primary" on:click=confirm>"Remove from Tester"</button>
            </div>
        </dialog>
    }
}

/// One eligible instance in the tester's list.
#[component]
fn TesterInstance(
    id: String,
    org: Memo<Org>,
    ask_remove: impl Fn(String, String) + Copy + 'static,
) -> impl IntoView {
    let editor = editor();
    let testing = testing();
    let instance_id = id.clone();
    let instance =
        Memo::new(move |_| org.with(|o| o.instances.iter().find(|i| i.id == instance_id).cloned()));
    let label = move || instance.with(|i| i.as_ref().map(|i| i.label.clone()).unwrap_or_default());
    let in_tester = move || instance.with(|i| i.as_ref().is_some_and(|i| i.in_tester));
    let details = move || {
        instance.with(|i| {
            i.as_ref().map(|i: &Instance| {
                let version = match editor.draft.with(|s| eligibility(s, i)) {
                    Eligibility::Published => "published version",
                    _ => "current version",
                };
                let active = if i.active { "active" } else { "inactive" };
                let place = if i.in_tester { ", in the tester" } else { "" };
                format!(
                    "{}, {version}, {active}{place}",
                    protocols_label(&i.protocols)
                )
            })
        })
    };
    let may_test = test_refusal();
    let refusal = move || -> Option<String> {
        if let Some(why) = may_test.get() {
            return Some(why);
        }
        if in_tester() {
            return None;
        }
        instance.with(|i| {
            i.as_ref()
                .and_then(|i| editor.draft.with(|s| can_add_to_tester(s, i).err()))
        })
    };
    let reason_id = format!("tester-instance-{id}-reason");
    let act = move |_| {
        let Some(i) = instance.get_untracked() else {
            return;
        };
        if i.in_tester {
            ask_remove(i.id, i.label);
        } else {
            let id = i.id.clone();
            testing.act(
                move |b| b.add_to_tester(&id),
                |added| format!("Added \"{}\" to the tester", added.label),
            );
        }
    };
    view! {
        <li class="tester-instance">
            <span class="instance-name">{label}</span>
            <span class="field-help">{details}</span>
            <button type="button" class="button small" aria-describedby=reason_id.clone()
                disabled=move || refusal().is_some() || testing.busy.get()
                on:click=act>
                {move || if in_tester() { "Remove from Tester" } else { "Add to Tester" }}
            </button>
            <p class="field-help" id=reason_id>{refusal}</p>
        </li>
    }
}

/// A file name for the export: `oin-test-results-<display name slug>.json`.
fn export_file_name(display_name: &str) -> String {
    let mut slug = String::new();
    for c in display_name.chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        "oin-test-results.json".into()
    } else {
        format!("oin-test-results-{slug}.json")
    }
}

/// Hands `text` to the browser as a download named `name` (export, certificate).
pub fn download(name: &str, text: &str, media_type: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(media_type);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let anchor: web_sys::HtmlAnchorElement = document().create_element("a")?.dyn_into()?;
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(30),
    );
    Ok(())
}

/// **Export results**: every run of this integration as JSON (no secrets: runs hold none and
/// the instances are listed without their details).
#[component]
fn ExportResults(org: Memo<Org>) -> impl IntoView {
    let editor = editor();
    let testing = testing();
    let export = move |_| {
        let exported = editor.draft.with_untracked(|s| {
            org.with_untracked(|o| export_results(s, o, testing.now.get_untracked()))
        });
        let runs = exported.runs.len();
        let name = export_file_name(&exported.display_name);
        let done = serde_json::to_string_pretty(&exported)
            .map_err(|e| e.to_string())
            .and_then(|json| {
                download(&name, &json, "application/json")
                    .map_err(|_| "The browser refused the download".to_string())
            });
        testing.outcome.set(Some(match done {
            Ok(()) => Outcome::Done(format!(
                "Exported {runs} test result{} to {name}",
                if runs == 1 { "" } else { "s" }
            )),
            Err(e) => Outcome::Failed(format!("Export failed: {e}. Try again")),
        }));
    };
    view! {
        <div class="button-row tester-export">
            <button type="button" class="button" on:click=export>"Export results"</button>
            <p class="field-help">"Downloads every result of this integration as a JSON file. It holds no secrets."</p>
        </div>
    }
}
