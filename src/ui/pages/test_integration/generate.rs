//! SPEC 5.2: the **Generate instance** button and its modal dialog: the protocol (the combined
//! SSO + SCIM option only when the core allows it), the version while a published integration
//! is edited, the application label and a value per integration variable. Refusals from the
//! backend stay in the dialog.

use std::collections::BTreeMap;

use leptos::html;
use leptos::prelude::*;

use crate::domain::api::GenerateInstanceRequest;
use crate::domain::instances::{can_generate, combinable_sso};
use crate::domain::roles::Action;
use crate::domain::testing::version_source;
use crate::domain::{Protocol, Submission, VersionKind};
use crate::ui::context::app_state;
use crate::ui::editor::editor;
use crate::ui::testing::{protocols_label, testing, Outcome};

use super::instance_edit::VariableValue;
use super::simulated::{SimulatedOrg, Where};

/// The protocol choices of one version: each protocol alone, then the combined one if allowed.
fn protocol_options(source: &Submission) -> Vec<Vec<Protocol>> {
    let mut out: Vec<Vec<Protocol>> = source
        .protocols
        .list()
        .into_iter()
        .map(|p| vec![p])
        .collect();
    if let Some(sso) = combinable_sso(source) {
        out.push(vec![sso, Protocol::Scim]);
    }
    out
}

fn option_key(protocols: &[Protocol]) -> String {
    protocols
        .iter()
        .map(|p| match p {
            Protocol::Oidc => "oidc",
            Protocol::Saml => "saml",
            Protocol::Scim => "scim",
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// Why **Generate instance** is refused now (roles, then the active limit), if it is.
pub fn generate_refusal() -> Memo<Option<String>> {
    let testing = testing();
    let state = app_state();
    Memo::new(move |_| {
        if let Err(why) = state.permits(Action::Test) {
            return Some(why);
        }
        testing
            .view
            .with(|v| v.as_ref().map(|v| can_generate(&v.instances)))
            .and_then(Result::err)
    })
}

/// The **Generate instance** button, the reason it is disabled, and the dialog.
#[component]
pub fn GenerateInstance() -> impl IntoView {
    let testing = testing();
    let editor = editor();
    let state = app_state();
    let ui = testing;
    let dialog = NodeRef::<html::Dialog>::new();
    let version = RwSignal::new(VersionKind::Current);
    let choice = RwSignal::new(Vec::<Protocol>::new());
    let label = RwSignal::new(String::new());
    let values = RwSignal::new(BTreeMap::<String, String>::new());
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let refusal = generate_refusal();
    let editing_published = move || editor.draft.with(Submission::is_editing_published);
    let options = move || {
        editor
            .draft
            .with(|s| version_source(s, version.get()).map(protocol_options))
            .unwrap_or_default()
    };
    let variables = move || {
        editor
            .draft
            .with(|s| version_source(s, version.get()).map(|src| src.variables.clone()))
            .unwrap_or_default()
    };
    let at_limit = move || {
        testing
            .view
            .with(|v| v.as_ref().map(|v| can_generate(&v.instances).is_err()))
            .unwrap_or(false)
    };

    let open = move |_| {
        version.set(VersionKind::Current);
        let first = options().into_iter().next().unwrap_or_default();
        choice.set(first);
        label.set(String::new());
        values.set(BTreeMap::new());
        error.set(None);
        if let Some(d) = dialog.get() {
            let _ = d.show_modal();
        }
    };
    let close = move || {
        if let Some(d) = dialog.get() {
            d.close();
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        if let Some(why) = refusal.get_untracked() {
            error.set(Some(why));
            return;
        }
        let request = GenerateInstanceRequest {
            submission_id: editor.draft.with_untracked(|s| s.id.clone()),
            version: version.get_untracked(),
            protocols: choice.get_untracked(),
            label: label.get_untracked().trim().to_string(),
            variable_values: values.get_untracked(),
        };
        pending.set(true);
        error.set(None);
        let backend = state.backend();
        leptos::task::spawn_local(async move {
            if let Err(why) = testing.saved().await {
                let _ = pending.try_set(false);
                let _ = error.try_set(Some(why));
                return;
            }
            let answer = backend.generate_instance(request).await;
            let _ = pending.try_set(false);
            match answer {
                Ok(instance) => {
                    let words = format!(
                        "Instance \"{}\" generated ({}). Its secrets are shown once below.",
                        instance.label,
                        protocols_label(&instance.protocols)
                    );
                    let _ = ui.fresh.try_set(Some(instance));
                    let _ = testing.outcome.try_set(Some(Outcome::Done(words)));
                    close();
                    testing.reload();
                }
                Err(e) => {
                    let _ = error.try_set(Some(e.to_string()));
                }
            }
        });
    };
    let show_instances = move |_| {
        close();
        ui.show_all_and_focus();
    };

    let protocol_radio = move |protocols: Vec<Protocol>| {
        let key = option_key(&protocols);
        let id = format!("generate-protocol-{key}");
        let text = protocols_label(&protocols);
        let mine = protocols.clone();
        let mine2 = protocols.clone();
        view! {
            <div class="check-field">
                <input type="radio" name="generate-protocol" id=id.clone()
                    prop:checked=move || choice.with(|c| *c == mine)
                    on:change=move |_| choice.set(mine2.clone()) />
                <label for=id>{text}</label>
            </div>
        }
    };
    let version_radio = move |kind: VersionKind, text: &'static str, id: &'static str| {
        view! {
            <div class="check-field">
                <input type="radio" name="generate-version" id=id
                    prop:checked=move || version.get() == kind
                    on:change=move |_| {
                        version.set(kind);
                        let opts = options();
                        if !opts.contains(&choice.get_untracked()) {
                            choice.set(opts.into_iter().next().unwrap_or_default());
                        }
                    } />
                <label for=id>{text}</label>
            </div>
        }
    };

    view! {
        <div class="generate-row">
            <button type="button" id="generate-instance" class="button primary" on:click=open
                disabled=move || refusal.get().is_some() || testing.busy.get()
                aria-describedby="generate-refusal">"Generate instance"</button>
            <p id="generate-refusal" class="field-help">{move || refusal.get()}</p>
            <Show when=at_limit>
                <button type="button" class="button" on:click=move |_| ui.show_all_and_focus()>
                    "Show instances to deactivate"
                </button>
            </Show>
        </div>
        <dialog node_ref=dialog class="dialog generate-dialog" aria-labelledby="generate-title">
            <form on:submit=submit novalidate>
                <h2 id="generate-title">"Generate instance"</h2>
                <p class="field-help">
                    "Creates an app instance in your org as a customer admin would, from this integration's settings."
                </p>
                <SimulatedOrg place=Where::Generate />
                <Show when=editing_published>
                    <fieldset class="field" role="radiogroup" aria-labelledby="generate-version-legend">
                        <legend class="field-label" id="generate-version-legend">"Version"</legend>
                        {version_radio(VersionKind::Current, "Current version", "generate-version-current")}
                        {version_radio(VersionKind::Published, "Published version", "generate-version-published")}
                    </fieldset>
                </Show>
                <fieldset class="field" role="radiogroup" aria-labelledby="generate-protocol-legend">
                    <legend class="field-label" id="generate-protocol-legend">"Protocol"</legend>
                    {move || options().into_iter().map(protocol_radio).collect_view()}
                </fieldset>
                <div class="field">
                    <label class="field-label" for="generate-label">"Application label"</label>
                    <input id="generate-label" class="control" type="text" autocomplete="off"
                        aria-describedby="generate-label-help"
                        prop:value=move || label.get()
                        on:input=move |ev| label.set(event_target_value(&ev)) />
                    <p id="generate-label-help" class="field-help">"Names the instance in your org."</p>
                </div>
                {move || variables().into_iter().enumerate().map(|(i, v)| view! {
                    <VariableValue id=format!("generate-var-{i}") variable=v values />
                }).collect_view()}
                {move || error.get().map(|e| view! { <p class="notice error" role="alert">{e}</p> })}
                <div class="button-row end">
                    <button type="button" class="button" on:click=move |_| close()>"Cancel"</button>
                    <Show when=at_limit>
                        <button type="button" class="button" on:click=show_instances>
                            "Show instances to deactivate"
                        </button>
                    </Show>
                    <button type="submit" class="button primary"
                        disabled=move || pending.get() || refusal.get().is_some()
                        aria-describedby="generate-dialog-refusal">"Generate instance"</button>
                </div>
                <p id="generate-dialog-refusal" class="field-help">{move || refusal.get()}</p>
            </form>
        </dialog>
    }
}
