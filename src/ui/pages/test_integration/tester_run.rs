//! SPEC 5.3 and 1: **Run test** (a direct user action: the sign-in window opens in the click
//! itself, so pop-up blockers allow it) and the "Test in progress" panel that ends a run.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use super::tester_cases::NetworkTable;
use crate::domain::api::{FinishRunRequest, StartRunRequest};
use crate::domain::instances::{tester_rows, TesterRow};
use crate::domain::testing::observed_so_far;
use crate::domain::{Protocol, RunResult, TestCase, TestRun};
use crate::ui::context::{app_state, AppState};
use crate::ui::editor::{editor, Editor};
use crate::ui::testing::{testing, Outcome, Testing};

use super::simulated::{SimulatedOrg, Where};
use super::tester_cases::toggle_id;

/// SPEC 1: what the user reads when the browser refused the sign-in window.
pub const BLOCKED: &str =
    "Your browser blocked the test window. Allow pop-ups for this site, then choose Run test again.";

/// The run being done (its panel shows) and what went wrong starting one.
#[derive(Clone, Copy)]
pub struct Runs {
    state: AppState,
    editor: Editor,
    testing: Testing,
    /// The run in progress in this page, shown in the "Test in progress" panel.
    pub active: RwSignal<Option<ActiveRun>>,
    /// The browser blocked the last sign-in window.
    pub blocked: RwSignal<bool>,
    /// Why the last **Run test** did not start.
    pub start_error: RwSignal<Option<String>>,
    /// A run is being started.
    pub starting: RwSignal<bool>,
}

/// A started run and what the panel says about it.
#[derive(Clone, Debug, PartialEq)]
pub struct ActiveRun {
    /// The run as the backend started it.
    pub run: TestRun,
    /// The instance's application label.
    pub instance_label: String,
    /// The protocol tested.
    pub protocol: Protocol,
    /// Where the sign-in window went (empty when the backend's address failed the URL
    /// check: no window went anywhere).
    pub url: String,
    /// Started here just now (focus moves into the panel), not found unfinished on load.
    pub fresh: bool,
}

impl Runs {
    /// The runs state of the tester (call inside the component tree).
    pub fn new() -> Runs {
        Runs {
            state: app_state(),
            editor: editor(),
            testing: testing(),
            active: RwSignal::new(None),
            blocked: RwSignal::new(false),
            start_error: RwSignal::new(None),
            starting: RwSignal::new(false),
        }
    }

    /// **Run test** for `row`: opens the test window now (inside the click), then starts the
    /// run and sends the window to the sign-in URL. A blocked window starts nothing.
    pub fn run_test(&self, row: &TesterRow) {
        let Some(instance_id) = row.instance_id.clone() else {
            return;
        };
        self.start_error.set(None);
        self.testing.outcome.set(None);
        let popup = web_sys::window()
            .and_then(|w| w.open_with_url_and_target("about:blank", "_blank").ok())
            .flatten();
        let Some(popup) = popup else {
            self.blocked.set(true);
            return;
        };
        self.blocked.set(false);
        // The sign-in page gets no handle on this app.
        let _ = popup.set_opener(&JsValue::NULL);
        let this = *self;
        let case = row.case;
        let protocol = row.protocol;
        let instance = self.testing.view.with_untracked(|v| {
            v.as_ref()
                .and_then(|v| v.instances.iter().find(|i| i.id == instance_id).cloned())
        });
        let request = StartRunRequest {
            instance_id,
            case,
            version: row.version,
        };
        let backend = self.state.backend();
        self.starting.set(true);
        leptos::task::spawn_local(async move {
            if let Err(why) = this.testing.saved().await {
                let _ = popup.close();
                let _ = this.starting.try_set(false);
                let _ = this.start_error.try_set(Some(why));
                return;
            }
            let result = backend.start_run(request).await;
            let _ = this.starting.try_set(false);
            match result {
                Ok(run) => {
                    // The backend's sign-in address, never one computed here, and only when it
                    // passes the URL check.
                    let url = run.sign_in_url.trim().to_string();
                    if url.is_empty() || crate::domain::urls::link_target(&url).is_none() {
                        let _ = popup.close();
                        let _ = this.start_error.try_set(Some(
                            "The test started, but the backend gave no usable sign-in address (none, or one that fails the URL check), so no window was opened: check the test settings, then run the test again".into(),
                        ));
                        this.testing.reload();
                        return;
                    }
                    let _ = popup.location().set_href(&url);
                    let _ = this.active.try_set(Some(ActiveRun {
                        run,
                        instance_label: instance.map(|i| i.label).unwrap_or_default(),
                        protocol,
                        url,
                        fresh: true,
                    }));
                    this.testing.reload();
                }
                Err(e) => {
                    let _ = popup.close();
                    let _ = this.start_error.try_set(Some(e.to_string()));
                    // The refusal may come from a change made elsewhere: show the org as it is.
                    this.testing.reload();
                }
            }
        });
    }
}

/// The tester's runs state (provided by the tester section).
pub fn runs() -> Runs {
    expect_context::<Runs>()
}

/// Whether a case provisions a temporary user just in time.
fn is_jit(case: Option<TestCase>) -> bool {
    matches!(case, Some(TestCase::JitWithIdp | TestCase::JitWithSp))
}

/// The "Test in progress" panel of the run started here, if any. A run left unfinished (the
/// page was reloaded before Continue) is offered again, so it can still be ended.
#[component]
pub fn RunPanel() -> impl IntoView {
    let runs = runs();
    let testing = runs.testing;
    let editor = runs.editor;
    Effect::new(move |_| {
        let unfinished = testing.view.with(|v| {
            let v = v.as_ref()?;
            let org = v.org();
            editor.draft.with_untracked(|s| {
                tester_rows(s, &org, testing.now.get_untracked())
                    .into_iter()
                    .find_map(|row| {
                        let run = v.test_runs.iter().find(|r| {
                            Some(&r.id) == row.run_id.as_ref() && r.result == RunResult::InProgress
                        })?;
                        let instance = v.instances.iter().find(|i| i.id == run.instance_id)?;
                        Some(ActiveRun {
                            run: run.clone(),
                            instance_label: instance.label.clone(),
                            protocol: row.protocol,
                            // Shown only when it passes the URL check (a stored address
                            // is data, not trusted).
                            url: crate::domain::urls::link_target(&run.sign_in_url)
                                .map(str::to_string)
                                .unwrap_or_default(),
                            fresh: false,
                        })
                    })
            })
        });
        if let Some(unfinished) = unfinished {
            if runs.active.with_untracked(Option::is_none) {
                runs.active.set(Some(unfinished));
            }
        }
    });
    move || {
        runs.active
            .get()
            .map(|active| view! { <InProgress active=active /> })
    }
}

/// How often the panel reads the run while it is open (a server records the sign-in live).
const POLL: std::time::Duration = std::time::Duration::from_millis(1500);

/// Issue 14: what the identity provider observed of the run so far, read from the backend
/// every [`POLL`] while the panel is open, each record once. Only a backend that watches the
/// sign-in (oin-server) has anything here; on the embedded backend nothing is read.
#[component]
fn ObservedSoFar(run: TestRun) -> impl IntoView {
    let runs = runs();
    let shown = RwSignal::new(observed_so_far(&run));
    let error = RwSignal::new(None::<String>);
    let run_id = StoredValue::new(run.id.clone());
    let in_flight = StoredValue::new(false);
    let poll = move || {
        if in_flight.get_value() {
            return;
        }
        in_flight.set_value(true);
        let backend = runs.state.backend();
        let submission_id = runs.testing.submission_id();
        leptos::task::spawn_local(async move {
            let answer = backend.testing_view(&submission_id).await;
            in_flight.try_set_value(false);
            match answer {
                Ok(view) => {
                    let id = run_id.try_get_value().unwrap_or_default();
                    if let Some(run) = view.test_runs.iter().find(|r| r.id == id) {
                        let fresh = observed_so_far(run);
                        if shown.try_with_untracked(|s| *s != fresh) == Some(true) {
                            let _ = shown.try_set(fresh);
                        }
                    }
                    let _ = error.try_set(None);
                }
                Err(e) => {
                    let _ = error.try_set(Some(e.to_string()));
                }
            }
        });
    };
    if !runs.state.is_embedded() {
        if let Ok(handle) = set_interval_with_handle(poll, POLL) {
            on_cleanup(move || handle.clear());
        }
    }
    let count = move || shown.with(|(_, n)| n.len());
    view! {
        <div class="observed">
            <p class="field-label" role="status">
                {move || match count() {
                    0 => "Observed so far: no request yet. The list fills in as the identity provider sees the sign-in.".to_string(),
                    1 => "Observed so far: 1 request.".to_string(),
                    n => format!("Observed so far: {n} requests."),
                }}
            </p>
            {move || error.get().map(|e| view! { <p class="notice error">"Could not read the run: "{e}</p> })}
            <Show when=move || count() != 0>
                {move || shown.with(|(_, network)| view! {
                    <NetworkTable records=network.clone() caption="Observed so far" />
                })}
                <p class="field-label" id="observed-steps">"Checks so far"</p>
                <ol class="run-steps" aria-labelledby="observed-steps">
                    {move || shown.with(|(steps, _)| steps.iter().map(|s| view! {
                        <li>{if s.ok { "" } else { "Failed: " }}{s.description.clone()}</li>
                    }).collect_view())}
                </ol>
            </Show>
        </div>
    }
}

/// SPEC 5.3: what to do in the test window, the JIT user to check, and the result.
#[component]
fn InProgress(active: ActiveRun) -> impl IntoView {
    let runs = runs();
    let heading = NodeRef::<html::H3>::new();
    let fresh = active.fresh;
    Effect::new(move |_| {
        if let (true, Some(h)) = (fresh, heading.get()) {
            let _ = h.focus();
        }
    });
    let passed = RwSignal::new(None::<bool>);
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let sending = RwSignal::new(false);
    let run_id = active.run.id.clone();
    let case = active.run.case;
    let version = active.run.version_kind;
    let protocol = active.protocol;
    let case_label = case.map(TestCase::label).unwrap_or("Test");
    let finish = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(ok) = passed.get_untracked() else {
            error.set(Some(
                "Choose whether the user signed in to your app, then Continue".into(),
            ));
            return;
        };
        let request = FinishRunRequest {
            passed: ok,
            note: note.get_untracked(),
        };
        let id = run_id.clone();
        let backend = runs.state.backend();
        sending.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let result = backend.finish_run(&id, request).await;
            let _ = sending.try_set(false);
            match result {
                Ok(done) => {
                    let words = match done.result {
                        RunResult::Passed => format!("{case_label} passed"),
                        _ => format!("{case_label} failed: {}", done.note),
                    };
                    let _ = runs.active.try_set(None);
                    let _ = runs.testing.outcome.try_set(Some(Outcome::Done(words)));
                    runs.testing.reload();
                    if let Some(case) = case {
                        let toggle = toggle_id(version, protocol, case);
                        request_animation_frame(move || {
                            if let Some(el) = document().get_element_by_id(&toggle) {
                                if let Ok(el) =
                                    wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el)
                                {
                                    let _ = el.focus();
                                }
                            }
                        });
                    }
                }
                Err(e) => {
                    let _ = error.try_set(Some(e.to_string()));
                }
            }
        });
    };
    let jit_user = active
        .run
        .jit_user
        .clone()
        .filter(|_| is_jit(active.run.case));
    let password = active.run.jit_password.clone();
    let jit = jit_user.map(|u| {
        // SPEC 5.3: the temporary user's credential, shown once (only Run test's answer has it).
        let credential = if password.is_empty() {
            view! {
                <p>"Its password was shown once, when the test started, and is not kept here. If you no longer have it, report a failure and run the test again."</p>
            }
            .into_any()
        } else {
            view! {
                <p>"Sign in in the test window as this temporary user, with:"</p>
                <dl class="facts">
                    <dt>"Username"</dt><dd><code>{u.email.clone()}</code></dd>
                    <dt>"Password"</dt><dd><code class="secret-value">{password.clone()}</code></dd>
                </dl>
                <p class="field-help">"The password is shown this once: it is not kept after you leave this page."</p>
            }
            .into_any()
        };
        view! {
            <div class="jit-user">
                <p>"Check that your app shows this temporary user, whom the tester created and assigned to the instance for this run:"</p>
                <dl class="facts">
                    <dt>"First name"</dt><dd>{u.first_name}</dd>
                    <dt>"Last name"</dt><dd>{u.last_name}</dd>
                    <dt>"Email"</dt><dd>{u.email}</dd>
                </dl>
                {credential}
                <p>"After Continue, the tester unassigns and deletes this temporary user. The account JIT creates in your app stays there: delete it in your app when you no longer need it."</p>
            </div>
        }
    });
    view! {
        <section class="run-panel" aria-labelledby="run-panel-title">
            <h3 id="run-panel-title" tabindex="-1" node_ref=heading>"Test in progress"</h3>
            <SimulatedOrg place=Where::Run />
            <p>
                {format!("{case_label} of \"{}\" ({}). ", active.instance_label, protocol.label())}
                {if active.url.is_empty() {
                    view! {
                        "The backend gave no usable sign-in address for this run, so no test window was opened. "
                        "Report the sign-in as failed below, check the test settings, then run the test again."
                    }
                    .into_any()
                } else {
                    view! {
                        {if fresh { "A new window opened at " } else { "This test was started earlier and not finished. Its window opened at " }}
                        <span class="mono">{active.url.clone()}</span>". "
                        "Sign in there as a test user assigned to the instance, see what your app shows, then come back here and say how it went. "
                        "If that window is signed in already (as you), sign out of your org and your app there first, or open the address in a private window."
                    }
                    .into_any()
                }}
            </p>
            {jit}
            {(!runs.state.is_embedded()).then(|| view! { <ObservedSoFar run=active.run.clone() /> })}
            <form on:submit=finish novalidate>
                <fieldset>
                    <legend class="field-label">"Result"</legend>
                    <div class="radio">
                        <input type="radio" id="run-passed" name="run-result"
                            prop:checked=move || passed.get() == Some(true)
                            on:change=move |_| passed.set(Some(true)) />
                        <label for="run-passed">"The user successfully signed in to your app"</label>
                    </div>
                    <div class="radio">
                        <input type="radio" id="run-failed" name="run-result"
                            prop:checked=move || passed.get() == Some(false)
                            on:change=move |_| passed.set(Some(false)) />
                        <label for="run-failed">"The sign-in failed"</label>
                    </div>
                </fieldset>
                <Show when=move || passed.get() == Some(false)>
                    <div class="field">
                        <label class="field-label" for="run-note">"What went wrong"</label>
                        <textarea id="run-note" class="control" rows="3"
                            prop:value=move || note.get()
                            on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                        <p class="field-help">"Say what the app or the sign-in showed, so the result explains the failure."</p>
                    </div>
                </Show>
                {move || error.get().map(|e| view! { <p class="notice error" role="alert">{e}</p> })}
                <div class="button-row">
                    <button type="submit" class="button primary" disabled=move || sending.get()>"Continue"</button>
                </div>
            </form>
        </section>
    }
}
