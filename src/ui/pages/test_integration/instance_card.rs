//! One instance of "Application instances for testing" (SPEC 5.2): why it is or is not
//! eligible, its protocols and version, the ACTIVE switch, **Delete instance** (inactive only),
//! and what the customer admin sees.

use leptos::prelude::*;

use crate::domain::instances::{can_activate, can_delete, eligibility, Eligibility};
use crate::domain::Instance;
use crate::ui::editor::editor;
use crate::ui::testing::{focus_by_id, protocols_label, test_refusal, testing};

use super::instance_details::{InstanceDetails, Secrets};
use super::instance_edit::{AssignUsers, UpdateDetails};

/// Words for an instance's eligibility.
fn eligibility_words(e: &Eligibility) -> String {
    match e {
        Eligibility::Current => {
            "Eligible: generated from the current version of this integration".into()
        }
        Eligibility::Published => "Eligible for the published version's tests".into(),
        Eligibility::Ineligible(reason) => format!("Not eligible: {reason}"),
    }
}

/// One instance, by id (its card stays while the org is read again).
#[component]
pub fn InstanceCard(id: String) -> impl IntoView {
    let testing = testing();
    let key = StoredValue::new(id.clone());
    let instance = Memo::new(move |_| {
        testing.view.with(|v| {
            v.as_ref().and_then(|v| {
                key.with_value(|id| v.instances.iter().find(|i| &i.id == id).cloned())
            })
        })
    });
    let fresh = testing
        .fresh
        .with_untracked(|f| f.as_ref().filter(|i| i.id == id).cloned());
    let secrets = Secrets::new(fresh);
    move || {
        instance
            .get()
            .map(|i| view! { <CardBody instance=i secrets=secrets /> })
    }
}

#[component]
fn CardBody(instance: Instance, secrets: Secrets) -> impl IntoView {
    let testing = testing();
    let editor = editor();
    let refusal = test_refusal();
    let id = StoredValue::new(instance.id.clone());
    let ui = testing;
    let prefix = format!("instance-{}-", instance.id);
    // Keep keyboard focus where it was when an update redraws this card.
    Effect::new(move |_| {
        if let Some(target) = ui.refocus.get_untracked() {
            if target.starts_with(&prefix) {
                ui.refocus.set(None);
                request_animation_frame(move || focus_by_id(&target));
            }
        }
    });
    let switch_id = format!("instance-{}-switch", instance.id);
    let title_id = format!("instance-{}-title", instance.id);
    let labelled_by = title_id.clone();
    let switch_help = format!("instance-{}-switch-help", instance.id);
    let active = instance.active;
    let label = StoredValue::new(instance.label.clone());
    let status = {
        let i = instance.clone();
        Memo::new(move |_| editor.draft.with(|s| eligibility(s, &i)))
    };
    let eligibility_text = move || status.with(eligibility_words);
    let eligible = move || !status.with(|e| matches!(e, Eligibility::Ineligible(_)));
    let activate_refusal = move || {
        if let Some(why) = refusal.get() {
            return Some(why);
        }
        if active {
            return None;
        }
        testing
            .view
            .with(|v| {
                v.as_ref()
                    .map(|v| id.with_value(|id| can_activate(&v.instances, id)))
            })
            .and_then(Result::err)
    };
    let toggle = move |_| {
        let target = !active;
        let instance_id = id.get_value();
        let focus = format!("instance-{instance_id}-switch");
        testing.act(
            move |b| b.set_instance_active(&instance_id, target),
            move |i| {
                ui.refocus.set(Some(focus));
                format!(
                    "\"{}\" is now {}",
                    i.label,
                    if i.active { "active" } else { "inactive" }
                )
            },
        );
    };
    // SPEC 5.2: an outdated instance of this integration is regenerated in its own slot.
    let outdated = {
        let mine = editor
            .draft
            .with_untracked(|s| s.id == instance.submission_id);
        move || mine && !eligible()
    };
    let regenerate = move |_| {
        let instance_id = id.get_value();
        testing.act(
            move |b| b.regenerate_instance(&instance_id),
            move |fresh| {
                let words = format!(
                    "Instance \"{}\" regenerated from the current settings. Its new secrets are shown once below.",
                    fresh.label
                );
                ui.fresh.set(Some(fresh));
                words
            },
        );
    };
    let regenerate_help = format!("instance-{}-regenerate-help", instance.id);
    let confirming_delete = RwSignal::new(false);
    let delete = move |_| {
        let instance_id = id.get_value();
        let name = label.get_value();
        confirming_delete.set(false);
        testing.act(
            move |b| b.delete_instance(&instance_id),
            move |()| {
                request_animation_frame(|| focus_by_id("instances-list"));
                format!("Instance \"{name}\" deleted")
            },
        );
    };
    let delete_refusal = can_delete(&instance).err();
    let version_text = if instance.from_published {
        format!(
            "Published version (version {})",
            instance.submission_version
        )
    } else {
        format!("Current version (version {})", instance.submission_version)
    };
    let protocols = protocols_label(&instance.protocols);
    let refusal_id = format!("instance-{}-refusal", instance.id);
    let details = view! {
        <InstanceDetails instance=instance.clone() secrets=secrets refusal=refusal refusal_id=refusal_id.clone() />
    };
    let update = view! {
        <UpdateDetails instance=instance.clone() refusal=refusal refusal_id=refusal_id.clone() />
    };
    let assign = view! {
        <AssignUsers instance=instance.clone() refusal=refusal refusal_id=refusal_id.clone() />
    };
    let refusal_p = refusal_id.clone();
    let refusal_p2 = refusal_id.clone();
    let keep_id = format!("instance-{}-keep", instance.id);
    let delete_id = format!("instance-{}-delete", instance.id);
    let delete_row = match delete_refusal {
        Some(_) => None,
        None => Some(view! {
            <div class="button-row">
                <Show when=move || !confirming_delete.get()
                    fallback={
                        let keep_id = keep_id.clone();
                        let delete_id = delete_id.clone();
                        move || {
                        let delete_id = delete_id.clone();
                        view! {
                        <p role="alert">{move || format!("Delete \"{}\" and its test results? This cannot be undone.", label.get_value())}</p>
                        <button type="button" class="button danger" on:click=delete
                            disabled=move || testing.busy.get()>"Yes, delete instance"</button>
                        <button type="button" class="button" id=keep_id.clone() on:click=move |_| {
                            confirming_delete.set(false);
                            let target = delete_id.clone();
                            request_animation_frame(move || focus_by_id(&target));
                        }>"Keep it"</button>
                    }}}>
                    <button type="button" class="button danger" id=delete_id.clone()
                        aria-describedby=refusal_id.clone()
                        disabled=move || refusal.get().is_some() || testing.busy.get()
                        on:click={
                            let keep_id = keep_id.clone();
                            move |_| {
                                confirming_delete.set(true);
                                let target = keep_id.clone();
                                request_animation_frame(move || focus_by_id(&target));
                            }
                        }>"Delete instance"</button>
                </Show>
            </div>
        }),
    };
    view! {
        <section class="instance-card" class:ineligible=move || !eligible() aria-labelledby=labelled_by>
            <div class="instance-head">
                <h3 id=title_id>{instance.label.clone()}</h3>
                <button type="button" role="switch" class="switch" id=switch_id
                    aria-checked=if active { "true" } else { "false" }
                    aria-describedby=switch_help.clone()
                    disabled=move || activate_refusal().is_some() || testing.busy.get()
                    on:click=toggle>
                    <span class="switch-track" aria-hidden="true"><span class="switch-thumb"></span></span>
                    "ACTIVE"
                </button>
            </div>
            <p id=switch_help class="field-help">
                {if active { "Active." } else { "Inactive: it can be deleted." }}
                " "
                {activate_refusal}
            </p>
            <p id=refusal_p2 class="field-help">{move || refusal.get()}</p>
            <p class="eligibility" class:warning=move || !eligible()>{eligibility_text}</p>
            <Show when=outdated>
                <div class="button-row">
                    <button type="button" class="button primary"
                        aria-describedby=format!("{regenerate_help} {refusal_p}")
                        disabled=move || refusal.get().is_some() || testing.busy.get()
                        on:click=regenerate>"Regenerate instance"</button>
                    <p class="field-help" id=regenerate_help.clone()>
                        "A setting it was generated from changed. Regenerate replaces it in its place (same label, values, assignments and ACTIVE state, new secrets, no extra active slot); its test results go."
                    </p>
                </div>
            </Show>
            <dl class="instance-facts">
                <dt>"Protocols"</dt><dd>{protocols}</dd>
                <dt>"Version"</dt><dd>{version_text}</dd>
            </dl>
            {details}
            <div class="button-row">
                {update}
                {assign}
            </div>
            {delete_row}
        </section>
    }
}
