//! The Test integration page (SPEC 5.2–5.4): the Required app instances box, the instances
//! for testing, the OIN Submission Tester (SSO) and the SCIM tests. Reachable only when
//! protocols, configuration and test details are complete; otherwise it sends the user to the
//! first page that still misses something, saying what.

pub mod generate;
pub mod instance_card;
pub mod instance_details;
pub mod instance_edit;
pub mod instances;
pub mod scim_tests;
pub mod simulated;
pub mod tester;
pub mod tester_cases;
pub mod tester_run;

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::domain::navigation::first_incomplete_page;
use crate::domain::scim_oauth::read_return;
use crate::domain::Page;
use crate::ui::components::error_panel::ReadFailed;
use crate::ui::context::app_state;
use crate::ui::editor::editor;
use crate::ui::rules;
use crate::ui::testing::{Outcome, Testing};
use crate::ui::wizard::page_path;

use instances::{InstancesSection, RequiredInstances};
use scim_tests::ScimTests;
use simulated::{SimulatedOrg, Where};
use tester::TesterSection;

/// `/integrations/:id/test`.
#[component]
pub fn TestIntegration() -> impl IntoView {
    let editor = editor();
    let state = app_state();
    let navigate = use_navigate();
    let landing = editor
        .draft
        .with_untracked(|s| first_incomplete_page(s, rules::expressions()));
    if landing.page != Page::TestIntegration {
        state.notice.set(landing.notice());
        let id = editor.draft.with_untracked(|s| s.id.clone());
        let to = page_path(&id, landing.page);
        request_animation_frame(move || navigate(&to, Default::default()));
        return view! { <p class="loading" role="status">"Opening the page that still misses something…"</p> }
            .into_any();
    }
    let testing = Testing::new(editor.draft.with_untracked(|s| s.id.clone()));
    provide_context(testing);
    let has_sso = move || editor.draft.with(|s| s.protocols.oidc || s.protocols.saml);
    let has_scim = move || editor.draft.with(|s| s.protocols.scim);
    let submit_href = move || editor.draft.with(|s| page_path(&s.id, Page::Submit));
    // Back from the vendor's authorize page (SCIM over OAuth 2.0): the outcome, focused so a
    // screen reader and a keyboard user start there.
    let oauth_return = window()
        .location()
        .search()
        .ok()
        .and_then(|q| read_return(&q));
    let oauth_ref = NodeRef::<leptos::html::Div>::new();
    if oauth_return.is_some() {
        Effect::new(move |_| {
            if let Some(el) = oauth_ref.get() {
                let _ = el.focus();
            }
        });
    }
    let oauth_notice = oauth_return.map(|(instance, outcome)| {
        // The instance by its label once the org's instances are read (its id until then).
        let name = move || {
            testing
                .view
                .with(|v| {
                    v.as_ref()
                        .and_then(|v| v.instances.iter().find(|i| i.id == instance))
                        .map(|i| format!("\"{}\"", i.label))
                })
                .unwrap_or_else(|| instance.clone())
        };
        let (class, words) = match outcome {
            Ok(()) => ("notice success", Ok(())),
            Err(why) => ("notice error", Err(why)),
        };
        let words = move || match &words {
            Ok(()) => format!("OAuth 2.0 authorization of instance {} succeeded: Test API Credentials and Run SCIM tests now send its access token.", name()),
            Err(why) => format!("OAuth 2.0 authorization of instance {} failed: {why} Choose Authenticate to try again.", name()),
        };
        view! {
            <div class=class id="scim-oauth-result" tabindex="-1" role="status" node_ref=oauth_ref>
                <p>{words}</p>
            </div>
        }
    });
    view! {
        <section class="page test-page">
            <h1>"Test integration"</h1>
            <p class="lead">
                "Generate an app instance per protocol as a customer admin would, test it, then submit. "
                "Use a password-only sign-in policy on test instances, and never connect a production app to a test instance."
            </p>
            <SimulatedOrg place=Where::Page />
            {oauth_notice}
            <div class="live" role="status" aria-live="polite">
                {move || match testing.outcome.get() {
                    Some(Outcome::Done(words)) => Some(view! { <p class="notice success">{words}</p> }),
                    _ => None,
                }}
            </div>
            {move || match testing.outcome.get() {
                Some(Outcome::Failed(words)) => Some(view! { <p class="notice error" role="alert">{words}</p> }),
                _ => None,
            }}
            {move || testing.load_error.get().map(|e| view! {
                <ReadFailed message=e retry=Callback::new(move |()| testing.reload()) />
            })}
            <Show when=move || testing.view.with(Option::is_some)
                fallback=|| view! { <p class="loading" role="status">"Loading your org's instances…"</p> }>
                <RequiredInstances />
                <InstancesSection />
                <Show when=has_sso><TesterSection /></Show>
                <Show when=has_scim><ScimTests /></Show>
            </Show>
            <div class="page-actions">
                <a class="button primary" href=submit_href>"Next: Submit"</a>
            </div>
        </section>
    }
    .into_any()
}
