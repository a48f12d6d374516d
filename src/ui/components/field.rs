//! Labelled form controls. The visible label is the accessible name (exactly the SPEC's
//! words); the required mark is visual only (`aria-required` tells assistive tech); help text
//! and the domain's problems for the field are tied to the control with `aria-describedby`.

use leptos::prelude::*;

use crate::domain::{Problem, Severity};

/// What kind of single-line or multi-line text control to render.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TextKind {
    /// `<input type="text">`.
    #[default]
    Text,
    /// `<input type="url">` (no browser validation: the domain checks URLs).
    Url,
    /// `<input type="email">`.
    Email,
    /// `<input type="password">`: masked; `autocomplete="new-password"` so no browser fills it.
    Password,
    /// `<textarea>`.
    Multiline,
}

/// The problems shown under a field: errors first, each as-is from the domain.
#[component]
pub fn FieldProblems(
    #[prop(into)] id: String,
    #[prop(into)] problems: Signal<Vec<Problem>>,
) -> impl IntoView {
    view! {
        <ul class="field-problems" id=id>
            <For
                each=move || problems.get()
                key=|p| (p.severity, p.message.clone())
                children=|p| {
                    let class = match p.severity {
                        Severity::Error => "field-problem error",
                        Severity::Warning => "field-problem warning",
                    };
                    let prefix = match p.severity {
                        Severity::Error => "Error: ",
                        Severity::Warning => "Warning: ",
                    };
                    view! {
                        <li class=class>
                            <span class="visually-hidden">{prefix}</span>
                            {p.message}
                        </li>
                    }
                }
            />
        </ul>
    }
}

/// A labelled text control bound to `value`; every keystroke calls `on_input`.
#[component]
pub fn TextField(
    /// The control's id, also the anchor the problem summary links to.
    #[prop(into)]
    id: String,
    /// The visible label and accessible name, in the SPEC's words.
    #[prop(into)]
    label: String,
    /// The current value.
    #[prop(into)]
    value: Signal<String>,
    /// Called with the new value on every input.
    on_input: Callback<String>,
    /// The domain's problems for this field.
    #[prop(into, default = Signal::stored(Vec::new()))]
    problems: Signal<Vec<Problem>>,
    /// Help text under the label.
    #[prop(optional, into)]
    help: String,
    /// Marks the field required (visual `*` and `aria-required`).
    #[prop(optional)]
    required: bool,
    /// Which control.
    #[prop(optional)]
    kind: TextKind,
    /// Read-only (published integrations).
    #[prop(into, default = Signal::stored(false))]
    readonly: Signal<bool>,
    /// Placeholder example.
    #[prop(optional, into)]
    placeholder: String,
) -> impl IntoView {
    let help = (!help.is_empty()).then_some(help);
    let placeholder = (!placeholder.is_empty()).then_some(placeholder);
    let help_id = format!("{id}-help");
    let problems_id = format!("{id}-problems");
    let described_by = match help {
        Some(_) => format!("{help_id} {problems_id}"),
        None => problems_id.clone(),
    };
    let invalid = move || {
        problems
            .with(|ps| ps.iter().any(|p| p.severity == Severity::Error))
            .then_some("true")
    };
    let input = move |ev: leptos::ev::Event| on_input.run(event_target_value(&ev));
    let control = match kind {
        TextKind::Multiline => view! {
            <textarea
                id=id.clone()
                class="control"
                rows="4"
                prop:value=move || value.get()
                on:input=input
                aria-describedby=described_by.clone()
                aria-invalid=invalid
                aria-required=required.then_some("true")
                readonly=move || readonly.get()
                placeholder=placeholder.clone()
            ></textarea>
        }
        .into_any(),
        other => {
            let ty = match other {
                TextKind::Url => "url",
                TextKind::Email => "email",
                TextKind::Password => "password",
                _ => "text",
            };
            let autocomplete = match other {
                TextKind::Password => "new-password",
                TextKind::Email => "email",
                _ => "off",
            };
            view! {
                <input
                    id=id.clone()
                    class="control"
                    type=ty
                    autocomplete=autocomplete
                    spellcheck="false"
                    prop:value=move || value.get()
                    on:input=input
                    aria-describedby=described_by.clone()
                    aria-invalid=invalid
                    aria-required=required.then_some("true")
                    readonly=move || readonly.get()
                    placeholder=placeholder.clone()
                />
            }
            .into_any()
        }
    };
    view! {
        <div class="field">
            <div class="label-row">
                <label class="field-label" for=id.clone()>{label}</label>
                {required.then(|| view! { <span class="required-mark" aria-hidden="true">"*"</span> })}
            </div>
            {help.map(|h| view! { <p class="field-help" id=help_id.clone()>{h}</p> })}
            {control}
            <FieldProblems id=problems_id problems />
        </div>
    }
}

/// A labelled checkbox. `disabled_reason`, when set, disables it and says why.
#[component]
pub fn CheckboxField(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    #[prop(into)] checked: Signal<bool>,
    on_change: Callback<bool>,
    #[prop(optional, into)] help: String,
    #[prop(into, default = Signal::stored(None))] disabled_reason: Signal<Option<String>>,
) -> impl IntoView {
    let help = (!help.is_empty()).then_some(help);
    let help_id = format!("{id}-help");
    let reason_id = format!("{id}-reason");
    let described_by = format!("{help_id} {reason_id}");
    view! {
        <div class="check-field">
            <input
                type="checkbox"
                id=id.clone()
                prop:checked=move || checked.get()
                disabled=move || disabled_reason.with(Option::is_some)
                aria-describedby=described_by
                on:change=move |ev| on_change.run(event_target_checked(&ev))
            />
            <div>
                <label for=id>{label}</label>
                {help.map(|h| view! { <p class="field-help" id=help_id.clone()>{h}</p> })}
                <p class="field-help" id=reason_id>{move || disabled_reason.get()}</p>
            </div>
        </div>
    }
}
