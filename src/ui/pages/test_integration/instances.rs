//! SPEC 5.2: the Required app instances box and "Application instances for testing".

use leptos::prelude::*;

use crate::domain::instances::{detect, eligibility, Eligibility};
use crate::domain::submit::{protocol_key, version_key};
use crate::domain::VersionKind;
use crate::ui::editor::editor;
use crate::ui::testing::{focus_by_id, testing};

use super::generate::GenerateInstance;
use super::instance_card::InstanceCard;

/// Moves focus to **Generate instance** (or, when it is disabled, to the list where instances
/// can be deactivated).
fn go_generate(ev: leptos::ev::MouseEvent) {
    ev.prevent_default();
    let enabled = document()
        .get_element_by_id("generate-instance")
        .is_some_and(|b| !b.has_attribute("disabled"));
    focus_by_id(if enabled {
        "generate-instance"
    } else {
        "instances-list"
    });
}

/// The Required app instances box.
#[component]
pub fn RequiredInstances() -> impl IntoView {
    let testing = testing();
    let editor = editor();
    let rows = Memo::new(move |_| {
        let instances = testing
            .view
            .with(|v| v.as_ref().map(|v| v.instances.clone()).unwrap_or_default());
        let detected = editor.draft.with(|s| detect(s, &instances));
        detected
            .into_iter()
            .map(|d| {
                let label = d.instance_id.as_ref().and_then(|id| {
                    instances
                        .iter()
                        .find(|i| &i.id == id)
                        .map(|i| i.label.clone())
                });
                (d, label)
            })
            .collect::<Vec<_>>()
    });
    let group = move |version: VersionKind, title: &'static str| {
        let items = move || {
            rows.get()
                .into_iter()
                .filter(|(d, _)| d.required.version == version)
                .map(|(d, label)| {
                    let r = d.required;
                    let id = format!(
                        "field-instances-{}-{}",
                        version_key(r.version),
                        protocol_key(r.protocol)
                    );
                    let anchor = format!(
                        "instances-{}-{}",
                        version_key(r.version),
                        protocol_key(r.protocol)
                    );
                    let state = match (label, d.active) {
                        (Some(l), true) => view! {
                            <span class="instance-state ok">"Detected: "{l}</span>
                        }
                        .into_any(),
                        (Some(l), false) => view! {
                            <span class="instance-state warning">
                                "Detected: "{l}" — inactive: switch ACTIVE on"
                            </span>
                        }
                        .into_any(),
                        (None, _) => view! {
                            <span class="instance-state missing">
                                "Missing — "<a href="#generate-instance" on:click=go_generate>"Generate instance"</a>
                                {format!(" for {}", r.protocol.label())}
                            </span>
                        }
                        .into_any(),
                    };
                    view! {
                        <li id=anchor>
                            <div id=id tabindex="-1" class="required-row">
                                <span class="required-protocol">{r.protocol.label()}</span>
                                ": "
                                {state}
                            </div>
                        </li>
                    }
                })
                .collect_view()
        };
        let any = move || rows.with(|r| r.iter().any(|(d, _)| d.required.version == version));
        view! {
            <Show when=any>
                <h3>{title}</h3>
                <ul class="required-list">{items}</ul>
            </Show>
        }
    };
    view! {
        <section class="required-instances" aria-labelledby="required-instances">
            <h2 id="required-instances">"Required app instances"</h2>
            <p class="field-help">
                "One active, eligible instance per protocol is needed before you submit."
            </p>
            {group(VersionKind::Current, "CURRENT VERSION")}
            {group(VersionKind::Published, "PUBLISHED VERSION")}
        </section>
    }
}

/// "Application instances for testing", **Generate instance** and each instance's details.
#[component]
pub fn InstancesSection() -> impl IntoView {
    let testing = testing();
    let editor = editor();
    let ui = testing;
    let shown = Memo::new(move |_| {
        let all = ui.show_all.get();
        let instances = testing
            .view
            .with(|v| v.as_ref().map(|v| v.instances.clone()).unwrap_or_default());
        editor.draft.with(|s| {
            instances
                .iter()
                .filter(|i| all || !matches!(eligibility(s, i), Eligibility::Ineligible(_)))
                .map(|i| i.id.clone())
                .collect::<Vec<_>>()
        })
    });
    let hidden = move || {
        let total = testing
            .view
            .with(|v| v.as_ref().map_or(0, |v| v.instances.len()));
        total.saturating_sub(shown.with(Vec::len))
    };
    view! {
        <section class="instances-section" aria-labelledby="instances-for-testing">
            <h2 id="instances-for-testing">"Application instances for testing"</h2>
            <GenerateInstance />
            <div class="filter-row">
                <p id="instances-list" tabindex="-1">
                    {move || if ui.show_all.get() {
                        "Showing every instance in your org, eligible or not.".to_string()
                    } else {
                        format!(
                            "Showing instances eligible for this integration's tests ({} other instances hidden).",
                            hidden()
                        )
                    }}
                </p>
                {move || if ui.show_all.get() {
                    view! {
                        <button type="button" class="button small" on:click=move |_| ui.show_all.set(false)>
                            "Show eligible only"
                        </button>
                    }.into_any()
                } else {
                    view! {
                        <button type="button" class="button small" on:click=move |_| ui.show_all.set(true)>
                            "Clear filter"
                        </button>
                    }.into_any()
                }}
            </div>
            <Show when=move || shown.with(Vec::is_empty)>
                <p class="empty">"No instances to show. Generate one for each protocol above."</p>
            </Show>
            <div class="instance-list">
                <For each=move || shown.get() key=|id| id.clone() let:id>
                    <InstanceCard id=id />
                </For>
            </div>
        </section>
    }
}
