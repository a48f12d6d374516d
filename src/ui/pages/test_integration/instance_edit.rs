//! SPEC 5.2: **Update instance details** (label, variable values) and **Assign test users**
//! (people or groups, and a small Create test user form). Both remove that instance's earlier
//! test results, so both ask first, saying how many results will go.

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::domain::instances::InstanceUpdate;
use crate::domain::roles::Action;
use crate::domain::testing::instance_source;
use crate::domain::{Instance, User, Variable};
use crate::ui::context::app_state;
use crate::ui::editor::editor;
use crate::ui::testing::testing;

/// How many recorded results of this instance an update removes (the words for them).
/// The value of one integration variable for an instance, as the customer admin enters it
/// (Generate instance and Update instance details): labelled by the variable's label.
#[component]
pub fn VariableValue(
    id: String,
    variable: Variable,
    values: RwSignal<BTreeMap<String, String>>,
) -> impl IntoView {
    let help = format!("{id}-help");
    let name = variable.name.clone();
    view! {
        <div class="field">
            <label class="field-label" for=id.clone()>{variable.label}</label>
            <input id=id class="control" type="text" autocomplete="off"
                aria-describedby=help.clone()
                prop:value={
                    let name = name.clone();
                    move || values.with(|m| m.get(&name).cloned().unwrap_or_default())
                }
                on:input=move |ev| {
                    let value = event_target_value(&ev);
                    values.update(|m| { m.insert(name.clone(), value); });
                } />
            <p id=help class="field-help">"Integration variable "<code>{variable.name}</code></p>
        </div>
    }
}

fn results_words(instance_id: &str) -> String {
    let n = testing().view.with_untracked(|v| {
        v.as_ref().map_or(0, |v| {
            v.test_runs
                .iter()
                .filter(|r| r.instance_id == instance_id)
                .count()
        })
    });
    match n {
        0 => "Saving removes this instance's earlier test results; it has none yet.".to_string(),
        1 => "Saving removes this instance's earlier results: 1 test result will go, and that test must be run again.".to_string(),
        n => format!(
            "Saving removes this instance's earlier results: {n} test results will go, and those tests must be run again."
        ),
    }
}

/// The confirm step before an update that removes results.
#[component]
fn ConfirmUpdate(
    instance_id: String,
    pending: RwSignal<Option<InstanceUpdate>>,
    on_saved: Callback<()>,
    /// The control focused once the card is drawn again.
    focus_after: String,
) -> impl IntoView {
    let testing = testing();
    let ui = testing;
    let focus_after = StoredValue::new(focus_after);
    let id = StoredValue::new(instance_id);
    let save = move |_| {
        let Some(update) = pending.get_untracked() else {
            return;
        };
        pending.set(None);
        let instance_id = id.get_value();
        let focus = focus_after.get_value();
        testing.act(
            move |b| b.update_instance(&instance_id, update),
            move |i| {
                ui.refocus.set(Some(focus));
                format!(
                    "Instance \"{}\" updated; its earlier test results were removed",
                    i.label
                )
            },
        );
        on_saved.run(());
    };
    view! {
        <Show when=move || pending.with(Option::is_some)>
            <div class="notice warning" role="alert">
                <p>{move || id.with_value(|i| results_words(i))}</p>
                <div class="button-row">
                    <button type="button" class="button primary" on:click=save
                        disabled=move || testing.busy.get()>"Save anyway"</button>
                    <button type="button" class="button" on:click=move |_| pending.set(None)>"Go back"</button>
                </div>
            </div>
        </Show>
    }
}

/// **Update instance details**: the label and the variable values.
#[component]
pub fn UpdateDetails(
    instance: Instance,
    refusal: Memo<Option<String>>,
    refusal_id: String,
) -> impl IntoView {
    let editor = editor();
    let open = RwSignal::new(false);
    let prefix = format!("instance-{}-edit", instance.id);
    let label = RwSignal::new(instance.label.clone());
    let values = RwSignal::new(instance.variable_values.clone());
    let pending = RwSignal::new(None::<InstanceUpdate>);
    // This integration's variables (by label); another integration's instance keeps its own
    // values, named by variable name.
    let variables = {
        let i = instance.clone();
        editor.draft.with_untracked(|s| {
            if s.id == i.submission_id {
                instance_source(s, &i).variables.clone()
            } else {
                i.variable_values
                    .keys()
                    .map(|name| Variable {
                        label: name.clone(),
                        name: name.clone(),
                    })
                    .collect()
            }
        })
    };
    let initial = StoredValue::new((instance.label.clone(), instance.variable_values.clone()));
    let toggle = move |_| {
        let now_open = !open.get_untracked();
        if now_open {
            let (l, v) = initial.get_value();
            label.set(l);
            values.set(v);
            pending.set(None);
        }
        open.set(now_open);
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        pending.set(Some(InstanceUpdate {
            label: Some(label.get_untracked().trim().to_string()),
            variable_values: Some(values.get_untracked()),
            ..InstanceUpdate::default()
        }));
    };
    let label_id = format!("{prefix}-label");
    let form_id = format!("{prefix}-form");
    let on_saved = Callback::new(move |()| open.set(false));
    let instance_id = instance.id.clone();
    view! {
        <button type="button" class="button" id=format!("{prefix}-button")
            aria-expanded=move || open.get().to_string()
            aria-controls=form_id.clone() aria-describedby=refusal_id
            disabled=move || refusal.get().is_some()
            on:click=toggle>"Update instance details"</button>
        <Show when=move || open.get()>
            <form id=form_id.clone() class="instance-edit" on:submit=submit novalidate>
                <div class="field">
                    <label class="field-label" for=label_id.clone()>"Application label"</label>
                    <input id=label_id.clone() class="control" type="text" autocomplete="off"
                        prop:value=move || label.get()
                        on:input=move |ev| label.set(event_target_value(&ev)) />
                </div>
                {variables.iter().enumerate().map(|(i, v)| view! {
                    <VariableValue id=format!("{prefix}-var-{i}") variable=v.clone() values />
                }).collect_view()}
                <p class="field-help">"Saving removes this instance's earlier test results: rerun its tests afterwards."</p>
                <div class="button-row">
                    <button type="submit" class="button primary">"Save instance details"</button>
                    <button type="button" class="button" on:click=move |_| open.set(false)>"Cancel"</button>
                </div>
                <ConfirmUpdate instance_id=instance_id.clone() pending=pending on_saved=on_saved
                    focus_after=format!("{prefix}-button") />
            </form>
        </Show>
    }
}

fn person_name(u: &User) -> String {
    let name = format!("{} {}", u.first_name, u.last_name);
    if name.trim().is_empty() {
        u.email.clone()
    } else {
        format!("{} ({})", name.trim(), u.email)
    }
}

/// **Assign test users** (people or groups), with Create test user for org admins.
#[component]
pub fn AssignUsers(
    instance: Instance,
    refusal: Memo<Option<String>>,
    refusal_id: String,
) -> impl IntoView {
    let testing = testing();
    let state = app_state();
    let open = RwSignal::new(false);
    let prefix = format!("instance-{}-assign", instance.id);
    let users = RwSignal::new(instance.assigned_users.clone());
    let groups = RwSignal::new(instance.assigned_groups.clone());
    let pending = RwSignal::new(None::<InstanceUpdate>);
    let initial = StoredValue::new((
        instance.assigned_users.clone(),
        instance.assigned_groups.clone(),
    ));
    let toggle = move |_| {
        let now_open = !open.get_untracked();
        if now_open {
            let (u, g) = initial.get_value();
            users.set(u);
            groups.set(g);
            pending.set(None);
        }
        open.set(now_open);
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        pending.set(Some(InstanceUpdate {
            assigned_users: Some(users.get_untracked()),
            assigned_groups: Some(groups.get_untracked()),
            ..InstanceUpdate::default()
        }));
    };
    let org_users = move || {
        testing
            .view
            .with(|v| v.as_ref().map(|v| v.users.clone()).unwrap_or_default())
    };
    let org_groups = move || {
        testing
            .view
            .with(|v| v.as_ref().map(|v| v.groups.clone()).unwrap_or_default())
    };
    let checkbox = move |list: RwSignal<Vec<String>>, item_id: String, text: String, id: String| {
        let mine = item_id.clone();
        view! {
            <div class="check-field">
                <input type="checkbox" id=id.clone()
                    prop:checked=move || list.with(|l| l.contains(&mine))
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        list.update(|l| {
                            l.retain(|x| *x != item_id);
                            if on { l.push(item_id.clone()); }
                        });
                    } />
                <label for=id>{text}</label>
            </div>
        }
    };
    let people_prefix = prefix.clone();
    let group_prefix = prefix.clone();

    // Create test user (org admin or super admin).
    let create_refusal = Memo::new(move |_| state.permits(Action::CreateTestUsers).err());
    let email = RwSignal::new(String::new());
    let first = RwSignal::new(String::new());
    let last = RwSignal::new(String::new());
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let user = User {
            email: email.get_untracked().trim().to_string(),
            first_name: first.get_untracked().trim().to_string(),
            last_name: last.get_untracked().trim().to_string(),
            ..User::default()
        };
        testing.act(
            move |b| b.create_test_user(user),
            move |created| {
                let _ = users.try_update(|l| l.push(created.id.clone()));
                let _ = email.try_set(String::new());
                let _ = first.try_set(String::new());
                let _ = last.try_set(String::new());
                format!(
                    "Test user {} created and checked below: save the assignments to assign it",
                    created.email
                )
            },
        );
    };
    let on_saved = Callback::new(move |()| open.set(false));
    let instance_id = instance.id.clone();
    let form_id = format!("{prefix}-form");
    let field =
        move |id: String, text: &'static str, kind: &'static str, value: RwSignal<String>| {
            view! {
                <div class="field">
                    <label class="field-label" for=id.clone()>{text}</label>
                    <input id=id class="control" type=kind autocomplete="off"
                        prop:value=move || value.get()
                        on:input=move |ev| value.set(event_target_value(&ev)) />
                </div>
            }
        };
    let create_prefix = prefix.clone();
    view! {
        <button type="button" class="button" id=format!("{prefix}-button")
            aria-expanded=move || open.get().to_string()
            aria-controls=form_id.clone() aria-describedby=refusal_id
            disabled=move || refusal.get().is_some()
            on:click=toggle>"Assign test users"</button>
        <Show when=move || open.get()>
            <div id=form_id.clone() class="instance-edit">
                <form on:submit=submit novalidate>
                    <p class="field-help">"Without JIT, the same user must exist in your app too."</p>
                    <fieldset class="field">
                        <legend class="field-label">"People"</legend>
                        {
                            let p = people_prefix.clone();
                            move || org_users().into_iter().map(|u| {
                                let id = format!("{p}-user-{}", u.id);
                                checkbox(users, u.id.clone(), person_name(&u), id)
                            }).collect_view()
                        }
                    </fieldset>
                    <fieldset class="field">
                        <legend class="field-label">"Groups"</legend>
                        {
                            let p = group_prefix.clone();
                            move || {
                                let list = org_groups();
                                if list.is_empty() {
                                    view! { <p class="field-help">"Your org has no groups."</p> }.into_any()
                                } else {
                                    list.into_iter().map(|g| {
                                        let id = format!("{p}-group-{}", g.id);
                                        checkbox(groups, g.id.clone(), g.name.clone(), id)
                                    }).collect_view().into_any()
                                }
                            }
                        }
                    </fieldset>
                    <div class="button-row">
                        <button type="submit" class="button primary">"Save assignments"</button>
                        <button type="button" class="button" on:click=move |_| open.set(false)>"Cancel"</button>
                    </div>
                    <ConfirmUpdate instance_id=instance_id.clone() pending=pending on_saved=on_saved
                        focus_after=format!("{prefix}-button") />
                </form>
                {
                    let p = create_prefix.clone();
                    move || match create_refusal.get() {
                        Some(why) => view! { <p class="field-help">"Create test user: "{why}</p> }.into_any(),
                        None => view! {
                            <form class="create-user" on:submit=create novalidate
                                aria-labelledby=format!("{p}-create-title")>
                                <h5 id=format!("{p}-create-title")>"Create test user"</h5>
                                {field(format!("{p}-email"), "Email", "email", email)}
                                {field(format!("{p}-first"), "First name", "text", first)}
                                {field(format!("{p}-last"), "Last name", "text", last)}
                                <button type="submit" class="button" disabled=move || testing.busy.get()>"Create test user"</button>
                            </form>
                        }.into_any(),
                    }
                }
            </div>
        </Show>
    }
}
