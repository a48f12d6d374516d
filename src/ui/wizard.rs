//! The wizard around its pages: loads the submission, owns the [`Editor`], shows the stepper,
//! the save status, the conflict banner, the read-only notice and the "Instructions for" panel.

use leptos::prelude::*;
use leptos_router::components::{Outlet, A};
use leptos_router::hooks::{use_location, use_params_map};

use super::components::catalog_contact::CatalogContact;
use super::components::instance_prompt::InstanceNotDetected;
use super::components::instructions::Instructions;
use super::components::save_status::{ConflictBanner, LocalCopyProblem, SaveStatus};
use super::context::app_state;
use super::editor::{Editor, SaveState};
use crate::backend::drafts;
use crate::domain::roles::{permits, Action};
use crate::domain::transitions::can_withdraw;
use crate::domain::{Page, Status};

/// The route segment of each wizard page.
pub fn page_path(id: &str, page: Page) -> String {
    let segment = match page {
        Page::SelectProtocol => "protocol",
        Page::Configure => "configure",
        Page::TestInfo => "test-info",
        Page::TestIntegration => "test",
        Page::Submit => "submit",
    };
    format!("/integrations/{id}/{segment}")
}

/// The wizard pages with fields before testing, in order (the stepper's first three steps).
pub const STEPS: [Page; 3] = [Page::SelectProtocol, Page::Configure, Page::TestInfo];

/// `/integrations/:id/*`: loads the submission (and any unsaved local copy), then the page.
#[component]
pub fn WizardLayout() -> impl IntoView {
    let state = app_state();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    // Local copies belong to the signed-in user: the integration opens once they are known.
    let user_id = Memo::new(move |_| state.user.with(|u| u.as_ref().map(|u| u.id.clone())));
    let loaded = LocalResource::new(move || {
        let id = id();
        let known = user_id.get().is_some();
        let backend = state.backend();
        async move {
            let Some(scope) = known.then(|| state.drafts_scope()).flatten() else {
                return Ok(None);
            };
            let saved = backend.get_submission(&id).await?;
            let restored = drafts::recall(&scope, &saved);
            Ok::<_, crate::backend::BackendError>(Some((scope, saved, restored)))
        }
    });
    move || match loaded.get() {
        None | Some(Ok(None)) => {
            let text = move || {
                if state.user_error.with(Option::is_some) {
                    "This integration opens once your account is read: choose Retry above."
                } else {
                    "Loading the integration…"
                }
            };
            view! { <p class="loading" role="status">{text}</p> }.into_any()
        }
        Some(Err(e)) => view! {
            <section class="page error-page" role="alert">
                <h1>"This integration could not be opened"</h1>
                <p>{e.to_string()}</p>
                <p><A href="/">"Go to your OIN integrations"</A></p>
            </section>
        }
        .into_any(),
        Some(Ok(Some((scope, saved, restored)))) => {
            let was_restored = restored.is_some();
            let (restored, again) = restored.unzip();
            let again = again.unwrap_or_default();
            let editor = Editor::new(state, scope, saved, restored);
            view! { <WizardFrame editor was_restored again /> }.into_any()
        }
    }
}

#[component]
fn WizardFrame(editor: Editor, was_restored: bool, again: Vec<String>) -> impl IntoView {
    provide_context(editor);
    provide_context(editor.form());
    let app = app_state();
    // Leaving (reload, close, another site) with unsaved edits warns (not when signing out:
    // Sign out saved them first, or the user chose to discard them).
    let unload = window_event_listener(leptos::ev::beforeunload, move |ev| {
        if editor.has_unsaved() && !app.signing_out.get_untracked() {
            editor.save_now();
            ev.prevent_default();
            ev.set_return_value("You have unsaved changes");
        }
    });
    // Sign out saves these edits first.
    let settle = app.on_sign_out_settle(
        editor.draft.with_untracked(|s| s.id.clone()),
        std::rc::Rc::new(move || Box::pin(async move { editor.settled().await })),
    );
    on_cleanup(move || {
        app.forget_settle(settle);
        if app.signing_out.try_get_untracked() != Some(true) {
            editor.save_now();
        }
        unload.remove();
    });
    let title = move || {
        editor.draft.with(|s| {
            if s.catalog.display_name.trim().is_empty() {
                "New OIN integration".to_string()
            } else {
                s.catalog.display_name.clone()
            }
        })
    };
    let status = move || editor.draft.with(|s| s.status.label());
    let was_restored = was_restored && !editor.held;
    let restored_notice = was_restored
        && matches!(
            editor.save_state.get_untracked(),
            SaveState::Pending | SaveState::Conflict(_)
        );
    // What the local copy could not keep (secrets, a logo's bytes): shown until dismissed.
    let again = RwSignal::new(was_restored.then_some(again).filter(|a| !a.is_empty()));
    // Until the restored edits are saved (then the notice has done its job).
    let restored_shown = RwSignal::new(restored_notice);
    Effect::new(move |_| {
        if editor.save_state.get() == SaveState::Saved {
            restored_shown.set(false);
        }
    });
    // "Test your integration" from the dashboard says here what is still missing (SPEC 2).
    let state = app_state();
    let landing = RwSignal::new(state.notice.get_untracked());
    state.notice.set(None);
    let land = move |text: Option<String>| {
        if text.is_some() {
            // Show every problem of the landing page at once, as its primary button would.
            for page in STEPS {
                editor.attempt(page);
            }
            landing.set(text);
        }
    };
    land(landing.get_untracked());
    // A page of this wizard may send the user to another one with a notice (the Test
    // integration page, when something is still missing).
    Effect::new(move |_| {
        if let Some(text) = state.notice.get() {
            state.notice.set(None);
            land(Some(text));
        }
    });
    view! {
        <div class="wizard">
            <div class="wizard-head">
                <div>
                    <p class="eyebrow">"OIN Wizard"</p>
                    <p class="wizard-title">{title}</p>
                </div>
                <div class="wizard-meta">
                    <span class="badge">{status}</span>
                    <SaveStatus
                        status=Signal::derive(move || editor.save_view())
                        on_retry=Callback::new(move |()| editor.save_now()) />
                </div>
            </div>
            <ConflictBanner
                status=Signal::derive(move || editor.save_view())
                on_keep_mine=Callback::new(move |()| editor.keep_mine())
                on_take_theirs=Callback::new(move |()| editor.take_theirs()) />
            <LocalCopyProblem problem=editor.local_copy_error.into() />
            {editor.held.then(|| view! {
                <p class="notice warning" role="status">
                    "Changes you made in this browser had not been saved when this integration became "
                    {editor.draft.with_untracked(|s| s.status.label())}
                    ". They are kept in this browser, not applied: when it can be edited again, opening it offers them to you."
                </p>
            })}
            <Show when=move || restored_shown.get()>
                <p class="notice info" role="status">
                    "Restored changes you had not saved yet. They are being saved now."
                </p>
            </Show>
            {move || again.get().map(|fields| view! {
                <div class="notice warning" role="status">
                    <p>"Restored changes you had not saved yet. This browser does not keep secrets or logo files, so enter these again:"</p>
                    <ul>{fields.into_iter().map(|f| view! { <li>{f}</li> }).collect_view()}</ul>
                    <button type="button" class="button small" on:click=move |_| again.set(None)>"Dismiss"</button>
                </div>
            })}
            {move || landing.get().map(|text| view! { <p class="notice warning" role="status">{text}</p> })}
            <ReviewNote />
            <UnderReview editor />
            <InstanceNotDetected prompt=editor.instance_prompt />
            {move || editor.edit_refusal().map(|reason| {
                let published = editor.draft.with(crate::domain::navigation::is_read_only);
                view! {
                    <div class="notice info" role="note">
                        <p><strong>{reason}</strong>
                        {published.then_some(" It is published. To change it, choose Edit integration: it becomes a Draft and the published version is kept for existing customers.")}</p>
                        {published.then(|| view! { <EditIntegration editor /> })}
                    </div>
                }
            })}
            <div class="wizard-body">
                <Stepper />
                <div class="wizard-page">
                    <Outlet />
                </div>
                <Instructions protocols=Signal::derive(move || editor.draft.with(|s| s.protocols.list())) />
            </div>
        </div>
    }
}

/// **Edit integration** on the read-only notice: disabled, with the reason shown, for a user
/// whose roles don't allow editing (SPEC 1).
#[component]
fn EditIntegration(editor: Editor) -> impl IntoView {
    let state = app_state();
    let refusal = move || {
        state.user.with(|u| {
            u.as_ref()
                .and_then(|u| permits(u, Action::EditSubmissions).err())
        })
    };
    view! {
        <button type="button" class="button primary" on:click=move |_| editor.edit_integration()
            disabled=move || refusal().is_some()
            aria-describedby=move || refusal().map(|_| "edit-integration-reason")>
            "Edit integration"
        </button>
        {move || refusal().map(|r| view! { <p class="control-reason" id="edit-integration-reason">{r}</p> })}
    }
}

/// SPEC 2, 1: a submission in "OIN to review" is with the catalog team. **Withdraw
/// submission** takes it back as a Draft (`transitions::withdraw`); questions about the review
/// go to the catalog team.
#[component]
fn UnderReview(editor: Editor) -> impl IntoView {
    let state = app_state();
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let refusal = move || {
        let row = editor.draft.with(|s| s.summary());
        state
            .user
            .with(|u| u.as_ref().and_then(|u| can_withdraw(&row, u).err()))
            .map(|e| e.message)
    };
    let withdraw = move |_| {
        busy.set(true);
        let backend = state.backend();
        let id = editor.draft.with_untracked(|s| s.id.clone());
        leptos::task::spawn_local(async move {
            match backend.withdraw_submission(&id).await {
                Ok(draft) => {
                    editor.replace(draft);
                    state.saved.try_update(|n| *n += 1);
                }
                Err(e) => {
                    let _ = error.try_set(Some(e.to_string()));
                }
            }
            let _ = busy.try_set(false);
        });
    };
    move || {
        (editor.draft.with(|s| s.status) == Status::OinToReview).then(|| view! {
            <section class="notice info" aria-labelledby="under-review-title">
                <h2 id="under-review-title">"The catalog team is reviewing this integration (OIN to review)"</h2>
                <p>"To change it, withdraw it: it becomes a Draft again, and you submit it again when it is ready."</p>
                <p>
                    <button type="button" class="button" on:click=withdraw
                        disabled=move || busy.get() || refusal().is_some()
                        aria-describedby=move || refusal().map(|_| "withdraw-reason")>
                        "Withdraw submission"
                    </button>
                </p>
                {move || refusal().map(|r| view! { <p class="control-reason" id="withdraw-reason">{r}</p> })}
                {move || error.get().map(|e| view! { <p class="notice error" role="alert">{e}</p> })}
                <p><CatalogContact reason="Questions about the review or its status: contact the catalog team".to_string() /></p>
            </section>
        })
    }
}

/// The left stepper: each step with its state (not started, has errors, complete).
#[component]
fn Stepper() -> impl IntoView {
    let editor = super::editor::editor();
    let location = use_location();
    let id = move || editor.draft.with(|s| s.id.clone());
    let steps = move || {
        Page::ALL
            .iter()
            .enumerate()
            .map(|(n, page)| {
                let page = *page;
                let href = page_path(&id(), page);
                let here = {
                    let href = href.clone();
                    move || location.pathname.get() == href
                };
                let state = move || step_state(&editor, page);
                view! {
                    <li class=move || format!("step {}", state().0)>
                        <A href=href.clone() attr:aria-current=move || here().then_some("step")>
                            <span class="step-number" aria-hidden="true">{n + 1}</span>
                            <span class="step-text">
                                <span class="step-title">{page.title()}</span>
                                <span class="step-state">{move || state().1}</span>
                            </span>
                        </A>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <nav class="stepper" aria-label="Wizard steps">
            <ol>{steps}</ol>
        </nav>
    }
}

/// SPEC 2: a submission sent back as "ISV to review" shows the catalog team's message.
#[component]
fn ReviewNote() -> impl IntoView {
    let editor = super::editor::editor();
    move || {
        editor.draft.with(|s| {
            (s.status == Status::IsvToReview).then(|| {
                let note = s.review_note.trim().to_string();
                view! {
                    <section class="notice warning review-note" aria-labelledby="review-note-title">
                        <h2 id="review-note-title">"The catalog team sent this integration back to you (ISV to review)"</h2>
                        {(!note.is_empty()).then(|| view! {
                            <p><strong>"Message from the catalog team: "</strong>{note}</p>
                        })}
                        <p>"Fix what it asks for, test again, and submit again on the Submit page."</p>
                    </section>
                }
            })
        })
    }
}

/// (css class, words) of a step's state. The testing and submit steps read the domain's
/// answers (the earlier pages' problems, the status).
fn step_state(editor: &Editor, page: Page) -> (&'static str, &'static str) {
    match page {
        Page::TestIntegration => {
            let status = editor.draft.with(|s| s.status);
            let ready = !editor.problems.with(|ps| {
                ps.iter()
                    .any(|p| p.is_error() && p.page() < Page::TestIntegration)
            });
            return match status {
                Status::OinToReview | Status::Published => ("complete", "Complete"),
                _ if !ready => ("not-started", "Not started"),
                _ if editor.page_problems(page).iter().any(|p| p.is_error()) => {
                    ("in-progress", "In progress")
                }
                _ => ("in-progress", "Ready to test"),
            };
        }
        Page::Submit => {
            return match editor.draft.with(|s| s.status) {
                Status::Draft => ("not-started", "Not submitted"),
                Status::IsvToReview => ("errors", "Changes requested"),
                Status::OinToReview => ("complete", "Submitted"),
                Status::Published => ("complete", "Published"),
            };
        }
        _ => {}
    }
    let started = editor.draft.with(|s| match page {
        Page::SelectProtocol => !s.protocols.is_empty(),
        Page::Configure => {
            !s.catalog.display_name.is_empty()
                || !s.catalog.description.is_empty()
                || s.catalog.logo.is_some()
                || !s.variables.is_empty()
        }
        Page::TestInfo => !s.test_info.account_url.is_empty() || !s.test_info.username.is_empty(),
        _ => false,
    });
    let started = started || editor.touched_page(page) || editor.attempted(page);
    if !started {
        ("not-started", "Not started")
    } else if editor.page_problems(page).iter().any(|p| p.is_error()) {
        ("errors", "Has errors")
    } else {
        ("complete", "Complete")
    }
}
