//! SPEC 5.5: the Submit page. The core's unmet requirements as a checklist, each linking to
//! where it is fixed; the certification; **Submit integration** only when nothing is unmet;
//! then **Close wizard**.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::backend::BackendError;
use crate::domain::api::SubmitRequest;
use crate::domain::scim_report::ScimRun;
use crate::domain::submit::{
    self_reported_results, unmet_requirements, SubmitContext, UnmetRequirement,
};
use crate::domain::{Page, Protocol, Status};
use crate::ui::components::error_panel::ReadFailed;
use crate::ui::components::problem_summary::field_id;
use crate::ui::context::app_state;
use crate::ui::editor::{editor, SaveState};
use crate::ui::pages::test_integration::simulated::REAL_TEST;
use crate::ui::rules;
use crate::ui::testing::Testing;
use crate::ui::wizard::page_path;

/// The certification's words (SPEC 5.5).
const CERTIFY: &str = "I certify that I have successfully completed required tests";

/// The `field` of the certification requirement (`domain::submit`).
const CERTIFIED_FIELD: &str = "certified";

/// `/integrations/:id/submit`.
#[component]
pub fn Submit() -> impl IntoView {
    let editor = editor();
    let state = app_state();
    let navigate = use_navigate();
    let id = editor.draft.with_untracked(|s| s.id.clone());
    let testing = Testing::new(id.clone());
    let id_for_runs = StoredValue::new(id.clone());
    provide_context(testing);

    let certified = RwSignal::new(false);
    // Issue 15: with the server's SCIM runner, the latest run of each SCIM instance of this
    // integration (the core decides whether one stands in for the result links); `None`
    // until read. The in-browser backend has no runner.
    let embedded = state.is_embedded();
    let scim_runs = RwSignal::new(None::<Vec<ScimRun>>);
    let scim_instances = Memo::new(move |_| {
        testing.view.with(|v| {
            v.as_ref().map(|v| {
                v.instances
                    .iter()
                    .filter(|i| {
                        id_for_runs.with_value(|id| &i.submission_id == id)
                            && i.protocols.contains(&Protocol::Scim)
                    })
                    .map(|i| i.id.clone())
                    .collect::<Vec<_>>()
            })
        })
    });
    Effect::new(move |_| {
        let Some(ids) = scim_instances.get() else {
            return;
        };
        if embedded {
            return;
        }
        let backend = state.backend();
        leptos::task::spawn_local(async move {
            let mut runs = Vec::new();
            for id in ids {
                // A run that cannot be read does not count; the links still can.
                if let Ok(Some(run)) = backend.latest_scim_run(&id).await {
                    runs.push(run);
                }
            }
            let _ = scim_runs.try_set(Some(runs));
        });
    });
    // Unmet requirements by the core; `None` until the org, the user (and the runs) are read.
    let unmet = Memo::new(move |_| {
        let user = state.user.get()?;
        let org = testing.view.with(|v| v.as_ref().map(|v| v.org()))?;
        let now = testing.now.get();
        let certified = certified.get();
        let runs = scim_runs.get();
        if !embedded && runs.is_none() {
            return None;
        }
        Some(editor.draft.with(|s| {
            unmet_requirements(&SubmitContext {
                submission: s,
                org: &org,
                user: &user,
                now,
                certified,
                expressions: rules::expressions(),
                scim_runs: runs.as_deref(),
            })
        }))
    });
    // Results nobody observed (every run of the embedded backend): said before submitting.
    let self_reported = Memo::new(move |_| {
        let org = testing.view.with(|v| v.as_ref().map(|v| v.org()))?;
        let now = testing.now.get();
        let counted = editor.draft.with(|s| self_reported_results(s, &org, now));
        (counted.self_reported > 0).then_some(counted)
    });
    let status = Memo::new(move |_| editor.draft.with(|s| s.status));
    // Set once this page submitted it (the confirmation words differ from a later visit).
    let just_submitted = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<(String, Vec<UnmetRequirement>)>);
    // Submit waits for the editor to have saved the latest edits.
    let waiting = RwSignal::new(false);

    let send = move || {
        let Some((id, version)) = editor
            .draft
            .try_with_untracked(|s| (s.id.clone(), s.version))
        else {
            return;
        };
        let backend = state.backend();
        let certified = certified.get_untracked();
        leptos::task::spawn_local(async move {
            let result = backend
                .submit(&id, SubmitRequest { version, certified })
                .await;
            let _ = busy.try_set(false);
            match result {
                Ok(submitted) => {
                    if editor.draft.try_with_untracked(|_| ()).is_none() {
                        return;
                    }
                    editor.replace(submitted);
                    state.saved.try_update(|n| *n += 1);
                    just_submitted.set(true);
                }
                Err(e) => {
                    let unmet = match &e {
                        BackendError::Refused(d) => d.unmet.clone(),
                        _ => Vec::new(),
                    };
                    let _ = error.try_set(Some((e.to_string(), unmet)));
                    testing.reload();
                }
            }
        });
    };
    // Once saved, send; a failed save or a conflict stops here, saying why.
    Effect::new(move |_| {
        if !waiting.get() {
            return;
        }
        match editor.save_state.get() {
            SaveState::Saved => {
                waiting.set(false);
                send();
            }
            SaveState::Pending | SaveState::Saving => {}
            SaveState::Failed { message, .. } => {
                waiting.set(false);
                busy.set(false);
                error.set(Some((
                    format!("Your latest changes could not be saved, so nothing was submitted: {message}"),
                    Vec::new(),
                )));
            }
            SaveState::Conflict(_) => {
                waiting.set(false);
                busy.set(false);
                error.set(Some((
                    "This submission was saved elsewhere: choose which version to keep (above), then submit."
                        .into(),
                    Vec::new(),
                )));
            }
        }
    });
    let submit = move |_| {
        if busy.get_untracked() || !unmet.with_untracked(|u| u.as_ref().is_some_and(Vec::is_empty))
        {
            return;
        }
        busy.set(true);
        error.set(None);
        editor.save_now();
        waiting.set(true);
    };
    let close = move |_| navigate("/", Default::default());
    // After submitting, the button pressed is gone: focus moves to Close wizard.
    let close_ref = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if just_submitted.get() {
            if let Some(b) = close_ref.get() {
                let _ = b.focus();
            }
        }
    });

    let checklist = move || {
        let id = editor.draft.with(|s| s.id.clone());
        unmet.get().map(|items| {
            let only_certification = items.iter().all(|u| u.field == CERTIFIED_FIELD);
            let count = items.len();
            let head = if items.is_empty() {
                "Everything required is done. You can submit.".to_string()
            } else if only_certification {
                "Everything required is done. One step left:".to_string()
            } else if count == 1 {
                "1 requirement is not met yet:".to_string()
            } else {
                format!("{count} requirements are not met yet:")
            };
            view! {
                <div class="submit-checklist" id="submit-checklist">
                    <p class=only_certification.then_some("notice success")>{head}</p>
                    {(!items.is_empty()).then(|| view! {
                        <ul>{items.into_iter().map(|u| requirement(&id, u)).collect_view()}</ul>
                    })}
                </div>
            }
        })
    };
    let can_submit = move || unmet.with(|u| u.as_ref().is_some_and(Vec::is_empty));
    let submittable = move || matches!(status.get(), Status::Draft | Status::IsvToReview);

    view! {
        <section class="page submit-page">
            <h1>"Submit"</h1>
            <div role="status" class="live">
                {move || (status.get() == Status::OinToReview).then(|| view! {
                    <p class="notice success">
                        {move || if just_submitted.get() {
                            "Submitted: the catalog team reviews it now. Status: OIN to review"
                        } else {
                            "This integration was submitted: the catalog team reviews it now. Status: OIN to review"
                        }}
                    </p>
                })}
            </div>
            <Show when=submittable fallback=move || view! {
                <Show when=move || status.get() == Status::Published>
                    <p>"This integration is published. To submit changes, choose Edit integration, test the new version, then submit it here."</p>
                </Show>
                <div class="page-actions">
                    <button type="button" class="button primary" node_ref=close_ref on:click=close.clone()>"Close wizard"</button>
                </div>
            }>
                <p class="lead">
                    "The catalog team reviews your integration once everything below is done: every required "
                    "instance detected and active, every required SSO test passed within the last 48 hours, and "
                    "for SCIM both test result links given (or, on the server, a passing run of the SCIM tests within 48 hours)."
                </p>
                {move || testing.load_error.get().map(|e| view! {
                <ReadFailed message=e retry=Callback::new(move |()| testing.reload()) />
            })}
                <section class="submit-requirements" aria-labelledby="requirements-title">
                    <h2 id="requirements-title">"Requirements"</h2>
                    {move || match checklist() {
                        Some(list) => list.into_any(),
                        None => view! {
                            <p class="loading" role="status" id="submit-checklist">"Checking the requirements…"</p>
                        }.into_any(),
                    }}
                </section>
                {move || self_reported.get().map(|c| view! {
                    <div class="notice simulated" role="note">
                        <p>
                            <strong>"Self-reported results. "</strong>
                            {format!(
                                "{} of the {} required test results are what you reported: no backend observed those sign-ins. ",
                                c.self_reported, c.cases
                            )}
                            {REAL_TEST}
                        </p>
                    </div>
                })}
                <div class="check-field certify">
                    <input type="checkbox" id=field_id(CERTIFIED_FIELD)
                        prop:checked=move || certified.get()
                        aria-describedby="certify-help"
                        on:change=move |ev| certified.set(event_target_checked(&ev)) />
                    <div>
                        <label for=field_id(CERTIFIED_FIELD)>{CERTIFY}</label>
                        <p class="field-help" id="certify-help">
                            "Including, for SCIM, the manual test plan. Required before submitting."
                        </p>
                    </div>
                </div>
                {move || error.get().map(|(message, unmet)| view! {
                    <div class="notice error" role="alert">
                        <p>{message}</p>
                        {(!unmet.is_empty()).then(|| view! {
                            <ul>{unmet.into_iter().map(|u| view! { <li>{u.message}</li> }).collect_view()}</ul>
                        })}
                    </div>
                })}
                <div class="page-actions">
                    <button type="button" class="button primary"
                        disabled=move || !can_submit() || busy.get()
                        aria-describedby="submit-checklist"
                        on:click=submit>
                        {move || if busy.get() { "Submitting…" } else { "Submit integration" }}
                    </button>
                </div>
            </Show>
        </section>
    }
}

/// One checklist item: a link to the field or section where it is fixed, when there is one.
fn requirement(id: &str, u: UnmetRequirement) -> AnyView {
    let anchor = field_id(&u.field);
    // The signed-in user's roles or email, and the status, have no field to link to.
    if u.page == Page::Submit && u.field != CERTIFIED_FIELD {
        return view! { <li>{u.message}</li> }.into_any();
    }
    let path = page_path(id, u.page);
    let href = if u.page == Page::Submit {
        format!("#{anchor}")
    } else {
        format!("{path}#{anchor}")
    };
    let navigate = use_navigate();
    let on_click = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        if u.page != Page::Submit {
            navigate(&format!("{path}#{}", anchor), Default::default());
        }
        focus_when_present(anchor.clone(), 40);
    };
    view! { <li><a href=href on:click=on_click>{u.message}</a></li> }.into_any()
}

/// Focuses (and scrolls to) the element `id` once it is on the page: the page linked to may
/// still be loading. Tries every 50 ms, `tries` times.
fn focus_when_present(id: String, tries: u32) {
    let found = document()
        .get_element_by_id(&id)
        .and_then(|el| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el).ok());
    match found {
        Some(el) => {
            if !el.has_attribute("tabindex")
                && !matches!(
                    el.tag_name().as_str(),
                    "INPUT" | "SELECT" | "TEXTAREA" | "BUTTON" | "A"
                )
            {
                let _ = el.set_attribute("tabindex", "-1");
            }
            el.scroll_into_view();
            let _ = el.focus();
        }
        None if tries > 0 => {
            set_timeout(
                move || focus_when_present(id, tries - 1),
                std::time::Duration::from_millis(50),
            );
        }
        None => {}
    }
}
