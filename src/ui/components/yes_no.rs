//! A required yes/no question as a radio group (e.g. "JIT provisioning").

use leptos::prelude::*;

use super::draft_form::draft_form;
use super::field::FieldProblems;
use super::problem_summary::field_id;
use crate::domain::Submission;

/// Radio buttons "Yes" / "No" bound to an `Option<bool>` of the draft (unanswered = `None`).
#[component]
pub fn BoundYesNo(
    #[prop(into)] path: String,
    #[prop(into)] legend: String,
    get: impl Fn(&Submission) -> Option<bool> + Send + Sync + Copy + 'static,
    set: impl Fn(&mut Submission, bool) + Send + Sync + Copy + 'static,
    #[prop(optional, into)] help: String,
) -> impl IntoView {
    let form = draft_form();
    let id = field_id(&path);
    let problems = form.problems_for(path.clone());
    let problems_id = format!("{id}-problems");
    let name = id.clone();
    let radio = move |value: bool, label: &'static str| {
        let radio_id = format!("{id}-{}", if value { "yes" } else { "no" });
        let path = path.clone();
        view! {
            <span class="radio">
                <input
                    type="radio"
                    id=radio_id.clone()
                    name=name.clone()
                    prop:checked=move || form.draft.with(|s| get(s)) == Some(value)
                    disabled=move || form.read_only()
                    on:change=move |_| form.edit(&path, |s| set(s, value))
                />
                <label for=radio_id>{label}</label>
            </span>
        }
    };
    view! {
        <fieldset class="field radio-group" id=field_id_of(&problems_id) tabindex="-1" aria-describedby=problems_id.clone()>
            <legend class="field-label">{legend}<span class="required-mark" aria-hidden="true">" *"</span></legend>
            {(!help.is_empty()).then(|| view! { <p class="field-help">{help.clone()}</p> })}
            <div class="radio-row">{radio(true, "Yes")}{radio(false, "No")}</div>
            <FieldProblems id=problems_id.clone() problems />
        </fieldset>
    }
}

/// The fieldset carries the field's id so the problem summary can focus it.
fn field_id_of(problems_id: &str) -> String {
    problems_id.trim_end_matches("-problems").to_string()
}
